import { UploadFileToUrl } from '../../nodes/UploadFileToUrl/UploadFileToUrl.node';
import { runNode } from '../harness';
import type { RunNodeOptions } from '../harness';
import { API_KEY, fetchPublic, patternedBytes, sha256, useContractServer } from './setup';

const context = useContractServer();

function upload(options: Partial<RunNodeOptions> & { parameters: RunNodeOptions['parameters'] }) {
	return runNode({ nodeType: new UploadFileToUrl(), credentials: context.credentials, ...options });
}

const pdf = patternedBytes(300_000);

describe('Upload File to URL: sources', () => {
	it.each(['filesystem', 'default'] as const)(
		'uploads a binary field (%s binary mode) and the URL serves the same bytes',
		async (binaryMode) => {
			const { items, status } = await upload({
				binaryMode,
				parameters: { source: 'binary', binaryPropertyName: 'data', expiry: '1h' },
				items: [
					{
						json: { invoice: 42 },
						binary: { data: { data: pdf, fileName: 'invoice.pdf', mimeType: 'application/pdf' } },
					},
				],
			});

			expect(status).toBe('success');
			expect(items).toHaveLength(1);
			const { json } = items[0];
			expect(json).toEqual({
				invoice: 42,
				url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/f\//),
				file_id: expect.stringMatching(/^f_/),
				expires_at: expect.any(String),
				size: pdf.length,
				content_type: 'application/pdf',
				file_name: 'invoice.pdf',
				binary_field: 'data',
			});
			expect(items[0].binary).toBeUndefined();
			expect(items[0].pairedItem).toEqual({ item: 0 });

			const served = await fetchPublic(json.url as string);
			expect(served.status).toBe(200);
			expect(sha256(served.bytes)).toBe(sha256(pdf));
			expect(served.headers.get('content-type')).toBe('application/pdf');
			expect(context.server.inventory().uploads).toBe(1);
		},
	);

	it('uploads every named binary field of an item, one output item each, in order', async () => {
		const image = patternedBytes(1000, 3);
		const { items } = await upload({
			parameters: { source: 'binary', binaryPropertyName: '*', expiry: '15m' },
			items: [
				{
					json: {},
					binary: {
						data: { data: pdf, fileName: 'a.pdf', mimeType: 'application/pdf' },
						image: { data: image, fileName: 'b.png', mimeType: 'image/png' },
					},
				},
			],
		});

		expect(items.map((item) => item.json.binary_field)).toEqual(['data', 'image']);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		const served = await fetchPublic(items[1].json.url as string);
		expect(sha256(served.bytes)).toBe(sha256(image));
	});

	it('keeps the input binary when asked', async () => {
		const { items, readBinary } = await upload({
			parameters: {
				source: 'binary',
				binaryPropertyName: 'data',
				expiry: '1h',
				options: { keepBinary: true },
			},
			items: [{ json: {}, binary: { data: { data: pdf, fileName: 'a.pdf' } } }],
		});

		expect(sha256(await readBinary(items[0], 'data'))).toBe(sha256(pdf));
	});

	it('uploads base64 text, with its data: prefix removed and the type taken from it', async () => {
		const text = Buffer.from('hello, OCR');
		const { items } = await upload({
			parameters: {
				source: 'base64',
				base64Data: `data:text/plain;base64,${text.toString('base64')}`,
				fileName: 'note',
				expiry: '15m',
			},
		});

		expect(items[0].json).toMatchObject({
			file_name: 'note',
			content_type: 'text/plain',
			size: text.length,
			binary_field: null,
		});
		expect((await fetchPublic(items[0].json.url as string)).bytes).toEqual(text);
	});

	it('downloads a file URL without the API key and uploads the same bytes', async () => {
		const first = await upload({
			parameters: { source: 'binary', binaryPropertyName: 'data', expiry: '1h' },
			items: [{ json: {}, binary: { data: { data: pdf, fileName: 'source.pdf' } } }],
		});
		const sourceUrl = first.items[0].json.url as string;

		const { items } = await upload({
			parameters: { source: 'url', fileUrl: sourceUrl, expiry: '15m' },
		});

		expect(items[0].json).toMatchObject({ file_name: 'source.pdf', size: pdf.length });
		expect(sha256((await fetchPublic(items[0].json.url as string)).bytes)).toBe(sha256(pdf));
		const download = context.server
			.inventory()
			.requests.find((request) => request.method === 'GET' && request.path.startsWith('/f/'));
		expect(download?.hadAuthorization).toBe(false);
	});

	it('keeps awkward file names exact', async () => {
		const fileName = 'Q3 "final" \\ Übersicht – 報告 ✓.pdf';
		const { items } = await upload({
			parameters: {
				source: 'binary',
				binaryPropertyName: 'data',
				expiry: '1h',
				options: { fileName },
			},
			items: [{ json: {}, binary: { data: { data: pdf, fileName: 'x.pdf' } } }],
		});

		expect(items[0].json.file_name).toBe(fileName);
		expect(context.server.inventory().files[0].file_name).toBe(fileName);
	});
});

describe('Upload File to URL: expiry', () => {
	const base64 = { source: 'base64', base64Data: 'aGk=', fileName: 'hi.txt' };

	it.each([
		['15m', 15 * 60_000],
		['1h', 3_600_000],
		['24h', 86_400_000],
		['7d', 7 * 86_400_000],
	])('sends the preset %s and reports when the URL expires', async (expiry, lifetimeMs) => {
		const before = Date.now();
		const { items } = await upload({ parameters: { ...base64, expiry } });

		const expiresAt = Date.parse(items[0].json.expires_at as string);
		expect(expiresAt).toBeGreaterThanOrEqual(before + lifetimeMs - 1000);
		expect(expiresAt).toBeLessThanOrEqual(Date.now() + lifetimeMs + 1000);
		expect(context.server.inventory().files[0].expires_at).toBe(items[0].json.expires_at);
	});

	it('sends a custom amount and unit', async () => {
		await upload({
			parameters: { ...base64, expiry: 'custom', expiryAmount: 45, expiryUnit: 'm' },
		});
		const [file] = context.server.inventory().files;
		expect(Date.parse(file.expires_at!) - Date.parse(file.created_at)).toBe(45 * 60_000);
	});

	it("sends no expiry for the account's default, and reports expires_at as null", async () => {
		const { items } = await upload({ parameters: { ...base64, expiry: 'accountDefault' } });
		expect(items[0].json.expires_at).toBeNull();
		expect(context.server.inventory().files[0].expires_at).toBeNull();
	});

	it.each([
		['a custom amount of 0', { expiry: 'custom', expiryAmount: 0, expiryUnit: 'h' }],
		['an expression giving seconds', { expiry: '90s' }],
		['more than 365 days', { expiry: 'custom', expiryAmount: 400, expiryUnit: 'd' }],
	])('refuses %s before any request, showing the accepted forms', async (_, expiry) => {
		const { error, status } = await upload({ parameters: { ...base64, ...expiry } });

		expect(status).toBe('error');
		expect(error?.message).toMatch(/^Invalid expiry/);
		expect(error?.description).toContain('30m, 24h or 7d');
		expect(context.server.inventory().uploadAttempts).toBe(0);
	});

	it('the URL stops serving once the expiry has passed', async () => {
		const { items } = await upload({ parameters: { ...base64, expiry: '15m' } });
		context.server.advanceTime(15 * 60_000 + 1);
		expect((await fetchPublic(items[0].json.url as string)).status).toBe(410);
	});

	it('derives expires_at from the request time when the API leaves it out', async () => {
		context.server.setKnobs({ variant: { expiresAt: 'omit', sizeKey: 'size_bytes' } });
		const before = Date.now();
		const { items } = await upload({ parameters: { ...base64, expiry: '1h' } });

		const expiresAt = Date.parse(items[0].json.expires_at as string);
		expect(expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
		expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
		expect(items[0].json.size).toBe(2);
	});
});

describe('Upload File to URL: bad input', () => {
	it('names the missing binary field and the fields that exist', async () => {
		const { error } = await upload({
			parameters: { source: 'binary', binaryPropertyName: 'file', expiry: '1h' },
			items: [{ json: {}, binary: { data: { data: pdf, fileName: 'a.pdf' } } }],
		});
		expect(error?.message).toBe('The item has no binary field "file"');
		expect(error?.description).toContain('Binary fields on this item: data');
	});

	it('refuses invalid base64 and a missing file name before any request', async () => {
		const notBase64 = await upload({
			parameters: { source: 'base64', base64Data: 'not base64!', fileName: 'a.txt', expiry: '1h' },
		});
		const noName = await upload({
			// An expression that gives nothing, as n8n refuses to run a literally empty File Name.
			parameters: { source: 'base64', base64Data: 'aGk=', fileName: '={{ "" }}', expiry: '1h' },
		});

		expect(notBase64.error?.message).toBe('The Base64 Data is empty or not valid base64');
		expect(noName.error?.message).toBe('A file name is needed for base64 data');
		expect(context.server.inventory().uploadAttempts).toBe(0);
	});

	it('refuses a content type that could break the request', async () => {
		const { error } = await upload({
			parameters: {
				source: 'base64',
				base64Data: 'aGk=',
				fileName: 'a.txt',
				contentType: 'text/plain\r\nX-Injected: 1',
				expiry: '1h',
			},
		});
		expect(error?.message).toMatch(/is not a valid content type/);
	});

	it('refuses a URL source that is not http(s), and a download that fails', async () => {
		const notHttp = await upload({
			parameters: { source: 'url', fileUrl: 'file:///etc/passwd', expiry: '1h' },
		});
		const missing = await upload({
			parameters: { source: 'url', fileUrl: `${context.server.url}/f/nope/x.pdf`, expiry: '1h' },
		});

		expect(notHttp.error?.message).toBe('"file:///etc/passwd" is not an http(s) URL');
		expect(missing.error?.message).toMatch(/^Downloading .* failed with status 404$/);
		expect(context.server.inventory().uploadAttempts).toBe(0);
	});

	it('refuses a download larger than the size cap', async () => {
		const first = await upload({
			parameters: { source: 'binary', binaryPropertyName: 'data', expiry: '1h' },
			items: [
				{
					json: {},
					binary: { data: { data: patternedBytes(2 * 1024 * 1024), fileName: 'big.bin' } },
				},
			],
		});
		const { error } = await upload({
			parameters: {
				source: 'url',
				fileUrl: first.items[0].json.url as string,
				expiry: '1h',
				options: { maxDownloadSizeMb: 1 },
			},
		});

		expect(error?.message).toMatch(/is larger than the 1048576 bytes allowed/);
		expect(context.server.inventory().uploadAttempts).toBe(1);
	});

	it('with Continue On Fail, a bad item becomes a paired error item; the rest upload', async () => {
		const { items, status } = await upload({
			continueOnFail: true,
			parameters: { source: 'binary', binaryPropertyName: 'data', expiry: '1h' },
			items: [
				{ json: { n: 0 }, binary: { data: { data: pdf, fileName: 'a.pdf' } } },
				{ json: { n: 1 } },
				{ json: { n: 2 }, binary: { data: { data: pdf, fileName: 'c.pdf' } } },
			],
		});

		expect(status).toBe('success');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.n).toBe(0);
		expect(items[1].json).toEqual({
			error: 'The item has no binary field "data"',
			details: 'The item has no binary data at all: check the node before this one.',
		});
		expect(items[2].json.n).toBe(2);
	});

	it('keeps output order and pairing whatever the concurrency', async () => {
		context.server.setKnobs({ delayMs: 30 });
		const inputs = Array.from({ length: 8 }, (_, n) => ({
			json: { n },
			binary: { data: { data: patternedBytes(1000 + n), fileName: `${n}.bin` } },
		}));
		const { items } = await upload({
			parameters: {
				source: 'binary',
				binaryPropertyName: 'data',
				expiry: '1h',
				options: { concurrency: 4 },
			},
			items: inputs,
		});

		expect(items.map((item) => item.json.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
		expect(items.map((item) => item.json.size)).toEqual(inputs.map((_, n) => 1000 + n));
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([
			0, 1, 2, 3, 4, 5, 6, 7,
		]);
	});
});

describe('Upload File to URL: API errors and retries', () => {
	const base64 = { source: 'base64', base64Data: 'aGk=', fileName: 'hi.txt', expiry: '1h' };

	it('retries server errors with backoff and succeeds with a single stored file', async () => {
		context.server.setKnobs({ failNext: { count: 2, status: 503 } });
		const { items, status } = await upload({ parameters: base64 });

		expect(status).toBe('success');
		expect(items[0].json.file_id).toBeDefined();
		expect(context.server.inventory()).toMatchObject({ uploadAttempts: 3, uploads: 1 });
	});

	it('retries a dropped connection with a fresh body', async () => {
		context.server.setKnobs({ dropNext: 1 });
		const { items } = await upload({
			parameters: { source: 'binary', binaryPropertyName: 'data', expiry: '1h' },
			items: [{ json: {}, binary: { data: { data: pdf, fileName: 'a.pdf' } } }],
		});

		expect(sha256((await fetchPublic(items[0].json.url as string)).bytes)).toBe(sha256(pdf));
		expect(context.server.inventory().uploads).toBe(1);
	});

	it.each([[1], ['http-date' as const]])(
		'waits for Retry-After (%s) on a rate limit, then succeeds',
		async (retryAfter) => {
			context.server.setKnobs({ rateLimitNext: { count: 1, retryAfter } });
			const started = Date.now();
			const { status } = await upload({ parameters: base64 });

			expect(status).toBe('success');
			expect(Date.now() - started).toBeGreaterThanOrEqual(900);
			expect(context.server.inventory().uploadAttempts).toBe(2);
		},
	);

	it('gives up after 4 attempts and says the rate limit was reached', async () => {
		context.server.setKnobs({ rateLimitNext: { count: 10, retryAfter: 0 } });
		const { error } = await upload({ parameters: base64 });

		expect(error?.message).toBe('GetFileURL rate limit reached, retries exhausted');
		expect(context.server.inventory().uploadAttempts).toBe(4);
	});

	it.each([
		['invalid_expiry', 400, 'GetFileURL refused the expiry'],
		['missing_file', 400, 'GetFileURL received no file'],
		['unsupported_type', 415, 'GetFileURL does not accept this content type'],
		['file_too_large', 413, 'The file is larger than GetFileURL accepts'],
	])(
		'reports %s (%d) once, without retrying, with the request id',
		async (code, statusCode, message) => {
			context.server.setKnobs({ failNext: { count: 1, status: statusCode, code } });
			const { error } = await upload({ parameters: base64 });

			expect(error?.message).toBe(message);
			expect(error?.description).toMatch(/Request ID: req_/);
			expect((error as { httpCode?: string }).httpCode).toBe(String(statusCode));
			expect(context.server.inventory().uploadAttempts).toBe(1);
		},
	);

	it.each(['nested', 'flat', 'text'] as const)('reads the %s error shape', async (errorShape) => {
		context.server.setKnobs({
			variant: { errorShape },
			failNext: { count: 1, status: 413, code: 'file_too_large' },
		});
		const { error } = await upload({ parameters: base64 });
		expect(error?.message).toBe('The file is larger than GetFileURL accepts');
	});

	it('refuses a real refused content type with 415', async () => {
		const { error } = await upload({
			parameters: { ...base64, contentType: 'application/x-msdownload' },
		});
		expect(error?.message).toBe('GetFileURL does not accept this content type');
	});

	it('refuses a wrong key without retrying, and never shows the key', async () => {
		const { error, items } = await runNode({
			nodeType: new UploadFileToUrl(),
			credentials: { apiKey: 'wrong-secret-key', baseUrl: context.server.url },
			parameters: base64,
		});

		expect(error?.message).toBe('GetFileURL refused the API key');
		expect(error?.description).toContain('Check the API key');
		expect(context.server.inventory().uploadAttempts).toBe(1);
		expect(JSON.stringify({ error, items })).not.toContain('wrong-secret-key');
	});

	it('reports a forbidden key', async () => {
		const { error } = await runNode({
			nodeType: new UploadFileToUrl(),
			credentials: { apiKey: 'forbidden-key', baseUrl: context.server.url },
			parameters: base64,
		});
		expect(error?.message).toBe('The GetFileURL API key is not allowed to do this');
	});

	it('reports an unreachable server after retrying, without the key', async () => {
		const { error } = await runNode({
			nodeType: new UploadFileToUrl(),
			credentials: { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9' },
			parameters: base64,
		});
		expect(error?.message).toBe('Could not reach GetFileURL: the connection was refused');
		expect(JSON.stringify(error)).not.toContain(API_KEY);
	}, 20_000);

	it('times out a server that does not answer', async () => {
		context.server.setKnobs({ delayMs: 3000 });
		const { error } = await upload({
			parameters: { ...base64, options: { timeout: 1 } },
		});
		expect(error?.message).toBe('GetFileURL did not answer within 1 seconds');
	}, 30_000);
});
