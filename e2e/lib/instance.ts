/* eslint-disable
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { randomBytes } from 'node:crypto';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	realpathSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPOSITORY_ROOT, type Engine } from './engine';

export type BinaryDataMode = 'filesystem' | 'database';

/** One n8n user folder with its own database, ports and binary storage. */
export interface N8nInstance {
	engine: Engine;
	/** The run's folder: holds the user folder, the files n8n may read, and scratch files. */
	root: string;
	userFolder: string;
	/** The only folder the Read/Write Files from Disk node may read. */
	filesDir: string;
	binaryDataMode: BinaryDataMode;
	port: number;
	brokerPort: number;
	env: NodeJS.ProcessEnv;
}

export interface InstanceOptions {
	binaryDataMode?: BinaryDataMode;
	/** Copy the built package into the user folder (default true). */
	installPackage?: boolean;
	/** A label for the run folder's name, to find it when E2E_KEEP keeps it. */
	label?: string;
	env?: NodeJS.ProcessEnv;
}

export const PACKAGE_NAME = 'n8n-nodes-getfileurl';
const DIST_ENTRY = join('dist', 'nodes', 'UploadFileToUrl', 'UploadFileToUrl.node.js');

// Variables of the developer's own n8n setup must not leak into the run.
const INHERITED_PREFIXES = ['N8N_', 'DB_', 'EXECUTIONS_', 'QUEUE_', 'GENERIC_', 'WEBHOOK_'];

export function packageIsBuilt(): boolean {
	return existsSync(join(REPOSITORY_ROOT, DIST_ENTRY));
}

/** Creates a fresh user folder and the environment every n8n process of this instance gets. */
export async function createInstance(
	engine: Engine,
	options: InstanceOptions = {},
): Promise<N8nInstance> {
	const base = process.env.E2E_WORK_DIR || join(tmpdir(), 'n8n-nodes-getfileurl-e2e');
	mkdirSync(base, { recursive: true });
	// n8n checks file access on resolved paths, so the folder it is given must be resolved too.
	const root = realpathSync(mkdtempSync(join(base, `${options.label ?? 'run'}-`)));
	const userFolder = join(root, 'user');
	const filesDir = join(root, 'files');
	mkdirSync(userFolder);
	mkdirSync(filesDir);

	const binaryDataMode = options.binaryDataMode ?? 'filesystem';
	const port = await freePort();
	const brokerPort = await freePort();
	const env = {
		...inheritedEnvironment(),
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		SCARF_ANALYTICS: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_DEFAULT_BINARY_DATA_MODE: binaryDataMode,
		// n8n 2.x lets Read/Write Files from Disk read only ~/.n8n-files unless told otherwise.
		N8N_RESTRICT_FILE_ACCESS_TO: filesDir,
		// `execute` prints the run only at info level.
		N8N_LOG_LEVEL: 'info',
		...options.env,
	};

	const instance: N8nInstance = {
		engine,
		root,
		userFolder,
		filesDir,
		binaryDataMode,
		port,
		brokerPort,
		env,
	};
	if (options.installPackage ?? true) installPackage(instance);

	return instance;
}

/**
 * Installs the built package the way `npm install` in ~/.n8n/nodes leaves it: the package under
 * nodes/node_modules, listed in nodes/package.json. n8n resolves the peer n8n-workflow itself.
 */
export function installPackage(instance: N8nInstance): void {
	if (!packageIsBuilt()) {
		throw new Error(`${DIST_ENTRY} is missing: run \`npm run build\` before the e2e tests`);
	}
	const manifest = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as {
		version: string;
	};
	const nodesFolder = join(instance.userFolder, '.n8n', 'nodes');
	const target = join(nodesFolder, 'node_modules', PACKAGE_NAME);
	mkdirSync(target, { recursive: true });

	cpSync(join(REPOSITORY_ROOT, 'package.json'), join(target, 'package.json'));
	cpSync(join(REPOSITORY_ROOT, 'dist'), join(target, 'dist'), { recursive: true });
	for (const extra of ['README.md', 'LICENSE', 'LICENSE.md']) {
		const source = join(REPOSITORY_ROOT, extra);
		if (existsSync(source)) cpSync(source, join(target, extra));
	}

	const installedNodes = {
		name: 'installed-nodes',
		private: true,
		dependencies: { [PACKAGE_NAME]: manifest.version },
	};
	writeFileSync(join(nodesFolder, 'package.json'), JSON.stringify(installedNodes, null, 2));
}

/** Removes the run folder unless E2E_KEEP asks to keep it for inspection. */
export function removeInstance(instance: N8nInstance | undefined): void {
	if (!instance || process.env.E2E_KEEP) return;
	rmSync(instance.root, { recursive: true, force: true });
}

/** A port that is free now; n8n binds it a few seconds later, so collisions are unlikely. */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

function inheritedEnvironment(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (INHERITED_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
		// Jest sets NODE_ENV=test, which makes n8n silence its logs and refuse to load nodes.
		if (name === 'NODE_OPTIONS' || name === 'NODE_ENV' || name.startsWith('JEST_')) continue;
		env[name] = value;
	}
	return env;
}
