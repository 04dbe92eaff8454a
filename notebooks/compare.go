package notebooks

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Difference is one way in which the outputs of two notebooks differ, as
// CompareOutputs reports it.
type Difference struct {
	// Cell is the index of the cell in Cells (0-based; messages number
	// cells from 1); -1 for the notebook as a whole (the number of cells,
	// the saved widget state).
	Cell int
	// CellID is the cell's id in the first notebook ("" for Cell -1).
	CellID string
	// Output is the index of the output in the cell's outputs; -1 for the
	// cell itself (its type, id, execution count, number of outputs).
	Output int
	// What names what differs: "cells", "cell_type", "id",
	// "execution_count", "outputs", "output_type", "name", "text", a MIME
	// type ("text/plain", "image/png", ...), "metadata", "ename",
	// "evalue", "traceback", "extra" or "metadata.widgets".
	What string
	// Line is the first line that differs (1-based), for text; 0 for the
	// rest.
	Line int
	// Offset is the first byte that differs in decoded binary data
	// (image/png, ...), -1 for the rest.
	Offset int
	// Want and Got are short excerpts of the first and the second
	// notebook at the difference.
	Want, Got string
}

// String describes d on one line, e.g.
//
//	cell 15 (id 3f2a9c1e), output 1, text/plain: line 1: want "50/50", got "49/50"
func (d Difference) String() string {
	var sb strings.Builder
	if d.Cell < 0 {
		sb.WriteString("notebook")
	} else {
		fmt.Fprintf(&sb, "cell %d", d.Cell+1)
		if d.CellID != "" {
			fmt.Fprintf(&sb, " (id %s)", d.CellID)
		}
	}
	if d.Output >= 0 {
		fmt.Fprintf(&sb, ", output %d", d.Output+1)
	}
	sb.WriteString(", " + d.What + ": ")
	switch {
	case d.Line > 0:
		fmt.Fprintf(&sb, "line %d: ", d.Line)
	case d.Offset >= 0:
		fmt.Fprintf(&sb, "byte %d: ", d.Offset)
	}
	fmt.Fprintf(&sb, "want %s, got %s", d.Want, d.Got)
	return sb.String()
}

// CompareOutputs compares the outputs of want and got cell by cell (by
// index): cell types and ids, execution counts, and every output — its
// type, stream name and text, every MIME type of its data (text line by
// line, base64 images byte by byte after decoding, JSON values as
// indented JSON), its metadata, execution count and error fields — and
// the saved widget state (metadata.widgets). It reports the first
// difference of each of these, in notebook order; nil means the outputs
// are the same. Sources and other metadata are not compared.
//
// It accepts any notebook the package reads, and a nil notebook, cell or
// output, without panicking.
func CompareOutputs(want, got *Notebook) []Difference {
	var ds []Difference
	if want == nil || got == nil {
		if want != got {
			ds = append(ds, Difference{Cell: -1, Output: -1, Offset: -1, What: "cells",
				Want: describeNotebook(want), Got: describeNotebook(got)})
		}
		return ds
	}
	if len(want.Cells) != len(got.Cells) {
		ds = append(ds, Difference{Cell: -1, Output: -1, Offset: -1, What: "cells",
			Want: plural(len(want.Cells), "cell"), Got: plural(len(got.Cells), "cell")})
	}
	for i := 0; i < min(len(want.Cells), len(got.Cells)); i++ {
		ds = append(ds, compareCell(i, want.Cells[i], got.Cells[i])...)
	}
	if d, ok := compareJSON(widgetState(want), widgetState(got)); ok {
		d.Cell, d.Output, d.What = -1, -1, "metadata.widgets"
		ds = append(ds, d)
	}
	return ds
}

func describeNotebook(nb *Notebook) string {
	if nb == nil {
		return "no notebook"
	}
	return plural(len(nb.Cells), "cell")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// widgetState returns metadata.widgets, or nil.
func widgetState(nb *Notebook) any {
	if w, ok := nb.Metadata["widgets"]; ok {
		return w
	}
	return nil
}

var emptyCell = &Cell{}

func compareCell(i int, a, b *Cell) []Difference {
	if a == nil {
		a = emptyCell
	}
	if b == nil {
		b = emptyCell
	}
	at := func(out int, what string) Difference {
		return Difference{Cell: i, CellID: a.ID, Output: out, What: what, Offset: -1}
	}
	var ds []Difference
	if a.Type != b.Type {
		d := at(-1, "cell_type")
		d.Want, d.Got = strconv.Quote(a.Type), strconv.Quote(b.Type)
		return append(ds, d)
	}
	if a.ID != b.ID {
		d := at(-1, "id")
		d.Want, d.Got = strconv.Quote(a.ID), strconv.Quote(b.ID)
		ds = append(ds, d)
	}
	if fmtCount(a.ExecutionCount) != fmtCount(b.ExecutionCount) {
		d := at(-1, "execution_count")
		d.Want, d.Got = fmtCount(a.ExecutionCount), fmtCount(b.ExecutionCount)
		ds = append(ds, d)
	}
	if len(a.Outputs) != len(b.Outputs) {
		d := at(-1, "outputs")
		d.Want, d.Got = describeOutputs(a.Outputs), describeOutputs(b.Outputs)
		ds = append(ds, d)
	}
	for j := 0; j < min(len(a.Outputs), len(b.Outputs)); j++ {
		od := compareOutput(a.Outputs[j], b.Outputs[j])
		for _, d := range od {
			d.Cell, d.CellID, d.Output = i, a.ID, j
			ds = append(ds, d)
		}
		if len(od) > 0 && len(a.Outputs) != len(b.Outputs) {
			// An output more or less: the next ones are likely shifted,
			// and comparing them would only add noise.
			break
		}
	}
	return ds
}

func fmtCount(n *int) string {
	if n == nil {
		return "none"
	}
	return strconv.Itoa(*n)
}

// describeOutputs lists the types of outputs, e.g. "2 outputs (stream,
// display_data)".
func describeOutputs(outs []*Output) string {
	types := make([]string, len(outs))
	for i, o := range outs {
		types[i] = "nil"
		if o != nil {
			types[i] = o.Type
		}
	}
	s := plural(len(outs), "output")
	if len(types) > 0 {
		s += " (" + strings.Join(types, ", ") + ")"
	}
	return s
}

var emptyOutput = &Output{}

// compareOutput compares two outputs; the differences it returns have
// What, Line, Offset, Want and Got set.
func compareOutput(a, b *Output) []Difference {
	if a == nil {
		a = emptyOutput
	}
	if b == nil {
		b = emptyOutput
	}
	var ds []Difference
	add := func(what string, d Difference, differ bool) {
		if differ {
			d.What = what
			ds = append(ds, d)
		}
	}
	quoted := func(x, y string) (Difference, bool) {
		return Difference{Offset: -1, Want: excerpt(x, 0), Got: excerpt(y, 0)}, x != y
	}
	if a.Type != b.Type {
		d, _ := quoted(a.Type, b.Type)
		add("output_type", d, true)
		return ds
	}
	d, differ := quoted(a.Name, b.Name)
	add("name", d, differ)
	d, differ = compareText(a.Text, b.Text)
	add("text", d, differ)
	if fmtCount(a.ExecutionCount) != fmtCount(b.ExecutionCount) {
		add("execution_count", Difference{Offset: -1, Want: fmtCount(a.ExecutionCount), Got: fmtCount(b.ExecutionCount)}, true)
	}
	mimes := map[string]bool{}
	for m := range a.Data {
		mimes[m] = true
	}
	for m := range b.Data {
		mimes[m] = true
	}
	for _, m := range sortedSet(mimes) {
		va, oka := a.Data[m]
		vb, okb := b.Data[m]
		switch {
		case !oka || !okb:
			d := Difference{Offset: -1, Want: presence(oka), Got: presence(okb)}
			add(m, d, true)
		default:
			d, differ := compareData(m, va, vb)
			add(m, d, differ)
		}
	}
	d, differ = compareJSON(nilIfEmpty(a.Metadata), nilIfEmpty(b.Metadata))
	add("metadata", d, differ)
	d, differ = quoted(a.EName, b.EName)
	add("ename", d, differ)
	d, differ = compareText(a.EValue, b.EValue)
	add("evalue", d, differ)
	d, differ = compareText(strings.Join(a.Traceback, "\n"), strings.Join(b.Traceback, "\n"))
	add("traceback", d, differ)
	d, differ = compareJSON(nilIfEmpty(a.Extra), nilIfEmpty(b.Extra))
	add("extra", d, differ)
	return ds
}

func presence(ok bool) string {
	if ok {
		return "present"
	}
	return "missing"
}

func sortedSet(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func nilIfEmpty(m map[string]any) any {
	if len(m) == 0 {
		return nil
	}
	return m
}

// compareData compares one MIME type's data: base64 images byte by byte,
// strings line by line, JSON values as indented JSON.
func compareData(mime string, a, b any) (Difference, bool) {
	sa, oka := a.(string)
	sb, okb := b.(string)
	if !oka || !okb {
		return compareJSON(a, b)
	}
	if binaryMime(mime) {
		ba, erra := decodeBase64(sa)
		bb, errb := decodeBase64(sb)
		if erra == nil && errb == nil {
			return compareBytes(ba, bb)
		}
	}
	return compareText(sa, sb)
}

// decodeBase64 decodes base64 data as nbformat stores it, line breaks
// allowed.
func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	return base64.StdEncoding.DecodeString(s)
}

// compareBytes reports the first byte at which a and b differ, with their
// sizes (and a PNG's dimensions) as excerpts.
func compareBytes(a, b []byte) (Difference, bool) {
	if bytes.Equal(a, b) {
		return Difference{}, false
	}
	off := 0
	for off < len(a) && off < len(b) && a[off] == b[off] {
		off++
	}
	return Difference{Offset: off, Want: describeBytes(a), Got: describeBytes(b)}, true
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// describeBytes says how long data is and, for a PNG, its size in pixels.
func describeBytes(data []byte) string {
	if len(data) >= 24 && bytes.HasPrefix(data, pngSignature) && string(data[12:16]) == "IHDR" {
		w, h := binary.BigEndian.Uint32(data[16:20]), binary.BigEndian.Uint32(data[20:24])
		return fmt.Sprintf("PNG %d×%d, %d bytes", w, h, len(data))
	}
	return plural(len(data), "byte")
}

// compareJSON compares two JSON values: short ones whole, on one line;
// longer ones as indented JSON, line by line.
func compareJSON(a, b any) (Difference, bool) {
	ca, cb := encodeJSON(a, ""), encodeJSON(b, "")
	if ca == cb {
		return Difference{}, false
	}
	if len(ca) <= excerptLen && len(cb) <= excerptLen {
		return Difference{Offset: -1, Want: ca, Got: cb}, true
	}
	return compareText(encodeJSON(a, " "), encodeJSON(b, " "))
}

// encodeJSON writes v as JSON (keys sorted, numbers as the notebook file
// holds them), indented by indent unless it is "".
func encodeJSON(v any, indent string) string {
	if v == nil {
		return "null"
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(pyNumbers(v)); err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// compareText reports the first line at which a and b differ, with
// excerpts of that line around the first differing character.
func compareText(a, b string) (Difference, bool) {
	if a == b {
		return Difference{}, false
	}
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	i := 0
	for i < len(la) && i < len(lb) && la[i] == lb[i] {
		i++
	}
	line := func(ls []string) (string, bool) {
		if i < len(ls) {
			return ls[i], true
		}
		return "", false
	}
	xa, hasA := line(la)
	xb, hasB := line(lb)
	col := 0
	for col < len(xa) && col < len(xb) && xa[col] == xb[col] {
		col++
	}
	d := Difference{Line: i + 1, Offset: -1, Want: excerpt(xa, col), Got: excerpt(xb, col)}
	if !hasA {
		d.Want = "end of text"
	}
	if !hasB {
		d.Got = "end of text"
	}
	return d, true
}

// excerptLen is the most bytes of a line an excerpt shows.
const excerptLen = 80

// excerpt quotes at most excerptLen bytes of s around byte col, with
// "..." where it is cut.
func excerpt(s string, col int) string {
	if len(s) <= excerptLen {
		return strconv.Quote(s)
	}
	start := max(0, min(col-excerptLen/4, len(s)-excerptLen))
	for start > 0 && !utf8.RuneStart(s[start]) {
		start--
	}
	end := min(len(s), start+excerptLen)
	for end < len(s) && !utf8.RuneStart(s[end]) {
		end++
	}
	q := strconv.Quote(s[start:end])
	if start > 0 {
		q = "..." + q
	}
	if end < len(s) {
		q += "..."
	}
	return q
}
