import type { CredentialToImport } from './cli';
import { PACKAGE_NAME } from './instance';

/** The package's node types as n8n names them once the package is installed. */
export const NODE_TYPES = {
	uploadFileToUrl: `${PACKAGE_NAME}.uploadFileToUrl`,
	deleteFile: `${PACKAGE_NAME}.deleteFile`,
	waitThenDelete: `${PACKAGE_NAME}.waitThenDelete`,
} as const;

export const CREDENTIAL_TYPE = 'getFileUrlApi';

/** The credential every workflow in examples/ names: import one with this id to run them. */
export const EXAMPLE_CREDENTIAL = {
	id: 'getfileurlDemo1',
	name: 'GetFileURL (local contract server)',
} as const;

/** What the Upload File to URL node adds to each item's json. */
export interface UploadOutput {
	url: string;
	file_id: string;
	expires_at: string | null;
	size: number;
	content_type: string;
	file_name: string;
	binary_field: string;
}

/** A GetFileURL credential pointing at a contract server (or any compatible base URL). */
export function getFileUrlCredential(
	id: string,
	baseUrl: string,
	apiKey: string,
	name = 'GetFileURL',
): CredentialToImport {
	return { id, name, type: CREDENTIAL_TYPE, data: { apiKey, baseUrl } };
}
