//go:build amd64

package gemm

// The helpers below run their assembly on the SIMD paths (simd true, which
// the kernel lists only on CPUs with AVX2 and FMA) and Go otherwise; both
// round alike: one float32 addition, or one fused multiply-add, per element.

// addAVX2 is in add_amd64.s: dst[i] += src[i] for i < n, 32 floats a step.
//
//go:noescape
func addAVX2(dst, src *float32, n int)

// addAVX512 is in add_amd64.s: dst[i] += src[i] for i < n, n a multiple
// of 64.
//
//go:noescape
func addAVX512(dst, src *float32, n int)

func addTo(simd bool, dst, src []float32) {
	if !simd || len(dst) < 8 {
		addToGo(dst, src)
		return
	}
	if m := len(dst) &^ 63; m > 0 && active().name == "avx512" {
		addAVX512(&dst[0], &src[0], m)
		if m == len(dst) {
			return
		}
		dst, src = dst[m:], src[m:]
		if len(dst) < 8 {
			addToGo(dst, src)
			return
		}
	}
	addAVX2(&dst[0], &src[0], len(dst))
}

// axpyFMA is in add_amd64.s: dst[i] = fma(a, src[i], dst[i]) for i < n.
//
//go:noescape
func axpyFMA(dst, src *float32, n int, a float32)

func axpy(simd bool, dst, src []float32, a float32) {
	if !simd || len(dst) < 8 {
		axpyGo(dst, src, a)
		return
	}
	axpyFMA(&dst[0], &src[0], len(dst), a)
}

// spmmRow64 is in add_amd64.s: d[0:64] = the sum over x < nnz, in order,
// of val[x] * at[idx[x]*64:][:64], from zero, with fused multiply-adds.
//
//go:noescape
func spmmRow64(d, at *float32, idx *int32, val *float32, nnz int)

func sparseRow(simd bool, d, at []float32, idx []int32, val []float32) {
	if !simd {
		sparseRowGo(d, at, idx, val)
		return
	}
	_ = d[63]
	if len(idx) == 0 {
		clear(d[:64])
		return
	}
	_ = val[len(idx)-1]
	for _, i := range idx {
		_ = at[int(i)*64+63] // bounds, once per row of at
	}
	spmmRow64(&d[0], &at[0], &idx[0], &val[0], len(idx))
}
