package chart

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func TestColorWraps(t *testing.T) {
	for _, tc := range []struct{ i, same int }{{8, 0}, {-1, 1}, {17, 1}} {
		if Color(tc.i) != Color(tc.same) {
			t.Errorf("Color(%d) = %v, want Color(%d) = %v", tc.i, Color(tc.i), tc.same, Color(tc.same))
		}
	}
}

func TestTicks(t *testing.T) {
	tests := []struct {
		name     string
		got      []string
		contains string
		excludes string
	}{
		{name: "percent", got: tickLabels(PercentTicks{}.Ticks(0, 1.3)), contains: "100%", excludes: "120%"},
		{name: "integer", got: tickLabels(IntegerTicks{}.Ticks(1, 3)), contains: "2", excludes: "1.5"},
	}
	for _, tc := range tests {
		s := " " + strings.Join(tc.got, " ") + " "
		if !strings.Contains(s, " "+tc.contains+" ") || strings.Contains(s, " "+tc.excludes+" ") {
			t.Errorf("%s ticks %q: want %q and not %q", tc.name, tc.got, tc.contains, tc.excludes)
		}
	}
}

func TestCurves(t *testing.T) {
	tests := []struct {
		name    string
		series  []Series
		wantErr string
	}{
		{name: "lengths differ", series: []Series{{Name: "a", X: []float64{1, 2}, Y: []float64{1}}}, wantErr: `series "a" has 2 x and 1 y values`},
		{name: "NaN skipped", series: []Series{{Name: "a", X: []float64{1, 2, 3}, Y: []float64{1, math.NaN(), 3}}}},
		{name: "empty", series: nil},
	}
	for _, tc := range tests {
		p, err := Curves(CurvesOptions{Percent: true}, tc.series...)
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("%s: err %v, want %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil || p == nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func tickLabels(ts []plot.Tick) []string {
	var ls []string
	for _, tk := range ts {
		if tk.Label != "" {
			ls = append(ls, tk.Label)
		}
	}
	return ls
}

func TestTickLabels(t *testing.T) {
	tests := []struct {
		name     string
		ticker   plot.Ticker
		min, max float64
		want     string
	}{
		// The epoch axis of a 24-epoch run had no label at all.
		{name: "epochs 1-24", ticker: NiceTicks{Integer: true}, min: 1, max: 24, want: "5 10 15 20"},
		{name: "epochs 1-30", ticker: IntegerTicks{}, min: 1, max: 30, want: "10 20 30"},
		{name: "epochs 1-8", ticker: IntegerTicks{}, min: 1, max: 8, want: "2 4 6 8"},
		{name: "epochs 1-3", ticker: IntegerTicks{}, min: 1, max: 3, want: "1 2 3"},
		// Counts were labelled 250.00, 1000.00.
		{name: "energy", ticker: NiceTicks{}, min: 70, max: 1800, want: "500 1000 1500"},
		{name: "crossbars", ticker: NiceTicks{Integer: true}, min: 12, max: 50, want: "20 30 40 50"},
		{name: "loss", ticker: NiceTicks{}, min: 0.05, max: 0.33, want: "0.1 0.2 0.3"},
		{name: "small", ticker: NiceTicks{}, min: 0, max: 0.012, want: "0 0.005 0.01"},
		{name: "negative", ticker: NiceTicks{}, min: -0.24, max: 0.08, want: "-0.2 -0.1 0"},
		{name: "flat", ticker: NiceTicks{}, min: 3, max: 3, want: "3"},
		// A timestep axis from 1 to 60 was labelled at 1 and 10 only.
		{name: "log timesteps", ticker: LogTicks{}, min: 1, max: 60, want: "1 2 5 10 20 50"},
		{name: "log decades", ticker: LogTicks{}, min: 0.01, max: 2000, want: "0.01 0.1 1 10 100 1000"},
		{name: "ratios", ticker: RatioTicks{}, min: 0.1, max: 41, want: "0.125× 0.25× 0.5× 1× 2× 4× 8× 16× 32×"},
		{name: "wide ratios", ticker: RatioTicks{}, min: 0.01, max: 300, want: "0.01× 0.1× 1× 10× 100×"},
	}
	for _, tc := range tests {
		if got := strings.Join(tickLabels(tc.ticker.Ticks(tc.min, tc.max)), " "); got != tc.want {
			t.Errorf("%s: labels %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestTicksInRange(t *testing.T) {
	for _, r := range [][2]float64{{1, 24}, {0, 1800}, {0.05, 0.33}, {-3, 7}, {1e-6, 3e-6}, {0, 1e9}} {
		for _, integer := range []bool{false, true} {
			ts := NiceTicks{Integer: integer}.Ticks(r[0], r[1])
			labelled := 0
			for _, tk := range ts {
				if tk.Value < r[0]-1e-9*math.Abs(r[1]-r[0]) || tk.Value > r[1]+1e-9*math.Abs(r[1]-r[0]) {
					t.Errorf("%v integer=%v: tick %v outside the axis", r, integer, tk.Value)
				}
				if tk.Label != "" {
					labelled++
					if integer && r[1]-r[0] >= 1 && tk.Value != math.Trunc(tk.Value) {
						t.Errorf("%v: integer ticker labelled %v", r, tk.Value)
					}
				}
			}
			if labelled < 1 || labelled > 6 {
				t.Errorf("%v integer=%v: %d labelled ticks, want 1 to 6", r, integer, labelled)
			}
		}
	}
}
