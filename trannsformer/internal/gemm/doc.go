// Package gemm multiplies float32 matrices for training: row-major SGEMM.
//
// Sgemm follows the classic GotoBLAS/BLIS structure. C is split into
// disjoint blocks, one per goroutine (up to GOMAXPROCS). Within a block the
// product is cache-blocked: op(B) is packed kc x nc at a time into
// contiguous micro-panels of NR columns, op(A) mc x kc at a time into
// micro-panels of MR rows, and a register-blocked micro-kernel computes
// each MR x NR tile of C from one A and one B micro-panel.
//
// On amd64 the micro-kernel is written in assembly: 6x16 with AVX2 and FMA,
// or 12x32 with AVX-512 when the CPU and OS support it and the CPU runs
// 512-bit FMAs at full rate (not on AMD Zen 4, which splits them in two
// halves and so gains nothing from them). Packing uses SSE. Elsewhere, or
// on CPUs without AVX2, a pure-Go 4x4 kernel runs inside the same blocking.
//
// The result is bit-for-bit independent of the number of goroutines: every
// element of C is accumulated in the same k order by the same instructions
// whichever goroutine computes it, and edge tiles go through the same
// kernel as full ones. It does depend on the kernel, that is on the CPU.
//
// Sgemm allocates nothing once its pooled workspaces exist, and starts no
// goroutine that outlives the call.
//
// Sparse operands: SgemmBlocks and SgemmBlocksInto multiply with a
// block-sparse matrix (kept k x k tiles, rows and columns relabelled
// through index maps folded into the packing), the products of a layer
// trained on kept tiles; SpmmT multiplies with an element-sparse matrix
// (CSR), SparseWins says at which density it beats Sgemm. AddTo and KBlock
// let an event-driven caller reproduce Sgemm's sums of 0/1 inputs exactly.
package gemm
