import { createHash } from 'node:crypto';

import type { IRunExecutionData } from 'n8n-workflow';

import {
	type ContractServer,
	type Inventory,
	type StoredFile,
	startContractServer,
} from '../test/server';
import { publicUrlOf } from '../test/server/public-files';
import {
	type BatchResult,
	type ExecutionResult,
	type N8nInstance,
	type N8nServer,
	type UploadOutput,
	EXAMPLE_CREDENTIAL,
	PublicApiClient,
	RestClient,
	createInstance,
	describeFailure,
	executeBatch,
	executeWorkflow,
	fetchSha256,
	getFileUrlCredential,
	importCredentials,
	importWorkflows,
	killAllChildren,
	loadExample,
	locateEngine,
	nodeOutput,
	pollUntil,
	removeInstance,
	runManually,
	startServer,
	stopServer,
	waitForExecutionStatus,
} from './lib';

const API_KEY = 'e2e-examples-key';
const TRIGGER = 'Start';

const CONSUMER = loadExample('binary-to-url-then-delete');
const WAIT_THEN_DELETE = loadExample('upload-then-wait-then-delete');
const DURABLE = loadExample('restart-proof-cleanup');

// The waits the examples are built with, and what n8n adds around them on these machines.
const WAIT_THEN_DELETE_MS = 10_000;
const WAIT_NODE_MS = 70_000;
const FIFTEEN_MINUTES_MS = 15 * 60_000;
const SLACK_MS = 15_000;
// The Wait node resumes from a poller that runs every 60 s and looks 70 s ahead.
const RESUME_TIMEOUT_MS = WAIT_NODE_MS + 60_000;

interface CliRun {
	batch: BatchResult;
	/** The contract server's inventory once the batch ended. */
	inventory: Inventory;
	/** `n8n execute` of the restart-proof example, and the inventory once it ended. */
	durable: ExecutionResult;
	inventoryAfterDurable: Inventory;
}

// Needs no server: started first, it runs while the server block waits on its Wait node.
let cliRun: Promise<CliRun>;
beforeAll(() => {
	cliRun = runExamplesWithCli();
	// Awaited by its own test; until then a failure must not count as an unhandled rejection.
	cliRun.catch(() => undefined);
});

afterAll(async () => {
	await killAllChildren();
});

describe('Example workflows in real n8n (n8n start, run as from the editor)', () => {
	let contractServer: ContractServer;
	let instance: N8nInstance | undefined;
	let server: N8nServer | undefined;
	let rest: RestClient;
	let api: PublicApiClient;

	beforeAll(async () => {
		contractServer = await startContractServer({ apiKeys: [API_KEY] });
		instance = await createInstance(locateEngine(), { label: 'examples' });

		await importCredentials(instance, [exampleCredential(contractServer)]);
		await importWorkflows(instance, [CONSUMER, WAIT_THEN_DELETE, DURABLE]);

		server = await startServer(instance);
		rest = new RestClient(server.baseUrl);
		await rest.setupOwner();
		api = new PublicApiClient(server.baseUrl, await rest.createApiKey());
	});

	afterAll(async () => {
		await stopServer(server);
		await contractServer?.close();
		removeInstance(instance);
	});

	it('binary to URL: the consumer fetches the exact bytes, then the URL is revoked', async () => {
		const executionId = await runManually(rest, CONSUMER.id, TRIGGER);

		const execution = await waitForExecutionStatus(api, executionId, ['success', 'error'], 60_000);
		expect(execution.status).toBe('success');
		const data = execution.data as IRunExecutionData;
		const madeText = firstJson(data, 'Make Sample Text').text as string;
		const upload = firstJson(data, 'Upload File to URL') as unknown as UploadOutput;
		const fetchedText = firstJson(data, 'OCR API (fetches the URL)').text;
		expect(fetchedText).toBe(madeText);

		const file = storedFile(contractServer, upload.file_id);
		expectLifetime(upload, file, FIFTEEN_MINUTES_MS);
		expect(file).toMatchObject({ sha256: sha256Of(madeText), file_name: 'invoice.txt' });
		expect(file.deleted_at).not.toBeNull();
		expectFetchedBeforeDeleted(contractServer, file);
		expect((await fetchSha256(upload.url)).status).toBe(410);
	});

	it('Wait Then Delete: the URL serves during the 10 s wait, revoked when it ends', async () => {
		const uploadsBefore = contractServer.inventory().uploads;
		const executionId = await runManually(rest, WAIT_THEN_DELETE.id, TRIGGER);

		const file = await nextUploadedFile(contractServer, uploadsBefore);
		const duringWait = await fetchSha256(publicUrlOf(contractServer.url, file));
		expect(storedFile(contractServer, file.file_id).deleted_at).toBeNull();
		expect(duringWait).toMatchObject({ status: 200, sha256: file.sha256, size: file.size });

		const execution = await waitForExecutionStatus(api, executionId, ['success', 'error'], 60_000);
		expect(execution.status).toBe('success');
		const deleted = storedFile(contractServer, file.file_id);
		expectDeletedWithin(deleted, Date.parse(file.created_at) + WAIT_THEN_DELETE_MS, SLACK_MS);
		expect((await fetchSha256(publicUrlOf(contractServer.url, file))).status).toBe(410);
	});

	it('restart-proof: the 70 s Wait is persisted, Delete File runs when it ends', async () => {
		const uploadsBefore = contractServer.inventory().uploads;
		const executionId = await runManually(rest, DURABLE.id, TRIGGER);

		const waiting = await waitForExecutionStatus(api, executionId, ['waiting', 'error'], 60_000);
		expect(waiting.status).toBe('waiting');
		const file = await nextUploadedFile(contractServer, uploadsBefore);
		const waitTill = Date.parse(waiting.waitTill ?? '');
		expect(waitTill - Date.parse(file.created_at)).toBeGreaterThanOrEqual(WAIT_NODE_MS - 1_000);
		expect(await fetchSha256(publicUrlOf(contractServer.url, file))).toMatchObject({
			status: 200,
			sha256: file.sha256,
		});

		const finished = await waitForExecutionStatus(
			api,
			executionId,
			['success', 'error'],
			RESUME_TIMEOUT_MS,
		);
		expect(finished.status).toBe('success');
		expectDeletedWithin(storedFile(contractServer, file.file_id), waitTill, SLACK_MS);
		expect((await fetchSha256(publicUrlOf(contractServer.url, file))).status).toBe(410);
	});

	it('deletes every file it uploaded, each once', () => {
		const inventory = contractServer.inventory();

		expect(inventory.uploads).toBe(3);
		expect(inventory.deletes).toBe(3);
		expect(inventory.deleteAttempts).toBe(3);
		expect(inventory.files.filter((file) => file.deleted_at === null)).toEqual([]);
	});
});

describe('Example workflows with the n8n CLI alone (execute-batch and execute, no server)', () => {
	it('runs binary to URL and Wait Then Delete to the end, deleting both files', async () => {
		const { batch, inventory } = await cliRun;

		expect(batch.failures).toEqual({});
		const consumerRun = batch.runs[CONSUMER.id];
		const waitRun = batch.runs[WAIT_THEN_DELETE.id];
		if (!consumerRun || !waitRun) throw new Error(describeFailure(batch));
		const [deletedByConsumer] = nodeOutput(consumerRun, 'Delete File');
		const [deletedAfterWait] = nodeOutput(waitRun, 'Wait Then Delete');
		expect(deletedByConsumer.json).toMatchObject({ deleted: true, already_gone: false });
		expect(deletedAfterWait.json).toMatchObject({ deleted: true, already_gone: false });

		expect([inventory.uploads, inventory.deletes]).toEqual([2, 2]);
		expect(inventory.files.every((file) => file.deleted_at !== null)).toBe(true);
	});

	it('restart-proof cleanup stops at its Wait node: n8n execute never resumes it', async () => {
		const { durable, inventory, inventoryAfterDurable } = await cliRun;

		expect(durable.exitCode).toBe(0);
		expect(durable.run?.status).toBe('waiting');
		expect(inventoryAfterDurable.uploads).toBe(inventory.uploads + 1);
		expect(inventoryAfterDurable.deletes).toBe(inventory.deletes);
	});
});

/** The examples with the CLI alone, with an instance and a contract server of their own. */
async function runExamplesWithCli(): Promise<CliRun> {
	const contractServer = await startContractServer({ apiKeys: [API_KEY] });
	let instance: N8nInstance | undefined;
	try {
		instance = await createInstance(locateEngine(), { label: 'examples-cli' });
		await importCredentials(instance, [exampleCredential(contractServer)]);
		await importWorkflows(instance, [CONSUMER, WAIT_THEN_DELETE]);

		const batch = await executeBatch(instance, [CONSUMER.id, WAIT_THEN_DELETE.id]);
		const inventory = contractServer.inventory();
		await importWorkflows(instance, [DURABLE]);
		const durable = await executeWorkflow(instance, DURABLE.id);
		return { batch, inventory, durable, inventoryAfterDurable: contractServer.inventory() };
	} finally {
		await contractServer.close();
		removeInstance(instance);
	}
}

function exampleCredential(contractServer: ContractServer) {
	return getFileUrlCredential(
		EXAMPLE_CREDENTIAL.id,
		contractServer.url,
		API_KEY,
		EXAMPLE_CREDENTIAL.name,
	);
}

function firstJson(data: IRunExecutionData, nodeName: string) {
	const [first] = data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];
	if (!first) throw new Error(`node "${nodeName}" output nothing`);
	return first.json;
}

function storedFile(contractServer: ContractServer, fileId: string): StoredFile {
	const file = contractServer.inventory().files.find((candidate) => candidate.file_id === fileId);
	if (!file) throw new Error(`the server holds no file ${fileId}`);
	return file;
}

/** The file of the upload after `uploadsBefore`, once the server has stored it. */
async function nextUploadedFile(
	contractServer: ContractServer,
	uploadsBefore: number,
): Promise<StoredFile> {
	await pollUntil(
		() => contractServer.inventory().uploads > uploadsBefore,
		60_000,
		() => 'the workflow to upload its file',
		50,
	);
	return contractServer.inventory().files[uploadsBefore];
}

function sha256Of(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The expiry the node reports is the one the server applies: the backstop is in place. */
function expectLifetime(upload: UploadOutput, file: StoredFile, lifetimeMs: number): void {
	expect(upload.expires_at).toBe(file.expires_at);
	expect(Date.parse(file.expires_at ?? '') - Date.parse(file.created_at)).toBe(lifetimeMs);
}

/** Deleted no earlier than `dueAt`, and at most `slackMs` after it. */
function expectDeletedWithin(file: StoredFile, dueAt: number, slackMs: number): void {
	const deletedAt = Date.parse(file.deleted_at ?? '');
	expect(deletedAt).toBeGreaterThanOrEqual(dueAt);
	expect(deletedAt).toBeLessThanOrEqual(dueAt + slackMs);
}

/** The public URL answered 200 before the DELETE of the same file succeeded. */
function expectFetchedBeforeDeleted(contractServer: ContractServer, file: StoredFile): void {
	const { requests } = contractServer.inventory();
	const fetched = requests.findIndex(
		(request) =>
			request.method === 'GET' &&
			request.path.startsWith(`/f/${file.file_id}/`) &&
			request.status === 200,
	);
	const deleted = requests.findIndex(
		(request) =>
			request.method === 'DELETE' &&
			request.path === `/v1/files/${file.file_id}` &&
			request.status === 200,
	);
	expect(fetched).toBeGreaterThanOrEqual(0);
	expect(deleted).toBeGreaterThan(fetched);
}
