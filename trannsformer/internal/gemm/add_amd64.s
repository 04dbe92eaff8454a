#include "textflag.h"

// func addAVX2(dst, src *float32, n int)
//
// dst[i] += src[i] for i < n: 32 floats a step with four YMM registers,
// then 8, then one at a time. VADDPS rounds each sum like ADDSS.
TEXT ·addAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX

add32:
	CMPQ    CX, $32
	JLT     add8
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	VADDPS  (SI), Y0, Y0
	VADDPS  32(SI), Y1, Y1
	VADDPS  64(SI), Y2, Y2
	VADDPS  96(SI), Y3, Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, DI
	ADDQ    $128, SI
	SUBQ    $32, CX
	JMP     add32

add8:
	CMPQ    CX, $8
	JLT     add1
	VMOVUPS (DI), Y0
	VADDPS  (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	SUBQ    $8, CX
	JMP     add8

add1:
	TESTQ CX, CX
	JZ    add_done
	MOVSS (DI), X0
	ADDSS (SI), X0
	MOVSS X0, (DI)
	ADDQ  $4, DI
	ADDQ  $4, SI
	DECQ  CX
	JMP   add1

add_done:
	VZEROUPPER
	RET

// func axpyFMA(dst, src *float32, n int, a float32)
//
// dst[i] = fma(a, src[i], dst[i]) for i < n: 32 floats a step, then 8,
// then one at a time with VFMADD231SS (the same rounding).
TEXT ·axpyFMA(SB), NOSPLIT, $0-28
	MOVQ         dst+0(FP), DI
	MOVQ         src+8(FP), SI
	MOVQ         n+16(FP), CX
	VBROADCASTSS a+24(FP), Y15

axpy32:
	CMPQ        CX, $32
	JLT         axpy8
	VMOVUPS     (DI), Y0
	VMOVUPS     32(DI), Y1
	VMOVUPS     64(DI), Y2
	VMOVUPS     96(DI), Y3
	VFMADD231PS (SI), Y15, Y0
	VFMADD231PS 32(SI), Y15, Y1
	VFMADD231PS 64(SI), Y15, Y2
	VFMADD231PS 96(SI), Y15, Y3
	VMOVUPS     Y0, (DI)
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     Y3, 96(DI)
	ADDQ        $128, DI
	ADDQ        $128, SI
	SUBQ        $32, CX
	JMP         axpy32

axpy8:
	CMPQ        CX, $8
	JLT         axpy1
	VMOVUPS     (DI), Y0
	VFMADD231PS (SI), Y15, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, DI
	ADDQ        $32, SI
	SUBQ        $8, CX
	JMP         axpy8

axpy1:
	TESTQ       CX, CX
	JZ          axpy_done
	VMOVSS      (DI), X0
	VFMADD231SS (SI), X15, X0
	VMOVSS      X0, (DI)
	ADDQ        $4, DI
	ADDQ        $4, SI
	DECQ        CX
	JMP         axpy1

axpy_done:
	VZEROUPPER
	RET

// func spmmRow64(d, at *float32, idx *int32, val *float32, nnz int)
//
// One output row of the sparse product over a slab of 64 samples:
// d[0:64] = sum over x < nnz, in order, of val[x] * at[idx[x]*64 : +64],
// accumulated from zero with VFMADD231PS in eight YMM registers, then
// stored.
TEXT ·spmmRow64(SB), NOSPLIT, $0-40
	MOVQ   d+0(FP), DI
	MOVQ   at+8(FP), SI
	MOVQ   idx+16(FP), R8
	MOVQ   val+24(FP), R9
	MOVQ   nnz+32(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	TESTQ  CX, CX
	JZ     spmm_store

spmm_loop:
	MOVLQSX      (R8), AX
	SHLQ         $8, AX // 64 floats = 256 bytes per row of at
	VBROADCASTSS (R9), Y15
	VFMADD231PS  (SI)(AX*1), Y15, Y0
	VFMADD231PS  32(SI)(AX*1), Y15, Y1
	VFMADD231PS  64(SI)(AX*1), Y15, Y2
	VFMADD231PS  96(SI)(AX*1), Y15, Y3
	VFMADD231PS  128(SI)(AX*1), Y15, Y4
	VFMADD231PS  160(SI)(AX*1), Y15, Y5
	VFMADD231PS  192(SI)(AX*1), Y15, Y6
	VFMADD231PS  224(SI)(AX*1), Y15, Y7
	ADDQ         $4, R8
	ADDQ         $4, R9
	DECQ         CX
	JNZ          spmm_loop

spmm_store:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	VZEROUPPER
	RET

// func addAVX512(dst, src *float32, n int)
//
// dst[i] += src[i] for i < n, n a multiple of 64: four ZMM registers a
// step. VADDPS rounds each sum like ADDSS.
TEXT ·addAVX512(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX

add64:
	CMPQ    CX, $64
	JLT     add64_done
	VMOVUPS (DI), Z0
	VMOVUPS 64(DI), Z1
	VMOVUPS 128(DI), Z2
	VMOVUPS 192(DI), Z3
	VADDPS  (SI), Z0, Z0
	VADDPS  64(SI), Z1, Z1
	VADDPS  128(SI), Z2, Z2
	VADDPS  192(SI), Z3, Z3
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	ADDQ    $256, DI
	ADDQ    $256, SI
	SUBQ    $64, CX
	JMP     add64

add64_done:
	VZEROUPPER
	RET
