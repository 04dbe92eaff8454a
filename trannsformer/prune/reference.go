package prune

import (
	"fmt"

	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// Reference is the pruning schedule of the TraNNsformer reference code.
// Every layer has a magnitude threshold, starting at 0. After every epoch in
// which the training loss fell, each threshold rises by its step; then every
// weight whose magnitude is below its layer's threshold is zeroed, unless
// Keep spares it. The weights are zeroed through the model's masks, so in
// nn.MaskSoft mode (the reference behaviour) they may grow back during the
// next epoch, and in nn.MaskHard mode they stay zero.
type Reference struct {
	Steps      []float64 // threshold step per layer
	Thresholds []float64 // current threshold per layer
	// Keep, when not nil, spares synapses: Keep[l][o*in+i] true keeps the
	// weight from input i to output o of layer l whatever its magnitude. A
	// nil entry spares nothing in that layer.
	Keep [][]bool

	lastLoss float64
	started  bool
}

// NewReference returns the reference schedule for m trained for epochs
// epochs: a step of 0.5e-3 per layer, 2.5e-3 for the last layer of networks
// with 4 or more weight layers, scaled by 40/epochs.
func NewReference(m *nn.MLP, epochs int) *Reference {
	if epochs <= 0 {
		epochs = 40
	}
	L := m.Layers()
	r := &Reference{Steps: make([]float64, L), Thresholds: make([]float64, L)}
	for l := range r.Steps {
		s := 0.5e-3
		if L >= 4 && l == L-1 {
			s = 2.5e-3
		}
		r.Steps[l] = s * 40 / float64(epochs)
	}
	return r
}

// EpochEnd raises the thresholds if loss is below the loss of the previous
// call (the first call always raises them), then applies them. It reports
// whether the thresholds rose.
func (r *Reference) EpochEnd(m *nn.MLP, loss float64) (bool, error) {
	if len(r.Steps) != m.Layers() || len(r.Thresholds) != m.Layers() {
		return false, fmt.Errorf("prune: schedule for %d layers, network has %d", len(r.Steps), m.Layers())
	}
	raised := !r.started || loss < r.lastLoss
	r.started = true
	r.lastLoss = loss
	if raised {
		for l := range r.Thresholds {
			r.Thresholds[l] += r.Steps[l]
		}
	}
	return raised, r.Apply(m)
}

// Apply zeroes the weights below the current thresholds (sparing Keep).
func (r *Reference) Apply(m *nn.MLP) error {
	if len(r.Thresholds) != m.Layers() {
		return fmt.Errorf("prune: %d thresholds for %d layers", len(r.Thresholds), m.Layers())
	}
	for l, th := range r.Thresholds {
		if err := Threshold(m, l, th, keepLayer(r.Keep, l)); err != nil {
			return err
		}
	}
	return nil
}

// Hook returns a function for nn.Config.EpochEnd that calls EpochEnd with
// the epoch's training loss.
func (r *Reference) Hook() func(*nn.MLP, nn.EpochStats) error {
	return func(m *nn.MLP, s nn.EpochStats) error {
		_, err := r.EpochEnd(m, s.Loss)
		return err
	}
}

func keepLayer(keep [][]bool, l int) []bool {
	if l < len(keep) {
		return keep[l]
	}
	return nil
}

// Threshold masks the weights of layer l whose magnitude is below th,
// except where keep (nil or one entry per weight) is true. Weights already
// masked in nn.MaskHard mode stay masked unless keep spares them.
func Threshold(m *nn.MLP, l int, th float64, keep []bool) error {
	if l < 0 || l >= m.Layers() {
		return fmt.Errorf("prune: no layer %d", l)
	}
	w := m.W[l]
	if keep != nil && len(keep) != len(w) {
		return fmt.Errorf("prune: layer %d keep mask has %d entries, want %d", l, len(keep), len(w))
	}
	mask := make([]bool, len(w))
	t := float32(th)
	for i, v := range w {
		mask[i] = v >= t || -v >= t || (keep != nil && keep[i])
	}
	return m.SetMask(l, mask)
}
