import type { IDataObject } from 'n8n-workflow';

import { deriveExpiresAt } from './expiry';

/** What the node sent, used where the API's answer leaves a field out. */
export interface SentFile {
	fileName: string;
	contentType: string;
	size: number;
	binaryField: string | null;
}

/** The stable shape of every upload result, whatever variant the API answered with. */
export interface UploadResult extends IDataObject {
	url: string;
	file_id: string;
	expires_at: string | null;
	size: number;
	content_type: string;
	file_name: string;
	binary_field: string | null;
}

export class UnexpectedAnswerError extends Error {}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function byteCount(value: unknown): number | undefined {
	const count = typeof value === 'string' ? Number(value) : value;
	return typeof count === 'number' && Number.isFinite(count) && count >= 0 ? count : undefined;
}

/** ISO 8601 from an ISO string or epoch seconds/milliseconds; undefined if unreadable. */
export function toIsoTimestamp(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) {
		return new Date(value < 1e12 ? value * 1000 : value).toISOString();
	}
	if (typeof value !== 'string' || value === '') return undefined;

	const time = Date.parse(value);
	return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

export function shapeUploadResult(
	answer: unknown,
	sent: SentFile,
	requestedAt: Date,
	expiresIn: string | undefined,
): UploadResult {
	const body = (answer ?? {}) as IDataObject;
	const url = text(body.url);
	const fileId = text(body.file_id) ?? text(body.id);
	if (!url || !fileId) {
		throw new UnexpectedAnswerError('GetFileURL answered without a url and file_id');
	}

	const expiresAt =
		toIsoTimestamp(body.expires_at) ?? (expiresIn ? deriveExpiresAt(requestedAt, expiresIn) : null);

	return {
		url,
		file_id: fileId,
		expires_at: expiresAt,
		size: byteCount(body.size) ?? byteCount(body.size_bytes) ?? sent.size,
		content_type: text(body.content_type) ?? sent.contentType,
		file_name: text(body.file_name) ?? text(body.filename) ?? sent.fileName,
		binary_field: sent.binaryField,
	};
}

/** Merges a result into the item's JSON, or puts it under `field` when one is named. */
export function placeResult(json: IDataObject, result: IDataObject, field: string): IDataObject {
	const name = field.trim();
	return name === '' ? { ...json, ...result } : { ...json, [name]: result };
}
