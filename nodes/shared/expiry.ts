/** An expiry as the API takes it: `<integer><unit>`, unit m (minutes), h (hours) or d (days). */
export type ExpiresIn = string;

export type ExpiryUnit = 'm' | 'h' | 'd';

const UNIT_MS: Record<ExpiryUnit, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

const EXPIRY_PATTERN = /^([1-9][0-9]*)([mhd])$/;

/** Longer lifetimes are "permanent only by intent": the account default covers them. */
export const MAX_EXPIRY_DAYS = 365;

export const ACCEPTED_EXPIRY_FORMS =
	'a whole number followed by m (minutes), h (hours) or d (days), for example 30m, 24h or 7d, ' +
	`up to ${MAX_EXPIRY_DAYS} days`;

export class InvalidExpiryError extends Error {}

/** Milliseconds an `expires_in` value stands for; throws InvalidExpiryError when malformed. */
export function expiryToMs(expiresIn: ExpiresIn): number {
	const match = EXPIRY_PATTERN.exec(expiresIn);
	if (!match) {
		throw new InvalidExpiryError(`"${expiresIn}" is not a valid expiry`);
	}

	const ms = Number(match[1]) * UNIT_MS[match[2] as ExpiryUnit];
	if (ms > MAX_EXPIRY_DAYS * UNIT_MS.d) {
		throw new InvalidExpiryError(`"${expiresIn}" is longer than ${MAX_EXPIRY_DAYS} days`);
	}
	return ms;
}

/** Builds and validates an expiry from an amount and a unit as a user types them. */
export function expiryFromAmount(amount: unknown, unit: unknown): ExpiresIn {
	if (typeof unit !== 'string' || !(unit in UNIT_MS)) {
		throw new InvalidExpiryError(`"${String(unit)}" is not an expiry unit`);
	}
	const value = typeof amount === 'string' ? Number(amount.trim()) : amount;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
		throw new InvalidExpiryError(`${JSON.stringify(amount)} is not a whole number of at least 1`);
	}

	const expiresIn = `${value}${unit}`;
	expiryToMs(expiresIn);
	return expiresIn;
}

/** Normalises a typed expiry such as " 30M " and validates it. */
export function normaliseExpiry(text: string): ExpiresIn {
	const expiresIn = text.trim().toLowerCase();
	expiryToMs(expiresIn);
	return expiresIn;
}

/** The expiry the API implies when it does not say: request time plus the lifetime asked for. */
export function deriveExpiresAt(requestedAt: Date, expiresIn: ExpiresIn): string {
	return new Date(requestedAt.getTime() + expiryToMs(expiresIn)).toISOString();
}
