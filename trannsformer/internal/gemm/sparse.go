package gemm

import (
	"fmt"
	"runtime"
	"sync"
)

// CSR is a sparse matrix by rows: row o holds the values Val[Start[o]:
// Start[o+1]] in the columns Idx[Start[o]:Start[o+1]] (increasing).
type CSR struct {
	Rows, Cols int
	Start      []int32 // Rows+1 offsets
	Idx        []int32
	Val        []float32
}

// NewCSR returns the structure of the rows x cols matrix whose kept
// entries are keep[o*cols+i] (row-major); its values are zero (see Load).
func NewCSR(rows, cols int, keep func(o, i int) bool) *CSR {
	s := &CSR{Rows: rows, Cols: cols, Start: make([]int32, rows+1)}
	for o := 0; o < rows; o++ {
		for i := 0; i < cols; i++ {
			if keep(o, i) {
				s.Idx = append(s.Idx, int32(i))
			}
		}
		s.Start[o+1] = int32(len(s.Idx))
	}
	s.Val = make([]float32, len(s.Idx))
	return s
}

// Load sets the values from the dense row-major matrix w (rows x cols);
// transposed reads w as cols x rows (the values of Sᵀ's structure from S's
// storage).
func (s *CSR) Load(w []float32, transposed bool) {
	for o := 0; o < s.Rows; o++ {
		for x := s.Start[o]; x < s.Start[o+1]; x++ {
			i := int(s.Idx[x])
			if transposed {
				s.Val[x] = w[i*s.Rows+o]
			} else {
				s.Val[x] = w[o*s.Cols+i]
			}
		}
	}
}

// Density is the fraction of entries stored.
func (s *CSR) Density() float64 {
	if s.Rows == 0 || s.Cols == 0 {
		return 0
	}
	return float64(len(s.Idx)) / float64(s.Rows*s.Cols)
}

// SparseWins reports whether SpmmT is expected to beat Sgemm for a matrix
// of this density. Measured on a 1200x1200 layer, batch 400, 2 threads
// (BenchmarkSpmmT): 1.9x at 10%, even at about 20%, slower above.
func SparseWins(density float64) bool { return density <= maxSparseDensity }

const maxSparseDensity = 0.15

// SpmmT computes C = A·Sᵀ for an m x s.Cols matrix A (stride lda): C is
// m x s.Rows (stride ldc), the forward product of a layer whose weights S
// (out x in) are sparse. Every element of C is the sum of its terms in
// the order of s.Idx, whatever the number of goroutines (up to
// GOMAXPROCS).
func SpmmT(m int, a []float32, lda int, s *CSR, c []float32, ldc int) {
	if m < 0 {
		panic(fmt.Sprintf("gemm: negative dimension m=%d", m))
	}
	checkMatrix("C", m, s.Rows, c, ldc)
	simd := active().simd
	if m == 0 || s.Rows == 0 {
		return
	}
	checkMatrix("A", m, s.Cols, a, lda)
	sp := sparseProducts.Get().(*sparseProduct)
	defer func() {
		sp.s, sp.at, sp.ct = nil, nil, nil
		sparseProducts.Put(sp)
	}()
	workers := max(1, min(runtime.GOMAXPROCS(0), (len(s.Idx)*m)/minWorkPerGoroutine, s.Rows))
	// A slab of 64 rows of A is transposed (Cols x 64, zero-padded) so
	// that each kept entry is one contiguous multiply-add of 64 values,
	// which a kernel keeps in registers over a whole output row; the slab
	// stays in cache while every output is computed.
	const mb = 64
	need := s.Cols*mb + s.Rows*mb
	if len(sp.buf) < need {
		sp.buf = make([]float32, need)
	}
	at, ct := sp.buf[:s.Cols*mb], sp.buf[s.Cols*mb:need]
	for r0 := 0; r0 < m; r0 += mb {
		rb := min(mb, m-r0)
		if rb < mb {
			clear(at)
		}
		for r := 0; r < rb; r++ {
			row := a[(r0+r)*lda : (r0+r)*lda+s.Cols]
			for i, v := range row {
				at[i*mb+r] = v
			}
		}
		sp.simd, sp.s, sp.at, sp.ct = simd, s, at, ct
		if workers <= 1 {
			sp.outputs(0, s.Rows)
		} else {
			var wg sync.WaitGroup
			wg.Add(workers - 1)
			for p := 1; p < workers; p++ {
				go sp.outputsDone(p*s.Rows/workers, (p+1)*s.Rows/workers, &wg)
			}
			sp.outputs(0, s.Rows/workers)
			wg.Wait()
		}
		for r := 0; r < rb; r++ {
			row := c[(r0+r)*ldc : (r0+r)*ldc+s.Rows]
			for o := range row {
				row[o] = ct[o*mb+r]
			}
		}
	}
}

// sparseProduct is the scratch state of one SpmmT call.
type sparseProduct struct {
	buf    []float32
	simd   bool // the path's assembly helpers (spmmRow64)
	s      *CSR
	at, ct []float32
}

var sparseProducts = sync.Pool{New: func() any { return new(sparseProduct) }}

// outputs computes rows [o0, o1) of Cᵀ for the current slab.
func (sp *sparseProduct) outputs(o0, o1 int) {
	s := sp.s
	for o := o0; o < o1; o++ {
		x0, x1 := s.Start[o], s.Start[o+1]
		sparseRow(sp.simd, sp.ct[o*64:(o+1)*64], sp.at, s.Idx[x0:x1], s.Val[x0:x1])
	}
}

func (sp *sparseProduct) outputsDone(o0, o1 int, wg *sync.WaitGroup) {
	defer wg.Done()
	sp.outputs(o0, o1)
}
