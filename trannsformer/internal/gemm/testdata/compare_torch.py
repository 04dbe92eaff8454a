#!/usr/bin/python3
"""Compare gemm.Sgemm with PyTorch's torch.mm on the MLP's matrix products.

Run from anywhere with Debian's python3-torch:

    /usr/bin/python3 trannsformer/internal/gemm/testdata/compare_torch.py

For each shape of the 784-1200-1200-10 MLP trained with batches of 400
(the list mlpShapes in ../bench_test.go) it times torch.mm at 1 and 2
threads, runs `go test -bench BenchmarkSgemm -cpu 1,2` in the package, and
prints GFLOP/s side by side with the ratio Go/PyTorch, both over wall time
and per CPU-second of the process (other work often shares the cores, so
the CPU-second figures are the steadier ones). Both sides are measured
--rounds times, alternately, and the best time of each is kept. The last
rows add up the products of one training step (all but dX784) into
GEMM-only samples/s.

PyTorch's CPU matrix products go to OpenBLAS, whose thread pool is sized by
OPENBLAS_NUM_THREADS, not by torch.set_num_threads: each thread count runs
in a child process with both set (and OMP_NUM_THREADS). OPENBLAS_CORETYPE
and OPENBLAS_L2_SIZE are left as the environment has them and printed.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

# name, transpose A, transpose B, m, n, k: keep in step with bench_test.go.
SHAPES = [
    ("fwd784", False, True, 400, 1200, 784),
    ("dW784", True, False, 1200, 784, 400),
    ("dX784", False, False, 400, 784, 1200),
    ("fwd1200", False, True, 400, 1200, 1200),
    ("dW1200", True, False, 1200, 1200, 400),
    ("dX1200", False, False, 400, 1200, 1200),
    ("fwd10", False, True, 400, 10, 1200),
    ("dW10", True, False, 10, 1200, 400),
    ("dX10", False, False, 400, 1200, 10),
]
# The products of one training step of a batch: the input gradient of the
# first layer is never needed.
STEP = ["fwd784", "fwd1200", "fwd10", "dW10", "dX10", "dW1200", "dX1200", "dW784"]
BATCH = 400
HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)


def flops(shape):
    _, _, _, m, n, k = shape
    return 2.0 * m * n * k


def time_torch(threads, seconds):
    """Child process: time torch.mm for every shape, print JSON."""
    import torch

    torch.set_num_threads(threads)
    gen = torch.Generator().manual_seed(1)
    out = {}
    for shape in SHAPES:
        name, ta, tb, m, n, k = shape
        # Stored layouts as in training: a transposed operand is a .t() view
        # of a contiguous matrix, as nn.Linear and autograd produce them.
        a = torch.randn(k, m, generator=gen).t() if ta else torch.randn(m, k, generator=gen)
        b = torch.randn(n, k, generator=gen).t() if tb else torch.randn(k, n, generator=gen)
        c = torch.empty(m, n)
        for _ in range(3):
            torch.mm(a, b, out=c)
        # Calibrate a chunk of about seconds/7, then take the median chunk.
        reps, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds / 20 or reps < 1:
            torch.mm(a, b, out=c)
            reps += 1
        reps = max(1, int(reps * 20 / 7))
        walls, cpus = [], []
        for _ in range(7):
            w0, c0 = time.perf_counter(), time.process_time()
            for _ in range(reps):
                torch.mm(a, b, out=c)
            walls.append((time.perf_counter() - w0) / reps)
            cpus.append((time.process_time() - c0) / reps)
        out[name] = {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}
    print(json.dumps(out))


def run_torch(threads, seconds):
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    res = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--child", str(threads), "--seconds", str(seconds)],
        env=env, check=True, capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


BENCH_LINE = re.compile(r"^BenchmarkSgemm/(\w+)/(\w+)(?:-(\d+))?\s+\d+\s+([\d.]+) ns/op(.*)$")


def run_go(gobin, benchtime, impls):
    cmd = [gobin, "test", "-run", "^$", "-bench", "BenchmarkSgemm/.*/(%s)$" % "|".join(impls),
           "-benchtime", benchtime, "-cpu", "1,2", "-count", "1", "."]
    print("$ (cd %s && %s)" % (PACKAGE, " ".join(cmd)), file=sys.stderr)
    res = subprocess.run(cmd, cwd=PACKAGE, check=True, capture_output=True, text=True)
    out = {}
    for line in res.stdout.splitlines():
        mt = BENCH_LINE.match(line)
        if not mt:
            continue
        name, impl, procs, ns, rest = mt.groups()
        cpu = re.search(r"([\d.]+) GFLOP/cpu-s", rest)
        shape = next(s for s in SHAPES if s[0] == name)
        wall = float(ns) * 1e-9
        # GFLOP/cpu-s back to CPU seconds per call.
        cpusec = flops(shape) / (float(cpu.group(1)) * 1e9) if cpu else float("nan")
        out[(impl, int(procs or 1), name)] = {"wall": wall, "cpu": cpusec}
    return out


def keep_best(best, res):
    """Merge timings res into best, keeping the smaller wall and CPU times."""
    for key, t in res.items():
        if key not in best:
            best[key] = dict(t)
        else:
            for m in ("wall", "cpu"):
                best[key][m] = min(best[key][m], t[m])


def gf(shape, sec):
    return flops(shape) / sec / 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--seconds", type=float, default=1.0, help="PyTorch timing per shape (s)")
    ap.add_argument("--benchtime", default="1s", help="go test -benchtime")
    ap.add_argument("--go", default="go", help="the go command")
    ap.add_argument("--gonum", action="store_true", help="also show gonum's Sgemm (slow)")
    ap.add_argument("--rounds", type=int, default=3, help="measurements of each side; the best is kept")
    args = ap.parse_args()
    if args.child:
        time_torch(args.child, args.seconds)
        return

    import torch

    print("PyTorch %s; OPENBLAS_CORETYPE=%s OPENBLAS_L2_SIZE=%s" % (
        torch.__version__, os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
        os.environ.get("OPENBLAS_L2_SIZE", "(unset)")))
    impls = ["gemm"] + (["gonum"] if args.gonum else [])
    go, torch_res = {}, {1: {}, 2: {}}
    for _ in range(args.rounds):
        keep_best(go, run_go(args.go, args.benchtime, impls))
        for t in (1, 2):
            keep_best(torch_res[t], run_torch(t, args.seconds))

    for metric, title in (("wall", "GFLOP/s (wall clock)"), ("cpu", "GFLOP per CPU-second")):
        print()
        print(title)
        hdr = "%-8s %3s %9s %9s %7s" % ("shape", "thr", "torch", "go", "go/pt")
        if args.gonum:
            hdr += " %9s" % "gonum"
        print(hdr)
        for t in (1, 2):
            for shape in SHAPES:
                name = shape[0]
                pt = gf(shape, torch_res[t][name][metric])
                g = gf(shape, go[("gemm", t, name)][metric])
                row = "%-8s %3d %9.1f %9.1f %7.2f" % (name, t, pt, g, g / pt)
                if args.gonum:
                    row += " %9.1f" % gf(shape, go[("gonum", t, name)][metric])
                print(row)
            # One training step: the sum of its products.
            pt_step = sum(torch_res[t][n][metric] for n in STEP)
            go_step = sum(go[("gemm", t, n)][metric] for n in STEP)
            unit = "samples/s" if metric == "wall" else "samples/CPU-s"
            print("%-8s %3d %9.0f %9.0f %7.2f   (GEMM-only %s of a training step)" % (
                "step", t, BATCH / pt_step, BATCH / go_step, pt_step / go_step, unit))


if __name__ == "__main__":
    main()
