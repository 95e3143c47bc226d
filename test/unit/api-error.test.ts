import { apiErrorResponse, describeApiError, parseApiError } from '../../nodes/shared/api-error';

describe('API errors', () => {
	it('reads the nested error shape with its request id', () => {
		const details = parseApiError(413, {
			error: { code: 'file_too_large', message: 'Max 100 MB', request_id: 'req_1' },
		});
		expect(details).toEqual({
			status: 413,
			code: 'file_too_large',
			message: 'Max 100 MB',
			requestId: 'req_1',
		});
	});

	it('reads the flat shape, JSON given as text, and plain text', () => {
		expect(parseApiError(400, { code: 'invalid_expiry', message: 'bad' }).code).toBe(
			'invalid_expiry',
		);
		expect(parseApiError(401, '{"code":"unauthorized","message":"no"}').message).toBe('no');

		const plain = parseApiError(415, 'Unsupported file type', { 'x-request-id': 'req_9' });
		expect(plain).toEqual({
			status: 415,
			code: 'unsupported_type',
			message: 'Unsupported file type',
			requestId: 'req_9',
		});
	});

	it('names unknown statuses by number, and server failures as such', () => {
		expect(parseApiError(418, undefined).code).toBe('http_418');
		expect(parseApiError(503, '').code).toBe('server_error');
	});

	it('tells the user what went wrong and how to fix it', () => {
		const { message, description } = describeApiError(
			parseApiError(401, {
				error: { code: 'unauthorized', message: 'Invalid key', request_id: 'r' },
			}),
		);
		expect(message).toBe('GetFileURL refused the API key');
		expect(description).toContain('GetFileURL said: Invalid key');
		expect(description).toContain('Check the API key in the GetFileURL credential');
		expect(description).toContain('Request ID: r');
	});

	it('builds the error response from named fields only', () => {
		const response = apiErrorResponse({ status: 429, code: 'rate_limited', message: 'slow down' });
		expect(response).toEqual({ httpCode: '429', code: 'rate_limited', message: 'slow down' });
	});
});
