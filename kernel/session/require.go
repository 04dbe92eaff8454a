package session

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// Modules makes packages that no table of the session has importable, by
// building a worker that has them compiled in (package kernel/modules,
// wired by kernel/workermain). The session stops the cell and asks the
// process that runs it (the kernel's worker supervisor, through
// TakeSwitch) to switch to that worker and run the cell again there.
type Modules interface {
	// Compiled returns the modules (module@version) compiled into this
	// worker besides the preloaded ones.
	Compiled() []string
	// CheckPin checks a %require argument (module@version): its syntax,
	// and that it does not change a preloaded module. It returns the pin
	// in canonical form.
	CheckPin(pin string) (string, error)
	// Worker returns the command line of a worker that has paths compiled
	// in besides this worker's packages, with the pins (module@version),
	// building it first if needed; progress goes to w.
	Worker(ctx context.Context, paths, pins []string, w io.Writer) ([]string, error)
}

// modState is the session's module state.
type modState struct {
	mu       sync.Mutex
	pins     []string // module@version, sorted by module
	switchTo []string // a worker to switch to after the cell, nil if none
}

func (m *modState) pinList() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.pins...)
}

func (m *modState) setPins(pins []string) {
	m.mu.Lock()
	m.pins = nil
	m.mu.Unlock()
	for _, p := range pins {
		m.pin(p)
	}
}

// pin records module@version, replacing a pin of the same module.
func (m *modState) pin(p string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	path, _, _ := strings.Cut(p, "@")
	out := m.pins[:0:0]
	for _, q := range m.pins {
		if qp, _, _ := strings.Cut(q, "@"); qp != path {
			out = append(out, q)
		}
	}
	out = append(out, p)
	sort.Strings(out)
	m.pins = out
}

// TakeSwitch returns the command line of the worker the last cell asked to
// switch to, and forgets it: the kernel's supervisor (through the worker
// agent) replaces this worker with it, replays the session and runs the
// cell again. nil when the cell asked for nothing.
func (s *Session) TakeSwitch() []string {
	s.mods.mu.Lock()
	defer s.mods.mu.Unlock()
	sw := s.mods.switchTo
	s.mods.switchTo = nil
	return sw
}

// errSwitch is the error of a cell stopped so that it runs again in
// another worker.
func switchError(what string) error {
	return &magicError{"WorkerSwitch", what + " is compiled into a new worker: the kernel switches to it, replays the session's declarations and runs the cell again there (the values of variables are lost, as after a restart)"}
}

// streamWriter to the cell's stderr for build progress.
type progressWriter struct{ c *cell }

func (w progressWriter) Write(b []byte) (int, error) {
	w.c.s.r.stream("stderr", string(b))
	return len(b), nil
}

// importModules asks for a worker with paths compiled in and arranges
// the switch to it.
func (c *cell) importModules(paths []string) error {
	m := c.s.opts.Modules
	if m == nil {
		return fmt.Errorf("%s: package %q is not available: this kernel preloads the standard library, gonum, gonum/plot, display, nb and trannsformer only", c.name, paths[0])
	}
	argv, err := m.Worker(c.ctx, paths, c.s.mods.pinList(), progressWriter{c})
	if err != nil {
		if c.ctx.Err() != nil {
			return c.ctx.Err()
		}
		return &magicError{"ImportError", fmt.Sprintf("import %s: %v", quoteList(paths), err)}
	}
	c.s.mods.mu.Lock()
	c.s.mods.switchTo = argv
	c.s.mods.mu.Unlock()
	return switchError("package " + quoteList(paths))
}

func quoteList(paths []string) string {
	q := make([]string, len(paths))
	for i, p := range paths {
		q[i] = fmt.Sprintf("%q", p)
	}
	return strings.Join(q, ", ")
}

// require runs %require.
func (c *cell) require(arg string) error {
	m := c.s.opts.Modules
	if arg == "" {
		c.s.r.stream("stdout", c.s.requireList())
		return nil
	}
	if m == nil {
		return &magicError{"UsageError", "%require: this session cannot build workers with more modules"}
	}
	var pins []string
	for _, a := range strings.Fields(arg) {
		p, err := m.CheckPin(a)
		if err != nil {
			return &magicError{"ModuleError", "%require: " + err.Error()}
		}
		pins = append(pins, p)
	}
	compiled := map[string]string{}
	for _, p := range m.Compiled() {
		path, v, _ := strings.Cut(p, "@")
		compiled[path] = v
	}
	rebuild := false
	for _, p := range pins {
		c.s.mods.pin(p)
		path, v, _ := strings.Cut(p, "@")
		if have, ok := compiled[path]; ok && have != v {
			rebuild = true
		}
	}
	if !rebuild {
		return nil
	}
	// this worker has another version compiled in: build one with the pin
	argv, err := m.Worker(c.ctx, nil, c.s.mods.pinList(), progressWriter{c})
	if err != nil {
		if c.ctx.Err() != nil {
			return c.ctx.Err()
		}
		return &magicError{"ModuleError", "%require: " + err.Error()}
	}
	c.s.mods.mu.Lock()
	c.s.mods.switchTo = argv
	c.s.mods.mu.Unlock()
	return switchError(strings.Join(pins, " "))
}

// requireList is %require's listing: one module@version per line, the
// pins, then the other modules compiled into the worker.
func (s *Session) requireList() string {
	var b strings.Builder
	pinned := map[string]bool{}
	for _, p := range s.mods.pinList() {
		path, _, _ := strings.Cut(p, "@")
		pinned[path] = true
		fmt.Fprintf(&b, "%s // pinned\n", p)
	}
	if s.opts.Modules != nil {
		for _, p := range s.opts.Modules.Compiled() {
			path, _, _ := strings.Cut(p, "@")
			if !pinned[path] {
				fmt.Fprintf(&b, "%s // resolved\n", p)
			}
		}
	}
	if b.Len() == 0 {
		return "no modules required: import a package to fetch its module, %require MODULE@VERSION to pin one\n"
	}
	return b.String()
}
