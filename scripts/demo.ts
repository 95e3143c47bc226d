/* eslint-disable
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
/**
 * The quick start's "run" command: the contract server (a local stand-in for the GetFileURL
 * API) and a real n8n on 127.0.0.1 with this package installed, a GetFileURL credential that
 * points at the server, and every example workflow imported. Ctrl-C stops everything.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IWorkflowBase } from 'n8n-workflow';

import {
	createInstance,
	getFileUrlCredential,
	importCredentials,
	importWorkflows,
	locateEngine,
	removeInstance,
	REPOSITORY_ROOT,
	RestClient,
	startServer,
	stopServer,
} from '../e2e/lib';
import type { N8nInstance, N8nServer, Owner } from '../e2e/lib';
import { startContractServer } from '../test/server';
import type { ContractServer } from '../test/server';

/** The credential every example workflow refers to (see examples/README.md). */
const EXAMPLE_CREDENTIAL = { id: 'getfileurlDemo1', name: 'GetFileURL (local contract server)' };
const API_KEY = 'demo-key';
const CONTRACT_SERVER_PORT = Number(process.env.DEMO_API_PORT || 5680);
const OWNER: Owner = {
	email: 'demo@example.com',
	password: 'GetFileUrlDemo1',
	firstName: 'Demo',
	lastName: 'User',
};

function exampleWorkflows(): IWorkflowBase[] {
	const folder = join(REPOSITORY_ROOT, 'examples');
	return readdirSync(folder)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as IWorkflowBase);
}

function secondsSince(start: number): number {
	return Math.round((Date.now() - start) / 1000);
}

function say(line = '') {
	process.stdout.write(`${line}\n`);
}

async function main() {
	const started = Date.now();
	// Filled as things start, so that Ctrl-C at any moment stops what is running.
	const running: { api?: ContractServer; instance?: N8nInstance; n8n?: N8nServer } = {};

	const stop = async () => {
		say('\nStopping n8n and the contract server...');
		await stopServer(running.n8n);
		await running.api?.close();
		removeInstance(running.instance);
		process.exit(0);
	};
	process.once('SIGINT', () => void stop());
	process.once('SIGTERM', () => void stop());

	const engine = locateEngine(process.env.N8N_DEMO_VERSION || '2.8.4');
	const api = await startContractServer({ port: CONTRACT_SERVER_PORT, apiKeys: [API_KEY] });
	running.api = api;

	const instance = await createInstance(engine, { label: 'demo' });
	running.instance = instance;
	await importCredentials(instance, [
		getFileUrlCredential(EXAMPLE_CREDENTIAL.id, api.url, API_KEY, EXAMPLE_CREDENTIAL.name),
	]);
	const workflows = exampleWorkflows();
	await importWorkflows(instance, workflows);

	const n8n = await startServer(instance);
	running.n8n = n8n;
	await new RestClient(n8n.baseUrl).setupOwner(OWNER);

	say();
	say(`n8n ${engine.version} with n8n-nodes-getfileurl is ready (${secondsSince(started)} s):`);
	say();
	say(`  editor      ${n8n.baseUrl}`);
	say(`  login       ${OWNER.email} / ${OWNER.password}`);
	say(`  API server  ${api.url} (API key ${API_KEY}; inventory at ${api.url}/__control/inventory)`);
	say(`  workflows   ${workflows.map((workflow) => workflow.name).join(', ')}`);
	say();
	say('Open a workflow and click "Execute workflow". Ctrl-C stops everything.');
}

main().catch((error: unknown) => {
	process.stderr.write(`The demo could not start: ${String(error)}\n`);
	process.exit(1);
});
