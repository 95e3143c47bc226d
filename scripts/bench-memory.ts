/* eslint-disable
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
/**
 * Peak memory of n8n uploading a large file with Upload File to URL, against the same workflow
 * without the upload node. Both run in real n8n (the pinned engine, filesystem binary mode), each
 * in its own `n8n execute` process, on one user folder, against the in-process contract server.
 *
 *   npx tsx scripts/bench-memory.ts [--size-mib=200] [--runs=3] [--keep]
 *
 * BENCH_SIZE_MIB and BENCH_RUNS set the same; N8N_E2E_VERSION picks the engine. The scenarios
 * alternate and each figure is the median of the runs, since one process's peak varies by about
 * 15 MiB from run to run. It prints numbers and asserts no timing; it exits non-zero only when a
 * run fails or the bytes do not match.
 */
import { join } from 'node:path';

import type { IRun } from 'n8n-workflow';

import {
	type ExecutionResult,
	type UploadOutput,
	createInstance,
	describeFailure,
	executeWorkflow,
	fetchSha256,
	getFileUrlCredential,
	importCredentials,
	importWorkflows,
	killAllChildren,
	loadWorkflow,
	locateEngine,
	nodeOutput,
	removeInstance,
	withoutNode,
	writeRandomFile,
} from '../e2e/lib';
import { type ContractServer, startContractServer } from '../test/server';

function print(line: string) {
	process.stdout.write(`${line}\n`);
}

const API_KEY = 'bench-key';
const CREDENTIAL_ID = 'gfuBenchCredential1';
const UPLOAD_NODE = 'Upload File to URL';
const MIB = 1024 * 1024;
const RUN_TIMEOUT_MS = 15 * 60_000;

interface Scenario {
	name: string;
	workflowId: string;
	/** The bytes this run proved it handled intact, or undefined when it failed. */
	verify: (result: ExecutionResult) => Promise<number | undefined>;
	results: ExecutionResult[];
	verified: Array<number | undefined>;
}

async function main(): Promise<number> {
	const sizeMiB = Number(option('size-mib') ?? process.env.BENCH_SIZE_MIB ?? 200);
	const runs = Number(option('runs') ?? process.env.BENCH_RUNS ?? 3);
	if (!(sizeMiB > 0)) throw new Error('--size-mib must be a positive number');
	if (!(Number.isInteger(runs) && runs > 0)) throw new Error('--runs must be a positive integer');
	const size = Math.round(sizeMiB * MIB);

	const engine = locateEngine();
	const contractServer = await startContractServer({ apiKeys: [API_KEY] });
	const instance = await createInstance(engine, { binaryDataMode: 'filesystem', label: 'bench' });
	try {
		const inputFile = join(instance.filesDir, 'large.bin');
		log(`writing ${sizeMiB} MiB of random bytes to ${inputFile}`);
		const sha256 = await writeRandomFile(inputFile, size);

		const upload = loadWorkflow('upload-binary', { INPUT_FILE: inputFile, CREDENTIAL_ID });
		const baseline = withoutNode(upload, UPLOAD_NODE, 'gfuBenchBaseline1');
		await importCredentials(instance, [
			getFileUrlCredential(CREDENTIAL_ID, contractServer.url, API_KEY),
		]);
		await importWorkflows(instance, [baseline, upload]);

		const scenarios: Scenario[] = [
			scenario('read file (baseline)', baseline.id, async (result) => verifyRead(result, size)),
			scenario(
				`read file + ${UPLOAD_NODE}`,
				upload.id,
				async (result) => await verifyUpload(result, sha256, contractServer),
			),
		];
		for (let run = 1; run <= runs; run++) {
			for (const current of scenarios) {
				log(`run ${run}/${runs}: ${current.name}`);
				const result = await executeWorkflow(instance, current.workflowId, RUN_TIMEOUT_MS);
				current.results.push(result);
				current.verified.push(await current.verify(result));
				// Frees the uploaded copy on disk; each run's upload is checked before this.
				contractServer.reset();
			}
		}

		printTable(scenarios, { engine: engine.version, sizeMiB, runs });
		return scenarios.every((each) => each.verified.every((bytes) => bytes === size)) ? 0 : 1;
	} finally {
		await killAllChildren();
		await contractServer.close();
		if (option('keep') === undefined) removeInstance(instance);
		else log(`kept ${instance.root}`);
	}
}

function scenario(name: string, workflowId: string, verify: Scenario['verify']): Scenario {
	return { name, workflowId, verify, results: [], verified: [] };
}

function verifyRead(result: ExecutionResult, size: number): number | undefined {
	const run = successfulRun(result);
	if (!run) return undefined;

	const [item] = nodeOutput(run, 'Read File');
	return item.binary?.data.bytes === size ? size : undefined;
}

/** Fetches the public URL and compares its SHA-256, and the stored file's, with the input's. */
async function verifyUpload(
	result: ExecutionResult,
	sha256: string,
	contractServer: ContractServer,
): Promise<number | undefined> {
	const run = successfulRun(result);
	if (!run) return undefined;

	const output = nodeOutput(run, UPLOAD_NODE)[0].json as unknown as UploadOutput;
	const served = await fetchSha256(output.url);
	const stored = contractServer.inventory().files.find((file) => file.file_id === output.file_id);
	if (served.status !== 200 || served.sha256 !== sha256 || stored?.sha256 !== sha256) {
		log(`bytes differ: served ${served.status}, ${served.size} bytes, sha256 ${served.sha256}`);
		return undefined;
	}
	return served.size;
}

function successfulRun(result: ExecutionResult): IRun | undefined {
	if (result.exitCode === 0 && result.run && !result.run.data.resultData.error) return result.run;

	log(`run failed:\n${describeFailure(result)}`);
	return undefined;
}

function printTable(
	scenarios: Scenario[],
	context: { engine: string; sizeMiB: number; runs: number },
): void {
	const peakKiB = (each: Scenario) => median(each.results.map((result) => result.peakRssKiB));
	const baselineKiB = peakKiB(scenarios[0]);
	const header = [
		'scenario',
		'peak RSS MiB',
		'delta vs baseline',
		'duration s',
		'process s',
		'bytes verified',
		'peak RSS per run MiB',
	];
	const lines = scenarios.map((each, index) => [
		each.name,
		mib(peakKiB(each)),
		index === 0 ? '' : signed(mib(peakKiB(each) - baselineKiB)),
		median(each.results.map((result) => runSeconds(result.run))).toFixed(1),
		median(each.results.map((result) => result.durationMs / 1000)).toFixed(1),
		verifiedSummary(each.verified),
		each.results.map((result) => mib(result.peakRssKiB)).join(' '),
	]);
	const widths = header.map((title, column) =>
		Math.max(title.length, ...lines.map((line) => line[column].length)),
	);
	const format = (cells: string[]) =>
		cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ');

	print(
		`\nn8n ${context.engine}, filesystem binary mode, ${context.sizeMiB} MiB file, ` +
			`median of ${context.runs} run(s); peak RSS of the n8n process ` +
			`(${scenarios[0].results[0]?.peakRssSource}); duration = the workflow run, ` +
			'process = the whole `n8n execute`',
	);
	print(format(header));
	print(widths.map((width) => '-'.repeat(width)).join('-|-'));
	for (const line of lines) print(format(line));
}

function verifiedSummary(verified: Array<number | undefined>): string {
	const failed = verified.filter((bytes) => bytes === undefined).length;
	if (failed > 0) return `FAILED in ${failed} of ${verified.length} runs`;
	return String(verified[0]);
}

function runSeconds(run: IRun | undefined): number {
	if (!run?.startedAt || !run.stoppedAt) return Number.NaN;
	return (Date.parse(String(run.stoppedAt)) - Date.parse(String(run.startedAt))) / 1000;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function mib(kib: number): string {
	return (kib / 1024).toFixed(1);
}

function signed(value: string): string {
	return value.startsWith('-') ? value : `+${value}`;
}

function option(name: string): string | undefined {
	const prefix = `--${name}`;
	const argument = process.argv.find((arg) => arg === prefix || arg.startsWith(`${prefix}=`));
	if (argument === undefined) return undefined;
	return argument.includes('=') ? argument.slice(prefix.length + 1) : '';
}

function log(message: string): void {
	process.stderr.write(`[bench] ${message}\n`);
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`${String(error)}\n`);
		process.exit(1);
	},
);
