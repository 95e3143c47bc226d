/* eslint-disable
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports,
	@typescript-eslint/no-require-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/.
	And require() loads n8n-core's own copies of its dependencies (see below). */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
	BinaryDataConfig,
	BinaryDataService,
	ExternalSecretsProxy,
	InstanceSettings,
} from 'n8n-core';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

type BinaryDataMode = 'filesystem' | 'default';

// n8n-core carries its own copies of @n8n/di, @n8n/config and @n8n/backend-common, older than
// the ones hoisted to the root. Its services live in its own Container, so the harness must load
// exactly those copies. `require` (not createRequire) keeps Jest's module registry, and with it
// the single Container instance that n8n-core uses.
const coreDirectory = path.dirname(require.resolve('n8n-core/package.json'));
function requireFromCore<Module>(name: string): Module {
	return require(require.resolve(name, { paths: [coreDirectory] })) as Module;
}

const { Container } = requireFromCore<typeof import('@n8n/di')>('@n8n/di');
const { GlobalConfig, InstanceSettingsConfig } =
	requireFromCore<typeof import('@n8n/config')>('@n8n/config');
const { Logger } = requireFromCore<typeof import('@n8n/backend-common')>('@n8n/backend-common');

export interface Engine {
	binaryDataService: BinaryDataService;
	externalSecretsProxy: ExternalSecretsProxy;
	useBinaryMode(mode: BinaryDataMode): Promise<void>;
}

let root: string | undefined;
let engine: Promise<Engine> | undefined;

/** Sets up n8n-core's services once per test file (Jest gives each file its own modules). */
export async function getEngine(): Promise<Engine> {
	engine ??= startEngine();
	return await engine;
}

async function startEngine(): Promise<Engine> {
	root = mkdtempSync(path.join(tmpdir(), 'getfileurl-harness-'));

	// Configure before the first Container.get of a service: each reads its config when built.
	const globalConfig = Container.get(GlobalConfig);
	globalConfig.logging.level = process.env.HARNESS_LOG === '1' ? 'debug' : 'silent';

	// n8n reads these from N8N_USER_FOLDER at start-up (hence readonly); pointing them at the
	// temporary folder keeps n8n's settings file and encryption key out of the user's home.
	Object.assign(Container.get(InstanceSettingsConfig), {
		n8nFolder: path.join(root, '.n8n'),
		userHome: root,
		encryptionKey: randomBytes(24).toString('base64'),
	});

	// The root Logger registers itself with n8n-workflow's LoggerProxy, which WorkflowExecute uses.
	Container.get(Logger);
	Container.get(InstanceSettings);

	// Every node context builds this service, whose 60 s sweep of idle SSH tunnels would keep
	// Jest from exiting; a test opens no tunnels, so the sweep stops before it is needed.
	Container.get(SSHClientsManager).onShutdown();

	const binaryDataConfig = Container.get(BinaryDataConfig);
	binaryDataConfig.localStoragePath = path.join(root, 'binaryData');
	const binaryDataService = Container.get(BinaryDataService);

	let currentMode: BinaryDataMode | undefined;
	async function useBinaryMode(mode: BinaryDataMode) {
		if (mode === currentMode) return;
		// As at n8n's start-up: the service reads the mode from its config in init().
		binaryDataConfig.mode = mode;
		await binaryDataService.init();
		currentMode = mode;
	}

	const externalSecretsProxy = Container.get(ExternalSecretsProxy);
	return { binaryDataService, externalSecretsProxy, useBinaryMode };
}

function removeStorage() {
	if (root === undefined) return;
	rmSync(root, { recursive: true, force: true });
	root = undefined;
}

// Registered while a test file imports the harness, Jest runs it after the file's tests. Jest
// refuses a hook from inside a test (a lazy import), and outside Jest there is none.
try {
	afterAll(removeStorage);
} catch {
	process.once('exit', removeStorage);
}
