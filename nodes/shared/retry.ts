export interface RetryPolicy {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A `Retry-After` longer than this is not waited for inside a running execution. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 4,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 60_000,
};

/** Rate limits and temporary server failures; never auth or validation errors. */
export function isRetryableStatus(status: number): boolean {
	return status === 429 || status === 408 || (status >= 500 && status <= 599);
}

const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'EPIPE',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export function isRetryableNetworkCode(code: string | undefined): boolean {
	return code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}

/** `Retry-After` (seconds or an HTTP date) as milliseconds from `now`; undefined if unusable. */
export function parseRetryAfter(value: unknown, now: number): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' || text.trim() === '') return undefined;

	if (/^\d+(\.\d+)?$/.test(text.trim())) {
		return Math.round(Number(text.trim()) * 1000);
	}

	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/**
 * How long to wait after failed attempt `attempt` (1-based), or undefined to stop retrying:
 * the server's `Retry-After` when it gave one, else exponential backoff with full jitter.
 */
export function retryDelayMs(
	attempt: number,
	policy: RetryPolicy,
	retryAfterMs: number | undefined,
	random: () => number = Math.random,
): number | undefined {
	if (attempt >= policy.maxAttempts) return undefined;

	if (retryAfterMs !== undefined) {
		return retryAfterMs <= policy.maxRetryAfterMs ? retryAfterMs : undefined;
	}

	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(random() * ceiling);
}
