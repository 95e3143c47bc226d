/* eslint-disable
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { parse as parseContentDisposition } from 'content-disposition';
import { Transform, type TransformCallback } from 'node:stream';

/** The file part's own headers, read the way clients write them. */
export interface FilePartHeaders {
	fileName: string | undefined;
	contentType: string | undefined;
}

const EMPTY = Buffer.alloc(0);
const HEADER_END = Buffer.from('\r\n\r\n');
const CLOSE_MARK = Buffer.from('--');
const MAX_HEADER_BYTES = 64 * 1024;

/** What busboy is given in place of the file part's Content-Disposition: always parseable. */
const PLAIN_FILE_DISPOSITION = 'Content-Disposition: form-data; name="file"; filename="file"';

/**
 * Passes a multipart body through to busboy, reading the header block of the part named `file`
 * on the way.
 *
 * busboy reads a quoted `filename` with backslash escapes (`a\\b` becomes `a\b`, and a name
 * ending in `\` makes it drop the whole part) and leaves RFC 7578 escapes (%22, %0D, %0A) as
 * text. Browsers, axios and form-data escape only `"`, CR and LF, by percent-encoding them.
 * content-disposition's multipart mode reads names that way and lets `filename*` win over
 * `filename`, so the name is taken from here, and busboy gets a plain header it cannot refuse.
 */
export class FilePartHeaderReader extends Transform {
	filePart: FilePartHeaders | undefined;

	private readonly delimiter: Buffer;
	/** Bytes held back in case they start a delimiter that the next chunk completes. */
	private carry: Buffer;
	/** The leading bytes of `carry` that are not part of the body. */
	private virtualBytes: number;
	/** The header block being read, or null between headers. */
	private header: Buffer | null = null;
	private scanning = true;

	constructor(boundary: string) {
		super();
		this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
		// The first delimiter has no CRLF before it: pretend it has one, and never emit it.
		this.carry = Buffer.from('\r\n');
		this.virtualBytes = 2;
	}

	_transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		let rest = chunk;
		while (this.scanning && rest.length > 0) {
			rest = this.header === null ? this.seekDelimiter(rest) : this.readHeader(rest);
		}

		if (rest.length > 0) this.push(rest);
		callback();
	}

	_flush(callback: TransformCallback): void {
		this.emitBody(this.header ?? this.carry);
		callback();
	}

	private seekDelimiter(chunk: Buffer): Buffer {
		const window = Buffer.concat([this.carry, chunk]);
		const at = window.indexOf(this.delimiter);
		if (at === -1) {
			const keep = Math.min(window.length, this.delimiter.length - 1);
			this.emitBody(window.subarray(0, window.length - keep));
			this.carry = window.subarray(window.length - keep);
			return EMPTY;
		}

		const afterDelimiter = at + this.delimiter.length;
		this.emitBody(window.subarray(0, afterDelimiter));
		this.carry = EMPTY;
		this.header = EMPTY;
		return window.subarray(afterDelimiter);
	}

	private readHeader(chunk: Buffer): Buffer {
		const block = Buffer.concat([this.header ?? EMPTY, chunk]);
		const end = block.indexOf(HEADER_END);
		const isCloseDelimiter = block.length >= 2 && block.subarray(0, 2).equals(CLOSE_MARK);
		if (isCloseDelimiter || (end === -1 && block.length > MAX_HEADER_BYTES)) {
			this.scanning = false;
			this.header = null;
			return block;
		}

		if (end === -1) {
			this.header = block;
			return EMPTY;
		}

		this.header = null;
		this.push(this.inspectHeaders(block.subarray(0, end)));
		this.push(HEADER_END);
		return block.subarray(end + HEADER_END.length);
	}

	/** Returns the header block to hand on: the file part's gets a plain disposition. */
	private inspectHeaders(block: Buffer): Buffer {
		const lines = block.toString('utf8').split('\r\n');
		const dispositionAt = lines.findIndex((line) => /^content-disposition:/i.test(line));
		if (dispositionAt === -1) return block;

		const disposition = parseContentDisposition(headerValue(lines[dispositionAt]), {
			multipart: true,
		});
		const contentTypeLine = lines.find((line) => /^content-type:/i.test(line));
		const contentType = contentTypeLine === undefined ? undefined : headerValue(contentTypeLine);
		const fileName = disposition.parameters.filename;
		// The same test busboy applies to decide that a part is a file.
		const isFile =
			fileName !== undefined || /^application\/octet-stream\s*(;|$)/i.test(contentType ?? '');
		if (disposition.type !== 'form-data' || disposition.parameters.name !== 'file' || !isFile) {
			return block;
		}

		this.filePart = { fileName, contentType };
		this.scanning = false;
		lines[dispositionAt] = PLAIN_FILE_DISPOSITION;
		return Buffer.from(lines.join('\r\n'), 'utf8');
	}

	private emitBody(bytes: Buffer): void {
		const skip = Math.min(this.virtualBytes, bytes.length);
		this.virtualBytes -= skip;
		if (bytes.length > skip) this.push(bytes.subarray(skip));
	}
}

function headerValue(line: string): string {
	return line.slice(line.indexOf(':') + 1).trim();
}
