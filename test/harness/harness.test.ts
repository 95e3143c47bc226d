/* eslint-disable
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports,
	@n8n/community-nodes/require-node-api-error
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { runNode } from './index';

function describeNode(
	name: string,
	extra: Partial<INodeTypeDescription> = {},
): INodeTypeDescription {
	return {
		displayName: name,
		name,
		group: ['transform'],
		version: 1,
		description: `Test-only node: ${name}`,
		defaults: { name },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
		...extra,
	};
}

function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

function patternedBytes(size: number): Buffer {
	const bytes = Buffer.alloc(size);
	for (let index = 0; index < size; index++) bytes[index] = (index * 31 + 7) % 251;
	return bytes;
}

/** Reports what it received of each item's `data` binary: id, metadata, and the bytes' hash. */
class BinaryEcho implements INodeType {
	description = describeNode('Binary Echo');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		for (const [index, item] of this.getInputData().entries()) {
			const binary = this.helpers.assertBinaryData(index, 'data');

			let bytes: Buffer;
			let metadata: IDataObject | null = null;
			if (binary.id) {
				const chunks: Buffer[] = [];
				for await (const chunk of await this.helpers.getBinaryStream(binary.id, 64 * 1024)) {
					chunks.push(chunk as Buffer);
				}
				bytes = Buffer.concat(chunks);
				metadata = { ...(await this.helpers.getBinaryMetadata(binary.id)) };
			} else {
				bytes = await this.helpers.getBinaryDataBuffer(index, 'data');
			}

			output.push({
				json: { id: binary.id ?? null, size: bytes.length, sha256: sha256(bytes), metadata },
				binary: item.binary,
				pairedItem: { item: index },
			});
		}
		return [output];
	}
}

/** Posts to `<baseUrl>/echo` through n8n's authenticated request helper. */
class AuthenticatedEcho implements INodeType {
	description = describeNode('Authenticated Echo', {
		credentials: [{ name: 'getFileUrlApi', required: true }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('getFileUrlApi');
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'getFileUrlApi', {
			method: 'POST',
			url: `${baseUrl}/echo`,
			body: { hello: 'world' },
			json: true,
			timeout: 5000,
		})) as IDataObject;
		return [[{ json: response, pairedItem: { item: 0 } }]];
	}
}

/** Needs a file name that has no default. */
class RequiresFileName implements INodeType {
	description = describeNode('Requires File Name', {
		properties: [
			{ displayName: 'File Name', name: 'fileName', type: 'string', default: '', required: true },
		],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			[{ json: { fileName: this.getNodeParameter('fileName', 0) }, pairedItem: { item: 0 } }],
		];
	}
}

/** Fails each item whose JSON has `fail: true`, the way n8n nodes honour Continue On Fail. */
class FailFlagged implements INodeType {
	description = describeNode('Fail Flagged');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		for (const [index, item] of this.getInputData().entries()) {
			try {
				if (item.json.fail === true) {
					throw new NodeOperationError(this.getNode(), `Item ${index} is flagged to fail`, {
						itemIndex: index,
					});
				}
				output.push({ json: { passed: index }, pairedItem: { item: index } });
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				output.push({ json: { error: (error as Error).message }, pairedItem: { item: index } });
			}
		}
		return [output];
	}
}

/** Throws for the whole input at once, before producing any item. */
class AlwaysThrows implements INodeType {
	description = describeNode('Always Throws');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new NodeOperationError(this.getNode(), 'Nothing works today');
	}
}

/** Waits up to 30 s, and stops as soon as the execution is cancelled. */
class WaitForCancel implements INodeType {
	description = describeNode('Wait For Cancel');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const signal = this.getExecutionCancelSignal();
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(resolve, 30_000);
			signal?.addEventListener('abort', () => {
				clearTimeout(timer);
				reject(new NodeOperationError(this.getNode(), 'Stopped waiting: execution cancelled'));
			});
		});
		return [this.getInputData()];
	}
}

describe('binary data', () => {
	const large = patternedBytes(300 * 1024);
	const small = Buffer.from('small file');
	const items = [
		{ json: { name: 'large' }, binary: { data: { data: large, fileName: 'large.bin' } } },
		{
			json: { name: 'small' },
			binary: { data: { data: small, fileName: 'small.txt', mimeType: 'text/plain' } },
		},
	];

	test('in filesystem mode each binary arrives with an id and streams its exact bytes', async () => {
		const result = await runNode({ nodeType: new BinaryEcho(), parameters: {}, items });

		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json)).toEqual([
			{
				id: expect.stringMatching(
					/^filesystem-v2:workflows\/[^/]+\/executions\/\d+\/binary_data\/[0-9a-f-]{36}$/,
				),
				size: large.length,
				sha256: sha256(large),
				metadata: { fileName: 'large.bin', mimeType: 'application/octet-stream', fileSize: 307200 },
			},
			{
				id: expect.stringMatching(/^filesystem-v2:/),
				size: small.length,
				sha256: sha256(small),
				metadata: { fileName: 'small.txt', mimeType: 'text/plain', fileSize: small.length },
			},
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		// The stored binary carries a mode marker, not the bytes.
		expect(result.items[0].binary?.data.data).toBe('filesystem-v2');
		expect(await result.readBinary(result.items[0], 'data')).toEqual(large);
	});

	test('in default mode binaries stay inline, without an id', async () => {
		const result = await runNode({
			nodeType: new BinaryEcho(),
			parameters: {},
			items,
			binaryMode: 'default',
		});

		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json.id)).toEqual([null, null]);
		expect(result.items.map((item) => item.json.sha256)).toEqual([sha256(large), sha256(small)]);
		expect(result.items[1].binary?.data.data).toBe(small.toString('base64'));
		expect(await result.readBinary(result.items[1], 'data')).toEqual(small);
	});
});

describe('credentials', () => {
	let server: Server;
	let baseUrl: string;
	const requests: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders }> = [];

	beforeAll(async () => {
		server = createServer((request, response) => {
			requests.push({ method: request.method, url: request.url, headers: request.headers });
			request.resume();
			request.on('end', () => {
				const authorized = request.headers.authorization === 'Bearer right-key';
				response.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' });
				response.end(JSON.stringify(authorized ? { echoed: true } : { code: 'unauthorized' }));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});

	beforeEach(() => {
		requests.length = 0;
	});

	test('httpRequestWithAuthentication sends the API key as a Bearer token', async () => {
		const result = await runNode({
			nodeType: new AuthenticatedEcho(),
			parameters: {},
			credentials: { apiKey: 'right-key', baseUrl },
		});

		expect(result.status).toBe('success');
		expect(result.items).toEqual([{ json: { echoed: true }, pairedItem: { item: 0 } }]);
		expect(requests).toEqual([
			{
				method: 'POST',
				url: '/echo',
				headers: expect.objectContaining({ authorization: 'Bearer right-key' }),
			},
		]);
	});

	test('a rejected key fails the run with the NodeApiError n8n wraps around it', async () => {
		const result = await runNode({
			nodeType: new AuthenticatedEcho(),
			parameters: {},
			credentials: { apiKey: 'wrong-key', baseUrl },
		});

		expect(result.status).toBe('error');
		expect(result.items).toEqual([]);
		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '401' });
	});

	test('a node that requires credentials fails when none are given', async () => {
		const result = await runNode({ nodeType: new AuthenticatedEcho(), parameters: {} });

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Node does not have any credentials set');
		expect(requests).toEqual([]);
	});
});

describe('parameters', () => {
	test('parameters reach the node through n8n, expressions resolved per item', async () => {
		const result = await runNode({
			nodeType: new RequiresFileName(),
			parameters: { fileName: '={{ $json.name }}.pdf' },
			items: [{ json: { name: 'invoice' } }],
		});

		expect(result.items.map((item) => item.json)).toEqual([{ fileName: 'invoice.pdf' }]);
	});

	test('a missing required parameter rejects the run, naming the parameter', async () => {
		await expect(runNode({ nodeType: new RequiresFileName(), parameters: {} })).rejects.toThrow(
			/fileName/,
		);
	});
});

describe('errors', () => {
	const items = [{ json: { fail: false } }, { json: { fail: true } }, { json: { fail: false } }];

	test('with continueOnFail a failing item becomes an error item paired with its input', async () => {
		const result = await runNode({
			nodeType: new FailFlagged(),
			parameters: {},
			items,
			continueOnFail: true,
		});

		expect(result.status).toBe('success');
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{ json: { passed: 0 }, pairedItem: { item: 0 } },
			{ json: { error: 'Item 1 is flagged to fail' }, pairedItem: { item: 1 } },
			{ json: { passed: 2 }, pairedItem: { item: 2 } },
		]);
	});

	test('without continueOnFail the first failing item fails the run', async () => {
		const result = await runNode({ nodeType: new FailFlagged(), parameters: {}, items });

		expect(result.status).toBe('error');
		expect(result.items).toEqual([]);
		expect(result.error).toMatchObject({
			name: 'NodeOperationError',
			message: 'Item 1 is flagged to fail',
			context: { itemIndex: 1 },
		});
	});

	test('with continueOnFail a node that throws outright passes its input through', async () => {
		const result = await runNode({
			nodeType: new AlwaysThrows(),
			parameters: {},
			items,
			continueOnFail: true,
		});

		// WorkflowExecute keeps the error of the last node it ran, so as the workflow's last node
		// this one ends the run in error even though its items flow on.
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Nothing works today');
		expect(result.items.map((item) => item.json)).toEqual(items.map((item) => item.json));
	});
});

describe('cancellation', () => {
	test('cancelAfterMs stops a node waiting on the cancel signal, promptly', async () => {
		const started = Date.now();
		const result = await runNode({
			nodeType: new WaitForCancel(),
			parameters: {},
			cancelAfterMs: 200,
		});

		expect(result.status).toBe('canceled');
		expect(result.items).toEqual([]);
		expect(result.durationMs).toBeGreaterThanOrEqual(190);
		expect(result.durationMs).toBeLessThan(1_000);
		expect(Date.now() - started).toBeLessThan(2_000);
	});
});
