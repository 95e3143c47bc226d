import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

import { apiErrorResponse, describeApiError, parseApiError } from './api-error';
import {
	DEFAULT_RETRY_POLICY,
	isRetryableNetworkCode,
	isRetryableStatus,
	parseRetryAfter,
	retryDelayMs,
} from './retry';
import type { RetryPolicy } from './retry';
import { ExecutionCancelledError, isCancelled, sleepUnlessCancelled } from './wait';

export const CREDENTIAL_TYPE = 'getFileUrlApi';

export const DEFAULT_BASE_URL = 'https://api.getfileurl.com';

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, each segment already URL-encoded. */
	path: string;
	/** Called before every attempt, so that a stream body is never sent twice. */
	body?: () => Promise<IHttpRequestOptions['body']>;
	timeoutMs: number;
	itemIndex: number;
	/** Statuses outside 2xx that the caller handles itself (for example 404 on delete). */
	acceptStatuses?: number[];
	retryPolicy?: RetryPolicy;
}

export interface ApiResponse {
	status: number;
	body: unknown;
	headers: Record<string, unknown>;
}

interface FullResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, unknown>;
}

async function baseUrlOf(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const credentials = await ctx.getCredentials<{ baseUrl?: string }>(CREDENTIAL_TYPE, itemIndex);
	return (credentials.baseUrl || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
}

/**
 * The network code of a failed request (ECONNRESET, ECONNABORTED for a timeout, ...): n8n's
 * request helper wraps the axios error in a NodeApiError that keeps the code as its httpCode.
 */
function networkCodeOf(error: unknown): string | undefined {
	let current = error as { code?: unknown; httpCode?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 4; depth++) {
		for (const code of [current.code, current.httpCode]) {
			if (typeof code === 'string' && /^[A-Z][A-Z_]+$/.test(code)) return code;
		}
		current = current.cause as typeof current;
	}
	return undefined;
}

const NETWORK_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset',
	EPIPE: 'the connection closed while the file was being sent',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be looked up',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
};

function networkError(ctx: IExecuteFunctions, code: string | undefined, request: ApiRequest) {
	const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
	// The code stays out of the message: NodeApiError swaps messages naming one for its own.
	const message = timedOut
		? `GetFileURL did not answer within ${request.timeoutMs / 1000} seconds`
		: `Could not reach GetFileURL: ${(code && NETWORK_FAILURES[code]) ?? 'network error'}`;
	const description = timedOut
		? 'Raise the timeout in the node options for large files or slow connections.'
		: 'Check the Base URL in the GetFileURL credential and the network between n8n and it.';
	return new NodeApiError(
		ctx.getNode(),
		{ network_error: code ?? 'unknown', message },
		{
			message,
			description: `${description} (${code ?? 'no error code'})`,
			itemIndex: request.itemIndex,
		},
	);
}

/** A failure that is not the network's: the file could not be read, or the request was refused. */
function requestFailed(
	ctx: IExecuteFunctions,
	error: Error,
	code: string | undefined,
	request: ApiRequest,
) {
	if (code && code in NETWORK_FAILURES) return networkError(ctx, code, request);
	return new NodeOperationError(
		ctx.getNode(),
		`The request to GetFileURL failed: ${error.message}`,
		{
			itemIndex: request.itemIndex,
			description: code ? `Error code: ${code}` : undefined,
		},
	);
}

function cancelledError(ctx: IExecuteFunctions, itemIndex: number) {
	return new NodeOperationError(ctx.getNode(), new ExecutionCancelledError(), { itemIndex });
}

/**
 * The one place that talks to the GetFileURL API: authenticated by the credential, bounded by a
 * timeout, and retried with backoff on rate limits, server errors and network failures only.
 * Every failure becomes a NodeApiError with the item index; no request header is ever kept.
 */
export async function requestApi(
	ctx: IExecuteFunctions,
	request: ApiRequest,
): Promise<ApiResponse> {
	const policy = request.retryPolicy ?? DEFAULT_RETRY_POLICY;
	const baseURL = await baseUrlOf(ctx, request.itemIndex);

	for (let attempt = 1; ; attempt++) {
		if (isCancelled(ctx)) throw cancelledError(ctx, request.itemIndex);

		const requestBody = request.body ? await request.body() : undefined;
		let response: FullResponse;
		try {
			response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
				method: request.method,
				baseURL,
				url: request.path,
				body: requestBody,
				json: true,
				timeout: request.timeoutMs,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// Following redirects would make axios keep a copy of the whole upload body.
				disableFollowRedirect: true,
			})) as FullResponse;
		} catch (error) {
			if (isCancelled(ctx)) throw cancelledError(ctx, request.itemIndex);

			const code = networkCodeOf(error);
			if (!isRetryableNetworkCode(code)) throw requestFailed(ctx, error, code, request);
			const delayMs = retryDelayMs(attempt, policy, undefined);
			if (delayMs === undefined) throw networkError(ctx, code, request);

			ctx.logger.debug('GetFileURL request failed, retrying', { attempt, delayMs, code });
			await pauseBeforeRetry(ctx, delayMs, request.itemIndex);
			continue;
		}

		const { statusCode: status, body, headers } = response;
		if ((status >= 200 && status < 300) || request.acceptStatuses?.includes(status)) {
			return { status, body, headers };
		}

		const delayMs = isRetryableStatus(status)
			? retryDelayMs(attempt, policy, parseRetryAfter(headers['retry-after'], Date.now()))
			: undefined;
		if (delayMs === undefined) {
			const details = parseApiError(status, body, headers);
			const { message, description } = describeApiError(details);
			throw new NodeApiError(ctx.getNode(), apiErrorResponse(details), {
				message,
				description,
				httpCode: String(status),
				itemIndex: request.itemIndex,
			});
		}

		ctx.logger.debug('GetFileURL answered with a temporary error, retrying', {
			attempt,
			delayMs,
			status,
		});
		await pauseBeforeRetry(ctx, delayMs, request.itemIndex);
	}
}

async function pauseBeforeRetry(ctx: IExecuteFunctions, delayMs: number, itemIndex: number) {
	try {
		await sleepUnlessCancelled(ctx, delayMs);
	} catch {
		// The only way a sleep ends early is the execution being cancelled.
		throw cancelledError(ctx, itemIndex);
	}
}

/** Encodes a file ID as one path segment, so that no ID can reach another endpoint. */
export function filePath(fileId: string): string {
	return `/v1/files/${encodeURIComponent(fileId)}`;
}

export interface DownloadOptions {
	timeoutMs: number;
	maxBytes: number;
	itemIndex: number;
}

export interface DownloadedFile {
	/** The bytes: a stream when the server announced the length, else collected in memory. */
	content: AsyncIterable<Uint8Array> | Buffer;
	size: number;
	contentType?: string;
	fileName?: string;
}

/** URL without query and fragment, which may carry tokens and must not reach error messages. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.origin}${parsed.pathname}`;
	} catch {
		return '(invalid URL)';
	}
}

function fileNameFromDisposition(header: unknown): string | undefined {
	if (typeof header !== 'string') return undefined;
	const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)?.[1];
	if (extended) {
		try {
			return decodeURIComponent(extended.trim());
		} catch {
			// A malformed extended name falls back to the plain one.
		}
	}
	return /filename\s*=\s*"?([^";]+)"?/i.exec(header)?.[1]?.trim();
}

function fileNameFromUrl(url: string): string | undefined {
	const last = new URL(url).pathname.split('/').filter(Boolean).pop();
	if (!last) return undefined;
	try {
		return decodeURIComponent(last);
	} catch {
		return last;
	}
}

async function collect(stream: AsyncIterable<Uint8Array>, maxBytes: number, tooLarge: () => Error) {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		size += chunk.length;
		if (size > maxBytes) throw tooLarge();
		chunks.push(Buffer.from(chunk));
	}
	return Buffer.concat(chunks, size);
}

/**
 * Downloads a remote file for upload. It deliberately reads no credential: the GetFileURL key
 * must never reach another host.
 */
export async function downloadFile(
	ctx: IExecuteFunctions,
	url: string,
	options: DownloadOptions,
): Promise<DownloadedFile> {
	const shown = redactUrl(url);
	const fail = (message: string, description: string) =>
		new NodeOperationError(ctx.getNode(), message, {
			description,
			itemIndex: options.itemIndex,
		});
	const tooLarge = () =>
		fail(
			`The file at ${shown} is larger than the ${options.maxBytes} bytes allowed`,
			'Raise "Max Download Size" in the node options, or upload a smaller file.',
		);

	let response: FullResponse;
	try {
		response = (await ctx.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'stream',
			timeout: options.timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as FullResponse;
	} catch (error) {
		if (isCancelled(ctx)) throw cancelledError(ctx, options.itemIndex);
		throw fail(
			`Could not download ${shown} (${networkCodeOf(error) ?? 'network error'})`,
			'Check that the URL is reachable from n8n, or raise the timeout in the node options.',
		);
	}

	const stream = response.body as AsyncIterable<Uint8Array> & { destroy?: () => void };
	if (response.statusCode < 200 || response.statusCode >= 300) {
		stream.destroy?.();
		throw fail(
			`Downloading ${shown} failed with status ${response.statusCode}`,
			'Check that the URL points at the file itself and needs no login.',
		);
	}

	const announced = Number(response.headers['content-length']);
	const contentType = response.headers['content-type'];
	const file = {
		contentType: typeof contentType === 'string' ? contentType : undefined,
		fileName:
			fileNameFromDisposition(response.headers['content-disposition']) ?? fileNameFromUrl(url),
	};

	if (Number.isInteger(announced) && announced >= 0) {
		if (announced > options.maxBytes) {
			stream.destroy?.();
			throw tooLarge();
		}
		return { ...file, content: stream, size: announced };
	}

	const content = await collect(stream, options.maxBytes, tooLarge);
	return { ...file, content, size: content.length };
}
