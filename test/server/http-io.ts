/* eslint-disable
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { ApiError } from './errors';

/** How long, and how much, the server keeps discarding a body it answered early. */
const LINGER_MS = 1000;
const LINGER_BYTES = 4 * 1024 * 1024;

/**
 * Ends an answer that was sent before the body was read (written with `holdEnd`) once the rest
 * of the body has arrived and been discarded, the way a lingering close does; a body that goes
 * on past the linger limits is cut off by destroying the connection.
 *
 * Ending the response hands the connection back to Node, which closes a `Connection: close`
 * connection as soon as the answer is flushed. A socket closed while body bytes still arrive is
 * reset, and the reset destroys the answer before the client reads it: so the end waits.
 */
export function endAfterLingering(request: IncomingMessage, response: ServerResponse): void {
	let discarded = 0;
	const cutOff = () => request.socket.destroy();
	const timer = setTimeout(cutOff, LINGER_MS).unref();

	request.on('data', (chunk: Buffer) => {
		discarded += chunk.length;
		if (discarded > LINGER_BYTES) cutOff();
	});
	// A body that ends in time leaves a keep-alive connection fit for the next request.
	request.on('end', () => {
		clearTimeout(timer);
		response.end();
	});
	request.on('close', () => clearTimeout(timer));
	request.resume();
}

/** Reads a whole body of at most `maxBytes`; larger bodies fail with 413 while unread. */
export function readBody(
	request: IncomingMessage,
	maxBytes: number,
	onBodyBytes: (count: number) => void,
): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;

		const onData = (chunk: Buffer) => {
			onBodyBytes(chunk.length);
			size += chunk.length;
			if (size > maxBytes) {
				stop();
				reject(bodyTooLarge(maxBytes));
				return;
			}
			chunks.push(chunk);
		};
		const onEnd = () => {
			stop();
			resolve(Buffer.concat(chunks));
		};
		const onAborted = () => {
			stop();
			reject(new ApiError('invalid_request', 'The client closed the connection mid-body'));
		};
		const stop = () => {
			request.off('data', onData);
			request.off('end', onEnd);
			request.off('close', onAborted);
			request.pause();
		};

		if (Number(request.headers['content-length']) > maxBytes) {
			reject(bodyTooLarge(maxBytes));
			return;
		}

		request.on('data', onData);
		request.on('end', onEnd);
		request.on('close', onAborted);
	});
}

function bodyTooLarge(maxBytes: number): ApiError {
	return new ApiError(
		'file_too_large',
		`The request body is larger than ${maxBytes} bytes; send large files as multipart/form-data`,
	);
}

/** Destroys the connection once some of the body arrived (or all of an empty one). */
export function dropMidRequest(
	request: IncomingMessage,
	onBodyBytes: (count: number) => void,
): void {
	const drop = () => request.socket.destroy();
	request.once('data', (chunk: Buffer) => {
		onBodyBytes(chunk.length);
		drop();
	});
	request.once('end', drop);
}

/** The Content-Type header without parameters, in lower case ('' when absent). */
export function mediaTypeOf(contentType: string | undefined): string {
	return (contentType ?? '').split(';')[0].trim().toLowerCase();
}
