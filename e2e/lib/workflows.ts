/* eslint-disable
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IConnections, IWorkflowBase } from 'n8n-workflow';

const TEMPLATES = join(__dirname, '..', 'workflows');
const EXAMPLES = join(__dirname, '..', '..', 'examples');
const PLACEHOLDER = /__([A-Z][A-Z0-9_]*)__/g;

/**
 * Loads a workflow template from e2e/workflows and fills its `__NAME__` placeholders (in any
 * string value) from `values`. A placeholder left without a value is an error, not a silent
 * empty string.
 */
export function loadWorkflow(
	template: string,
	values: Record<string, string>,
	overrides: Partial<IWorkflowBase> = {},
): IWorkflowBase {
	const raw = JSON.parse(readFileSync(join(TEMPLATES, `${template}.json`), 'utf8')) as unknown;
	const workflow = { ...(fill(raw, values) as IWorkflowBase), ...overrides };
	if (workflow.id.length > 21) throw new Error(`workflow id ${workflow.id} is over 21 characters`);

	return workflow;
}

/** Loads a workflow of examples/ exactly as a user imports it (`name` without `.json`). */
export function loadExample(name: string): IWorkflowBase {
	return JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8')) as IWorkflowBase;
}

/** The same workflow without one node and the connections into and out of it. */
export function withoutNode(workflow: IWorkflowBase, nodeName: string, id: string): IWorkflowBase {
	const connections: IConnections = {};
	for (const [source, outputs] of Object.entries(workflow.connections)) {
		if (source === nodeName) continue;
		connections[source] = Object.fromEntries(
			Object.entries(outputs).map(([type, byOutput]) => [
				type,
				byOutput.map((targets) => (targets ?? []).filter((target) => target.node !== nodeName)),
			]),
		);
	}

	return {
		...workflow,
		id,
		name: `${workflow.name} (without ${nodeName})`,
		nodes: workflow.nodes.filter((node) => node.name !== nodeName),
		connections,
	};
}

function fill(value: unknown, values: Record<string, string>): unknown {
	if (typeof value === 'string') {
		return value.replace(PLACEHOLDER, (_match, name: string) => {
			if (!(name in values)) throw new Error(`no value for the placeholder __${name}__`);
			return values[name];
		});
	}
	if (Array.isArray(value)) return value.map((entry) => fill(entry, values));
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, entry]) => [key, fill(entry, values)]),
		);
	}
	return value;
}
