package trannsformer

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/cost"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixtureNets returns fixed networks: a dense 200-100-10 network, the same
// with its first layer's second half of inputs removed ("pruned"), and the
// same with one 64x64 tile kept per layer ("ours", with its layouts).
func fixtureNets(t *testing.T) (dense, pruned, ours *nn.MLP, layouts []*TileLayout) {
	t.Helper()
	dense, _ = nn.New(nn.ModelConfig{Sizes: []int{200, 100, 10}, Seed: 1})
	pruned = dense.Clone()
	for o := 0; o < 100; o++ {
		for i := 100; i < 200; i++ {
			pruned.W[0][o*200+i] = 0
		}
	}
	ours = dense.Clone()
	layouts = make([]*TileLayout, 2)
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
	return dense, pruned, ours, layouts
}

// fixtureRun measures a network the way Paper does, with fixed accuracies
// and activity.
func fixtureRun(t *testing.T, rep *Report, consts []cost.Constants, method string, knob float64, seed uint64, m *nn.MLP, mo MapOptions, val, test float64) *Run {
	t.Helper()
	run := &Run{Method: method, Knob: knob, Seed: seed, Sizes: m.Sizes, Epochs: rep.Budget,
		ValAccuracy: val, TestAccuracy: test, SNNTestAccuracy: test - 0.001, SpikesPerNeuron: []float64{3, 2}, Dropout: DropoutFixed}
	if method == MethodOurs {
		run.Dropout = DropoutScaled
	}
	for l := 0; l < m.Layers(); l++ {
		run.LayerSynapses = append(run.LayerSynapses, m.NonZero(l))
		run.Synapses += m.NonZero(l)
	}
	for _, k := range rep.Ks {
		for _, mp := range rep.Mappers {
			maps, err := MapNetwork(context.Background(), m, k, mp, mo)
			if err != nil {
				t.Fatal(err)
			}
			mc := MapCost{K: k, Mapper: mp, Scheme: maps[0].Scheme, Crossbars: Crossbars(maps), Utilization: Utilization(maps), Verified: true,
				Area: map[string]float64{}, Energy: map[string]float64{}}
			for _, c := range consts {
				cr, err := cost.Network(maps, run.SpikesPerNeuron, 100, c)
				if err != nil {
					t.Fatal(err)
				}
				mc.Area[c.Name], mc.Energy[c.Name] = cr.Total.Area, cr.Total.Energy/1000
			}
			run.Mappings = append(run.Mappings, mc)
		}
	}
	rep.Runs = append(rep.Runs, run)
	return run
}

func fixtureReport(t *testing.T) *Report {
	t.Helper()
	consts := []cost.Constants{cost.RESPARC(), cost.MNSIM()}
	dense, pruned, ours, layouts := fixtureNets(t)
	rep := &Report{Dataset: "fixture", Layers: []int{200, 100, 10}, Budget: 20, PretrainEpochs: 5, K: 64, Ks: []int{32, 64},
		Mappers: AllMappers, ConstantSources: map[string]string{}, TrainSamples: 1000, ValSamples: 200, TestSamples: 500,
		SNNTimesteps: 100, SNNSamples: 500, Seeds: []uint64{1, 2}, Tolerance: 0.002, Selection: "fixture rule",
		TrainSamplesPerSecond: 1234, Seconds: 5,
		DenseCurve: [][]EpochPoint{{{1, 0.3, 0.9, 0.95}, {2, 0.2, 0.95, 0.97}}, {{1, 0.31, 0.9, 0.94}, {2, 0.21, 0.95, 0.98}}}}
	for _, c := range consts {
		rep.Constants = append(rep.Constants, c.Name)
		rep.ConstantSources[c.Name] = c.Source
	}
	for s := uint64(1); s <= 2; s++ {
		fixtureRun(t, rep, consts, MethodDense, 100, s, dense, MapOptions{Seed: s}, 0.975, 0.98)
		fixtureRun(t, rep, consts, MethodPruned, 1, s, pruned, MapOptions{Seed: s}, 0.974, 0.975)
		fixtureRun(t, rep, consts, MethodOurs, 0.1, s, ours, MapOptions{Layouts: layouts, Seed: s}, 0.96+0.001*float64(s), 0.97)
	}
	rep.summarize()
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

// Every mapper on every method's network, checked by hand where the count
// is known, and the best mapper is the one with the fewest crossbars.
func TestReportEveryMapper(t *testing.T) {
	rep := fixtureReport(t)
	byMethod := map[string]*Run{}
	for _, r := range rep.Runs {
		byMethod[r.Method] = r
		if len(r.Mappings) != len(rep.Ks)*len(AllMappers) {
			t.Fatalf("%s: %d mappings", r.Method, len(r.Mappings))
		}
		for _, mc := range r.Mappings {
			if !mc.Verified || mc.Crossbars < 1 {
				t.Errorf("%s k=%d %s: %+v", r.Method, mc.K, mc.Mapper, mc)
			}
		}
		for _, k := range rep.Ks {
			best := r.Best(k)
			for _, mp := range AllMappers {
				if r.At(k, mp).Crossbars < best.Crossbars {
					t.Errorf("%s k=%d: best %s (%d) beaten by %s", r.Method, k, best.Mapper, best.Crossbars, mp)
				}
			}
		}
	}
	// Dense 200-100-10 at k=64: the grid is ceil(200/64)·ceil(100/64) +
	// ceil(100/64)·1 = 8 + 2 = 10 for every network of these sizes.
	for _, m := range []string{MethodDense, MethodPruned, MethodOurs} {
		if got := byMethod[m].At(64, MapperGrid).Crossbars; got != 10 {
			t.Errorf("%s grid at 64: %d, want 10", m, got)
		}
	}
	// The authors' rule on the pruned network: 100 inputs left in layer 1:
	// 2·2 + 2 = 6; ours with its own layout: one tile per layer.
	if got := byMethod[MethodPruned].At(64, MapperAuthors).Crossbars; got != 6 {
		t.Errorf("pruned, authors' rule: %d, want 6", got)
	}
	if got := byMethod[MethodOurs].At(64, MapperPacked).Crossbars; got != 2 {
		t.Errorf("ours, packed: %d, want 2", got)
	}
	if b := byMethod[MethodOurs].Best(64); b.Crossbars != 2 {
		t.Errorf("ours best %+v", b)
	}
}

// The validation rule: the fewest crossbars among settings within the
// tolerance of the dense network's validation accuracy, else the most
// accurate; Pareto flags; mean and sd over seeds.
func TestReportSelection(t *testing.T) {
	mk := func(method string, knob float64, seed uint64, val, test float64, xbars int) *Run {
		return &Run{Method: method, Knob: knob, Seed: seed, ValAccuracy: val, TestAccuracy: test,
			Mappings: []MapCost{{K: 64, Mapper: MapperGrid, Crossbars: xbars + 5}, {K: 64, Mapper: MapperOptimize, Crossbars: xbars}}}
	}
	rep := &Report{K: 64, Tolerance: 0.002, Runs: []*Run{
		mk(MethodDense, 1200, 1, 0.980, 0.981, 600), mk(MethodDense, 1200, 2, 0.982, 0.983, 600),
		// ours: 0.05 is too inaccurate (0.975 < 0.981 − 0.002), 0.1 passes with 80, 0.2 passes with 120.
		mk(MethodOurs, 0.05, 1, 0.975, 0.976, 40), mk(MethodOurs, 0.05, 2, 0.975, 0.977, 42),
		mk(MethodOurs, 0.1, 1, 0.980, 0.980, 78), mk(MethodOurs, 0.1, 2, 0.979, 0.979, 82),
		mk(MethodOurs, 0.2, 1, 0.982, 0.982, 120), mk(MethodOurs, 0.2, 2, 0.982, 0.982, 120),
		// small: none passes; the most accurate is chosen.
		mk(MethodSmallDense, 100, 1, 0.95, 0.95, 10), mk(MethodSmallDense, 200, 1, 0.96, 0.96, 20),
	}}
	rep.summarize()
	if rep.Chosen[MethodOurs] != 0.1 || rep.Chosen[MethodSmallDense] != 200 || rep.Chosen[MethodDense] != 1200 {
		t.Errorf("chosen %v", rep.Chosen)
	}
	p := rep.Point(MethodOurs, 0.1)
	if p.Crossbars.Mean != 80 || math.Abs(p.Crossbars.SD-math.Sqrt(8)) > 1e-12 || p.Crossbars.N != 2 || p.Mapper != MapperOptimize || !p.Chosen {
		t.Errorf("ours 0.1: %+v", p)
	}
	// Pareto: small 100 (10, 0.95), small 200 (20, 0.96), ours 0.05 (41, 0.9765), ours 0.1 (80, 0.9795),
	// ours 0.2 (120, 0.982); dense (600, 0.982) is dominated by ours 0.2.
	for _, c := range []struct {
		m      string
		k      float64
		pareto bool
	}{{MethodSmallDense, 100, true}, {MethodOurs, 0.05, true}, {MethodOurs, 0.2, true}, {MethodDense, 1200, false}} {
		if got := rep.Point(c.m, c.k).Pareto; got != c.pareto {
			t.Errorf("%s %v: Pareto %v, want %v", c.m, c.k, got, c.pareto)
		}
	}
}

func TestReportCSV(t *testing.T) {
	rep := fixtureReport(t)
	var buf bytes.Buffer
	if err := rep.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := "dataset,method,knob,seed,k,mapper,crossbars,synapses,epochs,val_acc,test_acc,snn_test_acc,cost_model,area_mm2,energy_nj"
	if got := strings.Join(rows[0], ","); got != want {
		t.Fatalf("header %q", got)
	}
	if n := len(rows) - 1; n != len(rep.Runs)*len(rep.Ks)*len(AllMappers)*len(rep.Constants) {
		t.Errorf("%d rows", n)
	}
	r := rows[1]
	if r[0] != "fixture" || r[1] != MethodDense || r[2] != "100" || r[3] != "1" || r[4] != "32" || r[5] != MapperGrid || r[8] != "20" || r[9] != "0.975" {
		t.Errorf("first row %v", r)
	}
}

func TestReportJSON(t *testing.T) {
	rep := fixtureReport(t)
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadReport(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Runs, rep.Runs) || !reflect.DeepEqual(back.Chosen, rep.Chosen) || len(back.Points) != len(rep.Points) {
		t.Error("the report does not survive a JSON round trip")
	}
	if _, err := ReadReport(strings.NewReader("{")); err == nil {
		t.Error("want an error for bad JSON")
	}
}

// The SNN's accuracy on a subset of the test set is shown beside the ANN's
// accuracy on the same images, and a report without the ANN's figure (one
// written before Run.ANNOnSNNSamples existed) says so with "-" rather
// than comparing different images.
func TestReportSNNSameImages(t *testing.T) {
	for _, tc := range []struct {
		name       string
		snnSamples int
		annOnSNN   []float64 // per run; nil: the field is missing
		wantCell   string
		wantHead   string
	}{
		{"whole test set", 500, nil, "| 97.90 ± 0.00% |", "| SNN test acc. |"},
		{"subset", 100, []float64{0.99, 0.97}, "| 97.90 ± 0.00% (98.00 ± 1.41%) |", "| SNN acc. (ANN acc.) on 100 test images |"},
		{"subset, old report", 100, nil, "| 97.90 ± 0.00% (-) |", "| SNN acc. (ANN acc.) on 100 test images |"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := fixtureReport(t)
			rep.SNNSamples = tc.snnSamples
			i := 0
			for _, run := range rep.Runs {
				run.ANNOnSNNSamples = nil
				if run.Method == MethodDense && tc.annOnSNN != nil {
					v := tc.annOnSNN[i]
					run.ANNOnSNNSamples = &v
					i++
				}
			}
			rep.summarize()
			md := rep.Markdown()
			var dense string
			for _, line := range strings.Split(md, "\n") {
				if strings.HasPrefix(line, "| dense | width") {
					dense = line
					break
				}
			}
			if !strings.Contains(dense, tc.wantCell) || !strings.Contains(md, tc.wantHead) {
				t.Errorf("dense row %q, want cell %q and header %q", dense, tc.wantCell, tc.wantHead)
			}
			if one := fmt.Sprintf("on %d images one image is %.2g points", tc.snnSamples, 100/float64(tc.snnSamples)); !strings.Contains(md, one) {
				t.Errorf("no %q in\n%s", one, md)
			}
		})
	}
}
