package trannsformer

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/cost"
	"github.com/trannsformer/gotrann/trannsformer/crossbar"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixtureReport builds a report from fixed networks: a dense 200-100-10
// network, the same with its first layer's second half of inputs removed
// ("pruned"), and the same with one 64x64 tile kept per layer ("ours"),
// all with fixed activity.
func fixtureReport(t *testing.T) *Report {
	t.Helper()
	consts := []cost.Constants{cost.RESPARC(), cost.PUMA()}
	dense, _ := nn.New(nn.ModelConfig{Sizes: []int{200, 100, 10}, Seed: 1})
	pruned := dense.Clone()
	for o := 0; o < 100; o++ {
		for i := 100; i < 200; i++ {
			pruned.W[0][o*200+i] = 0
		}
	}
	ours := dense.Clone()
	layouts := make([]*TileLayout, 2)
	for l := range layouts {
		lay, err := NewTileLayout(ours.Out(l), ours.In(l), 64, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		lay.KeepTop(lay.Scores(ours.W[l]), 1)
		layouts[l] = lay
	}
	if err := ApplyTiles(ours, layouts); err != nil {
		t.Fatal(err)
	}
	spikes := []float64{3, 2}
	rep := &Report{Dataset: "fixture", Layers: []int{200, 100, 10}, Epochs: 60, K: 64, Ks: []int{32, 64},
		Constants: []string{consts[0].Name, consts[1].Name}, TrainSamples: 1000, TestSamples: 500,
		SNNTimesteps: 100, SNNSamples: 500, TrainSamplesPerSecond: 1234}
	method := func(name string, m *nn.MLP, acc float64, mapAt func(k int) ([]*crossbar.Mapping, error)) *MethodReport {
		mr := &MethodReport{Name: name, Sizes: m.Sizes, Epochs: 10, ANNAccuracy: acc, SNNAccuracy: acc - 0.001, SpikesPerNeuron: spikes}
		for l := 0; l < m.Layers(); l++ {
			mr.LayerSynapses = append(mr.LayerSynapses, m.NonZero(l))
			mr.Synapses += m.NonZero(l)
		}
		for _, k := range rep.Ks {
			maps, err := mapAt(k)
			if err != nil {
				t.Fatal(err)
			}
			kc, err := costOf(maps, spikes, 100, consts)
			if err != nil {
				t.Fatal(err)
			}
			mr.ByK = append(mr.ByK, kc)
		}
		return mr
	}
	rep.Dense = method(MethodDense, dense, 0.98, func(k int) ([]*crossbar.Mapping, error) { return MapDense(dense, k) })
	rep.Pruned = method(MethodPruned, pruned, 0.975, func(k int) ([]*crossbar.Mapping, error) { return MapPruned(pruned, k) })
	rep.Ours = method(MethodOurs, ours, 0.97, func(k int) ([]*crossbar.Mapping, error) { return MapTiles(context.Background(), ours, layouts, k) })
	rep.Ours.LayerUnclustered = []float64{0, 0}
	rep.fillReductions()
	return rep
}

func TestReportMarkdownGolden(t *testing.T) {
	rep := fixtureReport(t)
	got := rep.Markdown()
	path := filepath.Join("testdata", "report_golden.md")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("Markdown differs from %s (run with -update after checking):\n%s", path, got)
	}
}

func TestReportFigures(t *testing.T) {
	rep := fixtureReport(t)
	d, p, o := rep.Dense.At(64), rep.Pruned.At(64), rep.Ours.At(64)
	// Dense 200-100-10 at k=64: ceil(200/64)·ceil(100/64) + ceil(100/64)·1 = 8 + 2.
	if d.Crossbars != 10 {
		t.Errorf("dense crossbars %d, want 10", d.Crossbars)
	}
	// Pruned: 100 inputs left in layer 1: 2·2 + 2 = 6.
	if p.Crossbars != 6 {
		t.Errorf("pruned crossbars %d, want 6", p.Crossbars)
	}
	if o.Crossbars != 2 {
		t.Errorf("ours crossbars %d, want 2 (one tile per layer)", o.Crossbars)
	}
	if want := 1 - 6.0/10; math.Abs(p.CrossbarsVsDense-want) > 1e-12 {
		t.Errorf("pruned crossbar reduction %v, want %v", p.CrossbarsVsDense, want)
	}
	for _, c := range rep.Constants {
		if d.AreaVsDense[c] != 0 || d.EnergyVsDense[c] != 0 {
			t.Errorf("dense vs dense under %s: %v %v", c, d.AreaVsDense[c], d.EnergyVsDense[c])
		}
		if !(o.Area[c] < p.Area[c] && p.Area[c] < d.Area[c]) {
			t.Errorf("%s areas not ordered: ours %v, pruned %v, dense %v", c, o.Area[c], p.Area[c], d.Area[c])
		}
		if !(o.Energy[c] < d.Energy[c]) {
			t.Errorf("%s energy: ours %v, dense %v", c, o.Energy[c], d.Energy[c])
		}
		sum := 0.0
		for _, l := range o.Layers {
			sum += l.Energy[c]
		}
		if math.Abs(sum-o.Energy[c]) > 1e-9*o.Energy[c] {
			t.Errorf("%s: layer energies sum to %v, total %v", c, sum, o.Energy[c])
		}
	}
}

func TestReportJSON(t *testing.T) {
	rep := fixtureReport(t)
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &keys); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"dataset", "layers", "epochs", "train_samples_per_second", "dense", "pruned", "ours"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	var dense map[string]any
	json.Unmarshal(keys["dense"], &dense)
	for _, k := range []string{"ann_accuracy", "snn_accuracy", "synapses", "by_k"} {
		if _, ok := dense[k]; !ok {
			t.Errorf("dense lacks %q", k)
		}
	}
	back, err := ReadReport(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Ours.ByK, rep.Ours.ByK) || back.Dense.Synapses != rep.Dense.Synapses {
		t.Error("the report does not survive a JSON round trip")
	}
}
