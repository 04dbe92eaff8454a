package trannsformer

import (
	"strings"
	"testing"
)

// splitBySeed returns one report per seed of r, as "--seed N --seeds 1"
// runs would have written them.
func splitBySeed(r *Report) []*Report {
	var out []*Report
	for i, s := range r.Seeds {
		p := &Report{}
		*p = *r
		p.Seeds = []uint64{s}
		p.DenseCurve = r.DenseCurve[i : i+1]
		p.Runs = nil
		for _, run := range r.Runs {
			if run.Seed == s {
				p.Runs = append(p.Runs, run)
			}
		}
		p.summarize()
		out = append(out, p)
	}
	return out
}

func TestMergeReports(t *testing.T) {
	whole := fixtureReport(t)
	parts := splitBySeed(whole)
	if len(parts) != 2 {
		t.Fatalf("%d parts", len(parts))
	}
	// In either order, the merged report is the report of one run over
	// both seeds.
	for _, order := range [][]*Report{{parts[0], parts[1]}, {parts[1], parts[0]}} {
		got, err := MergeReports(order...)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := got.Markdown(), whole.Markdown(); g != w {
			t.Errorf("merged Markdown differs from the whole run's:\n%s\n---\n%s", g, w)
		}
		var gj, wj strings.Builder
		if err := got.WriteJSON(&gj); err != nil {
			t.Fatal(err)
		}
		if err := whole.WriteJSON(&wj); err != nil {
			t.Fatal(err)
		}
		if gj.String() != wj.String() {
			t.Error("merged JSON differs from the whole run's")
		}
	}
}

func TestMergeReportsRefuses(t *testing.T) {
	parts := splitBySeed(fixtureReport(t))
	if _, err := MergeReports(); err == nil {
		t.Error("no report: no error")
	}
	if _, err := MergeReports(parts[0], nil); err == nil {
		t.Error("nil report: no error")
	}
	if _, err := MergeReports(parts[0], parts[0]); err == nil || !strings.Contains(err.Error(), "seed 1") {
		t.Errorf("the same seed twice: %v", err)
	}
	other := *parts[1]
	other.Budget = 40
	if _, err := MergeReports(parts[0], &other); err == nil || !strings.Contains(err.Error(), "budget 40, not 20") {
		t.Errorf("another budget: %v", err)
	}
}
