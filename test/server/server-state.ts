/* eslint-disable
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { defaultKnobs, mergeKnobs } from './knobs';
import type { Inventory, Knobs, KnobsUpdate, RequestRecord, StoredFile } from './types';

interface TrackedRequest {
	record: Omit<RequestRecord, 'status'>;
	/** The status is read from the response when asked, so it is right as soon as it is sent. */
	response: ServerResponse;
}

type Counts = Omit<Inventory, 'files' | 'requests'>;

/** Everything the tests steer or observe, apart from the files themselves. */
export class ServerState {
	knobs: Knobs = defaultKnobs();
	counts: Counts = zeroCounts();
	private clockOffsetMs = 0;
	private requests: TrackedRequest[] = [];

	/** The server's clock: real time plus whatever `advanceTime` added. */
	now(): Date {
		return new Date(Date.now() + this.clockOffsetMs);
	}

	advanceTime(ms: number): void {
		this.clockOffsetMs += ms;
	}

	setKnobs(update: KnobsUpdate): void {
		this.knobs = mergeKnobs(this.knobs, update);
	}

	track(request: IncomingMessage, response: ServerResponse, path: string): void {
		this.requests.push({
			record: {
				method: request.method ?? '',
				path,
				hadAuthorization: request.headers.authorization !== undefined,
				contentType: request.headers['content-type'] ?? null,
				at: this.now().toISOString(),
			},
			response,
		});
	}

	inventory(files: StoredFile[]): Inventory {
		const requests = this.requests.map(({ record, response }) => ({
			method: record.method,
			path: record.path,
			status: response.headersSent ? response.statusCode : 0,
			hadAuthorization: record.hadAuthorization,
			contentType: record.contentType,
			at: record.at,
		}));
		return structuredClone({ files, ...this.counts, requests });
	}

	reset(): void {
		this.knobs = defaultKnobs();
		this.counts = zeroCounts();
		this.clockOffsetMs = 0;
		this.requests = [];
	}
}

function zeroCounts(): Counts {
	return {
		uploads: 0,
		uploadAttempts: 0,
		deletes: 0,
		deleteAttempts: 0,
		bytesReceived: 0,
	};
}
