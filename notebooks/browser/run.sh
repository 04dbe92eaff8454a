#!/usr/bin/env bash
# Browser test: the gotrann kernel in a real Jupyter front end.
#
# Builds gotrann, installs its kernelspec into a temporary prefix, serves
# Jupyter Notebook (Debian jupyter-notebook, the classic UI) on 127.0.0.1 with
# a random token, and lets headless Chromium (Debian chromium, driven over the
# DevTools pipe by browser.py: Python standard library only) open plot.ipynb,
# run all cells from the Cell menu and wait for the gonum/plot PNG to appear
# in the output area. The screenshot is kept in artifacts/screenshot.png, with
# the server's and the browser's logs beside it.
#
# Everything lives in a temporary directory (Jupyter paths, HOME, the browser
# profile): the test neither reads nor changes the user's configuration. It
# works as root without a display. Every process it starts is stopped on exit.
#
# Environment: GO (default go), GOTRANN (a gotrann binary to use instead of
# building one), CHROMIUM (default /usr/bin/chromium),
# ARTIFACTS (default notebooks/browser/artifacts), TIMEOUT (seconds for each
# wait, default 60), NOTEBOOK (default plot.ipynb here: the notebook to open;
# its last cell must show a PNG), KEEP_TMP=1 to keep the temporary directory.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
GO=${GO:-go}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ARTIFACTS=${ARTIFACTS:-$here/artifacts}
TIMEOUT=${TIMEOUT:-60}
SCRIPT=${SCRIPT:-$here/browser.py} # the DevTools script (widgets/widgets.py for the widget test)

fail() { echo "browser test: FAILED: $*" >&2; exit 1; }

for cmd in jupyter python3 "$CHROMIUM"; do
	command -v "$cmd" >/dev/null || fail "$cmd not found (apt-get install jupyter-notebook chromium)"
done
nbversion=$(jupyter notebook --version 2>/dev/null) || fail "jupyter notebook does not run (apt-get install jupyter-notebook)"
case $nbversion in
6.*) ;;
*) fail "jupyter notebook $nbversion: this test drives the classic Notebook 6 UI (Debian jupyter-notebook)" ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gotrann-browser.XXXXXX")
server_pid=""
browser_pid=""
cleanup() {
	status=$?
	if [ -n "$browser_pid" ] && kill -0 "$browser_pid" 2>/dev/null; then
		kill -TERM "$browser_pid" 2>/dev/null || true # it closes Chromium
		wait "$browser_pid" 2>/dev/null || true
	fi
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		# SIGTERM makes the server shut its kernels down; then make sure.
		kill -TERM -- "-$server_pid" 2>/dev/null || kill -TERM "$server_pid" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL -- "-$server_pid" 2>/dev/null || true
	fi
	# A kernel the server could not stop: only our own copy of the binary.
	for exe in /proc/[0-9]*/exe; do
		if [ "$(readlink "$exe" 2>/dev/null)" = "$kernel_bin" ]; then
			pid=${exe#/proc/}
			pid=${pid%/exe}
			echo "browser test: killing leftover kernel $pid" >&2
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	if [ "${KEEP_TMP:-}" = 1 ]; then
		echo "browser test: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
	exit "$status"
}
kernel_bin="$tmp/prefix/share/jupyter/kernels/gotrann/gotrann"
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$ARTIFACTS" "$tmp/home" "$tmp/notebooks"
rm -f "$ARTIFACTS/screenshot.png" "$ARTIFACTS/jupyter.log" "$ARTIFACTS/chromium.log"

if [ -z "${GOTRANN:-}" ]; then
	echo "browser test: building gotrann" >&2
	(cd "$root" && "$GO" build -o "$tmp/gotrann" .) || fail "go build"
	GOTRANN=$tmp/gotrann
fi
"$GOTRANN" install --prefix "$tmp/prefix" >&2 || fail "$GOTRANN install --prefix $tmp/prefix"
[ -x "$kernel_bin" ] || fail "gotrann install did not put the kernel at $kernel_bin"

# Jupyter sees only our temporary paths (and the system's), never ~/.jupyter.
export HOME="$tmp/home"
export JUPYTER_PATH="$tmp/prefix/share/jupyter"
export JUPYTER_DATA_DIR="$tmp/data"
export JUPYTER_CONFIG_DIR="$tmp/config"
export JUPYTER_RUNTIME_DIR="$tmp/runtime"
export IPYTHONDIR="$tmp/ipython"
export PYDEVD_DISABLE_FILE_VALIDATION=1
unset JUPYTER_TOKEN JUPYTER_CONFIG_PATH

specs=$(jupyter kernelspec list 2>/dev/null) || fail "jupyter kernelspec list failed"
grep -q "^ *gotrann " <<<"$specs" || fail "jupyter kernelspec list does not show gotrann: $specs"
NOTEBOOK=${NOTEBOOK:-$here/plot.ipynb}
[ -f "$NOTEBOOK" ] || fail "no notebook $NOTEBOOK"
cp "$NOTEBOOK" "$tmp/notebooks/plot.ipynb"
# EXTRA_DIR: static files the server serves at /nbextensions/extra/ (the
# same origin as its API; /files/ pages are sandboxed)
if [ -n "${EXTRA_DIR:-}" ]; then
	mkdir -p "$tmp/prefix/share/jupyter/nbextensions/extra" &&
		cp -r "$EXTRA_DIR/." "$tmp/prefix/share/jupyter/nbextensions/extra/"
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$(python3 -c 'import secrets; print(secrets.token_hex(24))')

echo "browser test: jupyter notebook $nbversion on 127.0.0.1:$port" >&2
setsid jupyter notebook --no-browser --allow-root --ip 127.0.0.1 --port "$port" \
	--NotebookApp.port_retries=0 --NotebookApp.token="$token" \
	--notebook-dir "$tmp/notebooks" >"$ARTIFACTS/jupyter.log" 2>&1 </dev/null &
server_pid=$!

server_log() { echo "--- $ARTIFACTS/jupyter.log (last 40 lines)" >&2; tail -n 40 "$ARTIFACTS/jupyter.log" >&2; }

python3 - "$port" "$token" "$server_pid" "$TIMEOUT" <<'EOF' || { server_log; fail "the Jupyter server did not come up"; }
import os, sys, time, urllib.request
port, token, pid, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
url = "http://127.0.0.1:%s/api/status?token=%s" % (port, token)
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit("the server exited")
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.2)
sys.exit("no answer on %s within %ss" % (url.split("?")[0], timeout))
EOF

# In the background, so that a signal to this script is handled at once.
url="http://127.0.0.1:$port/notebooks/plot.ipynb?token=$token"
python3 "$SCRIPT" --url "$url" --chromium "$CHROMIUM" --timeout "$TIMEOUT" \
	--screenshot "$ARTIFACTS/screenshot.png" --log "$ARTIFACTS/chromium.log" &
browser_pid=$!
browser_status=0
wait "$browser_pid" || browser_status=$?
browser_pid=""
if [ "$browser_status" -ne 0 ]; then
	server_log
	fail "see above; artifacts in $ARTIFACTS"
fi
echo "browser test: PASS" >&2
