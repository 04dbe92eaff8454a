package figure

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestBadInput(t *testing.T) {
	c := mat.NewDense(4, 3, nil)
	tests := []struct {
		name string
		f    func() error
	}{
		{"nil matrix", func() error { _, err := Connectivity(nil, ConnectivityOptions{}); return err }},
		{"short row perm", func() error { _, err := Connectivity(c, ConnectivityOptions{RowPerm: []int{0, 1}}); return err }},
		{"repeated col perm", func() error { _, err := Connectivity(c, ConnectivityOptions{ColPerm: []int{0, 0, 1}}); return err }},
		{"block outside", func() error {
			_, err := Connectivity(c, ConnectivityOptions{Blocks: []Block{{Row: 2, Col: 0, Rows: 3, Cols: 1}}})
			return err
		}},
		{"negative k", func() error { _, err := Connectivity(c, ConnectivityOptions{K: -1}); return err }},
		{"series lengths", func() error { _, err := Curves(CurvesOptions{}, Series{X: []float64{1}, Y: nil}); return err }},
		{"no crossbars", func() error { _, err := Tiling(nil, 4, TilingOptions{}); return err }},
		{"crossbar too large", func() error { _, err := Tiling([]mat.Matrix{mat.NewDense(5, 5, nil)}, 4, TilingOptions{}); return err }},
		{"zero k", func() error { _, err := Tiling([]mat.Matrix{c}, 0, TilingOptions{}); return err }},
		{"utilization above 1", func() error { _, err := Utilization([]float64{0.5, 1.5}, UtilizationOptions{}); return err }},
		{"utilization NaN", func() error { _, err := Utilization([]float64{math.NaN()}, UtilizationOptions{}); return err }},
		{"bars mismatch", func() error {
			_, err := GroupedBars(BarTable{Groups: []string{"a", "b"}, Series: []BarSeries{{Name: "x", Values: []float64{1}}}})
			return err
		}},
		{"normalise by zero", func() error {
			_, err := CostComparison("area", "c", []int{16}, []BarSeries{{Name: "dense", Values: []float64{0}}}, true)
			return err
		}},
		{"timesteps not increasing", func() error { _, err := SpikingAccuracy([]int{5, 5}, []float64{0.1, 0.2}, 0, ""); return err }},
		{"raster empty", func() error { _, err := Raster(nil, ""); return err }},
		{"bar scale", func() error {
			_, err := GroupedBars(BarTable{Groups: []string{"a"}, Series: []BarSeries{{Name: "x", Values: []float64{1}}}, Scale: 7})
			return err
		}},
		{"negative reference", func() error {
			_, err := GroupedBars(BarTable{Groups: []string{"a"}, Series: []BarSeries{{Name: "x", Values: []float64{1}}}, Reference: -1})
			return err
		}},
		{"no points", func() error { _, err := Scatter(nil, ScatterOptions{}); return err }},
		{"point NaN", func() error { _, err := Scatter([]ScatterPoint{{X: math.NaN()}}, ScatterOptions{}); return err }},
		{"negative group", func() error { _, err := Scatter([]ScatterPoint{{Group: -1}}, ScatterOptions{}); return err }},
		{"too many kinds", func() error { _, err := Scatter([]ScatterPoint{{Kind: 9}}, ScatterOptions{}); return err }},
		{"too many kind names", func() error {
			_, err := Scatter([]ScatterPoint{{}}, ScatterOptions{Kinds: []string{"a", "b", "c", "d", "e"}})
			return err
		}},
		{"raster NaN", func() error { _, err := Raster([][]float64{{math.NaN()}}, ""); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.f(); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestConnectivityDownsample(t *testing.T) {
	// 1200×784 like MNIST's first hidden layer: averaged down to at most
	// MaxPixels per side, then enlarged by an integer factor.
	c := mat.NewDense(1200, 784, nil)
	for i := 0; i < 1200; i++ {
		c.Set(i, i%784, 1)
	}
	img, _ := connectivityImage(c, ConnectivityOptions{MaxPixels: 300})
	if b := img.Bounds(); b.Dx() != 196*3 || b.Dy() != 300*3 {
		t.Errorf("image %v, want 588×900 (196×300 enlarged 3 times)", b)
	}
}

// TestConnectivityTitleWraps checks that a long list of notes is split over
// lines instead of running past the edge of a half-width panel.
func TestConnectivityTitleWraps(t *testing.T) {
	c := mat.NewDense(8, 8, nil)
	for _, tt := range []struct {
		o     ConnectivityOptions
		lines int
	}{
		{ConnectivityOptions{Title: "layer", K: 4}, 2},
		{ConnectivityOptions{Title: "layer", K: 4, Blocks: []Block{{Rows: 2, Cols: 2}}}, 2},
		{ConnectivityOptions{Title: "layer", K: 4, Blocks: []Block{{Rows: 2, Cols: 2}}, Note: "143 split blocks not outlined"}, 3},
	} {
		p, err := Connectivity(c, tt.o)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(p.Title.Text, "\n") + 1; got != tt.lines {
			t.Errorf("title %q has %d lines, want %d", p.Title.Text, got, tt.lines)
		}
	}
}
