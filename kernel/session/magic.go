package session

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/trannsformer/gotrann/internal/cellsplit"
	"github.com/trannsformer/gotrann/notebooks/export/exportrt"
)

// Magics: IPython- and GoNB-style commands handled before the Go code of a
// cell (the rules are in doc.go).

// magicInfo is one magic and its one-line help.
type magicInfo struct{ name, usage, help string }

var lineMagics = []magicInfo{
	{"%help", "%help", "list the magics"},
	{"%time", "%time STATEMENT", "run one Go statement and print its CPU and wall time"},
	{"%who", "%who", "list the session's variables with their types"},
	{"%reset", "%reset", "start a fresh session: every declaration, import and variable is gone"},
	{"%env", "%env [NAME[=value]]", "set an environment variable for cells and child processes, print one, or list all"},
	{"%cd", "%cd [DIR]", "change the working directory (home without DIR) and print it"},
	{"%require", "%require [MODULE@VERSION ...]", "pin module versions for imports (saved in the session); without arguments list the session's modules"},
	{"!", "!COMMAND", "run COMMAND with /bin/sh -c, its output streamed; a non-zero exit status is an error"},
}

var cellMagics = []magicInfo{
	{"%%time", "%%time", "run the rest of the cell and print its CPU and wall time"},
	{"%%writefile", "%%writefile [-a] NAME", "write (or with -a append) the rest of the cell to the file NAME"},
	{"%%bash", "%%bash", "run the rest of the cell with bash, its output streamed"},
}

// magicList lists the magics for error messages.
func magicList() string {
	var names []string
	for _, m := range append(append([]magicInfo(nil), lineMagics...), cellMagics...) {
		names = append(names, m.name)
	}
	return strings.Join(names, " ")
}

func helpText() string {
	var b strings.Builder
	b.WriteString("Magics (line magics come first in a cell, before its Go code; a cell magic is the cell's first line):\n")
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, m := range lineMagics {
		fmt.Fprintf(tw, "  %s\t%s\n", m.usage, m.help)
	}
	for _, m := range cellMagics {
		fmt.Fprintf(tw, "  %s\t%s\n", m.usage, m.help)
	}
	tw.Flush()
	b.WriteString("Also: ?NAME or NAME? shows the documentation of NAME.\n")
	return b.String()
}

// magicError is a failed magic: its ename is Name.
type magicError struct {
	name string
	msg  string
}

func (e *magicError) Error() string { return e.msg }

// isMagicLine reports whether a line is a line magic or shell command.
var isMagicLine = cellsplit.IsMagicLine

// isMagicCell reports whether code starts with magics (for is_complete).
func isMagicCell(code string) bool {
	for _, l := range strings.Split(code, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		return isMagicLine(l)
	}
	return false
}

// blank replaces every character of the first n lines of code but
// newlines by nothing, keeping line numbers.
func blankLines(lines []string, n int) string {
	return strings.Repeat("\n", n) + strings.Join(lines[n:], "\n")
}

// execMagics runs the cell's magics, then its Go code.
func (c *cell) execMagics() (v any, has bool, err error) {
	lines := strings.Split(c.code, "\n")
	first := 0
	for first < len(lines) && strings.TrimSpace(lines[first]) == "" {
		first++
	}
	if first < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[first]), "%%") {
		return c.cellMagic(lines, first)
	}
	i := first
	done := 0 // lines up to the last magic line run
	for ; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "//") {
			continue
		}
		if !isMagicLine(l) {
			break
		}
		done = i + 1
		if strings.HasPrefix(l, "%time ") || l == "%time" {
			stmt := strings.TrimSpace(strings.TrimPrefix(l, "%time"))
			if stmt == "" {
				return nil, false, &magicError{"UsageError", "%time needs a statement: %time STATEMENT"}
			}
			// the statement keeps its line and column
			pad := strings.Index(lines[i], "%time") + len("%time")
			code := strings.Repeat("\n", i) + strings.Repeat(" ", pad) + lines[i][pad:]
			rest := strings.TrimSpace(strings.Join(lines[i+1:], "\n")) != ""
			v, has, err = c.timed(func() (any, bool, error) { return c.runGo(code, !rest) })
			if err != nil {
				return nil, false, err
			}
			if !rest {
				return v, has, nil
			}
			continue
		}
		if err := c.lineMagic(l); err != nil {
			return nil, false, err
		}
	}
	if done == 0 {
		return c.exec()
	}
	if i >= len(lines) {
		return nil, false, nil
	}
	return c.runGo(blankLines(lines, done), true)
}

// runGo runs Go code (the cell's own with magic lines blanked).
func (c *cell) runGo(code string, wantValue bool) (any, bool, error) {
	if strings.TrimSpace(code) == "" {
		return nil, false, nil
	}
	old, oldSilent := c.code, c.silent
	c.code = code
	if !wantValue {
		c.silent = true
	}
	defer func() { c.code, c.silent = old, oldSilent }()
	return c.exec()
}

// cellMagic runs a cell whose first line is lines[first], a cell magic.
func (c *cell) cellMagic(lines []string, first int) (any, bool, error) {
	name, arg, _ := strings.Cut(strings.TrimSpace(lines[first]), " ")
	arg = strings.TrimSpace(arg)
	body := strings.Join(lines[first+1:], "\n")
	switch name {
	case "%%time":
		return c.timed(func() (any, bool, error) {
			sub := *c
			sub.code = blankLines(lines, first+1)
			v, has, err := sub.execMagics()
			c.notes = sub.notes
			c.mainBody, c.mainPos = sub.mainBody, sub.mainPos
			return v, has, err
		})
	case "%%writefile":
		appendTo := false
		if rest, ok := strings.CutPrefix(arg, "-a "); ok {
			appendTo, arg = true, strings.TrimSpace(rest)
		}
		if arg == "" {
			return nil, false, &magicError{"UsageError", "%%writefile needs a file name: %%writefile NAME"}
		}
		return nil, false, c.writeFile(arg, body, appendTo)
	case "%%bash":
		return nil, false, c.shell(context.Background(), "bash", []string{"-c", body}, "%%bash")
	case "%%sh":
		return nil, false, c.shell(context.Background(), "/bin/sh", []string{"-c", body}, "%%sh")
	}
	return nil, false, &magicError{"UsageError", fmt.Sprintf("unknown cell magic %s; the magics are: %s (%%help explains them)", name, magicList())}
}

// lineMagic runs one line magic or shell command.
func (c *cell) lineMagic(l string) error {
	if cmd, ok := strings.CutPrefix(l, "!"); ok {
		return c.shell(context.Background(), "/bin/sh", []string{"-c", cmd}, "!"+strings.TrimSpace(cmd))
	}
	name, arg, _ := strings.Cut(l, " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case "%help", "%lsmagic":
		c.s.r.stream("stdout", helpText())
	case "%who":
		c.s.r.stream("stdout", c.s.who())
	case "%reset":
		if err := c.s.reset(); err != nil {
			return err
		}
		c.note("note: the session was reset: every declaration, import and variable is gone")
	case "%env":
		return c.env(arg)
	case "%require":
		return c.require(arg)
	case "%cd":
		dir := arg
		if dir == "" {
			h, err := os.UserHomeDir()
			if err != nil {
				return &magicError{"UsageError", "%cd: " + err.Error()}
			}
			dir = h
		}
		if strings.HasPrefix(dir, "~/") {
			if h, err := os.UserHomeDir(); err == nil {
				dir = filepath.Join(h, dir[2:])
			}
		}
		if err := os.Chdir(dir); err != nil {
			return &magicError{"UsageError", "%cd: " + err.Error()}
		}
		wd, _ := os.Getwd()
		c.s.r.stream("stdout", wd+"\n")
	default:
		return &magicError{"UsageError", fmt.Sprintf("unknown magic %s; the magics are: %s (%%help explains them)", name, magicList())}
	}
	return nil
}

// env runs %env.
func (c *cell) env(arg string) error {
	if arg == "" {
		env := os.Environ()
		sort.Strings(env)
		c.s.r.stream("stdout", strings.Join(env, "\n")+"\n")
		return nil
	}
	name, val, set := strings.Cut(arg, "=")
	if !set {
		// IPython also accepts %env NAME value
		if n, v, ok := strings.Cut(arg, " "); ok {
			name, val, set = n, strings.TrimSpace(v), true
		}
	}
	name = strings.TrimSpace(name)
	if name == "" || strings.ContainsAny(name, " \t") {
		return &magicError{"UsageError", "%env: bad variable name " + fmt.Sprintf("%q", name)}
	}
	if !set {
		v, ok := os.LookupEnv(name)
		if !ok {
			return &magicError{"KeyError", "%env: " + name + " is not set"}
		}
		c.s.r.stream("stdout", v+"\n")
		return nil
	}
	val = strings.TrimSpace(val)
	if err := os.Setenv(name, val); err != nil {
		return &magicError{"UsageError", "%env: " + err.Error()}
	}
	c.s.setEnv(name, val)
	c.s.r.stream("stdout", "env: "+name+"="+val+"\n")
	return nil
}

// setEnv sets a variable in the environment cells see (the interpreter's
// own copy) and in Options.Env for later interpreters.
func (s *Session) setEnv(name, val string) {
	if s.opts.Env != nil {
		env := s.opts.Env[:0:0]
		for _, kv := range s.opts.Env {
			if !strings.HasPrefix(kv, name+"=") {
				env = append(env, kv)
			}
		}
		s.opts.Env = append(env, name+"="+val)
	}
	if f, ok := s.in.Symbols("os")["os"]["Setenv"]; ok && f.Kind() == reflect.Func {
		if set, ok := f.Interface().(func(string, string) error); ok {
			_ = set(name, val)
		}
	}
}

// writeFile runs %%writefile.
func (c *cell) writeFile(name, body string, appendTo bool) error {
	_, statErr := os.Stat(name)
	exists := statErr == nil
	flag := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if appendTo {
		flag = os.O_CREATE | os.O_WRONLY | os.O_APPEND
	}
	f, err := os.OpenFile(name, flag, 0o644)
	if err != nil {
		return &magicError{"OSError", "%%writefile: " + err.Error()}
	}
	if body != "" && !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	_, err = f.WriteString(body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return &magicError{"OSError", "%%writefile: " + err.Error()}
	}
	switch {
	case appendTo && exists:
		c.s.r.stream("stdout", "Appending to "+name+"\n")
	case exists:
		c.s.r.stream("stdout", "Overwriting "+name+"\n")
	default:
		c.s.r.stream("stdout", "Writing "+name+"\n")
	}
	return nil
}

// streamTo sends what a child process writes to a stream of the cell.
type streamTo struct {
	s    *Session
	name string
}

func (w streamTo) Write(p []byte) (int, error) {
	w.s.r.stream(w.name, string(p))
	return len(p), nil
}

// shell runs a command with its output streamed to the cell; interrupting
// the cell kills its process group.
func (c *cell) shell(_ context.Context, prog string, args []string, what string) error {
	cmd := exec.CommandContext(c.ctx, prog, args...)
	cmd.Stdout = streamTo{c.s, "stdout"}
	cmd.Stderr = streamTo{c.s, "stderr"}
	setProcessGroup(cmd)
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if c.ctx.Err() != nil {
		return c.ctx.Err()
	}
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return &magicError{"ShellError", fmt.Sprintf("%s: exit status %d", what, ee.ExitCode())}
		}
		return &magicError{"ShellError", fmt.Sprintf("%s: %v", what, err)}
	}
	return nil
}

// timed runs f and prints its CPU and wall time as IPython does.
func (c *cell) timed(f func() (any, bool, error)) (any, bool, error) {
	u0, s0 := cpuTimes()
	t0 := time.Now()
	v, has, err := f()
	wall := time.Since(t0)
	u1, s1 := cpuTimes()
	c.s.flush()
	if err == nil || !errors.Is(err, context.Canceled) {
		c.s.r.stream("stdout", fmt.Sprintf("CPU times: user %s, sys %s, total %s\nWall time: %s\n",
			fmtDuration(u1-u0), fmtDuration(s1-s0), fmtDuration(u1-u0+s1-s0), fmtDuration(wall)))
	}
	return v, has, err
}

// fmtDuration writes d as %time does in an exported program (and as
// IPython does): three significant digits, ns, µs, ms or s.
var fmtDuration = exportrt.FormatDuration

// who lists the session's variables with their types.
func (s *Session) who() string {
	g := safeGlobals(s.in)
	var names []string
	for n, v := range g {
		if strings.HasPrefix(n, "_gotrann") || n == "_" || !v.IsValid() || !v.CanAddr() {
			continue
		}
		if e := s.store.owner(n); e != nil && e.kind.String() != "var" {
			continue
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		return "Interactive namespace is empty.\n"
	}
	sort.Strings(names)
	var extra []importSpec
	sn := s.snapshot(false)
	tw := &typeWriter{names: sn.typeNames, pkg: s.qualifier(&extra)}
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "Variable\tType\tData/Info")
	fmt.Fprintln(w, "--------\t----\t---------")
	for _, n := range names {
		v := g[n]
		t := s.varType(n, v.Type(), s.store.owner(n), tw)
		if t == "" {
			t = v.Type().String()
		}
		info := ""
		if v.CanInterface() {
			info = sprintShort(v.Interface())
			if len(info) > 60 {
				info = info[:60] + "…"
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", n, t, info)
	}
	w.Flush()
	return b.String()
}

// reset makes the session fresh: a new interpreter, no declarations, no
// imports, no variables.
func (s *Session) reset() error {
	in, err := s.newInterp()
	if err != nil {
		return err
	}
	s.state.Lock()
	s.in = in
	s.store = newStore()
	s.imports = nil
	s.imported = s.baseImports()
	s.hints = map[string]string{}
	s.lastVars = nil
	s.state.Unlock()
	s.snap = s.takeSnapshot()
	return nil
}
