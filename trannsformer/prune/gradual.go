package prune

import (
	"fmt"
	"math"
	"slices"

	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// Gradual is gradual magnitude pruning (Zhu and Gupta 2017): at the end of
// epoch e, layer l is pruned to the sparsity
//
//	s(e) = Target[l] + (Initial - Target[l]) * (1 - (e-Start)/(End-Start))^3
//
// for Start <= e <= End (Target[l] after End, nothing before Start), by
// masking its smallest-magnitude weights. Keep spares synapses as in
// Reference. Use it with nn.MaskHard so that pruned weights stay zero.
type Gradual struct {
	// Target is the final sparsity (0..1) per layer; a single value applies
	// to every layer.
	Target  []float64
	Initial float64 // sparsity at Start, default 0
	Start   int     // first pruning epoch (1-based), default 1
	End     int     // epoch at which Target is reached; must be >= Start
	Keep    [][]bool
}

// NewGradual returns a schedule that reaches the target sparsity (every
// layer) at epoch end, starting at epoch 1.
func NewGradual(target float64, end int) *Gradual {
	return &Gradual{Target: []float64{target}, Start: 1, End: end}
}

// SparsityAt returns the target sparsity of layer l after epoch e (1-based).
func (g *Gradual) SparsityAt(l, e int) float64 {
	if len(g.Target) == 0 {
		return 0
	}
	target := g.Target[0]
	if l < len(g.Target) && len(g.Target) > 1 {
		target = g.Target[l]
	}
	start := max(g.Start, 1)
	end := max(g.End, start)
	switch {
	case e < start:
		return 0
	case e >= end:
		return target
	}
	f := 1 - float64(e-start)/float64(end-start)
	return target + (g.Initial-target)*f*f*f
}

// EpochEnd prunes every layer of m to its sparsity for epoch e (1-based).
func (g *Gradual) EpochEnd(m *nn.MLP, e int) error {
	if len(g.Target) != 1 && len(g.Target) != m.Layers() {
		return fmt.Errorf("prune: %d targets for %d layers", len(g.Target), m.Layers())
	}
	for _, t := range g.Target {
		if t < 0 || t > 1 || math.IsNaN(t) {
			return fmt.Errorf("prune: bad target sparsity %v", t)
		}
	}
	if e < max(g.Start, 1) {
		return nil
	}
	for l := 0; l < m.Layers(); l++ {
		if err := ToSparsity(m, l, g.SparsityAt(l, e), keepLayer(g.Keep, l)); err != nil {
			return err
		}
	}
	return nil
}

// Hook returns a function for nn.Config.EpochEnd that calls EpochEnd.
func (g *Gradual) Hook() func(*nn.MLP, nn.EpochStats) error {
	return func(m *nn.MLP, s nn.EpochStats) error { return g.EpochEnd(m, s.Epoch) }
}

// ToSparsity masks the smallest-magnitude weights of layer l so that a
// fraction sparsity of its weights is zero (ties may prune a few more),
// sparing keep (nil or one entry per weight). Spared weights count among
// the survivors.
func ToSparsity(m *nn.MLP, l int, sparsity float64, keep []bool) error {
	if l < 0 || l >= m.Layers() {
		return fmt.Errorf("prune: no layer %d", l)
	}
	if sparsity < 0 || sparsity > 1 || math.IsNaN(sparsity) {
		return fmt.Errorf("prune: bad sparsity %v", sparsity)
	}
	w := m.W[l]
	if keep != nil && len(keep) != len(w) {
		return fmt.Errorf("prune: layer %d keep mask has %d entries, want %d", l, len(keep), len(w))
	}
	zero := int(math.Round(sparsity * float64(len(w))))
	cand := make([]float32, 0, len(w))
	for i, v := range w {
		if keep == nil || !keep[i] {
			cand = append(cand, float32(math.Abs(float64(v))))
		}
	}
	zero = min(zero, len(cand))
	if zero == 0 {
		return Threshold(m, l, 0, keep)
	}
	slices.Sort(cand)
	th := cand[zero-1]
	mask := make([]bool, len(w))
	for i, v := range w {
		a := float32(math.Abs(float64(v)))
		mask[i] = a > th || (keep != nil && keep[i])
	}
	return m.SetMask(l, mask)
}
