export type WaitUnit = 'seconds' | 'minutes' | 'hours';

const UNIT_MS: Record<WaitUnit, number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000 };

export class InvalidWaitError extends Error {}

export function durationToMs(amount: unknown, unit: unknown): number {
	const value = typeof amount === 'string' ? Number(amount.trim()) : amount;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		throw new InvalidWaitError(`${JSON.stringify(amount)} is not a wait of 0 or more`);
	}
	if (typeof unit !== 'string' || !(unit in UNIT_MS)) {
		throw new InvalidWaitError(`"${String(unit)}" is not a wait unit`);
	}
	return Math.round(value * UNIT_MS[unit as WaitUnit]);
}

/** Offset of `timeZone` from UTC at `utcMs`, in milliseconds. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric',
	}).formatToParts(new Date(utcMs));
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const asUtc = Date.UTC(
		part('year'),
		part('month') - 1,
		part('day'),
		part('hour'),
		part('minute'),
		part('second'),
	);
	return asUtc - Math.floor(utcMs / 1000) * 1000;
}

const NAIVE_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/**
 * A point in time from a date-time parameter: an ISO string with an offset, a date and time
 * without one (read in the workflow's time zone, as n8n's date picker means it), epoch
 * milliseconds, or a Date or Luxon DateTime from an expression.
 */
export function parseDeadline(value: unknown, timeZone: string): number {
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (value !== null && typeof value === 'object' && 'toMillis' in value) {
		return (value as { toMillis: () => number }).toMillis();
	}
	if (typeof value !== 'string' || value.trim() === '') {
		throw new InvalidWaitError('No date and time to wait until was given');
	}

	const text = value.trim();
	const naive = NAIVE_DATE_TIME.exec(text);
	if (naive) {
		const [, year, month, day, hour = '0', minute = '0', second = '0', ms = '0'] = naive;
		const wallClock = Date.UTC(
			+year,
			+month - 1,
			+day,
			+hour,
			+minute,
			+second,
			+ms.padEnd(3, '0'),
		);
		const firstGuess = wallClock - zoneOffsetMs(wallClock, timeZone);
		return wallClock - zoneOffsetMs(firstGuess, timeZone);
	}

	const time = Date.parse(text);
	if (Number.isNaN(time)) throw new InvalidWaitError(`"${text}" is not a date and time`);
	return time;
}
