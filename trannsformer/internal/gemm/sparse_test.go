package gemm

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

// randomCSR keeps each entry of a rows x cols matrix with probability
// density and returns it with its dense copy (zeros elsewhere).
func randomCSR(rng *rand.Rand, rows, cols int, density float64) (*CSR, []float32) {
	w := make([]float32, rows*cols)
	s := NewCSR(rows, cols, func(o, i int) bool {
		if rng.Float64() < density {
			w[o*cols+i] = float32(rng.NormFloat64())
			return true
		}
		return false
	})
	s.Load(w, false)
	return s, w
}

// TestSpmmT checks the sparse product against the naive dense one, and
// that GOMAXPROCS does not change its bits; Load with transposed gives
// Sᵀ's values.
func TestSpmmT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sh := range []struct{ m, rows, cols int }{{1, 1, 1}, {7, 30, 50}, {130, 100, 90}, {65, 257, 33}} {
		for _, density := range []float64{0, 0.1, 0.5} {
			s, w := randomCSR(rng, sh.rows, sh.cols, density)
			a, lda := randMatrix(rng, sh.m, sh.cols, 2)
			ldc := sh.rows + 1
			want := make([]float32, sh.m*ldc)
			naiveSgemm(false, true, sh.m, sh.rows, sh.cols, 1, a, lda, w, sh.cols, 0, want, ldc)
			var first []float32
			for _, procs := range []int{1, 2, 3, 7} {
				c := make([]float32, sh.m*ldc)
				func() {
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
					SpmmT(sh.m, a, lda, s, c, ldc)
				}()
				for r := 0; r < sh.m; r++ {
					for o := 0; o < sh.rows; o++ {
						var mag float64
						for i := 0; i < sh.cols; i++ {
							mag += math.Abs(float64(a[r*lda+i] * w[o*sh.cols+i]))
						}
						if d := math.Abs(float64(c[r*ldc+o] - want[r*ldc+o])); d > 2*float64(sh.cols+2)*mag/(1<<23) {
							t.Fatalf("%v density %v: C[%d][%d] = %v, want %v", sh, density, r, o, c[r*ldc+o], want[r*ldc+o])
						}
					}
				}
				if first == nil {
					first = c
				} else if !slices.Equal(floatBits(first), floatBits(c)) {
					t.Fatalf("%v: GOMAXPROCS %d changes the bits", sh, procs)
				}
			}
			// The transposed structure with values loaded from w.
			st := NewCSR(sh.cols, sh.rows, func(i, o int) bool { return w[o*sh.cols+i] != 0 })
			st.Load(w, true)
			for i := 0; i < sh.cols; i++ {
				for x := st.Start[i]; x < st.Start[i+1]; x++ {
					if st.Val[x] != w[int(st.Idx[x])*sh.cols+i] {
						t.Fatalf("transposed value (%d, %d) wrong", i, st.Idx[x])
					}
				}
			}
		}
	}
}

// BenchmarkSpmmT compares the sparse forward product of a 1200x1200 layer
// at 10% density (batch 400) with the dense Sgemm of the same weights, in
// the same run.
func BenchmarkSpmmT(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n, k = 400, 1200
	for _, density := range []float64{0.05, 0.1, 0.2, 0.3} {
		s, w := randomCSR(rng, k, k, density)
		x, _ := randMatrix(rng, n, k, 0)
		y := make([]float32, n*k)
		name := map[float64]string{0.05: "5%", 0.1: "10%", 0.2: "20%", 0.3: "30%"}[density]
		b.Run("dense/"+name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				Sgemm(false, true, n, k, k, 1, x, k, w, k, 0, y, k)
			}
		})
		b.Run("sparse/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				SpmmT(n, x, k, s, y, k)
			}
		})
	}
}
