#!/usr/bin/env bash
# The whole test suite: build, lint, type checks, unit and integration tests against the
# contract server inside n8n-core, then end-to-end tests inside each real n8n engine of the
# matrix (installed outside the clone on first use). Ends with one "passed, failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."

results=.test-results
rm -rf "$results" && mkdir -p "$results"
failed_steps=()

step() {
	local name=$1
	shift
	echo
	echo "=== $name"
	"$@" || failed_steps+=("$name")
}

step build npm run build
[ ${#failed_steps[@]} -eq 0 ] || { echo "build failed: nothing else can run"; exit 1; }

step lint npm run lint
step "package contents and n8n's scanner" node scripts/check-package.mjs
step "type check (tests)" npx tsc -p test/tsconfig.json --noEmit
step "type check (end-to-end)" npx tsc -p e2e/tsconfig.json --noEmit
step "unit and integration tests" npx jest --json --outputFile="$results/jest.json"

for version in ${N8N_E2E_VERSIONS:-2.8.4 2.41.1}; do
	step "end-to-end tests, n8n $version" env N8N_E2E_VERSION="$version" \
		npx jest -c e2e/jest.config.js --json --outputFile="$results/e2e-$version.json"
done

echo
node scripts/test-summary.js "$results" "${failed_steps[@]}"
[ ${#failed_steps[@]} -eq 0 ]
