import {
	NodeConnectionTypes,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
} from 'n8n-workflow';

export interface InputBinary {
	data: Buffer;
	fileName?: string;
	mimeType?: string;
}

export interface InputItem {
	json: IDataObject;
	binary?: Record<string, InputBinary>;
}

export const SOURCE_NODE_TYPE = 'getfileurl-harness.source';

/**
 * A test-only upstream node that emits the given items, storing each binary through the real
 * `prepareBinaryData`, so the node under test receives binaries as n8n hands them on.
 */
export function createSourceNode(items: InputItem[]): INodeType {
	// n8n calls `execute` with the execution context as `this`, so the items live in the closure.
	async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		for (const item of items) {
			output.push({
				json: item.json,
				binary: await storeBinaries(this, item.binary),
				pairedItem: { item: 0 },
			});
		}
		return [output];
	}

	return {
		description: {
			displayName: 'Harness Source',
			name: SOURCE_NODE_TYPE,
			group: ['input'],
			version: 1,
			description: 'Emits the items a harness test gives it',
			defaults: { name: 'Source' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		execute,
	};
}

async function storeBinaries(
	context: IExecuteFunctions,
	binaries: Record<string, InputBinary> | undefined,
): Promise<IBinaryKeyData | undefined> {
	if (binaries === undefined) return undefined;

	const stored: IBinaryKeyData = {};
	for (const [field, { data, fileName, mimeType }] of Object.entries(binaries)) {
		stored[field] = await context.helpers.prepareBinaryData(data, fileName, mimeType);
	}
	return stored;
}
