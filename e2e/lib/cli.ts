/* eslint-disable
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IRun, IWorkflowBase } from 'n8n-workflow';

import type { N8nInstance } from './instance';
import { runCommand, type CommandResult } from './process';

/** A credential as `n8n import:credentials` takes it: `data` in clear, encrypted on import. */
export interface CredentialToImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface ExecutionResult extends CommandResult {
	/** The run n8n printed, or undefined when it printed none (see stdout and stderr). */
	run?: IRun;
}

export interface BatchResult extends CommandResult {
	/** The run of every workflow that succeeded, by workflow id. */
	runs: Record<string, IRun>;
	/** The error n8n reported for every workflow that did not succeed, by workflow id. */
	failures: Record<string, string>;
}

// Bounds for one CLI call: a cold start takes 3-7 s, the rest is the workflow itself.
const IMPORT_TIMEOUT_MS = 120_000;
const DEFAULT_EXECUTE_TIMEOUT_MS = 300_000;

/** Runs one n8n CLI command on the instance's user folder. */
export async function runN8n(
	instance: N8nInstance,
	args: string[],
	timeoutMs: number,
): Promise<CommandResult> {
	return await runCommand(instance.engine.bin, args, {
		env: instance.env,
		// n8n loads a .env file from its working folder; the run folder has none.
		cwd: instance.root,
		timeoutMs,
		timeFile: join(instance.root, `.time-${process.hrtime.bigint()}`),
	});
}

export async function importCredentials(
	instance: N8nInstance,
	credentials: CredentialToImport[],
): Promise<void> {
	const file = scratchFile(instance, `credentials-${Date.now()}.json`);
	writeFileSync(file, JSON.stringify(credentials, null, 2));

	const result = await runN8n(
		instance,
		['import:credentials', `--input=${file}`],
		IMPORT_TIMEOUT_MS,
	);
	assertImported(result, 'credential');
}

export async function importWorkflows(
	instance: N8nInstance,
	workflows: IWorkflowBase[],
): Promise<void> {
	const file = scratchFile(instance, `workflows-${Date.now()}.json`);
	writeFileSync(file, JSON.stringify(workflows, null, 2));

	const result = await runN8n(instance, ['import:workflow', `--input=${file}`], IMPORT_TIMEOUT_MS);
	assertImported(result, 'workflow');
}

/**
 * Marks an imported workflow published (active) for the next `n8n start`: `import:workflow`
 * leaves workflows inactive, and a running n8n does not pick the change up.
 */
export async function publishWorkflow(instance: N8nInstance, workflowId: string): Promise<void> {
	const result = await runN8n(
		instance,
		['publish:workflow', `--id=${workflowId}`],
		IMPORT_TIMEOUT_MS,
	);
	if (result.exitCode !== 0) {
		throw new Error(`n8n could not publish workflow ${workflowId}:\n${describeFailure(result)}`);
	}
}

/** `n8n execute`: one workflow in one process; the process's peak RSS is that run's alone. */
export async function executeWorkflow(
	instance: N8nInstance,
	workflowId: string,
	timeoutMs = DEFAULT_EXECUTE_TIMEOUT_MS,
): Promise<ExecutionResult> {
	const result = await runN8n(
		instance,
		['execute', `--id=${workflowId}`, '--rawOutput'],
		timeoutMs,
	);

	return { ...result, run: parseRunOutput(result.stdout) };
}

/**
 * `n8n execute-batch`: several workflows, one after the other, in one process (one cold start).
 * Retries are off, since a retried upload would upload twice. Workflow ids must contain a digit:
 * n8n drops the others from `--ids`.
 */
export async function executeBatch(
	instance: N8nInstance,
	workflowIds: string[],
	timeoutMs = DEFAULT_EXECUTE_TIMEOUT_MS,
): Promise<BatchResult> {
	const snapshots = join(instance.root, `snapshots-${Date.now()}`);
	mkdirSync(snapshots);
	const summaryFile = join(snapshots, 'summary.json');
	const result = await runN8n(
		instance,
		[
			'execute-batch',
			`--ids=${workflowIds.join(',')}`,
			`--snapshot=${snapshots}`,
			`--output=${summaryFile}`,
			'--retries=0',
		],
		timeoutMs,
	);

	const runs: Record<string, IRun> = {};
	const failures: Record<string, string> = {};
	const summary = readBatchSummary(summaryFile);
	for (const workflowId of workflowIds) {
		const snapshot = join(snapshots, `${workflowId}-snapshot.json`);
		if (existsSync(snapshot)) {
			runs[workflowId] = JSON.parse(readFileSync(snapshot, 'utf8')) as IRun;
		} else {
			failures[workflowId] = summary[workflowId] ?? 'no run recorded (see stdout and stderr)';
		}
	}

	return { ...result, runs, failures };
}

/** The run JSON that `execute` prints starts at the first line that is exactly `{`. */
export function parseRunOutput(stdout: string): IRun | undefined {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	if (start === -1) return undefined;
	const end = lines.indexOf('}', start);
	if (end === -1) return undefined;

	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n')) as IRun;
	} catch {
		return undefined;
	}
}

/** The items a node output in a run, by output and run index. */
export function nodeOutput(run: IRun, nodeName: string, outputIndex = 0, runIndex = 0) {
	const task = run.data.resultData.runData[nodeName]?.[runIndex];
	if (!task) {
		const ran = Object.keys(run.data.resultData.runData).join(', ');
		throw new Error(`node "${nodeName}" did not run (nodes that ran: ${ran})`);
	}
	return task.data?.main?.[outputIndex] ?? [];
}

/** A readable account of a failed CLI call, for assertion messages. */
export function describeFailure(result: CommandResult): string {
	const tail = (text: string) => text.split('\n').slice(-40).join('\n');
	return [
		`exit code ${result.exitCode}, signal ${result.signal}, timed out ${result.timedOut}`,
		`--- stdout (end) ---\n${tail(result.stdout)}`,
		`--- stderr (end) ---\n${tail(result.stderr)}`,
	].join('\n');
}

function readBatchSummary(file: string): Record<string, string> {
	if (!existsSync(file)) return {};
	const { summary } = JSON.parse(readFileSync(file, 'utf8')) as {
		summary: { errors: BatchIssue[]; warnings: BatchIssue[] };
	};
	const issues: Record<string, string> = {};
	// n8n files some errors (401, 429, ECONNREFUSED, ...) as warnings; both are failures here.
	for (const issue of [...summary.errors, ...summary.warnings]) {
		issues[issue.workflowId] = issue.error;
	}
	return issues;
}

interface BatchIssue {
	workflowId: string;
	error: string;
}

function assertImported(result: CommandResult, what: string): void {
	// An input that yields nothing (an empty folder, for one) exits 0 without this line.
	if (result.exitCode !== 0 || !/Successfully imported \d+ /.test(result.stdout + result.stderr)) {
		throw new Error(`n8n could not import the ${what}s:\n${describeFailure(result)}`);
	}
}

function scratchFile(instance: N8nInstance, name: string): string {
	const folder = join(instance.root, 'import');
	mkdirSync(folder, { recursive: true });
	return join(folder, name);
}
