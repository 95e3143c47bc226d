import { durationToMs, InvalidWaitError, parseDeadline } from '../../nodes/shared/wait-time';

describe('wait time', () => {
	it('turns an amount and a unit into milliseconds', () => {
		expect(durationToMs(30, 'seconds')).toBe(30_000);
		expect(durationToMs('1.5', 'minutes')).toBe(90_000);
		expect(durationToMs(2, 'hours')).toBe(7_200_000);
		expect(durationToMs(0, 'seconds')).toBe(0);
	});

	it('refuses negative amounts and unknown units', () => {
		expect(() => durationToMs(-1, 'seconds')).toThrow(InvalidWaitError);
		expect(() => durationToMs('soon', 'seconds')).toThrow(InvalidWaitError);
		expect(() => durationToMs(1, 'days')).toThrow(InvalidWaitError);
	});

	it('reads a date and time with an offset as that instant', () => {
		expect(parseDeadline('2026-06-01T12:00:00+02:00', 'UTC')).toBe(
			Date.parse('2026-06-01T10:00:00Z'),
		);
	});

	it("reads a date and time without an offset in the workflow's time zone, DST included", () => {
		expect(parseDeadline('2026-06-01T12:00:00', 'Europe/Berlin')).toBe(
			Date.parse('2026-06-01T10:00:00Z'),
		);
		expect(parseDeadline('2026-01-15 12:00', 'Europe/Berlin')).toBe(
			Date.parse('2026-01-15T11:00:00Z'),
		);
		expect(parseDeadline('2026-01-15T12:00:00.250', 'America/New_York')).toBe(
			Date.parse('2026-01-15T17:00:00.250Z'),
		);
	});

	it('takes Dates, epoch milliseconds and Luxon-like objects from expressions', () => {
		const instant = Date.parse('2026-01-01T00:00:00Z');
		expect(parseDeadline(new Date(instant), 'UTC')).toBe(instant);
		expect(parseDeadline(instant, 'UTC')).toBe(instant);
		expect(parseDeadline({ toMillis: () => instant }, 'UTC')).toBe(instant);
	});

	it('refuses empty and unreadable values', () => {
		expect(() => parseDeadline('', 'UTC')).toThrow(/No date and time/);
		expect(() => parseDeadline('next tuesday', 'UTC')).toThrow(/not a date and time/);
	});
});
