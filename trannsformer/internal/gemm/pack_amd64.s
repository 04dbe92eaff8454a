#include "textflag.h"

// ---------------------------------------------------------------------------
// func transpose4x4SSE(dst, src *float32, ld, blocks, width int)
//
// Packing helper: transposes four runs of 4*blocks floats (src, src+ld,
// src+2*ld, src+3*ld) so that the four values at position s of the runs
// land side by side at dst+s*width, 4x4 blocks at a time with SSE shuffles.
// SSE2 is part of every amd64 CPU.
//
//   SI, R8, R9, R10   the four runs
//   DI                destination, advancing 4*width floats per block
//   DX, R11           width and 3*width, in bytes
TEXT ·transpose4x4SSE(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), AX
	SHLQ $2, AX
	MOVQ blocks+24(FP), CX
	MOVQ width+32(FP), DX
	SHLQ $2, DX
	LEAQ (SI)(AX*1), R8
	LEAQ (R8)(AX*1), R9
	LEAQ (R9)(AX*1), R10
	LEAQ (DX)(DX*2), R11
	TESTQ CX, CX
	JZ    transpose_done

transpose_loop:
	MOVUPS   (SI), X0 // a0 a1 a2 a3
	MOVUPS   (R8), X1 // b0 b1 b2 b3
	MOVUPS   (R9), X2 // c0 c1 c2 c3
	MOVUPS   (R10), X3 // d0 d1 d2 d3
	MOVAPS   X0, X4
	UNPCKLPS X1, X0 // a0 b0 a1 b1
	UNPCKHPS X1, X4 // a2 b2 a3 b3
	MOVAPS   X2, X5
	UNPCKLPS X3, X2 // c0 d0 c1 d1
	UNPCKHPS X3, X5 // c2 d2 c3 d3
	MOVAPS   X0, X1
	UNPCKLPD X2, X0 // a0 b0 c0 d0
	UNPCKHPD X2, X1 // a1 b1 c1 d1
	MOVAPS   X4, X3
	UNPCKLPD X5, X4 // a2 b2 c2 d2
	UNPCKHPD X5, X3 // a3 b3 c3 d3
	MOVUPS   X0, (DI)
	MOVUPS   X1, (DI)(DX*1)
	MOVUPS   X4, (DI)(DX*2)
	MOVUPS   X3, (DI)(R11*1)
	ADDQ     $16, SI
	ADDQ     $16, R8
	ADDQ     $16, R9
	ADDQ     $16, R10
	LEAQ     (DI)(DX*4), DI
	DECQ     CX
	JNZ      transpose_loop

transpose_done:
	RET

// ---------------------------------------------------------------------------
// func copyRowsSSE(dst, src *float32, ld, n, width int)
//
// Packing helper: copies n runs of width floats, src+s*ld, to dst+s*width.
// width*4 must be a multiple of 8 (every kernel's MR and NR is even): the
// run is moved 16 bytes at a time, then 8.
//
//   SI, DI    source and destination runs
//   AX, DX    ld and width in bytes
//   BX        byte offset within the run
//   CX        runs left
TEXT ·copyRowsSSE(SB), NOSPLIT, $0-40
	MOVQ  dst+0(FP), DI
	MOVQ  src+8(FP), SI
	MOVQ  ld+16(FP), AX
	SHLQ  $2, AX
	MOVQ  n+24(FP), CX
	MOVQ  width+32(FP), DX
	SHLQ  $2, DX
	TESTQ CX, CX
	JZ    copy_done

copy_row:
	XORQ BX, BX

copy_16:
	LEAQ   16(BX), R8
	CMPQ   R8, DX
	JGT    copy_8
	MOVUPS (SI)(BX*1), X0
	MOVUPS X0, (DI)(BX*1)
	MOVQ   R8, BX
	JMP    copy_16

copy_8:
	CMPQ BX, DX
	JGE  copy_next
	MOVQ (SI)(BX*1), R8
	MOVQ R8, (DI)(BX*1)

copy_next:
	ADDQ AX, SI
	ADDQ DX, DI
	DECQ CX
	JNZ  copy_row

copy_done:
	RET

// ---------------------------------------------------------------------------
// func transpose2x4SSE(dst, src *float32, ld, blocks, width int)
//
// transpose4x4SSE for two runs: the pair of values at position s of the
// runs lands at dst+s*width, 2x4 blocks at a time.
//
//   SI, R8    the two runs
//   DI        destination, advancing 4*width floats per block
//   DX, R11   width and 3*width, in bytes
TEXT ·transpose2x4SSE(SB), NOSPLIT, $0-40
	MOVQ  dst+0(FP), DI
	MOVQ  src+8(FP), SI
	MOVQ  ld+16(FP), AX
	SHLQ  $2, AX
	MOVQ  blocks+24(FP), CX
	MOVQ  width+32(FP), DX
	SHLQ  $2, DX
	LEAQ  (SI)(AX*1), R8
	LEAQ  (DX)(DX*2), R11
	TESTQ CX, CX
	JZ    transpose2_done

transpose2_loop:
	MOVUPS   (SI), X0 // a0 a1 a2 a3
	MOVUPS   (R8), X1 // b0 b1 b2 b3
	MOVAPS   X0, X2
	UNPCKLPS X1, X0 // a0 b0 a1 b1
	UNPCKHPS X1, X2 // a2 b2 a3 b3
	MOVLPS   X0, (DI)
	MOVHPS   X0, (DI)(DX*1)
	MOVLPS   X2, (DI)(DX*2)
	MOVHPS   X2, (DI)(R11*1)
	ADDQ     $16, SI
	ADDQ     $16, R8
	LEAQ     (DI)(DX*4), DI
	DECQ     CX
	JNZ      transpose2_loop

transpose2_done:
	RET
