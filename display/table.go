package display

import (
	"fmt"
	"html"
	"math"
	"reflect"
	"sort"
	"strings"
	"text/tabwriter"
)

// maxTableRows is the number of rows a table shows before it elides the
// rest.
const maxTableRows = 500

// Table returns a bundle showing v as an HTML table with an aligned text
// table as fallback. v may be a slice or array of structs (or pointers to
// structs): one row per element, one column per exported field; a map: one
// row per key, in sorted order, with the key in the first column and the
// value, or the value's exported fields when it is a struct, in the next;
// or a slice of slices ([][]string, [][]float64, ...): rows of cells
// without a header. Anything else gives a text bundle.
func Table(v any) Bundle {
	header, rows, ok := tableCells(v)
	if !ok {
		return textBundle(safeSprint(v))
	}
	return TableOf(header, rows)
}

// TableOf returns a bundle showing rows (of cells already formatted) under
// header as an HTML table with an aligned text fallback. A nil header
// shows no header row.
func TableOf(header []string, rows [][]string) Bundle {
	shown := rows
	more := 0
	if len(rows) > maxTableRows {
		shown, more = rows[:maxTableRows], len(rows)-maxTableRows
	}

	var h strings.Builder
	h.WriteString("<table>\n")
	if len(header) > 0 {
		h.WriteString("<thead><tr>")
		for _, c := range header {
			h.WriteString("<th>" + html.EscapeString(c) + "</th>")
		}
		h.WriteString("</tr></thead>\n")
	}
	h.WriteString("<tbody>\n")
	for _, r := range shown {
		h.WriteString("<tr>")
		for _, c := range r {
			h.WriteString("<td>" + html.EscapeString(c) + "</td>")
		}
		h.WriteString("</tr>\n")
	}
	h.WriteString("</tbody>\n</table>")
	if more > 0 {
		fmt.Fprintf(&h, "\n<p>… %d more rows</p>", more)
	}

	var t strings.Builder
	tw := tabwriter.NewWriter(&t, 0, 0, 2, ' ', 0)
	if len(header) > 0 {
		fmt.Fprintln(tw, strings.Join(header, "\t"))
		dashes := make([]string, len(header))
		for i, c := range header {
			dashes[i] = strings.Repeat("-", max(1, len([]rune(c))))
		}
		fmt.Fprintln(tw, strings.Join(dashes, "\t"))
	}
	for _, r := range shown {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
	if more > 0 {
		fmt.Fprintf(&t, "… %d more rows\n", more)
	}

	b := newBundle()
	b.Data["text/html"] = h.String()
	b.Data["text/plain"] = strings.TrimRight(t.String(), "\n")
	return b
}

// tableCells extracts a header and formatted rows from v.
func tableCells(v any) (header []string, rows [][]string, ok bool) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return nil, nil, false
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		et := rv.Type().Elem()
		switch {
		case isStructLike(et):
			st := et
			if st.Kind() == reflect.Pointer {
				st = st.Elem()
			}
			fields := exportedFields(st)
			for _, f := range fields {
				header = append(header, st.Field(f).Name)
			}
			for i := 0; i < rv.Len(); i++ {
				rows = append(rows, structCells(rv.Index(i), fields))
			}
			return header, rows, true
		case et.Kind() == reflect.Slice || et.Kind() == reflect.Array:
			for i := 0; i < rv.Len(); i++ {
				r := rv.Index(i)
				row := make([]string, r.Len())
				for j := range row {
					row[j] = cell(r.Index(j))
				}
				rows = append(rows, row)
			}
			return nil, rows, true
		}
	case reflect.Map:
		keys := rv.MapKeys()
		sortValues(keys)
		vt := rv.Type().Elem()
		header = []string{"key"}
		var fields []int
		if isStructLike(vt) {
			st := vt
			if st.Kind() == reflect.Pointer {
				st = st.Elem()
			}
			fields = exportedFields(st)
			for _, f := range fields {
				header = append(header, st.Field(f).Name)
			}
		} else {
			header = append(header, "value")
		}
		for _, k := range keys {
			row := []string{cell(k)}
			if fields != nil {
				row = append(row, structCells(rv.MapIndex(k), fields)...)
			} else {
				row = append(row, cell(rv.MapIndex(k)))
			}
			rows = append(rows, row)
		}
		return header, rows, true
	}
	return nil, nil, false
}

func exportedFields(t reflect.Type) []int {
	fields := []int{}
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).IsExported() {
			fields = append(fields, i)
		}
	}
	return fields
}

func structCells(v reflect.Value, fields []int) []string {
	row := make([]string, len(fields))
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			for i := range row {
				row[i] = ""
			}
			return row
		}
		v = v.Elem()
	}
	for i, f := range fields {
		row[i] = cell(v.Field(f))
	}
	return row
}

// cell formats one table cell: floats with 4 significant digits, the rest
// with %v.
func cell(v reflect.Value) string {
	if !v.IsValid() {
		return ""
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Sprint(f)
		}
		return fmt.Sprintf("%.4g", f)
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return "<nil>"
		}
	}
	if v.CanInterface() {
		return safeSprint(v.Interface())
	}
	return fmt.Sprint(v)
}

// sortValues sorts map keys: numbers numerically, strings lexically,
// anything else by its printed form.
func sortValues(keys []reflect.Value) {
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		switch a.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return a.Int() < b.Int()
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return a.Uint() < b.Uint()
		case reflect.Float32, reflect.Float64:
			return a.Float() < b.Float()
		case reflect.String:
			return a.String() < b.String()
		}
		return cell(a) < cell(b)
	})
}
