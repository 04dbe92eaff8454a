package cost

import (
	"fmt"
	"math"

	"github.com/trannsformer/gotrann/trannsformer/crossbar"
)

// Activity is the measured spiking activity at one layer's input, from the
// spiking network.
type Activity struct {
	Timesteps   int     // T, timesteps per inference
	InputSpikes float64 // mean spikes per input neuron per inference
}

// Breakdown is the area (mm²) and energy per inference (pJ) of a layer or a
// network, by component. Area and Energy are the sums of their parts.
type Breakdown struct {
	Crossbars int

	ArrayArea      float64 // cell arrays
	PeripheryArea  float64 // row drivers and column circuits (ADCs / integrators)
	NeuronArea     float64 // output neurons
	RoutingArea    float64 // routers
	PartialSumArea float64 // accumulators for outputs split over crossbars
	Area           float64

	ArrayEnergy      float64 // array evaluations
	PeripheryEnergy  float64 // row drives and column reads
	NeuronEnergy     float64 // neuron updates
	RoutingEnergy    float64 // spike delivery to crossbars
	PartialSumEnergy float64 // partial-sum transfers
	Energy           float64
}

func (b *Breakdown) add(o Breakdown) {
	b.Crossbars += o.Crossbars
	b.ArrayArea += o.ArrayArea
	b.PeripheryArea += o.PeripheryArea
	b.NeuronArea += o.NeuronArea
	b.RoutingArea += o.RoutingArea
	b.PartialSumArea += o.PartialSumArea
	b.Area += o.Area
	b.ArrayEnergy += o.ArrayEnergy
	b.PeripheryEnergy += o.PeripheryEnergy
	b.NeuronEnergy += o.NeuronEnergy
	b.RoutingEnergy += o.RoutingEnergy
	b.PartialSumEnergy += o.PartialSumEnergy
	b.Energy += o.Energy
}

// Report is the cost of a network under one constant set.
type Report struct {
	Constants string      // name of the constant set
	Layers    []Breakdown // one per weight layer, input side first
	Total     Breakdown
}

// Layer estimates one mapped layer. With K the mapping's crossbar size,
// s = act.InputSpikes, T = act.Timesteps, r = min(1, s/T) the probability
// that an input spikes in a timestep, and for every crossbar x with a_x
// wired inputs and b_x wired outputs, p_x = 1 − (1−r)^a_x the probability
// that it has work in a timestep (crossbars evaluate only then):
//
//	area:   X·ArrayArea·(K/RefK)² + X·K·(RowArea+ColumnArea)
//	        + N·NeuronArea + ceil(X/CrossbarsPerRouter)·RouterArea
//	        + P·PartialSumArea
//	energy: Σx T·p_x·ArrayEnergy·(K/RefK)²
//	        + Σx (s·a_x·RowEnergy + T·p_x·b_x·ColumnEnergy)
//	        + T·N·NeuronEnergy + s·Σx a_x·SpikeEnergy
//	        + Σx T·p_x·e_x·PartialSumEnergy
//
// where X is the number of crossbars, N the outputs wired to at least one
// crossbar, P = Σ_o (crossbars of o − 1), and e_x the outputs of x that
// also sit on an earlier crossbar (each sends a partial sum per evaluation).
// Physical periphery is counted for all K rows and columns of every
// crossbar; energy only for the wired ones.
func Layer(m *crossbar.Mapping, act Activity, c Constants) (Breakdown, error) {
	var b Breakdown
	if err := c.Validate(); err != nil {
		return b, err
	}
	if m.K <= 0 {
		return b, fmt.Errorf("cost: mapping crossbar size %d", m.K)
	}
	if act.Timesteps <= 0 || act.InputSpikes < 0 || math.IsNaN(act.InputSpikes) || math.IsInf(act.InputSpikes, 0) {
		return b, fmt.Errorf("cost: bad activity %+v", act)
	}
	k := float64(m.K)
	scale := (k / float64(c.RefK)) * (k / float64(c.RefK))
	T := float64(act.Timesteps)
	s := act.InputSpikes
	r := math.Min(1, s/T)
	X := len(m.Crossbars)
	b.Crossbars = X

	seen := make([]bool, m.Outputs)
	neurons, partial := 0, 0
	var evals, rowDrives, colReads, psumSends float64
	for n, x := range m.Crossbars {
		for _, o := range x.Outputs {
			if o < 0 || o >= m.Outputs {
				return Breakdown{}, fmt.Errorf("cost: crossbar %d: output %d out of range", n, o)
			}
		}
		a := float64(len(x.Inputs))
		p := 1 - math.Pow(1-r, a)
		if len(x.Inputs) == 0 {
			p = 0
		}
		e := 0
		for _, o := range x.Outputs {
			if seen[o] {
				e++
			} else {
				seen[o] = true
				neurons++
			}
		}
		partial += e
		evals += T * p
		rowDrives += s * a
		colReads += T * p * float64(len(x.Outputs))
		psumSends += T * p * float64(e)
	}

	b.ArrayArea = float64(X) * c.ArrayArea * scale
	b.PeripheryArea = float64(X) * k * (c.RowArea + c.ColumnArea)
	b.NeuronArea = float64(neurons) * c.NeuronArea
	b.RoutingArea = float64((X+c.CrossbarsPerRouter-1)/c.CrossbarsPerRouter) * c.RouterArea
	b.PartialSumArea = float64(partial) * c.PartialSumArea
	b.Area = b.ArrayArea + b.PeripheryArea + b.NeuronArea + b.RoutingArea + b.PartialSumArea

	b.ArrayEnergy = evals * c.ArrayEnergy * scale
	b.PeripheryEnergy = rowDrives*c.RowEnergy + colReads*c.ColumnEnergy
	b.NeuronEnergy = T * float64(neurons) * c.NeuronEnergy
	b.RoutingEnergy = rowDrives * c.SpikeEnergy
	b.PartialSumEnergy = psumSends * c.PartialSumEnergy
	b.Energy = b.ArrayEnergy + b.PeripheryEnergy + b.NeuronEnergy + b.RoutingEnergy + b.PartialSumEnergy
	return b, nil
}

// Network estimates a network from its mapped layers (input side first),
// the mean spikes per neuron per inference at every layer's input
// (len(spikes) == len(layers)) and the timesteps per inference.
func Network(layers []*crossbar.Mapping, spikes []float64, timesteps int, c Constants) (*Report, error) {
	if len(spikes) != len(layers) {
		return nil, fmt.Errorf("cost: %d spike figures for %d layers", len(spikes), len(layers))
	}
	rep := &Report{Constants: c.Name}
	for l, m := range layers {
		b, err := Layer(m, Activity{Timesteps: timesteps, InputSpikes: spikes[l]}, c)
		if err != nil {
			return nil, fmt.Errorf("cost: layer %d: %w", l, err)
		}
		rep.Layers = append(rep.Layers, b)
		rep.Total.add(b)
	}
	return rep, nil
}

// Relative returns r's total area and energy divided by base's (for
// example a network normalised to the dense one).
func (r *Report) Relative(base *Report) (area, energy float64) {
	return r.Total.Area / base.Total.Area, r.Total.Energy / base.Total.Energy
}
