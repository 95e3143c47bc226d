/* eslint-disable
	@n8n/community-nodes/no-restricted-globals
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { WaitThenDelete } from '../../nodes/WaitThenDelete/WaitThenDelete.node';
import { runNode } from '../harness';
import type { RunNodeOptions } from '../harness';
import { fetchPublic, uploadFiles as uploadFilesThrough, useContractServer } from './setup';

const context = useContractServer();

const uploadFiles = (count: number) => uploadFilesThrough(context.credentials, count);

function waitThenDelete(
	options: Partial<RunNodeOptions> & { parameters: RunNodeOptions['parameters'] },
) {
	return runNode({
		nodeType: new WaitThenDelete(),
		credentials: context.credentials,
		...options,
		parameters: { fileId: '={{ $json.file_id }}', ...options.parameters },
	});
}

describe('Wait Then Delete', () => {
	it('serves the URL during the wait and deletes right after it', async () => {
		const [file] = await uploadFiles(1);
		const run = waitThenDelete({
			parameters: { waitMode: 'duration', waitAmount: 1, waitUnit: 'seconds' },
			items: [{ json: file }],
		});

		await new Promise((resolve) => setTimeout(resolve, 500));
		expect((await fetchPublic(file.url)).status).toBe(200);
		expect(context.server.inventory().deleteAttempts).toBe(0);

		const { items, durationMs } = await run;
		expect(durationMs).toBeGreaterThanOrEqual(1000);
		expect(durationMs).toBeLessThan(3000);
		expect(items[0].json).toMatchObject({
			file_id: file.file_id,
			deleted: true,
			already_gone: false,
		});
		expect((await fetchPublic(file.url)).status).toBe(410);
	});

	it('waits once for the whole batch, not once per item', async () => {
		const files = await uploadFiles(5);
		const { items, durationMs } = await waitThenDelete({
			parameters: { waitMode: 'duration', waitAmount: 1, waitUnit: 'seconds' },
			items: files.map((file) => ({ json: file })),
		});

		expect(durationMs).toBeLessThan(2500);
		expect(items.map((item) => item.json.file_id)).toEqual(files.map((file) => file.file_id));
		expect(context.server.inventory().deletes).toBe(5);
	});

	it('deletes at once when the time to wait until has passed', async () => {
		const [file] = await uploadFiles(1);
		const { items, durationMs } = await waitThenDelete({
			parameters: { waitMode: 'until', waitUntil: '2020-01-01T00:00:00Z' },
			items: [{ json: file }],
		});

		expect(durationMs).toBeLessThan(1000);
		expect(items[0].json).toMatchObject({ deleted: true });
	});

	it('waits until a date and time', async () => {
		const [file] = await uploadFiles(1);
		const until = new Date(Date.now() + 1200).toISOString();
		const { durationMs, items } = await waitThenDelete({
			parameters: { waitMode: 'until', waitUntil: until },
			items: [{ json: file }],
		});

		expect(durationMs).toBeGreaterThanOrEqual(900);
		expect(items[0].json).toMatchObject({ deleted: true });
	});

	it('stops within a second of a cancel and deletes nothing', async () => {
		const files = await uploadFiles(3);
		const { status, durationMs } = await waitThenDelete({
			parameters: { waitMode: 'duration', waitAmount: 30, waitUnit: 'seconds' },
			items: files.map((file) => ({ json: file })),
			cancelAfterMs: 300,
		});

		expect(status).toBe('canceled');
		expect(durationMs).toBeLessThan(1300);
		expect(context.server.inventory().deleteAttempts).toBe(0);
		for (const file of files) expect((await fetchPublic(file.url)).status).toBe(200);
	});

	it('refuses a bad wait before waiting, naming the item', async () => {
		const { error } = await waitThenDelete({
			parameters: { waitMode: 'duration', waitAmount: -5, waitUnit: 'seconds' },
			items: [{ json: { file_id: 'f_1' } }],
		});

		expect(error?.message).toBe('Invalid wait: -5 is not a wait of 0 or more');
		expect(context.server.inventory().deleteAttempts).toBe(0);
	});

	it('with Continue On Fail, a bad ID becomes a paired error item; the rest is deleted', async () => {
		const [file] = await uploadFiles(1);
		const { items } = await waitThenDelete({
			continueOnFail: true,
			parameters: { waitMode: 'duration', waitAmount: 0, waitUnit: 'seconds' },
			items: [{ json: { file_id: ' ' } }, { json: file }],
		});

		expect(items[0]).toEqual({
			json: expect.objectContaining({ error: 'The File ID is empty' }),
			pairedItem: { item: 0 },
		});
		expect(items[1].json).toMatchObject({ deleted: true });
	});
});
