import {
	isValidContentType,
	resolveContentType,
	resolveFileName,
} from '../../nodes/shared/content-type';
import { decodeBase64, selectBinaryFields } from '../../nodes/UploadFileToUrl/sources';

describe('file metadata', () => {
	it('prefers a given content type, then the binary metadata, then the extension', () => {
		expect(resolveContentType('a.pdf', 'image/png', 'text/plain')).toBe('image/png');
		expect(resolveContentType('a.pdf', '', 'text/plain')).toBe('text/plain');
		expect(resolveContentType('a.pdf', undefined, 'application/octet-stream')).toBe(
			'application/pdf',
		);
		expect(resolveContentType('a.unknown')).toBe('application/octet-stream');
	});

	it('names a nameless file after its content type', () => {
		expect(resolveFileName('image/png', '', undefined)).toBe('file.png');
		expect(resolveFileName(undefined, undefined)).toBe('file');
		expect(resolveFileName('image/png', ' shot.png ')).toBe('shot.png');
	});

	it('accepts content types that cannot break a header line', () => {
		expect(isValidContentType('text/plain; charset=utf-8')).toBe(true);
		expect(isValidContentType('application/vnd.api+json')).toBe(true);
		expect(isValidContentType('text/plain\r\nX-Evil: 1')).toBe(false);
		expect(isValidContentType('pdf')).toBe(false);
	});
});

describe('base64 input', () => {
	it('decodes bare base64, a data URL, URL-safe base64 and wrapped lines', () => {
		expect(decodeBase64('aGVsbG8=')?.bytes.toString()).toBe('hello');
		expect(decodeBase64('data:text/plain;base64,aGVsbG8=')).toEqual({
			bytes: Buffer.from('hello'),
			contentType: 'text/plain',
		});
		expect(decodeBase64('-_8=')?.bytes).toEqual(Buffer.from([0xfb, 0xff]));
		expect(decodeBase64('aGVs\nbG8=')?.bytes.toString()).toBe('hello');
	});

	it('refuses empty and non-base64 text', () => {
		expect(decodeBase64('')).toBeUndefined();
		expect(decodeBase64('not base64!')).toBeUndefined();
		expect(decodeBase64('a')).toBeUndefined();
	});
});

describe('binary field selection', () => {
	it('takes one field, a comma-separated list without duplicates, or every field', () => {
		expect(selectBinaryFields('data', ['data', 'image'])).toEqual(['data']);
		expect(selectBinaryFields(' data , image,data ', [])).toEqual(['data', 'image']);
		expect(selectBinaryFields('*', ['data', 'image'])).toEqual(['data', 'image']);
		expect(selectBinaryFields(' , ', ['data'])).toEqual([]);
	});
});
