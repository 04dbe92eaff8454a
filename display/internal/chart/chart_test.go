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
