import type { JsonObject } from 'n8n-workflow';

/** An error the API answered, reduced to what is safe and useful to show. */
export interface ApiErrorDetails {
	status: number;
	code: string;
	message: string;
	requestId?: string;
}

interface UserFacing {
	message: string;
	description: string;
}

const CODE_BY_STATUS: Record<number, string> = {
	400: 'invalid_request',
	401: 'unauthorized',
	403: 'forbidden',
	404: 'not_found',
	410: 'gone',
	413: 'file_too_large',
	415: 'unsupported_type',
	429: 'rate_limited',
};

const USER_FACING: Record<string, UserFacing> = {
	unauthorized: {
		message: 'GetFileURL refused the API key',
		description:
			'Check the API key in the GetFileURL credential; create a new key in your GetFileURL ' +
			'dashboard if this one was revoked.',
	},
	forbidden: {
		message: 'The GetFileURL API key is not allowed to do this',
		description: "Check the key's permissions and your plan in the GetFileURL dashboard.",
	},
	missing_file: {
		message: 'GetFileURL received no file',
		description: 'Check that the input item carries the file in the field the node reads.',
	},
	unsupported_type: {
		message: 'GetFileURL does not accept this content type',
		description: 'Set a different content type in the node options, or convert the file first.',
	},
	invalid_expiry: {
		message: 'GetFileURL refused the expiry',
		description: 'Choose a shorter expiry, or one of the presets.',
	},
	file_too_large: {
		message: 'The file is larger than GetFileURL accepts',
		description:
			'Upload a smaller file (compress or split it), or check the size limit of your plan.',
	},
	rate_limited: {
		message: 'GetFileURL rate limit reached, retries exhausted',
		description:
			"Lower the node's concurrency, spread the workflow's runs out, or raise your plan's limit.",
	},
	not_found: {
		message: 'GetFileURL has no file with this ID',
		description: 'Check the File ID; it may have expired or been deleted already.',
	},
	gone: {
		message: 'The file was already deleted',
		description: 'Nothing is left to delete for this File ID.',
	},
};

const SERVER_TROUBLE: UserFacing = {
	message: 'GetFileURL is having trouble, retries exhausted',
	description: 'Try again later; if it persists, quote the request ID to GetFileURL support.',
};

function asObject(value: unknown): Record<string, unknown> | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}

function asText(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function parseJsonText(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/**
 * Reads an error answer in any of the shapes the API may use: `{error: {code, message,
 * request_id}}`, `{code, message}`, or plain text.
 */
export function parseApiError(
	status: number,
	body: unknown,
	headers: Record<string, unknown> = {},
): ApiErrorDetails {
	const parsed = parseJsonText(body);
	const outer = asObject(parsed);
	const inner = asObject(outer?.error) ?? outer;
	const plainText = typeof parsed === 'string' ? asText(parsed)?.slice(0, 500) : undefined;

	const code = asText(inner?.code) ?? asText(outer?.error) ?? CODE_BY_STATUS[status];
	const message = asText(inner?.message) ?? asText(outer?.message) ?? plainText ?? '';
	const requestId =
		asText(inner?.request_id) ?? asText(outer?.request_id) ?? asText(headers['x-request-id']);

	return {
		status,
		code: code ?? (status >= 500 ? 'server_error' : `http_${status}`),
		message,
		requestId,
	};
}

/** The message and the how-to-fix description a user sees for an API error. */
export function describeApiError(details: ApiErrorDetails): UserFacing {
	const known = USER_FACING[details.code] ?? (details.status >= 500 ? SERVER_TROUBLE : undefined);
	const message = known?.message ?? `GetFileURL answered ${details.status} (${details.code})`;

	const parts = [
		details.message ? `GetFileURL said: ${details.message}` : undefined,
		known?.description,
		details.requestId ? `Request ID: ${details.requestId}` : undefined,
	];
	return { message, description: parts.filter(Boolean).join(' ') };
}

/** The error object handed to NodeApiError: built field by field so no request header leaks. */
export function apiErrorResponse(details: ApiErrorDetails): JsonObject {
	return {
		httpCode: String(details.status),
		code: details.code,
		message: details.message,
		...(details.requestId ? { request_id: details.requestId } : {}),
	};
}
