#include "textflag.h"

// ---------------------------------------------------------------------------
// AVX2 + FMA micro-kernel, 6x16.
//
// Register layout:
//   Y0  Y1    accumulators of tile row 0, columns 0-7 and 8-15
//   Y2  Y3    row 1
//   Y4  Y5    row 2
//   Y6  Y7    row 3
//   Y8  Y9    row 4
//   Y10 Y11   row 5
//   Y12 Y13   the current k step of the B micro-panel (16 floats)
//   Y14 Y15   broadcasts of A values, alternating so that consecutive
//             broadcasts do not wait for each other; Y14 holds alpha at the end
//   SI        A micro-panel, 6 floats (24 bytes) per k step
//   DI        B micro-panel, 16 floats (64 bytes) per k step
//   BX, CX    counts of 4-step blocks and of remaining single steps
//
// Each k step is 2 loads, 6 broadcasts and 12 FMAs: a rank-1 update of the
// tile. Every accumulator receives its products in increasing k order.

// AVX2_STEP performs one k step, reading A at ao(SI) and B at bo(DI).
#define AVX2_STEP(ao, bo) \
	VMOVUPS bo(DI), Y12; \
	VMOVUPS 32+bo(DI), Y13; \
	VBROADCASTSS 0+ao(SI), Y14; \
	VFMADD231PS Y12, Y14, Y0; \
	VFMADD231PS Y13, Y14, Y1; \
	VBROADCASTSS 4+ao(SI), Y15; \
	VFMADD231PS Y12, Y15, Y2; \
	VFMADD231PS Y13, Y15, Y3; \
	VBROADCASTSS 8+ao(SI), Y14; \
	VFMADD231PS Y12, Y14, Y4; \
	VFMADD231PS Y13, Y14, Y5; \
	VBROADCASTSS 12+ao(SI), Y15; \
	VFMADD231PS Y12, Y15, Y6; \
	VFMADD231PS Y13, Y15, Y7; \
	VBROADCASTSS 16+ao(SI), Y14; \
	VFMADD231PS Y12, Y14, Y8; \
	VFMADD231PS Y13, Y14, Y9; \
	VBROADCASTSS 20+ao(SI), Y15; \
	VFMADD231PS Y12, Y15, Y10; \
	VFMADD231PS Y13, Y15, Y11

// AVX2_ADD stores C = alpha*acc + C for one tile row at DX, then moves DX
// to the next row.
#define AVX2_ADD(acc0, acc1) \
	VFMADD213PS (DX), Y14, acc0; \
	VFMADD213PS 32(DX), Y14, acc1; \
	VMOVUPS acc0, (DX); \
	VMOVUPS acc1, 32(DX); \
	ADDQ R8, DX

// AVX2_SET stores C = alpha*acc for one tile row at DX, then moves DX on.
#define AVX2_SET(acc0, acc1) \
	VMULPS Y14, acc0, acc0; \
	VMULPS Y14, acc1, acc1; \
	VMOVUPS acc0, (DX); \
	VMOVUPS acc1, 32(DX); \
	ADDQ R8, DX

// func kernel6x16AVX2(kc int, a, b, c *float32, ldc int, alpha float32, load bool)
TEXT ·kernel6x16AVX2(SB), NOSPLIT, $0-45
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI

	// Fetch the C tile into cache while the k loop runs: each 64-byte
	// row touches at most two cache lines.
	MOVQ       c+24(FP), DX
	MOVQ       ldc+32(FP), R8
	SHLQ       $2, R8
	PREFETCHT0 (DX)
	PREFETCHT0 60(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 60(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 60(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 60(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 60(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 60(DX)
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	MOVQ CX, BX
	ANDQ $3, CX
	SHRQ $2, BX
	JZ   avx2_tail

avx2_loop4:
	AVX2_STEP(0, 0)
	AVX2_STEP(24, 64)
	AVX2_STEP(48, 128)
	AVX2_STEP(72, 192)
	ADDQ $96, SI
	ADDQ $256, DI
	DECQ BX
	JNZ  avx2_loop4

avx2_tail:
	TESTQ CX, CX
	JZ    avx2_store

avx2_loop1:
	AVX2_STEP(0, 0)
	ADDQ $24, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  avx2_loop1

avx2_store:
	MOVQ         c+24(FP), DX
	MOVQ         ldc+32(FP), R8
	SHLQ         $2, R8
	VBROADCASTSS alpha+40(FP), Y14
	MOVBLZX      load+44(FP), AX
	TESTL        AX, AX
	JZ           avx2_set
	AVX2_ADD(Y0, Y1)
	AVX2_ADD(Y2, Y3)
	AVX2_ADD(Y4, Y5)
	AVX2_ADD(Y6, Y7)
	AVX2_ADD(Y8, Y9)
	AVX2_ADD(Y10, Y11)
	VZEROUPPER
	RET

avx2_set:
	AVX2_SET(Y0, Y1)
	AVX2_SET(Y2, Y3)
	AVX2_SET(Y4, Y5)
	AVX2_SET(Y6, Y7)
	AVX2_SET(Y8, Y9)
	AVX2_SET(Y10, Y11)
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// AVX-512 micro-kernel, 12x32.
//
// Register layout:
//   Z0  Z1    accumulators of tile row 0, columns 0-15 and 16-31
//   Z2  Z3    row 1
//   ...
//   Z22 Z23   row 11
//   Z24 Z25   the current k step of the B micro-panel (32 floats)
//   Z28       alpha, at the end
//   SI        A micro-panel, 12 floats (48 bytes) per k step
//   DI        B micro-panel, 32 floats (128 bytes) per k step
//   BX, CX    counts of 4-step blocks and of remaining single steps
//
// Each k step is 2 loads and 24 FMAs whose A operand is broadcast from
// memory by the FMA itself ({1to16}, the .BCST suffix). Every accumulator
// receives its products in increasing k order.

// AVX512_STEP performs one k step, reading A at ao(SI) and B at bo(DI).
#define AVX512_STEP(ao, bo) \
	VMOVUPS bo(DI), Z24; \
	VMOVUPS 64+bo(DI), Z25; \
	VFMADD231PS.BCST 0+ao(SI), Z24, Z0; \
	VFMADD231PS.BCST 0+ao(SI), Z25, Z1; \
	VFMADD231PS.BCST 4+ao(SI), Z24, Z2; \
	VFMADD231PS.BCST 4+ao(SI), Z25, Z3; \
	VFMADD231PS.BCST 8+ao(SI), Z24, Z4; \
	VFMADD231PS.BCST 8+ao(SI), Z25, Z5; \
	VFMADD231PS.BCST 12+ao(SI), Z24, Z6; \
	VFMADD231PS.BCST 12+ao(SI), Z25, Z7; \
	VFMADD231PS.BCST 16+ao(SI), Z24, Z8; \
	VFMADD231PS.BCST 16+ao(SI), Z25, Z9; \
	VFMADD231PS.BCST 20+ao(SI), Z24, Z10; \
	VFMADD231PS.BCST 20+ao(SI), Z25, Z11; \
	VFMADD231PS.BCST 24+ao(SI), Z24, Z12; \
	VFMADD231PS.BCST 24+ao(SI), Z25, Z13; \
	VFMADD231PS.BCST 28+ao(SI), Z24, Z14; \
	VFMADD231PS.BCST 28+ao(SI), Z25, Z15; \
	VFMADD231PS.BCST 32+ao(SI), Z24, Z16; \
	VFMADD231PS.BCST 32+ao(SI), Z25, Z17; \
	VFMADD231PS.BCST 36+ao(SI), Z24, Z18; \
	VFMADD231PS.BCST 36+ao(SI), Z25, Z19; \
	VFMADD231PS.BCST 40+ao(SI), Z24, Z20; \
	VFMADD231PS.BCST 40+ao(SI), Z25, Z21; \
	VFMADD231PS.BCST 44+ao(SI), Z24, Z22; \
	VFMADD231PS.BCST 44+ao(SI), Z25, Z23

// AVX512_ADD stores C = alpha*acc + C for one tile row at DX, then moves DX
// to the next row.
#define AVX512_ADD(acc0, acc1) \
	VFMADD213PS (DX), Z28, acc0; \
	VFMADD213PS 64(DX), Z28, acc1; \
	VMOVUPS acc0, (DX); \
	VMOVUPS acc1, 64(DX); \
	ADDQ R8, DX

// AVX512_SET stores C = alpha*acc for one tile row at DX, then moves DX on.
#define AVX512_SET(acc0, acc1) \
	VMULPS Z28, acc0, acc0; \
	VMULPS Z28, acc1, acc1; \
	VMOVUPS acc0, (DX); \
	VMOVUPS acc1, 64(DX); \
	ADDQ R8, DX

// func kernel12x32AVX512(kc int, a, b, c *float32, ldc int, alpha float32, load bool)
TEXT ·kernel12x32AVX512(SB), NOSPLIT, $0-45
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI

	// Fetch the C tile into cache while the k loop runs: each 128-byte row
	// touches at most three cache lines.
	MOVQ       c+24(FP), DX
	MOVQ       ldc+32(FP), R8
	SHLQ       $2, R8
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	PREFETCHT0 124(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	PREFETCHT0 124(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	PREFETCHT0 124(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	PREFETCHT0 124(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	PREFETCHT0 124(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	PREFETCHT0 124(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	PREFETCHT0 124(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	PREFETCHT0 124(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	PREFETCHT0 124(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	PREFETCHT0 124(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	PREFETCHT0 124(DX)
	ADDQ       R8, DX
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	PREFETCHT0 124(DX)
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	VPXORD Z19, Z19, Z19
	VPXORD Z20, Z20, Z20
	VPXORD Z21, Z21, Z21
	VPXORD Z22, Z22, Z22
	VPXORD Z23, Z23, Z23
	MOVQ CX, BX
	ANDQ $3, CX
	SHRQ $2, BX
	JZ   avx512_tail

avx512_loop4:
	AVX512_STEP(0, 0)
	AVX512_STEP(48, 128)
	AVX512_STEP(96, 256)
	AVX512_STEP(144, 384)
	ADDQ $192, SI
	ADDQ $512, DI
	DECQ BX
	JNZ  avx512_loop4

avx512_tail:
	TESTQ CX, CX
	JZ    avx512_store

avx512_loop1:
	AVX512_STEP(0, 0)
	ADDQ $48, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  avx512_loop1

avx512_store:
	MOVQ         c+24(FP), DX
	MOVQ         ldc+32(FP), R8
	SHLQ         $2, R8
	VBROADCASTSS alpha+40(FP), Z28
	MOVBLZX      load+44(FP), AX
	TESTL        AX, AX
	JZ           avx512_set
	AVX512_ADD(Z0, Z1)
	AVX512_ADD(Z2, Z3)
	AVX512_ADD(Z4, Z5)
	AVX512_ADD(Z6, Z7)
	AVX512_ADD(Z8, Z9)
	AVX512_ADD(Z10, Z11)
	AVX512_ADD(Z12, Z13)
	AVX512_ADD(Z14, Z15)
	AVX512_ADD(Z16, Z17)
	AVX512_ADD(Z18, Z19)
	AVX512_ADD(Z20, Z21)
	AVX512_ADD(Z22, Z23)
	VZEROUPPER
	RET

avx512_set:
	AVX512_SET(Z0, Z1)
	AVX512_SET(Z2, Z3)
	AVX512_SET(Z4, Z5)
	AVX512_SET(Z6, Z7)
	AVX512_SET(Z8, Z9)
	AVX512_SET(Z10, Z11)
	AVX512_SET(Z12, Z13)
	AVX512_SET(Z14, Z15)
	AVX512_SET(Z16, Z17)
	AVX512_SET(Z18, Z19)
	AVX512_SET(Z20, Z21)
	AVX512_SET(Z22, Z23)
	VZEROUPPER
	RET
