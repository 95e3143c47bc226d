/* eslint-disable
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { StoredFile } from './types';

/** Files on disk, one per file_id, and their records (kept after deletion, as tombstones). */
export class FileStore {
	private readonly files = new Map<string, StoredFile>();

	private constructor(
		private readonly dir: string,
		private readonly ownsDir: boolean,
	) {}

	static open(dir: string | undefined): FileStore {
		if (dir === undefined) {
			return new FileStore(mkdtempSync(join(tmpdir(), 'getfileurl-contract-')), true);
		}

		mkdirSync(dir, { recursive: true });
		return new FileStore(dir, false);
	}

	/** `f_` and 24 URL-safe characters: safe in a path segment and as a file name on disk. */
	newFileId(): string {
		return `f_${randomBytes(18).toString('base64url')}`;
	}

	pathOf(fileId: string): string {
		return join(this.dir, fileId);
	}

	add(file: StoredFile): void {
		this.files.set(file.file_id, file);
	}

	get(fileId: string): StoredFile | undefined {
		return this.files.get(fileId);
	}

	list(): StoredFile[] {
		return [...this.files.values()];
	}

	/** Keeps the record, removes the bytes. */
	markDeleted(file: StoredFile, deletedAt: string): void {
		file.deleted_at = deletedAt;
		rmSync(this.pathOf(file.file_id), { force: true });
	}

	clear(): void {
		for (const fileId of this.files.keys()) rmSync(this.pathOf(fileId), { force: true });
		this.files.clear();
	}

	close(): void {
		this.clear();
		if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
	}
}
