import type { INodeProperties } from 'n8n-workflow';

export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 32 },
	default: 4,
	description:
		'How many items to process at the same time. Output order always follows input order.',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 300,
	description:
		'How long a request may go without progress before it fails (and is retried, up to 4 ' +
		'attempts in all)',
};

export const outputFieldOption: INodeProperties = {
	displayName: 'Put Result In Field',
	name: 'outputField',
	type: 'string',
	default: '',
	placeholder: 'result',
	description: "Name of a field to hold the result; empty to merge it into the item's JSON",
};

export function secondsToMs(seconds: unknown, fallbackSeconds: number): number {
	const value = Number(seconds);
	return Math.round((Number.isFinite(value) && value > 0 ? value : fallbackSeconds) * 1000);
}
