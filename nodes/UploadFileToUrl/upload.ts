import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { ExpiresIn } from '../shared/expiry';
import {
	concurrencyOption,
	outputFieldOption,
	secondsToMs,
	timeoutOption,
} from '../shared/options';
import { MultipartBody } from '../shared/multipart';
import { placeResult, shapeUploadResult, UnexpectedAnswerError } from '../shared/output';
import type { UploadResult } from '../shared/output';
import { processItems } from '../shared/items';
import { requestApi } from '../shared/transport';
import { expiryForItem, expiryProperties } from './expiry-parameters';
import { base64Source, binarySources, urlSource } from './sources';
import type { SourceOverrides, UploadSource } from './sources';

const MIB = 1024 * 1024;

export const properties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Binary Data',
				value: 'binary',
				description: 'A file carried by the item, for example from Read Files or HTTP Request',
			},
			{
				name: 'Base64 String',
				value: 'base64',
				description: 'File content as base64 text; the form to use when an AI agent calls the node',
			},
			{
				name: 'File URL',
				value: 'url',
				description: 'A file n8n downloads first, then uploads',
			},
		],
		default: 'binary',
	},
	{
		displayName: 'Input Binary Field(s)',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { source: ['binary'] } },
		hint: 'One field, several separated by commas, or * for every binary field of the item',
		description: 'The binary field(s) of the input item holding the file(s) to upload',
	},
	{
		displayName: 'Base64 Data',
		name: 'base64Data',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		required: true,
		displayOptions: { show: { source: ['base64'] } },
		description: 'The file content as base64; a data:...;base64, prefix is removed',
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'report.pdf',
		displayOptions: { show: { source: ['base64'] } },
		description: 'Name of the file; its extension sets the content type unless one is given',
	},
	{
		displayName: 'Content Type',
		name: 'contentType',
		type: 'string',
		default: '',
		placeholder: 'application/pdf',
		displayOptions: { show: { source: ['base64'] } },
		description: 'MIME type of the file; empty to take it from the file name',
	},
	{
		displayName: 'File URL',
		name: 'fileUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/invoice.pdf',
		displayOptions: { show: { source: ['url'] } },
		description:
			'Address of the file to download and upload; the GetFileURL API key is not sent to it',
	},
	...expiryProperties,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			concurrencyOption,
			{
				displayName: 'Content Type',
				name: 'contentType',
				displayOptions: { show: { '/source': ['binary', 'url'] } },
				type: 'string',
				default: '',
				placeholder: 'image/png',
				description: "Overrides the file's content type",
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				displayOptions: { show: { '/source': ['binary', 'url'] } },
				type: 'string',
				default: '',
				placeholder: 'invoice.pdf',
				description: "Overrides the file's name",
			},
			{
				displayName: 'Keep Input Binary',
				name: 'keepBinary',
				displayOptions: { show: { '/source': ['binary'] } },
				type: 'boolean',
				default: false,
				description:
					'Whether to pass the input binary data through; by default it is dropped to save memory',
			},
			{
				displayName: 'Max Download Size (MB)',
				name: 'maxDownloadSizeMb',
				displayOptions: { show: { '/source': ['url'] } },
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 512,
				description: 'Largest file the File URL source downloads',
			},
			outputFieldOption,
			timeoutOption,
		],
	},
];

interface UploadOptions extends SourceOverrides {
	concurrency?: number;
	keepBinary?: boolean;
	maxDownloadSizeMb?: number;
	outputField?: string;
	timeout?: number;
}

async function sourcesForItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: UploadOptions,
	timeoutMs: number,
): Promise<UploadSource[]> {
	const source = ctx.getNodeParameter('source', itemIndex) as string;
	const overrides = { fileName: options.fileName, contentType: options.contentType };

	if (source === 'binary') {
		const selection = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
		return await binarySources(ctx, itemIndex, selection, overrides);
	}
	if (source === 'base64') {
		const base64 = ctx.getNodeParameter('base64Data', itemIndex) as string;
		const fileName = ctx.getNodeParameter('fileName', itemIndex) as string;
		const contentType = ctx.getNodeParameter('contentType', itemIndex, '') as string;
		return [
			base64Source(ctx, itemIndex, base64, fileName, {
				fileName: overrides.fileName,
				contentType: overrides.contentType || contentType,
			}),
		];
	}
	const fileUrl = ctx.getNodeParameter('fileUrl', itemIndex) as string;
	const maxBytes = Math.round((options.maxDownloadSizeMb ?? 512) * MIB);
	return [await urlSource(ctx, itemIndex, fileUrl, overrides, { timeoutMs, maxBytes })];
}

async function uploadFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	file: UploadSource,
	expiresIn: ExpiresIn | undefined,
	timeoutMs: number,
): Promise<UploadResult> {
	const fields: Record<string, string> = expiresIn ? { expires_in: expiresIn } : {};
	const requestedAt = new Date();

	let answer: unknown;
	try {
		const response = await requestApi(ctx, {
			method: 'POST',
			path: '/v1/files',
			body: async () => new MultipartBody(fields, 'file', file) as unknown as IDataObject,
			timeoutMs,
			itemIndex,
		});
		answer = response.body;
	} finally {
		file.close?.();
	}

	try {
		return shapeUploadResult(answer, file, requestedAt, expiresIn);
	} catch (error) {
		const message = error instanceof UnexpectedAnswerError ? error.message : String(error);
		throw new NodeOperationError(ctx.getNode(), message, {
			itemIndex,
			description: 'Check that the Base URL in the credential points at a GetFileURL API.',
		});
	}
}

async function uploadItem(ctx: IExecuteFunctions, itemIndex: number) {
	const item = ctx.getInputData()[itemIndex];
	const options = ctx.getNodeParameter('options', itemIndex, {}) as UploadOptions;
	const timeoutMs = secondsToMs(options.timeout, 300);

	const expiresIn = expiryForItem(ctx, itemIndex);
	const files = await sourcesForItem(ctx, itemIndex, options, timeoutMs);

	const outputs: INodeExecutionData[] = [];
	for (const file of files) {
		const result = await uploadFile(ctx, itemIndex, file, expiresIn, timeoutMs);
		outputs.push({
			json: placeResult(item.json, result, options.outputField ?? ''),
			...(options.keepBinary && item.binary ? { binary: item.binary } : {}),
			pairedItem: { item: itemIndex },
		});
	}
	return outputs;
}

export async function execute(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { concurrency } = ctx.getNodeParameter('options', 0, {}) as UploadOptions;
	return await processItems(ctx, concurrency ?? 4, async (itemIndex) => {
		return await uploadItem(ctx, itemIndex);
	});
}
