import {
	DEFAULT_RETRY_POLICY,
	isRetryableNetworkCode,
	isRetryableStatus,
	parseRetryAfter,
	retryDelayMs,
} from '../../nodes/shared/retry';

const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000 };

describe('retry policy', () => {
	it('retries rate limits, timeouts and server errors, never auth or validation errors', () => {
		for (const status of [429, 408, 500, 502, 503, 504])
			expect(isRetryableStatus(status)).toBe(true);
		for (const status of [400, 401, 403, 404, 410, 413, 415, 422]) {
			expect(isRetryableStatus(status)).toBe(false);
		}
	});

	it('retries network failures but not a cancelled request', () => {
		expect(isRetryableNetworkCode('ECONNRESET')).toBe(true);
		expect(isRetryableNetworkCode('ECONNABORTED')).toBe(true);
		expect(isRetryableNetworkCode('ERR_CANCELED')).toBe(false);
		expect(isRetryableNetworkCode(undefined)).toBe(false);
	});

	it('reads Retry-After in seconds and as an HTTP date', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter(['1.5'], now)).toBe(1500);
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7000);
		expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});

	it('backs off exponentially with jitter, capped, and stops after the last attempt', () => {
		expect(retryDelayMs(1, policy, undefined, () => 1)).toBe(1000);
		expect(retryDelayMs(2, policy, undefined, () => 1)).toBe(2000);
		expect(retryDelayMs(3, policy, undefined, () => 1)).toBe(4000);
		expect(retryDelayMs(3, policy, undefined, () => 0.5)).toBe(2000);
		expect(retryDelayMs(4, policy, undefined, () => 1)).toBeUndefined();

		const capped = { ...policy, maxAttempts: 10 };
		expect(retryDelayMs(8, capped, undefined, () => 1)).toBe(5000);
	});

	it('waits what Retry-After asks, and gives up when that is longer than it may wait', () => {
		expect(retryDelayMs(1, policy, 2500, () => 0)).toBe(2500);
		expect(retryDelayMs(1, policy, 0, () => 0)).toBe(0);
		expect(retryDelayMs(1, policy, policy.maxRetryAfterMs + 1)).toBeUndefined();
	});
});
