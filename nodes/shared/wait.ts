import * as n8nWorkflow from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * A sleep that clears its timer on cancel: n8n-workflow up to 2.40 has `sleepWithAbort`, later
 * versions give `sleep` itself the signal. Looked up at run time to work on both.
 */
const sleepWithSignal: Sleep =
	(n8nWorkflow as { sleepWithAbort?: Sleep }).sleepWithAbort ?? (n8nWorkflow.sleep as Sleep);

export class ExecutionCancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
	}
}

/**
 * Waits `ms`, or less: rejects with ExecutionCancelledError as soon as the execution is
 * cancelled, whatever the sleep helper of the running n8n version does with the signal.
 */
export async function sleepUnlessCancelled(ctx: IExecuteFunctions, ms: number): Promise<void> {
	const signal = ctx.getExecutionCancelSignal();
	if (signal?.aborted) throw new ExecutionCancelledError();

	let onAbort = () => {};
	const cancelled = new Promise<never>((_, reject) => {
		onAbort = () => reject(new ExecutionCancelledError());
		signal?.addEventListener('abort', onAbort, { once: true });
	});
	const slept = sleepWithSignal(Math.max(0, ms), signal);

	try {
		await Promise.race([slept, cancelled]);
	} finally {
		signal?.removeEventListener('abort', onAbort);
		slept.catch(() => {});
		cancelled.catch(() => {});
	}
}

export function isCancelled(ctx: IExecuteFunctions): boolean {
	return ctx.getExecutionCancelSignal()?.aborted === true;
}
