package figure

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
	"github.com/trannsformer/gotrann/trannsformer/cost"
	"github.com/trannsformer/gotrann/trannsformer/crossbar"
	"github.com/trannsformer/gotrann/trannsformer/snn"
)

// The adapters are checked for structure, not against golden images: the
// clustering and mapping they draw belong to other packages and may change.

func TestClusterAdapters(t *testing.T) {
	c, _, _ := clusteredLayer(1, 96, 80, testBlocks, 0.02)
	b := cluster.BinaryFromMatrix(c)
	res, err := cluster.Reference(context.Background(), b, cluster.Config{K: 16, PerAxis: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Blocks) == 0 {
		t.Skip("clustering found no block on the test layer")
	}
	ps, err := ClusterConnectivity(b, res, 16, "Layer 1")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || !strings.Contains(ps[1].Title.Text, "after permutation") {
		t.Fatalf("got %d plots", len(ps))
	}
	m, err := crossbar.TraNNsformed(b, res, 16)
	if err != nil {
		t.Fatal(err)
	}
	p, err := MappingTiling(m, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := m.Count(); !strings.Contains(p.Title.Text, strconv.Itoa(want)+" crossbars") {
		t.Errorf("tiling title %q, want %d crossbars", p.Title.Text, want)
	}
	if _, err := MappingUtilization(m, ""); err != nil {
		t.Fatal(err)
	}

	part, err := cluster.CoCluster(context.Background(), b, cluster.PartitionConfig{K: 16, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := PartitionConnectivity(b, part, "Layer 1"); err != nil {
		t.Fatal(err)
	}

	bad := *m
	bad.Crossbars = append([]crossbar.Crossbar{{Inputs: []int{0}, Outputs: []int{0}, Synapses: []crossbar.Synapse{{5, 5}}}}, m.Crossbars...)
	if _, err := MappingTiling(&bad, ""); err == nil {
		t.Error("a synapse outside its crossbar's wires was accepted")
	}
}

func TestSNNAccuracyAdapter(t *testing.T) {
	r := &snn.Result{T: 4, Samples: 100, AccuracyAt: []float64{0.2, 0.5, 0.8, 0.9}}
	if _, err := SNNAccuracy(r, 0.95, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := SNNAccuracy(&snn.Result{}, 0, ""); err == nil {
		t.Error("empty result accepted")
	}
}

func TestCostBarsAdapter(t *testing.T) {
	rep := func(area, energy float64, set string) *cost.Report {
		return &cost.Report{Constants: set, Total: cost.Breakdown{Area: area, Energy: energy}}
	}
	ks := []int{32, 64}
	names := []string{"dense", "ours"}
	reports := [][]*cost.Report{
		{rep(4, 8, "PUMA"), rep(2, 4, "PUMA")},
		{rep(2, 2, "PUMA"), rep(1, 3, "PUMA")},
	}
	p, err := CostBars("energy", ks, names, reports)
	if err != nil {
		t.Fatal(err)
	}
	if want := "energy per inference across crossbar sizes (PUMA constants)"; p.Title.Text != want {
		t.Errorf("title %q, want %q", p.Title.Text, want)
	}
	reports[1][1] = rep(1, 1, "RESPARC")
	if _, err := CostBars("area", ks, names, reports); err == nil {
		t.Error("mixed constant sets accepted")
	}
	if _, err := CostBars("power", ks, names, reports); err == nil {
		t.Error("unknown metric accepted")
	}
}

func TestSNNRasterAdapter(t *testing.T) {
	r := &snn.Result{T: 50, Samples: 10, Raster: &snn.Raster{Sample: 3, Label: 7, Predicted: 7, T: 50,
		Spikes: [][][]int32{
			{{0, 4, 9}, {1}, {}, {2, 3}},
			{{5, 10, 20}, {}, {7}},
			{{30}, {}},
		}}}
	tests := []struct {
		layer, max     int
		title, want    string
		points, neuron int
	}{
		{0, 0, "", "Sample 3 (label 7, predicted 7): input layer 0 (4 neurons, 6 spikes)", 6, 4},
		{1, 0, "", "Sample 3 (label 7, predicted 7): hidden layer 1 (3 neurons, 4 spikes)", 4, 3},
		{1, 2, "", "Sample 3 (label 7, predicted 7): hidden layer 1, neurons 0-1 of 3 (2 neurons, 3 spikes)", 3, 2},
		{2, 5, "out", "out (2 neurons, 1 spikes)", 1, 2},
	}
	for _, tc := range tests {
		p, err := SNNRaster(r, tc.layer, tc.max, tc.title)
		if err != nil {
			t.Fatal(err)
		}
		if p.Title.Text != tc.want {
			t.Errorf("layer %d: title %q, want %q", tc.layer, p.Title.Text, tc.want)
		}
		if p.X.Label.Text != "timestep" || p.Y.Label.Text != "neuron" {
			t.Errorf("axes %q, %q", p.X.Label.Text, p.Y.Label.Text)
		}
		if p.X.Min != 0 || p.X.Max != 50 || p.Y.Max != float64(tc.neuron)-0.5 {
			t.Errorf("layer %d: x in [%v, %v], y up to %v", tc.layer, p.X.Min, p.X.Max, p.Y.Max)
		}
		// One glyph (a tick) per spike drawn.
		if got := len(p.GlyphBoxes(p)); got != tc.points {
			t.Errorf("layer %d: %d ticks, want %d", tc.layer, got, tc.points)
		}
	}
	for _, bad := range []struct {
		r     *snn.Result
		layer int
	}{{nil, 0}, {&snn.Result{}, 0}, {r, 3}, {r, -1}} {
		if _, err := SNNRaster(bad.r, bad.layer, 0, ""); err == nil {
			t.Errorf("layer %d of %+v accepted", bad.layer, bad.r)
		}
	}
}
