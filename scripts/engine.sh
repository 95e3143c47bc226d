#!/usr/bin/env bash
# Installs a pinned n8n engine outside the clone, once per lockfile, and prints its folder.
# Usage: scripts/engine.sh [version]   (default: the oldest engine under engines/)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
version=${1:-2.8.4}
spec="$root/engines/n8n-$version"
[ -f "$spec/package-lock.json" ] || { echo "engine.sh: no engines/n8n-$version/package-lock.json" >&2; exit 2; }

lock_hash=$(sha256sum "$spec/package-lock.json" | cut -c1-16)
cache_root=${GETFILEURL_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-getfileurl}
target="$cache_root/n8n-$version-$lock_hash"

if [ ! -f "$target/.installed" ]; then
	echo "engine.sh: installing n8n $version into $target (about 6 minutes cold)" >&2
	rm -rf "$target.partial"
	mkdir -p "$target.partial"
	cp "$spec/package.json" "$spec/package-lock.json" "$target.partial/"
	# The engine needs its install scripts (sqlite3 compiles), unlike the package itself.
	(cd "$target.partial" && npm ci --ignore-scripts=false --no-audit --no-fund --loglevel=error >&2)
	touch "$target.partial/.installed"
	rm -rf "$target"
	mv "$target.partial" "$target"
fi

echo "$target"
