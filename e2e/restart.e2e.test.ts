/* eslint-disable
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { setTimeout as sleep } from 'node:timers/promises';

import type { IWorkflowBase } from 'n8n-workflow';

import { type ContractServer, type StoredFile, startContractServer } from '../test/server';
import { publicUrlOf } from '../test/server/public-files';
import {
	type N8nInstance,
	type N8nServer,
	EXAMPLE_CREDENTIAL,
	PublicApiClient,
	RestClient,
	createInstance,
	fetchSha256,
	getFileUrlCredential,
	getStoredExecution,
	importCredentials,
	importWorkflows,
	killAllChildren,
	killServer,
	loadExample,
	locateEngine,
	pollUntil,
	removeInstance,
	runManually,
	startServer,
	stopServer,
	waitForExecutionStatus,
} from './lib';

const API_KEY = 'e2e-restart-key';
const TRIGGER = 'Start';
const DURABLE = loadExample('restart-proof-cleanup');
const WAIT_THEN_DELETE = loadExample('upload-then-wait-then-delete');

const WAIT_THEN_DELETE_MS = 10_000;
const FIFTEEN_MINUTES_MS = 15 * 60_000;
// After a restart the Wait node resumes from a poller that runs at start and every 60 s.
const ON_TIME_SLACK_MS = 60_000;
// How long after the delete was due a scenario keeps watching a file that was not deleted.
const WATCH_AFTER_DUE_MS = 15_000;
// Four instances start n8n twice each, at the same time, on a small machine.
const SCENARIOS_TIMEOUT_MS = 8 * 60_000;

type StopSignal = 'SIGTERM' | 'SIGKILL';
type Pattern = 'Wait node + Delete File' | 'Wait Then Delete';

/** What one scenario left on the GetFileURL server, and when. */
interface Outcome {
	pattern: Pattern;
	signal: StopSignal;
	uploaded: number;
	deletedOnTime: number;
	leftToExpiry: number;
	/** When the workflow meant to delete the file. */
	dueAt: number;
	stoppedAt: number;
	/** How long n8n took to exit after the signal. */
	stopMs: number;
	restartedAt: number;
	/** Status of the public URL while the workflow waited, before the stop. */
	servedBeforeStop: number;
	deletedBeforeRestart: boolean;
	/** The file as the server holds it at the end of the scenario. */
	file: StoredFile;
	/** Status of the public URL at the end of the scenario. */
	servedAtEnd: number;
	/** Status of the public URL once the server's clock passed the file's expiry. */
	servedAfterExpiry: number;
	executionStatus: string;
	/** Whether `GET /api/v1/executions?status=waiting` listed the execution (Wait node only). */
	listedAsWaiting?: { beforeStop: boolean; afterRestart: boolean };
}

/** One n8n instance with its own contract server, user folder and ports. */
interface Scenario {
	contractServer: ContractServer;
	instance: N8nInstance;
	server: N8nServer;
	rest: RestClient;
	api: PublicApiClient;
}

describe('Cleanup across an n8n restart (n8n start, four instances in parallel)', () => {
	const outcomes = new Map<string, PromiseSettledResult<Outcome>>();

	beforeAll(async () => {
		const scenarios: Record<string, () => Promise<Outcome>> = {
			'durable SIGTERM': async () => await waitNodeAcrossRestart('SIGTERM'),
			'durable SIGKILL': async () => await waitNodeAcrossRestart('SIGKILL'),
			'in-process SIGKILL': async () => await waitThenDeleteAcrossRestart('SIGKILL'),
			'in-process SIGTERM': async () => await waitThenDeleteAcrossRestart('SIGTERM'),
		};
		const names = Object.keys(scenarios);
		const settled = await Promise.allSettled(names.map(async (name) => await scenarios[name]()));
		names.forEach((name, index) => outcomes.set(name, settled[index]));
	}, SCENARIOS_TIMEOUT_MS);

	afterAll(async () => {
		await killAllChildren();
		process.stdout.write(summary(outcomes));
	});

	it.each([
		['stopped (SIGTERM)', 'durable SIGTERM'],
		['killed (SIGKILL)', 'durable SIGKILL'],
	])('Wait node + Delete File: %s mid-wait, the file is deleted on time', (_, scenario) => {
		const outcome = outcomeOf(outcomes, scenario);

		expectStoppedMidWait(outcome);
		expect(outcome.deletedBeforeRestart).toBe(false);
		expect(outcome.restartedAt).toBeLessThan(outcome.dueAt);
		expect(outcome.listedAsWaiting?.afterRestart).toBe(true);
		expect(outcome.executionStatus).toBe('success');
		expect(counts(outcome)).toEqual({ uploaded: 1, deletedOnTime: 1, leftToExpiry: 0 });
		expect(outcome.servedAtEnd).toBe(410);
	});

	it('Wait Then Delete: killed (SIGKILL) mid-wait, the delete never runs; expiry cleans up', () => {
		const outcome = outcomeOf(outcomes, 'in-process SIGKILL');

		expectStoppedMidWait(outcome);
		expect(outcome.deletedBeforeRestart).toBe(false);
		expect(outcome.executionStatus).not.toBe('success');
		expect(counts(outcome)).toEqual({ uploaded: 1, deletedOnTime: 0, leftToExpiry: 1 });
		expect(outcome.servedAtEnd).toBe(200);
		expect(outcome.servedAfterExpiry).toBe(410);
	});

	it('Wait Then Delete: stopped gracefully (SIGTERM) mid-wait, n8n finishes the wait first', () => {
		const outcome = outcomeOf(outcomes, 'in-process SIGTERM');

		expectStoppedMidWait(outcome);
		// n8n lets running executions end before it exits, within its shutdown timeout.
		expect(outcome.stoppedAt + outcome.stopMs).toBeGreaterThanOrEqual(outcome.dueAt);
		expect(outcome.deletedBeforeRestart).toBe(true);
		expect(outcome.executionStatus).toBe('success');
		expect(counts(outcome)).toEqual({ uploaded: 1, deletedOnTime: 1, leftToExpiry: 0 });
	});
});

/**
 * Example 3: the Wait node persists a 70 s wait. n8n is stopped once the execution is stored as
 * waiting, and started again on the same user folder.
 */
async function waitNodeAcrossRestart(signal: StopSignal): Promise<Outcome> {
	return await withScenario(`restart-wait-node-${signal}`, DURABLE, {}, async (scenario) => {
		const executionId = await runManually(scenario.rest, DURABLE.id, TRIGGER);
		const waiting = await waitForExecutionStatus(
			scenario.api,
			executionId,
			['waiting', 'error'],
			60_000,
		);
		if (waiting.status !== 'waiting') throw new Error(`the execution ended ${waiting.status}`);
		const dueAt = Date.parse(waiting.waitTill ?? '');
		const beforeStop = await isListedAsWaiting(scenario.api, executionId);
		let afterRestart = false;

		const outcome = await stopAndRestart(
			scenario,
			'Wait node + Delete File',
			signal,
			dueAt,
			async () => {
				afterRestart = await isListedAsWaiting(scenario.api, executionId);
				await pollUntil(
					() => onlyFile(scenario.contractServer).deleted_at !== null,
					Math.max(0, dueAt + ON_TIME_SLACK_MS - Date.now()),
					() => 'the resumed execution to delete the file',
				);
				const finished = await waitForExecutionStatus(
					scenario.api,
					executionId,
					['success', 'error', 'crashed'],
					30_000,
				);
				return finished.status;
			},
		);
		return { ...outcome, listedAsWaiting: { beforeStop, afterRestart } };
	});
}

/**
 * Example 2: Wait Then Delete waits 10 s inside the execution. n8n is stopped once the upload's
 * output is saved (so the stop lands in the wait), and started again on the same user folder.
 */
async function waitThenDeleteAcrossRestart(signal: StopSignal): Promise<Outcome> {
	// Saving each node's output as it finishes shows when the upload is done and the wait begun.
	const env = { EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'true' };
	const label = `restart-wait-then-delete-${signal}`;
	return await withScenario(label, WAIT_THEN_DELETE, env, async (scenario) => {
		const executionId = await runManually(scenario.rest, WAIT_THEN_DELETE.id, TRIGGER);
		await pollUntil(
			async () => {
				const execution = await getStoredExecution(scenario.api, executionId, true);
				return execution.data?.resultData.runData['Upload File to URL'] !== undefined;
			},
			60_000,
			() => 'n8n to save the upload node output',
			100,
		);
		const dueAt = Date.parse(onlyFile(scenario.contractServer).created_at) + WAIT_THEN_DELETE_MS;

		return await stopAndRestart(scenario, 'Wait Then Delete', signal, dueAt, async () => {
			// Had the wait survived, the delete would have run by now.
			await sleep(Math.max(0, dueAt + WATCH_AFTER_DUE_MS - Date.now()));
			return (await getStoredExecution(scenario.api, executionId)).status;
		});
	});
}

/**
 * Checks that the URL serves, stops n8n with `signal`, starts it again, lets `afterRestart` watch
 * what happens, and records what the server holds in the end.
 */
async function stopAndRestart(
	scenario: Scenario,
	pattern: Pattern,
	signal: StopSignal,
	dueAt: number,
	afterRestart: () => Promise<string>,
): Promise<Outcome> {
	const { contractServer } = scenario;
	const servedBeforeStop = await servedStatus(contractServer);

	const stoppedAt = Date.now();
	if (signal === 'SIGKILL') await killServer(scenario.server);
	else await stopServer(scenario.server);
	const stopMs = Date.now() - stoppedAt;
	const deletedBeforeRestart = onlyFile(contractServer).deleted_at !== null;

	scenario.server = await startServer(scenario.instance);
	const restartedAt = Date.now();
	const executionStatus = await afterRestart();

	const file = onlyFile(contractServer);
	const servedAtEnd = await servedStatus(contractServer);
	// The backstop: once the server's clock passes the 15-minute expiry, the URL stops serving.
	contractServer.advanceTime(FIFTEEN_MINUTES_MS);
	const servedAfterExpiry = await servedStatus(contractServer);

	const deletedAt = file.deleted_at === null ? undefined : Date.parse(file.deleted_at);
	const onTime =
		deletedAt !== undefined && deletedAt >= dueAt && deletedAt <= dueAt + ON_TIME_SLACK_MS;
	return {
		pattern,
		signal,
		uploaded: contractServer.inventory().uploads,
		deletedOnTime: onTime ? 1 : 0,
		leftToExpiry: file.deleted_at === null ? 1 : 0,
		dueAt,
		stoppedAt,
		stopMs,
		restartedAt,
		servedBeforeStop,
		deletedBeforeRestart,
		file,
		servedAtEnd,
		servedAfterExpiry,
		executionStatus,
	};
}

/** Sets up a contract server and an n8n instance running `workflow`, and always tears down. */
async function withScenario(
	label: string,
	workflow: IWorkflowBase,
	env: NodeJS.ProcessEnv,
	act: (scenario: Scenario) => Promise<Outcome>,
): Promise<Outcome> {
	const contractServer = await startContractServer({ apiKeys: [API_KEY] });
	let instance: N8nInstance | undefined;
	let scenario: Scenario | undefined;
	try {
		instance = await createInstance(locateEngine(), { label, env });
		await importCredentials(instance, [
			getFileUrlCredential(
				EXAMPLE_CREDENTIAL.id,
				contractServer.url,
				API_KEY,
				EXAMPLE_CREDENTIAL.name,
			),
		]);
		await importWorkflows(instance, [workflow]);

		const server = await startServer(instance);
		const rest = new RestClient(server.baseUrl);
		await rest.setupOwner();
		const api = new PublicApiClient(server.baseUrl, await rest.createApiKey());
		scenario = { contractServer, instance, server, rest, api };

		return await act(scenario);
	} finally {
		await stopServer(scenario?.server);
		await contractServer.close();
		removeInstance(instance);
	}
}

async function isListedAsWaiting(api: PublicApiClient, executionId: string): Promise<boolean> {
	const listed = await api.request<{ data: Array<{ id: string }> }>(
		'GET',
		'/api/v1/executions?status=waiting',
	);
	return listed.data.some((execution) => execution.id === executionId);
}

function onlyFile(contractServer: ContractServer): StoredFile {
	const { files } = contractServer.inventory();
	if (files.length !== 1) throw new Error(`the server holds ${files.length} files, not 1`);
	return files[0];
}

async function servedStatus(contractServer: ContractServer): Promise<number> {
	return (await fetchSha256(publicUrlOf(contractServer.url, onlyFile(contractServer)))).status;
}

function outcomeOf(outcomes: Map<string, PromiseSettledResult<Outcome>>, name: string): Outcome {
	const settled = outcomes.get(name);
	if (settled?.status !== 'fulfilled') throw settled?.reason ?? new Error(`${name} did not run`);
	return settled.value;
}

function counts({ uploaded, deletedOnTime, leftToExpiry }: Outcome) {
	return { uploaded, deletedOnTime, leftToExpiry };
}

/** The workflow was waiting, with the file served and not deleted, when n8n was stopped. */
function expectStoppedMidWait(outcome: Outcome): void {
	expect(outcome.servedBeforeStop).toBe(200);
	expect(outcome.stoppedAt).toBeLessThan(outcome.dueAt);
}

function summary(outcomes: Map<string, PromiseSettledResult<Outcome>>): string {
	const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	const lines = ['', 'Restart scenarios (uploaded / deleted on time / left to expiry):'];
	for (const [name, settled] of outcomes) {
		if (settled.status === 'rejected') {
			lines.push(`  ${name}: failed: ${String(settled.reason)}`);
			continue;
		}
		const outcome = settled.value;
		const deletedAt = outcome.file.deleted_at;
		const deletion = deletedAt
			? `deleted ${seconds(Date.parse(deletedAt) - outcome.dueAt)} after due`
			: 'not deleted';
		lines.push(
			`  ${outcome.pattern}, ${outcome.signal}: ${outcome.uploaded} / ${outcome.deletedOnTime} / ` +
				`${outcome.leftToExpiry}; stopped ${seconds(outcome.dueAt - outcome.stoppedAt)} ` +
				`before due, exit took ${seconds(outcome.stopMs)}, back ` +
				`${seconds(outcome.restartedAt - outcome.stoppedAt)} after the stop; ${deletion}; ` +
				`execution ${outcome.executionStatus}` +
				(outcome.listedAsWaiting
					? `; listed as waiting before the stop ${outcome.listedAsWaiting.beforeStop}, ` +
						`after the restart ${outcome.listedAsWaiting.afterRestart}`
					: ''),
		);
	}
	return `${lines.join('\n')}\n\n`;
}
