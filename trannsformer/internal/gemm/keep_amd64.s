#include "textflag.h"

// func keepFactors512(ks *float32, start *[8]uint64, n int, thresh uint64, scale float32)
//
// KeepFactors 32 elements (8 counters) at a time: the counters step by
// 8·Golden; Mix64 with VPMULLQ (the low 64 bits of each product, as Go's
// uint64 multiplication); the 32 16-bit fields of the 8 results are the
// draws of elements 0..31 in order (little-endian), compared unsigned with
// thresh (VPCMPUW, predicate 5: not less than); kept lanes get scale,
// the others +0.
TEXT ·keepFactors512(SB), NOSPLIT, $0-36
	MOVQ         ks+0(FP), DI
	MOVQ         start+8(FP), SI
	MOVQ         n+16(FP), CX
	MOVQ         thresh+24(FP), AX
	VPBROADCASTW AX, Z10
	VBROADCASTSS scale+32(FP), Z11
	VMOVDQU64    (SI), Z0                 // the counters
	MOVQ         $0x9e3779b97f4a7c15, AX
	VPBROADCASTQ AX, Z12                  // Golden
	MOVQ         $0xbf58476d1ce4e5b9, AX
	VPBROADCASTQ AX, Z13
	MOVQ         $0x94d049bb133111eb, AX
	VPBROADCASTQ AX, Z14
	MOVQ         $0xf1bbcdcbfa53e0a8, AX  // 8·Golden mod 2^64
	VPBROADCASTQ AX, Z15

kf_loop:
	CMPQ      CX, $32
	JLT       kf_done
	VPADDQ    Z12, Z0, Z1                 // z = s + Golden
	VPSRLQ    $30, Z1, Z2
	VPXORQ    Z2, Z1, Z1
	VPMULLQ   Z13, Z1, Z1
	VPSRLQ    $27, Z1, Z2
	VPXORQ    Z2, Z1, Z1
	VPMULLQ   Z14, Z1, Z1
	VPSRLQ    $31, Z1, Z2
	VPXORQ    Z2, Z1, Z1
	VPCMPUW   $5, Z10, Z1, K1             // field >= thresh
	VMOVAPS.Z Z11, K1, Z3
	KSHIFTRD  $16, K1, K2
	VMOVAPS.Z Z11, K2, Z4
	VMOVUPS   Z3, (DI)
	VMOVUPS   Z4, 64(DI)
	VPADDQ    Z15, Z0, Z0
	ADDQ      $128, DI
	SUBQ      $32, CX
	JMP       kf_loop

kf_done:
	VZEROUPPER
	RET
