package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// fakeModules is a Modules that builds nothing: Worker returns a made-up
// command line and records what it was asked.
type fakeModules struct {
	compiled []string
	asked    [][]string // paths, then pins, of each Worker call
	fail     error
}

func (f *fakeModules) Compiled() []string { return f.compiled }

func (f *fakeModules) CheckPin(pin string) (string, error) {
	if !strings.Contains(pin, "@v") {
		return "", fmt.Errorf("%q: want MODULE@VERSION", pin)
	}
	if strings.HasPrefix(pin, "gonum.org/v1/gonum@") && pin != "gonum.org/v1/gonum@v0.17.0" {
		return "", errors.New("version conflict")
	}
	return pin, nil
}

func (f *fakeModules) Worker(ctx context.Context, paths, pins []string, w io.Writer) ([]string, error) {
	f.asked = append(f.asked, paths, pins)
	fmt.Fprintln(w, "building a worker")
	if f.fail != nil {
		return nil, f.fail
	}
	return []string{"/cache/worker", "worker"}, nil
}

func newModuleSession(t *testing.T, m Modules) *Session {
	t.Helper()
	s, err := New(withTables(Options{Modules: m}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestImportUnknownPackage(t *testing.T) {
	tests := []struct {
		name     string
		mods     *fakeModules
		wantErr  string // the start of ename: evalue
		wantArgv []string
	}{
		{"no modules", nil, "", nil},
		{"switch", &fakeModules{}, "WorkerSwitch: package \"example.com/x/y\" is compiled into a new worker", []string{"/cache/worker", "worker"}},
		{"build fails", &fakeModules{fail: errors.New("no go")}, "ImportError: import \"example.com/x/y\": no go", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Modules
			if tt.mods != nil {
				m = tt.mods
			}
			s := newModuleSession(t, m)
			execCell(t, s, "%require example.com/x@v1.2.3")
			res, out := execCell(t, s, "import \"example.com/x/y\"\ny.Z()")
			if res.Err == nil {
				t.Fatal("no error")
			}
			got := res.Err.Name + ": " + res.Err.Value
			if tt.mods == nil {
				if !strings.Contains(got, "is not available: this kernel preloads") {
					t.Errorf("error %s", got)
				}
				return
			}
			if !strings.HasPrefix(got, tt.wantErr) {
				t.Errorf("error %s, want %s", got, tt.wantErr)
			}
			if !strings.Contains(out.errs(), "building a worker") {
				t.Errorf("no progress on stderr: %q", out.errs())
			}
			if a := tt.mods.asked; len(a) != 2 || strings.Join(a[0], " ") != "example.com/x/y" || strings.Join(a[1], " ") != "example.com/x@v1.2.3" {
				t.Errorf("Worker asked for %q", a)
			}
			if sw := s.TakeSwitch(); strings.Join(sw, " ") != strings.Join(tt.wantArgv, " ") {
				t.Errorf("TakeSwitch() = %q, want %q", sw, tt.wantArgv)
			}
			if sw := s.TakeSwitch(); sw != nil {
				t.Errorf("second TakeSwitch() = %q", sw)
			}
		})
	}
}

func TestRequireMagic(t *testing.T) {
	m := &fakeModules{compiled: []string{"example.com/a@v1.0.0", "example.com/b@v0.3.0"}}
	s := newModuleSession(t, m)
	res, out := execCell(t, s, "%require")
	if res.Err != nil || out.out() != "example.com/a@v1.0.0 // resolved\nexample.com/b@v0.3.0 // resolved\n" {
		t.Errorf("%%require: %v %q", res.Err, out.out())
	}
	// a pin of a module not compiled in is recorded; the same version as
	// compiled in needs no build
	for _, c := range []string{"%require example.com/c@v2.0.0 example.com/b@v0.3.0", "%require example.com/c@v2.1.0"} {
		if res, _ := execCell(t, s, c); res.Err != nil {
			t.Fatalf("%s: %v", c, res.Err)
		}
	}
	if len(m.asked) != 0 || s.TakeSwitch() != nil {
		t.Errorf("pins that change nothing compiled asked for a worker: %q", m.asked)
	}
	_, out = execCell(t, s, "%require")
	if want := "example.com/b@v0.3.0 // pinned\nexample.com/c@v2.1.0 // pinned\nexample.com/a@v1.0.0 // resolved\n"; out.out() != want {
		t.Errorf("%%require lists %q, want %q", out.out(), want)
	}
	// pins are part of the saved state
	st := s.State()
	if strings.Join(st.Require, " ") != "example.com/b@v0.3.0 example.com/c@v2.1.0" {
		t.Errorf("State().Require = %q", st.Require)
	}
	s2 := newModuleSession(t, &fakeModules{})
	if _, err := s2.Restore(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	if strings.Join(s2.State().Require, " ") != strings.Join(st.Require, " ") {
		t.Errorf("restored pins %q", s2.State().Require)
	}
	// another version of a compiled module: a worker with the pin
	res, _ = execCell(t, s, "%require example.com/a@v1.1.0")
	if res.Err == nil || res.Err.Name != "WorkerSwitch" {
		t.Fatalf("pinning another version of a compiled module: %+v", res.Err)
	}
	if len(m.asked) != 2 || len(m.asked[0]) != 0 || !strings.Contains(strings.Join(m.asked[1], " "), "example.com/a@v1.1.0") {
		t.Errorf("Worker asked for %q", m.asked)
	}
	// errors
	for _, c := range []struct{ code, want string }{
		{"%require example.com/a", "ModuleError: %require: \"example.com/a\": want MODULE@VERSION"},
		{"%require gonum.org/v1/gonum@v0.16.0", "ModuleError: %require: version conflict"},
	} {
		res, _ := execCell(t, s, c.code)
		if res.Err == nil || !strings.HasPrefix(res.Err.Name+": "+res.Err.Value, c.want) {
			t.Errorf("%s: %+v, want %s", c.code, res.Err, c.want)
		}
	}
	if got, _ := s.IsComplete("%require example.com/a@v1.0.0"); got != "complete" {
		t.Errorf("IsComplete(%%require ...) = %s", got)
	}
	if m, _, _ := s.Complete("%req", 4); strings.Join(m, " ") != "%require" {
		t.Errorf("Complete(%%req) = %v", m)
	}
	// without Modules
	s3 := newTestSession(t)
	if res, _ := execCell(t, s3, "%require example.com/a@v1.0.0"); res.Err == nil || res.Err.Name != "UsageError" {
		t.Errorf("%%require without Modules: %+v", res.Err)
	}
}
