package results

import (
	"slices"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer"
)

func TestMNIST(t *testing.T) {
	r, err := MNIST()
	if err != nil {
		t.Fatal(err)
	}
	if r.Dataset != "mnist" || r.K <= 0 || len(r.Runs) == 0 || len(r.Points) == 0 {
		t.Fatalf("report %s, k %d, %d runs, %d points", r.Dataset, r.K, len(r.Runs), len(r.Points))
	}
	series := Pareto(r)
	if len(series) == 0 || series[0].Method != trannsformer.MethodDense {
		t.Fatalf("series %+v", series)
	}
	for _, s := range series {
		for _, p := range s.Points {
			if p.Crossbars <= 0 || p.Accuracy <= 0 || p.Accuracy > 1 || p.Seeds != len(r.Seeds) {
				t.Errorf("%s: %+v", s.Method, p)
			}
		}
	}
	// A fresh value every call.
	r.Dataset = "changed"
	if r2, _ := MNIST(); r2.Dataset != "mnist" {
		t.Error("MNIST returned a shared value")
	}
}

func stat(mean, sd float64, n int) trannsformer.Stat {
	return trannsformer.Stat{Mean: mean, SD: sd, N: n}
}

// fixture: ours at 10 and 20 crossbars (97.0%, 98.0%); tile pruning at 15
// (97.5%) and 30 (98.5%); dense at 100 (98.2%).
func fixture() *trannsformer.Report {
	pt := func(m string, knob, xb, acc float64) trannsformer.Point {
		return trannsformer.Point{Method: m, Knob: knob, Crossbars: stat(xb, 1, 3), TestAcc: stat(acc, 0.001, 3), Mapper: "packed"}
	}
	return &trannsformer.Report{Dataset: "fixture", K: 64, Seeds: []uint64{1, 2, 3}, Points: []trannsformer.Point{
		pt(trannsformer.MethodDense, 1200, 100, 0.982),
		pt(trannsformer.MethodTilePruning, 0.3, 30, 0.985),
		pt(trannsformer.MethodTilePruning, 0.1, 15, 0.975),
		pt(trannsformer.MethodOurs, 0.2, 20, 0.98),
		pt(trannsformer.MethodOurs, 0.1, 10, 0.97),
	}}
}

func TestPareto(t *testing.T) {
	s := Pareto(fixture())
	if len(s) != 3 || s[0].Method != "dense" || s[1].Method != "tile_pruning" || s[2].Method != "ours" {
		t.Fatalf("%+v", s)
	}
	if p := s[1].Points; p[0].Knob != 0.1 || p[1].Knob != 0.3 || p[0].CrossbarsSD != 1 || p[0].AccuracySD != 0.001 || p[0].Seeds != 3 {
		t.Errorf("tile pruning %+v", p)
	}
}

func TestVersus(t *testing.T) {
	d := Versus(fixture(), trannsformer.MethodOurs)
	if len(d) != 3 {
		t.Fatalf("%d duels", len(d))
	}
	tests := []struct {
		method string
		knob   float64
		match  float64 // ours' knob, -1 for none
		wins   bool
	}{
		{"dense", 1200, -1, false},        // 98.2%: ours tops out at 98.0%
		{"tile_pruning", 0.1, 0.2, false}, // 97.5% at 15: ours needs 20
		{"tile_pruning", 0.3, -1, false},  // 98.5%: out of reach
	}
	for i, tt := range tests {
		got := d[i]
		if got.Method != tt.method || got.Other.Knob != tt.knob || got.Wins != tt.wins ||
			(tt.match < 0) != (got.Match == nil) || (got.Match != nil && got.Match.Knob != tt.match) {
			t.Errorf("duel %d: %+v (match %+v), want %+v", i, got, got.Match, tt)
		}
	}
	// Ours wins where it is cheaper at the same accuracy.
	r := fixture()
	r.Points[2].Crossbars.Mean = 25
	if d := Versus(r, trannsformer.MethodOurs); !d[1].Wins {
		t.Errorf("20 crossbars against 25 at lower accuracy: %+v", d[1])
	}
}

func TestSummary(t *testing.T) {
	s := Summary(fixture(), trannsformer.MethodOurs, 0)
	for _, want := range []string{
		"tile_pruning keep 0.1 (97.50%, 15 crossbars): ours keep 0.2 needs 20 crossbars (1.33×) at 98.00% — **not fewer**",
		"dense width 1200 (98.20%, 100 crossbars): no setting of ours reaches its accuracy",
		"in 0 of 3 comparisons",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	s = Summary(fixture(), trannsformer.MethodOurs, 0.98)
	if strings.Contains(s, "keep 0.1 (97.50%") || !strings.Contains(s, "from 98.00% test accuracy up") || !strings.Contains(s, "of 2 comparisons") ||
		!strings.Contains(s, "1 setting of other methods below 98.00% test accuracy is left out") {
		t.Errorf("from 98%%:\n%s", s)
	}
	r := fixture()
	r.Points[2].Crossbars.Mean = 25
	r.Points = r.Points[1:]
	if s := Summary(r, trannsformer.MethodOurs, 0.97); !strings.Contains(s, "**fewer**") {
		t.Errorf("a win not reported:\n%s", s)
	}
}

func TestAbove(t *testing.T) {
	series := []Series{
		{Method: trannsformer.MethodPruned, Points: []Point{{Knob: 1, Accuracy: 0.985}, {Knob: 2, Accuracy: 0.9532}}},
		{Method: trannsformer.MethodSmallDense, Points: []Point{{Knob: 128, Accuracy: 0.95}}},
		{Method: trannsformer.MethodOurs, Points: []Point{{Knob: 0.12, Accuracy: 0.96}}},
	}
	kept, left := Above(series, 0.96)
	if len(kept) != 2 || kept[0].Method != trannsformer.MethodPruned || len(kept[0].Points) != 1 || kept[1].Method != trannsformer.MethodOurs {
		t.Errorf("kept %+v", kept)
	}
	if want := []string{"pruned step ×2: 95.32%", "small_dense width 128: 95.00%"}; !slices.Equal(left, want) {
		t.Errorf("left out %q, want %q", left, want)
	}
}
