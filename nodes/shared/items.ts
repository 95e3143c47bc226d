import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

type ItemHandler = (itemIndex: number) => Promise<INodeExecutionData[]>;

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number) {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		// n8n returns an existing node error unchanged when wrapped, so the index goes on first.
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * Runs `handler` for every input item, at most `concurrency` at once, and returns the outputs in
 * input order. With Continue On Fail a failed item becomes an error item paired with its input;
 * without it the first failing item's error is thrown once the items in flight have settled.
 */
export async function processItems(
	ctx: IExecuteFunctions,
	concurrency: number,
	handler: ItemHandler,
): Promise<INodeExecutionData[]> {
	const itemCount = ctx.getInputData().length;
	const outputs: INodeExecutionData[][] = new Array(itemCount);
	const failures: Array<{ itemIndex: number; error: Error }> = [];
	let next = 0;

	const worker = async () => {
		while (next < itemCount && failures.length === 0) {
			const itemIndex = next++;
			try {
				outputs[itemIndex] = await handler(itemIndex);
			} catch (error) {
				const nodeError = asNodeError(ctx, error, itemIndex);
				if (!ctx.continueOnFail()) {
					failures.push({ itemIndex, error: nodeError });
					return;
				}
				outputs[itemIndex] = [errorItem(nodeError, itemIndex)];
			}
		}
	};

	const workers = Math.max(1, Math.min(Math.floor(concurrency) || 1, itemCount));
	await Promise.all(Array.from({ length: workers }, worker));

	if (failures.length > 0) {
		throw failures.sort((a, b) => a.itemIndex - b.itemIndex)[0].error;
	}
	return outputs.flat();
}

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const description = (error as { description?: unknown }).description;
	return {
		json: {
			error: error.message,
			...(typeof description === 'string' && description !== '' ? { details: description } : {}),
		},
		pairedItem: { item: itemIndex },
	};
}

/** Runs at most `concurrency` of the tasks given to it at once, in the order given. */
export function createLimiter(concurrency: number) {
	const limit = Math.max(1, Math.floor(concurrency) || 1);
	const waiting: Array<() => void> = [];
	let running = 0;

	const acquire = async () => {
		if (running < limit) {
			running++;
			return;
		}
		await new Promise<void>((resolve) => waiting.push(resolve));
	};
	// A finished task hands its slot straight to the next waiting one.
	const release = () => {
		const next = waiting.shift();
		if (next) next();
		else running--;
	};

	return async <T>(task: () => Promise<T>): Promise<T> => {
		await acquire();
		try {
			return await task();
		} finally {
			release();
		}
	};
}
