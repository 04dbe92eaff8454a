package workermain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"github.com/traefik/yaegi/extract"
	"github.com/traefik/yaegi/interp"

	"github.com/trannsformer/gotrann/kernel/agent"
	"github.com/trannsformer/gotrann/kernel/godoc"
	"github.com/trannsformer/gotrann/kernel/modules"
	"github.com/trannsformer/gotrann/kernel/session"
	"github.com/trannsformer/gotrann/kernel/symbols"
)

// Config configures Main. The zero value is the gotrann binary's own
// worker.
type Config struct {
	// Packages are symbol tables compiled in besides kernel/symbols.
	Packages interp.Exports
	// Built describes a generated worker (nil for the gotrann binary).
	Built *modules.Built
	// Self is the command line that runs this program's worker command
	// (extract is appended); nil means the executable and "worker".
	Self []string
	// CacheDir is where workers are built; "" means modules.CacheDir().
	CacheDir string
}

// Main runs the worker command with its arguments (after "worker").
func Main(ctx context.Context, args []string, cfg Config) error {
	if len(args) > 0 && args[0] == "extract" {
		return Extract(".", args[1:])
	}
	if len(args) != 0 {
		return fmt.Errorf("worker takes no arguments (it is started by the kernel)")
	}
	if err := agent.Setup(); err != nil {
		return err
	}
	sess, err := NewSession(cfg, os.Stdout, os.Stderr)
	if err != nil {
		return err
	}
	defer sess.Close()
	return agent.Run(context.WithoutCancel(ctx), sess)
}

// NewSession makes the worker's Go session writing to stdout and stderr,
// with the preloaded tables, cfg's and a module builder.
func NewSession(cfg Config, stdout, stderr *os.File) (*session.Session, error) {
	pkgs := symbols.Symbols
	if len(cfg.Packages) > 0 {
		pkgs = interp.Exports{}
		for k, v := range symbols.Symbols {
			pkgs[k] = v
		}
		for k, v := range cfg.Packages {
			pkgs[k] = v
		}
	}
	return session.New(session.Options{Stdout: stdout, Stderr: stderr, Packages: pkgs, Docs: godoc.Docs{}, Modules: &Modules{cfg: cfg}})
}

// Modules is the session's access to kernel/modules: it builds workers
// with more packages.
type Modules struct {
	cfg   Config
	once  sync.Once
	built modules.Built
	err   error
}

var _ session.Modules = (*Modules)(nil)

// current returns what this worker was built from.
func (m *Modules) current() (modules.Built, error) {
	m.once.Do(func() {
		if m.cfg.Built != nil {
			m.built = *m.cfg.Built
			return
		}
		base, err := modules.FindBase()
		if err != nil {
			m.err = err
			return
		}
		deps := BuildDeps()
		if len(deps) == 0 && base.Dir != "" {
			// a test binary records no dependencies: the source's go.mod
			// has the versions it was built with
			deps = goModRequires(filepath.Join(base.Dir, "go.mod"))
		}
		m.built = modules.Built{Base: base, Preloaded: Preloaded(symbols.Symbols, deps)}
	})
	return m.built, m.err
}

// Compiled returns the modules compiled in besides the preloaded ones.
func (m *Modules) Compiled() []string {
	if m.cfg.Built == nil {
		return nil
	}
	var out []string
	for _, p := range m.cfg.Built.Modules {
		out = append(out, p.String())
	}
	return out
}

// CheckPin checks a %require argument.
func (m *Modules) CheckPin(pin string) (string, error) {
	p, err := modules.ParsePin(pin)
	if err != nil {
		return "", err
	}
	if m.cfg.Built != nil {
		for _, c := range m.cfg.Built.Modules {
			if c.Path == p.Path && c.Version == p.Version {
				return p.String(), nil
			}
		}
	}
	b, err := m.current()
	if err != nil {
		// without a base the pin is only recorded; an import reports it
		b = modules.Built{Preloaded: Preloaded(symbols.Symbols, BuildDeps())}
	}
	if err := b.CheckPin(p); err != nil {
		return "", err
	}
	return p.String(), nil
}

// Worker returns the command line of a worker that has paths compiled in
// besides this one's packages, honouring pins; w receives progress.
func (m *Modules) Worker(ctx context.Context, paths, pins []string, w io.Writer) ([]string, error) {
	built, err := m.current()
	if err != nil {
		return nil, err
	}
	var ps []modules.Pin
	for _, s := range pins {
		p, err := modules.ParsePin(s)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	self, err := m.self()
	if err != nil {
		return nil, err
	}
	b := &modules.Builder{Built: built, CacheDir: m.cfg.CacheDir, Progress: w,
		Extract: func(ctx context.Context, dir string, env, pkgs []string) error {
			return runExtract(ctx, self, dir, env, pkgs)
		}}
	wk, err := b.Build(ctx, paths, ps)
	if err != nil {
		return nil, err
	}
	if exe, err := os.Executable(); err == nil && sameFile(exe, wk.Binary) {
		return nil, fmt.Errorf("this worker was built with %s but cannot import it", strings.Join(paths, ", "))
	}
	return []string{wk.Binary, "worker"}, nil
}

func (m *Modules) self() ([]string, error) {
	if len(m.cfg.Self) > 0 {
		return m.cfg.Self, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return []string{exe, "worker"}, nil
}

func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// runExtract runs "self extract pkgs..." in dir.
func runExtract(ctx context.Context, self []string, dir string, env, pkgs []string) error {
	args := append(append(append([]string(nil), self[1:]...), "extract"), pkgs...)
	cmd := exec.CommandContext(ctx, self[0], args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w\n%s", err, strings.TrimSpace(out.String()))
	}
	return nil
}

// Extract writes a yaegi symbol table for each of pkgs into dir, as files
// symbols_*.go of package main that add to its map Symbols. It runs in the
// build directory, whose go.mod resolves pkgs.
func Extract(dir string, pkgs []string) error {
	if len(pkgs) == 0 {
		return errors.New("extract: no packages")
	}
	ext := extract.Extractor{Dest: "main"}
	repl := strings.NewReplacer("/", "_", ".", "_", "-", "_", "~", "_")
	var errs []error
	for _, p := range pkgs {
		var buf bytes.Buffer
		if _, err := ext.Extract(p, "", &buf); err != nil {
			errs = append(errs, fmt.Errorf("extract %s: %w", p, err))
			continue
		}
		name := filepath.Join(dir, "symbols_"+repl.Replace(p)+".go")
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// BuildDeps returns the modules linked into the running binary (path ->
// version), from its build information.
func BuildDeps() map[string]string {
	deps := map[string]string{}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return deps
	}
	for _, d := range bi.Deps {
		v := d.Version
		if d.Replace != nil {
			v = d.Replace.Version
		}
		if v != "" && v != "(devel)" {
			deps[d.Path] = v
		}
	}
	return deps
}

// goModRequires returns the requirements of a go.mod file.
func goModRequires(file string) map[string]string {
	deps := map[string]string{}
	b, err := os.ReadFile(file)
	if err != nil {
		return deps
	}
	block := false
	for _, l := range strings.Split(string(b), "\n") {
		if i := strings.Index(l, "//"); i >= 0 {
			l = l[:i]
		}
		f := strings.Fields(l)
		switch {
		case len(f) == 0:
		case f[0] == "require" && len(f) >= 2 && f[1] == "(":
			block = true
		case block && f[0] == ")":
			block = false
		case block && len(f) == 2:
			deps[f[0]] = f[1]
		case f[0] == "require" && len(f) == 3:
			deps[f[1]] = f[2]
		}
	}
	return deps
}

// Preloaded returns the modules of deps (path -> version) that provide
// the packages of tables, and yaegi's: the versions no build may change.
func Preloaded(tables interp.Exports, deps map[string]string) map[string]string {
	var mods []string
	for m := range deps {
		mods = append(mods, m)
	}
	sort.Slice(mods, func(i, j int) bool { return len(mods[i]) > len(mods[j]) }) // longest first
	out := map[string]string{}
	if v, ok := deps["github.com/traefik/yaegi"]; ok {
		out["github.com/traefik/yaegi"] = v
	}
	for key := range tables {
		path := key
		if i := strings.LastIndex(key, "/"); i >= 0 {
			path = key[:i]
		}
		for _, m := range mods {
			if path == m || strings.HasPrefix(path, m+"/") {
				out[m] = deps[m]
				break
			}
		}
	}
	return out
}
