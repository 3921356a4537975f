#!/usr/bin/env bash
# The accessibility tests inject axe-core into each page from a local copy; install it from
# the npm registry when it is missing (never fetched from a CDN while the tests run).
set -euo pipefail
dir="${AXE_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.cache/axe}"
if [ -f "$dir/node_modules/axe-core/axe.min.js" ]; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm is needed to install axe-core for the accessibility tests"; exit 1; }
echo "Installing axe-core for the accessibility tests..."
mkdir -p "$dir"
npm install --silent --no-audit --no-fund --prefix "$dir" axe-core@4 >/dev/null
