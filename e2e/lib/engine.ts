/* eslint-disable
	@n8n/community-nodes/no-dangerous-functions,
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPOSITORY_ROOT = resolve(__dirname, '..', '..');
export const DEFAULT_ENGINE_VERSION = '2.8.4';

export interface Engine {
	version: string;
	folder: string;
	/** The `n8n` executable of that engine. */
	bin: string;
}

// A cold install takes 6-9 minutes; a cached one answers at once.
const INSTALL_TIMEOUT_MS = 20 * 60_000;

export function engineVersion(): string {
	return process.env.N8N_E2E_VERSION || DEFAULT_ENGINE_VERSION;
}

/** Set by the Jest global setup, so that parallel test files never install the engine twice. */
export const ENGINE_FOLDER_VARIABLE = 'N8N_E2E_ENGINE_FOLDER';

/** Installs the pinned engine if its cache is cold (through scripts/engine.sh) and locates it. */
export function locateEngine(version = engineVersion()): Engine {
	const located = process.env[ENGINE_FOLDER_VARIABLE];
	if (located && existsSync(binIn(located)))
		return { version, folder: located, bin: binIn(located) };

	const output = execFileSync('bash', [join(REPOSITORY_ROOT, 'scripts', 'engine.sh'), version], {
		cwd: REPOSITORY_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		timeout: INSTALL_TIMEOUT_MS,
	});
	const lines = output.trim().split('\n');
	const folder = lines[lines.length - 1];
	const bin = binIn(folder);
	if (!existsSync(bin)) {
		throw new Error(`scripts/engine.sh ${version} printed ${folder}, which has no n8n binary`);
	}

	return { version, folder, bin };
}

function binIn(folder: string): string {
	// The launcher scripts/engine.sh writes: it runs n8n on the Node.js that engine needs.
	return join(folder, 'n8n');
}
