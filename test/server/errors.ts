import type { RetryAfter } from './types';

/** The documented error codes, plus those the published pages imply. */
export const STATUS_BY_CODE = {
	unauthorized: 401,
	forbidden: 403,
	missing_file: 400,
	unsupported_type: 415,
	invalid_expiry: 400,
	file_too_large: 413,
	rate_limited: 429,
	not_found: 404,
	gone: 410,
	invalid_request: 400,
	internal_error: 500,
} as const;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

export class ApiError extends Error {
	readonly code: string;
	readonly status: number;
	readonly retryAfter: RetryAfter;

	/** `code` is usually an ErrorCode; `failNext` may inject any code with any status. */
	constructor(code: ErrorCode, message: string);
	constructor(code: string, message: string, status: number, retryAfter?: RetryAfter);
	constructor(code: string, message: string, status?: number, retryAfter: RetryAfter = null) {
		super(message);
		this.code = code;
		this.status = status ?? STATUS_BY_CODE[code as ErrorCode];
		this.retryAfter = retryAfter;
	}
}

/** Retry-After as seconds, or as an HTTP date that many seconds after `realNowMs`. */
export function formatRetryAfter(retryAfter: number | 'http-date', realNowMs: number): string {
	if (retryAfter === 'http-date') {
		// HTTP dates have whole seconds: round up so the date is at least one second ahead.
		return new Date(Math.ceil((realNowMs + 1000) / 1000) * 1000).toUTCString();
	}

	return String(Math.max(0, Math.ceil(retryAfter)));
}
