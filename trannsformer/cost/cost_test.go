package cost

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/crossbar"
)

// handConstants are round numbers for hand computation.
func handConstants() Constants {
	return Constants{
		Name: "hand", RefK: 2,
		ArrayArea: 1, ArrayEnergy: 2,
		RowArea: 0.1, RowEnergy: 0.5,
		ColumnArea: 0.2, ColumnEnergy: 0.25,
		NeuronArea: 3, NeuronEnergy: 0.125,
		RouterArea: 10, CrossbarsPerRouter: 4, SpikeEnergy: 1,
		PartialSumArea: 5, PartialSumEnergy: 4,
	}
}

// handMapping: X1 wires outputs {0,1} and inputs {0,1}; X2 wires outputs
// {1,2} and input {2}, so output 1 spans two crossbars.
func handMapping(k int) *crossbar.Mapping {
	return &crossbar.Mapping{K: k, Outputs: 3, Inputs: 3, Crossbars: []crossbar.Crossbar{
		{Outputs: []int{0, 1}, Inputs: []int{0, 1}, Synapses: []crossbar.Synapse{{0, 0}, {1, 1}}, Block: -1},
		{Outputs: []int{1, 2}, Inputs: []int{2}, Synapses: []crossbar.Synapse{{1, 2}, {2, 2}}, Block: -1},
	}}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

// By hand, T = 4 and s = 2 spikes per input, so r = 0.5;
// p1 = 1−0.5² = 0.75 (2 inputs), p2 = 0.5 (1 input); neurons N = 3;
// partial sums P = 1 (output 1 on X2); evaluations T·Σp = 3+2 = 5;
// row drives s·Σa = 4+2 = 6; column reads T·Σp·b = 6+4 = 10;
// partial-sum sends T·p2·1 = 2.
func TestLayerByHand(t *testing.T) {
	b, err := Layer(handMapping(2), Activity{Timesteps: 4, InputSpikes: 2}, handConstants())
	if err != nil {
		t.Fatal(err)
	}
	want := Breakdown{
		Crossbars: 2,
		ArrayArea: 2 * 1, PeripheryArea: 2 * 2 * (0.1 + 0.2), NeuronArea: 3 * 3, RoutingArea: 1 * 10, PartialSumArea: 1 * 5,
		Area:        2 + 1.2 + 9 + 10 + 5,
		ArrayEnergy: 5 * 2, PeripheryEnergy: 6*0.5 + 10*0.25, NeuronEnergy: 4 * 3 * 0.125, RoutingEnergy: 6 * 1, PartialSumEnergy: 2 * 4,
		Energy: 10 + 5.5 + 1.5 + 6 + 8,
	}
	check(t, "K=2", b, want)
	if !near(b.Area, 27.2) || !near(b.Energy, 31) {
		t.Errorf("totals %v, %v; want 27.2, 31", b.Area, b.Energy)
	}
	// At K = 4 the arrays scale by (4/2)² and the periphery by 4 per crossbar.
	b4, err := Layer(handMapping(4), Activity{Timesteps: 4, InputSpikes: 2}, handConstants())
	if err != nil {
		t.Fatal(err)
	}
	if !near(b4.ArrayArea, 8) || !near(b4.ArrayEnergy, 40) || !near(b4.PeripheryArea, 2.4) {
		t.Errorf("K=4: array %v / %v, periphery %v", b4.ArrayArea, b4.ArrayEnergy, b4.PeripheryArea)
	}
	// Saturated activity: every crossbar evaluates every step.
	bs, _ := Layer(handMapping(2), Activity{Timesteps: 4, InputSpikes: 10}, handConstants())
	if !near(bs.ArrayEnergy, 4*2*2) {
		t.Errorf("saturated array energy %v, want 16", bs.ArrayEnergy)
	}
	// No spikes: only neuron updates cost energy.
	b0, _ := Layer(handMapping(2), Activity{Timesteps: 4}, handConstants())
	if !near(b0.Energy, b0.NeuronEnergy) || !near(b0.NeuronEnergy, 1.5) {
		t.Errorf("silent layer energy %v", b0.Energy)
	}
}

func check(t *testing.T, name string, got, want Breakdown) {
	t.Helper()
	if got.Crossbars != want.Crossbars {
		t.Errorf("%s: crossbars %d, want %d", name, got.Crossbars, want.Crossbars)
	}
	for _, f := range []struct {
		n    string
		g, w float64
	}{
		{"ArrayArea", got.ArrayArea, want.ArrayArea}, {"PeripheryArea", got.PeripheryArea, want.PeripheryArea},
		{"NeuronArea", got.NeuronArea, want.NeuronArea}, {"RoutingArea", got.RoutingArea, want.RoutingArea},
		{"PartialSumArea", got.PartialSumArea, want.PartialSumArea}, {"Area", got.Area, want.Area},
		{"ArrayEnergy", got.ArrayEnergy, want.ArrayEnergy}, {"PeripheryEnergy", got.PeripheryEnergy, want.PeripheryEnergy},
		{"NeuronEnergy", got.NeuronEnergy, want.NeuronEnergy}, {"RoutingEnergy", got.RoutingEnergy, want.RoutingEnergy},
		{"PartialSumEnergy", got.PartialSumEnergy, want.PartialSumEnergy}, {"Energy", got.Energy, want.Energy},
	} {
		if !near(f.g, f.w) {
			t.Errorf("%s: %s = %v, want %v", name, f.n, f.g, f.w)
		}
	}
}

// The per-crossbar RESPARC figures must add back up to the mPE's quoted
// 0.0196 mm² and 3.02 mW per 4 crossbars.
func TestConstantSets(t *testing.T) {
	r := RESPARC()
	perXbar := r.ArrayArea + 64*(r.RowArea+r.ColumnArea)
	if !near(4*perXbar, 0.0196) {
		t.Errorf("RESPARC mPE area %v, want 0.0196", 4*perXbar)
	}
	perXbarEnergy := r.ArrayEnergy + 64*(r.RowEnergy+r.ColumnEnergy)
	if !near(4*perXbarEnergy, 3.02) {
		t.Errorf("RESPARC mPE energy per ns %v, want 3.02", 4*perXbarEnergy)
	}
	p := PUMA()
	if !near(64*p.ColumnArea, 0.0012) || !near(p.RowEnergy, 0.0039) || !near(p.ArrayArea, 6.25e-6) {
		t.Errorf("PUMA constants: %+v", p)
	}
	for _, c := range []Constants{r, p} {
		if err := c.Validate(); err != nil {
			t.Error(err)
		}
		// JSON round trip through ReadConstants.
		data, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ReadConstants(bytes.NewReader(data))
		if err != nil || back != c {
			t.Errorf("%s: round trip %+v, %v", c.Name, back, err)
		}
	}
	bad := handConstants()
	bad.RowEnergy = -1
	if bad.Validate() == nil {
		t.Error("negative energy validated")
	}
	bad = handConstants()
	bad.RefK = 0
	if bad.Validate() == nil {
		t.Error("zero RefK validated")
	}
	if _, err := ReadConstants(bytes.NewReader([]byte(`{"name":"x","bogus":1}`))); err == nil {
		t.Error("unknown field accepted")
	}
}

// A user constant set loads from JSON (testdata/custom.json).
func TestReadConstantsFile(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "custom.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := ReadConstants(f)
	if err != nil {
		t.Fatal(err)
	}
	if c != handConstants() {
		t.Errorf("custom.json = %+v, want the hand constants", c)
	}
}

func TestNetwork(t *testing.T) {
	m := handMapping(2)
	rep, err := Network([]*crossbar.Mapping{m, m}, []float64{2, 2}, 4, handConstants())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Layers) != 2 || rep.Total.Crossbars != 4 || !near(rep.Total.Area, 2*27.2) || !near(rep.Total.Energy, 62) {
		t.Errorf("network total %+v", rep.Total)
	}
	one, _ := Network([]*crossbar.Mapping{m}, []float64{2}, 4, handConstants())
	if a, e := one.Relative(rep); !near(a, 0.5) || !near(e, 0.5) {
		t.Errorf("relative %v %v, want 0.5 0.5", a, e)
	}
	if _, err := Network([]*crossbar.Mapping{m}, []float64{1, 2}, 4, handConstants()); err == nil {
		t.Error("mismatched spike figures accepted")
	}
	if _, err := Layer(m, Activity{Timesteps: 0, InputSpikes: 1}, handConstants()); err == nil {
		t.Error("zero timesteps accepted")
	}
	bad := handMapping(2)
	bad.Crossbars[1].Outputs = []int{1, 3}
	if _, err := Layer(bad, Activity{Timesteps: 1, InputSpikes: 1}, handConstants()); err == nil {
		t.Error("out-of-range output accepted")
	}
	if _, err := Layer(m, Activity{Timesteps: 1, InputSpikes: math.NaN()}, handConstants()); err == nil {
		t.Error("NaN spikes accepted")
	}
}
