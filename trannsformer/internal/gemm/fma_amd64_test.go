//go:build amd64

package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFMA32Hardware compares fma32 with VFMADD231SS/PS (axpyFMA) on the
// cases of TestFMA32, where the CPU has FMA.
func TestFMA32Hardware(t *testing.T) {
	if !cpuFeatures().avx2 {
		t.Skip("no FMA")
	}
	rng := rand.New(rand.NewPCG(33, 34))
	cs := fmaCases(rng, 200000)
	for _, x := range cs {
		a, b, c := x[0], x[1], x[2]
		dst := []float32{c}
		axpyFMA(&dst[0], &b, 1, a)
		if got := fma32(a, b, c); math.Float32bits(got) != math.Float32bits(dst[0]) &&
			!(math.IsNaN(float64(got)) && math.IsNaN(float64(dst[0]))) {
			t.Fatalf("fma32(%x, %x, %x) = %x, VFMADD231SS %x", math.Float32bits(a), math.Float32bits(b), math.Float32bits(c),
				math.Float32bits(got), math.Float32bits(dst[0]))
		}
	}
	// The vector form on the same values, eight at a time.
	for i := 0; i+8 <= len(cs); i += 8 {
		a := cs[i][0]
		dst, src, want := make([]float32, 8), make([]float32, 8), make([]float32, 8)
		for j := range 8 {
			dst[j], src[j] = cs[i+j][2], cs[i+j][1]
			want[j] = fma32(a, src[j], dst[j])
		}
		axpyFMA(&dst[0], &src[0], 8, a)
		for j := range 8 {
			if math.Float32bits(dst[j]) != math.Float32bits(want[j]) {
				t.Fatalf("VFMADD231PS lane %d: %x, fma32 %x", j, math.Float32bits(dst[j]), math.Float32bits(want[j]))
			}
		}
	}
}
