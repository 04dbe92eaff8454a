package gemm

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// specialFloats are the values whose max and product need care: signed
// zeros, NaNs with payloads, infinities, subnormals.
var specialFloats = []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), math.Float32frombits(0x7fc01234),
	math.Float32frombits(0xffc00001), float32(math.Inf(1)), float32(math.Inf(-1)), math.Float32frombits(1),
	math.Float32frombits(0x80000001), 1, -1, 3.3e38, -3.3e38}

func randomPermValues(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		switch r.IntN(4) {
		case 0:
			x[i] = specialFloats[r.IntN(len(specialFloats))]
		default:
			x[i] = float32(r.NormFloat64())
		}
	}
	return x
}

func permInt32(r *rand.Rand, n int) []int32 {
	p := make([]int32, n)
	for i, j := range r.Perm(n) {
		p[i] = int32(j)
	}
	return p
}

// TestGatherReLUScale checks every path against the plain loop, bit for
// bit, for lengths around the 16-lane step, and special values in x and f;
// on numbers relu is Go's max(v, 0).
func TestGatherReLUScale(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, path := range goldenPaths(t) {
		restore := usePath(t, path)
		for _, n := range []int{0, 1, 15, 16, 17, 31, 33, 100, 1200} {
			for rep := 0; rep < 5; rep++ {
				x, f := randomPermValues(r, n+3), randomPermValues(r, n+1) // longer than the indices need
				for i, v := range f {
					if v != v {
						f[i] = 0.5 // factors are never NaN
					}
				}
				idx, fi := permInt32(r, n), permInt32(r, n)
				want := make([]float32, n)
				for i := range want {
					v := x[idx[i]]
					switch {
					case v != v: // NaN keeps its bits
					case v > 0:
					default:
						v = 0
					}
					want[i] = v * f[fi[i]]
				}
				got := make([]float32, n)
				GatherReLUScale(got, x, f, idx, fi)
				if !slices.Equal(floatBits(got), floatBits(want)) {
					for i := range got {
						if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
							t.Fatalf("%s n=%d: y[%d] = %#x, want %#x (x %#x, f %#x)", path, n, i, math.Float32bits(got[i]),
								math.Float32bits(want[i]), math.Float32bits(x[idx[i]]), math.Float32bits(f[fi[i]]))
						}
					}
				}
			}
		}
		restore()
	}
}

// TestGatedScatter checks every path against the plain loop, bit for bit:
// the gate opens on any non-zero bit of a (-0 and NaN included).
func TestGatedScatter(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for _, path := range goldenPaths(t) {
		restore := usePath(t, path)
		for _, n := range []int{0, 1, 15, 16, 17, 31, 33, 100, 1200} {
			for rep := 0; rep < 5; rep++ {
				g, a := randomPermValues(r, n), randomPermValues(r, n)
				for i := range a {
					if r.IntN(3) == 0 {
						a[i] = 0
					}
				}
				idx := permInt32(r, n)
				want := make([]float32, n+2)
				for i, j := range idx {
					s := float32(2)
					if math.Float32bits(a[i]) == 0 {
						s = 0
					}
					want[j] = g[i] * s
				}
				got := make([]float32, n+2)
				GatedScatter(got, g, a, idx, 2)
				if !slices.Equal(floatBits(got), floatBits(want)) {
					t.Fatalf("%s n=%d: GatedScatter differs from the plain loop", path, n)
				}
			}
		}
		restore()
	}
}

// BenchmarkPermMoves times the two moves on rows of 1200 units (a hidden
// layer of the reference network) on the default path against the Go
// path in the same run.
func BenchmarkPermMoves(b *testing.B) {
	r := rand.New(rand.NewPCG(25, 26))
	const n = 1200
	// Activations, gradients and factors as in training: no subnormals,
	// which cost a microcode assist per multiplication on x86.
	x, f, g, a := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], g[i] = float32(r.NormFloat64()), float32(r.NormFloat64())
		f[i] = float32(r.IntN(2)) * 2
		a[i] = max(x[i], 0)
	}
	idx, fi := permInt32(r, n), permInt32(r, n)
	y := make([]float32, n)
	for _, path := range []string{Paths()[0], "go"} {
		b.Run("gather/"+path, func(b *testing.B) {
			defer usePath(b, path)()
			for i := 0; i < b.N; i++ {
				GatherReLUScale(y, x, f, idx, fi)
			}
		})
		b.Run("scatter/"+path, func(b *testing.B) {
			defer usePath(b, path)()
			for i := 0; i < b.N; i++ {
				GatedScatter(y, g, a, idx, 2)
			}
		})
	}
}

func TestReLUIsMaxOnNumbers(t *testing.T) {
	for _, v := range append(slices.Clone(specialFloats), 0.5, -0.5, 1e-30, -1e-30) {
		if v != v {
			if got := relu(v); math.Float32bits(got) != math.Float32bits(v) {
				t.Errorf("relu(%#x) = %#x: a NaN must keep its bits", math.Float32bits(v), math.Float32bits(got))
			}
			continue
		}
		if got, want := relu(v), max(v, 0); math.Float32bits(got) != math.Float32bits(want) {
			t.Errorf("relu(%v) = %#x, max(v, 0) = %#x", v, math.Float32bits(got), math.Float32bits(want))
		}
	}
}

// TestKeepFactors checks every path against the plain definition (one
// Mix64 per 4 elements, fields compared with thresh), bit for bit, for
// lengths around the 32-element step and thresholds at the edges.
func TestKeepFactors(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	for _, path := range goldenPaths(t) {
		restore := usePath(t, path)
		for _, n := range []int{0, 1, 3, 4, 31, 32, 33, 64, 100, 1200} {
			for _, thresh := range []uint64{0, 1, 32768, 52429, 65535, 65536} {
				key := r.Uint64()
				want := make([]float32, n)
				for j := range want {
					z := Mix64(key + uint64(j/4+1)*Golden)
					if z>>(16*(j%4))&0xffff >= thresh {
						want[j] = 2.5
					}
				}
				got := make([]float32, n)
				for i := range got {
					got[i] = float32(math.NaN()) // every element is written
				}
				KeepFactors(got, key, thresh, 2.5)
				if !slices.Equal(floatBits(got), floatBits(want)) {
					t.Fatalf("%s n=%d thresh=%d: KeepFactors differs from its definition", path, n, thresh)
				}
			}
		}
		restore()
	}
}

// BenchmarkKeepFactors times a row of 1200 draws on the default path
// against the Go path in the same run.
func BenchmarkKeepFactors(b *testing.B) {
	ks := make([]float32, 1200)
	for _, path := range []string{Paths()[0], "go"} {
		b.Run(path, func(b *testing.B) {
			defer usePath(b, path)()
			for i := 0; i < b.N; i++ {
				KeepFactors(ks, uint64(i), 32768, 2)
			}
		})
	}
}
