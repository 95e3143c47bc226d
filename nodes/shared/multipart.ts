import { randomString } from 'n8n-workflow';

/** The file part of an upload; `open` is called once per attempt, so every retry reads afresh. */
export interface MultipartFile {
	fileName: string;
	contentType: string;
	size: number;
	open: () => Promise<AsyncIterable<Uint8Array>>;
}

const CRLF = '\r\n';

/** RFC 5987 attr-char: what may stand unescaped in `filename*`. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

const FALLBACK_MAX_LENGTH = 150;

/** `filename*` value: UTF-8, percent-encoded, exact for any name. */
export function encodeRfc5987(value: string): string {
	let encoded = '';
	for (const char of value) {
		if (ATTR_CHAR.test(char)) {
			encoded += char;
			continue;
		}
		for (const byte of Buffer.from(char, 'utf8')) {
			encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
		}
	}
	return `UTF-8''${encoded}`;
}

/**
 * A plain-ASCII `filename` for parsers that ignore `filename*`: no quotes, backslashes,
 * control characters or path separators, which parsers treat inconsistently.
 */
export function asciiFallbackFileName(fileName: string): string {
	const safe = fileName.replace(/[^\x20-\x7e]|["\\/%]/g, '_').trim() || 'file';
	if (safe.length <= FALLBACK_MAX_LENGTH) return safe;

	const extension = /\.[A-Za-z0-9]{1,10}$/.exec(safe)?.[0] ?? '';
	return safe.slice(0, FALLBACK_MAX_LENGTH - extension.length) + extension;
}

export function contentDisposition(fieldName: string, fileName?: string): string {
	let header = `Content-Disposition: form-data; name="${fieldName}"`;
	if (fileName !== undefined) {
		header += `; filename="${asciiFallbackFileName(fileName)}"`;
		header += `; filename*=${encodeRfc5987(fileName)}`;
	}
	return header;
}

function textPart(boundary: string, name: string, value: string): string {
	return `--${boundary}${CRLF}${contentDisposition(name)}${CRLF}${CRLF}${value}${CRLF}`;
}

function fileHead(boundary: string, fieldName: string, file: MultipartFile): string {
	return (
		`--${boundary}${CRLF}${contentDisposition(fieldName, file.fileName)}${CRLF}` +
		`Content-Type: ${file.contentType}${CRLF}${CRLF}`
	);
}

/**
 * A multipart/form-data body that n8n's request helper hands to axios as a Blob, which axios
 * streams with a known Content-Length: the file is read chunk by chunk, never held whole.
 */
export class MultipartBody {
	readonly type: string;

	readonly size: number;

	private readonly head: Buffer;

	private readonly tail: Buffer;

	constructor(
		fields: Record<string, string>,
		fileFieldName: string,
		private readonly file: MultipartFile,
		readonly boundary = `n8n-getfileurl-${randomString(24)}`,
	) {
		const textParts = Object.entries(fields).map(([name, value]) =>
			textPart(boundary, name, value),
		);
		this.head = Buffer.from(textParts.join('') + fileHead(boundary, fileFieldName, file), 'utf8');
		this.tail = Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'utf8');
		this.type = `multipart/form-data; boundary=${boundary}`;
		this.size = this.head.length + file.size + this.tail.length;
	}

	get [Symbol.toStringTag]() {
		return 'Blob';
	}

	async *stream(): AsyncGenerator<Uint8Array> {
		yield this.head;

		let sent = 0;
		for await (const chunk of await this.file.open()) {
			sent += chunk.length;
			if (sent > this.file.size) break;
			yield chunk;
		}
		if (sent !== this.file.size) {
			throw new Error(
				`The file "${this.file.fileName}" has ${sent} bytes, not the ${this.file.size} expected`,
			);
		}

		yield this.tail;
	}
}
