/* eslint-disable
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { create as createContentDisposition } from 'content-disposition';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

import { ApiError } from './errors';
import type { FileStore } from './file-store';
import type { StoredFile } from './types';

/**
 * The last segment of the name as sent, as it appears in the public URL and the
 * Content-Disposition. Segments a URL parser would resolve away are replaced.
 */
export function publicNameOf(fileName: string): string {
	const lastSegment = fileName.split(/[/\\]/).pop() ?? '';
	return lastSegment === '' || lastSegment === '.' || lastSegment === '..' ? 'file' : lastSegment;
}

export function publicUrlOf(publicBaseUrl: string, file: StoredFile): string {
	return `${publicBaseUrl}/f/${file.file_id}/${encodeURIComponent(publicNameOf(file.file_name))}`;
}

/**
 * GET or HEAD /f/{file_id}/{name}: the public delivery, which needs no key. The name segment
 * must match, so a client that mangles the URL it was given is caught.
 */
export async function servePublicFile(
	request: IncomingMessage,
	response: ServerResponse,
	path: string,
	store: FileStore,
	now: Date,
): Promise<void> {
	const file = findFile(request.method, path, store);

	if (file.deleted_at !== null) {
		throw new ApiError('gone', `File ${file.file_id} was deleted at ${file.deleted_at}`);
	}
	if (file.expires_at !== null && now.getTime() >= Date.parse(file.expires_at)) {
		throw new ApiError('gone', `File ${file.file_id} expired at ${file.expires_at}`);
	}

	response.writeHead(200, {
		'Content-Type': file.content_type,
		'Content-Length': file.size,
		'Content-Disposition': createContentDisposition(publicNameOf(file.file_name), {
			type: 'inline',
		}),
	});
	if (request.method === 'HEAD') {
		response.end();
		return;
	}

	await pipeline(createReadStream(store.pathOf(file.file_id)), response);
}

function findFile(method: string | undefined, path: string, store: FileStore): StoredFile {
	const [, fileId, name] = /^\/f\/([^/]+)\/([^/]+)$/.exec(path) ?? [];
	const file = fileId === undefined ? undefined : store.get(decodeSegment(fileId) ?? '');
	const isPublished =
		(method === 'GET' || method === 'HEAD') &&
		file !== undefined &&
		decodeSegment(name) === publicNameOf(file.file_name);

	if (!isPublished) throw new ApiError('not_found', `Nothing is published at ${path}`);
	return file;
}

/** A segment that is not valid percent-encoding matches nothing. */
export function decodeSegment(segment: string): string | undefined {
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}
