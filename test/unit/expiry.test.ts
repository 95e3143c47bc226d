import {
	deriveExpiresAt,
	expiryFromAmount,
	expiryToMs,
	InvalidExpiryError,
	normaliseExpiry,
} from '../../nodes/shared/expiry';

describe('expiry', () => {
	it.each([
		['15m', 15 * 60_000],
		['1h', 3_600_000],
		['24h', 86_400_000],
		['7d', 7 * 86_400_000],
		['365d', 365 * 86_400_000],
	])('reads %s as %d ms', (expiresIn, ms) => {
		expect(expiryToMs(expiresIn)).toBe(ms);
	});

	it.each(['', '0m', '15', 'm', '1.5h', '-1h', '15s', '1w', '01h', ' 1h', '366d', '1h30m'])(
		'refuses %j',
		(expiresIn) => {
			expect(() => expiryToMs(expiresIn)).toThrow(InvalidExpiryError);
		},
	);

	it('builds an expiry from an amount and a unit, and refuses amounts that are not whole', () => {
		expect(expiryFromAmount(30, 'm')).toBe('30m');
		expect(expiryFromAmount('12', 'h')).toBe('12h');
		expect(() => expiryFromAmount(0, 'm')).toThrow(/at least 1/);
		expect(() => expiryFromAmount(2.5, 'h')).toThrow(/whole number/);
		expect(() => expiryFromAmount(1, 's')).toThrow(/not an expiry unit/);
		expect(() => expiryFromAmount(400, 'd')).toThrow(/longer than 365 days/);
	});

	it('normalises typed expiries such as " 30M "', () => {
		expect(normaliseExpiry(' 30M ')).toBe('30m');
		expect(() => normaliseExpiry('thirty minutes')).toThrow(InvalidExpiryError);
	});

	it('derives expires_at from the request time', () => {
		const requestedAt = new Date('2026-01-01T10:00:00.000Z');
		expect(deriveExpiresAt(requestedAt, '90m')).toBe('2026-01-01T11:30:00.000Z');
	});
});
