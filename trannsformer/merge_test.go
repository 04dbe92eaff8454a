package trannsformer

import (
	"slices"
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

// TestMergeReportsExtended merges reports of the same seeds with other
// methods (a sweep extended later): the dense runs they share are kept once.
func TestMergeReportsExtended(t *testing.T) {
	whole := fixtureReport(t)
	byMethod := func(keep ...string) *Report {
		p := &Report{}
		*p = *whole
		p.Runs = nil
		for _, run := range whole.Runs {
			if slices.Contains(keep, run.Method) {
				p.Runs = append(p.Runs, run)
			}
		}
		p.summarize()
		return p
	}
	// A report from before ANNOnSNNSamples existed merges with a newer one.
	older := byMethod(MethodDense, MethodPruned)
	older.Runs = slices.Clone(older.Runs)
	for i, run := range older.Runs {
		r := *run
		r.ANNOnSNNSamples = nil
		older.Runs[i] = &r
	}
	if _, err := MergeReports(older, byMethod(MethodDense, MethodOurs)); err != nil {
		t.Errorf("an older report: %v", err)
	}
	for _, parts := range [][]*Report{
		{byMethod(MethodDense, MethodPruned), byMethod(MethodDense, MethodOurs)},
		{byMethod(MethodDense, MethodOurs), byMethod(MethodDense, MethodPruned), whole},
	} {
		got, err := MergeReports(parts...)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := got.Markdown(), whole.Markdown(); g != w {
			t.Errorf("merged Markdown differs from the whole run's:\n%s\n---\n%s", g, w)
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
	changed := *parts[1]
	changed.Runs = slices.Clone(parts[1].Runs)
	r := *changed.Runs[0]
	r.TestAccuracy += 0.01
	changed.Runs[0] = &r
	if _, err := MergeReports(parts[1], &changed); err == nil || !strings.Contains(err.Error(), "dense width 100 seed 2 differs") {
		t.Errorf("one network measured two ways: %v", err)
	}
	other := *parts[1]
	other.Budget = 40
	if _, err := MergeReports(parts[0], &other); err == nil || !strings.Contains(err.Error(), "budget 40, not 20") {
		t.Errorf("another budget: %v", err)
	}
	// The same network trained under another dropout rule is another
	// network.
	rule := *parts[1]
	rule.Runs = slices.Clone(parts[1].Runs)
	d := *rule.Runs[0]
	d.Dropout = DropoutScaled
	rule.Runs[0] = &d
	if _, err := MergeReports(parts[1], &rule); err == nil || !strings.Contains(err.Error(), "differs") {
		t.Errorf("one network under two dropout rules: %v", err)
	}
}

// TestMergeReportsLegacyDropout: runs written before they recorded their
// dropout rule get the one their report's note implies.
func TestMergeReportsLegacyDropout(t *testing.T) {
	for _, note := range []string{"", "scaled for every network but the dense one"} {
		rep := fixtureReport(t)
		rep.Dropout = note
		for _, r := range rep.Runs {
			r.Dropout = ""
		}
		m, err := MergeReports(rep)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range m.Runs {
			want := DropoutFixed
			if note != "" && r.Method != MethodDense {
				want = DropoutScaled
			}
			if r.Dropout != want {
				t.Errorf("note %q: %s seed %d: dropout %q, want %q", note, r.Method, r.Seed, r.Dropout, want)
			}
		}
		if (note == "") != (m.Dropout == "") {
			t.Errorf("note %q: merged report's note %q", note, m.Dropout)
		}
	}
}
