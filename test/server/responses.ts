/* eslint-disable
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import type { ServerResponse } from 'node:http';

import { type ApiError, formatRetryAfter } from './errors';
import type { ResponseVariant } from './types';

export interface WriteOptions {
	/** Sends every byte of the answer but leaves the response open, for the caller to end. */
	holdEnd?: boolean;
}

export function writeError(
	response: ServerResponse,
	error: ApiError,
	errorShape: ResponseVariant['errorShape'],
	requestId: string,
	options: WriteOptions = {},
): void {
	if (error.retryAfter !== null) {
		// The real clock, not the server's: the client compares the date with its own clock.
		response.setHeader('Retry-After', formatRetryAfter(error.retryAfter, Date.now()));
	}

	if (errorShape === 'text') {
		writeText(response, error.status, 'text/plain; charset=utf-8', error.message, options);
		return;
	}

	const body =
		errorShape === 'nested'
			? { error: { code: error.code, message: error.message, request_id: requestId } }
			: { code: error.code, message: error.message };
	writeJson(response, error.status, body, options);
}

export function writeJson(
	response: ServerResponse,
	status: number,
	body: unknown,
	options: WriteOptions = {},
): void {
	writeText(response, status, 'application/json; charset=utf-8', JSON.stringify(body), options);
}

export function writeText(
	response: ServerResponse,
	status: number,
	contentType: string,
	text: string,
	options: WriteOptions = {},
): void {
	response.writeHead(status, {
		'Content-Type': contentType,
		'Content-Length': Buffer.byteLength(text),
	});
	if (options.holdEnd) {
		response.write(text);
	} else {
		response.end(text);
	}
}
