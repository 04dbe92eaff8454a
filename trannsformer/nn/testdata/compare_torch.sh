#!/usr/bin/env bash
# Compares training speed of gotrann's nn package with PyTorch on the CPU,
# on the reference MLP (784-1200-1200-10, bias-free ReLU, dropout 0.5,
# half-MSE, momentum SGD, batch 400, float32), with the same thread count,
# in the same run. Prints samples per CPU-second (process CPU time) for both
# and the ratio go/torch, which is the fair measure on a shared machine.
#
#   trannsformer/nn/testdata/compare_torch.sh [THREADS] [SAMPLES]
#
# THREADS (default 1) sets GOMAXPROCS for Go and torch.set_num_threads,
# OPENBLAS_NUM_THREADS and OMP_NUM_THREADS for PyTorch (see
# shared/bench-notes.md). Needs Debian's python3-torch (/usr/bin/python3)
# and an optimized BLAS: `apt-get install python3-torch libopenblas0-pthread`.
# Debian's torch calls the system libblas.so.3; without OpenBLAS that is the
# reference BLAS and PyTorch runs about 16x slower (476 against 7,600
# samples per CPU-second here, 2026-12-04).
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are left as the environment has them.
# A third line times block-sparse training, every layer keeping TILE_KEEP
# (default 0.12) of its 64x64 tiles, against both dense runs. ROUNDS (default
# 2) rounds are run, alternating, and the best of each is kept.
set -euo pipefail
threads=${1:-1}
samples=${2:-12000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
py=${PYTHON:-/usr/bin/python3}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
(cd "$root" && go build -o "$bin/mlpbench" ./trannsformer/internal/mlpbench)
echo "threads=$threads samples=$samples OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-unset}"
tile_keep=${TILE_KEEP:-0.12}
rounds=${ROUNDS:-2}
best_go=0
best_torch=0
best_tiles=0
for round in $(seq "$rounds"); do
	g=$(GOMAXPROCS=$threads "$bin/mlpbench" -samples "$samples")
	echo "$g"
	b=$(GOMAXPROCS=$threads "$bin/mlpbench" -samples "$samples" -tile-keep "$tile_keep")
	echo "$b"
	bv=$(sed -n 's/.*samples_per_cpu_second=\([0-9.]*\).*/\1/p' <<<"$b")
	best_tiles=$(awk -v a="$best_tiles" -v b="$bv" 'BEGIN{print (b>a)?b:a}')
	t=$(OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads "$py" "$here/compare_torch.py" --threads "$threads" --samples "$samples")
	echo "$t"
	gv=$(sed -n 's/.*samples_per_cpu_second=\([0-9.]*\).*/\1/p' <<<"$g")
	tv=$(sed -n 's/.*samples_per_cpu_second=\([0-9.]*\).*/\1/p' <<<"$t")
	best_go=$(awk -v a="$best_go" -v b="$gv" 'BEGIN{print (b>a)?b:a}')
	best_torch=$(awk -v a="$best_torch" -v b="$tv" 'BEGIN{print (b>a)?b:a}')
done
awk -v r="$rounds" -v g="$best_go" -v t="$best_torch" -v n="$threads" 'BEGIN{printf "best of %d, %d thread(s): go %.0f, torch %.0f samples per CPU-second; ratio go/torch = %.2f\n", r, n, g, t, g/t}'
awk -v r="$rounds" -v g="$best_go" -v t="$best_torch" -v b="$best_tiles" -v f="$tile_keep" -v n="$threads" 'BEGIN{printf "best of %d, %d thread(s): go tiles (keep %s) %.0f samples per CPU-second; tiles/go dense = %.2f, tiles/torch dense = %.2f\n", r, n, f, b, b/g, b/t}'
