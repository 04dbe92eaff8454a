package main

import (
	"io/fs"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// module is this module's path, the prefix of its import paths.
const module = "github.com/trannsformer/gotrann"

// Forbidden dependencies, as import-path prefixes: a prefix forbids the
// package itself and every package below it.
const (
	yaegiPath   = "github.com/traefik/yaegi"
	gonumPath   = "gonum.org/v1/gonum"
	plotPath    = "gonum.org/v1/plot"
	zmq4Path    = "github.com/go-zeromq/zmq4"
	trannPath   = module + "/trannsformer"
	displayPath = module + "/display"
	kernelPath  = module + "/kernel"
	sessionPath = module + "/kernel/session"
)

// The kernel process: the sockets, the wire, the worker protocol. It is
// handed its engine by main, so it links no interpreter, no plotting and
// no TraNNsformer.
var kernelProcess = []string{yaegiPath, plotPath, gonumPath, trannPath, displayPath, sessionPath}

// TestDependencyBoundaries pins the one-way imports of DESIGN.md (main ->
// install, kernel, notebooks -> display -> trannsformer -> gonum) with
// `go list -deps`: each row names a package (or a pattern ending in /...)
// and what it must not link. A row whose package does not exist (yet) is
// passed over, so that the table can name the packages the design plans.
func TestDependencyBoundaries(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command:", err)
	}
	tests := []struct {
		pkg       string   // import path relative to the module, or a .../ pattern
		forbidden []string // import-path prefixes it must not link
		stdOnly   bool     // nothing outside the standard library (but pkg itself)
	}{
		{pkg: "kernel", forbidden: kernelProcess},
		{pkg: "kernel/engine", forbidden: kernelProcess, stdOnly: true},
		{pkg: "kernel/wire", forbidden: kernelProcess},
		{pkg: "kernel/ipc", forbidden: kernelProcess},
		{pkg: "kernel/worker", forbidden: kernelProcess},
		// display knows nothing of TraNNsformer (display/figure and
		// display/monitor do, and a parent never imports its child) nor of
		// Jupyter.
		{pkg: "display", forbidden: []string{trannPath, kernelPath, displayPath + "/figure", displayPath + "/monitor"}},
		{pkg: "display/internal/chart", forbidden: []string{trannPath, kernelPath, displayPath + "/figure", displayPath + "/monitor"}},
		{pkg: "display/figure", forbidden: []string{kernelPath, yaegiPath, zmq4Path}},
		{pkg: "display/monitor", forbidden: []string{kernelPath, yaegiPath, zmq4Path}},
		{pkg: "trannsformer/...", forbidden: []string{kernelPath, displayPath, plotPath, yaegiPath, zmq4Path}},
		// the interpreter side of the worker split links the engine but no
		// sockets
		{pkg: "kernel/agent", forbidden: []string{yaegiPath, zmq4Path, sessionPath, plotPath, trannPath}},
		{pkg: "kernel/session", forbidden: []string{zmq4Path, kernelPath + "/symbols", kernelPath + "/godoc", kernelPath + "/worker"}},
		// comms and widgets speak to the front end through the engine's
		// comm messages, never through sockets or the server
		{pkg: "kernel/comm", forbidden: kernelProcess, stdOnly: false},
		{pkg: "display/widget", forbidden: []string{trannPath, yaegiPath, zmq4Path, sessionPath, kernelPath + "/worker", kernelPath + "/wire", kernelPath + "/zmtp"}},
		// nbformat reading and writing never links the interpreter; neither
		// does the runner, which is handed an engine.
		{pkg: "notebooks", stdOnly: true},
		{pkg: "notebooks/runner", forbidden: kernelProcess},
		{pkg: "install", forbidden: []string{yaegiPath}},
		// building workers with third-party modules runs the go command;
		// only the worker's own main links the interpreter
		{pkg: "kernel/modules", stdOnly: true},
		{pkg: "kernel/workermain", forbidden: []string{zmq4Path, kernelPath + "/worker", kernelPath + "/wire", kernelPath + "/zmtp"}},
	}
	for _, tt := range tests {
		if !exists(t, tt.pkg) {
			continue
		}
		path := module + "/" + tt.pkg
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", path).Output()
		if err != nil {
			msg := err.Error()
			if ee, ok := err.(*exec.ExitError); ok {
				msg = string(ee.Stderr)
			}
			t.Errorf("go list -deps %s: %s", path, msg)
			continue
		}
		own := strings.TrimSuffix(path, "/...")
		var bad []string
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			dep, std, _ := strings.Cut(line, " ")
			if dep == own || strings.HasPrefix(dep, own+"/") && strings.HasSuffix(path, "/...") {
				continue // the package (or the packages of the pattern) itself
			}
			if tt.stdOnly && std != "true" {
				bad = append(bad, dep)
				continue
			}
			for _, f := range tt.forbidden {
				if dep == f || strings.HasPrefix(dep, f+"/") {
					bad = append(bad, dep)
					break
				}
			}
		}
		if len(bad) > 0 {
			sort.Strings(bad)
			t.Errorf("%s links %d forbidden packages:\n\t%s", tt.pkg, len(bad), strings.Join(bad, "\n\t"))
		}
	}
}

// exists reports whether pkg (a directory relative to the module root, or
// a pattern DIR/...) has Go files to build.
func exists(t *testing.T, pkg string) bool {
	t.Helper()
	dir := filepath.FromSlash(strings.TrimSuffix(pkg, "/..."))
	if strings.HasSuffix(pkg, "/...") {
		found := false
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && isSource(d.Name()) {
				found = true
				return filepath.SkipAll
			}
			return nil
		})
		return found
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if isSource(filepath.Base(n)) {
			return true
		}
	}
	return false
}

// isSource reports whether name is a non-test Go file.
func isSource(name string) bool {
	return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")
}
