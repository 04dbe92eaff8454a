package main

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"
)

// Tracker follows a go test -json stream and writes what a person watching
// needs: a line per finished package, status lines, failures in full and
// a summary. Its zero value is not usable; make one with NewTracker. The
// caller passes the time with each call, so that a test can drive it with
// a fake clock.
type Tracker struct {
	w      io.Writer
	trim   string // module path prefix removed from package names
	total  int    // packages expected, 0 if unknown
	start  time.Time
	last   time.Time // when the last line was written
	pkgs   map[string]*pkgState
	order  []string // packages in the order they started
	builds map[string][]string
	failed []string // failed packages, in order
	extra  bool     // a failure was seen outside any package event

	// RequireTests makes a package with tests that ran none of them (its
	// -run pattern matched nothing) a failure.
	RequireTests bool
}

// pkgState is what the Tracker knows of one package.
type pkgState struct {
	name    string
	started time.Time
	done    bool
	result  string // pass, fail or skip
	elapsed float64
	noTests bool
	ran     int                   // tests started
	out     []string              // output outside any test
	tests   map[string]*testState // running or failed tests
	running []string              // tests started and not finished, in order
}

// testState is the output of a test that is running or failed.
type testState struct {
	out    []string
	result string
}

// NewTracker returns a Tracker writing to w. trim is removed from the front
// of package paths when they are shown (the module path); total is the
// number of packages expected (0: unknown).
func NewTracker(w io.Writer, trim string, total int, now time.Time) *Tracker {
	return &Tracker{w: w, trim: trim, total: total, start: now, last: now,
		pkgs: map[string]*pkgState{}, builds: map[string][]string{}}
}

// short is the package path shown to people: relative to the module.
func (t *Tracker) short(pkg string) string {
	if t.trim == "" {
		return pkg
	}
	if pkg == t.trim {
		return "."
	}
	if rest, ok := strings.CutPrefix(pkg, t.trim+"/"); ok {
		return rest
	}
	return pkg
}

func (t *Tracker) printf(now time.Time, format string, args ...any) {
	fmt.Fprintf(t.w, format, args...)
	t.last = now
}

// Line handles one line of input: an event, or a message of the go
// command, which is copied through.
func (t *Tracker) Line(line []byte, now time.Time) {
	e, err := ParseEvent(line)
	if err != nil {
		s := strings.TrimRight(string(line), "\n")
		if s != "" {
			t.printf(now, "%s\n", s)
		}
		return
	}
	t.Event(e, now)
}

func (t *Tracker) pkg(name string, now time.Time) *pkgState {
	p := t.pkgs[name]
	if p == nil {
		p = &pkgState{name: name, started: now, tests: map[string]*testState{}}
		t.pkgs[name] = p
		t.order = append(t.order, name)
	}
	return p
}

// Event handles one event.
func (t *Tracker) Event(e Event, now time.Time) {
	switch e.Action {
	case "build-output":
		t.builds[e.ImportPath] = append(t.builds[e.ImportPath], e.Output)
		return
	case "build-fail":
		t.printf(now, "BUILD FAILED %s\n%s", e.ImportPath, strings.Join(t.builds[e.ImportPath], ""))
		delete(t.builds, e.ImportPath)
		t.extra = true
		return
	}
	if e.Package == "" {
		return
	}
	p := t.pkg(e.Package, now)
	if e.Test == "" {
		switch e.Action {
		case "output":
			p.out = append(p.out, e.Output)
			if strings.Contains(e.Output, "[no test files]") {
				p.noTests = true
			}
		case "pass", "fail", "skip":
			t.finish(p, e, now)
		}
		return
	}
	ts := p.tests[e.Test]
	switch e.Action {
	case "run":
		p.ran++
		if ts == nil {
			ts = &testState{}
			p.tests[e.Test] = ts
		}
		p.running = append(p.running, e.Test)
	case "output":
		if ts == nil {
			ts = &testState{}
			p.tests[e.Test] = ts
		}
		ts.out = append(ts.out, e.Output)
	case "pass", "skip":
		delete(p.tests, e.Test) // its output is not needed any more
		p.running = remove(p.running, e.Test)
	case "fail":
		if ts == nil {
			ts = &testState{}
			p.tests[e.Test] = ts
		}
		ts.result = "fail"
		p.running = remove(p.running, e.Test)
	}
}

func remove(xs []string, x string) []string {
	if i := slices.Index(xs, x); i >= 0 {
		return slices.Delete(xs, i, i+1)
	}
	return xs
}

// finish reports a package that ended: a line, and for a failure the
// output of every failed or unfinished test and of the package itself.
func (t *Tracker) finish(p *pkgState, e Event, now time.Time) {
	p.done, p.result, p.elapsed = true, e.Action, e.Elapsed
	name := t.short(p.name)
	if e.Action == "pass" && p.ran == 0 && !p.noTests {
		if t.RequireTests {
			t.failed = append(t.failed, p.name)
			t.printf(now, "FAIL %s: no test ran (does the -run pattern still name its tests?)\n", name)
		} else {
			t.printf(now, "ok   %s %s (no test ran)\n", name, secs(p.elapsed))
		}
		p.tests, p.out, p.running = nil, nil, nil
		return
	}
	switch {
	case e.Action == "fail":
		t.failed = append(t.failed, p.name)
		var b strings.Builder
		fmt.Fprintf(&b, "FAIL %s %s%s\n", name, secs(p.elapsed), buildNote(e.FailedBuild))
		// tests in the order they printed first: failed ones and those
		// still running when the binary died (a panic or a timeout)
		names := make([]string, 0, len(p.tests))
		for n := range p.tests {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			ts := p.tests[n]
			state := "failed"
			if ts.result != "fail" {
				state = "did not finish"
			}
			fmt.Fprintf(&b, "---- %s %s %s:\n%s", name, n, state, strings.Join(ts.out, ""))
		}
		if len(p.out) > 0 {
			fmt.Fprintf(&b, "---- %s (output outside tests):\n%s", name, strings.Join(p.out, ""))
		}
		fmt.Fprintf(&b, "---- end of %s\n", name)
		t.printf(now, "%s", b.String())
	case p.noTests:
		t.printf(now, "     %s (no test files)\n", name)
	case e.Action == "skip":
		t.printf(now, "skip %s\n", name)
	default:
		t.printf(now, "ok   %s %s\n", name, secs(p.elapsed))
	}
	p.tests, p.out, p.running = nil, nil, nil
}

func buildNote(failedBuild string) string {
	if failedBuild == "" {
		return ""
	}
	return " (build of " + failedBuild + " failed)"
}

func secs(s float64) string { return fmt.Sprintf("%.1fs", s) }

// dur formats a duration as 1m05s or 12s.
func dur(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}

// Tick writes a status line when nothing was written for every.
func (t *Tracker) Tick(now time.Time, every time.Duration) {
	if now.Sub(t.last) >= every {
		t.printf(now, "%s\n", t.Status(now))
	}
}

// Status is one line: time since the start, packages done of how many,
// failures, and each running package with how long it has run and the
// test it is in.
func (t *Tracker) Status(now time.Time) string {
	done, failed := 0, len(t.failed)
	var running []string
	for _, n := range t.order {
		p := t.pkgs[n]
		if p.done {
			done++
			continue
		}
		s := fmt.Sprintf("%s %s", t.short(n), dur(now.Sub(p.started)))
		if len(p.running) > 0 {
			s += " in " + p.running[len(p.running)-1]
		}
		running = append(running, s)
	}
	total := "?"
	if t.total > 0 {
		total = fmt.Sprint(t.total)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %d/%s packages done", dur(now.Sub(t.start)), done, total)
	if failed > 0 {
		fmt.Fprintf(&b, ", %d failed", failed)
	}
	if len(running) == 0 {
		b.WriteString("; building")
	} else {
		fmt.Fprintf(&b, "; running: %s", strings.Join(running, ", "))
	}
	return b.String()
}

// Failed reports whether a package or a build failed, or a package started
// and never finished (go test was killed).
func (t *Tracker) Failed() bool {
	if len(t.failed) > 0 || t.extra {
		return true
	}
	for _, p := range t.pkgs {
		if !p.done {
			return true
		}
	}
	return false
}

// Summary writes the closing lines: counts, the failed packages, the
// slowest ones, and the packages that never finished.
func (t *Tracker) Summary(now time.Time, slowest int) {
	var ok, skipped int
	var unfinished []string
	type timing struct {
		name string
		s    float64
	}
	var times []timing
	for _, n := range t.order {
		p := t.pkgs[n]
		switch {
		case !p.done:
			unfinished = append(unfinished, t.short(n))
		case p.result == "pass":
			ok++
		case p.result == "skip":
			skipped++
		}
		if p.done && !p.noTests {
			times = append(times, timing{t.short(n), p.elapsed})
		}
	}
	fmt.Fprintf(t.w, "== %d packages in %s: %d ok, %d failed, %d without tests or skipped",
		len(t.order), dur(now.Sub(t.start)), ok, len(t.failed), skipped)
	if len(unfinished) > 0 {
		fmt.Fprintf(t.w, ", %d unfinished (%s)", len(unfinished), strings.Join(unfinished, " "))
	}
	fmt.Fprintln(t.w)
	sort.SliceStable(times, func(i, j int) bool { return times[i].s > times[j].s })
	if len(times) > slowest {
		times = times[:slowest]
	}
	if len(times) > 0 {
		parts := make([]string, len(times))
		for i, x := range times {
			parts[i] = x.name + " " + secs(x.s)
		}
		fmt.Fprintf(t.w, "== slowest: %s\n", strings.Join(parts, ", "))
	}
	if len(t.failed) > 0 {
		names := make([]string, len(t.failed))
		for i, n := range t.failed {
			names[i] = t.short(n)
		}
		fmt.Fprintf(t.w, "== FAILED: %s\n", strings.Join(names, " "))
	}
	if t.extra && len(t.failed) == 0 {
		fmt.Fprintln(t.w, "== FAILED: a build failed")
	}
	t.last = now
}
