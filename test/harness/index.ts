/* eslint-disable
	@n8n/community-nodes/no-restricted-globals
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	NodeConnectionTypes,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	deepCopy,
	type ExecutionError,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { GetFileUrlApi } from '../../credentials/GetFileUrlApi.credentials';
import { HarnessCredentialsHelper } from './credentials-helper';
import { getEngine, type Engine } from './engine';
import { createSourceNode, SOURCE_NODE_TYPE, type InputItem } from './source-node';

export type { InputBinary, InputItem } from './source-node';

export interface RunNodeOptions {
	/** An instance, e.g. `new UploadFileToUrl()`. */
	nodeType: INodeType;
	parameters: INodeParameters;
	/** Default `[{ json: {} }]`. */
	items?: InputItem[];
	/** For the credential type `getFileUrlApi`. */
	credentials?: { apiKey: string; baseUrl: string };
	/** Sets the node's `onError` to `continueRegularOutput`. */
	continueOnFail?: boolean;
	/** Default `filesystem`: binaries stored on disk with an id, as in n8n's regular mode. */
	binaryMode?: 'filesystem' | 'default';
	/** Cancels the execution this long after the node under test starts, as n8n's Stop does. */
	cancelAfterMs?: number;
	/** Credential types the engine knows; default the package's own `getFileUrlApi`. */
	credentialTypes?: ICredentialType[];
}

export interface RunNodeResult {
	/** Main output 0 of the node under test (`[]` if none). */
	items: INodeExecutionData[];
	/**
	 * The node's error when it threw (also when Continue On Fail let its input through), else the
	 * run's. WorkflowExecute keeps a plain copy of the error: match on `name`, not `instanceof`.
	 */
	error?: ExecutionError;
	/** The execution's final status as WorkflowExecute reports it: 'success', 'error', 'canceled'. */
	status: string;
	/** How long the node under test ran. */
	durationMs: number;
	/** The bytes of an output binary, wherever the binary data service stored them. */
	readBinary(item: INodeExecutionData, field: string): Promise<Buffer>;
}

const CREDENTIAL_TYPE = 'getFileUrlApi';
const WORKFLOW_ID = 'getfileurlHarness';
const NODE_TYPE_PREFIX = 'n8n-nodes-getfileurl.';

let executionCount = 0;

/**
 * Runs one node inside n8n-core's WorkflowExecute, fed by a source node that emits `items`.
 * Runs in one test file share one engine and its binary mode: run them one at a time.
 */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const engine = await getEngine();
	await engine.useBinaryMode(options.binaryMode ?? 'filesystem');

	const { workflow, workflowData, source, nodeUnderTest } = buildWorkflow(options);
	const executionId = String(++executionCount);
	const observed = observeExecution(executionId, workflowData, nodeUnderTest.name);
	const additionalData = createAdditionalData(executionId, observed.hooks, options, engine);

	const workflowExecute = new WorkflowExecute(additionalData, 'manual');
	assertReadyToRun(workflowExecute, workflow, source.name, nodeUnderTest.name);

	const execution = workflowExecute.run({ workflow, startNode: source });
	const stopTimer = scheduleCancel(observed, options.cancelAfterMs, () => execution.cancel());
	const finalRun = await execution.finally(stopTimer);

	return toResult(finalRun, observed.reportedRun ?? finalRun, nodeUnderTest.name, engine);
}

/** The engine refuses such a workflow too, but with a message that names no parameter. */
function assertReadyToRun(
	workflowExecute: WorkflowExecute,
	workflow: Workflow,
	sourceName: string,
	nodeUnderTestName: string,
) {
	const issues = workflowExecute.checkReadyForExecution(workflow, { startNode: sourceName });
	if (issues === null) return;

	const nodeIssues = JSON.stringify(issues[nodeUnderTestName] ?? issues);
	throw new UnexpectedError(`The workflow has issues, so n8n would not run it: ${nodeIssues}`);
}

function buildWorkflow(options: RunNodeOptions) {
	const { nodeType } = options;
	const sourceType = createSourceNode(options.items ?? [{ json: {} }]);
	const typeName = NODE_TYPE_PREFIX + nodeType.description.name;
	const nodeTypes = createNodeTypes({ [SOURCE_NODE_TYPE]: sourceType, [typeName]: nodeType });

	const source: INode = {
		id: 'source',
		name: 'Source',
		type: SOURCE_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodeUnderTest: INode = {
		id: 'node-under-test',
		name: nodeName(nodeType),
		type: typeName,
		typeVersion: latestVersion(nodeType),
		position: [200, 0],
		// The Workflow fills in parameter defaults; a copy keeps the caller's object as it was.
		parameters: deepCopy(options.parameters),
		...(options.credentials && {
			credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'GetFileURL account' } },
		}),
		...(options.continueOnFail && { onError: 'continueRegularOutput' as const }),
	};
	const connections = {
		[source.name]: {
			main: [[{ node: nodeUnderTest.name, type: NodeConnectionTypes.Main, index: 0 }]],
		},
	};
	const settings = { executionOrder: 'v1' as const };

	const workflow = new Workflow({
		id: WORKFLOW_ID,
		name: 'GetFileURL harness',
		nodes: [source, nodeUnderTest],
		connections,
		active: false,
		nodeTypes,
		settings,
	});
	const workflowData: IWorkflowBase = {
		id: WORKFLOW_ID,
		name: 'GetFileURL harness',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [source, nodeUnderTest],
		connections,
		settings,
	};
	return { workflow, workflowData, source, nodeUnderTest };
}

function createNodeTypes(byName: Record<string, INodeType | IVersionedNodeType>): INodeTypes {
	function getByName(type: string) {
		const nodeType = byName[type];
		if (nodeType === undefined) {
			throw new UnexpectedError(`The harness does not know the node type "${type}"`);
		}
		return nodeType;
	}

	return {
		getByName,
		getByNameAndVersion: (type, version) =>
			NodeHelpers.getVersionedNodeType(getByName(type), version),
		getKnownTypes: () => ({}),
	};
}

function nodeName(nodeType: INodeType): string {
	const name = nodeType.description.defaults.name ?? nodeType.description.displayName;
	return name === 'Source' ? 'Node under test' : name;
}

function latestVersion(nodeType: INodeType): number {
	const { version, defaultVersion } = nodeType.description;
	return defaultVersion ?? (Array.isArray(version) ? Math.max(...version) : version);
}

interface ObservedExecution {
	hooks: ExecutionLifecycleHooks;
	/** The run WorkflowExecute hands to `workflowExecuteAfter`: what n8n saves and shows. */
	reportedRun?: IRun;
	onNodeUnderTestStart?: () => void;
}

function observeExecution(
	executionId: string,
	workflowData: IWorkflowBase,
	nodeUnderTestName: string,
): ObservedExecution {
	const observed: ObservedExecution = {
		hooks: new ExecutionLifecycleHooks('manual', executionId, workflowData),
	};
	observed.hooks.addHandler('nodeExecuteBefore', (nodeName) => {
		if (nodeName === nodeUnderTestName) observed.onNodeUnderTestStart?.();
	});
	// On a cancel WorkflowExecute reports at once, and not again when the node returns.
	observed.hooks.addHandler('workflowExecuteAfter', (run) => {
		observed.reportedRun ??= run;
	});
	return observed;
}

function scheduleCancel(
	observed: ObservedExecution,
	cancelAfterMs: number | undefined,
	cancel: () => void,
): () => void {
	if (cancelAfterMs === undefined) return () => {};

	let timer: NodeJS.Timeout | undefined;
	observed.onNodeUnderTestStart = () => {
		timer = setTimeout(cancel, cancelAfterMs);
	};
	return () => clearTimeout(timer);
}

function createAdditionalData(
	executionId: string,
	hooks: ExecutionLifecycleHooks,
	options: RunNodeOptions,
	engine: Engine,
): IWorkflowExecuteAdditionalData {
	const credentialsByType: Record<string, ICredentialDataDecryptedObject> = {};
	if (options.credentials) credentialsByType[CREDENTIAL_TYPE] = { ...options.credentials };
	const credentialTypes = options.credentialTypes ?? [new GetFileUrlApi()];

	function unsupported(feature: string) {
		return () => {
			throw new UnexpectedError(`The harness does not support ${feature}`);
		};
	}

	// Only a single-node run is supported: sub-workflows, code runners and AI events are not.
	return {
		credentialsHelper: new HarnessCredentialsHelper(credentialTypes, credentialsByType),
		executionId,
		hooks,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		variables: {},
		externalSecretsProxy: engine.externalSecretsProxy,
		executeWorkflow: unsupported('sub-workflows'),
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: unsupported('task runners'),
	};
}

function toResult(
	finalRun: IRun,
	reportedRun: IRun,
	nodeUnderTestName: string,
	engine: Engine,
): RunNodeResult {
	const { resultData } = finalRun.data;
	const task = resultData.runData[nodeUnderTestName]?.[0];

	return {
		items: task?.data?.main?.[0] ?? [],
		error: task?.error ?? resultData.error,
		// From the report n8n saves. After a cancel, the run WorkflowExecute resolves with later
		// says 'error' when the node stopped by throwing an error that does not mention a cancel.
		status: reportedRun.status,
		durationMs: task?.executionTime ?? 0,
		async readBinary(item, field) {
			const binary = item.binary?.[field];
			if (binary === undefined) {
				throw new UnexpectedError(`The item has no binary field "${field}"`);
			}
			return await engine.binaryDataService.getAsBuffer(binary);
		},
	};
}
