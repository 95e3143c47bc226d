export class InvalidFileIdError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

const FROM_UPLOAD_HINT =
	'Pass the file_id from the Upload File to URL output, for example {{ $json.file_id }}, ' +
	'or several as an array or a comma-separated list.';

function oneFileId(value: unknown): string {
	const candidate =
		value !== null && typeof value === 'object' && 'file_id' in value
			? (value as { file_id: unknown }).file_id
			: value;

	if (typeof candidate === 'number' && Number.isFinite(candidate)) return String(candidate);
	if (typeof candidate !== 'string') {
		throw new InvalidFileIdError(
			`A File ID must be text, not ${JSON.stringify(candidate)}`,
			FROM_UPLOAD_HINT,
		);
	}

	const fileId = candidate.trim();
	if (fileId === '') throw new InvalidFileIdError('The File ID is empty', FROM_UPLOAD_HINT);
	if (/^https?:\/\//i.test(fileId)) {
		throw new InvalidFileIdError(
			'The File ID is a URL; deleting needs the file_id, not the public URL',
			FROM_UPLOAD_HINT,
		);
	}
	if ([...fileId].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) {
		throw new InvalidFileIdError('The File ID contains control characters', FROM_UPLOAD_HINT);
	}
	return fileId;
}

/**
 * The file IDs an item names: one ID, an array (of IDs or of upload results), or a
 * comma-separated list. Duplicates are deleted once.
 */
export function parseFileIds(value: unknown): string[] {
	if (value === undefined || value === null || value === '') {
		throw new InvalidFileIdError('No File ID was given', FROM_UPLOAD_HINT);
	}

	const listed = Array.isArray(value)
		? value
		: typeof value === 'string' && value.includes(',')
			? value.split(',').filter((part) => part.trim() !== '')
			: [value];
	if (listed.length === 0)
		throw new InvalidFileIdError('The list of File IDs is empty', FROM_UPLOAD_HINT);

	return [...new Set(listed.map(oneFileId))];
}
