#!/usr/bin/env bash
# Runs the gotrann kernel against real Jupyter clients (Debian's
# python3-jupyter-kernel-test, nbclient, jupyter-console, jupyter_client):
# builds gotrann, installs the kernelspec into a temporary prefix, runs the
# suites and removes everything. Usage (from anywhere):
#   bash kernel/testdata/run_suites.sh            # all suites
#   bash kernel/testdata/run_suites.sh bench      # also the benchmark
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
py=/usr/bin/python3
go=${GO:-go}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gotrann-suites.XXXXXX")
cleanup() {
	"$tmp/gotrann" uninstall --prefix "$tmp/prefix" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

export JUPYTER_PATH="$tmp/prefix/share/jupyter"
export JUPYTER_RUNTIME_DIR="$tmp/runtime"
export JUPYTER_CONFIG_DIR="$tmp/config"
export IPYTHONDIR="$tmp/ipython"
export PYDEVD_DISABLE_FILE_VALIDATION=1
export PYTHONDONTWRITEBYTECODE=1

echo "== build and install into $tmp/prefix"
(cd "$root" && "$go" build -o "$tmp/gotrann" .)
"$tmp/gotrann" install --prefix "$tmp/prefix"

status=0
echo "== jupyter_kernel_test"
(cd "$here" && "$py" -m unittest -v test_kernel) || status=1

echo "== nbclient, jupyter_client: interrupt, SIGINT, stdin, restart"
(cd "$here" && "$py" -m unittest -v smoke) || status=1

echo "== third-party modules: a local GOPROXY, a worker build, %require"
(cd "$here" && "$py" -m unittest -v modules_smoke) || status=1

echo "== jupyter-console"
out=$(printf 'x := 6*7\nfmt.Println("answer", x)\n' |
	timeout 60 jupyter-console --kernel gotrann --simple-prompt 2>&1) || true
if grep -q "answer 42" <<<"$out"; then
	echo "jupyter-console: ok"
else
	echo "jupyter-console: FAILED"
	echo "$out"
	status=1
fi

if [[ "${1:-}" == bench ]]; then
	echo "== benchmark"
	"$py" "$here/bench.py" || status=1
fi

exit $status
