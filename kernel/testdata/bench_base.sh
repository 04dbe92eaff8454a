#!/usr/bin/env bash
# Round trip and start-up of this checkout's kernel against an older build
# of gotrann, measured in the same run with the same client (bench.py).
# Usage: bash kernel/testdata/bench_base.sh [REV] [bench.py flags...]
# REV defaults to the last commit before the kernel/worker split, where
# cells ran inside the kernel process.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rev=${1:-b80e347}
shift || true
go=${GO:-go}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gotrann-bench.XXXXXX")
cleanup() {
	git -C "$root" worktree remove --force "$tmp/base-src" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
export JUPYTER_PATH="$tmp/prefix/share/jupyter" JUPYTER_RUNTIME_DIR="$tmp/runtime"
export JUPYTER_CONFIG_DIR="$tmp/config" IPYTHONDIR="$tmp/ipython"
export PYDEVD_DISABLE_FILE_VALIDATION=1 PYTHONDONTWRITEBYTECODE=1

echo "== build this checkout and $rev"
(cd "$root" && "$go" build -o "$tmp/gotrann" .)
git -C "$root" worktree add --detach "$tmp/base-src" "$rev" >/dev/null
(cd "$tmp/base-src" && "$go" build -o "$tmp/gotrann-base" .)
"$tmp/gotrann" install --prefix "$tmp/prefix" >/dev/null
"$tmp/gotrann-base" install --prefix "$tmp/base-prefix" >/dev/null
# the base kernelspec under another name
mkdir -p "$JUPYTER_PATH/kernels/gotrann-base"
cp -r "$tmp/base-prefix/share/jupyter/kernels/gotrann/." "$JUPYTER_PATH/kernels/gotrann-base/"
sed -i "s#$tmp/base-prefix/share/jupyter/kernels/gotrann#$JUPYTER_PATH/kernels/gotrann-base#g; s#\"display_name\": \"[^\"]*\"#\"display_name\": \"gotrann $rev\"#" \
	"$JUPYTER_PATH/kernels/gotrann-base/kernel.json"
echo "== benchmark"
/usr/bin/python3 "$here/bench.py" --kernels gotrann,gotrann-base "$@"
