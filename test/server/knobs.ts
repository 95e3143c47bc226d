import { ApiError } from './errors';
import type { Knobs, KnobsUpdate, ResponseVariant, RetryAfter } from './types';

export function defaultKnobs(): Knobs {
	return {
		failNext: null,
		rateLimitNext: null,
		delayMs: 0,
		dropNext: 0,
		variant: {
			sizeKey: 'size',
			expiresAt: 'iso',
			errorShape: 'nested',
			deleteStatus: 200,
			goneStatus: 404,
		},
	};
}

export function mergeKnobs(knobs: Knobs, update: KnobsUpdate): Knobs {
	return { ...knobs, ...update, variant: { ...knobs.variant, ...update.variant } };
}

const VARIANT_VALUES: { [Key in keyof ResponseVariant]: ReadonlyArray<ResponseVariant[Key]> } = {
	sizeKey: ['size', 'size_bytes', 'none'],
	expiresAt: ['iso', 'omit'],
	errorShape: ['nested', 'flat', 'text'],
	deleteStatus: [200, 204],
	goneStatus: [404, 410],
};

/**
 * Checks knobs that arrive over HTTP, where no compiler checked them: a misspelt knob would
 * otherwise be ignored silently and the test would pass for the wrong reason.
 */
export function parseKnobsUpdate(value: unknown): KnobsUpdate {
	const update = asObject(value, 'knobs');
	for (const [key, knob] of Object.entries(update)) {
		switch (key) {
			case 'failNext':
				checkFailNext(knob);
				break;
			case 'rateLimitNext':
				if (knob !== null) checkCountAndRetryAfter(asObject(knob, key), key);
				break;
			case 'delayMs':
			case 'dropNext':
				checkCount(knob, key);
				break;
			case 'variant':
				checkVariant(knob);
				break;
			default:
				throw invalid(`unknown knob \`${key}\``);
		}
	}
	return update as KnobsUpdate;
}

function checkFailNext(knob: unknown): void {
	if (knob === null) return;

	const failNext = asObject(knob, 'failNext');
	checkCountAndRetryAfter(failNext, 'failNext', ['status', 'code']);
	const status = failNext.status;
	if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
		throw invalid('failNext.status must be an HTTP error status (400-599)');
	}
	if (failNext.code !== undefined && typeof failNext.code !== 'string') {
		throw invalid('failNext.code must be a string');
	}
}

function checkCountAndRetryAfter(
	knob: Record<string, unknown>,
	name: string,
	otherKeys: string[] = [],
): void {
	for (const key of Object.keys(knob)) {
		if (!['count', 'retryAfter', ...otherKeys].includes(key)) {
			throw invalid(`unknown key \`${name}.${key}\``);
		}
	}
	checkCount(knob.count, `${name}.count`);
	if (knob.retryAfter !== undefined && !isRetryAfter(knob.retryAfter)) {
		throw invalid(`${name}.retryAfter must be seconds, 'http-date' or null`);
	}
}

function checkVariant(knob: unknown): void {
	for (const [key, value] of Object.entries(asObject(knob, 'variant'))) {
		const accepted = VARIANT_VALUES[key as keyof ResponseVariant] as readonly unknown[] | undefined;
		if (accepted === undefined) throw invalid(`unknown key \`variant.${key}\``);
		if (!accepted.includes(value)) {
			throw invalid(`variant.${key} must be one of ${JSON.stringify(accepted)}`);
		}
	}
}

function checkCount(value: unknown, name: string): void {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
		throw invalid(`${name} must be a whole number, 0 or more`);
	}
}

function isRetryAfter(value: unknown): value is RetryAfter {
	return value === null || value === 'http-date' || (typeof value === 'number' && value >= 0);
}

function asObject(value: unknown, name: string): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw invalid(`${name} must be a JSON object`);
	}
	return value as Record<string, unknown>;
}

function invalid(message: string): ApiError {
	return new ApiError('invalid_request', message);
}
