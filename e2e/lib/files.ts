/* eslint-disable
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const CHUNK_BYTES = 1024 * 1024;

/**
 * Writes `size` random bytes to `path`, a chunk at a time so that a large file never sits in the
 * harness's memory, and returns their SHA-256 (hex).
 */
export async function writeRandomFile(path: string, size: number): Promise<string> {
	const hash = createHash('sha256');
	async function* chunks() {
		for (let written = 0; written < size; written += CHUNK_BYTES) {
			const chunk = randomBytes(Math.min(CHUNK_BYTES, size - written));
			hash.update(chunk);
			yield chunk;
		}
	}
	await pipeline(Readable.from(chunks()), createWriteStream(path));

	return hash.digest('hex');
}

export async function sha256OfFile(path: string): Promise<string> {
	const hash = createHash('sha256');
	await pipeline(createReadStream(path), hash);
	return hash.digest('hex');
}

/** Downloads a URL as a stream and returns its status, byte count and SHA-256 (hex). */
export async function fetchSha256(
	url: string,
	timeoutMs = 300_000,
): Promise<{ status: number; size: number; sha256: string; contentType: string | null }> {
	const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
	const hash = createHash('sha256');
	let size = 0;
	if (response.body) {
		for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
			hash.update(chunk);
			size += chunk.byteLength;
		}
	}

	return {
		status: response.status,
		size,
		sha256: hash.digest('hex'),
		contentType: response.headers.get('content-type'),
	};
}
