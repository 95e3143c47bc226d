// Packs the package as npm would publish it, checks what the tarball holds, and runs n8n's
// community-package scanner on the tarball and on the source it is built from.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'getfileurl-pack-'));
const checks = [];
const check = (name, passed, detail = '') => checks.push({ name, passed, detail });

try {
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: root,
			encoding: 'utf8',
		}),
	);
	const files = packed.files.map((file) => file.path).sort();

	const allowed = (path) =>
		path.startsWith('dist/') || ['package.json', 'README.md', 'LICENSE'].includes(path);
	const strays = files.filter((path) => !allowed(path));
	check(
		'only dist, README, LICENSE and package.json are packed',
		strays.length === 0,
		strays.join(', '),
	);
	for (const required of ['README.md', 'LICENSE', 'package.json']) {
		check(`${required} is packed`, files.includes(required));
	}
	const declared = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
	const missing = declared.filter((path) => !files.includes(path));
	check(
		'every node and credential in the n8n block is packed',
		missing.length === 0,
		missing.join(', '),
	);
	const icons = files.filter((path) => path.endsWith('.svg'));
	check('light and dark icons are packed', icons.length >= 2, icons.join(', '));
	const tests = files.filter((path) => /(\.test\.|__tests__|\/test\/|\/e2e\/)/.test(path));
	check('no tests or fixtures are packed', tests.length === 0, tests.join(', '));
	check('no runtime dependencies', Object.keys(manifest.dependencies ?? {}).length === 0);
	check(
		'n8n-workflow is the only peer',
		JSON.stringify(manifest.peerDependencies) === JSON.stringify({ 'n8n-workflow': '*' }),
	);

	execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', work]);
	const tarball = await analyzePackage(join(work, 'package'));
	check('scanner: the packed tarball', tarball.passed, tarball.details ?? tarball.message ?? '');
	const source = await analyzePackage(root, SOURCE_FILE_PATTERNS);
	check(
		'scanner: the source it is built from',
		source.passed,
		source.details ?? source.message ?? '',
	);

	console.log(`packed ${packed.filename}: ${files.length} files, ${packed.size} bytes`);
	for (const path of files) console.log(`  ${path}`);
} finally {
	rmSync(work, { recursive: true, force: true });
}

for (const { name, passed, detail } of checks) {
	console.log(`${passed ? 'ok  ' : 'FAIL'} ${name}${!passed && detail ? `\n     ${detail}` : ''}`);
}
const failed = checks.filter((entry) => !entry.passed).length;
console.log(`package checks: ${checks.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
