package notebooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxProblems bounds the problems a FormatError lists.
const maxProblems = 20

// MaxSize is the largest notebook Read and ReadFile accept, in bytes:
// 1 GiB, far above any notebook Jupyter opens. It keeps an endless input
// (a device, a pipe) from taking all memory.
const MaxSize = 1 << 30

// MaxDepth is the deepest nesting of JSON lists and objects Parse
// accepts. Python's json module, and so Jupyter, cannot read a notebook
// nested 1000 deep (its recursion limit), and the indentation of a
// written notebook grows with the depth: a deeper one would be a small
// file that writes as a huge one.
const MaxDepth = 1000

// ReadFile reads the notebook at path. A malformed notebook is a
// *FormatError naming the file; one larger than MaxSize is an error.
func ReadFile(path string) (*Notebook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > MaxSize {
		return nil, fmt.Errorf("%s: larger than %d MiB (%d bytes): not read", path, MaxSize>>20, fi.Size())
	}
	return Read(f, path)
}

// Read reads a notebook from r; name identifies it in errors. A malformed
// notebook is a *FormatError; one larger than MaxSize is an error.
func Read(r io.Reader, name string) (*Notebook, error) {
	return readLimited(r, name, MaxSize)
}

// readLimited reads a notebook of at most limit bytes from r.
func readLimited(r io.Reader, name string, limit int64) (*Notebook, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d MiB: not read", name, limit>>20)
	}
	return Parse(data, name)
}

// Parse parses an nbformat 4 notebook. Multi-line strings may be strings or
// lists of lines. A malformed notebook, also one nested deeper than
// MaxDepth, is a *FormatError.
func Parse(data []byte, name string) (*Notebook, error) {
	p := &nbReader{}
	nb := p.notebook(data)
	if len(p.problems) > 0 {
		return nil, &FormatError{File: name, Problems: p.problems}
	}
	return nb, nil
}

// nbReader collects the problems of one notebook.
type nbReader struct {
	problems []string
}

func (p *nbReader) fail(where, format string, args ...any) {
	if len(p.problems) == maxProblems {
		p.problems = append(p.problems, "... (more problems not shown)")
	}
	if len(p.problems) > maxProblems {
		return
	}
	msg := fmt.Sprintf(format, args...)
	if where != "" {
		msg = where + ": " + msg
	}
	p.problems = append(p.problems, msg)
}

func (p *nbReader) notebook(data []byte) *Notebook {
	if off := tooDeep(data, MaxDepth); off >= 0 {
		p.fail("", "lists and objects nested more than %d deep at %s", MaxDepth, position(data, off))
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var top any
	if err := dec.Decode(&top); err != nil {
		p.fail("", "%s", describeJSONError(err, data))
		return nil
	}
	if _, err := dec.Token(); err != io.EOF {
		p.fail("", "not valid JSON: data after the notebook's closing brace at %s", position(data, int(dec.InputOffset())))
		return nil
	}
	obj, ok := top.(map[string]any)
	if !ok {
		p.fail("", "the file holds a JSON %s, not an object", kind(top))
		return nil
	}
	nb := &Notebook{Extra: map[string]any{}}
	major, ok := p.integer("", obj, "nbformat", true)
	if !ok {
		return nil
	}
	if major != 4 {
		p.fail("", "nbformat %d is not supported: gotrann reads nbformat 4 (convert with: jupyter nbconvert --to notebook --nbformat 4)", major)
		return nil
	}
	nb.Format = major
	nb.FormatMinor, _ = p.integer("", obj, "nbformat_minor", true)
	nb.Metadata = p.object("", obj, "metadata")
	cells, present := obj["cells"]
	switch list, ok := cells.([]any); {
	case !present:
		p.fail("", `missing "cells"`)
	case !ok:
		p.fail("", `"cells" is a JSON %s, not a list`, kind(cells))
	default:
		nb.Cells = make([]*Cell, 0, len(list))
		for i, v := range list {
			if c := p.cell(i, v); c != nil {
				nb.Cells = append(nb.Cells, c)
			}
		}
	}
	for k, v := range obj {
		switch k {
		case "nbformat", "nbformat_minor", "metadata", "cells":
		default:
			nb.Extra[k] = v
		}
	}
	return nb
}

func (p *nbReader) cell(i int, v any) *Cell {
	where := fmt.Sprintf("cell %d (cells[%d])", i+1, i)
	obj, ok := v.(map[string]any)
	if !ok {
		p.fail(where, "a JSON %s, not an object", kind(v))
		return nil
	}
	c := &Cell{Extra: map[string]any{}}
	typ, present := obj["cell_type"]
	switch s, ok := typ.(string); {
	case !present:
		p.fail(where, `missing "cell_type"`)
	case !ok:
		p.fail(where, `"cell_type" is a JSON %s, not a string`, kind(typ))
	case s != Code && s != Markdown && s != Raw:
		p.fail(where, `unknown cell_type %q (want "code", "markdown" or "raw")`, s)
	default:
		c.Type = s
	}
	if id, present := obj["id"]; present {
		if s, ok := id.(string); ok {
			c.ID = s
		} else {
			p.fail(where, `"id" is a JSON %s, not a string`, kind(id))
		}
	}
	if src, present := obj["source"]; present {
		c.Source, _ = p.multiline(where, "source", src)
	} else {
		p.fail(where, `missing "source"`)
	}
	c.Metadata = p.object(where, obj, "metadata")
	known := map[string]bool{"cell_type": true, "id": true, "source": true, "metadata": true}
	if c.Type == Code {
		known["outputs"], known["execution_count"] = true, true
		c.ExecutionCount = p.count(where, obj)
		c.Outputs = []*Output{}
		if outs, present := obj["outputs"]; present {
			list, ok := outs.([]any)
			if !ok {
				p.fail(where, `"outputs" is a JSON %s, not a list`, kind(outs))
			}
			for j, o := range list {
				if out := p.output(fmt.Sprintf("%s: outputs[%d]", where, j), o); out != nil {
					c.Outputs = append(c.Outputs, out)
				}
			}
		}
	}
	for k, v := range obj {
		if !known[k] {
			c.Extra[k] = v
		}
	}
	return c
}

func (p *nbReader) output(where string, v any) *Output {
	obj, ok := v.(map[string]any)
	if !ok {
		p.fail(where, "a JSON %s, not an object", kind(v))
		return nil
	}
	o := &Output{Extra: map[string]any{}}
	typ, present := obj["output_type"]
	s, isString := typ.(string)
	switch {
	case !present:
		p.fail(where, `missing "output_type"`)
		return nil
	case !isString:
		p.fail(where, `"output_type" is a JSON %s, not a string`, kind(typ))
		return nil
	}
	o.Type = s
	known := map[string]bool{"output_type": true}
	switch s {
	case Stream:
		known["name"], known["text"] = true, true
		o.Name = p.str(where, obj, "name")
		if t, present := obj["text"]; present {
			o.Text, _ = p.multiline(where, "text", t)
		} else {
			p.fail(where, `missing "text"`)
		}
	case DisplayData, ExecuteResult:
		known["data"], known["metadata"] = true, true
		o.Data = map[string]any{}
		if d, present := obj["data"]; !present {
			p.fail(where, `missing "data"`)
		} else if data, ok := d.(map[string]any); !ok {
			p.fail(where, `"data" is a JSON %s, not an object`, kind(d))
		} else {
			for mime, val := range data {
				if !isJSONMime(mime) {
					if text, ok := joinLines(val); ok {
						val = text
					}
				}
				o.Data[mime] = val
			}
		}
		o.Metadata = p.object(where, obj, "metadata")
		if s == ExecuteResult {
			known["execution_count"] = true
			o.ExecutionCount = p.count(where, obj)
		}
	case Error:
		known["ename"], known["evalue"], known["traceback"] = true, true, true
		o.EName = p.str(where, obj, "ename")
		o.EValue = p.str(where, obj, "evalue")
		o.Traceback = []string{}
		tb, present := obj["traceback"]
		list, ok := tb.([]any)
		switch {
		case !present:
			p.fail(where, `missing "traceback"`)
		case !ok:
			p.fail(where, `"traceback" is a JSON %s, not a list of strings`, kind(tb))
		default:
			for k, line := range list {
				if l, ok := line.(string); ok {
					o.Traceback = append(o.Traceback, l)
				} else {
					p.fail(where, "traceback[%d] is a JSON %s, not a string", k, kind(line))
				}
			}
		}
	default:
		p.fail(where, `unknown output_type %q (want "stream", "display_data", "execute_result" or "error")`, s)
		return nil
	}
	for k, v := range obj {
		if !known[k] {
			o.Extra[k] = v
		}
	}
	return o
}

// integer reads a required or optional integer field.
func (p *nbReader) integer(where string, obj map[string]any, key string, required bool) (int, bool) {
	v, present := obj[key]
	if !present {
		if required {
			hint := ""
			if key == "nbformat" {
				hint = " (is this a Jupyter notebook?)"
			}
			p.fail(where, "missing %q%s", key, hint)
		}
		return 0, false
	}
	n, ok := v.(json.Number)
	if ok {
		if i, err := n.Int64(); err == nil {
			return int(i), true
		}
	}
	p.fail(where, "%q is %s, not an integer", key, describe(v))
	return 0, false
}

// count reads execution_count: null or an integer.
func (p *nbReader) count(where string, obj map[string]any) *int {
	v, present := obj["execution_count"]
	if !present || v == nil {
		return nil
	}
	n, ok := p.integer(where, obj, "execution_count", false)
	if !ok {
		return nil
	}
	return &n
}

// object reads an optional object field; absent means empty.
func (p *nbReader) object(where string, obj map[string]any, key string) map[string]any {
	v, present := obj[key]
	if !present {
		return map[string]any{}
	}
	m, ok := v.(map[string]any)
	if !ok {
		p.fail(where, "%q is a JSON %s, not an object", key, kind(v))
		return map[string]any{}
	}
	return m
}

// str reads a required string field.
func (p *nbReader) str(where string, obj map[string]any, key string) string {
	v, present := obj[key]
	if !present {
		p.fail(where, "missing %q", key)
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.fail(where, "%q is a JSON %s, not a string", key, kind(v))
	}
	return s
}

// multiline reads a multi-line string: a string or a list of strings.
func (p *nbReader) multiline(where, key string, v any) (string, bool) {
	if s, ok := joinLines(v); ok {
		return s, true
	}
	if list, ok := v.([]any); ok {
		for k, line := range list {
			if _, ok := line.(string); !ok {
				p.fail(where, "%s[%d] is a JSON %s, not a string", key, k, kind(line))
				return "", false
			}
		}
	}
	p.fail(where, "%q is a JSON %s, not a string or a list of strings", key, kind(v))
	return "", false
}

// joinLines joins a multi-line string stored as a string or a list of
// strings.
func joinLines(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case []any:
		var b strings.Builder
		for _, line := range v {
			s, ok := line.(string)
			if !ok {
				return "", false
			}
			b.WriteString(s)
		}
		return b.String(), true
	}
	return "", false
}

// kind names the JSON kind of a decoded value.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number, float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "list"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// describe shows a short decoded value with its kind, for messages.
func describe(v any) string {
	switch v := v.(type) {
	case json.Number:
		return "the number " + v.String()
	case string:
		if len(v) > 40 {
			v = v[:40] + "..."
		}
		return fmt.Sprintf("the string %q", v)
	}
	return "a JSON " + kind(v)
}

func describeJSONError(err error, data []byte) string {
	var syn *json.SyntaxError
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return "the file is empty"
	case errors.As(err, &syn):
		return fmt.Sprintf("not valid JSON: %v at %s", syn, position(data, max(0, int(syn.Offset)-1)))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "not valid JSON: unexpected end of file (truncated?)"
	}
	return "not valid JSON: " + err.Error()
}

// tooDeep returns the offset of the first '[' or '{' that opens a list
// or object nested more than limit deep, or -1. It scans the bytes as
// JSON without checking their syntax, skipping strings.
func tooDeep(data []byte, limit int) int {
	depth := 0
	inString, escaped := false, false
	for i, b := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case b == '\\':
				escaped = true
			case b == '"':
				inString = false
			}
		case b == '"':
			inString = true
		case b == '[' || b == '{':
			if depth++; depth > limit {
				return i
			}
		case b == ']' || b == '}':
			depth--
		}
	}
	return -1
}

// position turns a byte offset into "line L, column C".
func position(data []byte, off int) string {
	if off > len(data) {
		off = len(data)
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}
