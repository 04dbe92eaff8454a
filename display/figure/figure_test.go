package figure

import (
	"flag"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/cmpimg"
	"gonum.org/v1/plot/vg"
)

var update = flag.Bool("update", false, "rewrite the golden images under testdata (as cmpimg's -regen does)")

// checkPlot runs draw, which saves the named PNGs under testdata, and
// compares each with its golden image (name_golden.png); with -update (or
// -regen) it makes the new images the golden ones.
func checkPlot(t *testing.T, draw func(), names ...string) {
	t.Helper()
	if *update && !*cmpimg.GenerateTestData {
		*cmpimg.GenerateTestData = true
		defer func() { *cmpimg.GenerateTestData = false }()
	}
	cmpimg.CheckPlot(draw, t, names...)
}

// save writes p as a PNG under testdata, failing the test on error.
func save(t *testing.T, p *plot.Plot, err error, name string, w, h vg.Length) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Save(w, h, "testdata/"+name); err != nil {
		t.Fatal(err)
	}
}

// clusteredLayer returns a rows×cols binary connectivity matrix made of
// dense blocks along the diagonal plus sparse noise, scrambled by random
// permutations, together with the permutations that undo the scrambling
// and the blocks in permuted coordinates.
func clusteredLayer(seed uint64, rows, cols int, blocks []Block, noise float64) (*mat.Dense, []int, []int) {
	r := rand.New(rand.NewPCG(seed, 1))
	ordered := mat.NewDense(rows, cols, nil)
	for _, b := range blocks {
		for i := b.Row; i < b.Row+b.Rows; i++ {
			for j := b.Col; j < b.Col+b.Cols; j++ {
				if r.Float64() < 0.8 {
					ordered.Set(i, j, 0.2+r.Float64())
				}
			}
		}
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			if ordered.At(i, j) == 0 && r.Float64() < noise {
				ordered.Set(i, j, 0.1+r.Float64())
			}
		}
	}
	rp, cp := r.Perm(rows), r.Perm(cols)
	// scrambled(rp[i], cp[j]) = ordered(i, j), so RowPerm = rp, ColPerm = cp
	// restores the ordered picture.
	c := mat.NewDense(rows, cols, nil)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			c.Set(rp[i], cp[j], ordered.At(i, j))
		}
	}
	return c, rp, cp
}

var testBlocks = []Block{{Row: 0, Col: 0, Rows: 40, Cols: 30}, {Row: 40, Col: 30, Rows: 30, Cols: 34}, {Row: 70, Col: 64, Rows: 26, Cols: 16}}

func TestConnectivityGolden(t *testing.T) {
	c, rp, cp := clusteredLayer(1, 96, 80, testBlocks, 0.02)
	checkPlot(t, func() {
		p, err := Connectivity(c, ConnectivityOptions{Title: "Layer 1 (80→96), before permutation", K: 16})
		save(t, p, err, "connectivity_before.png", 5*vg.Inch, 5*vg.Inch)
		p, err = Connectivity(c, ConnectivityOptions{Title: "Layer 1 (80→96), after permutation", K: 16, RowPerm: rp, ColPerm: cp, Blocks: testBlocks})
		save(t, p, err, "connectivity_after.png", 5*vg.Inch, 5*vg.Inch)
	}, "connectivity_before.png", "connectivity_after.png")
}

func TestCurvesGolden(t *testing.T) {
	ep := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	checkPlot(t, func() {
		p, err := Curves(CurvesOptions{Title: "Training", YLabel: "fraction", Percent: true},
			Series{Name: "accuracy", X: ep, Y: []float64{0.81, 0.9, 0.93, 0.95, 0.96, 0.965, 0.97, 0.972}},
			Series{Name: "sparsity", X: ep, Y: []float64{0, 0, 0.3, 0.55, 0.7, 0.8, 0.84, 0.85}},
			Series{Name: "unclustered", X: ep, Y: []float64{1, 1, 0.6, 0.35, 0.2, 0.12, 0.1, 0.09}},
		)
		save(t, p, err, "curves.png", 6*vg.Inch, 4*vg.Inch)
	}, "curves.png")
}

// blockTiles cuts every block of the permuted matrix into k×k crossbars and
// returns their occupancy.
func blockTiles(c mat.Matrix, rp, cp []int, blocks []Block, k int) []mat.Matrix {
	var tiles []mat.Matrix
	for _, b := range blocks {
		for r0 := b.Row; r0 < b.Row+b.Rows; r0 += k {
			for c0 := b.Col; c0 < b.Col+b.Cols; c0 += k {
				h, w := min(k, b.Row+b.Rows-r0), min(k, b.Col+b.Cols-c0)
				t := mat.NewDense(h, w, nil)
				for i := 0; i < h; i++ {
					for j := 0; j < w; j++ {
						t.Set(i, j, c.At(rp[r0+i], cp[c0+j]))
					}
				}
				tiles = append(tiles, t)
			}
		}
	}
	return tiles
}

func TestTilingGolden(t *testing.T) {
	c, rp, cp := clusteredLayer(1, 96, 80, testBlocks, 0.02)
	tiles := blockTiles(c, rp, cp, testBlocks, 16)
	checkPlot(t, func() {
		p, err := Tiling(tiles, 16, TilingOptions{Title: "Layer 1 crossbar tiling"})
		save(t, p, err, "tiling.png", 6*vg.Inch, 4*vg.Inch)
	}, "tiling.png")
}

func TestUtilizationGolden(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	u := make([]float64, 300)
	for i := range u {
		u[i] = min(1, max(0, 0.35+0.15*r.NormFloat64()))
	}
	checkPlot(t, func() {
		p, err := Utilization(u, UtilizationOptions{Title: "Layer 2 crossbar utilization"})
		save(t, p, err, "utilization.png", 6*vg.Inch, 4*vg.Inch)
	}, "utilization.png")
}

func TestCostComparisonGolden(t *testing.T) {
	ks := []int{16, 32, 64, 128}
	series := []BarSeries{
		{Name: "dense", Values: []float64{2400, 640, 180, 52}},
		{Name: "pruned", Values: []float64{2100, 560, 160, 47}},
		{Name: "TraNNsformer", Values: []float64{1500, 420, 115, 36}},
		{Name: "ours", Values: []float64{1100, 300, 95, 31}},
	}
	checkPlot(t, func() {
		p, err := CostComparison("area", "ISAAC", ks, series, true)
		save(t, p, err, "cost_area.png", 6*vg.Inch, 4*vg.Inch)
	}, "cost_area.png")
}

func TestSpikingGolden(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	spikes := make([][]float64, 20)
	for i := range spikes {
		rate := 0.05 + 0.3*r.Float64()
		for ts := 0; ts < 100; ts++ {
			if r.Float64() < rate {
				spikes[i] = append(spikes[i], float64(ts))
			}
		}
	}
	checkPlot(t, func() {
		p, err := SpikingAccuracy([]int{10, 20, 50, 100, 200, 500}, []float64{0.42, 0.71, 0.9, 0.955, 0.968, 0.971}, 0.975, "")
		save(t, p, err, "spiking_accuracy.png", 6*vg.Inch, 4*vg.Inch)
		p, err = Raster(spikes, "Hidden layer 1, first 20 neurons")
		save(t, p, err, "raster.png", 6*vg.Inch, 4*vg.Inch)
	}, "spiking_accuracy.png", "raster.png")
}

// TestCostRatioGolden: notebook 02's and 05's cost bars, where one method
// reaches 41× the dense network and another 0.05×: on a linear axis the
// small bars were slivers.
func TestCostRatioGolden(t *testing.T) {
	ks := []int{16, 32, 64, 128, 256}
	series := []BarSeries{
		{Name: "dense", Values: []float64{3.6, 1.3, 0.55, 0.3, 0.2}},
		{Name: "pruned", Values: []float64{2.6, 0.95, 0.41, 0.23, 0.16}},
		{Name: "TraNNsformer (reference)", Values: []float64{8.5, 4.7, 2.8, 2.9, 8.2}},
		{Name: "pruned, optimized mapping", Values: []float64{2.3, 0.9, 0.4, 0.24, 0.17}},
		{Name: "ours", Values: []float64{0.35, 0.1, 0.04, 0.05, 0.1}},
	}
	checkPlot(t, func() {
		p, err := CostComparison("area", "RESPARC-like", ks, series, true)
		save(t, p, err, "cost_ratio.png", 6*vg.Inch, 4*vg.Inch)
	}, "cost_ratio.png")
}

// TestEnergyComponentsGolden: notebook 02's energy by component, where the
// array, periphery and neurons (well under 1 nJ) looked empty next to the
// partial sums (1500 nJ) on a linear axis.
func TestEnergyComponentsGolden(t *testing.T) {
	checkPlot(t, func() {
		p, err := GroupedBars(BarTable{
			Title:  "energy per inference by component, k = 64, RESPARC-like",
			XLabel: "component", YLabel: "energy (nJ)",
			Groups: []string{"array", "periphery", "neurons", "routing", "partial sums"},
			Series: []BarSeries{
				{Name: "dense", Values: []float64{0.21, 1.9, 0.35, 42, 370}},
				{Name: "pruned", Values: []float64{0.07, 1.2, 0.33, 31, 290}},
				{Name: "TraNNsformed", Values: []float64{0.05, 3.1, 0.3, 230, 1500}},
			},
		})
		save(t, p, err, "energy_components.png", 6*vg.Inch, 4*vg.Inch)
	}, "energy_components.png")
}

// TestSpikingEveryStepGolden: notebook 03's accuracy after every one of 60
// timesteps; the log axis was labelled at 1 and 10 only.
func TestSpikingEveryStepGolden(t *testing.T) {
	ts := make([]int, 60)
	acc := make([]float64, 60)
	for i := range ts {
		ts[i] = i + 1
		acc[i] = 0.08 + 0.88/(1+math.Exp(-(float64(i+1)-5.5)*1.1))
	}
	checkPlot(t, func() {
		p, err := SpikingAccuracy(ts, acc, 0.941, "spiking accuracy against simulated timesteps")
		save(t, p, err, "spiking_steps.png", 6*vg.Inch, 4*vg.Inch)
	}, "spiking_steps.png")
}

// TestScatterGolden: notebook 04's spectral embedding, nodes coloured by
// planted block, inputs circles and outputs triangles; the hand-drawn
// scatter had no legend for either.
func TestScatterGolden(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	centres := [][2]float64{{0.08, 0.2}, {-0.24, 0}, {0.05, -0.02}, {0.07, -0.15}, {0.06, 0.0}}
	var pts []ScatterPoint
	for n := 0; n < 70; n++ {
		b := n % 5
		pts = append(pts, ScatterPoint{
			X: centres[b][0] + 0.015*r.NormFloat64(), Y: centres[b][1] + 0.02*r.NormFloat64(),
			Group: b, Kind: min(1, n/40)})
	}
	checkPlot(t, func() {
		p, err := Scatter(pts, ScatterOptions{Title: "embedding, coloured by planted block",
			XLabel: "eigenvector 2", YLabel: "eigenvector 3",
			Groups: []string{"block 0", "block 1", "block 2", "block 3", "block 4"},
			Kinds:  []string{"input", "output"}})
		save(t, p, err, "scatter.png", 6*vg.Inch, 4*vg.Inch)
	}, "scatter.png")
}

// TestSweepCurvesGolden: notebook 03's energy against log₂ k, whose axis
// was labelled 250.00, 1000.00, 1750.00.
func TestSweepCurvesGolden(t *testing.T) {
	logk := []float64{4, 5, 6, 7, 8}
	checkPlot(t, func() {
		p, err := Curves(CurvesOptions{Title: "RESPARC-like: energy", XLabel: "log₂ k", YLabel: "energy per inference (nJ)", Markers: true},
			Series{Name: "dense", X: logk, Y: []float64{1480, 870, 520, 330, 240}},
			Series{Name: "pruned", X: logk, Y: []float64{940, 610, 400, 290, 190}},
			Series{Name: "TraNNsformed", X: logk, Y: []float64{1730, 1790, 1020, 640, 310}},
			Series{Name: "ours", X: logk, Y: []float64{700, 540, 380, 290, 190}},
		)
		save(t, p, err, "sweep_curves.png", 6*vg.Inch, 4*vg.Inch)
	}, "sweep_curves.png")
}
