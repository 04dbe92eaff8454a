package results

import (
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/trannsformer/gotrann/trannsformer"
)

// mnistJSON is the committed MNIST report (see the package documentation).
//
//go:embed mnist.json
var mnistJSON []byte

// MNISTFile is the name of the embedded MNIST report.
const MNISTFile = "mnist.json"

// MNIST decodes the embedded MNIST report. Every call returns a new value,
// which the caller may change.
func MNIST() (*trannsformer.Report, error) {
	r, err := trannsformer.ReadReport(bytes.NewReader(mnistJSON))
	if err != nil {
		return nil, fmt.Errorf("results: %s: %w", MNISTFile, err)
	}
	return r, nil
}

// Point is one setting of a method in the trade-off.
type Point struct {
	Knob float64 // the method's size knob (keep fraction, width, threshold step, quality bar)
	// Crossbars at the report's k, each seed counted by its best mapper,
	// and test accuracy (a fraction): means and sample standard deviations
	// over Seeds seeds (SD 0 for one seed).
	Crossbars, CrossbarsSD float64
	Accuracy, AccuracySD   float64
	Seeds                  int
	Mapper                 string // the best mapper of the first seed
	Chosen                 bool   // the setting chosen on validation accuracy
	Pareto                 bool   // on the Pareto front of all methods' points
}

// Series is one method's points, by knob.
type Series struct {
	Method string
	Points []Point
}

// Pareto returns the trade-off of every method of r (in the order of
// trannsformer.AllMethods), from r.Points: crossbars at r.K with each
// seed's best mapper against test accuracy, mean ± sd over seeds. Points
// without a measurement are left out.
func Pareto(r *trannsformer.Report) []Series {
	var out []Series
	for _, m := range trannsformer.AllMethods {
		s := Series{Method: m}
		for _, p := range r.Points {
			if p.Method != m || p.Crossbars.N == 0 || math.IsNaN(p.Crossbars.Mean) || math.IsNaN(p.TestAcc.Mean) {
				continue
			}
			s.Points = append(s.Points, Point{Knob: p.Knob, Crossbars: p.Crossbars.Mean, CrossbarsSD: sd(p.Crossbars),
				Accuracy: p.TestAcc.Mean, AccuracySD: sd(p.TestAcc), Seeds: p.Crossbars.N, Mapper: p.Mapper,
				Chosen: p.Chosen, Pareto: p.Pareto})
		}
		if len(s.Points) == 0 {
			continue
		}
		sort.SliceStable(s.Points, func(a, b int) bool { return s.Points[a].Knob < s.Points[b].Knob })
		out = append(out, s)
	}
	return out
}

func sd(s trannsformer.Stat) float64 {
	if s.N < 2 || math.IsNaN(s.SD) {
		return 0
	}
	return s.SD
}

// Duel compares one setting of another method with the method under study
// at that setting's accuracy.
type Duel struct {
	Method string
	Other  Point
	// Match is the method's cheapest point (fewest mean crossbars) whose
	// mean test accuracy is at least Other's; nil when none reaches it.
	Match *Point
	// Wins: Match needs fewer mean crossbars than Other.
	Wins bool
}

// Versus compares method with every point of every other method of r: for
// each, the cheapest point of method at least as accurate (mean test
// accuracy). Duels come by method (AllMethods order), then knob.
func Versus(r *trannsformer.Report, method string) []Duel {
	series := Pareto(r)
	var mine []Point
	for _, s := range series {
		if s.Method == method {
			mine = s.Points
		}
	}
	var out []Duel
	for _, s := range series {
		if s.Method == method {
			continue
		}
		for _, o := range s.Points {
			d := Duel{Method: s.Method, Other: o}
			for i := range mine {
				q := &mine[i]
				if q.Accuracy >= o.Accuracy && (d.Match == nil || q.Crossbars < d.Match.Crossbars) {
					d.Match = q
				}
			}
			d.Wins = d.Match != nil && d.Match.Crossbars < o.Crossbars
			out = append(out, d)
		}
	}
	return out
}

// Summary is a Markdown paragraph and list, computed from r, saying where
// method needs fewer crossbars than the other methods at equal or higher
// test accuracy (k = r.K, best mapper, means over seeds) and where it does
// not; from is the lowest accuracy considered (0: all points), for example
// 0.98 for "from 98% up".
func Summary(r *trannsformer.Report, method string, from float64) string {
	duels := Versus(r, method)
	var b strings.Builder
	seeds := len(r.Seeds)
	fmt.Fprintf(&b, "**%s against every other method's settings** (%s, crossbars at k = %d with each network's best mapper, mean test accuracy over %d seed%s",
		method, r.Dataset, r.K, seeds, plural(seeds))
	if from > 0 {
		fmt.Fprintf(&b, ", settings from %s test accuracy up", pct(from))
	}
	b.WriteString("):\n\n")
	wins, losses, unmatched, n, below := 0, 0, 0, 0, 0
	for _, d := range duels {
		if d.Other.Accuracy < from {
			below++
			continue
		}
		n++
		o := d.Other
		switch {
		case d.Match == nil:
			unmatched++
			fmt.Fprintf(&b, "- %s %s (%s, %s crossbars): no setting of %s reaches its accuracy.\n",
				d.Method, knob(d.Method, o.Knob), pct(o.Accuracy), count(o.Crossbars), method)
		case d.Wins:
			wins++
			fmt.Fprintf(&b, "- %s %s (%s, %s crossbars): %s %s needs %s crossbars (%s) at %s — **fewer**.\n",
				d.Method, knob(d.Method, o.Knob), pct(o.Accuracy), count(o.Crossbars), method, knob(method, d.Match.Knob),
				count(d.Match.Crossbars), times(d.Match.Crossbars, o.Crossbars), pct(d.Match.Accuracy))
		default:
			losses++
			fmt.Fprintf(&b, "- %s %s (%s, %s crossbars): %s %s needs %s crossbars (%s) at %s — **not fewer**.\n",
				d.Method, knob(d.Method, o.Knob), pct(o.Accuracy), count(o.Crossbars), method, knob(method, d.Match.Knob),
				count(d.Match.Crossbars), times(d.Match.Crossbars, o.Crossbars), pct(d.Match.Accuracy))
		}
	}
	b.WriteString("\n")
	switch {
	case n == 0:
		fmt.Fprintf(&b, "No setting of another method reaches that accuracy.\n")
	case wins == n:
		fmt.Fprintf(&b, "In all %d comparisons %s needs fewer crossbars at equal or higher accuracy.\n", n, method)
	default:
		fmt.Fprintf(&b, "%s needs fewer crossbars at equal or higher accuracy in %d of %d comparisons; in %d it needs as many or more, "+
			"and %d settings are more accurate than any of its own.\n", method, wins, n, losses, unmatched)
	}
	if below > 0 {
		fmt.Fprintf(&b, "%d setting%s of other methods below %s test accuracy %s left out.\n", below, plural(below), pct(from), isAre(below))
	}
	if seeds < 2 {
		b.WriteString("\nOne seed only: the differences carry no error bars.\n")
	}
	return b.String()
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func pct(x float64) string { return fmt.Sprintf("%.2f%%", 100*x) }

// count formats a mean count: an integer when it is one.
func count(x float64) string {
	if x == math.Trunc(x) {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.1f", x)
}

// times formats a/b as "0.42×".
func times(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// knob names a setting of method as the report does.
func knob(method string, v float64) string {
	f := func(v float64) string { return fmt.Sprintf("%g", v) }
	switch method {
	case trannsformer.MethodDense, trannsformer.MethodSmallDense:
		return "width " + f(v)
	case trannsformer.MethodPruned:
		return "step ×" + f(v)
	case trannsformer.MethodTrannsformer:
		return "q " + f(v)
	}
	return "keep " + f(v)
}

// Above returns the series with only the points whose mean accuracy is at
// least lo (series left without points are dropped), and a description of
// every point left out ("pruned step ×2: 95.32%"), so that a figure can
// zoom on the range that matters and still say what it does not show.
func Above(series []Series, lo float64) (kept []Series, left []string) {
	for _, s := range series {
		k := Series{Method: s.Method}
		for _, p := range s.Points {
			if p.Accuracy >= lo {
				k.Points = append(k.Points, p)
			} else {
				left = append(left, fmt.Sprintf("%s %s: %s", s.Method, knob(s.Method, p.Knob), pct(p.Accuracy)))
			}
		}
		if len(k.Points) > 0 {
			kept = append(kept, k)
		}
	}
	return kept, left
}

// FocusPoints is how far below the dense network's mean test accuracy
// Focus still shows a point.
const FocusPoints = 0.03

// Focus returns the trade-off of r (Pareto) without the points more than
// FocusPoints below the dense network's mean test accuracy (all points
// when r has no dense network), the description of those left out (Above)
// and the floor used.
func Focus(r *trannsformer.Report) (series []Series, left []string, floor float64) {
	all := Pareto(r)
	for _, s := range all {
		if s.Method == trannsformer.MethodDense && len(s.Points) > 0 {
			floor = s.Points[0].Accuracy - FocusPoints
		}
	}
	series, left = Above(all, floor)
	return series, left, floor
}
