#include "textflag.h"

// func gatherReLUScale512(y, x, f *float32, idx, fi *int32, n int)
//
// y[i] = relu(x[idx[i]]) * f[fi[i]] for i < n, 16 at a time. VMAXPS
// with zero as its second source gives v for v > 0 and +0 for every other
// v, NaN included, so NaN lanes are put back from v (relu in perm.go).
// Then one VMULPS (f is not NaN: the product's bits do not depend on the
// order of its operands).
TEXT ·gatherReLUScale512(SB), NOSPLIT, $0-48
	MOVQ   y+0(FP), DI
	MOVQ   x+8(FP), SI
	MOVQ   f+16(FP), DX
	MOVQ   idx+24(FP), R8
	MOVQ   fi+32(FP), R9
	MOVQ   n+40(FP), CX
	VPXORD Z0, Z0, Z0

grs_loop:
	CMPQ       CX, $16
	JLT        grs_done
	VMOVDQU32  (R8), Z1
	VMOVDQU32  (R9), Z2
	KXNORW     K1, K1, K1
	VGATHERDPS (SI)(Z1*4), K1, Z3
	KXNORW     K2, K2, K2
	VGATHERDPS (DX)(Z2*4), K2, Z4
	VMAXPS     Z0, Z3, Z5
	VCMPPS     $3, Z3, Z3, K3
	VMOVAPS    Z3, K3, Z5
	VMULPS     Z4, Z5, Z5
	VMOVUPS    Z5, (DI)
	ADDQ       $64, DI
	ADDQ       $64, R8
	ADDQ       $64, R9
	SUBQ       $16, CX
	JMP        grs_loop

grs_done:
	VZEROUPPER
	RET

// func gatedScatter512(d, grad, a *float32, idx *int32, n int, scale float32)
//
// d[idx[i]] = g[i] * s for i < n, 16 at a time: s is scale in the lanes
// where a[i] has a non-zero bit and +0 elsewhere; one VMULPS with g as its
// first source, then a scatter (the indices are distinct).
TEXT ·gatedScatter512(SB), NOSPLIT, $0-44
	MOVQ         d+0(FP), DI
	MOVQ         grad+8(FP), SI
	MOVQ         a+16(FP), DX
	MOVQ         idx+24(FP), R8
	MOVQ         n+32(FP), CX
	VBROADCASTSS scale+40(FP), Z7

gs_loop:
	CMPQ        CX, $16
	JLT         gs_done
	VMOVUPS     (DX), Z1
	VPTESTMD    Z1, Z1, K1
	VMOVAPS.Z   Z7, K1, Z2
	VMOVUPS     (SI), Z3
	VMULPS      Z2, Z3, Z3
	VMOVDQU32   (R8), Z4
	KXNORW      K2, K2, K2
	VSCATTERDPS Z3, K2, (DI)(Z4*4)
	ADDQ        $64, SI
	ADDQ        $64, DX
	ADDQ        $64, R8
	SUBQ        $16, CX
	JMP         gs_loop

gs_done:
	VZEROUPPER
	RET
