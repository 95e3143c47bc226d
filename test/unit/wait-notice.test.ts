import { NodeHelpers } from 'n8n-workflow';

import { WaitThenDelete } from '../../nodes/WaitThenDelete/WaitThenDelete.node';

const { description } = new WaitThenDelete();
const notices = description.properties.filter((property) => property.type === 'notice');

/** Whether the editor shows a restart notice, decided by n8n's own display logic. */
function noticeShown(parameters: Record<string, unknown>): boolean {
	const values = { waitMode: 'duration', waitUnit: 'seconds', waitAmount: 30, ...parameters };
	return notices.some((notice) =>
		NodeHelpers.displayParameter(values as never, notice, { typeVersion: 1 }, description),
	);
}

describe('Wait Then Delete restart notice', () => {
	it.each([
		[{ waitAmount: 30 }, false],
		[{ waitAmount: 60 }, false],
		[{ waitAmount: 61 }, true],
		[{ waitUnit: 'minutes', waitAmount: 1 }, false],
		[{ waitUnit: 'minutes', waitAmount: 2 }, true],
		[{ waitUnit: 'hours', waitAmount: 1 }, true],
		[{ waitMode: 'until' }, true],
	])('for %j is shown: %s', (parameters, shown) => {
		expect(noticeShown(parameters)).toBe(shown);
	});

	it('points to the pattern that survives restarts and to the expiry backstop', () => {
		for (const notice of notices) {
			expect(notice.displayName).toContain("n8n's Wait node followed by Delete File");
			expect(notice.displayName).toContain("upload's expiry short as the backstop");
		}
	});
});
