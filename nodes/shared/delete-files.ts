import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { describeApiError, parseApiError } from './api-error';
import { InvalidFileIdError, parseFileIds } from './file-ids';
import { concurrencyOption, outputFieldOption, secondsToMs, timeoutOption } from './options';
import { placeResult, toIsoTimestamp } from './output';
import { filePath, requestApi } from './transport';

const GONE_STATUSES = [404, 410];

export const fileIdProperty: INodeProperties = {
	displayName: 'File ID',
	name: 'fileId',
	type: 'string',
	default: '={{ $json.file_id }}',
	required: true,
	description:
		'The file_id returned by Upload File to URL. Several IDs: an array, or a comma-separated list.',
};

export const deleteOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		concurrencyOption,
		{
			displayName: 'Fail If Already Gone',
			name: 'failIfGone',
			type: 'boolean',
			default: false,
			description:
				'Whether a file that is already deleted or expired (404 or 410) is an error; by ' +
				'default it counts as deleted and is reported with already_gone: true',
		},
		outputFieldOption,
		timeoutOption,
	],
};

export interface DeleteOptions {
	concurrency?: number;
	failIfGone?: boolean;
	outputField?: string;
	timeout?: number;
}

export interface DeleteResult extends IDataObject {
	file_id: string;
	deleted: boolean;
	already_gone: boolean;
	deleted_at: string | null;
}

export function fileIdsForItem(ctx: IExecuteFunctions, itemIndex: number): string[] {
	try {
		return parseFileIds(ctx.getNodeParameter('fileId', itemIndex));
	} catch (error) {
		const hint = error instanceof InvalidFileIdError ? error.hint : undefined;
		throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex, description: hint });
	}
}

async function deleteFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fileId: string,
	options: DeleteOptions,
): Promise<DeleteResult> {
	const response = await requestApi(ctx, {
		method: 'DELETE',
		path: filePath(fileId),
		timeoutMs: secondsToMs(options.timeout, 300),
		itemIndex,
		acceptStatuses: GONE_STATUSES,
	});

	if (!GONE_STATUSES.includes(response.status)) {
		const answer = (response.body ?? {}) as IDataObject;
		const deletedAt = toIsoTimestamp(answer.deleted_at) ?? new Date().toISOString();
		return { file_id: fileId, deleted: true, already_gone: false, deleted_at: deletedAt };
	}

	if (options.failIfGone) {
		const details = parseApiError(response.status, response.body, response.headers);
		const { message, description } = describeApiError(details);
		throw new NodeApiError(
			ctx.getNode(),
			{ code: details.code, message: details.message, file_id: fileId },
			{
				message: `${message}: ${fileId}`,
				description,
				httpCode: String(details.status),
				itemIndex,
			},
		);
	}
	return { file_id: fileId, deleted: true, already_gone: true, deleted_at: null };
}

/** Deletes every file an item names, one output item per file ID, paired with the input. */
export async function deleteFilesForItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fileIds: string[],
): Promise<INodeExecutionData[]> {
	const item = ctx.getInputData()[itemIndex];
	const options = ctx.getNodeParameter('options', itemIndex, {}) as DeleteOptions;

	const outputs: INodeExecutionData[] = [];
	for (const fileId of fileIds) {
		const result = await deleteFile(ctx, itemIndex, fileId, options);
		outputs.push({
			json: placeResult(item.json, result, options.outputField ?? ''),
			pairedItem: { item: itemIndex },
		});
	}
	return outputs;
}

export function concurrencyOf(ctx: IExecuteFunctions): number {
	const { concurrency } = ctx.getNodeParameter('options', 0, {}) as DeleteOptions;
	return concurrency ?? 4;
}
