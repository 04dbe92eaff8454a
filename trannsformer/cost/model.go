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
	// PerInput, when set, holds the mean spikes per inference of every
	// input of the layer (len = the mapping's Inputs); it replaces
	// InputSpikes, so that each crossbar is charged for the activity of
	// its own wired inputs rather than the layer's mean.
	PerInput []float64
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
	StaticEnergy     float64 // leakage over the inference's latency
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
	b.StaticEnergy += o.StaticEnergy
	b.Energy += o.Energy
}

// Report is the cost of a network under one constant set.
type Report struct {
	Constants string      // name of the constant set
	Layers    []Breakdown // one per weight layer, input side first
	Total     Breakdown
}

// Layer estimates one mapped layer. With K the mapping's crossbar size,
// T = act.Timesteps, s_i the spikes per inference of input i (act.PerInput,
// or act.InputSpikes for every input), r_i = min(1, s_i/T) the probability
// that input i spikes in a timestep, and for every crossbar x with wired
// inputs I_x (a_x of them) and b_x wired outputs, p_x = 1 − Π_{i∈I_x}(1−r_i)
// the probability that it has work in a timestep (crossbars evaluate only
// then) and S_x = Σ_{i∈I_x} s_i the spikes driven onto its rows:
//
//	area:   X·A·ArrayArea·(K/RefK)² + X·K·(RowArea+ColumnArea)
//	        + X·n_adc·B·ADCArea·f + N·NeuronArea
//	        + ceil(X/CrossbarsPerRouter)·RouterArea + P·PartialSumArea
//	energy: Σx T·p_x·A·ArrayEnergy·(K/RefK)² + Σx S_x·b_x·A·CellEnergy
//	        + Σx (S_x·RowEnergy + T·p_x·b_x·B·(ColumnEnergy + ADCEnergy·f))
//	        + T·N·NeuronEnergy + Σx S_x·SpikeEnergy
//	        + Σx T·p_x·e_x·PartialSumEnergy
//	        + X·(n_adc·B·ADCLeak + K·RowLeak)·T·t_step
//
// where X is the number of crossbars, N the outputs wired to at least one
// crossbar, P = Σ_o (crossbars of o − 1), e_x the outputs of x that also
// sit on an earlier crossbar (each sends a partial sum per evaluation),
// B = Slices() the bit slices of a weight, A = B·(2 if Signed else 1) the
// cell arrays per crossbar, n_adc = ceil(K/ADCShare) the ADCs per array,
// f = 2^(ADCBits−ADCRefBits) the ADC resolution scaling and
// t_step = TimestepNS(K) the nanoseconds a timestep takes (the columns
// sharing an ADC are converted one after another). Signed arrays
// subtract in the analog domain, so they share the slice's ADCs. Physical
// periphery is counted for all K rows and columns of every crossbar;
// dynamic energy only for the wired ones.
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
	if act.PerInput != nil && len(act.PerInput) != m.Inputs {
		return b, fmt.Errorf("cost: %d per-input spike figures for %d inputs", len(act.PerInput), m.Inputs)
	}
	for i, v := range act.PerInput {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return b, fmt.Errorf("cost: input %d: bad spike count %v", i, v)
		}
	}
	k := float64(m.K)
	scale := (k / float64(c.RefK)) * (k / float64(c.RefK))
	T := float64(act.Timesteps)
	spikes := func(i int) float64 {
		if act.PerInput != nil {
			return act.PerInput[i]
		}
		return act.InputSpikes
	}
	X := len(m.Crossbars)
	b.Crossbars = X
	slices := float64(c.Slices())
	arrays := slices
	if c.Signed {
		arrays *= 2
	}
	nADC, adcScale := c.adcs(m.K)

	seen := make([]bool, m.Outputs)
	neurons, partial := 0, 0
	var evals, rowDrives, cellReads, colReads, psumSends float64
	for n, x := range m.Crossbars {
		for _, o := range x.Outputs {
			if o < 0 || o >= m.Outputs {
				return Breakdown{}, fmt.Errorf("cost: crossbar %d: output %d out of range", n, o)
			}
		}
		idle, S := 1.0, 0.0
		for _, i := range x.Inputs {
			if i < 0 || i >= m.Inputs {
				return Breakdown{}, fmt.Errorf("cost: crossbar %d: input %d out of range", n, i)
			}
			s := spikes(i)
			S += s
			idle *= 1 - math.Min(1, s/T)
		}
		p := 1 - idle
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
		bx := float64(len(x.Outputs))
		partial += e
		evals += T * p
		rowDrives += S
		cellReads += S * bx
		colReads += T * p * bx
		psumSends += T * p * float64(e)
	}

	b.ArrayArea = float64(X) * arrays * c.ArrayArea * scale
	b.PeripheryArea = float64(X)*k*(c.RowArea+c.ColumnArea) + float64(X)*nADC*slices*c.ADCArea*adcScale
	b.NeuronArea = float64(neurons) * c.NeuronArea
	b.RoutingArea = float64((X+c.CrossbarsPerRouter-1)/c.CrossbarsPerRouter) * c.RouterArea
	b.PartialSumArea = float64(partial) * c.PartialSumArea
	b.Area = b.ArrayArea + b.PeripheryArea + b.NeuronArea + b.RoutingArea + b.PartialSumArea

	b.ArrayEnergy = evals*arrays*c.ArrayEnergy*scale + cellReads*arrays*c.CellEnergy
	b.PeripheryEnergy = rowDrives*c.RowEnergy + colReads*slices*(c.ColumnEnergy+c.ADCEnergy*adcScale)
	b.NeuronEnergy = T * float64(neurons) * c.NeuronEnergy
	b.RoutingEnergy = rowDrives * c.SpikeEnergy
	b.PartialSumEnergy = psumSends * c.PartialSumEnergy
	b.StaticEnergy = float64(X) * (nADC*slices*c.ADCLeak + k*c.RowLeak) * T * c.TimestepNS(m.K)
	b.Energy = b.ArrayEnergy + b.PeripheryEnergy + b.NeuronEnergy + b.RoutingEnergy + b.PartialSumEnergy + b.StaticEnergy
	return b, nil
}

// Network estimates a network from its mapped layers (input side first),
// the mean spikes per neuron per inference at every layer's input
// (len(spikes) == len(layers)) and the timesteps per inference.
func Network(layers []*crossbar.Mapping, spikes []float64, timesteps int, c Constants) (*Report, error) {
	return NetworkPerInput(layers, spikes, nil, timesteps, c)
}

// NetworkPerInput is Network with the spikes per inference of every input
// of every layer (perInput[l] has one figure per input of layer l; a nil
// perInput or perInput[l] falls back to the layer mean spikes[l]).
func NetworkPerInput(layers []*crossbar.Mapping, spikes []float64, perInput [][]float64, timesteps int, c Constants) (*Report, error) {
	if len(spikes) != len(layers) {
		return nil, fmt.Errorf("cost: %d spike figures for %d layers", len(spikes), len(layers))
	}
	if perInput != nil && len(perInput) != len(layers) {
		return nil, fmt.Errorf("cost: %d per-input spike lists for %d layers", len(perInput), len(layers))
	}
	rep := &Report{Constants: c.Name}
	for l, m := range layers {
		act := Activity{Timesteps: timesteps, InputSpikes: spikes[l]}
		if perInput != nil {
			act.PerInput = perInput[l]
		}
		b, err := Layer(m, act, c)
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
