import { placeResult, shapeUploadResult, toIsoTimestamp } from '../../nodes/shared/output';

const sent = { fileName: 'a.pdf', contentType: 'application/pdf', size: 42, binaryField: 'data' };
const requestedAt = new Date('2026-01-01T00:00:00.000Z');

describe('upload output', () => {
	it('keeps the same shape whichever size key the API uses', () => {
		const base = { url: 'https://cdn/x', file_id: 'f_1', expires_at: '2026-01-01T01:00:00Z' };
		const withSize = shapeUploadResult({ ...base, size: 7 }, sent, requestedAt, '1h');
		const withSizeBytes = shapeUploadResult({ ...base, size_bytes: 7 }, sent, requestedAt, '1h');
		const withoutSize = shapeUploadResult(base, sent, requestedAt, '1h');

		expect(withSize).toEqual({
			url: 'https://cdn/x',
			file_id: 'f_1',
			expires_at: '2026-01-01T01:00:00.000Z',
			size: 7,
			content_type: 'application/pdf',
			file_name: 'a.pdf',
			binary_field: 'data',
		});
		expect(withSizeBytes).toEqual(withSize);
		expect(withoutSize.size).toBe(42);
	});

	it('derives expires_at from the request time when the API leaves it out', () => {
		const result = shapeUploadResult({ url: 'u', file_id: 'f' }, sent, requestedAt, '15m');
		expect(result.expires_at).toBe('2026-01-01T00:15:00.000Z');
	});

	it("gives a null expires_at for the account's default expiry", () => {
		const result = shapeUploadResult({ url: 'u', file_id: 'f' }, sent, requestedAt, undefined);
		expect(result.expires_at).toBeNull();
	});

	it('refuses an answer without url or file_id', () => {
		expect(() => shapeUploadResult({ url: 'u' }, sent, requestedAt, '1h')).toThrow(/file_id/);
		expect(() => shapeUploadResult('<html>', sent, requestedAt, '1h')).toThrow(/url/);
	});

	it('reads timestamps as ISO strings or epoch seconds and milliseconds', () => {
		expect(toIsoTimestamp('2026-01-01T00:00:00+01:00')).toBe('2025-12-31T23:00:00.000Z');
		expect(toIsoTimestamp(1767225600)).toBe('2026-01-01T00:00:00.000Z');
		expect(toIsoTimestamp(1767225600000)).toBe('2026-01-01T00:00:00.000Z');
		expect(toIsoTimestamp('tomorrow')).toBeUndefined();
	});

	it('merges into the item, or nests under a named field', () => {
		expect(placeResult({ id: 1 }, { url: 'u' }, '')).toEqual({ id: 1, url: 'u' });
		expect(placeResult({ id: 1 }, { url: 'u' }, ' upload ')).toEqual({
			id: 1,
			upload: { url: 'u' },
		});
	});
});
