#!/usr/bin/env bash
# Fan-out test: a parameter sweep as independent "gotrann run -p" jobs, as
# notebooks/scale-out.md describes it for GNU parallel, Kubernetes and Slurm.
#
# Runs sweep.ipynb for seeds 1..4 as separate processes, two at a time
# (xargs -P 2), each writing its executed notebook and a JSON result file;
# then runs the whole sweep a second time, in the reverse order. It checks
# that every job succeeded and wrote both files, that the JSON file and the
# result read back from the executed notebook agree, that the results differ
# from seed to seed, and that the second sweep reproduced the first byte for
# byte. Finally it collects the results into one JSON array (results.json).
#
# Environment: GO (default go), GOTRANN (a gotrann binary to use instead of
# building one), OUT (a directory to keep the outputs in; default a temporary
# directory that is removed), SEEDS (default "1 2 3 4"), JOBS (default 2).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
GO=${GO:-go}
SEEDS=${SEEDS:-1 2 3 4}
JOBS=${JOBS:-2}

fail() { echo "fan-out test: FAILED: $*" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gotrann-fanout.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
out=${OUT:-$tmp/out}
rm -rf "$out/a" "$out/b"
mkdir -p "$out/a" "$out/b"

if [ -z "${GOTRANN:-}" ]; then
	echo "fan-out test: building gotrann" >&2
	(cd "$root" && "$GO" build -o "$tmp/gotrann" .) || fail "go build"
	GOTRANN=$tmp/gotrann
fi
export GOTRANN NB="$here/sweep.ipynb"

# sweep DIR SEED...: one "gotrann run" process per seed, $JOBS at a time.
# Each job logs to DIR/seed-N.log; xargs exits non-zero if any job fails.
sweep() {
	local dir=$1
	shift
	printf '%s\n' "$@" | xargs -P "$JOBS" -I{} sh -c '
		"$GOTRANN" run "$NB" -o "$1/seed-$2.ipynb" -p seed="$2" -p results="$1/seed-$2.json" \
			--timeout 60s >"$1/seed-$2.log" 2>&1 || {
			echo "job seed=$2 failed:" >&2
			cat "$1/seed-$2.log" >&2
			exit 1
		}' _ "$dir" {}
}

# shellcheck disable=SC2086 # SEEDS is a list
set -- $SEEDS
[ $# -ge 2 ] || fail "SEEDS needs at least two seeds"
start=$(date +%s%N)
sweep "$out/a" "$@" || fail "a job of the first sweep failed"
reversed=()
for s in "$@"; do reversed=("$s" "${reversed[@]}"); done
sweep "$out/b" "${reversed[@]}" || fail "a job of the second sweep failed"
end=$(date +%s%N)

python3 - "$out" "$@" <<'EOF' || fail "see above"
import json, os, sys

out, seeds = sys.argv[1], sys.argv[2:]
errors = []

def notebook_result(path):
    """The application/json output of the cell tagged "result"."""
    with open(path) as f:
        nb = json.load(f)
    for cell in nb["cells"]:
        if "result" in cell.get("metadata", {}).get("tags", []):
            for o in cell.get("outputs", []):
                if "application/json" in o.get("data", {}):
                    return o["data"]["application/json"]
    return None

results = {}
for run in ("a", "b"):
    for s in seeds:
        base = os.path.join(out, run, "seed-%s" % s)
        for ext in (".json", ".ipynb"):
            if not os.path.exists(base + ext):
                errors.append("missing %s%s" % (base, ext))
        if not os.path.exists(base + ".json"):
            continue
        with open(base + ".json", "rb") as f:
            raw = f.read()
        r = json.loads(raw)
        results[run, s] = (raw, r)
        if r.get("seed") != int(s):
            errors.append("%s.json: seed %r, want %s" % (base, r.get("seed"), s))
        if os.path.exists(base + ".ipynb") and notebook_result(base + ".ipynb") != r:
            errors.append("%s.ipynb: the notebook's result cell does not match %s.json" % (base, base))

# Distinct per parameter: no two seeds may give the same outcome.
seen = {}
for s in seeds:
    if ("a", s) not in results:
        continue
    r = dict(results["a", s][1])
    r.pop("seed")
    key = json.dumps(r, sort_keys=True)
    if key in seen:
        errors.append("seeds %s and %s gave the same result %s" % (seen[key], s, key))
    seen[key] = s

# Reproducible: the second sweep (other order, other pairing of jobs) must
# give the same bytes.
for s in seeds:
    if ("a", s) in results and ("b", s) in results and results["a", s][0] != results["b", s][0]:
        errors.append("seed %s is not reproducible:\n  first:  %s\n  second: %s"
                      % (s, results["a", s][1], results["b", s][1]))

if errors:
    for e in errors:
        print("fan-out test: " + e, file=sys.stderr)
    sys.exit(1)

collected = [results["a", s][1] for s in seeds]
with open(os.path.join(out, "results.json"), "w") as f:
    json.dump(collected, f, indent=1)
    f.write("\n")
for r in collected:
    print("fan-out test: seed %-3d loss %.6f  test accuracy %.4f" % (r["seed"], r["loss"], r["test_accuracy"]), file=sys.stderr)
EOF
ms=$(((end - start) / 1000000))
printf 'fan-out test: PASS: %d seeds x 2 sweeps, %s jobs at a time, %d.%03ds\n' "$#" "$JOBS" $((ms / 1000)) $((ms % 1000)) >&2
