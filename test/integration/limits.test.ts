import { UploadFileToUrl } from '../../nodes/UploadFileToUrl/UploadFileToUrl.node';
import { runNode } from '../harness';
import { patternedBytes, useContractServer } from './setup';

const context = useContractServer({ maxFileSize: 64 * 1024 });

describe('Upload File to URL against a size limit', () => {
	it('reports file_too_large (413) clearly, and a smaller file then goes through', async () => {
		const run = (size: number) =>
			runNode({
				nodeType: new UploadFileToUrl(),
				credentials: context.credentials,
				parameters: { source: 'binary', binaryPropertyName: 'data', expiry: '1h' },
				items: [{ json: {}, binary: { data: { data: patternedBytes(size), fileName: 'f.bin' } } }],
			});

		const tooLarge = await run(1024 * 1024);
		const small = await run(1024);

		expect(tooLarge.error?.message).toBe('The file is larger than GetFileURL accepts');
		expect((tooLarge.error as { httpCode?: string }).httpCode).toBe('413');
		expect(small.status).toBe('success');
		expect(context.server.inventory()).toMatchObject({ uploadAttempts: 2, uploads: 1 });
	});
});
