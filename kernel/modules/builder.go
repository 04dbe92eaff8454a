package modules

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// ErrNoGo is returned by Build when no go command is on PATH.
var ErrNoGo = errors.New("importing a package that is not preloaded compiles it into a new worker, which needs the Go toolchain: install Go 1.24 or later (https://go.dev/dl/) and put its bin directory (the go command) on the kernel's PATH")

// Binary is the name of a built worker in its cache directory.
const Binary = "gotrann-worker"

// Built describes a worker binary: what it was built from and what it has
// compiled in. A Builder bakes it into the worker's main package.
type Built struct {
	Base Base
	// Preloaded are the modules whose versions no build may change
	// (module path -> version): those of the interpreter's preloaded
	// packages and the interpreter's own.
	Preloaded map[string]string
	// Packages are the import paths compiled in besides the preloaded
	// ones, sorted.
	Packages []string
	// Modules are the versions of the modules that provide Packages, and
	// of the pins the worker was built with, sorted by path.
	Modules []Pin
}

// Builder builds workers. Base, Preloaded, Packages and Modules describe
// the running worker: a build adds to its packages and keeps its modules'
// versions unless a pin says otherwise.
type Builder struct {
	Built
	// CacheDir holds the builds; "" means CacheDir().
	CacheDir string
	// Env is the go command's environment; nil means os.Environ().
	Env []string
	// Extract writes yaegi symbol tables for pkgs into the main package
	// in dir (package main, adding to a map named Symbols), running with
	// env in dir. Required.
	Extract func(ctx context.Context, dir string, env, pkgs []string) error
	// Progress receives what the build is doing; nil discards.
	Progress io.Writer
}

// Worker is a built worker binary.
type Worker struct {
	Binary string // absolute path
	Built  Built
	Cached bool // found in the cache: nothing was built
}

// ConflictError is a requested module or pin that needs a version of a
// preloaded module other than the kernel's.
type ConflictError struct {
	Module string // the preloaded module
	Have   string // the kernel's version
	Want   string // the version the request needs
	By     string // what needs it: module@version, or "%require"
}

func (e *ConflictError) Error() string {
	by := e.By
	if by == "%require" {
		return fmt.Sprintf("version conflict: %%require %s@%s, but this kernel preloads %s %s; the preloaded modules keep the kernel's versions (pin %s@%s or leave it unpinned)", e.Module, e.Want, e.Module, e.Have, e.Module, e.Have)
	}
	return fmt.Sprintf("version conflict: %s requires %s %s, but this kernel preloads %s %s; pin a version of %s that works with %s %s (%%require MODULE@VERSION)", by, e.Module, e.Want, e.Module, e.Have, modPath(by), e.Module, e.Have)
}

func modPath(modVer string) string { p, _, _ := strings.Cut(modVer, "@"); return p }

// CacheDir returns the default cache directory of built workers:
// $GOTRANN_CACHE, else the user's cache directory's gotrann/workers.
func CacheDir() (string, error) {
	if d := os.Getenv("GOTRANN_CACHE"); d != "" {
		return filepath.Join(d, "workers"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("modules: %w", err)
	}
	return filepath.Join(d, "gotrann", "workers"), nil
}

// CheckPin returns a ConflictError for a pin of a preloaded module at
// another version, and an error for a pin of gotrann itself.
func (b *Built) CheckPin(p Pin) error {
	if within(p.Path, Module) && (p.Path == Module) {
		return fmt.Errorf("%s is the kernel itself: it cannot be pinned", Module)
	}
	if have, ok := b.Preloaded[p.Path]; ok && have != p.Version {
		return &ConflictError{Module: p.Path, Have: have, Want: p.Version, By: "%require"}
	}
	return nil
}

// Key returns the cache key of a build of pkgs with pins.
func (b *Builder) Key(pkgs []string, pins []Pin) string {
	h := sha256.New()
	fmt.Fprintf(h, "gotrann worker 1\n%s\n", b.Base.ID)
	for _, p := range pkgs {
		fmt.Fprintf(h, "pkg %s\n", p)
	}
	for _, p := range pins {
		fmt.Fprintf(h, "pin %s\n", p)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

func (b *Builder) logf(format string, args ...any) {
	if b.Progress != nil {
		fmt.Fprintf(b.Progress, format+"\n", args...)
	}
}

// Build returns a worker that has pkgs and the running worker's packages
// compiled in, with pins (and the running worker's module versions unless
// a pin overrides them): the cached one, or one built now.
func (b *Builder) Build(ctx context.Context, pkgs []string, pins []Pin) (*Worker, error) {
	for _, p := range pkgs {
		if within(p, Module) {
			return nil, fmt.Errorf("package %q is part of gotrann but not preloaded into this kernel: internal, or missing from the symbol tables (go generate ./kernel/symbols)", p)
		}
	}
	all := unionSorted(b.Packages, pkgs)
	pins = mergePins(b.Modules, pins)
	for _, p := range pins {
		if err := b.CheckPin(p); err != nil {
			return nil, err
		}
	}
	cache := b.CacheDir
	if cache == "" {
		var err error
		if cache, err = CacheDir(); err != nil {
			return nil, err
		}
	}
	dir := filepath.Join(cache, b.Key(all, pins))
	bin := filepath.Join(dir, Binary)
	if _, err := os.Stat(bin); err == nil {
		built, err := readBuilt(dir)
		if err == nil {
			b.logf("using the cached worker with %s (%s)", strings.Join(all, ", "), dir)
			return &Worker{Binary: bin, Built: built, Cached: true}, nil
		}
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return nil, ErrNoGo
	}
	if b.Extract == nil {
		return nil, errors.New("modules: Builder.Extract is nil")
	}
	start := time.Now()
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return nil, fmt.Errorf("modules: %w", err)
	}
	tmp, err := os.MkdirTemp(cache, "build-")
	if err != nil {
		return nil, fmt.Errorf("modules: %w", err)
	}
	defer os.RemoveAll(tmp)
	env := b.goEnv()
	r := &runner{goCmd: goCmd, dir: tmp, env: env, progress: b.Progress}
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), b.goMod(), 0o644); err != nil {
		return nil, fmt.Errorf("modules: %w", err)
	}
	what := strings.Join(pkgs, ", ")
	if len(pkgs) == 0 {
		what = "the pinned modules"
	}
	b.logf("resolving %s with %s (GOPROXY=%s)", what, goCmd, lookup(env, "GOPROXY"))
	// go get the pins, and the packages neither a pin nor a preloaded
	// module provides (their latest version)
	args := []string{"get"}
	for _, p := range pins {
		args = append(args, p.String())
	}
	for _, p := range all {
		if !covered(p, pins) && !b.preloaded(p) {
			args = append(args, p)
		}
	}
	if len(args) > 1 {
		if _, err := r.run(ctx, true, args...); err != nil {
			return nil, err
		}
	}
	if err := b.checkVersions(ctx, r, pins); err != nil {
		return nil, err
	}
	mods, err := b.packageModules(ctx, r, all)
	if err != nil {
		return nil, err
	}
	for _, m := range mods {
		if !covered(m.Path, pins) {
			b.logf("resolved %s (%%require %s keeps this version)", m, m)
		}
	}
	built := Built{Base: b.Base, Preloaded: b.Preloaded, Packages: all, Modules: mergePins(pins, mods)}
	var names []string
	for _, m := range mods {
		names = append(names, m.String())
	}
	b.logf("building a worker with %s (a minute or so, once: later imports of these packages start it at once)", strings.Join(names, ", "))
	if err := b.Extract(ctx, tmp, env, all); err != nil {
		return nil, fmt.Errorf("writing the symbol tables: %w", err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "main.go"), mainSource(built), 0o644); err != nil {
		return nil, fmt.Errorf("modules: %w", err)
	}
	if err := writeBuilt(tmp, built); err != nil {
		return nil, err
	}
	if _, err := r.run(ctx, true, "build", "-o", Binary, "."); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		// another build of the same key won the race: use it
		if _, serr := os.Stat(bin); serr != nil {
			return nil, fmt.Errorf("modules: %w", err)
		}
	} else {
		// the deferred RemoveAll finds nothing left at tmp
		os.Chmod(dir, 0o755)
	}
	b.logf("built the worker in %.1fs", time.Since(start).Seconds())
	return &Worker{Binary: bin, Built: built}, nil
}

// goEnv returns the go command's environment: Env with -mod=mod added to
// GOFLAGS and workspaces off.
func (b *Builder) goEnv() []string {
	env := b.Env
	if env == nil {
		env = os.Environ()
	}
	var flags []string
	for _, f := range strings.Fields(lookup(env, "GOFLAGS")) {
		if !strings.HasPrefix(f, "-mod=") && !strings.HasPrefix(f, "--mod=") {
			flags = append(flags, f)
		}
	}
	flags = append(flags, "-mod=mod")
	env = setenv(env, "GOFLAGS", strings.Join(flags, " "))
	return setenv(env, "GOWORK", "off")
}

// goMod returns the generated module's go.mod before go get.
func (b *Builder) goMod() []byte {
	var buf bytes.Buffer
	buf.WriteString("module gotrann.local/worker\n\ngo 1.24\n\n")
	if b.Base.Dir != "" {
		fmt.Fprintf(&buf, "require %s v0.0.0-00010101000000-000000000000\n\nreplace %s => %s\n", Module, Module, quote(b.Base.Dir))
	} else {
		fmt.Fprintf(&buf, "require %s %s\n", Module, b.Base.Version)
	}
	return buf.Bytes()
}

func quote(s string) string {
	if strings.ContainsAny(s, " \t\"'`") {
		return fmt.Sprintf("%q", s)
	}
	return s
}

// preloaded reports whether pkg lies in a preloaded module or gotrann.
func (b *Builder) preloaded(pkg string) bool {
	if within(pkg, Module) {
		return true
	}
	for m := range b.Preloaded {
		if within(pkg, m) {
			return true
		}
	}
	return false
}

func covered(pkg string, pins []Pin) bool {
	for _, p := range pins {
		if within(pkg, p.Path) {
			return true
		}
	}
	return false
}

// checkVersions compares the build list with the preloaded modules.
func (b *Builder) checkVersions(ctx context.Context, r *runner, pins []Pin) error {
	out, err := r.run(ctx, false, "list", "-m", "-e", "-f", "{{.Path}} {{.Version}}", "all")
	if err != nil {
		return err
	}
	sel := map[string]string{}
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) == 2 {
			sel[f[0]] = f[1]
		}
	}
	var mods []string
	for m := range b.Preloaded {
		mods = append(mods, m)
	}
	sort.Strings(mods)
	for _, m := range mods {
		have := b.Preloaded[m]
		want, ok := sel[m]
		if !ok || want == have {
			continue
		}
		return &ConflictError{Module: m, Have: have, Want: want, By: b.requirer(ctx, r, m, want)}
	}
	for _, p := range pins {
		if got, ok := sel[p.Path]; ok && got != p.Version {
			return fmt.Errorf("%%require %s cannot be honoured: %s requires %s %s (pin that version, or one of %s that works with %s)", p, b.requirer(ctx, r, p.Path, got), p.Path, got, modPath(b.requirer(ctx, r, p.Path, got)), p.Version)
		}
	}
	return nil
}

// requirer returns a module of the graph that requires m@v, preferring
// one that gotrann does not.
func (b *Builder) requirer(ctx context.Context, r *runner, m, v string) string {
	out, err := r.run(ctx, false, "mod", "graph")
	if err != nil {
		return "a requested module"
	}
	found := ""
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if len(f) == 2 && f[1] == m+"@"+v {
			if !strings.HasPrefix(f[0], Module+"@") && !strings.HasPrefix(f[0], "gotrann.local/") {
				return f[0]
			}
			if found == "" {
				found = f[0]
			}
		}
	}
	if found == "" {
		return "a requested module"
	}
	return found
}

// packageModules checks that pkgs are importable packages and returns the
// modules that provide them, other than gotrann and the preloaded ones.
func (b *Builder) packageModules(ctx context.Context, r *runner, pkgs []string) ([]Pin, error) {
	args := append([]string{"list", "-e", "-f", "{{.ImportPath}}\t{{.Name}}\t{{with .Module}}{{.Path}}\t{{.Version}}{{end}}\t{{with .Error}}{{.Err}}{{end}}"}, pkgs...)
	out, err := r.run(ctx, false, args...)
	if err != nil {
		return nil, err
	}
	var mods []Pin
	var errs []string
	for _, l := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 5 {
			continue
		}
		switch {
		case f[4] != "":
			errs = append(errs, f[4])
		case f[1] == "main":
			errs = append(errs, fmt.Sprintf("%s is a program (package main), not an importable package", f[0]))
		case f[2] == "":
			errs = append(errs, fmt.Sprintf("%s: no module provides it", f[0]))
		case f[2] == Module:
		default:
			if _, ok := b.Preloaded[f[2]]; !ok {
				mods = append(mods, Pin{f[2], f[3]})
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return mergePins(mods), nil
}

// runner runs the go command in the build directory.
type runner struct {
	goCmd    string
	dir      string
	env      []string
	progress io.Writer
}

// run runs go args; with show, its stderr goes to the progress writer as
// it comes (go get's "downloading" lines). Its stdout is returned; a
// failure's error carries its stderr.
func (r *runner) run(ctx context.Context, show bool, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, r.goCmd, args...)
	cmd.Dir, cmd.Env = r.dir, r.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	var pw *io.PipeWriter
	done := make(chan struct{})
	if show && r.progress != nil {
		var pr *io.PipeReader
		pr, pw = io.Pipe()
		cmd.Stderr = io.MultiWriter(&stderr, pw)
		go func() {
			defer close(done)
			sc := bufio.NewScanner(pr)
			for sc.Scan() {
				fmt.Fprintln(r.progress, sc.Text())
			}
			io.Copy(io.Discard, pr)
		}()
	} else {
		cmd.Stderr = &stderr
		close(done)
	}
	err := cmd.Run()
	if pw != nil {
		pw.Close()
	}
	<-done
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 8<<10 {
			msg = msg[:8<<10] + "\n..."
		}
		return nil, fmt.Errorf("go %s: %w\n%s", args[0], err, msg)
	}
	return stdout.Bytes(), nil
}

func lookup(env []string, name string) string {
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == name {
			v = val
		}
	}
	return v
}

func setenv(env []string, name, value string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k != name {
			out = append(out, kv)
		}
	}
	return append(out, name+"="+value)
}

func unionSorted(a, b []string) []string {
	m := map[string]bool{}
	for _, s := range append(append([]string(nil), a...), b...) {
		m[s] = true
	}
	out := make([]string, 0, len(m))
	for s := range m {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
