package cluster

import (
	"fmt"
	"math/bits"

	"gonum.org/v1/gonum/mat"
)

// Binary is a compact binary matrix: the connectivity of a layer, with one
// row per output neuron and one column per input neuron. A set bit is a
// synapse. Binary implements mat.Matrix (At returns 0 or 1), so it can be
// handed to anything that reads gonum matrices.
//
// Methods panic on out-of-range indices, like gonum's.
type Binary struct {
	r, c, stride int
	bits         []uint64
}

// NewBinary returns an r x c Binary with no synapses.
func NewBinary(r, c int) *Binary {
	if r < 0 || c < 0 {
		panic("cluster: negative dimension")
	}
	stride := (c + 63) / 64
	return &Binary{r: r, c: c, stride: stride, bits: make([]uint64, r*stride)}
}

// Full returns an r x c Binary with every synapse present: the dense layer.
func Full(r, c int) *Binary {
	b := NewBinary(r, c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			b.Set(i, j, true)
		}
	}
	return b
}

// BinaryFromMatrix returns the connectivity of m: a synapse wherever m is
// non-zero (NaN counts as non-zero).
func BinaryFromMatrix(m mat.Matrix) *Binary {
	r, c := m.Dims()
	b := NewBinary(r, c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if m.At(i, j) != 0 {
				b.Set(i, j, true)
			}
		}
	}
	return b
}

// BinaryFromBools returns an r x c Binary from row-major values.
func BinaryFromBools(r, c int, v []bool) (*Binary, error) {
	if r < 0 || c < 0 || len(v) != r*c {
		return nil, fmt.Errorf("cluster: %d values for a %dx%d matrix", len(v), r, c)
	}
	b := NewBinary(r, c)
	for k, x := range v {
		if x {
			b.Set(k/c, k%c, true)
		}
	}
	return b, nil
}

// BinaryFromFloat32 returns an r x c Binary from row-major weights (for
// example an nn layer's float32 weights): a synapse wherever the weight is
// non-zero.
func BinaryFromFloat32(r, c int, v []float32) (*Binary, error) {
	if r < 0 || c < 0 || len(v) != r*c {
		return nil, fmt.Errorf("cluster: %d values for a %dx%d matrix", len(v), r, c)
	}
	b := NewBinary(r, c)
	for k, x := range v {
		if x != 0 {
			b.Set(k/c, k%c, true)
		}
	}
	return b, nil
}

// Dims returns the number of rows (outputs) and columns (inputs).
func (b *Binary) Dims() (r, c int) { return b.r, b.c }

// At returns 1 where there is a synapse and 0 elsewhere.
func (b *Binary) At(i, j int) float64 {
	if b.Has(i, j) {
		return 1
	}
	return 0
}

// T returns the transpose as a mat.Matrix view.
func (b *Binary) T() mat.Matrix { return mat.Transpose{Matrix: b} }

func (b *Binary) check(i, j int) {
	if uint(i) >= uint(b.r) || uint(j) >= uint(b.c) {
		panic(fmt.Sprintf("cluster: index (%d,%d) out of range %dx%d", i, j, b.r, b.c))
	}
}

// Has reports whether there is a synapse from input j to output i.
func (b *Binary) Has(i, j int) bool {
	b.check(i, j)
	return b.bits[i*b.stride+j/64]&(1<<(uint(j)%64)) != 0
}

// Set sets or clears the synapse from input j to output i.
func (b *Binary) Set(i, j int, v bool) {
	b.check(i, j)
	w := &b.bits[i*b.stride+j/64]
	if v {
		*w |= 1 << (uint(j) % 64)
	} else {
		*w &^= 1 << (uint(j) % 64)
	}
}

// NNZ returns the number of synapses.
func (b *Binary) NNZ() int {
	n := 0
	for _, w := range b.bits {
		n += bits.OnesCount64(w)
	}
	return n
}

// Clone returns a copy.
func (b *Binary) Clone() *Binary {
	return &Binary{r: b.r, c: b.c, stride: b.stride, bits: append([]uint64(nil), b.bits...)}
}

// Row appends the columns (inputs) of the synapses in row i to dst, in
// increasing order, and returns it.
func (b *Binary) Row(i int, dst []int) []int {
	b.check(i, 0)
	row := b.bits[i*b.stride : (i+1)*b.stride]
	for k, w := range row {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			dst = append(dst, k*64+t)
			w &= w - 1
		}
	}
	return dst
}

// RowCounts returns the number of synapses of every row (output fan-in).
func (b *Binary) RowCounts() []int {
	out := make([]int, b.r)
	for i := range out {
		for _, w := range b.bits[i*b.stride : (i+1)*b.stride] {
			out[i] += bits.OnesCount64(w)
		}
	}
	return out
}

// ColCounts returns the number of synapses of every column (input fan-out).
func (b *Binary) ColCounts() []int {
	out := make([]int, b.c)
	for i := 0; i < b.r; i++ {
		for k, w := range b.bits[i*b.stride : (i+1)*b.stride] {
			for w != 0 {
				out[k*64+bits.TrailingZeros64(w)]++
				w &= w - 1
			}
		}
	}
	return out
}

// Sub returns C[rows, cols] as a new len(rows) x len(cols) Binary.
func (b *Binary) Sub(rows, cols []int) *Binary {
	s := NewBinary(len(rows), len(cols))
	for a, i := range rows {
		for k, j := range cols {
			if b.Has(i, j) {
				s.Set(a, k, true)
			}
		}
	}
	return s
}

// Count returns nnz(C[rows, cols]).
func (b *Binary) Count(rows, cols []int) int {
	n := 0
	for _, i := range rows {
		for _, j := range cols {
			if b.Has(i, j) {
				n++
			}
		}
	}
	return n
}

// Clear removes every synapse in C[rows, cols].
func (b *Binary) Clear(rows, cols []int) {
	for _, i := range rows {
		for _, j := range cols {
			b.Set(i, j, false)
		}
	}
}

// ActiveRows returns the rows with at least one synapse.
func (b *Binary) ActiveRows() []int {
	var out []int
	for i, n := range b.RowCounts() {
		if n > 0 {
			out = append(out, i)
		}
	}
	return out
}

// ActiveCols returns the columns with at least one synapse.
func (b *Binary) ActiveCols() []int {
	var out []int
	for j, n := range b.ColCounts() {
		if n > 0 {
			out = append(out, j)
		}
	}
	return out
}
