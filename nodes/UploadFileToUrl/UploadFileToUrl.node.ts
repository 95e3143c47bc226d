import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/transport';
import { execute, properties } from './upload';

export class UploadFileToUrl implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Upload File to URL',
		name: 'uploadFileToUrl',
		icon: {
			light: 'file:../../icons/getfileurl.svg',
			dark: 'file:../../icons/getfileurl.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle:
			'={{ $parameter["expiry"] === "accountDefault" ? "account default expiry" : "expires in " + ' +
			'($parameter["expiry"] === "custom" ? $parameter["expiryAmount"] + $parameter["expiryUnit"] ' +
			': $parameter["expiry"]) }}',
		description:
			'Upload a file to GetFileURL and get a temporary public URL for the next API (OCR, AI, ' +
			'social publishing). Binary data, base64 or a file URL in; url, file_id and expires_at out.',
		defaults: { name: 'Upload File to URL' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await execute(this)];
	}
}
