package chart

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// NiceTicks puts labelled ticks at multiples of 1, 2 or 5 times a power of
// ten, three to six of them over the axis, with unlabelled minor ticks
// between; labels carry no more decimals than the step needs ("250", not
// "250.00"). Integer keeps the step at 1 or more, for counts and epochs.
type NiceTicks struct {
	Integer bool
}

// Ticks implements plot.Ticker.
func (t NiceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !Finite(lo) || !Finite(hi) {
		return nil
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if hi == lo {
		return []plot.Tick{{Value: lo, Label: formatTick(lo, 0)}}
	}
	if t.Integer && math.Floor(hi) < math.Ceil(lo) {
		t.Integer = false // no integer on the axis
	}
	step, lead := niceStep(hi-lo, t.Integer)
	first := math.Ceil(lo/step - 1e-9)
	last := math.Floor(hi/step + 1e-9)
	// Decimals the step needs: 0.5 needs one, 0.25 would need two.
	dec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	var out []plot.Tick
	for i := first; i <= last; i++ {
		v := i * step
		out = append(out, plot.Tick{Value: v, Label: formatTick(v, dec)})
	}
	minor := step / 5
	switch lead {
	case 2:
		minor = step / 4
	case 5:
		minor = step / 5
	}
	if t.Integer && minor != math.Trunc(minor) {
		minor = step / 2
		if minor != math.Trunc(minor) {
			minor = 0
		}
	}
	if minor > 0 {
		for v := math.Ceil(lo/minor-1e-9) * minor; v <= hi+minor*1e-9; v += minor {
			if r := v / step; math.Abs(r-math.Round(r)) < 1e-6 {
				continue
			}
			out = append(out, plot.Tick{Value: v})
		}
	}
	return out
}

// niceStep returns the smallest step of 1, 2 or 5 times a power of ten
// (at least 1 when integer) that puts at most six labelled ticks on a span,
// and its leading digit.
func niceStep(span float64, integer bool) (float64, int) {
	mag := math.Pow10(int(math.Floor(math.Log10(span / 6))))
	for {
		for _, lead := range []int{1, 2, 5} {
			s := float64(lead) * mag
			if integer && s < 1 {
				continue
			}
			if span/s <= 5.5 {
				return s, lead
			}
		}
		mag *= 10
	}
}

// formatTick formats v with dec decimals, or in %g style when v is too
// large or too small for that to read well.
func formatTick(v float64, dec int) string {
	if v == 0 {
		return "0"
	}
	if a := math.Abs(v); a >= 1e7 || dec > 6 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// LogTicks labels a log axis at 1, 2 and 5 times the powers of ten when it
// spans less than three decades, at the powers of ten only otherwise, with
// unlabelled minor ticks at the other integer multiples. Suffix follows
// every label ("×" for ratios). The axis must be positive.
type LogTicks struct {
	Suffix string
}

// Ticks implements plot.Ticker.
func (t LogTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > 0) || !Finite(lo) || !Finite(hi) {
		return nil
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	decades := math.Log10(hi / lo)
	labelled := map[int]bool{1: true, 2: true, 5: true}
	if decades > 3 {
		labelled = map[int]bool{1: true}
	}
	var out []plot.Tick
	for e := int(math.Floor(math.Log10(lo))); float64(e) <= math.Log10(hi)+1e-9; e++ {
		p := math.Pow10(e)
		for m := 1; m < 10; m++ {
			v := float64(m) * p
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			tk := plot.Tick{Value: v}
			if labelled[m] {
				dec := max(0, -e)
				tk.Label = formatTick(v, dec) + t.Suffix
			}
			out = append(out, tk)
		}
	}
	return out
}

// RatioTicks labels a log axis of ratios at the powers of two (…, 0.25×,
// 0.5×, 1×, 2×, 4×, …) when it spans at most 2¹², else as LogTicks does.
type RatioTicks struct{}

// Ticks implements plot.Ticker.
func (RatioTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > 0) || !Finite(lo) || !Finite(hi) {
		return nil
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if hi/lo > 1<<12 {
		return LogTicks{Suffix: "×"}.Ticks(lo, hi)
	}
	var out []plot.Tick
	e0, e1 := int(math.Ceil(math.Log2(lo)-1e-9)), int(math.Floor(math.Log2(hi)+1e-9))
	every := 1
	if e1-e0 > 8 {
		every = 2
	}
	for e := e0; e <= e1; e++ {
		v := math.Ldexp(1, e)
		tk := plot.Tick{Value: v}
		if e%every == 0 {
			tk.Label = strconv.FormatFloat(v, 'f', -1, 64) + "×"
		}
		out = append(out, tk)
	}
	return out
}
