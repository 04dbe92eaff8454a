package display

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
)

// HTML returns a bundle showing s as HTML, with the text stripped of tags
// as the plain-text fallback.
func HTML(s string) Bundle {
	b := newBundle()
	b.Data["text/html"] = s
	b.Data["text/plain"] = stripTags(s)
	return b
}

// Markdown returns a bundle showing s as Markdown.
func Markdown(s string) Bundle {
	b := newBundle()
	b.Data["text/markdown"] = s
	b.Data["text/plain"] = s
	return b
}

// LaTeX returns a bundle showing s as LaTeX. A formula without math
// delimiters ($, $$, \[ or \begin) is wrapped in $$ ... $$ so that the
// front end typesets it.
func LaTeX(s string) Bundle {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "$") && !strings.HasPrefix(t, `\[`) && !strings.HasPrefix(t, `\(`) && !strings.HasPrefix(t, `\begin`) {
		t = "$$" + t + "$$"
	}
	b := newBundle()
	b.Data["text/latex"] = t
	b.Data["text/plain"] = s
	return b
}

// Text returns a bundle with s as plain text only.
func Text(s string) Bundle { return textBundle(s) }

// SVG returns a bundle showing the SVG document s.
func SVG(s string) Bundle {
	b := newBundle()
	b.Data["image/svg+xml"] = s
	b.Data["text/plain"] = fmt.Sprintf("<SVG image, %d bytes>", len(s))
	return b
}

// PNG returns a bundle showing the PNG image data, with its width and
// height as metadata. Data that is not a PNG gives a text bundle saying so.
func PNG(data []byte) Bundle {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return textBundle(fmt.Sprintf("display: not a PNG image: %v", err))
	}
	return imageBundle("image/png", data, cfg.Width, cfg.Height)
}

// JPEG returns a bundle showing the JPEG image data, with its width and
// height as metadata. Data that is not a JPEG gives a text bundle saying so.
func JPEG(data []byte) Bundle {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return textBundle(fmt.Sprintf("display: not a JPEG image: %v", err))
	}
	return imageBundle("image/jpeg", data, cfg.Width, cfg.Height)
}

// Image returns a bundle showing img as a PNG.
func Image(img image.Image) Bundle {
	if img == nil {
		return textBundle("<nil>")
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return textBundle(fmt.Sprintf("display: encoding PNG: %v", err))
	}
	r := img.Bounds()
	return imageBundle("image/png", buf.Bytes(), r.Dx(), r.Dy())
}

func imageBundle(mime string, data []byte, w, h int) Bundle {
	b := newBundle()
	b.Data[mime] = base64.StdEncoding.EncodeToString(data)
	b.Data["text/plain"] = fmt.Sprintf("<%s image, %d×%d>", strings.TrimPrefix(mime, "image/"), w, h)
	b.Metadata[mime] = map[string]any{"width": w, "height": h}
	return b
}

// JSON returns a bundle showing v as JSON (application/json, rendered as a
// collapsible tree by JupyterLab) with indented JSON as plain text. A value
// that cannot be marshalled gives a text bundle with the error.
func JSON(v any) Bundle {
	raw, err := json.Marshal(v)
	if err != nil {
		return textBundle(fmt.Sprintf("display: JSON: %v", err))
	}
	var generic any
	if err := json.Unmarshal(raw, &generic); err != nil {
		return textBundle(fmt.Sprintf("display: JSON: %v", err))
	}
	var ind bytes.Buffer
	if err := json.Indent(&ind, raw, "", "  "); err != nil {
		return textBundle(fmt.Sprintf("display: JSON: %v", err))
	}
	b := newBundle()
	// application/json must be an object or an array for most front ends;
	// wrap scalars so they still show.
	switch generic.(type) {
	case map[string]any, []any:
	default:
		generic = map[string]any{"value": generic}
	}
	b.Data["application/json"] = generic
	b.Data["text/plain"] = ind.String()
	return b
}
