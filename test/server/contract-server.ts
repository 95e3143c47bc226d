/* eslint-disable
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { handleControl, type Controls } from './control';
import { ApiError } from './errors';
import { parseExpiresIn } from './expiry';
import { FileStore } from './file-store';
import { dropMidRequest, endAfterLingering, mediaTypeOf } from './http-io';
import { decodeSegment, publicUrlOf, servePublicFile } from './public-files';
import { writeError, writeJson } from './responses';
import { ServerState } from './server-state';
import type {
	ContractServer,
	ContractServerOptions,
	Knobs,
	ResponseVariant,
	StoredFile,
} from './types';
import { receiveJson, receiveMultipart, type UploadLimits } from './uploads';

const DEFAULT_MAX_FILE_SIZE = 1024 * 1024 * 1024 + 16 * 1024 * 1024;
const DEFAULT_REFUSED_CONTENT_TYPES = ['application/x-msdownload', 'application/x-sh'];

interface Settings {
	apiKeys: string[];
	forbiddenKeys: string[];
	limits: UploadLimits;
	publicBaseUrl: string;
	log: boolean;
}

interface Context {
	settings: Settings;
	store: FileStore;
	state: ServerState;
	controls: Controls;
}

type ApiRoute =
	{ kind: 'upload' } | { kind: 'delete'; fileId: string | undefined } | { kind: 'unknown' };

/** Starts an HTTP server that behaves like the GetFileURL API, for tests only. */
export async function startContractServer(
	options: ContractServerOptions = {},
): Promise<ContractServer> {
	const host = options.host ?? '127.0.0.1';
	// No time limit on a whole request: a 1 GiB upload over a slow link is a legitimate test.
	const server = createServer({ requestTimeout: 0 });
	await listen(server, options.port ?? 0, host);

	const port = (server.address() as AddressInfo).port;
	const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
	const store = FileStore.open(options.storageDir);
	const state = new ServerState();
	const contractServer: ContractServer = {
		url,
		port,
		inventory: () => state.inventory(store.list()),
		setKnobs: (update) => state.setKnobs(update),
		reset: () => {
			state.reset();
			store.clear();
		},
		advanceTime: (ms) => state.advanceTime(ms),
		close: onlyOnce(async () => {
			await closeServer(server);
			store.close();
		}),
	};
	const context: Context = {
		settings: {
			apiKeys: options.apiKeys ?? ['test-key'],
			forbiddenKeys: options.forbiddenKeys ?? ['forbidden-key'],
			limits: {
				maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
				refusedContentTypes: (options.refusedContentTypes ?? DEFAULT_REFUSED_CONTENT_TYPES).map(
					(type) => type.toLowerCase(),
				),
			},
			publicBaseUrl: (options.publicBaseUrl ?? url).replace(/\/+$/, ''),
			log: options.log ?? process.env.CONTRACT_SERVER_LOG === '1',
		},
		store,
		state,
		controls: { ...contractServer, knobs: () => state.knobs, now: () => state.now() },
	};

	const onRequest = (request: IncomingMessage, response: ServerResponse) =>
		void handleRequest(request, response, context);
	server.on('request', onRequest);
	// Answering `Expect: 100-continue` ourselves lets a refused upload never send its body.
	server.on('checkContinue', onRequest);
	return contractServer;
}

async function handleRequest(
	request: IncomingMessage,
	response: ServerResponse,
	context: Context,
): Promise<void> {
	const requestId = `req_${randomBytes(12).toString('base64url')}`;
	const path = (request.url ?? '/').split('?')[0];
	const isControl = path.startsWith('/__control/');
	response.setHeader('X-Request-Id', requestId);
	if (context.settings.log) logWhenClosed(request, response, path);
	if (!isControl) context.state.track(request, response, path);

	try {
		if (isControl) {
			acceptBody(request, response);
			await handleControl(request, response, path, context.controls);
		} else if (path === '/v1' || path.startsWith('/v1/')) {
			await handleApi(request, response, path, context);
		} else {
			await servePublicFile(request, response, path, context.store, context.state.now());
		}
	} catch (error) {
		const errorShape = isControl ? 'nested' : context.state.knobs.variant.errorShape;
		answerError(request, response, error, errorShape, requestId);
	}
}

async function handleApi(
	request: IncomingMessage,
	response: ServerResponse,
	path: string,
	context: Context,
): Promise<void> {
	const { state, settings } = context;
	const route = apiRouteOf(request.method, path);
	if (route.kind === 'upload') state.counts.uploadAttempts++;
	if (route.kind === 'delete') state.counts.deleteAttempts++;

	if (state.knobs.dropNext > 0) {
		state.knobs.dropNext--;
		acceptBody(request, response);
		dropMidRequest(request, (count) => (state.counts.bytesReceived += count));
		return;
	}
	if (state.knobs.delayMs > 0) await sleep(state.knobs.delayMs);
	throwInjectedFailure(state.knobs);
	authenticate(request, settings);

	if (route.kind === 'upload') {
		await handleUpload(request, response, context);
	} else if (route.kind === 'delete') {
		handleDelete(response, route.fileId, context);
	} else {
		throw new ApiError('not_found', `No API endpoint ${request.method} ${path}`);
	}
}

async function handleUpload(
	request: IncomingMessage,
	response: ServerResponse,
	context: Context,
): Promise<void> {
	const { store, state, settings } = context;
	const form = uploadFormOf(request.headers['content-type']);
	const fileId = store.newFileId();

	acceptBody(request, response);
	const receive = form === 'multipart' ? receiveMultipart : receiveJson;
	const received = await receive(request, store.pathOf(fileId), settings.limits, (count) => {
		state.counts.bytesReceived += count;
	});

	const createdAt = state.now();
	const lifetimeMs = received.expiresIn === undefined ? null : parseExpiresIn(received.expiresIn);
	const file: StoredFile = {
		file_id: fileId,
		file_name: received.fileName,
		content_type: received.contentType,
		size: received.size,
		sha256: received.sha256,
		expires_at:
			lifetimeMs === null ? null : new Date(createdAt.getTime() + lifetimeMs).toISOString(),
		created_at: createdAt.toISOString(),
		deleted_at: null,
		upload_form: form,
	};
	store.add(file);
	state.counts.uploads++;

	writeJson(response, 201, uploadAnswer(file, settings.publicBaseUrl, state.knobs.variant));
}

function uploadAnswer(file: StoredFile, publicBaseUrl: string, variant: ResponseVariant) {
	return {
		file_id: file.file_id,
		url: publicUrlOf(publicBaseUrl, file),
		file_name: file.file_name,
		content_type: file.content_type,
		...(variant.sizeKey === 'none' ? {} : { [variant.sizeKey]: file.size }),
		...(variant.expiresAt === 'iso' && file.expires_at !== null
			? { expires_at: file.expires_at }
			: {}),
		created_at: file.created_at,
	};
}

function handleDelete(response: ServerResponse, fileId: string | undefined, context: Context) {
	const { store, state } = context;
	const file = fileId === undefined ? undefined : store.get(fileId);
	if (file === undefined) {
		throw new ApiError('not_found', `No file with id ${JSON.stringify(fileId)}`);
	}
	if (file.deleted_at !== null) {
		const message = `File ${file.file_id} was already deleted at ${file.deleted_at}`;
		throw state.knobs.variant.goneStatus === 410
			? new ApiError('gone', message)
			: new ApiError('not_found', message);
	}

	store.markDeleted(file, state.now().toISOString());
	state.counts.deletes++;

	if (state.knobs.variant.deleteStatus === 204) {
		response.writeHead(204).end();
		return;
	}
	writeJson(response, 200, { file_id: file.file_id, deleted: true, deleted_at: file.deleted_at });
}

function apiRouteOf(method: string | undefined, path: string): ApiRoute {
	if (method === 'POST' && path === '/v1/files') return { kind: 'upload' };

	// The id is one path segment; an encoded `/` stays part of it.
	const [, fileId] = /^\/v1\/files\/([^/]+)$/.exec(path) ?? [];
	if (method === 'DELETE' && fileId !== undefined) {
		return { kind: 'delete', fileId: decodeSegment(fileId) };
	}
	return { kind: 'unknown' };
}

/** Consumes one request's worth of `rateLimitNext`, else of `failNext`. */
function throwInjectedFailure(knobs: Knobs): void {
	const { rateLimitNext, failNext } = knobs;

	if (rateLimitNext !== null && rateLimitNext.count > 0) {
		knobs.rateLimitNext =
			rateLimitNext.count > 1 ? { ...rateLimitNext, count: rateLimitNext.count - 1 } : null;
		const retryAfter = rateLimitNext.retryAfter === undefined ? 1 : rateLimitNext.retryAfter;
		throw new ApiError('rate_limited', 'Too many requests; slow down', 429, retryAfter);
	}

	if (failNext !== null && failNext.count > 0) {
		knobs.failNext = failNext.count > 1 ? { ...failNext, count: failNext.count - 1 } : null;
		throw new ApiError(
			failNext.code ?? 'internal_error',
			`Injected failure: the server answers ${failNext.status}`,
			failNext.status,
			failNext.retryAfter ?? null,
		);
	}
}

/** Reads only the headers: a refused request is answered before its body is read. */
function authenticate(request: IncomingMessage, settings: Settings): void {
	const [, key] = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '') ?? [];

	if (key !== undefined && settings.forbiddenKeys.includes(key)) {
		throw new ApiError('forbidden', 'This API key may not upload or delete files');
	}
	if (key === undefined || !settings.apiKeys.includes(key)) {
		throw new ApiError(
			'unauthorized',
			'Missing or unknown API key; send the header Authorization: Bearer <API key>',
		);
	}
}

function uploadFormOf(contentType: string | undefined): StoredFile['upload_form'] {
	const mediaType = mediaTypeOf(contentType);
	if (mediaType === 'multipart/form-data') return 'multipart';
	if (mediaType === 'application/json') return 'json';

	throw new ApiError(
		'invalid_request',
		'Send the file as multipart/form-data (a `file` part) or as application/json ' +
			`({filename, content_type, base64}), not ${mediaType || 'a body without Content-Type'}`,
	);
}

function answerError(
	request: IncomingMessage,
	response: ServerResponse,
	error: unknown,
	errorShape: ResponseVariant['errorShape'],
	requestId: string,
): void {
	// Failed while streaming a file out: the status is gone, only cutting the body short is left.
	if (response.headersSent) {
		response.destroy();
		return;
	}

	const apiError =
		error instanceof ApiError
			? error
			: new ApiError('internal_error', `The contract server failed: ${String(error)}`);
	const bodyUnread = !request.complete;
	writeError(response, apiError, errorShape, requestId, { holdEnd: bodyUnread });
	if (bodyUnread) endAfterLingering(request, response);
}

/** Sends `100 Continue` when the client waits for it before sending the body. */
function acceptBody(request: IncomingMessage, response: ServerResponse): void {
	if (request.headers.expect?.toLowerCase() === '100-continue') response.writeContinue();
}

/** One line per request; never headers, so never a key. */
function logWhenClosed(request: IncomingMessage, response: ServerResponse, path: string): void {
	const startedAt = Date.now();
	response.on('close', () => {
		const status = response.headersSent ? response.statusCode : 0;
		process.stdout.write(`${request.method} ${path} ${status} ${Date.now() - startedAt}ms\n`);
	});
}

function listen(server: Server, port: number, host: string): Promise<void> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
}

function closeServer(server: Server): Promise<void> {
	return new Promise((resolve, reject) => {
		server.close((error) => (error ? reject(error) : resolve()));
		server.closeAllConnections();
	});
}

function onlyOnce(action: () => Promise<void>): () => Promise<void> {
	let result: Promise<void> | undefined;
	return () => (result ??= action());
}
