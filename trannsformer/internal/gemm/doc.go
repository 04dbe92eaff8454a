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
// or 12x32 with AVX-512 when the CPU and OS support it. AVX-512 goes first
// where the CPU runs 512-bit FMAs at full rate (not on AMD Zen 4, which
// splits them in two halves and so gains nothing from them). Packing uses
// SSE. Elsewhere, or on CPUs without AVX2, a pure-Go 4x4 kernel runs inside
// the same blocking.
//
// # Bit-identical paths
//
// A path is a micro-kernel with its helpers: "avx512", "avx2" or "go" (the
// portable kernel, with the packing, AddTo and SpmmT in Go too). Every path
// gives the same bits for the same inputs, so results do not depend on the
// machine:
//
//   - every element of C is accumulated from zero in increasing k order by
//     fused multiply-adds rounded once to float32 (VFMADD231PS on amd64;
//     fma32 in Go, which Go's float64 arithmetic alone does not give, see
//     fma32), then stored as alpha*acc, or fma(alpha, acc, C) when C is
//     added to;
//   - k is cut into the same blocks on every path (KBlock: equal blocks of
//     at most 128), never split by machine or by goroutine;
//   - edge tiles go through the same kernel as full ones, and beta scales C
//     with one float32 multiplication per element before the blocks are added.
//
// The result is also bit-for-bit independent of the number of goroutines:
// goroutines own disjoint tiles of C, and no sum is split between them.
// TestGoldenDigests pins the bits of every path to those the AVX-512 kernel
// gave before the paths were unified.
//
// The environment variable GOTRANN_GEMM (EnvPath) selects the path, for
// testing: avx512, avx2 or go; unset or empty, the fastest this CPU runs
// (Paths lists them, Path names the one in use, SetPath switches in
// process). A name that is unknown or that this CPU cannot run makes every
// product panic with an error that names the variable and the valid
// values, rather than quietly run on another path.
//
// Sgemm allocates nothing once its pooled workspaces exist, and starts no
// goroutine that outlives the call.
//
// Sparse operands: SgemmBlocks and SgemmBlocksInto multiply with a
// block-sparse matrix (kept k x k tiles, rows and columns relabelled
// through index maps folded into the packing), the products of a layer
// trained on kept tiles. The matrix may hold its kept tiles only
// (Blocks.Stored, Compact), and SgemmBlocksIntoThen hands each block of the
// result to the caller as soon as it is final (a fused weight update).
// SpmmT multiplies with an element-sparse matrix (CSR), SparseWins says at
// which density it beats Sgemm. AddTo and KBlock let an event-driven caller
// reproduce Sgemm's sums of 0/1 inputs exactly.
//
// Element-wise passes of block-sparse training, on the same paths and with
// the same bits on each: GatherReLUScale and GatedScatter move a hidden
// layer's rows between two unit orders (AVX-512 gathers and scatters), and
// KeepFactors draws a row's dropout factors (AVX-512 DQ and BW, 32 at a
// time; Mix64 is the generator).
package gemm
