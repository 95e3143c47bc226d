import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	ACCEPTED_EXPIRY_FORMS,
	expiryFromAmount,
	InvalidExpiryError,
	normaliseExpiry,
} from '../shared/expiry';
import type { ExpiresIn } from '../shared/expiry';

export const ACCOUNT_DEFAULT = 'accountDefault';
export const CUSTOM = 'custom';

export const expiryProperties: INodeProperties[] = [
	{
		displayName: 'Expiry',
		name: 'expiry',
		type: 'options',
		options: [
			{ name: '15 Minutes', value: '15m' },
			{ name: '1 Hour', value: '1h' },
			{ name: '24 Hours', value: '24h' },
			{ name: '7 Days', value: '7d' },
			{ name: 'Custom', value: CUSTOM, description: 'An amount of minutes, hours or days' },
			{
				name: "Account's Default",
				value: ACCOUNT_DEFAULT,
				description: 'Send no expiry: the retention setting of your GetFileURL workspace applies',
			},
		],
		default: '1h',
		description:
			'How long the public URL works. Keep it short: it is the backstop when an explicit delete ' +
			'never runs.',
	},
	{
		displayName: 'Expire After',
		name: 'expiryAmount',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 30,
		displayOptions: { show: { expiry: [CUSTOM] } },
	},
	{
		displayName: 'Unit',
		name: 'expiryUnit',
		type: 'options',
		options: [
			{ name: 'Minutes', value: 'm' },
			{ name: 'Hours', value: 'h' },
			{ name: 'Days', value: 'd' },
		],
		default: 'm',
		displayOptions: { show: { expiry: [CUSTOM] } },
	},
];

function expiryFromParameters(ctx: IExecuteFunctions, itemIndex: number): ExpiresIn | undefined {
	const expiry = String(ctx.getNodeParameter('expiry', itemIndex));
	if (expiry === ACCOUNT_DEFAULT) return undefined;
	if (expiry === CUSTOM) {
		return expiryFromAmount(
			ctx.getNodeParameter('expiryAmount', itemIndex),
			ctx.getNodeParameter('expiryUnit', itemIndex),
		);
	}
	// An expression may give any text, such as "30m" from an AI agent.
	return normaliseExpiry(expiry);
}

/** The `expires_in` to send for an item, or undefined for the account's default. */
export function expiryForItem(ctx: IExecuteFunctions, itemIndex: number): ExpiresIn | undefined {
	try {
		return expiryFromParameters(ctx, itemIndex);
	} catch (error) {
		const message =
			error instanceof InvalidExpiryError ? `Invalid expiry: ${error.message}` : error.message;
		throw new NodeOperationError(ctx.getNode(), message, {
			itemIndex,
			description: `An expiry is ${ACCEPTED_EXPIRY_FORMS}, or a preset.`,
		});
	}
}
