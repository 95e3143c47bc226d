import { NodeOperationError } from 'n8n-workflow';
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { isValidContentType, resolveContentType, resolveFileName } from '../shared/content-type';
import type { MultipartFile } from '../shared/multipart';
import { downloadFile } from '../shared/transport';
import type { DownloadedFile } from '../shared/transport';

/** One file to upload, with the binary field it came from (null for base64 and URL sources). */
export interface UploadSource extends MultipartFile {
	binaryField: string | null;
	/** Releases what `open` did not consume (a download still open). */
	close?: () => void;
}

export interface SourceOverrides {
	fileName?: string;
	contentType?: string;
}

/** Streams from n8n's binary store read this much at a time. */
const STREAM_CHUNK_BYTES = 256 * 1024;

function userError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
) {
	return new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
}

function checkedContentType(ctx: IExecuteFunctions, itemIndex: number, contentType: string) {
	if (isValidContentType(contentType)) return contentType;
	throw userError(
		ctx,
		itemIndex,
		`"${contentType}" is not a valid content type`,
		'Use the form type/subtype, for example application/pdf or image/png.',
	);
}

async function* once(buffer: Buffer): AsyncGenerator<Uint8Array> {
	yield buffer;
}

/** Field names from "data", "data, image" or "*" (every binary field of the item). */
export function selectBinaryFields(selection: string, available: string[]): string[] {
	const trimmed = selection.trim();
	if (trimmed === '*') return available;
	return [
		...new Set(
			trimmed
				.split(',')
				.map((name) => name.trim())
				.filter(Boolean),
		),
	];
}

export async function binarySources(
	ctx: IExecuteFunctions,
	itemIndex: number,
	selection: string,
	overrides: SourceOverrides,
): Promise<UploadSource[]> {
	const binaries = ctx.getInputData()[itemIndex].binary ?? {};
	const available = Object.keys(binaries);
	const fields = selectBinaryFields(selection, available);

	if (fields.length === 0) {
		throw userError(
			ctx,
			itemIndex,
			available.length === 0 ? 'The item has no binary data' : 'No binary field is named',
			'Put a file on the item first (for example with Read Files from Disk or an HTTP Request ' +
				'that returns a file), and name its field in "Input Binary Field(s)".',
		);
	}
	const missing = fields.filter((field) => !binaries[field]);
	if (missing.length > 0) {
		throw userError(
			ctx,
			itemIndex,
			`The item has no binary field "${missing.join('", "')}"`,
			available.length > 0
				? `Binary fields on this item: ${available.join(', ')}. Set "Input Binary Field(s)" ` +
						'to one of them, a comma-separated list, or * for all.'
				: 'The item has no binary data at all: check the node before this one.',
		);
	}

	return await Promise.all(
		fields.map(async (field) => await binarySource(ctx, itemIndex, field, overrides)),
	);
}

async function binarySource(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	overrides: SourceOverrides,
): Promise<UploadSource> {
	const binary: IBinaryData = ctx.helpers.assertBinaryData(itemIndex, field);
	const fileName = resolveFileName(binary.mimeType, overrides.fileName, binary.fileName);
	const contentType = checkedContentType(
		ctx,
		itemIndex,
		resolveContentType(fileName, overrides.contentType, binary.mimeType),
	);

	if (binary.id) {
		// Stored binaries (filesystem, database, S3) are streamed, so memory does not grow with size.
		const binaryId = binary.id;
		const { fileSize } = await ctx.helpers.getBinaryMetadata(binaryId);
		return {
			binaryField: field,
			fileName,
			contentType,
			size: Number(fileSize),
			open: async () => await ctx.helpers.getBinaryStream(binaryId, STREAM_CHUNK_BYTES),
		};
	}

	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, field);
	return {
		binaryField: field,
		fileName,
		contentType,
		size: buffer.length,
		open: async () => once(buffer),
	};
}

const DATA_URL_PREFIX = /^data:([^;,]*)(;[^,]*)?;base64,/i;

/** Decodes base64 (standard or URL-safe, whitespace allowed, `data:...;base64,` stripped). */
export function decodeBase64(text: string): { bytes: Buffer; contentType?: string } | undefined {
	const trimmed = text.trim();
	const prefix = DATA_URL_PREFIX.exec(trimmed);
	const bare = (prefix ? trimmed.slice(prefix[0].length) : trimmed)
		.replace(/\s+/g, '')
		.replace(/-/g, '+')
		.replace(/_/g, '/');

	if (bare === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(bare) || bare.length % 4 === 1) {
		return undefined;
	}
	return { bytes: Buffer.from(bare, 'base64'), contentType: prefix?.[1] || undefined };
}

export function base64Source(
	ctx: IExecuteFunctions,
	itemIndex: number,
	base64: string,
	fileName: string,
	overrides: SourceOverrides,
): UploadSource {
	const decoded = decodeBase64(base64);
	if (!decoded) {
		throw userError(
			ctx,
			itemIndex,
			'The Base64 Data is empty or not valid base64',
			'Give the file content as base64 text (a data:...;base64, prefix is fine), ' +
				'for example {{ $json.fileBase64 }}.',
		);
	}
	if (!fileName.trim() && !overrides.fileName?.trim()) {
		throw userError(
			ctx,
			itemIndex,
			'A file name is needed for base64 data',
			'Set "File Name", for example report.pdf: its extension also sets the content type.',
		);
	}

	const name = resolveFileName(undefined, overrides.fileName, fileName);
	const contentType = checkedContentType(
		ctx,
		itemIndex,
		resolveContentType(name, overrides.contentType, decoded.contentType),
	);
	return {
		binaryField: null,
		fileName: name,
		contentType,
		size: decoded.bytes.length,
		open: async () => once(decoded.bytes),
	};
}

export function parseHttpUrl(text: string): URL | undefined {
	try {
		const url = new URL(text.trim());
		return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
	} catch {
		return undefined;
	}
}

export async function urlSource(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fileUrl: string,
	overrides: SourceOverrides,
	limits: { timeoutMs: number; maxBytes: number },
): Promise<UploadSource> {
	const url = parseHttpUrl(fileUrl);
	if (!url) {
		throw userError(
			ctx,
			itemIndex,
			`"${fileUrl.slice(0, 200)}" is not an http(s) URL`,
			'Give the full address of the file, starting with https:// or http://.',
		);
	}

	const options = { ...limits, itemIndex };
	const first = await downloadFile(ctx, url.href, options);
	const fileName = resolveFileName(first.contentType, overrides.fileName, first.fileName);
	const contentType = checkedContentType(
		ctx,
		itemIndex,
		resolveContentType(fileName, overrides.contentType, first.contentType),
	);

	let unread: DownloadedFile['content'] | undefined = first.content;
	return {
		binaryField: null,
		fileName,
		contentType,
		size: first.size,
		// The first attempt sends the download already open; a retry downloads the file again.
		open: async () => {
			const content = unread ?? (await downloadFile(ctx, url.href, options)).content;
			unread = undefined;
			return Buffer.isBuffer(content) ? once(content) : content;
		},
		close: () => {
			(unread as { destroy?: () => void } | undefined)?.destroy?.();
			unread = undefined;
		},
	};
}
