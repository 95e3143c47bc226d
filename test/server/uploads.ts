/* eslint-disable
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports,
	@n8n/community-nodes/require-node-api-error
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import busboy from 'busboy';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';

import { ApiError } from './errors';
import { parseExpiresIn } from './expiry';
import { FilePartHeaderReader } from './file-part-headers';
import { mediaTypeOf, readBody } from './http-io';

export interface UploadLimits {
	maxFileSize: number;
	/** Lower-case media types. */
	refusedContentTypes: string[];
}

/** A file whose bytes are on disk, not yet registered. */
export interface ReceivedFile {
	fileName: string;
	contentType: string;
	size: number;
	sha256: string;
	/** Already validated. */
	expiresIn: string | undefined;
}

const MAX_JSON_BODY_BYTES = 64 * 1024 * 1024;
const BASE64_ALPHABET_VIOLATION = /[^A-Za-z0-9+/=]/;
const BASE64_SHAPE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Streams the `file` part to `diskPath`, hashing and counting on the way, so that no file is
 * ever held whole in memory. Fails (and removes what was written) as soon as the request
 * shows an error, even mid-file.
 */
export function receiveMultipart(
	request: IncomingMessage,
	diskPath: string,
	limits: UploadLimits,
	onBodyBytes: (count: number) => void,
): Promise<ReceivedFile> {
	return new Promise((resolve, reject) => {
		const boundary = boundaryOf(request.headers['content-type']);
		if (boundary === undefined) {
			reject(new ApiError('invalid_request', 'The multipart/form-data body has no boundary'));
			return;
		}

		const headerReader = new FilePartHeaderReader(boundary);
		const parser = busboy({
			headers: request.headers,
			defParamCharset: 'utf8',
			preservePath: true,
			// busboy signals 'limit' on reaching the limit; a file of exactly maxFileSize is fine.
			limits: { fileSize: limits.maxFileSize + 1 },
		});
		const countBytes = (chunk: Buffer) => onBodyBytes(chunk.length);
		let expiresIn: string | undefined;
		let file: Omit<ReceivedFile, 'expiresIn'> | undefined;
		let fileWritten: Promise<void> = Promise.resolve();
		let fileOnDisk: ReturnType<typeof createWriteStream> | undefined;
		let settled = false;

		const fail = (error: unknown) => {
			if (settled) return;
			settled = true;
			request.off('data', countBytes);
			request.unpipe(headerReader);
			headerReader.unpipe(parser);
			// busboy may be mid-callback (a 'limit' event): let it return before tearing it down.
			process.nextTick(() => parser.destroy());
			fileOnDisk?.destroy();
			void fileWritten.catch(() => undefined).then(() => rm(diskPath, { force: true }));
			reject(error);
		};

		parser.on('field', (name: string, value: string) => {
			if (name !== 'expires_in' || expiresIn !== undefined) return;
			expiresIn = value;
			try {
				parseExpiresIn(value);
			} catch (error) {
				fail(error);
			}
		});

		parser.on('file', (name, stream, info) => {
			// Tearing busboy down mid-part fails the part being read; the upload has failed already.
			stream.on('error', () => undefined);

			// Only the first part named `file` counts; others are read and forgotten.
			if (name !== 'file' || fileOnDisk !== undefined) {
				stream.resume();
				return;
			}

			// busboy saw a rewritten disposition when the reader found the part (see the reader).
			const { filePart } = headerReader;
			const fileName = filePart ? filePart.fileName : info.filename;
			// RFC 7578: a part without a Content-Type is text/plain (busboy's default too).
			const contentType = filePart?.contentType ?? info.mimeType;
			if (!fileName) {
				stream.resume();
				fail(new ApiError('invalid_request', 'The `file` part has no filename'));
				return;
			}
			if (limits.refusedContentTypes.includes(mediaTypeOf(contentType))) {
				stream.resume();
				fail(refusedType(contentType));
				return;
			}

			const hash = createHash('sha256');
			let size = 0;
			stream.on('data', (chunk: Buffer) => {
				hash.update(chunk);
				size += chunk.length;
			});
			stream.on('limit', () => fail(fileTooLarge(limits.maxFileSize)));

			fileOnDisk = createWriteStream(diskPath);
			fileWritten = pipeline(stream, fileOnDisk).then(() => {
				file = { fileName, contentType, size, sha256: hash.digest('hex') };
			});
			fileWritten.catch(fail);
		});

		parser.on('close', () => {
			void fileWritten.then(() => {
				if (settled) return;
				if (file === undefined) {
					fail(new ApiError('missing_file', 'The multipart body has no `file` part'));
					return;
				}
				settled = true;
				request.off('data', countBytes);
				resolve({ ...file, expiresIn });
			}, fail);
		});

		parser.on('error', (error: Error) =>
			fail(new ApiError('invalid_request', `The multipart body is malformed: ${error.message}`)),
		);
		request.on('close', () => {
			if (!request.complete) {
				fail(new ApiError('invalid_request', 'The client closed the connection mid-body'));
			}
		});

		request.on('data', countBytes);
		request.pipe(headerReader).pipe(parser);
	});
}

/** Decodes a small file sent as JSON `{filename, content_type, base64, expires_in?}`. */
export async function receiveJson(
	request: IncomingMessage,
	diskPath: string,
	limits: UploadLimits,
	onBodyBytes: (count: number) => void,
): Promise<ReceivedFile> {
	const body = parseJsonObject(await readBody(request, MAX_JSON_BODY_BYTES, onBodyBytes));

	const fileName = requiredString(body, 'filename');
	const contentType = requiredString(body, 'content_type');
	const bytes = decodeBase64(body.base64);
	const expiresIn = optionalExpiresIn(body.expires_in);

	if (limits.refusedContentTypes.includes(mediaTypeOf(contentType))) {
		throw refusedType(contentType);
	}
	if (bytes.length > limits.maxFileSize) {
		throw fileTooLarge(limits.maxFileSize);
	}

	await writeFile(diskPath, bytes);
	return {
		fileName,
		contentType,
		size: bytes.length,
		sha256: createHash('sha256').update(bytes).digest('hex'),
		expiresIn,
	};
}

function optionalExpiresIn(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	parseExpiresIn(value);
	return value as string;
}

function parseJsonObject(body: Buffer): Record<string, unknown> {
	let value: unknown;
	try {
		value = JSON.parse(body.toString('utf8'));
	} catch {
		throw new ApiError('invalid_request', 'The request body is not valid JSON');
	}

	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new ApiError('invalid_request', 'The request body must be a JSON object');
	}
	return value as Record<string, unknown>;
}

function requiredString(body: Record<string, unknown>, key: string): string {
	const value = body[key];
	if (typeof value !== 'string' || value === '') {
		throw new ApiError('invalid_request', `\`${key}\` is required and must be a string`);
	}
	return value;
}

function decodeBase64(value: unknown): Buffer {
	if (value === undefined || value === null || value === '') {
		throw new ApiError('missing_file', 'The JSON body has no `base64` file content');
	}
	if (typeof value !== 'string') {
		throw new ApiError('invalid_request', '`base64` must be a string');
	}
	if (value.startsWith('data:')) {
		throw new ApiError(
			'invalid_request',
			'`base64` must be bare base64, without a `data:...;base64,` prefix',
		);
	}
	if (BASE64_ALPHABET_VIOLATION.test(value)) {
		throw new ApiError(
			'invalid_request',
			'`base64` has characters outside the base64 alphabet (A-Z, a-z, 0-9, +, /, =)',
		);
	}
	if (value.length % 4 !== 0 || !BASE64_SHAPE.test(value)) {
		throw new ApiError(
			'invalid_request',
			'`base64` is not padded base64: its length must be a multiple of 4, `=` only at the end',
		);
	}
	return Buffer.from(value, 'base64');
}

function boundaryOf(contentType: string | undefined): string | undefined {
	const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
	return match?.[1] ?? match?.[2];
}

function refusedType(contentType: string): ApiError {
	return new ApiError('unsupported_type', `Files of type ${contentType} are not accepted`);
}

function fileTooLarge(maxFileSize: number): ApiError {
	return new ApiError('file_too_large', `The file is larger than ${maxFileSize} bytes`);
}
