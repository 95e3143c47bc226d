import { createHash } from 'node:crypto';

import { UploadFileToUrl } from '../../nodes/UploadFileToUrl/UploadFileToUrl.node';
import { runNode } from '../harness';
import { startContractServer } from '../server';
import type { ContractServer, ContractServerOptions } from '../server';

export const API_KEY = 'test-key';

export function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** Bytes that differ at every position, so a shifted or truncated copy never matches. */
export function patternedBytes(size: number, seed = 7): Buffer {
	const bytes = Buffer.alloc(size);
	for (let index = 0; index < size; index++) bytes[index] = (index * 31 + seed) % 251;
	return bytes;
}

/** What the public URL serves, fetched without any credential, as a consumer would. */
export async function fetchPublic(url: string) {
	const response = await fetch(url);
	return {
		status: response.status,
		headers: response.headers,
		bytes: Buffer.from(await response.arrayBuffer()),
	};
}

/** A contract server shared by a test file, reset before every test. */
export function useContractServer(options: ContractServerOptions = {}) {
	const context = {} as {
		server: ContractServer;
		credentials: { apiKey: string; baseUrl: string };
	};

	beforeAll(async () => {
		context.server = await startContractServer(options);
		context.credentials = { apiKey: API_KEY, baseUrl: context.server.url };
	});
	beforeEach(() => context.server.reset());
	afterAll(async () => await context.server?.close());

	return context;
}

/** Uploads `count` small files through the node, as the files a delete test works on. */
export async function uploadFiles(
	credentials: { apiKey: string; baseUrl: string },
	count: number,
): Promise<Array<{ file_id: string; url: string }>> {
	const { items } = await runNode({
		nodeType: new UploadFileToUrl(),
		credentials,
		parameters: { source: 'base64', base64Data: 'aGk=', fileName: 'hi.txt', expiry: '1h' },
		items: Array.from({ length: count }, (_, n) => ({ json: { n } })),
	});
	return items.map((item) => ({
		file_id: item.json.file_id as string,
		url: item.json.url as string,
	}));
}
