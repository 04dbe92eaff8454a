#!/usr/bin/env python3
"""Recount a `gotrann paper --save DIR` study without the project's code.

For every saved network this script
  * recomputes its test accuracy from its weights (bias-free ReLU MLP,
    ReLU at the output too, class = first largest output) on DIR/test_x.npy;
  * checks every saved mapping: each non-zero weight is held by exactly one
    crossbar that wires its input and output, no crossbar wires more than k
    inputs or outputs or the same one twice;
  * recounts the crossbars of every mapping and, from the weights alone, the
    dense grid (ceil(out/k)*ceil(in/k) per layer) and the authors' rule for
    pruned networks (empty rows and columns removed, then tiled);
and compares everything with DIR/manifest.json. It needs only numpy.

Usage: python3 recount.py DIR    (exit status 1 on any disagreement)
"""
import json
import math
import os
import sys

import numpy as np


def forward(ws, x):
    h = x
    for w in ws:
        h = np.maximum(h @ w.T, 0)
    return h


def check_mapping(z, prefix, w, k):
    """Verifies one layer's mapping; returns its crossbar count."""
    ins, outs = z[prefix + "inputs"], z[prefix + "outputs"]
    in_off, out_off = z[prefix + "in_off"], z[prefix + "out_off"]
    assign = z[prefix + "assign"]
    n = len(in_off) - 1
    n_out, n_in = w.shape
    nin, nout = np.diff(in_off), np.diff(out_off)
    if len(out_off) - 1 != n:
        raise ValueError("offset lists disagree")
    if n and (nin.max(initial=0) > k or nout.max(initial=0) > k):
        raise ValueError("a crossbar wires more than k inputs or outputs")
    rows, cols = np.nonzero(w)  # row-major order, as saved
    if len(assign) != len(rows):
        raise ValueError("%d assignments for %d synapses" % (len(assign), len(rows)))
    if len(assign) and (assign.min() < 0 or assign.max() >= n):
        raise ValueError("a synapse is on no crossbar")
    inmem = np.zeros((n, n_in), dtype=bool)
    outmem = np.zeros((n, n_out), dtype=bool)
    inmem[np.repeat(np.arange(n), nin), ins] = True
    outmem[np.repeat(np.arange(n), nout), outs] = True
    if (inmem.sum(axis=1) != nin).any() or (outmem.sum(axis=1) != nout).any():
        raise ValueError("a crossbar wires an input or output twice")
    if len(assign) and not (inmem[assign, cols] & outmem[assign, rows]).all():
        raise ValueError("a synapse sits on a crossbar that does not wire it")
    return n


def grid(w, k):
    o, i = w.shape
    return math.ceil(o / k) * math.ceil(i / k)


def authors(w, k):
    nz = w != 0
    return math.ceil(nz.any(axis=1).sum() / k) * math.ceil(nz.any(axis=0).sum() / k)


def main(root):
    man = json.load(open(os.path.join(root, "manifest.json")))
    x = np.load(os.path.join(root, "test_x.npy"))
    y = np.load(os.path.join(root, "test_y.npy"))
    bad = 0
    print("%-32s %9s %9s %8s %9s" % ("network", "test acc", "manifest", "mappings", "crossbars"))
    for run in man["runs"]:
        d = os.path.join(root, run["dir"])
        L = len(run["sizes"]) - 1
        ws = [np.load(os.path.join(d, "W%d.npy" % l)) for l in range(L)]
        pred = np.argmax(forward(ws, x), axis=1)
        acc = float((pred == y).mean())
        # Summation order may flip a near-tie: allow one sample in a thousand.
        acc_ok = abs(acc - run["test_acc"]) <= max(1.0 / len(y), 1e-3)
        z = np.load(os.path.join(d, "mappings.npz"))
        counted = 0
        for mc in run["mappings"]:
            k, mapper = mc["k"], mc["mapper"]
            total = 0
            for l in range(L):
                try:
                    total += check_mapping(z, "k%d_%s_l%d_" % (k, mapper, l), ws[l], k)
                except ValueError as e:
                    print("  %s k=%d %s layer %d: %s" % (run["dir"], k, mapper, l, e))
                    bad += 1
            if total != mc["crossbars"]:
                print("  %s k=%d %s: %d crossbars recounted, manifest %d" % (run["dir"], k, mapper, total, mc["crossbars"]))
                bad += 1
            if mapper == "grid" and total != sum(grid(w, k) for w in ws):
                print("  %s k=%d: grid %d, rule %d" % (run["dir"], k, total, sum(grid(w, k) for w in ws)))
                bad += 1
            if mapper == "authors" and run["method"] != "trannsformer" and total != sum(authors(w, k) for w in ws):
                print("  %s k=%d: authors' rule %d, rule from the weights %d" % (run["dir"], k, total, sum(authors(w, k) for w in ws)))
                bad += 1
            counted += 1
        best = min((mc["crossbars"] for mc in run["mappings"] if mc["k"] == man["k"]), default=0)
        print("%-32s %8.2f%% %8.2f%% %8d %9d%s" % (run["dir"], 100 * acc, 100 * run["test_acc"], counted, best,
                                                   "" if acc_ok else "  ACCURACY DIFFERS"))
        if not acc_ok:
            bad += 1
    print("%d networks recounted, %d disagreements" % (len(man["runs"]), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
