package notebooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Marshal encodes nb as Jupyter writes it: keys sorted, one-space
// indentation, no HTML escaping, multi-line strings (sources, stream texts,
// text/* data, SVG, JavaScript) as lists of lines, and a trailing newline.
// It does not change nb; call Normalize first for nbformat 4.5 cell ids.
func Marshal(nb *Notebook) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(pyNumbers(nb.tree())); err != nil {
		return nil, fmt.Errorf("encoding notebook: %w", err)
	}
	return buf.Bytes(), nil
}

// Write writes nb to w as Marshal encodes it.
func Write(w io.Writer, nb *Notebook) error {
	data, err := Marshal(nb)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// WriteFile writes nb to path atomically: to a temporary file in the same
// directory (".NAME.tmp-DIGITS"), synced, then renamed over path. On any
// failure path is left as it was and the temporary file is removed. An
// existing file keeps its permissions; a new one gets 0644. A symbolic
// link is followed: its target is replaced.
//
// A write that was killed (SIGKILL, a power cut) leaves its temporary
// file behind; WriteFile removes such files of path before it writes.
// A temporary file that another write is still filling is locked (on
// Linux, macOS and the BSDs) and kept.
func WriteFile(path string, nb *Notebook) error {
	data, err := Marshal(nb)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeFileAtomic writes path through write, atomically.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real // replace a symlink's target, not the link
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("writing %s: not a regular file", path)
		}
		mode = fi.Mode().Perm()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	removeStaleTemps(dir, base)
	f, tmp, err := createTemp(dir, base)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			err = fmt.Errorf("writing %s: %w", path, err)
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Chmod(mode); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// tempPrefix is the start of the names of the temporary files of base.
// os.CreateTemp replaces the "*" after it by decimal digits.
func tempPrefix(base string) string { return "." + base + ".tmp-" }

// createTemp creates and locks a temporary file for base in dir. It
// retries when a concurrent removeStaleTemps removed the file between its
// creation and its lock.
func createTemp(dir, base string) (*os.File, string, error) {
	for try := 0; ; try++ {
		f, err := os.CreateTemp(dir, tempPrefix(base)+"*")
		if err != nil {
			return nil, "", err
		}
		// A file system without locks (some network ones) leaves the
		// file unprotected against a concurrent write's clean-up, as it
		// would be without this lock: not a reason to fail.
		_ = lockTemp(f)
		held, err1 := f.Stat()
		named, err2 := os.Stat(f.Name())
		if err1 == nil && err2 == nil && os.SameFile(held, named) {
			return f, f.Name(), nil
		}
		f.Close()
		if try == 10 {
			return nil, "", fmt.Errorf("creating a temporary file: %s keeps disappearing", f.Name())
		}
	}
}

// removeStaleTemps removes the temporary files of base in dir that a
// killed write left: regular files named tempPrefix(base) and digits that
// no write in progress holds locked. Errors are ignored: a file that
// stays is removed the next time.
func removeStaleTemps(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := tempPrefix(base)
	for _, e := range entries {
		name := e.Name()
		digits, ok := strings.CutPrefix(name, prefix)
		if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" || !e.Type().IsRegular() {
			continue
		}
		p := filepath.Join(dir, name)
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		if !lockedByOther(f) {
			os.Remove(p)
		}
		f.Close()
	}
}

// tree turns nb into the generic JSON tree that is encoded.
func (nb *Notebook) tree() map[string]any {
	m := copyMap(nb.Extra)
	m["nbformat"] = nb.Format
	m["nbformat_minor"] = nb.FormatMinor
	m["metadata"] = orEmpty(nb.Metadata)
	cells := make([]any, len(nb.Cells))
	for i, c := range nb.Cells {
		cells[i] = c.tree()
	}
	m["cells"] = cells
	return m
}

func (c *Cell) tree() map[string]any {
	m := copyMap(c.Extra)
	m["cell_type"] = c.Type
	if c.ID != "" {
		m["id"] = c.ID
	}
	m["metadata"] = orEmpty(c.Metadata)
	m["source"] = splitLines(c.Source)
	if c.Type == Code {
		m["execution_count"] = countValue(c.ExecutionCount)
		outs := make([]any, len(c.Outputs))
		for i, o := range c.Outputs {
			outs[i] = o.tree()
		}
		m["outputs"] = outs
	}
	return m
}

func (o *Output) tree() map[string]any {
	m := copyMap(o.Extra)
	m["output_type"] = o.Type
	switch o.Type {
	case Stream:
		m["name"] = o.Name
		m["text"] = splitLines(o.Text)
	case DisplayData, ExecuteResult:
		data := make(map[string]any, len(o.Data))
		for mime, v := range o.Data {
			if s, ok := v.(string); ok && splitMime(mime) {
				data[mime] = splitLines(s)
			} else {
				data[mime] = v
			}
		}
		m["data"] = data
		m["metadata"] = orEmpty(o.Metadata)
		if o.Type == ExecuteResult {
			m["execution_count"] = countValue(o.ExecutionCount)
		}
	case Error:
		m["ename"] = o.EName
		m["evalue"] = o.EValue
		tb := o.Traceback
		if tb == nil {
			tb = []string{}
		}
		m["traceback"] = tb
	}
	return m
}

// splitLines splits s after each "\n", as Python's splitlines(True) does
// for "\n"-terminated text; "" gives an empty list.
func splitLines(s string) []string {
	lines := []string{}
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i+1])
		s = s[i+1:]
	}
	return lines
}

func countValue(n *int) any {
	if n == nil {
		return nil
	}
	return *n
}

func copyMap(m map[string]any) map[string]any {
	c := make(map[string]any, len(m)+4)
	for k, v := range m {
		c[k] = v
	}
	return c
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// pyNumbers returns v with every non-integer json.Number rewritten the way
// Python's json module writes a float (repr: "2.5", "100.0", "1e-07"), so
// that Jupyter writes the notebook back unchanged. Integers keep their
// text. Maps and slices are copied; v is not changed.
func pyNumbers(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = pyNumbers(x)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, x := range v {
			l[i] = pyNumbers(x)
		}
		return l
	case json.Number:
		if !strings.ContainsAny(string(v), ".eE") {
			return v
		}
		f, err := v.Float64()
		if err != nil {
			return v
		}
		return json.Number(pyFloat(f))
	}
	return v
}

// pyFloat formats f as Python's repr does.
func pyFloat(f float64) string {
	if f == 0 {
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(s[strings.IndexByte(s, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return s
	}
	s = strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
