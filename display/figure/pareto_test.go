package figure

import (
	"reflect"
	"testing"

	"gonum.org/v1/plot/cmpimg"
	"gonum.org/v1/plot/vg"
)

// paretoFixture is a trade-off shaped like the study's: a dense reference,
// magnitude pruning, small dense nets, tile pruning and ours, mean ± sd
// over three seeds.
var paretoFixture = []ParetoSeries{
	{Name: "dense", Points: []ParetoPoint{{Crossbars: 627, Accuracy: 0.9852, AccuracySD: 0.0006}}},
	{Name: "pruned", Points: []ParetoPoint{
		{Crossbars: 560, CrossbarsSD: 6, Accuracy: 0.9848, AccuracySD: 0.0005, Label: "×1"},
		{Crossbars: 470, CrossbarsSD: 9, Accuracy: 0.9839, AccuracySD: 0.0007, Label: "×2"},
		{Crossbars: 380, CrossbarsSD: 12, Accuracy: 0.9815, AccuracySD: 0.001, Label: "×4"}}},
	{Name: "trannsformer", Points: []ParetoPoint{{Crossbars: 618, CrossbarsSD: 4, Accuracy: 0.9846, AccuracySD: 0.0006}}},
	{Name: "small dense", Points: []ParetoPoint{
		{Crossbars: 50, Accuracy: 0.9722, AccuracySD: 0.0012},
		{Crossbars: 102, Accuracy: 0.9790, AccuracySD: 0.0008},
		{Crossbars: 161, Accuracy: 0.9810, AccuracySD: 0.0006},
		{Crossbars: 264, Accuracy: 0.9831, AccuracySD: 0.0005}}},
	{Name: "tile pruning", Points: []ParetoPoint{
		{Crossbars: 66, CrossbarsSD: 1, Accuracy: 0.9768, AccuracySD: 0.0011},
		{Crossbars: 95, CrossbarsSD: 2, Accuracy: 0.9801, AccuracySD: 0.0009},
		{Crossbars: 125, CrossbarsSD: 2, Accuracy: 0.9818, AccuracySD: 0.0007},
		{Crossbars: 185, CrossbarsSD: 3, Accuracy: 0.9830, AccuracySD: 0.0004}}},
	{Name: "ours", Points: []ParetoPoint{
		{Crossbars: 42, CrossbarsSD: 0.6, Accuracy: 0.9781, AccuracySD: 0.0009, Label: "0.06"},
		{Crossbars: 60, CrossbarsSD: 1, Accuracy: 0.9808, AccuracySD: 0.0006, Label: "0.09"},
		{Crossbars: 83, CrossbarsSD: 1.2, Accuracy: 0.9822, AccuracySD: 0.0005, Label: "0.12"},
		{Crossbars: 121, CrossbarsSD: 2, Accuracy: 0.9836, AccuracySD: 0.0004, Label: "0.18"}}},
}

func TestParetoGolden(t *testing.T) {
	cmpimg.CheckPlot(func() {
		p, err := Pareto(ParetoOptions{Title: "MNIST 784-1200-1200-10, crossbars at k = 64 (best mapper), mean ± sd over 3 seeds"}, paretoFixture...)
		save(t, p, err, "pareto.png", 7*vg.Inch, 4.5*vg.Inch)
	}, t, "pareto.png")
}

func TestParetoFront(t *testing.T) {
	got := ParetoFront(paretoFixture)
	want := [][]bool{
		{true},
		{true, true, false},
		{false},
		{false, false, false, false},
		{false, false, false, false},
		{true, true, true, true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("front %v, want %v", got, want)
	}
	// Ties: an identical point does not dominate its twin.
	tw := []ParetoSeries{{Points: []ParetoPoint{{Crossbars: 5, Accuracy: 0.9}, {Crossbars: 5, Accuracy: 0.9}, {Crossbars: 5, Accuracy: 0.8}}}}
	if got := ParetoFront(tw); !reflect.DeepEqual(got, [][]bool{{true, true, false}}) {
		t.Errorf("ties: %v", got)
	}
}

func TestParetoErrors(t *testing.T) {
	nan := 0.0
	nan = nan / nan
	for _, tc := range []struct {
		name   string
		series []ParetoSeries
	}{
		{"no points", nil},
		{"empty series", []ParetoSeries{{Name: "a"}}},
		{"zero crossbars", []ParetoSeries{{Name: "a", Points: []ParetoPoint{{Crossbars: 0, Accuracy: 0.9}}}}},
		{"accuracy above 1", []ParetoSeries{{Name: "a", Points: []ParetoPoint{{Crossbars: 3, Accuracy: 98}}}}},
		{"NaN", []ParetoSeries{{Name: "a", Points: []ParetoPoint{{Crossbars: 3, Accuracy: nan}}}}},
		{"negative sd", []ParetoSeries{{Name: "a", Points: []ParetoPoint{{Crossbars: 3, Accuracy: 0.9, AccuracySD: -0.1}}}}},
	} {
		if _, err := Pareto(ParetoOptions{}, tc.series...); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	// One point is enough.
	if _, err := Pareto(ParetoOptions{}, ParetoSeries{Name: "a", Points: []ParetoPoint{{Crossbars: 3, Accuracy: 0.9}}}); err != nil {
		t.Error(err)
	}
}
