/* eslint-disable
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
/**
 * Runs the contract server until SIGINT or SIGTERM:
 *   npm run server -- --port 5680 --api-key demo-key [--api-key other] [--host 127.0.0.1]
 *                     [--max-file-size BYTES]
 */
import { parseArgs } from 'node:util';

import { startContractServer } from './contract-server';

const USAGE =
	'usage: npm run server -- [--port 5680] [--host 127.0.0.1] [--api-key KEY]... ' +
	'[--max-file-size BYTES]';

async function main(): Promise<void> {
	const flags = readFlags();

	const server = await startContractServer(flags);
	const keys = flags.apiKeys;
	process.stdout.write(
		`GetFileURL contract server on ${server.url} ` +
			`(accepts ${keys.length} API key${keys.length === 1 ? '' : 's'}: ` +
			`${keys.map(keyHint).join(', ')}; control at ${server.url}/__control/)\n`,
	);

	const stop = () => {
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
		void server.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

function readFlags() {
	let values;
	try {
		({ values } = parseArgs({
			options: {
				port: { type: 'string', default: '5680' },
				host: { type: 'string', default: '127.0.0.1' },
				'api-key': { type: 'string', multiple: true, default: ['test-key'] },
				'max-file-size': { type: 'string' },
			},
		}));
	} catch (error) {
		return exitWithUsage((error as Error).message);
	}

	const port = wholeNumber(values.port, '--port');
	const maxFileSize =
		values['max-file-size'] === undefined
			? undefined
			: wholeNumber(values['max-file-size'], '--max-file-size');
	return { port, host: values.host, apiKeys: values['api-key'], maxFileSize };
}

function wholeNumber(text: string, flag: string): number {
	if (!/^[0-9]+$/.test(text)) return exitWithUsage(`${flag} takes a whole number, not ${text}`);
	return Number(text);
}

/** Enough of a key to tell which one is meant, never the key itself. */
function keyHint(key: string): string {
	return `${key.slice(0, Math.min(3, Math.floor(key.length / 3)))}… (${key.length} characters)`;
}

function exitWithUsage(problem: string): never {
	process.stderr.write(`${problem}\n${USAGE}\n`);
	process.exit(2);
}

main().catch((error: Error) => {
	process.stderr.write(`contract server failed to start: ${error.message}\n`);
	process.exit(1);
});
