import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** An ID GetFileURL never issues: deleting it proves the key and touches no file. */
const CREDENTIAL_TEST_FILE_ID = 'n8n-credential-check-no-such-file';

const refusedKey = (key: string, value: string, message: string) => ({
	type: 'responseSuccessBody' as const,
	properties: { key, value, message },
});

const REFUSED = 'GetFileURL refused this API key: check it, or create a new one';
const FORBIDDEN = 'This API key may not manage files: check its permissions in GetFileURL';

export class GetFileUrlApi implements ICredentialType {
	name = 'getFileUrlApi';

	displayName = 'GetFileURL API';

	icon = {
		light: 'file:../icons/getfileurl.svg',
		dark: 'file:../icons/getfileurl.dark.svg',
	} as const;

	documentationUrl = 'https://github.com/getfileurl/n8n-nodes-getfileurl#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'An API key from your GetFileURL dashboard',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.getfileurl.com',
			description:
				'Where the GetFileURL API lives. Change it only for a compatible server, such as a ' +
				'self-hosted or test server.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// No read-only endpoint is published, so the test deletes an ID that cannot exist: a good
	// key gets "not found", a bad one "unauthorized" (in any of the API's error shapes).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl.replace(/\\/+$/, "") }}',
			url: `/v1/files/${CREDENTIAL_TEST_FILE_ID}`,
			method: 'DELETE',
			ignoreHttpStatusErrors: true,
		},
		rules: [
			refusedKey('error.code', 'unauthorized', REFUSED),
			refusedKey('code', 'unauthorized', REFUSED),
			refusedKey('error', 'unauthorized', REFUSED),
			refusedKey('error.code', 'forbidden', FORBIDDEN),
			refusedKey('code', 'forbidden', FORBIDDEN),
			refusedKey('error', 'forbidden', FORBIDDEN),
		],
	};
}
