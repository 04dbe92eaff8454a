package gemm

import (
	"math"
	"unsafe"
)

// Row moves through a permutation, for the element-wise passes of
// block-sparse training. They run on the AVX-512 path with gathers and
// scatters and in Go otherwise, with the same bits: each element gets one
// max and one multiplication, as written below.
//
// The index lists are trusted, as a permutation built from a checked order
// is: every index must lie below the length of the slice it indexes. The
// Go loops skip the bounds checks that this makes redundant.

// GatherReLUScale sets y[i] = relu(x[idx[i]]) * f[fi[i]] for i <
// len(idx): a hidden unit's ReLU and dropout factor, read from one order
// into another. relu(v) is v when v > 0 and +0 when v <= 0 (-0 included),
// as Go's max(v, 0); a NaN keeps its bits (Go's max leaves them to the
// compiler). The factors f must not be NaN. Every idx[i] must be below
// len(x), every fi[i] below len(f); y and fi hold len(idx) elements.
func GatherReLUScale(y, x, f []float32, idx, fi []int32) {
	n := len(idx)
	y, fi = y[:n], fi[:n]
	if n == 0 {
		return
	}
	m := 0
	if n >= 16 && active().name == "avx512" {
		m = n &^ 15
		gatherReLUScale512(&y[0], &x[0], &f[0], &idx[0], &fi[0], m)
	}
	xp := unsafe.Pointer(unsafe.SliceData(x))
	fp := unsafe.Pointer(unsafe.SliceData(f))
	at := func(p unsafe.Pointer, j int32) float32 { return *(*float32)(unsafe.Add(p, uintptr(j)*4)) }
	i := m
	for ; i+3 < n; i += 4 {
		s := idx[i : i+4 : i+4]
		u := fi[i : i+4 : i+4]
		d := y[i : i+4 : i+4]
		d[0] = relu(at(xp, s[0])) * at(fp, u[0])
		d[1] = relu(at(xp, s[1])) * at(fp, u[1])
		d[2] = relu(at(xp, s[2])) * at(fp, u[2])
		d[3] = relu(at(xp, s[3])) * at(fp, u[3])
	}
	for ; i < n; i++ {
		y[i] = relu(at(xp, idx[i])) * at(fp, fi[i])
	}
}

// relu returns v when v > 0 or v is NaN, +0 otherwise: Go's max(v, 0),
// with a NaN's bits kept (a branch that training never takes).
func relu(v float32) float32 {
	if v != v {
		return v
	}
	return max(v, 0)
}

// GatedScatter sets d[idx[i]] = g[i] * s for i < len(idx), where s is
// scale when a[i] has a non-zero bit (a unit that fired, a >= 0) and +0
// otherwise: the gradient gate of a hidden unit, written back through a
// permutation. scale must be positive; every idx[i] must be below len(d);
// g and a hold len(idx) elements.
func GatedScatter(d, g, a []float32, idx []int32, scale float32) {
	n := len(idx)
	g, a = g[:n], a[:n]
	if n == 0 {
		return
	}
	m := 0
	if n >= 16 && active().name == "avx512" {
		m = n &^ 15
		gatedScatter512(&d[0], &g[0], &a[0], &idx[0], m, scale)
	}
	dp := unsafe.Pointer(unsafe.SliceData(d))
	sb := math.Float32bits(scale)
	for i := m; i < n; i++ {
		// -min(bits, 1) is all ones exactly when a[i] has a non-zero
		// bit: the bits of float32(on) * scale, scale > 0.
		s := math.Float32frombits(sb & -min(math.Float32bits(a[i]), 1))
		*(*float32)(unsafe.Add(dp, uintptr(idx[i])*4)) = g[i] * s
	}
}
