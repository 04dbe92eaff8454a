#!/usr/bin/env bash
# Widget test, protocol 2.1 (ipywidgets 8 client code): bundles page.html's
# script from the npm packages pinned in package.json/package-lock.json
# (npm ci, esbuild), serves it with the Debian Notebook 6.4 server of
# ../../run.sh and lets lab.py drive it in headless Chromium. The
# screenshot is kept in lab/artifacts/screenshot.png.
# Needs: node and npm (apt-get install npm), network for npm ci once.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
[ -x node_modules/.bin/esbuild ] || npm ci --no-audit --no-fund >&2
npm run --silent build >&2
stage=$(mktemp -d "${TMPDIR:-/tmp}/gotrann-lab.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp -r page.html dist "$stage/"
NOTEBOOK=$here/../slider.ipynb SCRIPT=$here/lab.py EXTRA_DIR=$stage ARTIFACTS=${ARTIFACTS:-$here/artifacts} \
	bash "$here/../../run.sh"
