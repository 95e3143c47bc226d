/* eslint-disable
	@n8n/community-nodes/no-hardcoded-secrets
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { type ContractServer, startContractServer } from '../test/server';
import {
	type N8nInstance,
	type N8nServer,
	type StoredCredential,
	RestClient,
	createInstance,
	getFileUrlCredential,
	importCredentials,
	killAllChildren,
	locateEngine,
	removeInstance,
	restartServer,
	startServer,
	stopServer,
} from './lib';

const API_KEY = 'e2e-credential-key';
const WRONG_KEY = 'not-a-key';
const GOOD_ID = 'gfuCredentialGood';
const WRONG_ID = 'gfuCredentialWrong';

describe('GetFileURL credential test through n8n REST API (n8n start)', () => {
	let contractServer: ContractServer;
	let instance: N8nInstance | undefined;
	let server: N8nServer | undefined;
	let rest: RestClient;
	let credentialTests = 0;

	async function testCredential(credential: StoredCredential) {
		credentialTests++;
		return await rest.testCredential(credential);
	}

	beforeAll(async () => {
		contractServer = await startContractServer({ apiKeys: [API_KEY] });
		instance = await createInstance(locateEngine(), { label: 'credential' });

		await importCredentials(instance, [
			getFileUrlCredential(GOOD_ID, contractServer.url, API_KEY, 'GetFileURL (good key)'),
			getFileUrlCredential(WRONG_ID, contractServer.url, WRONG_KEY, 'GetFileURL (wrong key)'),
		]);

		server = await startServer(instance);
		rest = new RestClient(server.baseUrl);
		await rest.setupOwner();
	});

	afterAll(async () => {
		await stopServer(server);
		await killAllChildren();
		await contractServer?.close();
		removeInstance(instance);
	});

	it('passes with a good API key, as the editor tests a saved credential', async () => {
		// The editor sends the stored credential back with its secrets redacted; n8n restores them.
		const stored = await rest.getCredential(GOOD_ID);
		expect(stored.data.apiKey).not.toBe(API_KEY);

		const result = await testCredential(stored);

		expect(result).toEqual({ status: 'OK', message: expect.any(String) });
	});

	it('fails with a wrong API key, and says the key was refused', async () => {
		const stored = await rest.getCredential(WRONG_ID);

		const result = await testCredential(stored);

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused|unauthori[sz]ed|api key/i);
		expect(result.message).not.toContain(WRONG_KEY);
	});

	it('checks the key the user is typing before saving it', async () => {
		const stored = await rest.getCredential(WRONG_ID);

		const result = await testCredential({
			...stored,
			data: { ...stored.data, apiKey: API_KEY },
		});

		expect(result.status).toBe('OK');
	});

	it('still tests credentials after n8n restarts on the same user folder', async () => {
		server = await restartServer(server as N8nServer);
		rest = new RestClient(server.baseUrl);
		await rest.login();

		const good = await testCredential(await rest.getCredential(GOOD_ID));
		const wrong = await testCredential(await rest.getCredential(WRONG_ID));

		expect([good.status, wrong.status]).toEqual(['OK', 'Error']);
	});

	it('creates and deletes no file on the GetFileURL server', () => {
		const inventory = contractServer.inventory();

		expect(inventory.files).toEqual([]);
		expect(inventory.uploadAttempts).toBe(0);
		expect(inventory.uploads).toBe(0);
		expect(inventory.deletes).toBe(0);
		// Every test call reached the server, with a key: the verdicts above are the server's.
		expect(inventory.deleteAttempts).toBe(credentialTests);
		expect(inventory.requests.every((request) => request.hadAuthorization)).toBe(true);
	});
});
