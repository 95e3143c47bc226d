/* eslint-disable
	@n8n/community-nodes/no-restricted-imports,
	@n8n/community-nodes/require-node-api-error
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { ApiError } from './errors';
import { readBody } from './http-io';
import { parseKnobsUpdate } from './knobs';
import { writeJson } from './responses';
import type { ContractServer, Knobs } from './types';

const MAX_CONTROL_BODY_BYTES = 1024 * 1024;

export type Controls = Pick<ContractServer, 'inventory' | 'setKnobs' | 'reset' | 'advanceTime'> & {
	knobs(): Knobs;
	now(): Date;
};

/**
 * /__control/*: the same control as the TypeScript API, for tests that run n8n in another
 * process. It needs no key: the server listens on loopback only, unless told otherwise.
 */
export async function handleControl(
	request: IncomingMessage,
	response: ServerResponse,
	path: string,
	controls: Controls,
): Promise<void> {
	const route = `${request.method} ${path}`;

	if (route === 'GET /__control/inventory') {
		writeJson(response, 200, controls.inventory());
	} else if (route === 'POST /__control/knobs') {
		controls.setKnobs(parseKnobsUpdate(await readJson(request)));
		writeJson(response, 200, controls.knobs());
	} else if (route === 'POST /__control/reset') {
		controls.reset();
		writeJson(response, 200, { reset: true });
	} else if (route === 'POST /__control/advance-time') {
		controls.advanceTime(millisecondsOf(await readJson(request)));
		writeJson(response, 200, { now: controls.now().toISOString() });
	} else {
		throw new ApiError('not_found', `No control endpoint ${route}`);
	}
}

async function readJson(request: IncomingMessage): Promise<unknown> {
	const body = await readBody(request, MAX_CONTROL_BODY_BYTES, () => undefined);
	try {
		return JSON.parse(body.toString('utf8'));
	} catch {
		throw new ApiError('invalid_request', 'The control request body is not valid JSON');
	}
}

function millisecondsOf(body: unknown): number {
	const ms = (body as { ms?: unknown } | null)?.ms;
	if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
		throw new ApiError('invalid_request', 'advance-time takes {"ms": N}, N a number, 0 or more');
	}
	return ms;
}
