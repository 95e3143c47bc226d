import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import {
	concurrencyOf,
	deleteFilesForItem,
	deleteOptions,
	fileIdProperty,
	fileIdsForItem,
} from '../shared/delete-files';
import { processItems } from '../shared/items';
import { CREDENTIAL_TYPE } from '../shared/transport';

export class DeleteFile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Delete File (GetFileURL)',
		name: 'deleteFile',
		icon: {
			light: 'file:../../icons/getfileurl.svg',
			dark: 'file:../../icons/getfileurl.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: 'revoke public URL',
		description:
			'Revoke a GetFileURL public URL now, by its file_id. A file that is already gone counts ' +
			'as deleted.',
		defaults: { name: 'Delete File' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [fileIdProperty, deleteOptions],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const outputs = await processItems(this, concurrencyOf(this), async (itemIndex) => {
			return await deleteFilesForItem(this, itemIndex, fileIdsForItem(this, itemIndex));
		});
		return [outputs];
	}
}
