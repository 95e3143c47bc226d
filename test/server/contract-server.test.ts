/* eslint-disable
	@n8n/community-nodes/no-dangerous-functions,
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { parse as parseContentDisposition } from 'content-disposition';
import FormData from 'form-data';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import {
	type ContractServer,
	type KnobsUpdate,
	type ResponseVariant,
	startContractServer,
} from './index';

const API_KEY = 'test-key';
const MiB = 1024 * 1024;

let server: ContractServer;
let api: AxiosInstance;

beforeAll(async () => {
	server = await startContractServer();
	api = apiClient(server.url);
});
afterEach(() => server.reset());
afterAll(() => server.close());

describe('multipart upload', () => {
	it('answers 201 with the file id, public URL, name, type, size and creation time', async () => {
		const response = await upload(Buffer.from('hello'), { fileName: 'hello.txt' });

		expect(response.status).toBe(201);
		expect(response.data).toEqual({
			file_id: expect.stringMatching(/^f_[A-Za-z0-9_-]{24}$/),
			url: `${server.url}/f/${response.data.file_id}/hello.txt`,
			file_name: 'hello.txt',
			content_type: 'text/plain',
			size: 5,
			created_at: expect.any(String),
		});
		expect(Date.parse(response.data.created_at)).toBeGreaterThan(Date.now() - 60_000);
	});

	it('serves the exact bytes at the URL, with type, length and an inline disposition', async () => {
		const content = Buffer.from(Array.from({ length: 5000 }, (_, index) => index % 256));

		const { data } = await upload(content, { fileName: 'bytes.bin', contentType: 'image/png' });
		const fetched = await fetchPublic(data.url);

		expect(fetched.status).toBe(200);
		expect(sha256(fetched.data)).toBe(sha256(content));
		expect(fetched.headers['content-type']).toBe('image/png');
		expect(fetched.headers['content-length']).toBe('5000');
		expect(parseContentDisposition(fetched.headers['content-disposition'])).toEqual({
			type: 'inline',
			parameters: { filename: 'bytes.bin' },
		});
	});

	it('answers HEAD on the URL with the same headers and no body', async () => {
		const { data } = await upload(Buffer.from('twelve bytes'), { fileName: 'a.txt' });

		const head = await fetchPublic(data.url, 'HEAD');

		expect(head.status).toBe(200);
		expect(head.headers['content-length']).toBe('12');
		expect(head.data.length).toBe(0);
	});

	it.each([
		['before', false],
		['after', true],
	])('accepts expires_in %s the file part', async (_order, expiresInAfterFile) => {
		const response = await upload(Buffer.from('x'), { expiresIn: '15m', expiresInAfterFile });

		expect(response.status).toBe(201);
		const lifetimeMs = Date.parse(response.data.expires_at) - Date.parse(response.data.created_at);
		expect(lifetimeMs).toBe(15 * 60 * 1000);
	});

	it('keeps the first `file` part and ignores other parts', async () => {
		const form = new FormData();
		form.append('note', 'not a file');
		form.append('attachment', Buffer.from('other'), { filename: 'other.txt' });
		form.append('file', Buffer.from('first'), { filename: 'first.txt', contentType: 'text/plain' });
		form.append('file', Buffer.from('second'), { filename: 'second.txt' });

		const response = await postForm(form);

		expect(response.status).toBe(201);
		expect((await fetchPublic(response.data.url)).data.toString()).toBe('first');
	});

	it('answers 400 missing_file when no part is named `file`', async () => {
		const form = new FormData();
		form.append('upload', Buffer.from('x'), { filename: 'x.txt' });
		form.append('expires_in', '1h');

		const response = await postForm(form);

		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe('missing_file');
	});

	it('answers 400 invalid_request to a body that is neither multipart nor JSON', async () => {
		const response = await api.post('/v1/files', 'hello', {
			headers: { 'Content-Type': 'text/plain' },
		});

		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe('invalid_request');
		expect(response.data.error.message).toMatch(/multipart\/form-data.*application\/json/);
	});
});

describe('JSON upload', () => {
	it('stores bare base64 and serves the decoded bytes', async () => {
		const content = Buffer.from('%PDF-1.7 not really');

		const response = await api.post('/v1/files', {
			filename: 'doc.pdf',
			content_type: 'application/pdf',
			base64: content.toString('base64'),
			expires_in: '1h',
		});
		const fetched = await fetchPublic(response.data.url);

		expect(response.status).toBe(201);
		expect(response.data).toMatchObject({ file_name: 'doc.pdf', size: content.length });
		expect(sha256(fetched.data)).toBe(sha256(content));
		expect(fetched.headers['content-type']).toBe('application/pdf');
		expect(server.inventory().files[0].upload_form).toBe('json');
	});

	it.each([
		['a data: URL', 'data:text/plain;base64,aGVsbG8=', /data:/],
		['URL-safe base64', 'aGV-bG_v', /alphabet/],
		['line breaks', 'aGVs\nbG8=', /alphabet/],
		['missing padding', 'aGVsbG8', /padded/],
	])('answers 400 invalid_request to %s', async (_kind, base64, message) => {
		const response = await api.post('/v1/files', jsonFile({ base64 }));

		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe('invalid_request');
		expect(response.data.error.message).toMatch(message);
	});

	it.each([
		['empty', ''],
		['absent', undefined],
	])('answers 400 missing_file when base64 is %s', async (_kind, base64) => {
		const response = await api.post('/v1/files', jsonFile({ base64 }));

		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe('missing_file');
	});

	it('answers 400 invalid_request to a body that is not JSON', async () => {
		const response = await api.post('/v1/files', '{"filename":', {
			headers: { 'Content-Type': 'application/json' },
		});

		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe('invalid_request');
	});

	it('answers 413 file_too_large to a JSON body over 64 MiB', async () => {
		const response = await api.post('/v1/files', Buffer.alloc(64 * MiB + 1, 0x20), {
			headers: { 'Content-Type': 'application/json' },
		});

		expect(response.status).toBe(413);
		expect(response.data.error.code).toBe('file_too_large');
	});
});

describe('file names', () => {
	// [what, name as the client has it, name in the URL and Content-Disposition]
	it.each([
		['double quotes', 'say "hi".txt', 'say "hi".txt'],
		['a backslash', 'back\\slash.txt', 'slash.txt'],
		['a trailing backslash', 'ends-with\\', 'file'],
		['CR and LF', 'line\r\nbreak.txt', 'line\r\nbreak.txt'],
		['non-ASCII letters and emoji', 'Grüße 日本 🙂.txt', 'Grüße 日本 🙂.txt'],
		['a Windows path', 'C:\\Users\\me\\report.pdf', 'report.pdf'],
		['semicolons and equals signs', 'a; filename=b.txt', 'a; filename=b.txt'],
		['a literal percent escape', '100%41 %20.txt', '100%41 %20.txt'],
		['300 characters', `${'n'.repeat(296)}.txt`, `${'n'.repeat(296)}.txt`],
	])('keeps a name with %s exactly as form-data sent it', async (_what, fileName, publicName) => {
		const { status, data } = await upload(Buffer.from('x'), { fileName });
		const fetched = await fetchPublic(data.url);

		expect(status).toBe(201);
		expect(data.file_name).toBe(fileName);
		expect(server.inventory().files[0].file_name).toBe(fileName);
		expect(decodeURIComponent(data.url.split('/').pop())).toBe(publicName);
		expect(dispositionFileName(fetched)).toBe(publicName);
	});

	it('keeps path separators in the stored name and serves the last segment', async () => {
		const form = new FormData();
		form.append('file', Buffer.from('x'), { filepath: 'reports/2024/q1.pdf' });

		const { data } = await postForm(form);

		expect(data.file_name).toBe('reports/2024/q1.pdf');
		expect(data.url).toBe(`${server.url}/f/${data.file_id}/q1.pdf`);
	});

	it.each([
		['after', `filename="fallback.txt"; filename*=UTF-8''%C3%A9t%C3%A9.txt`],
		['before', `filename*=UTF-8''%C3%A9t%C3%A9.txt; filename="fallback.txt"`],
	])('prefers filename* (RFC 5987) over filename when it comes %s', async (_order, parameters) => {
		const form = formWithFilePart(`form-data; name="file"; ${parameters}`);

		const { data } = await postForm(form);

		expect(data.file_name).toBe('été.txt');
	});

	it('answers 400 invalid_request to a file part without a filename', async () => {
		const form = formWithFilePart('form-data; name="file"', 'application/octet-stream');

		const response = await postForm(form);

		expect(response.status).toBe(400);
		expect(response.data.error.message).toMatch(/no filename/);
	});
});

describe('errors', () => {
	it.each([
		['unauthorized', 401, () => upload(Buffer.from('x'), { apiKey: null })],
		['unauthorized', 401, () => upload(Buffer.from('x'), { apiKey: 'wrong-key' })],
		['forbidden', 403, () => upload(Buffer.from('x'), { apiKey: 'forbidden-key' })],
		['missing_file', 400, () => api.post('/v1/files', jsonFile({ base64: '' }))],
		['unsupported_type', 415, () => upload(Buffer.from('x'), { contentType: 'application/x-sh' })],
		['invalid_expiry', 400, () => upload(Buffer.from('x'), { expiresIn: '2 weeks' })],
		['not_found', 404, () => api.delete('/v1/files/f_doesnotexist')],
		['invalid_request', 400, () => api.post('/v1/files', 'x', { headers: textPlain })],
		['rate_limited', 429, () => uploadAfterSettingKnobs({ rateLimitNext: { count: 1 } })],
		['internal_error', 500, () => uploadAfterSettingKnobs({ failNext: { count: 1, status: 500 } })],
		['gone', 410, () => deleteTwice({ goneStatus: 410 })],
		// file_too_large (413): see 'size limit', which needs a server with a small limit.
	])('answers %s with %i', async (code, status, act) => {
		const response = await act();

		expect(response.status).toBe(status);
		expect(response.data).toEqual({
			error: { code, message: expect.any(String), request_id: response.headers['x-request-id'] },
		});
	});

	it('gives every answer an X-Request-Id, successes and public fetches included', async () => {
		const uploaded = await upload(Buffer.from('x'));
		const fetched = await fetchPublic(uploaded.data.url);

		for (const response of [uploaded, fetched]) {
			expect(response.headers['x-request-id']).toMatch(/^req_[A-Za-z0-9_-]+$/);
		}
		expect(uploaded.headers['x-request-id']).not.toBe(fetched.headers['x-request-id']);
	});

	it('words errors as {"code", "message"} in the flat variant', async () => {
		server.setKnobs({ variant: { errorShape: 'flat' } });

		const response = await upload(Buffer.from('x'), { apiKey: null });

		expect(response.status).toBe(401);
		expect(response.data).toEqual({ code: 'unauthorized', message: expect.any(String) });
	});

	it('words errors as a plain-text message in the text variant', async () => {
		server.setKnobs({ variant: { errorShape: 'text' } });

		const response = await api.post('/v1/files', 'x', {
			headers: { ...textPlain, Authorization: 'Bearer wrong-key' },
			responseType: 'text',
		});

		expect(response.status).toBe(401);
		expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
		expect(response.data).toMatch(/API key/);
	});

	it('never repeats the API key in an answer', async () => {
		const response = await upload(Buffer.from('x'), { apiKey: 'secret-but-wrong' });

		expect(JSON.stringify(response.data)).not.toContain('secret-but-wrong');
	});

	it('answers 401 before reading a large body, and reads none of it', async () => {
		const response = await upload(Buffer.alloc(20 * MiB), { apiKey: null });

		expect(response.status).toBe(401);
		expect(server.inventory().bytesReceived).toBe(0);
	});
});

describe('expiry', () => {
	it.each([
		['1m', 60_000],
		['15m', 15 * 60_000],
		['1h', 3_600_000],
		['24h', 24 * 3_600_000],
		['7d', 7 * 86_400_000],
		['8760h', 365 * 86_400_000],
		['365d', 365 * 86_400_000],
	])(
		'accepts expires_in %s and sets expires_at that far after created_at',
		async (expiresIn, ms) => {
			const { status, data } = await upload(Buffer.from('x'), { expiresIn });

			expect(status).toBe(201);
			expect(Date.parse(data.expires_at) - Date.parse(data.created_at)).toBe(ms);
		},
	);

	it.each(['0m', '01h', '30s', '1.5h', '1H', '1', 'h', '-1h', ' 1h', '1 h', '366d', '525601m', ''])(
		'refuses expires_in %p with 400 invalid_expiry naming the accepted forms',
		async (expiresIn) => {
			const response = await upload(Buffer.from('x'), { expiresIn });

			expect(response.status).toBe(400);
			expect(response.data.error.code).toBe('invalid_expiry');
			expect(response.data.error.message).toMatch(/30m, 24h, 7d/);
			expect(server.inventory().files).toEqual([]);
		},
	);

	it('refuses a number as expires_in in a JSON upload', async () => {
		const response = await api.post('/v1/files', jsonFile({ expires_in: 3600 }));

		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe('invalid_expiry');
	});

	it('without expires_in, omits expires_at from the answer, null in the inventory', async () => {
		const { data } = await upload(Buffer.from('x'));

		expect(data).not.toHaveProperty('expires_at');
		expect(server.inventory().files[0].expires_at).toBeNull();
	});

	it('stops serving the URL once the server clock passes expires_at', async () => {
		const { data } = await upload(Buffer.from('x'), { expiresIn: '1h' });

		server.advanceTime(59 * 60_000);
		const beforeExpiry = await fetchPublic(data.url);
		server.advanceTime(60_000);
		const atExpiry = await fetchPublic(data.url);

		expect(beforeExpiry.status).toBe(200);
		expect(atExpiry.status).toBe(410);
	});
});

describe('delete', () => {
	it('answers 200 {file_id, deleted, deleted_at} and stops serving the URL at once', async () => {
		const { data } = await upload(Buffer.from('x'));

		const deleted = await api.delete(`/v1/files/${data.file_id}`);
		const fetched = await fetchPublic(data.url);

		expect(deleted.status).toBe(200);
		expect(deleted.data).toEqual({
			file_id: data.file_id,
			deleted: true,
			deleted_at: expect.any(String),
		});
		expect(fetched.status).toBe(410);
	});

	it('answers 204 without a body in the 204 variant', async () => {
		server.setKnobs({ variant: { deleteStatus: 204 } });
		const { data } = await upload(Buffer.from('x'));

		const deleted = await api.delete(`/v1/files/${data.file_id}`, { responseType: 'text' });

		expect(deleted.status).toBe(204);
		expect(deleted.data).toBe('');
	});

	it.each([
		[404, 'not_found'],
		[410, 'gone'],
	] as const)('answers %i %s to a second delete of the same id', async (goneStatus, code) => {
		const again = await deleteTwice({ goneStatus });

		expect(again.status).toBe(goneStatus);
		expect(again.data.error.code).toBe(code);
	});

	it.each(['f_doesnotexist', 'f_a%2Fb', '%E0%A4%A'])(
		'answers 404 not_found to the unknown id %s, even in the 410 variant',
		async (fileId) => {
			server.setKnobs({ variant: { goneStatus: 410 } });

			const response = await api.delete(`/v1/files/${fileId}`);

			expect(response.status).toBe(404);
			expect(response.data.error.code).toBe('not_found');
		},
	);

	it('deletes an expired file like a live one', async () => {
		const { data } = await upload(Buffer.from('x'), { expiresIn: '1m' });
		server.advanceTime(2 * 60_000);

		const deleted = await api.delete(`/v1/files/${data.file_id}`);

		expect(deleted.status).toBe(200);
	});

	it('answers 403 to a delete with a key without rights', async () => {
		const { data } = await upload(Buffer.from('x'));

		const response = await api.delete(`/v1/files/${data.file_id}`, {
			headers: { Authorization: 'Bearer forbidden-key' },
		});

		expect(response.status).toBe(403);
		expect(server.inventory().files[0].deleted_at).toBeNull();
	});
});

describe('public URL', () => {
	it('answers 404 to an unknown id and to a name that does not match', async () => {
		const { data } = await upload(Buffer.from('x'), { fileName: 'right.txt' });

		const unknownId = await fetchPublic(`${server.url}/f/f_doesnotexist/right.txt`);
		const wrongName = await fetchPublic(`${server.url}/f/${data.file_id}/wrong.txt`);

		expect(unknownId.status).toBe(404);
		expect(wrongName.status).toBe(404);
	});

	it('builds URLs on publicBaseUrl when one is given', async () => {
		const cdn = await startContractServer({ publicBaseUrl: 'https://cdn.example.test/' });

		const { data } = await upload(Buffer.from('x'), { fileName: 'a b.txt' }, apiClient(cdn.url));
		await cdn.close();

		expect(data.url).toBe(`https://cdn.example.test/f/${data.file_id}/a%20b.txt`);
	});
});

describe('response variants', () => {
	it.each([
		['size_bytes', { size_bytes: 3 }],
		['none', {}],
	] as const)('gives the size under the %s key', async (sizeKey, sizeField) => {
		server.setKnobs({ variant: { sizeKey } });

		const { data } = await upload(Buffer.from('abc'));

		expect(data).not.toHaveProperty('size');
		expect(data).toMatchObject(sizeField);
	});

	it('omits expires_at in the omit variant even when an expiry was set', async () => {
		server.setKnobs({ variant: { expiresAt: 'omit' } });

		const { data } = await upload(Buffer.from('x'), { expiresIn: '1h' });

		expect(data).not.toHaveProperty('expires_at');
		expect(server.inventory().files[0].expires_at).not.toBeNull();
	});
});

describe('size limit', () => {
	let small: ContractServer;
	let storageDir: string;
	let smallApi: AxiosInstance;

	beforeAll(async () => {
		storageDir = mkdtempSync(join(tmpdir(), 'contract-server-test-'));
		small = await startContractServer({ maxFileSize: MiB, storageDir });
		smallApi = apiClient(small.url);
	});
	afterEach(() => small.reset());
	afterAll(async () => {
		await small.close();
		rmSync(storageDir, { recursive: true, force: true });
	});

	it('accepts a file of exactly maxFileSize bytes', async () => {
		const response = await upload(Buffer.alloc(MiB), {}, smallApi);

		expect(response.status).toBe(201);
	});

	it('answers 413 mid-upload, removes the partial file and keeps working', async () => {
		const tooLarge = await upload(Buffer.alloc(8 * MiB), {}, smallApi);
		const next = await upload(Buffer.from('still here'), {}, smallApi);

		expect(tooLarge.status).toBe(413);
		expect(tooLarge.data.error.code).toBe('file_too_large');
		expect(small.inventory().bytesReceived).toBeLessThan(2 * MiB);
		expect(next.status).toBe(201);
		expect(readdirSync(storageDir).sort()).toEqual(
			small
				.inventory()
				.files.map((file) => file.file_id)
				.sort(),
		);
	});

	it('answers 413 to a JSON upload whose decoded file is too large', async () => {
		const base64 = Buffer.alloc(MiB + 1).toString('base64');

		const response = await smallApi.post('/v1/files', jsonFile({ base64 }));

		expect(response.status).toBe(413);
	});
});

describe('a too-large file streamed in chunks, as n8n streams a stored binary', () => {
	// Far below the body: the answer goes out while most of the body is still on its way.
	const maxFileSize = 64 * 1024;
	let limited: ContractServer;

	beforeAll(async () => {
		limited = await startContractServer({ maxFileSize });
	});
	afterEach(() => limited.reset());
	afterAll(() => limited.close());

	it.each([
		['Connection: close', false],
		['keep-alive', true],
	])(
		'is answered 413 file_too_large, which the client reads (%s); the server keeps serving',
		async (_connection, keepAlive) => {
			const agent = new Agent({ keepAlive });
			const size = 3 * MiB;

			const tooLarge = await postForm(
				formStreaming(chunksWithTicks(size), size),
				apiClient(limited.url, agent),
			);
			const next = await upload(Buffer.from('still here'), {}, apiClient(limited.url));
			agent.destroy();

			expect(tooLarge.status).toBe(413);
			expect(tooLarge.data.error.code).toBe('file_too_large');
			expect(next.status).toBe(201);
		},
	);

	it('is cut off once the server discarded 4 MiB of it; the server keeps serving', async () => {
		const size = 256 * MiB;
		let bytesSent = 0;
		const chunks = chunksWithTicks(size, (count) => (bytesSent += count));

		await sendUntilClosed(limited.url, formStreaming(chunks, size));
		const next = await upload(Buffer.from('still here'), {}, apiClient(limited.url));

		// The file limit, 4 MiB discarded, and what the sockets buffer: far from the whole body.
		expect(bytesSent).toBeLessThan(64 * MiB);
		expect(next.status).toBe(201);
	});
});

describe('refused content types', () => {
	it.each(['application/x-sh', 'Application/X-MSDownload; name=x.exe'])(
		'answers 415 unsupported_type to a %s file',
		async (contentType) => {
			const response = await upload(Buffer.from('MZ'), { contentType });

			expect(response.status).toBe(415);
			expect(response.data.error.code).toBe('unsupported_type');
		},
	);

	it('answers 415 to a refused file streamed in chunks, and keeps serving', async () => {
		const size = 3 * MiB;

		const refused = await postForm(formStreaming(chunksWithTicks(size), size, 'application/x-sh'));
		const next = await upload(Buffer.from('still here'));

		expect(refused.status).toBe(415);
		expect(refused.data.error.code).toBe('unsupported_type');
		expect(next.status).toBe(201);
	});

	it('answers 415 to a JSON upload of a refused type', async () => {
		const response = await api.post('/v1/files', jsonFile({ content_type: 'application/x-sh' }));

		expect(response.status).toBe(415);
	});
});

describe('knobs', () => {
	it('rateLimitNext answers 429 with Retry-After in seconds, then lets requests by', async () => {
		server.setKnobs({ rateLimitNext: { count: 2, retryAfter: 3 } });

		const first = await upload(Buffer.from('x'));
		const second = await upload(Buffer.from('x'));
		const third = await upload(Buffer.from('x'));

		expect([first.status, second.status, third.status]).toEqual([429, 429, 201]);
		expect(first.data.error.code).toBe('rate_limited');
		expect(first.headers['retry-after']).toBe('3');
	});

	it('rateLimitNext sends Retry-After: 1 by default', async () => {
		server.setKnobs({ rateLimitNext: { count: 1 } });

		const response = await upload(Buffer.from('x'));

		expect(response.headers['retry-after']).toBe('1');
	});

	it('rateLimitNext can send Retry-After as an HTTP date one to two seconds ahead', async () => {
		server.setKnobs({ rateLimitNext: { count: 1, retryAfter: 'http-date' } });

		const response = await upload(Buffer.from('x'));

		const waitMs = Date.parse(response.headers['retry-after']) - Date.now();
		expect(response.headers['retry-after']).toMatch(/^\w{3}, \d{2} \w{3} \d{4} [\d:]{8} GMT$/);
		expect(waitMs).toBeGreaterThan(0);
		expect(waitMs).toBeLessThanOrEqual(2000);
	});

	it('rateLimitNext with retryAfter null sends no Retry-After', async () => {
		server.setKnobs({ rateLimitNext: { count: 1, retryAfter: null } });

		const response = await upload(Buffer.from('x'));

		expect(response.status).toBe(429);
		expect(response.headers).not.toHaveProperty('retry-after');
	});

	it('failNext answers its status and code, with Retry-After when asked', async () => {
		server.setKnobs({
			failNext: { count: 1, status: 503, code: 'service_unavailable', retryAfter: 2 },
		});

		const failed = await upload(Buffer.from('x'));
		const next = await upload(Buffer.from('x'));

		expect(failed.status).toBe(503);
		expect(failed.data.error.code).toBe('service_unavailable');
		expect(failed.headers['retry-after']).toBe('2');
		expect(next.status).toBe(201);
	});

	it('applies dropNext, then rateLimitNext, then failNext, one request each', async () => {
		server.setKnobs({
			dropNext: 1,
			rateLimitNext: { count: 1 },
			failNext: { count: 1, status: 502 },
		});

		const statuses = [];
		for (let attempt = 0; attempt < 4; attempt++) {
			statuses.push(
				await api.delete('/v1/files/f_x').then(
					(response) => response.status,
					(error) => error.code,
				),
			);
		}

		expect(statuses).toEqual(['ECONNRESET', 429, 502, 404]);
	});

	it('dropNext cuts an upload mid-body: the client sees a socket error and no answer', async () => {
		server.setKnobs({ dropNext: 1 });

		const dropped = await upload(Buffer.alloc(4 * MiB)).catch((error) => error);
		const next = await upload(Buffer.from('x'));
		const inventory = server.inventory();

		expect(dropped).toBeInstanceOf(Error);
		expect(dropped.response).toBeUndefined();
		expect(next.status).toBe(201);
		expect(inventory.requests.map((request) => request.status)).toEqual([0, 201]);
		expect(inventory.uploadAttempts).toBe(2);
		expect(inventory.bytesReceived).toBeGreaterThan(0);
	});

	it('delayMs holds every /v1 answer back that long', async () => {
		server.setKnobs({ delayMs: 300 });

		const startedAt = Date.now();
		const response = await api.delete('/v1/files/f_x');
		const elapsedMs = Date.now() - startedAt;

		expect(response.status).toBe(404);
		expect(elapsedMs).toBeGreaterThanOrEqual(280);
		expect(elapsedMs).toBeLessThan(3000);
	});

	it('leaves public file fetches alone', async () => {
		const { data } = await upload(Buffer.from('x'));
		server.setKnobs({ failNext: { count: 1, status: 500 }, dropNext: 1, delayMs: 2000 });

		const startedAt = Date.now();
		const fetched = await fetchPublic(data.url);

		expect(fetched.status).toBe(200);
		expect(Date.now() - startedAt).toBeLessThan(1000);
	});
});

describe('inventory', () => {
	it('counts attempts, successes and body bytes; records every request but control', async () => {
		const form = fileForm(Buffer.from('counted'), { fileName: 'c.txt' });
		const bodyLength = form.getLengthSync();
		const uploaded = await postForm(form);
		await upload(Buffer.from('x'), { apiKey: null });
		await api.delete(`/v1/files/${uploaded.data.file_id}`);
		await api.delete('/v1/files/f_unknown');
		await fetchPublic(uploaded.data.url, 'GET', { Authorization: 'Bearer test-key' });
		await axios.get(`${server.url}/__control/inventory`);

		const inventory = server.inventory();

		expect(inventory).toMatchObject({
			uploads: 1,
			uploadAttempts: 2,
			deletes: 1,
			deleteAttempts: 2,
		});
		expect(inventory.bytesReceived).toBe(bodyLength);
		expect(inventory.files).toEqual([
			expect.objectContaining({
				file_name: 'c.txt',
				size: 7,
				sha256: sha256(Buffer.from('counted')),
				deleted_at: expect.any(String),
				upload_form: 'multipart',
			}),
		]);
		expect(
			inventory.requests.map(({ method, status, hadAuthorization }) => [
				method,
				status,
				hadAuthorization,
			]),
		).toEqual([
			['POST', 201, true],
			['POST', 401, false],
			['DELETE', 200, true],
			['DELETE', 404, true],
			['GET', 410, true],
		]);
		expect(inventory.requests[0].contentType).toMatch(/^multipart\/form-data; boundary=/);
	});

	it('hands out a copy that the caller cannot use to change the server', async () => {
		await upload(Buffer.from('x'));

		server.inventory().files[0].deleted_at = 'tampered';

		expect(server.inventory().files[0].deleted_at).toBeNull();
	});

	it('is emptied by reset, which also restores the knobs and the clock', async () => {
		await upload(Buffer.from('x'), { expiresIn: '1m' });
		server.setKnobs({ failNext: { count: 5, status: 500 } });
		server.advanceTime(3_600_000);

		server.reset();
		const { status, data } = await upload(Buffer.from('x'));

		expect(status).toBe(201);
		expect(Math.abs(Date.parse(data.created_at) - Date.now())).toBeLessThan(60_000);
		expect(server.inventory().files).toHaveLength(1);
	});
});

describe('HTTP control endpoints', () => {
	const control = () =>
		axios.create({ baseURL: `${server.url}/__control`, validateStatus: () => true });

	it('GET /__control/inventory returns the inventory', async () => {
		await upload(Buffer.from('x'));

		const response = await control().get('/inventory');

		expect(response.status).toBe(200);
		expect(response.data).toEqual(server.inventory());
	});

	it('POST /__control/knobs sets knobs, merging a partial variant', async () => {
		const response = await control().post('/knobs', {
			rateLimitNext: { count: 1, retryAfter: 'http-date' },
			variant: { deleteStatus: 204 },
		});
		const limited = await upload(Buffer.from('x'));

		expect(response.status).toBe(200);
		expect(response.data.variant).toEqual({
			sizeKey: 'size',
			expiresAt: 'iso',
			errorShape: 'nested',
			deleteStatus: 204,
			goneStatus: 404,
		});
		expect(limited.status).toBe(429);
	});

	it.each([
		[{ failnext: { count: 1, status: 500 } }, /unknown knob `failnext`/],
		[{ variant: { deleteStatus: 202 } }, /deleteStatus/],
		[{ failNext: { count: 1 } }, /status/],
		[{ delayMs: -1 }, /delayMs/],
	])('POST /__control/knobs refuses %j with 400', async (knobs, message) => {
		const response = await control().post('/knobs', knobs);

		expect(response.status).toBe(400);
		expect(response.data.error.message).toMatch(message);
	});

	it('POST /__control/advance-time moves the clock that expiry uses', async () => {
		const { data } = await upload(Buffer.from('x'), { expiresIn: '1h' });

		const response = await control().post('/advance-time', { ms: 3_600_000 });
		const fetched = await fetchPublic(data.url);

		expect(response.status).toBe(200);
		expect(fetched.status).toBe(410);
	});

	it('POST /__control/reset empties the inventory', async () => {
		await upload(Buffer.from('x'));

		const response = await control().post('/reset');

		expect(response.status).toBe(200);
		expect(server.inventory().files).toEqual([]);
	});
});

describe('streaming a 50 MiB upload', () => {
	const size = 50 * MiB;
	let streamed: ContractServer;
	let storageDir: string;

	beforeAll(async () => {
		storageDir = mkdtempSync(join(tmpdir(), 'contract-server-stream-'));
		streamed = await startContractServer({ storageDir });
	});
	afterEach(() => streamed.reset());
	afterAll(async () => {
		await streamed.close();
		rmSync(storageDir, { recursive: true, force: true });
	});

	it('writes the file to disk while it arrives, and serves it back intact', async () => {
		const source = new GatedSource(size, [20 * MiB]);

		const uploading = postForm(formStreaming(source.chunks(), size), apiClient(streamed.url));
		const bytesOnDiskWhilePaused = await waitFor(() => largestFileIn(storageDir), 16 * MiB);
		source.open();
		const response = await uploading;
		const fetched = await fetchPublic(response.data.url);

		expect(bytesOnDiskWhilePaused).toBeGreaterThanOrEqual(16 * MiB);
		expect(response.status).toBe(201);
		expect(response.data.size).toBe(size);
		expect(streamed.inventory().files[0].sha256).toBe(source.sha256());
		expect(sha256(fetched.data)).toBe(source.sha256());
	}, 60_000);

	it('holds no more in memory after 20 more MiB arrived', async () => {
		const source = new GatedSource(size, [20 * MiB, 40 * MiB]);
		const rssBefore = process.memoryUsage().rss;
		let rssPeak = rssBefore;
		const sampler = setInterval(() => {
			rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
		}, 5);

		const uploading = postForm(formStreaming(source.chunks(), size), apiClient(streamed.url));
		await waitFor(() => streamed.inventory().bytesReceived, 16 * MiB);
		const liveAtFirstPause = await liveMemoryAfterGc();
		source.open();
		await waitFor(() => streamed.inventory().bytesReceived, 36 * MiB);
		const liveAtSecondPause = await liveMemoryAfterGc();
		source.open();
		const response = await uploading;
		clearInterval(sampler);

		// Client and server share this process: a copy of the file would show in both checks.
		expect(response.status).toBe(201);
		expect(liveAtSecondPause - liveAtFirstPause).toBeLessThan(8 * MiB);
		// RSS also counts chunks not yet collected: only a generous bound holds reliably.
		expect(rssPeak - rssBefore).toBeLessThan(size);
	}, 60_000);
});

describe('CLI', () => {
	it('serves with the given key, prints no key, and stops cleanly on SIGTERM', async () => {
		const cli = spawn(
			join(__dirname, '../../node_modules/.bin/tsx'),
			[join(__dirname, 'cli.ts'), '--port', '0', '--api-key', 'demo-key-123'],
			{ stdio: ['ignore', 'pipe', 'pipe'] },
		);
		const exited = new Promise<number | null>((resolve) => cli.on('exit', resolve));

		const line = await firstLine(cli.stdout);
		const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] ?? '';
		const accepted = await upload(Buffer.from('x'), { apiKey: 'demo-key-123' }, apiClient(url));
		const refused = await upload(Buffer.from('x'), {}, apiClient(url));
		cli.kill('SIGTERM');

		expect(line).toMatch(/^GetFileURL contract server on http:\/\/127\.0\.0\.1:\d+ /);
		expect(line).not.toContain('demo-key-123');
		expect(accepted.status).toBe(201);
		expect(refused.status).toBe(401);
		expect(await exited).toBe(0);
	}, 30_000);
});

// --- A client that knows nothing of the server's code: axios and form-data. ---

interface UploadOptions {
	fileName?: string;
	contentType?: string;
	expiresIn?: string;
	expiresInAfterFile?: boolean;
	/** null sends no Authorization header. */
	apiKey?: string | null;
}

const textPlain = { 'Content-Type': 'text/plain' };

function apiClient(baseURL: string, httpAgent?: Agent): AxiosInstance {
	return axios.create({
		baseURL,
		httpAgent,
		headers: { Authorization: `Bearer ${API_KEY}` },
		validateStatus: () => true,
		// Redirect support makes axios keep a copy of the body; the API never redirects.
		maxRedirects: 0,
		maxBodyLength: Infinity,
		maxContentLength: Infinity,
	});
}

function fileForm(content: Buffer, options: UploadOptions = {}): FormData {
	const form = new FormData();
	const appendExpiry = () => {
		if (options.expiresIn !== undefined) form.append('expires_in', options.expiresIn);
	};

	if (!options.expiresInAfterFile) appendExpiry();
	form.append('file', content, {
		filename: options.fileName ?? 'file.txt',
		contentType: options.contentType ?? 'text/plain',
	});
	if (options.expiresInAfterFile) appendExpiry();
	return form;
}

function upload(
	content: Buffer,
	options: UploadOptions = {},
	client: AxiosInstance = api,
): Promise<AxiosResponse> {
	return postForm(fileForm(content, options), client, authorizationFor(options.apiKey));
}

/** Headers that replace the client's default key; a null header is not sent at all. */
function authorizationFor(apiKey: string | null | undefined): Record<string, string | null> {
	if (apiKey === undefined) return {};
	return { Authorization: apiKey === null ? null : `Bearer ${apiKey}` };
}

function postForm(
	form: FormData,
	client: AxiosInstance = api,
	headers: Record<string, string | null> = {},
): Promise<AxiosResponse> {
	return client.post('/v1/files', form, { headers: { ...form.getHeaders(), ...headers } });
}

/** A form whose `file` part carries exactly this Content-Disposition. */
function formWithFilePart(disposition: string, contentType = 'text/plain'): FormData {
	const form = new FormData();
	// A string header replaces form-data's own part header, boundary line included.
	const header =
		`--${form.getBoundary()}\r\n` +
		`Content-Disposition: ${disposition}\r\nContent-Type: ${contentType}\r\n\r\n`;
	form.append('file', Buffer.from('x'), { header });
	return form;
}

function uploadAfterSettingKnobs(knobs: KnobsUpdate): Promise<AxiosResponse> {
	server.setKnobs(knobs);
	return upload(Buffer.from('x'));
}

/** Uploads a file, deletes it, and returns the answer to deleting it again. */
async function deleteTwice(variant: Partial<ResponseVariant>): Promise<AxiosResponse> {
	server.setKnobs({ variant });
	const { data } = await upload(Buffer.from('x'));
	await api.delete(`/v1/files/${data.file_id}`);
	return api.delete(`/v1/files/${data.file_id}`);
}

function jsonFile(fields: Record<string, unknown>): Record<string, unknown> {
	return {
		filename: 'file.txt',
		content_type: 'text/plain',
		base64: Buffer.from('hello').toString('base64'),
		...fields,
	};
}

function fetchPublic(
	url: string,
	method: 'GET' | 'HEAD' = 'GET',
	headers: Record<string, string> = {},
): Promise<AxiosResponse<Buffer>> {
	return axios.request({
		url,
		method,
		headers,
		responseType: 'arraybuffer',
		validateStatus: () => true,
		maxContentLength: Infinity,
	});
}

function dispositionFileName(response: AxiosResponse): string | undefined {
	return parseContentDisposition(response.headers['content-disposition']).parameters.filename;
}

function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** Deterministic bytes that stop at each gate until `open()`, hashed as they are produced. */
class GatedSource {
	private readonly hash = createHash('sha256');
	private readonly gates: Array<{ at: number; opened: Promise<void>; open: () => void }>;

	constructor(
		readonly size: number,
		gateOffsets: number[],
	) {
		this.gates = gateOffsets.map((at) => {
			let open = () => undefined as void;
			const opened = new Promise<void>((resolve) => (open = resolve));
			return { at, opened, open };
		});
	}

	async *chunks(): AsyncGenerator<Buffer> {
		const chunkSize = 64 * 1024;
		for (let offset = 0; offset < this.size; offset += chunkSize) {
			const gate = this.gates.find((candidate) => candidate.at === offset);
			if (gate !== undefined) await gate.opened;
			const chunk = Buffer.alloc(Math.min(chunkSize, this.size - offset), offset / chunkSize);
			this.hash.update(chunk);
			yield chunk;
		}
	}

	/** Opens the first gate still closed. */
	open(): void {
		this.gates.shift()?.open();
	}

	sha256(): string {
		return this.hash.copy().digest('hex');
	}
}

function formStreaming(
	chunks: AsyncIterable<Buffer>,
	size: number,
	contentType = 'application/octet-stream',
): FormData {
	const form = new FormData();
	form.append('file', Readable.from(chunks), {
		filename: 'big.bin',
		contentType,
		knownLength: size,
	});
	return form;
}

/** File bytes as n8n's file store streams them: 256 KiB chunks, the event loop turning between. */
async function* chunksWithTicks(
	size: number,
	onChunk: (byteCount: number) => void = () => undefined,
): AsyncGenerator<Buffer> {
	const chunkSize = 256 * 1024;
	for (let offset = 0; offset < size; offset += chunkSize) {
		await new Promise((resolve) => setImmediate(resolve));
		const chunk = Buffer.alloc(Math.min(chunkSize, size - offset), 1);
		onChunk(chunk.length);
		yield chunk;
	}
}

/**
 * Sends an upload over a bare socket until the server closes it, ignoring any answer. Node's HTTP
 * client stops sending a body once it has read an answer; this client sends on, as one that
 * reads the answer only after the body would.
 */
async function sendUntilClosed(baseUrl: string, form: FormData): Promise<void> {
	const { hostname, port } = new URL(baseUrl);
	const headers = {
		...form.getHeaders(),
		'content-length': form.getLengthSync(),
		authorization: `Bearer ${API_KEY}`,
	};
	const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
	const socket = connect(Number(port), hostname);
	// The cut-off fails the socket; that is the outcome under test, not an error.
	socket.on('error', () => undefined);
	const closed = new Promise((resolve) => socket.on('close', resolve));
	socket.resume();

	socket.write(`POST /v1/files HTTP/1.1\r\nhost: ${hostname}:${port}\r\n${head.join('')}\r\n`);
	form.pipe(socket);
	await closed;
}

/** Heap plus Buffers still referenced after a full collection: what the process really holds. */
async function liveMemoryAfterGc(): Promise<number> {
	setFlagsFromString('--expose-gc');
	const collectGarbage = runInNewContext('gc') as () => void;
	// Buffers' memory is released by a sweep that finishes after the collection returns.
	for (let round = 0; round < 3; round++) {
		collectGarbage();
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	const { heapUsed, arrayBuffers } = process.memoryUsage();
	return heapUsed + arrayBuffers;
}

function largestFileIn(dir: string): number {
	return Math.max(0, ...readdirSync(dir).map((name) => statSync(join(dir, name)).size));
}

/** Polls `measure` until it reaches `target`; returns the value reached. */
async function waitFor(measure: () => number, target: number, timeoutMs = 20_000): Promise<number> {
	const deadline = Date.now() + timeoutMs;
	let value = measure();
	while (value < target && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 20));
		value = measure();
	}
	return value;
}

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
	return new Promise((resolve, reject) => {
		let text = '';
		stream.on('data', (chunk: Buffer) => {
			text += chunk.toString();
			if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
		});
		stream.on('end', () => reject(new Error(`no line printed: ${text}`)));
	});
}
