package figure

import (
	"math"
	"strings"
	"testing"
)

// TestBarScale checks when a bar chart switches to a log axis: values
// spanning more than 20 times (a 41× bar next to a 0.5× one), or on
// request.
func TestBarScale(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		scale  BarScale
		log    bool
	}{
		{name: "recall", values: []float64{0.85, 0.99, 0.93}, log: false},
		{name: "ratios to 41", values: []float64{0.5, 1, 41}, log: true},
		{name: "components", values: []float64{0.05, 3, 1500}, log: true},
		{name: "zeros ignored", values: []float64{0, 2, 30}, log: false},
		{name: "forced linear", values: []float64{0.5, 1, 41}, scale: BarLinear, log: false},
		{name: "forced log", values: []float64{1, 2}, scale: BarLog, log: true},
		{name: "all zero", values: []float64{0, 0}, scale: BarLog, log: false},
	}
	for _, tc := range tests {
		groups := make([]string, len(tc.values))
		for i := range groups {
			groups[i] = string(rune('a' + i))
		}
		p, err := GroupedBars(BarTable{YLabel: "energy", Groups: groups, Series: []BarSeries{{Name: "x", Values: tc.values}}, Scale: tc.scale})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		_, isLog := p.Y.Tick.Marker.(log10Ticks)
		if isLog != tc.log {
			t.Errorf("%s: log axis %v, want %v", tc.name, isLog, tc.log)
		}
		if strings.Contains(p.Y.Label.Text, "log scale") != tc.log {
			t.Errorf("%s: y label %q", tc.name, p.Y.Label.Text)
		}
		top := maxOf(tc.values)
		if isLog {
			top = math.Log10(top)
			if p.Y.Min >= math.Log10(minPositive(tc.values)) {
				t.Errorf("%s: log axis from 10^%v, want below %v", tc.name, p.Y.Min, minPositive(tc.values))
			}
		}
		if p.Y.Max < top {
			t.Errorf("%s: axis top %v below the tallest bar %v", tc.name, p.Y.Max, top)
		}
	}
}

// TestBarLabels checks the value written above each bar.
func TestBarLabels(t *testing.T) {
	b := &groupedBars{suffix: "×"}
	for v, want := range map[float64]string{0: "0×", 0.0731: "0.073×", 1: "1×", 2.345: "2.35×", 24.61: "24.6×", 1500.4: "1500×"} {
		if got := b.format(v); got != want {
			t.Errorf("format(%v) = %q, want %q", v, got, want)
		}
	}
}

func minPositive(vs []float64) float64 {
	m := 0.0
	for _, v := range vs {
		if v > 0 && (m == 0 || v < m) {
			m = v
		}
	}
	return m
}

func maxOf(vs []float64) float64 {
	m := 0.0
	for _, v := range vs {
		m = max(m, v)
	}
	return m
}
