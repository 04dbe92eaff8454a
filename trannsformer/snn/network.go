package snn

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// ConvertConfig configures Convert. The zero value means Diehl's
// data-based normalisation on the maximum activation.
type ConvertConfig struct {
	// Percentile of the activations used as lambda (e.g. 99.9); 0 or 100
	// means the maximum.
	Percentile float64
	// Samples of the calibration set used, default all (at most 10000 with
	// a percentile, which keeps every activation in memory).
	Samples int
}

// Network is a spiking network converted from an MLP.
type Network struct {
	Sizes []int
	// W holds the normalised weights, laid out as nn.MLP.W (out x in).
	W [][]float32
	// Lambda is the normalisation factor of every layer (Lambda[0] = 1 for
	// the inputs).
	Lambda []float64
	// fanout[l][i] is the number of non-zero weights leaving unit i of
	// layer l.
	fanout [][]int
	// wt[l] is W[l] transposed (in x out), the layout the simulation's
	// products read without transposing.
	wt [][]float32
}

// ErrBias is returned when converting a network with biases.
var ErrBias = errors.New("snn: the network has biases: only bias-free networks convert")

// Convert turns m (bias-free, ReLU output) into a spiking network,
// normalising the weights on the calibration data (usually a part of the
// training set).
func Convert(m *nn.MLP, calib *data.Dataset, cfg ConvertConfig) (*Network, error) {
	if m.HasBias() {
		return nil, ErrBias
	}
	if m.OutputLinear {
		return nil, errors.New("snn: the network has a linear output layer: only ReLU outputs convert")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if calib == nil || calib.Len() == 0 {
		return nil, errors.New("snn: no calibration data")
	}
	if calib.Features != m.Sizes[0] {
		return nil, fmt.Errorf("snn: calibration data has %d features, network %d inputs", calib.Features, m.Sizes[0])
	}
	if cfg.Percentile < 0 || cfg.Percentile > 100 || math.IsNaN(cfg.Percentile) {
		return nil, fmt.Errorf("snn: bad percentile %v", cfg.Percentile)
	}
	ds := calib
	if cfg.Percentile > 0 && cfg.Percentile < 100 && cfg.Samples <= 0 {
		cfg.Samples = 10000
	}
	if cfg.Samples > 0 && cfg.Samples < ds.Len() {
		ds = ds.Head(cfg.Samples)
	}
	L := m.Layers()
	// Largest (or percentile) activation of every layer.
	lam := make([]float64, L+1)
	lam[0] = 1
	var acts [][]float32 // per layer, all positive activations (percentile only)
	if cfg.Percentile > 0 && cfg.Percentile < 100 {
		acts = make([][]float32, L+1)
	}
	const batch = 500
	for s := 0; s < ds.Len(); s += batch {
		b := min(batch, ds.Len()-s)
		all, err := m.ForwardAll(ds.X[s*ds.Features:(s+b)*ds.Features], b)
		if err != nil {
			return nil, err
		}
		for l := 1; l <= L; l++ {
			for _, v := range all[l] {
				if float64(v) > lam[l] {
					lam[l] = float64(v)
				}
				if acts != nil && v > 0 {
					acts[l] = append(acts[l], v)
				}
			}
		}
	}
	if acts != nil {
		for l := 1; l <= L; l++ {
			if len(acts[l]) == 0 {
				continue
			}
			slices.Sort(acts[l])
			k := int(math.Ceil(cfg.Percentile/100*float64(len(acts[l])))) - 1
			lam[l] = float64(acts[l][max(k, 0)])
		}
	}
	n := &Network{Sizes: append([]int(nil), m.Sizes...), Lambda: lam}
	for l := 0; l < L; l++ {
		var wmax float64
		for _, v := range m.W[l] {
			wmax = max(wmax, float64(v))
		}
		lam[l+1] = max(lam[l+1], wmax)
		if lam[l+1] == 0 {
			lam[l+1] = 1 // a dead layer: nothing to scale
		}
		f := lam[l] / lam[l+1]
		w := make([]float32, len(m.W[l]))
		for i, v := range m.W[l] {
			w[i] = float32(float64(v) * f)
		}
		n.W = append(n.W, w)
	}
	n.countFanout()
	return n, nil
}

func (n *Network) countFanout() {
	n.wt = make([][]float32, len(n.W))
	for l, w := range n.W {
		ni, no := n.Sizes[l], n.Sizes[l+1]
		t := make([]float32, len(w))
		for o := 0; o < no; o++ {
			for i := 0; i < ni; i++ {
				t[i*no+o] = w[o*ni+i]
			}
		}
		n.wt[l] = t
	}
	n.fanout = make([][]int, len(n.W))
	for l, w := range n.W {
		ni, no := n.Sizes[l], n.Sizes[l+1]
		f := make([]int, ni)
		for o := 0; o < no; o++ {
			for i, v := range w[o*ni : (o+1)*ni] {
				if v != 0 {
					f[i]++
				}
			}
		}
		n.fanout[l] = f
	}
}
