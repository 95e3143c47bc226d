import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { deleteOptions, fileIdProperty } from '../shared/delete-files';
import { CREDENTIAL_TYPE } from '../shared/transport';
import { executeWaitThenDelete, waitProperties } from './wait-then-delete';

export class WaitThenDelete implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wait Then Delete (GetFileURL)',
		name: 'waitThenDelete',
		icon: {
			light: 'file:../../icons/getfileurl.svg',
			dark: 'file:../../icons/getfileurl.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle:
			'={{ $parameter["waitMode"] === "until" ? "delete at " + $parameter["waitUntil"] : ' +
			'"delete after " + $parameter["waitAmount"] + " " + $parameter["waitUnit"] }}',
		description:
			'Give a downstream system time to fetch a file, then revoke its GetFileURL URL. Waits ' +
			'inside the running execution: a restart of n8n ends the wait (use a Wait node then ' +
			'Delete File for long waits).',
		defaults: { name: 'Wait Then Delete' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [...waitProperties, fileIdProperty, deleteOptions],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await executeWaitThenDelete(this)];
	}
}
