package data

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Dataset is a labelled data set: N samples of Features inputs each.
type Dataset struct {
	Name     string
	X        []float32 // N*Features inputs, row-major, sample i at X[i*Features:]
	Y        []int     // N labels in [0, Classes)
	Features int
	Classes  int
	// Shape is the shape of one sample (e.g. [28 28] or [3 32 32]); its
	// product is Features. It may be nil for data without a natural shape.
	Shape []int
	// ClassNames optionally names the classes.
	ClassNames []string
}

// Len returns the number of samples.
func (d *Dataset) Len() int { return len(d.Y) }

// Row returns the inputs of sample i (a slice of X, not a copy).
func (d *Dataset) Row(i int) []float32 {
	return d.X[i*d.Features : (i+1)*d.Features]
}

// Validate checks that the sizes agree and the labels are in range.
func (d *Dataset) Validate() error {
	if d.Features <= 0 {
		return fmt.Errorf("data: %s: %d features", d.Name, d.Features)
	}
	if len(d.X) != len(d.Y)*d.Features {
		return fmt.Errorf("data: %s: %d inputs for %d samples of %d features", d.Name, len(d.X), len(d.Y), d.Features)
	}
	for i, y := range d.Y {
		if y < 0 || y >= d.Classes {
			return fmt.Errorf("data: %s: label %d of sample %d outside [0, %d)", d.Name, y, i, d.Classes)
		}
	}
	return nil
}

// String describes the data set in one line.
func (d *Dataset) String() string {
	return fmt.Sprintf("%s: %d samples, %d features, %d classes", d.Name, d.Len(), d.Features, d.Classes)
}

func (d *Dataset) derive(name string, n int) *Dataset {
	return &Dataset{
		Name:       name,
		X:          make([]float32, n*d.Features),
		Y:          make([]int, n),
		Features:   d.Features,
		Classes:    d.Classes,
		Shape:      append([]int(nil), d.Shape...),
		ClassNames: d.ClassNames,
	}
}

// Subset returns a copy holding the samples idx, in that order.
func (d *Dataset) Subset(idx []int) *Dataset {
	s := d.derive(d.Name, len(idx))
	for k, i := range idx {
		copy(s.Row(k), d.Row(i))
		s.Y[k] = d.Y[i]
	}
	return s
}

// Head returns a copy of the first n samples (all of them if n >= Len).
func (d *Dataset) Head(n int) *Dataset {
	if n > d.Len() {
		n = d.Len()
	}
	if n < 0 {
		n = 0
	}
	s := d.derive(d.Name, n)
	copy(s.X, d.X[:n*d.Features])
	copy(s.Y, d.Y[:n])
	return s
}

// Permutation returns a seeded random permutation of the sample indices.
func (d *Dataset) Permutation(seed uint64) []int {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	return r.Perm(d.Len())
}

// Shuffle returns a copy with the samples in a seeded random order.
func (d *Dataset) Shuffle(seed uint64) *Dataset {
	return d.Subset(d.Permutation(seed))
}

// Split shuffles the samples with the seed and returns the first
// round(frac*N) of them and the rest, e.g. a training and a validation set.
func (d *Dataset) Split(frac float64, seed uint64) (*Dataset, *Dataset) {
	if frac < 0 {
		frac = 0
	}
	if frac > 1 {
		frac = 1
	}
	p := d.Permutation(seed)
	k := int(frac*float64(len(p)) + 0.5)
	return d.Subset(p[:k]), d.Subset(p[k:])
}

// ClassCounts returns the number of samples of each class.
func (d *Dataset) ClassCounts() []int {
	c := make([]int, d.Classes)
	for _, y := range d.Y {
		if y >= 0 && y < d.Classes {
			c[y]++
		}
	}
	return c
}

// Matrix returns the inputs as an N x Features matrix (a float64 copy).
func (d *Dataset) Matrix() *mat.Dense {
	if d.Len() == 0 {
		return &mat.Dense{}
	}
	m := mat.NewDense(d.Len(), d.Features, nil)
	raw := m.RawMatrix().Data
	for i, v := range d.X {
		raw[i] = float64(v)
	}
	return m
}

// OneHot returns the labels as an N x Classes matrix of one-hot rows.
func (d *Dataset) OneHot() *mat.Dense {
	return OneHot(d.Y, d.Classes)
}

// OneHot returns labels as a len(labels) x classes matrix of one-hot rows.
// It panics if a label is outside [0, classes) (a programmer error).
func OneHot(labels []int, classes int) *mat.Dense {
	if len(labels) == 0 || classes <= 0 {
		return &mat.Dense{}
	}
	m := mat.NewDense(len(labels), classes, nil)
	for i, y := range labels {
		if y < 0 || y >= classes {
			panic(fmt.Sprintf("data: OneHot: label %d outside [0, %d)", y, classes))
		}
		m.Set(i, y, 1)
	}
	return m
}

// Concat returns a new data set with the samples of a followed by those of b.
func Concat(a, b *Dataset) (*Dataset, error) {
	if a.Features != b.Features {
		return nil, fmt.Errorf("data: concat %s and %s: %d and %d features", a.Name, b.Name, a.Features, b.Features)
	}
	s := a.derive(a.Name, a.Len()+b.Len())
	s.Classes = max(a.Classes, b.Classes)
	copy(s.X, a.X)
	copy(s.X[len(a.X):], b.X)
	copy(s.Y, a.Y)
	copy(s.Y[len(a.Y):], b.Y)
	return s, nil
}

// Image returns sample i as a matrix for display: Shape[0] x Shape[1] for
// 2-D samples, the mean over channels for [channels, height, width]
// samples, and a single row otherwise.
func (d *Dataset) Image(i int) *mat.Dense {
	row := d.Row(i)
	switch {
	case len(d.Shape) == 2 && d.Shape[0]*d.Shape[1] == d.Features:
		m := mat.NewDense(d.Shape[0], d.Shape[1], nil)
		for j, v := range row {
			m.RawMatrix().Data[j] = float64(v)
		}
		return m
	case len(d.Shape) == 3 && d.Shape[0]*d.Shape[1]*d.Shape[2] == d.Features:
		c, h, w := d.Shape[0], d.Shape[1], d.Shape[2]
		m := mat.NewDense(h, w, nil)
		raw := m.RawMatrix().Data
		for ch := 0; ch < c; ch++ {
			for j := 0; j < h*w; j++ {
				raw[j] += float64(row[ch*h*w+j]) / float64(c)
			}
		}
		return m
	}
	m := mat.NewDense(1, d.Features, nil)
	for j, v := range row {
		m.Set(0, j, float64(v))
	}
	return m
}
