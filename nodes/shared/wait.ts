import { sleep } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

/** n8n-workflow 2.41+ takes the signal and clears its timer; older versions ignore it. */
type SleepWithSignal = (ms: number, signal?: AbortSignal) => Promise<void>;

export class ExecutionCancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
	}
}

/**
 * Waits `ms`, or less: rejects with ExecutionCancelledError as soon as the execution is
 * cancelled. The race is done here because the cancel-aware sleep helper differs by version.
 */
export async function sleepUnlessCancelled(ctx: IExecuteFunctions, ms: number): Promise<void> {
	const signal = ctx.getExecutionCancelSignal();
	if (signal?.aborted) throw new ExecutionCancelledError();

	let onAbort = () => {};
	const cancelled = new Promise<never>((_, reject) => {
		onAbort = () => reject(new ExecutionCancelledError());
		signal?.addEventListener('abort', onAbort, { once: true });
	});
	const slept = (sleep as SleepWithSignal)(Math.max(0, ms), signal);

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
