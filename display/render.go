package display

import (
	"encoding/base64"
	"fmt"
	"image"
	"reflect"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
)

// The small interfaces below make a user type displayable without importing
// anything but this package (or without importing it at all: Render checks
// the methods, not the interface names). A type may implement several; the
// bundle then carries every representation and the front end picks the
// richest. The interfaces are exported so that the interpreter's symbol
// table gets a wrapper for each of them.

// HTMLer is implemented by values that render as HTML.
type HTMLer interface{ HTML() string }

// Markdowner is implemented by values that render as Markdown.
type Markdowner interface{ Markdown() string }

// LaTeXer is implemented by values that render as LaTeX.
type LaTeXer interface{ LaTeX() string }

// SVGer is implemented by values that render as an SVG document.
type SVGer interface{ SVG() string }

// PNGer is implemented by values that render as a PNG image.
type PNGer interface{ PNG() ([]byte, error) }

// JPEGer is implemented by values that render as a JPEG image.
type JPEGer interface{ JPEG() ([]byte, error) }

// MIMEBundler is implemented by values that build their own MIME bundle:
// MIME type to content, where binary content ([]byte) is base64-encoded by
// Render and text/plain is added when missing.
type MIMEBundler interface{ MIMEBundle() map[string]any }

// Render renders v as a MIME bundle. The bundle always has text/plain.
//
// Render handles nil, Bundle values (returned as they are), MIMEBundler,
// *plot.Plot (PNG), image.Image (PNG), values with the methods of HTMLer,
// Markdowner, LaTeXer, SVGer, PNGer and JPEGer, mat.Matrix (formatted
// text), slices and arrays of structs and maps (HTML tables with a text
// fallback), and anything else as fmt's %v. Render never panics: if a
// method of v panics, the bundle falls back to plain text.
func Render(v any) (b Bundle) {
	defer func() {
		if r := recover(); r != nil {
			b = textBundle(safeSprint(v))
		}
	}()
	return ensurePlain(render(v), v)
}

func render(v any) Bundle {
	switch x := v.(type) {
	case nil:
		return textBundle("<nil>")
	case Bundle:
		return cloneBundle(x)
	case *Bundle:
		if x == nil {
			return textBundle("<nil>")
		}
		return cloneBundle(*x)
	case MIMEBundler:
		return fromMap(x.MIMEBundle())
	case *plot.Plot:
		if x == nil {
			return textBundle("<nil>")
		}
		return Plot(x)
	case image.Image:
		return Image(x)
	case string:
		return textBundle(x)
	case error:
		return textBundle(x.Error())
	case fmt.Formatter:
		// Formatters (mat.Formatted results, big numbers, ...) print themselves.
		return textBundle(fmt.Sprint(x))
	case mat.Matrix:
		return textBundle(fmt.Sprintf("%v", mat.Formatted(x, mat.Squeeze())))
	}
	if b, ok := methodsBundle(v); ok {
		return b
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if isStructLike(rv.Type().Elem()) {
			return Table(v)
		}
	case reflect.Map:
		return Table(v)
	}
	return textBundle(fmt.Sprint(v))
}

// methodsBundle collects every representation v offers through the small
// interfaces. ok is false when v has none of them.
func methodsBundle(v any) (Bundle, bool) {
	b := newBundle()
	if x, ok := v.(HTMLer); ok {
		b.Data["text/html"] = x.HTML()
	}
	if x, ok := v.(Markdowner); ok {
		b.Data["text/markdown"] = x.Markdown()
	}
	if x, ok := v.(LaTeXer); ok {
		b.Data["text/latex"] = LaTeX(x.LaTeX()).Data["text/latex"]
	}
	if x, ok := v.(SVGer); ok {
		b.Data["image/svg+xml"] = x.SVG()
	}
	if x, ok := v.(PNGer); ok {
		data, err := x.PNG()
		if err != nil {
			b.Data["text/plain"] = "display: PNG: " + err.Error()
		} else {
			mergeImage(b, PNG(data))
		}
	}
	if x, ok := v.(JPEGer); ok {
		data, err := x.JPEG()
		if err != nil {
			b.Data["text/plain"] = "display: JPEG: " + err.Error()
		} else {
			mergeImage(b, JPEG(data))
		}
	}
	if len(b.Data) == 0 {
		return b, false
	}
	return b, true
}

func mergeImage(dst, src Bundle) {
	for k, v := range src.Data {
		if k == "text/plain" {
			continue
		}
		dst.Data[k] = v
	}
	for k, v := range src.Metadata {
		dst.Metadata[k] = v
	}
}

// fromMap builds a bundle from a MIMEBundle() map: []byte values are
// base64-encoded, a "metadata" entry holding a map becomes the metadata.
func fromMap(m map[string]any) Bundle {
	b := newBundle()
	for k, v := range m {
		switch x := v.(type) {
		case []byte:
			if strings.HasPrefix(k, "text/") || strings.HasSuffix(k, "+xml") {
				b.Data[k] = string(x)
			} else {
				b.Data[k] = base64.StdEncoding.EncodeToString(x)
			}
		case fmt.Stringer:
			b.Data[k] = x.String()
		default:
			if k == "metadata" {
				if md, ok := v.(map[string]any); ok {
					for mk, mv := range md {
						b.Metadata[mk] = mv
					}
					continue
				}
			}
			b.Data[k] = v
		}
	}
	return b
}

// ensurePlain adds text/plain when b lacks it (or holds a non-string).
func ensurePlain(b Bundle, v any) Bundle {
	if b.Data == nil {
		b.Data = map[string]any{}
	}
	if b.Metadata == nil {
		b.Metadata = map[string]any{}
	}
	if s, ok := b.Data["text/plain"].(string); !ok || (s == "" && len(b.Data) > 1) {
		b.Data["text/plain"] = plainFor(b, v)
	}
	return b
}

// plainFor is the text fallback for a rich value.
func plainFor(b Bundle, v any) string {
	if _, ok := v.(fmt.Stringer); ok {
		return safeSprint(v)
	}
	switch {
	case b.Data["text/markdown"] != nil:
		if s, ok := b.Data["text/markdown"].(string); ok {
			return s
		}
	case b.Data["text/latex"] != nil:
		if s, ok := b.Data["text/latex"].(string); ok {
			return s
		}
	case b.Data["text/html"] != nil:
		if s, ok := b.Data["text/html"].(string); ok {
			return stripTags(s)
		}
	}
	if v == nil {
		return "<nil>"
	}
	return safeSprint(v)
}

// safeSprint is fmt.Sprint that survives a panicking String method.
func safeSprint(v any) (s string) {
	defer func() {
		if r := recover(); r != nil {
			s = fmt.Sprintf("<%T: panic while printing: %v>", v, r)
		}
	}()
	return fmt.Sprint(v)
}

func newBundle() Bundle {
	return Bundle{Data: map[string]any{}, Metadata: map[string]any{}}
}

func textBundle(s string) Bundle {
	b := newBundle()
	b.Data["text/plain"] = s
	return b
}

func cloneBundle(b Bundle) Bundle {
	c := newBundle()
	for k, v := range b.Data {
		c.Data[k] = v
	}
	for k, v := range b.Metadata {
		c.Metadata[k] = v
	}
	return c
}

// isStructLike reports whether t is a struct or a pointer to a struct.
func isStructLike(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct
}

// stripTags removes HTML tags and collapses blank runs, for the text
// fallback of an HTML bundle.
func stripTags(s string) string {
	var sb strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			sb.WriteRune(r)
		}
	}
	out := sb.String()
	out = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", `"`, "&#39;", "'", "&nbsp;", " ").Replace(out)
	return strings.TrimSpace(out)
}

// RenderParts renders v like Render, then adds the representations given
// as typed views of v: each non-nil argument contributes its MIME type
// (text replaces text/plain). It exists for the interpreter: the methods of
// a type declared in a notebook cell are invisible to compiled code that
// receives the value as an interface{}, but the interpreter does build a
// method-forwarding wrapper when such a value is passed as an argument of
// an interface type. The kernel's session, knowing from the cell's source
// which of these methods a type has, calls for instance
//
//	display.RenderParts(x, x, x, nil, nil, nil, nil, nil, nil)
//
// for a value x of a type with String and HTML methods. Compiled callers
// use Render. RenderParts never panics.
func RenderParts(v any, text fmt.Stringer, html HTMLer, markdown Markdowner, latex LaTeXer, svg SVGer, png PNGer, jpeg JPEGer, mime MIMEBundler) (b Bundle) {
	b = Render(v)
	defer func() {
		if r := recover(); r != nil {
			b = ensurePlain(b, nil)
			b.Data["text/plain"] = fmt.Sprintf("display: rendering %T: panic: %v", v, r)
		}
	}()
	add := func(x Bundle) {
		for k, val := range x.Data {
			if k != "text/plain" {
				b.Data[k] = val
			}
		}
		for k, val := range x.Metadata {
			b.Metadata[k] = val
		}
	}
	if mime != nil {
		add(fromMap(mime.MIMEBundle()))
	}
	if html != nil {
		b.Data["text/html"] = html.HTML()
	}
	if markdown != nil {
		b.Data["text/markdown"] = markdown.Markdown()
	}
	if latex != nil {
		b.Data["text/latex"] = LaTeX(latex.LaTeX()).Data["text/latex"]
	}
	if svg != nil {
		b.Data["image/svg+xml"] = svg.SVG()
	}
	if png != nil {
		if data, err := png.PNG(); err == nil {
			add(PNG(data))
		}
	}
	if jpeg != nil {
		if data, err := jpeg.JPEG(); err == nil {
			add(JPEG(data))
		}
	}
	switch {
	case text != nil:
		b.Data["text/plain"] = text.String()
	case html != nil || markdown != nil || latex != nil || mime != nil:
		// The text fallback Render made from the bare value is its field
		// dump; the rich form's text is better.
		if plain := plainFor(Bundle{Data: b.Data}, nil); plain != "<nil>" {
			b.Data["text/plain"] = plain
		}
	}
	return b
}
