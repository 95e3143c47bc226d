/* eslint-disable
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { setTimeout as sleep } from 'node:timers/promises';

import type { IRunExecutionData, IWorkflowBase } from 'n8n-workflow';

import type { PublicApiClient, RestClient } from './server';

/** An execution as `GET /api/v1/executions/:id?includeData=true` returns it. */
export interface StoredExecution {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished: boolean;
	startedAt: string;
	stoppedAt: string | null;
	waitTill: string | null;
	data?: IRunExecutionData;
}

const POLL_INTERVAL_MS = 250;

/**
 * Runs a saved workflow from its trigger node, as the editor's "Execute workflow" button does,
 * under `n8n start`; resolves with the execution id at once, while the run goes on. The body
 * suits both API generations: n8n 2.8 runs the `workflowData` sent, newer versions load the
 * workflow by id and ignore it.
 */
export async function runManually(
	rest: RestClient,
	workflowId: string,
	triggerNodeName: string,
): Promise<string> {
	const workflowData = await rest.request<IWorkflowBase>('GET', `/rest/workflows/${workflowId}`);
	const result = await rest.request<{ executionId?: string; waitingForWebhook?: boolean }>(
		'POST',
		`/rest/workflows/${workflowId}/run`,
		{ workflowData, triggerToStartFrom: { name: triggerNodeName } },
	);

	if (!result?.executionId) {
		throw new Error(`n8n started no execution of ${workflowId}: ${JSON.stringify(result)}`);
	}
	return result.executionId;
}

/** Reads one execution from the database; unlike the list, it also shows waiting executions. */
export async function getStoredExecution(
	api: PublicApiClient,
	executionId: string,
	includeData = false,
): Promise<StoredExecution> {
	const query = includeData ? '?includeData=true' : '';
	return (await api.request(
		'GET',
		`/api/v1/executions/${executionId}${query}`,
	)) as unknown as StoredExecution;
}

/** Polls an execution until its status is one of `statuses`; fails after `timeoutMs`. */
export async function waitForExecutionStatus(
	api: PublicApiClient,
	executionId: string,
	statuses: string[],
	timeoutMs: number,
): Promise<StoredExecution> {
	let last: StoredExecution | undefined;
	await pollUntil(
		async () => {
			last = await getStoredExecution(api, executionId, true);
			return statuses.includes(last.status);
		},
		timeoutMs,
		() => `execution ${executionId} to be ${statuses.join(' or ')} (last: ${last?.status})`,
	);
	return last as StoredExecution;
}

/** Calls `check` until it returns true; throws a message naming what was awaited on timeout. */
export async function pollUntil(
	check: () => boolean | Promise<boolean>,
	timeoutMs: number,
	awaited: () => string,
	intervalMs = POLL_INTERVAL_MS,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() >= deadline) {
			throw new Error(`Waited ${timeoutMs} ms for ${awaited()}`);
		}
		await sleep(intervalMs);
	}
}
