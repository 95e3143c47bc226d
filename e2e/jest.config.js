/**
 * End-to-end tests: real n8n (the pinned engine) loading the built package from a user folder.
 * Run `npm run build` first. Each test file starts n8n processes of its own, so two workers at
 * most keep a 2-core machine responsive.
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: '..',
	roots: ['<rootDir>/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	testEnvironment: 'node',
	transform: {
		// isolatedModules: ts-jest transpiles file by file; `npx tsc -p e2e/tsconfig.json` type-checks.
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/e2e/tsconfig.json' }],
	},
	// Installs the engine once if its cache is cold (6-9 min), before any worker starts.
	globalSetup: '<rootDir>/e2e/global-setup.ts',
	// Bounds for one test or hook: a few cold n8n starts and uploads, never an engine install.
	testTimeout: 5 * 60_000,
	maxWorkers: 2,
};
