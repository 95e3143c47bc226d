// Adds up the Jest result files of a test run into one closing line.
const fs = require('node:fs');
const path = require('node:path');

const [folder, ...failedSteps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of fs.readdirSync(folder).filter((name) => name.endsWith('.json'))) {
	const result = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8'));
	passed += result.numPassedTests;
	failed += result.numFailedTests;
	skipped += result.numPendingTests + result.numTodoTests;
	const suitesFailedToRun = result.numRuntimeErrorTestSuites;
	if (suitesFailedToRun > 0) console.log(`${file}: ${suitesFailedToRun} suite(s) failed to run`);
}
if (failedSteps.length > 0) console.log(`steps that failed: ${failedSteps.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
