/* eslint-disable
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { join } from 'node:path';

import type { INodeExecutionData, IRun } from 'n8n-workflow';

import { type ContractServer, startContractServer } from '../test/server';
import {
	type BatchResult,
	type BinaryDataMode,
	type N8nInstance,
	type UploadOutput,
	createInstance,
	describeFailure,
	executeBatch,
	fetchSha256,
	getFileUrlCredential,
	importCredentials,
	importWorkflows,
	killAllChildren,
	loadWorkflow,
	locateEngine,
	nodeOutput,
	removeInstance,
	writeRandomFile,
} from './lib';

const API_KEY = 'e2e-upload-key';
const CREDENTIAL_ID = 'gfuCredential01';
const SINGLE_WORKFLOW = 'gfuUploadBinary1';
const MANY_WORKFLOW = 'gfuUploadMany2';

// A name with a space and a known extension, as users' files have; an odd size, past any chunk.
const SINGLE_FILE = { name: 'quarterly report.pdf', size: 3 * 1024 * 1024 + 17 };
const MANY_FILES = [
	{ name: 'page-1.png', size: 1 },
	{ name: 'page-2.png', size: 65_537 },
	{ name: 'page-3.png', size: 500_000 },
];

// How n8n marks a stored binary's id in each mode (n8n 2.x writes filesystem data as v2).
const BINARY_ID_PREFIX: Record<BinaryDataMode, string> = {
	filesystem: 'filesystem-v2:',
	database: 'database:',
};

describe.each<BinaryDataMode>(['filesystem', 'database'])(
	'Upload File to URL in real n8n, binary data mode %s',
	(binaryDataMode) => {
		let contractServer: ContractServer;
		let instance: N8nInstance | undefined;
		let batch: BatchResult;
		let startedAt: number;
		const sha256ByName = new Map<string, string>();

		beforeAll(async () => {
			contractServer = await startContractServer({ apiKeys: [API_KEY] });
			instance = await createInstance(locateEngine(), {
				binaryDataMode,
				label: `upload-${binaryDataMode}`,
			});

			await writeInputFiles(instance);
			await importCredentials(instance, [
				getFileUrlCredential(CREDENTIAL_ID, contractServer.url, API_KEY),
			]);
			await importWorkflows(instance, [
				loadWorkflow('upload-binary', {
					INPUT_FILE: join(instance.filesDir, SINGLE_FILE.name),
					CREDENTIAL_ID,
				}),
				loadWorkflow('upload-many', {
					FILES_GLOB: join(instance.filesDir, 'page-*.png'),
					CREDENTIAL_ID,
				}),
			]);

			// One n8n process runs both workflows: one cold start instead of two.
			startedAt = Date.now();
			batch = await executeBatch(instance, [SINGLE_WORKFLOW, MANY_WORKFLOW]);
		});

		afterAll(async () => {
			await killAllChildren();
			await contractServer?.close();
			removeInstance(instance);
		});

		it('reads the file into binary data stored in the configured mode', () => {
			const run = runOf(SINGLE_WORKFLOW);
			const [read] = nodeOutput(run, 'Read File');

			expect(read.binary?.data.id).toMatch(new RegExp(`^${BINARY_ID_PREFIX[binaryDataMode]}`));
			expect(read.binary?.data.data).toBe(BINARY_ID_PREFIX[binaryDataMode].slice(0, -1));
		});

		it('uploads the file once and its public URL serves exactly the bytes written', async () => {
			const run = runOf(SINGLE_WORKFLOW);
			const expectedSha256 = sha256ByName.get(SINGLE_FILE.name);

			const uploaded = nodeOutput(run, 'Upload File to URL');
			expect(uploaded).toHaveLength(1);
			const output = uploaded[0].json as unknown as UploadOutput;
			expect(output).toMatchObject({
				file_name: SINGLE_FILE.name,
				size: SINGLE_FILE.size,
				content_type: 'application/pdf',
				binary_field: 'data',
			});
			expect(output.url.startsWith(`${contractServer.url}/f/`)).toBe(true);
			expectAboutOneHourAfter(output.expires_at, startedAt);

			const served = await fetchSha256(output.url);
			expect(served).toMatchObject({ status: 200, size: SINGLE_FILE.size, sha256: expectedSha256 });

			const stored = contractServer
				.inventory()
				.files.filter((file) => file.sha256 === expectedSha256);
			expect(stored).toHaveLength(1);
			expect(stored[0]).toMatchObject({ file_id: output.file_id, size: SINGLE_FILE.size });
		});

		it('uploads every item from the named binary field, each paired with its input', async () => {
			const run = runOf(MANY_WORKFLOW);
			const read = nodeOutput(run, 'Read Files');
			const uploaded = nodeOutput(run, 'Upload File to URL');
			expect(uploaded).toHaveLength(MANY_FILES.length);

			for (const [index, item] of uploaded.entries()) {
				const input = pairedInput(item, read, index);
				const fileName = input.binary?.document.fileName as string;
				const expectedSha256 = sha256ByName.get(fileName);
				const output = item.json as unknown as UploadOutput;

				expect(output).toMatchObject({ file_name: fileName, binary_field: 'document' });
				expect(await fetchSha256(output.url)).toMatchObject({
					status: 200,
					sha256: expectedSha256,
				});
				expect(
					contractServer.inventory().files.filter((f) => f.sha256 === expectedSha256),
				).toHaveLength(1);
			}
			const uploadedNames = uploaded.map(
				(item) => (item.json as unknown as UploadOutput).file_name,
			);
			expect(uploadedNames.sort()).toEqual(MANY_FILES.map((file) => file.name));
		});

		it('makes no upload attempt beyond one per file', () => {
			const inventory = contractServer.inventory();

			expect(inventory.uploads).toBe(1 + MANY_FILES.length);
			expect(inventory.uploadAttempts).toBe(1 + MANY_FILES.length);
			expect(inventory.deleteAttempts).toBe(0);
		});

		async function writeInputFiles(into: N8nInstance): Promise<void> {
			for (const file of [SINGLE_FILE, ...MANY_FILES]) {
				const sha256 = await writeRandomFile(join(into.filesDir, file.name), file.size);
				sha256ByName.set(file.name, sha256);
			}
		}

		function runOf(workflowId: string): IRun {
			const run = batch.runs[workflowId];
			if (!run) {
				throw new Error(
					`workflow ${workflowId} failed: ${batch.failures[workflowId]}\n${describeFailure(batch)}`,
				);
			}
			return run;
		}
	},
);

/** The item of the previous node's output that an output item says it came from. */
function pairedInput(
	item: INodeExecutionData,
	previousOutput: INodeExecutionData[],
	index: number,
): INodeExecutionData {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	const inputIndex = typeof paired === 'number' ? paired : paired?.item;
	expect(inputIndex).toBe(index);
	return previousOutput[inputIndex as number];
}

function expectAboutOneHourAfter(expiresAt: string | null, startedAt: number): void {
	const hour = 3600_000;
	const expires = Date.parse(expiresAt ?? '');
	expect(expires).toBeGreaterThanOrEqual(startedAt + hour - 60_000);
	expect(expires).toBeLessThanOrEqual(Date.now() + hour + 60_000);
}
