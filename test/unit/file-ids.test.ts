import { InvalidFileIdError, parseFileIds } from '../../nodes/shared/file-ids';

describe('file IDs', () => {
	it('takes one ID, a comma-separated list, an array, or upload results', () => {
		expect(parseFileIds(' f_1 ')).toEqual(['f_1']);
		expect(parseFileIds('f_1, f_2,,f_1')).toEqual(['f_1', 'f_2']);
		expect(parseFileIds(['f_1', 'f_2'])).toEqual(['f_1', 'f_2']);
		expect(parseFileIds([{ file_id: 'f_1', url: 'u' }, 42])).toEqual(['f_1', '42']);
	});

	it.each([
		['nothing', undefined],
		['an empty string', ''],
		['whitespace', '   '],
		['an empty list', []],
		['an empty entry in a list', ['f_1', ' ']],
		['an object without file_id', [{ id: 'f_1' }]],
		['a public URL', 'https://cdn.getfileurl.com/f/abc'],
		['control characters', 'f_1\nX-Evil: 1'],
	])('refuses %s with a hint on what to pass', (_, value) => {
		expect(() => parseFileIds(value)).toThrow(InvalidFileIdError);
		try {
			parseFileIds(value);
		} catch (error) {
			expect((error as InvalidFileIdError).hint).toContain('file_id');
		}
	});

	it('keeps characters that are unusual in an ID, for the transport to encode', () => {
		expect(parseFileIds('../../v1/admin?x=1')).toEqual(['../../v1/admin?x=1']);
	});
});
