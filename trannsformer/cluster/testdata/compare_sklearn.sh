#!/bin/sh
# Compare our co-clustering with scikit-learn's SpectralCoclustering on the
# same matrices, in the same run: CPU time ratio and crossbars needed.
# Usage (from anywhere in the repository):
#   trannsformer/cluster/testdata/compare_sklearn.sh [flags of internal/sklcmp]
# Needs /usr/bin/python3 with python3-sklearn (Debian). Pins one thread.
set -e
cd "$(dirname "$0")/../../.."
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
exec go run ./trannsformer/cluster/internal/sklcmp -script trannsformer/cluster/testdata/compare_sklearn.py "$@"
