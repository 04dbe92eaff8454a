package cost

import (
	"math"
	"testing"
)

// Per-input rates, by hand: T = 4, spikes per input (4, 0, 2), so
// r = (1, 0, 0.5). X1 wires inputs {0, 1}: p1 = 1 − 0·1 = 1, S1 = 4;
// X2 wires input {2}: p2 = 0.5, S2 = 2. Evaluations T·Σp = 4+2 = 6; row
// drives 6; column reads 4·1·2 + 4·0.5·2 = 12; partial sums 4·0.5·1 = 2.
// The layer mean (2 spikes) gives 31 (TestLayerByHand); per input 33.5.
func TestLayerPerInputByHand(t *testing.T) {
	b, err := Layer(handMapping(2), Activity{Timesteps: 4, InputSpikes: 2, PerInput: []float64{4, 0, 2}}, handConstants())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]float64{
		"array": {b.ArrayEnergy, 6 * 2}, "periphery": {b.PeripheryEnergy, 6*0.5 + 12*0.25},
		"neuron": {b.NeuronEnergy, 1.5}, "routing": {b.RoutingEnergy, 6}, "partial": {b.PartialSumEnergy, 2 * 4},
		"total": {b.Energy, 33.5},
	}
	for name, v := range want {
		if !near(v[0], v[1]) {
			t.Errorf("%s energy %v, want %v", name, v[0], v[1])
		}
	}
	// Equal per-input rates give the mean-rate figures.
	eq, _ := Layer(handMapping(2), Activity{Timesteps: 4, PerInput: []float64{2, 2, 2}}, handConstants())
	mean, _ := Layer(handMapping(2), Activity{Timesteps: 4, InputSpikes: 2}, handConstants())
	if !near(eq.Energy, mean.Energy) {
		t.Errorf("uniform per-input rates %v, mean rate %v", eq.Energy, mean.Energy)
	}
	for _, bad := range [][]float64{{1, 2}, {1, -1, 0}, {1, math.NaN(), 0}} {
		if _, err := Layer(handMapping(2), Activity{Timesteps: 4, PerInput: bad}, handConstants()); err == nil {
			t.Errorf("per-input %v: want an error", bad)
		}
	}
}

// Every option at once, by hand, on the hand mapping at K = 4 with T = 4
// and 2 spikes per input (p1 = 0.75, p2 = 0.5): 8-bit weights over 2-bit
// cells are B = 4 slices, signed doubles them to A = 8 arrays; 2 columns
// share an ADC, so n_adc = 2 per array; a 6-bit ADC given at 4 bits
// scales by f = 4; a timestep takes min(4, 2)·3 = 6 ns.
//
//	array area     X·A·ArrayArea·(K/RefK)² = 2·8·1·4          = 64
//	ADC area       X·n_adc·B·ADCArea·f     = 2·2·4·1·4        = 64
//	cell energy    Σ S_x·b_x·A·CellEnergy  = (4·2 + 2·2)·8/8  = 12
//	ADC energy     Σ T·p_x·b_x·B·ADCEnergy·f = (6 + 4)·4·2·4  = 320
//	static energy  X·(n_adc·B·ADCLeak + K·RowLeak)·T·t_step
//	               = 2·(2·4·0.5 + 4·0.25)·4·6                 = 240
func TestLayerOptionsByHand(t *testing.T) {
	c := Constants{Name: "options", RefK: 2, CrossbarsPerRouter: 1, ArrayArea: 1, CellEnergy: 0.125,
		ADCArea: 1, ADCEnergy: 2, ADCLeak: 0.5, ADCRefBits: 4, ADCBits: 6, ADCShare: 2, ADCLatency: 3,
		RowLeak: 0.25, WeightBits: 8, CellBits: 2, Signed: true}
	b, err := Layer(handMapping(4), Activity{Timesteps: 4, InputSpikes: 2}, c)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string][2]float64{
		"array area": {b.ArrayArea, 64}, "periphery area": {b.PeripheryArea, 64}, "area": {b.Area, 128},
		"array energy": {b.ArrayEnergy, 12}, "periphery energy": {b.PeripheryEnergy, 320},
		"static energy": {b.StaticEnergy, 240}, "energy": {b.Energy, 572},
	} {
		if !near(v[0], v[1]) {
			t.Errorf("%s %v, want %v", name, v[0], v[1])
		}
	}
	// Each option alone.
	one := func(f func(*Constants)) Breakdown {
		o := Constants{Name: "one", RefK: 2, CrossbarsPerRouter: 1, ArrayArea: 1, ADCArea: 1, ADCEnergy: 2}
		f(&o)
		b, err := Layer(handMapping(4), Activity{Timesteps: 4, InputSpikes: 2}, o)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	base := one(func(*Constants) {})
	// One ADC per column: 4 per crossbar; conversions 10 · 2 pJ.
	if !near(base.PeripheryArea, 8) || !near(base.PeripheryEnergy, 20) || base.StaticEnergy != 0 {
		t.Errorf("base: ADC area %v, energy %v, static %v", base.PeripheryArea, base.PeripheryEnergy, base.StaticEnergy)
	}
	if b := one(func(o *Constants) { o.Signed = true }); !near(b.ArrayArea, 2*base.ArrayArea) || !near(b.PeripheryEnergy, base.PeripheryEnergy) {
		t.Errorf("signed: array area %v, ADC energy %v", b.ArrayArea, b.PeripheryEnergy)
	}
	if b := one(func(o *Constants) { o.WeightBits, o.CellBits = 16, 2 }); !near(b.ArrayArea, 8*base.ArrayArea) || !near(b.PeripheryEnergy, 8*base.PeripheryEnergy) {
		t.Errorf("bit slicing: array area %v, ADC energy %v", b.ArrayArea, b.PeripheryEnergy)
	}
	if b := one(func(o *Constants) { o.ADCShare = 4 }); !near(b.PeripheryArea, base.PeripheryArea/4) || !near(b.PeripheryEnergy, base.PeripheryEnergy) {
		t.Errorf("ADC sharing: area %v, energy %v", b.PeripheryArea, b.PeripheryEnergy)
	}
	if b := one(func(o *Constants) { o.ADCRefBits, o.ADCBits = 8, 5 }); !near(b.PeripheryEnergy, base.PeripheryEnergy/8) {
		t.Errorf("ADC resolution: energy %v", b.PeripheryEnergy)
	}
	if b := one(func(o *Constants) { o.ADCLeak, o.ADCLatency = 1, 1 }); !near(b.StaticEnergy, 2*4*1*4*1) {
		t.Errorf("static: %v, want X·n_adc·leak·T·t = 32", b.StaticEnergy)
	}
}

// The simulator sets carry the figures of their sources.
func TestSimulatorConstants(t *testing.T) {
	p, m, n := PUMASim(), MNSIM(), NeuroSim()
	for _, c := range Simulators() {
		if err := c.Validate(); err != nil {
			t.Error(err)
		}
	}
	// PUMA: 16-bit weights over 2-bit cells: 8 slices; one 8-bit ADC per
	// 128 columns, 1.8 pJ per conversion, a timestep of 64 ns at K = 64.
	if p.Slices() != 8 || p.ADCEnergy != 1.8 || p.TimestepNS(64) != 64 || p.TimestepNS(256) != 128 {
		t.Errorf("PUMA: slices %d, ADC %v pJ, timestep %v ns", p.Slices(), p.ADCEnergy, p.TimestepNS(64))
	}
	// MNSIM: 6-bit ADC of about 10 pJ per conversion, separate positive
	// and negative arrays, 8 columns per ADC, cell read ≈ 1.22e-3 pJ.
	if !near(m.ADCEnergy, 10.08) || m.ADCRefBits != 6 || !m.Signed || m.ADCShare != 8 || math.Abs(m.CellEnergy-1.2219e-3) > 1e-6 {
		t.Errorf("MNSIM: ADC %v pJ at %d bits, signed %v, share %d, cell %v pJ", m.ADCEnergy, m.ADCRefBits, m.Signed, m.ADCShare, m.CellEnergy)
	}
	// NeuroSim: 8 columns share one 5-bit ADC; 2-bit cells.
	nADC, f := n.adcs(128)
	if n.ADCShare != 8 || nADC != 16 || f != 0.5 || n.CellBits != 2 || math.Abs(n.CellEnergy-0.2097) > 1e-3 {
		t.Errorf("NeuroSim: share %d, %v ADCs, scale %v, cell bits %d, cell %v pJ", n.ADCShare, nADC, f, n.CellBits, n.CellEnergy)
	}
	bad := p
	bad.ADCShare = -1
	if bad.Validate() == nil {
		t.Error("a negative ADC share was accepted")
	}
}
