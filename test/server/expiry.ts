import { ApiError } from './errors';

const MINUTE_MS = 60 * 1000;
const MILLISECONDS_BY_UNIT: Record<string, number> = {
	m: MINUTE_MS,
	h: 60 * MINUTE_MS,
	d: 24 * 60 * MINUTE_MS,
};

export const MAX_EXPIRY_MS = 365 * MILLISECONDS_BY_UNIT.d;

const EXPIRES_IN_PATTERN = /^([1-9][0-9]*)([mhd])$/;

/** The lifetime in milliseconds that an `expires_in` value asks for. */
export function parseExpiresIn(value: unknown): number {
	const match = typeof value === 'string' ? EXPIRES_IN_PATTERN.exec(value) : null;
	const lifetimeMs = match ? Number(match[1]) * MILLISECONDS_BY_UNIT[match[2]] : undefined;

	if (lifetimeMs === undefined || lifetimeMs > MAX_EXPIRY_MS) {
		throw new ApiError(
			'invalid_expiry',
			'expires_in must be a whole number followed by m, h or d (for example 30m, 24h, 7d), ' +
				`at most 365 days; got ${JSON.stringify(value)}`,
		);
	}

	return lifetimeMs;
}
