/** How the server words its answers where the published API leaves the shape open. */
export interface ResponseVariant {
	/** Key under which the upload response gives the size in bytes. */
	sizeKey: 'size' | 'size_bytes' | 'none';
	/** `omit` drops `expires_at` from upload responses even when an expiry was set. */
	expiresAt: 'iso' | 'omit';
	/** `{"error":{code,message,request_id}}` | `{code,message}` | a text/plain message. */
	errorShape: 'nested' | 'flat' | 'text';
	/** Success status of DELETE: 200 with a JSON body, or 204 without one. */
	deleteStatus: 200 | 204;
	/** Status of DELETE on an already-deleted id (404 `not_found` or 410 `gone`). */
	goneStatus: 404 | 410;
}

/**
 * `number` is a delay in seconds; `'http-date'` sends an HTTP date that many seconds ahead
 * (1 s, rounded up to the next whole second); `null` omits the header.
 */
export type RetryAfter = number | 'http-date' | null;

/** Misbehaviour to inject into the next /v1 requests; each consumed request decrements `count`. */
export interface Knobs {
	/** Answer with this status and error `code` (default `internal_error`). */
	failNext: { count: number; status: number; code?: string; retryAfter?: RetryAfter } | null;
	/** Answer 429 `rate_limited`; `retryAfter` defaults to 1 second. */
	rateLimitNext: { count: number; retryAfter?: RetryAfter } | null;
	/** Wait this long before answering every /v1 request. */
	delayMs: number;
	/** Destroy the socket of the next N /v1 requests once some of the body arrived. */
	dropNext: number;
	variant: ResponseVariant;
}

/** What `setKnobs` accepts: any subset of the knobs, and any subset of the variant. */
export type KnobsUpdate = Partial<Omit<Knobs, 'variant'>> & { variant?: Partial<ResponseVariant> };

export interface StoredFile {
	file_id: string;
	/** The name exactly as the client sent it, path separators included. */
	file_name: string;
	content_type: string;
	size: number;
	sha256: string;
	expires_at: string | null;
	created_at: string;
	deleted_at: string | null;
	upload_form: 'multipart' | 'json';
}

export interface RequestRecord {
	method: string;
	/** Path without the query string. */
	path: string;
	/** 0 when the connection ended without an answer (dropNext, or the client gave up). */
	status: number;
	hadAuthorization: boolean;
	contentType: string | null;
	/** Server clock (see `advanceTime`) when the request arrived. */
	at: string;
}

export interface Inventory {
	files: StoredFile[];
	/** Successful uploads. */
	uploads: number;
	/** Every POST /v1/files received, whatever its fate. */
	uploadAttempts: number;
	deletes: number;
	deleteAttempts: number;
	/** Request body bytes the server read while handling /v1 calls. */
	bytesReceived: number;
	/** Every request, public file fetches included, /__control excluded. */
	requests: RequestRecord[];
}

export interface ContractServerOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	/** Keys accepted; default ['test-key']. */
	apiKeys?: string[];
	/** Known keys without upload rights, answered 403 `forbidden`; default ['forbidden-key']. */
	forbiddenKeys?: string[];
	/** Bytes; default 1 GiB + 16 MiB; larger files get 413 `file_too_large`. */
	maxFileSize?: number;
	/** File content types answered 415 `unsupported_type`. */
	refusedContentTypes?: string[];
	/** Default: a fresh temporary folder, removed on close(). */
	storageDir?: string;
	/** Origin of the public file URLs; default: the server's own URL. */
	publicBaseUrl?: string;
	/** One line per request on stdout (never headers); default: env CONTRACT_SERVER_LOG=1. */
	log?: boolean;
}

export interface ContractServer {
	/** 'http://127.0.0.1:PORT', no trailing slash. */
	url: string;
	port: number;
	/** A snapshot copy. */
	inventory(): Inventory;
	setKnobs(knobs: KnobsUpdate): void;
	/** Knobs back to defaults, inventory and files cleared, clock offset 0. */
	reset(): void;
	/** Moves the server's clock forward; expiry checks use it. */
	advanceTime(ms: number): void;
	close(): Promise<void>;
}
