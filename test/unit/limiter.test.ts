/* eslint-disable
	@n8n/community-nodes/no-restricted-globals
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { createLimiter } from '../../nodes/shared/items';

describe('limiter', () => {
	it('never runs more tasks at once than allowed, and runs them all', async () => {
		const limit = createLimiter(2);
		let running = 0;
		let peak = 0;
		const finished: number[] = [];

		await Promise.all(
			Array.from({ length: 7 }, async (_, index) => {
				await limit(async () => {
					running++;
					peak = Math.max(peak, running);
					await new Promise((resolve) => setImmediate(resolve));
					running--;
					finished.push(index);
				});
			}),
		);

		expect(peak).toBe(2);
		expect(finished.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
	});

	it('frees the slot of a task that failed', async () => {
		const limit = createLimiter(1);
		await expect(limit(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		await expect(limit(async () => 'next')).resolves.toBe('next');
	});
});
