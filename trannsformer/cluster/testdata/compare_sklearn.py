#!/usr/bin/python3
"""Fit scikit-learn's SpectralCoclustering to a binary matrix and report labels.

Usage: compare_sklearn.py MATRIX.npy N_CLUSTERS SEED OUT.json

Writes {"rows": [...], "cols": [...], "cpu_seconds": t, "version": v}, where
cpu_seconds is the process CPU time of fit() alone. Run with
OMP_NUM_THREADS=1 (compare_sklearn.sh does) so that it is single-threaded.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import SpectralCoclustering


def main():
    path, n, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    x = np.load(path).astype(np.float64)
    model = SpectralCoclustering(n_clusters=n, random_state=seed)
    t0 = time.process_time()
    model.fit(x)
    t = time.process_time() - t0
    with open(out, "w") as f:
        json.dump({"rows": model.row_labels_.tolist(), "cols": model.column_labels_.tolist(),
                   "cpu_seconds": t, "version": sklearn.__version__}, f)


if __name__ == "__main__":
    main()
