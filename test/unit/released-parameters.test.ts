/* eslint-disable
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type {
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeType,
} from 'n8n-workflow';

import { DeleteFile } from '../../nodes/DeleteFile/DeleteFile.node';
import { UploadFileToUrl } from '../../nodes/UploadFileToUrl/UploadFileToUrl.node';
import { WaitThenDelete } from '../../nodes/WaitThenDelete/WaitThenDelete.node';

/**
 * Workflows saved with a node version keep their parameters as they were: a released
 * parameter's name, type, default and option values may only change with a new node version.
 * The baseline holds every released version; `RECORD_RELEASED_PARAMETERS=1` adds new versions.
 */
const BASELINE = join(__dirname, '..', 'released-parameters.json');

type Contract = Record<string, unknown>;

function optionValues(options: INodeProperties['options']): unknown[] | undefined {
	return options?.map((option) =>
		'value' in option
			? (option as INodePropertyOptions).value
			: 'values' in option
				? { [option.name]: contractOf((option as INodePropertyCollection).values) }
				: { [option.name]: contractOf([option as INodeProperties])[0] },
	);
}

function contractOf(properties: INodeProperties[]): Contract[] {
	return properties
		.filter((property) => property.type !== 'notice')
		.map((property) => ({
			name: property.name,
			type: property.type,
			default: property.default,
			...(property.options ? { options: optionValues(property.options) } : {}),
		}));
}

const nodeTypes: INodeType[] = [new UploadFileToUrl(), new DeleteFile(), new WaitThenDelete()];

function currentContracts(): Record<string, Record<string, Contract[]>> {
	const contracts: Record<string, Record<string, Contract[]>> = {};
	for (const { description } of nodeTypes) {
		const versions = Array.isArray(description.version)
			? description.version
			: [description.version];
		contracts[description.name] = Object.fromEntries(
			versions.map((version) => [String(version), contractOf(description.properties)]),
		);
	}
	return contracts;
}

describe('released parameters', () => {
	const current = currentContracts();
	const baseline = JSON.parse(readFileSync(BASELINE, 'utf8')) as typeof current;

	if (process.env.RECORD_RELEASED_PARAMETERS === '1') {
		for (const [node, versions] of Object.entries(current)) {
			baseline[node] = { ...versions, ...baseline[node] };
		}
		writeFileSync(BASELINE, `${JSON.stringify(baseline, null, '\t')}\n`);
	}

	it.each(Object.keys(current))('%s keeps every released version as it was', (node) => {
		for (const [version, contract] of Object.entries(baseline[node] ?? {})) {
			expect({ node, version, parameters: current[node][version] ?? 'version removed' }).toEqual({
				node,
				version,
				parameters: contract,
			});
		}
	});

	it('has a baseline for every node version (record one with RECORD_RELEASED_PARAMETERS=1)', () => {
		for (const [node, versions] of Object.entries(current)) {
			expect(Object.keys(baseline[node] ?? {})).toEqual(
				expect.arrayContaining(Object.keys(versions)),
			);
		}
	});
});
