import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { concurrencyOf, deleteFilesForItem, fileIdsForItem } from '../shared/delete-files';
import { createLimiter, processItems } from '../shared/items';
import { ExecutionCancelledError, sleepUnlessCancelled } from '../shared/wait';
import { durationToMs, InvalidWaitError, parseDeadline } from '../shared/wait-time';

/** Above this, a restart or a worker's death during the wait is a real risk. */
const LONG_WAIT_SECONDS = 60;

const RESTART_NOTICE =
	'This node waits inside the running execution: if n8n stops or crashes during the wait, the ' +
	"delete may never run. For waits longer than a minute, use n8n's Wait node followed by Delete File, " +
	"which survives restarts, and keep the upload's expiry short as the backstop.";

function restartNotice(name: string, show: Record<string, unknown[]>): INodeProperties {
	return {
		displayName: RESTART_NOTICE,
		name,
		type: 'notice',
		default: '',
		displayOptions: { show } as INodeProperties['displayOptions'],
	};
}

export const waitProperties: INodeProperties[] = [
	{
		displayName: 'Wait',
		name: 'waitMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'For a Duration', value: 'duration' },
			{
				name: 'Until a Date and Time',
				value: 'until',
				description: 'A time already past deletes at once',
			},
		],
		default: 'duration',
	},
	{
		displayName: 'Amount',
		name: 'waitAmount',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 30,
		displayOptions: { show: { waitMode: ['duration'] } },
		description: 'How long the downstream system has to fetch the file',
	},
	{
		displayName: 'Unit',
		name: 'waitUnit',
		type: 'options',
		options: [
			{ name: 'Seconds', value: 'seconds' },
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
		],
		default: 'seconds',
		displayOptions: { show: { waitMode: ['duration'] } },
	},
	{
		displayName: 'Delete At',
		name: 'waitUntil',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: { show: { waitMode: ['until'] } },
		description: "When to delete, in the workflow's time zone unless the value names one",
	},
	restartNotice('longWaitNoticeSeconds', {
		waitMode: ['duration'],
		waitUnit: ['seconds'],
		waitAmount: [{ _cnd: { gt: LONG_WAIT_SECONDS } }],
	}),
	restartNotice('longWaitNoticeMinutes', {
		waitMode: ['duration'],
		waitUnit: ['minutes'],
		waitAmount: [{ _cnd: { gt: LONG_WAIT_SECONDS / 60 } }],
	}),
	restartNotice('longWaitNoticeHours', { waitMode: ['duration'], waitUnit: ['hours'] }),
	restartNotice('longWaitNoticeUntil', { waitMode: ['until'] }),
];

function deadlineForItem(ctx: IExecuteFunctions, itemIndex: number, startedAt: number): number {
	try {
		if (ctx.getNodeParameter('waitMode', itemIndex) === 'until') {
			return parseDeadline(ctx.getNodeParameter('waitUntil', itemIndex), ctx.getTimezone());
		}
		const amount = ctx.getNodeParameter('waitAmount', itemIndex);
		return startedAt + durationToMs(amount, ctx.getNodeParameter('waitUnit', itemIndex));
	} catch (error) {
		const known = error instanceof InvalidWaitError;
		throw new NodeOperationError(ctx.getNode(), known ? `Invalid wait: ${error.message}` : error, {
			itemIndex,
			description:
				'Give a number of seconds, minutes or hours, or a date and time such as ' +
				'2026-05-01T14:30:00Z.',
		});
	}
}

/**
 * Every item's wait runs at the same time, from when the node starts, so a batch waits as long
 * as its longest wait, not the sum. Deletes then share the concurrency limit.
 */
export async function executeWaitThenDelete(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const startedAt = Date.now();
	const itemCount = ctx.getInputData().length;
	const limitDeletes = createLimiter(concurrencyOf(ctx));

	return await processItems(ctx, itemCount, async (itemIndex) => {
		const fileIds = fileIdsForItem(ctx, itemIndex);
		const deadline = deadlineForItem(ctx, itemIndex, startedAt);

		const waitMs = deadline - Date.now();
		ctx.logger.debug('Wait then Delete: waiting', { itemIndex, waitMs: Math.max(0, waitMs) });
		try {
			await sleepUnlessCancelled(ctx, waitMs);
		} catch (error) {
			const cancelled = error instanceof ExecutionCancelledError;
			throw new NodeOperationError(ctx.getNode(), error, {
				itemIndex,
				description: cancelled ? 'Nothing was deleted for this item.' : undefined,
			});
		}

		return await limitDeletes(async () => await deleteFilesForItem(ctx, itemIndex, fileIds));
	});
}
