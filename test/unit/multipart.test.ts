import busboy from 'busboy';

import { asciiFallbackFileName, encodeRfc5987, MultipartBody } from '../../nodes/shared/multipart';

async function* chunks(...parts: string[]) {
	for (const part of parts) yield Buffer.from(part);
}

async function bodyBytes(body: MultipartBody): Promise<Buffer> {
	const collected: Buffer[] = [];
	for await (const chunk of body.stream()) collected.push(Buffer.from(chunk));
	return Buffer.concat(collected);
}

interface ParsedPart {
	fields: Record<string, string>;
	file?: { name: string; fileName: string; mimeType: string; bytes: Buffer };
}

/** Parses with busboy, an independent parser; preservePath keeps what was sent, separators too. */
async function parse(body: MultipartBody, bytes: Buffer): Promise<ParsedPart> {
	const parsed: ParsedPart = { fields: {} };
	await new Promise<void>((resolve, reject) => {
		const parser = busboy({
			headers: { 'content-type': body.type },
			defParamCharset: 'utf8',
			preservePath: true,
		});
		parser.on('field', (name, value) => (parsed.fields[name] = value));
		parser.on('file', (name, stream, info) => {
			const collected: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => collected.push(chunk));
			stream.on('end', () => {
				parsed.file = {
					name,
					fileName: info.filename ?? '',
					mimeType: info.mimeType,
					bytes: Buffer.concat(collected),
				};
			});
		});
		parser.on('close', resolve);
		parser.on('error', reject);
		parser.end(bytes);
	});
	return parsed;
}

function fileOf(fileName: string, content: string) {
	return {
		fileName,
		contentType: 'text/plain',
		size: Buffer.byteLength(content),
		open: async () => chunks(content),
	};
}

describe('multipart encoding', () => {
	it('encodes fields and a file that a multipart parser reads back exactly', async () => {
		const body = new MultipartBody({ expires_in: '15m' }, 'file', fileOf('a.txt', 'hello'));
		const bytes = await bodyBytes(body);

		expect(bytes.length).toBe(body.size);
		expect(await parse(body, bytes)).toEqual({
			fields: { expires_in: '15m' },
			file: {
				name: 'file',
				fileName: 'a.txt',
				mimeType: 'text/plain',
				bytes: Buffer.from('hello'),
			},
		});
	});

	it.each([
		['quotes', 'say "hi".txt'],
		['backslashes', 'C:\\temp\\x.txt'],
		['CR and LF', 'line1\r\nline2.txt'],
		['non-ASCII', 'Übersicht – 報告 ✓.pdf'],
		['path separators', '../../etc/passwd'],
		['percent signs', '100%25 done.txt'],
		['a very long name', `${'n'.repeat(300)}.txt`],
	])('keeps a file name with %s exact for parsers that read filename*', async (_, fileName) => {
		const body = new MultipartBody({}, 'file', fileOf(fileName, 'x'));
		const parsed = await parse(body, await bodyBytes(body));
		expect(parsed.file?.fileName).toBe(fileName);
	});

	it('gives parsers that ignore filename* a plain-ASCII name without separators', () => {
		expect(asciiFallbackFileName('say "hi".txt')).toBe('say _hi_.txt');
		expect(asciiFallbackFileName('../a\\b\r\n.txt')).toBe('.._a_b__.txt');
		expect(asciiFallbackFileName('Übersicht.pdf')).toBe('_bersicht.pdf');
		expect(asciiFallbackFileName(`${'n'.repeat(300)}.txt`)).toMatch(/^n{146}\.txt$/);
		expect(asciiFallbackFileName('')).toBe('file');
	});

	it('percent-encodes filename* as UTF-8 per RFC 5987', () => {
		expect(encodeRfc5987('a b€.txt')).toBe("UTF-8''a%20b%E2%82%AC.txt");
		expect(encodeRfc5987("it's")).toBe("UTF-8''it%27s");
	});

	it('streams the file in its chunks and gives axios a Blob-like body', async () => {
		const body = new MultipartBody({}, 'file', {
			fileName: 'big.bin',
			contentType: 'application/octet-stream',
			size: 6,
			open: async () => chunks('abc', 'def'),
		});
		const yielded: string[] = [];
		for await (const chunk of body.stream()) yielded.push(Buffer.from(chunk).toString());

		expect(yielded.slice(1, 3)).toEqual(['abc', 'def']);
		expect(Object.prototype.toString.call(body)).toBe('[object Blob]');
		expect(body.type).toMatch(/^multipart\/form-data; boundary=n8n-getfileurl-\w{24}$/);
	});

	it('fails rather than send a body whose length differs from the announced size', async () => {
		const shorter = new MultipartBody({}, 'file', { ...fileOf('a.txt', 'abc'), size: 5 });
		const longer = new MultipartBody({}, 'file', { ...fileOf('a.txt', 'abcdef'), size: 2 });

		await expect(bodyBytes(shorter)).rejects.toThrow(/has 3 bytes, not the 5 expected/);
		await expect(bodyBytes(longer)).rejects.toThrow(/not the 2 expected/);
	});
});
