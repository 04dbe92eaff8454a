package notebooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/types"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// valueKind is the kind of a parameter value as written on the command line.
type valueKind int

const (
	vString valueKind = iota
	vInt
	vFloat
	vBool
	vNull
	vList
	vObject
)

var kindNames = [...]string{"a string", "an integer", "a number", "a boolean", "null", "a list", "an object"}

// value is a parameter value before it meets its type: the kind it has on
// its own, and its text.
type value struct {
	kind  valueKind
	text  string  // the number's or boolean's text, or the string's content
	raw   string  // the text as written, for strings made from numbers
	elems []value // vList elements, vObject values in key order
	keys  []string
}

var (
	intRE   = regexp.MustCompile(`^[+-]?[0-9]+$`)
	floatRE = regexp.MustCompile(`^[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][+-]?[0-9]+)?$`)
)

// parseValue reads a command-line value: a JSON list or object, a boolean
// (true/false, True/False), an integer, a float, a "quoted" string (Go
// escapes), a 'quoted' string (taken literally), or else a bare string.
func parseValue(raw string) (value, error) {
	s := strings.TrimSpace(raw)
	switch {
	case strings.HasPrefix(s, "[") || strings.HasPrefix(s, "{"):
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return value{}, fmt.Errorf("not a valid JSON list or object: %w", err)
		}
		if dec.More() {
			return value{}, fmt.Errorf("not a valid JSON list or object: data after the closing bracket")
		}
		return fromJSON(v), nil
	case s == "true" || s == "True":
		return value{kind: vBool, text: "true", raw: raw}, nil
	case s == "false" || s == "False":
		return value{kind: vBool, text: "false", raw: raw}, nil
	case intRE.MatchString(s):
		return value{kind: vInt, text: strings.TrimPrefix(s, "+"), raw: raw}, nil
	case floatRE.MatchString(s):
		return value{kind: vFloat, text: strings.TrimPrefix(s, "+"), raw: raw}, nil
	case len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"':
		u, err := strconv.Unquote(s)
		if err != nil {
			return value{}, fmt.Errorf("bad quoted string %s: %w", s, err)
		}
		return value{kind: vString, text: u, raw: u}, nil
	case len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'':
		return value{kind: vString, text: s[1 : len(s)-1], raw: s[1 : len(s)-1]}, nil
	}
	return value{kind: vString, text: raw, raw: raw}, nil
}

// fromJSON converts a decoded JSON value (numbers as json.Number).
func fromJSON(v any) value {
	switch v := v.(type) {
	case nil:
		return value{kind: vNull, text: "null", raw: "null"}
	case bool:
		t := strconv.FormatBool(v)
		return value{kind: vBool, text: t, raw: t}
	case json.Number:
		k := vFloat
		if intRE.MatchString(v.String()) {
			k = vInt
		}
		return value{kind: k, text: v.String(), raw: v.String()}
	case string:
		return value{kind: vString, text: v, raw: v}
	case []any:
		out := value{kind: vList, elems: make([]value, len(v))}
		for i, e := range v {
			out.elems[i] = fromJSON(e)
		}
		return out
	case map[string]any:
		out := value{kind: vObject, keys: sortedKeys(v)}
		for _, k := range out.keys {
			out.elems = append(out.elems, fromJSON(v[k]))
		}
		return out
	}
	panic(fmt.Sprintf("notebooks: unexpected JSON value %T", v))
}

// convertParameter renders raw as a Go expression of type typ (nil:
// unknown, the value keeps its own type).
func convertParameter(typ ast.Expr, raw string) (string, error) {
	v, err := parseValue(raw)
	if err != nil {
		return "", err
	}
	return convert(typ, v)
}

var intBits = map[string]int{
	"int": 64, "int8": 8, "int16": 16, "int32": 32, "int64": 64, "rune": 32,
	"uint": 64, "uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64, "uintptr": 64, "byte": 8,
}

// convert renders v as a Go expression assignable to typ.
func convert(typ ast.Expr, v value) (string, error) {
	if typ == nil {
		return natural(v), nil
	}
	ts := types.ExprString(typ)
	mismatch := func(want string) error {
		return fmt.Errorf("want %s for type %s, got %s", want, ts, kindNames[v.kind])
	}
	switch t := typ.(type) {
	case *ast.Ident:
		switch name := t.Name; {
		case name == "string":
			if v.kind == vList || v.kind == vObject {
				return "", mismatch("a string")
			}
			return strconv.Quote(v.raw), nil
		case name == "bool":
			if v.kind != vBool {
				return "", mismatch("true or false")
			}
			return v.text, nil
		case intBits[name] > 0:
			return convertInt(name, v, mismatch)
		case name == "float32" || name == "float64":
			if v.kind != vInt && v.kind != vFloat {
				return "", mismatch("a number")
			}
			bits := 64
			if name == "float32" {
				bits = 32
			}
			f, err := strconv.ParseFloat(v.text, bits)
			if err != nil {
				return "", fmt.Errorf("%s out of range for %s", v.text, name)
			}
			return strconv.FormatFloat(f, 'g', -1, bits), nil
		case name == "complex64" || name == "complex128":
			if v.kind != vInt && v.kind != vFloat {
				return "", mismatch("a number")
			}
			return v.text, nil
		case name == "any":
			return natural(v), nil
		}
		return ts + "(" + natural(v) + ")", nil
	case *ast.SelectorExpr:
		if isTime(t, "Duration") {
			if v.kind != vString {
				return "", mismatch(`a duration like "1m30s"`)
			}
			d, err := time.ParseDuration(strings.TrimSpace(v.text))
			if err != nil {
				return "", err
			}
			return durationExpr(d), nil
		}
		return ts + "(" + natural(v) + ")", nil
	case *ast.ArrayType:
		if v.kind == vNull && t.Len == nil {
			return "nil", nil
		}
		if v.kind != vList {
			return "", mismatch("a JSON list like [1, 2]")
		}
		parts := make([]string, len(v.elems))
		for i, e := range v.elems {
			s, err := convert(t.Elt, e)
			if err != nil {
				return "", fmt.Errorf("element %d: %w", i, err)
			}
			parts[i] = s
		}
		return ts + "{" + strings.Join(parts, ", ") + "}", nil
	case *ast.MapType:
		if v.kind == vNull {
			return "nil", nil
		}
		if v.kind != vObject {
			return "", mismatch(`a JSON object like {"a": 1}`)
		}
		parts := make([]string, len(v.elems))
		for i, e := range v.elems {
			kv, err := parseValue(v.keys[i])
			if err != nil {
				kv = value{kind: vString, text: v.keys[i], raw: v.keys[i]}
			}
			k, err := convert(t.Key, kv)
			if err != nil {
				return "", fmt.Errorf("key %q: %w", v.keys[i], err)
			}
			s, err := convert(t.Value, e)
			if err != nil {
				return "", fmt.Errorf("key %q: %w", v.keys[i], err)
			}
			parts[i] = k + ": " + s
		}
		return ts + "{" + strings.Join(parts, ", ") + "}", nil
	case *ast.InterfaceType:
		return natural(v), nil
	}
	return "", fmt.Errorf("parameters of type %s are not supported", ts)
}

func convertInt(name string, v value, mismatch func(string) error) (string, error) {
	text := v.text
	if v.kind == vFloat {
		// An integral float (1e3, 2.0) is accepted.
		f, err := strconv.ParseFloat(v.text, 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return "", mismatch("an integer")
		}
		text = strconv.FormatFloat(f, 'f', -1, 64)
	} else if v.kind != vInt {
		return "", mismatch("an integer")
	}
	var err error
	if strings.HasPrefix(name, "u") || name == "byte" {
		_, err = strconv.ParseUint(text, 10, intBits[name])
	} else {
		_, err = strconv.ParseInt(text, 10, intBits[name])
	}
	if err != nil {
		return "", fmt.Errorf("%s out of range for %s", text, name)
	}
	return text, nil
}

// durationExpr writes d in the largest time unit that divides it.
func durationExpr(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	units := []struct {
		d    time.Duration
		name string
	}{
		{time.Hour, "time.Hour"}, {time.Minute, "time.Minute"}, {time.Second, "time.Second"},
		{time.Millisecond, "time.Millisecond"}, {time.Microsecond, "time.Microsecond"},
	}
	for _, u := range units {
		if d%u.d == 0 {
			return fmt.Sprintf("%d * %s", d/u.d, u.name)
		}
	}
	return fmt.Sprintf("time.Duration(%d)", int64(d))
}

// natural renders v with its own type: int, float64, bool, string, and
// slices or maps of a common element type (else any).
func natural(v value) string {
	switch v.kind {
	case vString:
		return strconv.Quote(v.text)
	case vNull:
		return "nil"
	case vInt, vFloat, vBool:
		return v.text
	}
	elem := commonType(v.elems)
	parts := make([]string, len(v.elems))
	for i, e := range v.elems {
		if elem == "float64" && e.kind == vInt {
			parts[i] = e.text + ".0"
		} else {
			parts[i] = natural(e)
		}
		if v.kind == vObject {
			parts[i] = strconv.Quote(v.keys[i]) + ": " + parts[i]
		}
	}
	var b bytes.Buffer
	if v.kind == vList {
		b.WriteString("[]" + elem + "{")
	} else {
		b.WriteString("map[string]" + elem + "{")
	}
	b.WriteString(strings.Join(parts, ", "))
	b.WriteString("}")
	return b.String()
}

// commonType is the Go type of elements all of one scalar kind (ints and
// floats together are float64), else "any".
func commonType(elems []value) string {
	if len(elems) == 0 {
		return "any"
	}
	names := map[valueKind]string{vString: "string", vInt: "int", vFloat: "float64", vBool: "bool"}
	t := ""
	for _, e := range elems {
		n, ok := names[e.kind]
		switch {
		case !ok:
			return "any"
		case t == "" || t == n:
			t = n
		case (t == "int" && n == "float64") || (t == "float64" && n == "int"):
			t = "float64"
		default:
			return "any"
		}
	}
	return t
}
