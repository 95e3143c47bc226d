/* eslint-disable
	@n8n/community-nodes/no-hardcoded-secrets,
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import type { ChildProcess } from 'node:child_process';

import type { N8nInstance } from './instance';
import { killGroup, startChild, stopChild } from './process';

/** A running `n8n start` on an instance's user folder. */
export interface N8nServer {
	instance: N8nInstance;
	baseUrl: string;
	child: ChildProcess;
	/** Everything the server printed so far, for failure messages. */
	log: () => string;
}

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

// `Editor is now accessible` comes 10-16 s after the start on these machines.
const READY_TIMEOUT_MS = 120_000;
const READY_LINE = 'Editor is now accessible';
const REQUEST_TIMEOUT_MS = 60_000;

export const TEST_OWNER: Owner = {
	email: 'owner@example.com',
	// n8n wants 8-64 characters with a digit and a capital letter.
	password: 'E2eOwnerPassword1',
	firstName: 'End',
	lastName: 'ToEnd',
};

/** Starts `n8n start` and resolves once the editor (and with it every webhook) is served. */
export async function startServer(instance: N8nInstance): Promise<N8nServer> {
	const child = startChild(instance.engine.bin, ['start'], {
		env: instance.env,
		cwd: instance.root,
	});
	const output: string[] = [];
	const log = () => output.join('');

	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));

	await new Promise<void>((resolve, reject) => {
		const settle = (error?: Error) => {
			clearTimeout(timer);
			clearInterval(poll);
			child.off('exit', onExit);
			if (!error) return resolve();
			void stopChild(child);
			reject(error);
		};
		const fail = (reason: string) => {
			const tail = log().split('\n').slice(-40).join('\n');
			settle(new Error(`n8n start ${reason}:\n${tail}`));
		};
		const onExit = (code: number | null, signal: string | null) =>
			fail(`exited early (code ${code}, signal ${signal})`);

		const timer = setTimeout(
			() => fail(`was not ready after ${READY_TIMEOUT_MS} ms`),
			READY_TIMEOUT_MS,
		);
		const poll = setInterval(() => {
			if (log().includes(READY_LINE)) settle();
		}, 100);
		child.once('exit', onExit);
	});

	return { instance, baseUrl: `http://127.0.0.1:${instance.port}`, child, log };
}

/** SIGTERM (n8n shuts down gracefully), SIGKILL if it has not exited after the grace period. */
export async function stopServer(server: N8nServer | undefined, graceMs = 20_000): Promise<void> {
	if (!server) return;
	await stopChild(server.child, graceMs);
}

/** SIGKILL, as a crash or an out-of-memory kill would end n8n: no shutdown code runs. */
export async function killServer(server: N8nServer): Promise<void> {
	const { child } = server;
	if (child.exitCode !== null || child.signalCode !== null) return;

	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	killGroup(child, 'SIGKILL');
	await exited;
}

/** Stops the server and starts it again on the same user folder, database and ports. */
export async function restartServer(server: N8nServer): Promise<N8nServer> {
	await stopServer(server);
	return await startServer(server.instance);
}

/** The internal REST API (`/rest`) as the editor uses it: a session cookie after owner setup. */
export class RestClient {
	private cookie = '';

	// n8n binds the session to this header when it is sent; one value per client keeps it stable.
	private readonly browserId = `e2e-${process.pid}-${Date.now()}`;

	constructor(private readonly baseUrl: string) {}

	/** Creates the instance owner on a fresh instance; n8n answers with a session cookie. */
	async setupOwner(owner: Owner = TEST_OWNER): Promise<void> {
		await this.request('POST', '/rest/owner/setup', owner);
	}

	async login(owner: Owner = TEST_OWNER): Promise<void> {
		await this.request('POST', '/rest/login', {
			emailOrLdapLoginId: owner.email,
			password: owner.password,
		});
	}

	/** An API key for the public API (`/api/v1`), with every scope the owner may grant. */
	async createApiKey(label = 'e2e'): Promise<string> {
		const scopes = await this.request<string[]>('GET', '/rest/api-keys/scopes');
		const created = await this.request<{ rawApiKey: string }>('POST', '/rest/api-keys', {
			label,
			scopes,
			expiresAt: null,
		});
		return created.rawApiKey;
	}

	/** A stored credential as the editor loads it: secret values come back redacted. */
	async getCredential(id: string): Promise<StoredCredential> {
		return await this.request<StoredCredential>('GET', `/rest/credentials/${id}?includeData=true`);
	}

	/**
	 * Tests a stored credential, as the editor's "Test" button does. The credential must exist;
	 * the `data` sent wins over the stored data, except values the editor sends redacted.
	 */
	async testCredential(credential: StoredCredential): Promise<CredentialTestResult> {
		const { id, name, type, data } = credential;
		return await this.request<CredentialTestResult>('POST', '/rest/credentials/test', {
			credentials: { id, name, type, data },
		});
	}

	/** Calls a `/rest` endpoint and unwraps n8n's `{ data }` envelope; throws on any non-2xx. */
	async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const headers: Record<string, string> = { 'browser-id': this.browserId };
		if (this.cookie) headers.cookie = this.cookie;
		if (body !== undefined) headers['content-type'] = 'application/json';

		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
		});
		this.keepSessionCookie(response);

		const text = await response.text();
		if (!response.ok) {
			throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
		}
		const parsed = text ? (JSON.parse(text) as { data?: T }) : {};
		return parsed.data as T;
	}

	private keepSessionCookie(response: Response): void {
		for (const setCookie of response.headers.getSetCookie()) {
			const [pair] = setCookie.split(';');
			if (pair.startsWith('n8n-auth=')) this.cookie = pair;
		}
	}
}

/** The public API (`/api/v1`) with an API key from `RestClient.createApiKey`. */
export class PublicApiClient {
	constructor(
		private readonly baseUrl: string,
		private readonly apiKey: string,
	) {}

	/** An execution with its run data, for runs that `n8n start` did (webhooks, resumed waits). */
	async getExecution(id: string): Promise<Record<string, unknown>> {
		return await this.request('GET', `/api/v1/executions/${id}?includeData=true`);
	}

	/** Calls an `/api/v1` endpoint; throws on any non-2xx. */
	async request<T = Record<string, unknown>>(
		method: string,
		path: string,
		body?: unknown,
	): Promise<T> {
		const headers: Record<string, string> = { 'x-n8n-api-key': this.apiKey };
		if (body !== undefined) headers['content-type'] = 'application/json';

		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
		});
		const text = await response.text();
		if (!response.ok) {
			throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
		}
		return (text ? JSON.parse(text) : {}) as T;
	}
}
