/* eslint-disable
	@n8n/community-nodes/no-restricted-globals
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { ENGINE_FOLDER_VARIABLE, locateEngine } from './lib/engine';
import { packageIsBuilt } from './lib/instance';

/**
 * Runs once before the test files: installs the engine if its cache is cold (so that two
 * workers never install it at the same time) and stops early when the package is not built.
 */
export default function globalSetup(): void {
	if (!packageIsBuilt()) {
		throw new Error('The package is not built: run `npm run build` before the e2e tests');
	}

	const engine = locateEngine();
	// Workers start after this and inherit the environment.
	process.env[ENGINE_FOLDER_VARIABLE] = engine.folder;
}
