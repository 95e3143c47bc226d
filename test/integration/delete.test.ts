import { DeleteFile } from '../../nodes/DeleteFile/DeleteFile.node';
import { runNode } from '../harness';
import type { InputItem } from '../harness';
import { fetchPublic, uploadFiles as uploadFilesThrough, useContractServer } from './setup';

const context = useContractServer();

const uploadFiles = (count: number) => uploadFilesThrough(context.credentials, count);

function deleteFiles(
	items: InputItem[],
	parameters: Record<string, unknown> = {},
	continueOnFail = false,
) {
	return runNode({
		nodeType: new DeleteFile(),
		credentials: context.credentials,
		parameters: { fileId: '={{ $json.file_id }}', ...parameters },
		items,
		continueOnFail,
	});
}

describe('Delete File', () => {
	it("deletes the item's file_id by default, and the URL stops serving at once", async () => {
		const [file] = await uploadFiles(1);
		expect((await fetchPublic(file.url)).status).toBe(200);

		const { items } = await deleteFiles([{ json: { ...file, job: 'ocr' } }]);

		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({
			...file,
			job: 'ocr',
			deleted: true,
			already_gone: false,
			deleted_at: expect.any(String),
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect((await fetchPublic(file.url)).status).toBe(410);
	});

	it.each([
		['an array', (ids: string[]) => ids],
		['a comma-separated list', (ids: string[]) => ids.join(', ')],
	])('deletes several IDs given as %s, one output item each', async (_, shape) => {
		const files = await uploadFiles(3);
		const { items } = await deleteFiles(
			[{ json: { ids: shape(files.map((file) => file.file_id)) } }],
			{
				fileId: '={{ $json.ids }}',
			},
		);

		expect(items.map((item) => item.json.file_id)).toEqual(files.map((file) => file.file_id));
		expect(items.every((item) => item.json.deleted === true)).toBe(true);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		expect(context.server.inventory().deletes).toBe(3);
	});

	it.each([[404 as const], [410 as const]])(
		'counts an already deleted file (%d) as deleted and says so',
		async (goneStatus) => {
			context.server.setKnobs({ variant: { goneStatus } });
			const [file] = await uploadFiles(1);
			await deleteFiles([{ json: file }]);

			const { items, status } = await deleteFiles([{ json: file }]);

			expect(status).toBe('success');
			expect(items[0].json).toMatchObject({ deleted: true, already_gone: true, deleted_at: null });
		},
	);

	it('treats an unknown ID as already gone, or as an error when asked', async () => {
		const lenient = await deleteFiles([{ json: { file_id: 'f_unknown' } }]);
		const strict = await deleteFiles([{ json: { file_id: 'f_unknown' } }], {
			options: { failIfGone: true },
		});

		expect(lenient.items[0].json).toMatchObject({ already_gone: true });
		expect(strict.error?.message).toBe('GetFileURL has no file with this ID: f_unknown');
	});

	it('accepts 204 without a body as deleted', async () => {
		context.server.setKnobs({ variant: { deleteStatus: 204 } });
		const [file] = await uploadFiles(1);
		const { items } = await deleteFiles([{ json: file }]);
		expect(items[0].json).toMatchObject({ deleted: true, already_gone: false });
	});

	it('encodes every ID into one path segment, so no ID reaches another endpoint', async () => {
		const { items } = await deleteFiles([{ json: { file_id: '../../v1/files?x=1#y' } }]);

		expect(items[0].json).toMatchObject({ already_gone: true });
		const [request] = context.server.inventory().requests;
		expect(request).toMatchObject({
			method: 'DELETE',
			path: '/v1/files/..%2F..%2Fv1%2Ffiles%3Fx%3D1%23y',
		});
	});

	it('refuses empty and blank IDs per item; Continue On Fail keeps the others', async () => {
		const [file] = await uploadFiles(1);
		const { items } = await deleteFiles(
			[{ json: { file_id: '' } }, { json: file }, { json: { file_id: '   ' } }],
			{},
			true,
		);

		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.error).toBe('No File ID was given');
		expect(items[1].json).toMatchObject({ deleted: true, already_gone: false });
		expect(items[2].json.error).toBe('The File ID is empty');
		expect(context.server.inventory().deleteAttempts).toBe(1);
	});

	it('fails the run on a bad ID without Continue On Fail, naming the item', async () => {
		const { error } = await deleteFiles([{ json: { file_id: 'https://cdn.example/f/x' } }]);
		expect(error?.message).toBe(
			'The File ID is a URL; deleting needs the file_id, not the public URL',
		);
		expect(error?.description).toContain('{{ $json.file_id }}');
	});

	it('retries a temporary failure and deletes once', async () => {
		const [file] = await uploadFiles(1);
		context.server.setKnobs({ failNext: { count: 1, status: 502 } });

		const { items } = await deleteFiles([{ json: file }]);

		expect(items[0].json).toMatchObject({ deleted: true, already_gone: false });
		expect(context.server.inventory()).toMatchObject({ deleteAttempts: 2, deletes: 1 });
	});

	it('keeps order and pairing across many items at once', async () => {
		const files = await uploadFiles(6);
		context.server.setKnobs({ delayMs: 20 });
		const { items } = await deleteFiles(
			files.map((file) => ({ json: file })),
			{ options: { concurrency: 3 } },
		);
		expect(items.map((item) => item.json.file_id)).toEqual(files.map((file) => file.file_id));
	});
});
