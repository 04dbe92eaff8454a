package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/internal/gemm"
)

// MaskMode says how per-weight masks act during training.
type MaskMode int

const (
	// MaskSoft zeroes the masked weights when the mask is set, and nothing
	// more: gradients are not masked, so pruned weights can grow back. This
	// is the behaviour of the TraNNsformer reference code.
	MaskSoft MaskMode = iota
	// MaskHard also masks gradients and momentum after every batch: a
	// masked weight stays exactly zero.
	MaskHard
)

func (m MaskMode) String() string {
	switch m {
	case MaskSoft:
		return "soft"
	case MaskHard:
		return "hard"
	}
	return fmt.Sprintf("MaskMode(%d)", int(m))
}

// ModelConfig describes a new MLP. The zero value of every field but Sizes
// means the reference choice.
type ModelConfig struct {
	// Sizes are the layer widths, input first, e.g. [784 1200 1200 10].
	Sizes []int
	// Seed seeds the initial weights.
	Seed uint64
	// InitScale: weights start uniform in (-InitScale, InitScale); default 0.01.
	InitScale float64
	// Bias adds biases (initialised to 0). A network with biases cannot be
	// converted to the spiking network of package snn.
	Bias bool
	// OutputLinear makes the output layer linear instead of ReLU (advised
	// with the cross-entropy loss).
	OutputLinear bool
}

// MLP is a fully connected network with ReLU hidden layers. Layer l maps
// Sizes[l] inputs to Sizes[l+1] outputs with the weight matrix W[l], stored
// row-major as Sizes[l+1] rows (outputs) of Sizes[l] columns (inputs).
type MLP struct {
	Sizes        []int
	W            [][]float32 // W[l][o*Sizes[l]+i] connects input i to output o
	B            [][]float32 // biases per layer, nil for a bias-free network
	OutputLinear bool        // linear output layer instead of ReLU
	MaskMode     MaskMode    // how masks act in training

	masks [][]float32   // nil, or per layer nil or 0/1 per weight
	tiles []*blockLayer // nil, or per layer nil or the tile structure of its mask
}

// New makes an MLP with weights drawn from the seed.
func New(cfg ModelConfig) (*MLP, error) {
	if len(cfg.Sizes) < 2 {
		return nil, fmt.Errorf("nn: an MLP needs at least 2 layer sizes, have %v", cfg.Sizes)
	}
	for _, s := range cfg.Sizes {
		if s <= 0 {
			return nil, fmt.Errorf("nn: bad layer sizes %v", cfg.Sizes)
		}
	}
	scale := cfg.InitScale
	if scale == 0 {
		scale = 0.01
	}
	if scale < 0 || math.IsNaN(scale) {
		return nil, fmt.Errorf("nn: bad InitScale %v", scale)
	}
	m := &MLP{Sizes: append([]int(nil), cfg.Sizes...), OutputLinear: cfg.OutputLinear}
	r := rand.New(rand.NewPCG(cfg.Seed, 0x1417))
	for l := 0; l < len(cfg.Sizes)-1; l++ {
		w := make([]float32, cfg.Sizes[l]*cfg.Sizes[l+1])
		for i := range w {
			w[i] = float32((2*r.Float64() - 1) * scale)
		}
		m.W = append(m.W, w)
		if cfg.Bias {
			m.B = append(m.B, make([]float32, cfg.Sizes[l+1]))
		}
	}
	return m, nil
}

// Layers returns the number of weight layers.
func (m *MLP) Layers() int { return len(m.W) }

// In and Out return the input and output widths of weight layer l.
func (m *MLP) In(l int) int  { return m.Sizes[l] }
func (m *MLP) Out(l int) int { return m.Sizes[l+1] }

// HasBias reports whether the network has biases.
func (m *MLP) HasBias() bool { return m.B != nil }

// Validate checks that the weights, biases and masks match the sizes.
func (m *MLP) Validate() error {
	if len(m.Sizes) < 2 || len(m.W) != len(m.Sizes)-1 {
		return fmt.Errorf("nn: %d weight layers for sizes %v", len(m.W), m.Sizes)
	}
	for l, w := range m.W {
		if len(w) != m.Sizes[l]*m.Sizes[l+1] {
			return fmt.Errorf("nn: layer %d has %d weights, want %d", l, len(w), m.Sizes[l]*m.Sizes[l+1])
		}
		if m.B != nil && len(m.B[l]) != m.Sizes[l+1] {
			return fmt.Errorf("nn: layer %d has %d biases, want %d", l, len(m.B[l]), m.Sizes[l+1])
		}
		if m.masks != nil && m.masks[l] != nil && len(m.masks[l]) != len(w) {
			return fmt.Errorf("nn: layer %d mask has %d entries, want %d", l, len(m.masks[l]), len(w))
		}
	}
	if m.B != nil && len(m.B) != len(m.W) {
		return fmt.Errorf("nn: %d bias layers for %d weight layers", len(m.B), len(m.W))
	}
	return nil
}

// String describes the network in one line.
func (m *MLP) String() string {
	s := fmt.Sprintf("MLP %v, %d weights, sparsity %.1f%%", m.Sizes, m.NumWeights(), 100*m.Sparsity())
	if m.B != nil {
		s += ", biases"
	}
	if m.masks != nil {
		s += ", " + m.MaskMode.String() + " masks"
	}
	return s
}

// NumWeights returns the number of weights (biases excluded).
func (m *MLP) NumWeights() int {
	n := 0
	for _, w := range m.W {
		n += len(w)
	}
	return n
}

// NonZero returns the number of non-zero weights of layer l.
func (m *MLP) NonZero(l int) int {
	n := 0
	for _, v := range m.W[l] {
		if v != 0 {
			n++
		}
	}
	return n
}

// Sparsity returns the fraction of weights that are zero.
func (m *MLP) Sparsity() float64 {
	tot, nz := 0, 0
	for l := range m.W {
		tot += len(m.W[l])
		nz += m.NonZero(l)
	}
	if tot == 0 {
		return 0
	}
	return 1 - float64(nz)/float64(tot)
}

// Clone returns a deep copy.
func (m *MLP) Clone() *MLP {
	c := &MLP{Sizes: append([]int(nil), m.Sizes...), OutputLinear: m.OutputLinear, MaskMode: m.MaskMode}
	for _, w := range m.W {
		c.W = append(c.W, append([]float32(nil), w...))
	}
	for _, b := range m.B {
		c.B = append(c.B, append([]float32(nil), b...))
	}
	if m.tiles != nil {
		c.tiles = append([]*blockLayer(nil), m.tiles...) // immutable, shared
	}
	if m.masks != nil {
		c.masks = make([][]float32, len(m.masks))
		for l, k := range m.masks {
			if k != nil {
				c.masks[l] = append([]float32(nil), k...)
			}
		}
	}
	return c
}

// Weights returns layer l's weights as a Sizes[l+1] x Sizes[l] (out x in)
// matrix, a float64 copy.
func (m *MLP) Weights(l int) *mat.Dense {
	d := mat.NewDense(m.Out(l), m.In(l), nil)
	raw := d.RawMatrix().Data
	for i, v := range m.W[l] {
		raw[i] = float64(v)
	}
	return d
}

// AllWeights returns every layer's weights (see Weights).
func (m *MLP) AllWeights() []*mat.Dense {
	out := make([]*mat.Dense, len(m.W))
	for l := range m.W {
		out[l] = m.Weights(l)
	}
	return out
}

// SetWeights replaces layer l's weights with w (out x in), converted to
// float32. The layer's mask, if any, is applied.
func (m *MLP) SetWeights(l int, w mat.Matrix) error {
	if l < 0 || l >= len(m.W) {
		return fmt.Errorf("nn: no layer %d", l)
	}
	r, c := w.Dims()
	if r != m.Out(l) || c != m.In(l) {
		return fmt.Errorf("nn: layer %d weights are %dx%d, have %dx%d", l, m.Out(l), m.In(l), r, c)
	}
	for o := 0; o < r; o++ {
		for i := 0; i < c; i++ {
			m.W[l][o*c+i] = float32(w.At(o, i))
		}
	}
	m.applyMask(l)
	return nil
}

// SetMask sets layer l's mask: keep[o*In(l)+i] says whether the weight from
// input i to output o lives. Masked weights are zeroed now; in MaskHard mode
// they stay zero through training. A nil keep removes the layer's mask.
func (m *MLP) SetMask(l int, keep []bool) error {
	if l < 0 || l >= len(m.W) {
		return fmt.Errorf("nn: no layer %d", l)
	}
	if keep == nil {
		if m.masks != nil {
			m.masks[l] = nil
		}
		if m.tiles != nil {
			m.tiles[l] = nil
		}
		return nil
	}
	if len(keep) != len(m.W[l]) {
		return fmt.Errorf("nn: layer %d mask has %d entries, want %d", l, len(keep), len(m.W[l]))
	}
	if m.tiles != nil && m.tiles[l] != nil && !m.tiles[l].within(keep) {
		m.tiles[l] = nil
	}
	if m.masks == nil {
		m.masks = make([][]float32, len(m.W))
	}
	k := m.masks[l]
	if k == nil {
		k = make([]float32, len(keep))
		m.masks[l] = k
	}
	for i, b := range keep {
		if b {
			k[i] = 1
		} else {
			k[i] = 0
		}
	}
	m.applyMask(l)
	return nil
}

// SetMasks sets every layer's mask (see SetMask); nil entries remove masks.
func (m *MLP) SetMasks(keep [][]bool) error {
	if len(keep) != len(m.W) {
		return fmt.Errorf("nn: %d masks for %d layers", len(keep), len(m.W))
	}
	for l, k := range keep {
		if err := m.SetMask(l, k); err != nil {
			return err
		}
	}
	return nil
}

// SetMasksDense sets the masks from out x in matrices: a non-zero entry
// keeps the weight. Nil entries remove masks.
func (m *MLP) SetMasksDense(keep []*mat.Dense) error {
	if len(keep) != len(m.W) {
		return fmt.Errorf("nn: %d masks for %d layers", len(keep), len(m.W))
	}
	for l, k := range keep {
		if k == nil {
			m.SetMask(l, nil)
			continue
		}
		r, c := k.Dims()
		if r != m.Out(l) || c != m.In(l) {
			return fmt.Errorf("nn: layer %d mask is %dx%d, want %dx%d", l, r, c, m.Out(l), m.In(l))
		}
		b := make([]bool, r*c)
		for o := 0; o < r; o++ {
			for i := 0; i < c; i++ {
				b[o*c+i] = k.At(o, i) != 0
			}
		}
		if err := m.SetMask(l, b); err != nil {
			return err
		}
	}
	return nil
}

// Mask returns a copy of layer l's mask, or nil when it has none.
func (m *MLP) Mask(l int) []bool {
	if m.masks == nil || m.masks[l] == nil {
		return nil
	}
	b := make([]bool, len(m.masks[l]))
	for i, v := range m.masks[l] {
		b[i] = v != 0
	}
	return b
}

// HasMask reports whether layer l has a mask.
func (m *MLP) HasMask(l int) bool { return m.masks != nil && m.masks[l] != nil }

// ClearMasks removes all masks (weights stay as they are).
func (m *MLP) ClearMasks() { m.masks, m.tiles = nil, nil }

// ApplyMasks zeroes every masked weight.
func (m *MLP) ApplyMasks() {
	for l := range m.W {
		m.applyMask(l)
	}
}

func (m *MLP) applyMask(l int) {
	if m.masks == nil || m.masks[l] == nil {
		return
	}
	w := m.W[l]
	for i, k := range m.masks[l] {
		w[i] *= k
	}
}

// ErrShape is returned when inputs do not match the network.
var ErrShape = errors.New("nn: input size does not match the network")

// Forward computes the output activations of n samples x (n x Sizes[0],
// row-major) and returns them (n x Sizes[last]).
func (m *MLP) Forward(x []float32, n int) ([]float32, error) {
	acts, err := m.ForwardAll(x, n)
	if err != nil {
		return nil, err
	}
	return acts[len(acts)-1], nil
}

// ForwardAll computes the activations of every layer for n samples x:
// element 0 is x itself, element l+1 the output of weight layer l (after
// ReLU, or linear for a linear output layer).
func (m *MLP) ForwardAll(x []float32, n int) ([][]float32, error) {
	if len(x) != n*m.Sizes[0] {
		return nil, fmt.Errorf("%w: %d values for %d samples of %d", ErrShape, len(x), n, m.Sizes[0])
	}
	acts := make([][]float32, len(m.Sizes))
	acts[0] = x
	for l := range m.W {
		acts[l+1] = make([]float32, n*m.Out(l))
		m.layerForward(l, acts[l], acts[l+1], n)
	}
	return acts, nil
}

// layerForward computes out = act(in · W[l]ᵀ + b) for n rows. Evaluation
// stays on the dense product whatever the sparsity: it is a small part of
// the work, and its numbers stay those of the dense path.
func (m *MLP) layerForward(l int, in, out []float32, n int) {
	ni, no := m.In(l), m.Out(l)
	gemm.Sgemm(false, true, n, no, ni, 1, in, ni, m.W[l], ni, 0, out, no)
	linear := m.OutputLinear && l == len(m.W)-1
	var b []float32
	if m.B != nil {
		b = m.B[l]
	}
	for r := 0; r < n; r++ {
		activate(out[r*no:(r+1)*no], b, linear)
	}
}

// activate adds the bias b (none when nil) to one row of pre-activations
// and applies ReLU unless the layer is linear.
func activate(row, b []float32, linear bool) {
	addBias(row, b)
	if linear {
		return
	}
	for j, v := range row {
		if v < 0 {
			row[j] = 0
		}
	}
}

// addBias adds b to row; a nil b adds nothing.
func addBias(row, b []float32) {
	if b == nil {
		return
	}
	for j := range row {
		row[j] += b[j]
	}
}

// evalBatch is the number of samples evaluated at once.
const evalBatch = 500

// Predict returns the predicted class (the largest output) of every sample.
func (m *MLP) Predict(ds *data.Dataset) ([]int, error) {
	if ds.Features != m.Sizes[0] {
		return nil, fmt.Errorf("%w: data set %s has %d features, network %d inputs", ErrShape, ds.Name, ds.Features, m.Sizes[0])
	}
	n := ds.Len()
	pred := make([]int, n)
	bufs := make([][]float32, len(m.Sizes))
	for l := 1; l < len(m.Sizes); l++ {
		bufs[l] = make([]float32, evalBatch*m.Sizes[l])
	}
	no := m.Sizes[len(m.Sizes)-1]
	for s := 0; s < n; s += evalBatch {
		b := min(evalBatch, n-s)
		in := ds.X[s*ds.Features : (s+b)*ds.Features]
		for l := range m.W {
			out := bufs[l+1][:b*m.Out(l)]
			m.layerForward(l, in, out, b)
			in = out
		}
		for r := 0; r < b; r++ {
			pred[s+r] = argmax(in[r*no : (r+1)*no])
		}
	}
	return pred, nil
}

func argmax(v []float32) int {
	best := 0
	for j := 1; j < len(v); j++ {
		if v[j] > v[best] {
			best = j
		}
	}
	return best
}

// Evaluate returns the accuracy (0..1) on the data set.
func (m *MLP) Evaluate(ds *data.Dataset) (float64, error) {
	c, err := m.Confusion(ds)
	if err != nil {
		return 0, err
	}
	return c.Accuracy(), nil
}

// Confusion returns the confusion matrix on the data set.
func (m *MLP) Confusion(ds *data.Dataset) (*Confusion, error) {
	pred, err := m.Predict(ds)
	if err != nil {
		return nil, err
	}
	k := max(ds.Classes, m.Sizes[len(m.Sizes)-1])
	return NewConfusion(ds.Y, pred, k), nil
}
