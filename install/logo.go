package install

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
)

// The logo is a crossbar: a Go-blue rounded square crossed by four word
// lines and four bit lines, with a memristor dot on some crossings.
var (
	goBlue = color.NRGBA{0x00, 0xAD, 0xD8, 0xFF}
	white  = color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
	ink    = color.NRGBA{0x1B, 0x2A, 0x3A, 0xFF}
)

// cells that hold a memristor dot, as (row, column) in a 4×4 crossbar.
var dots = [][2]int{{0, 0}, {0, 2}, {1, 1}, {1, 3}, {2, 0}, {2, 2}, {3, 1}, {3, 3}}

// LogoPNG draws the logo at size×size pixels and encodes it as PNG.
func LogoPNG(size int) ([]byte, error) {
	if size < 8 {
		return nil, fmt.Errorf("logo size %d too small", size)
	}
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	s := float64(size)
	r := s * 0.18 // corner radius
	line := math.Max(1, s/32)
	pos := func(i int) float64 { return s * (0.2 + 0.2*float64(i)) }
	for y := range size {
		for x := range size {
			px, py := float64(x)+0.5, float64(y)+0.5
			if !inRoundRect(px, py, s, r) {
				continue
			}
			c := goBlue
			for i := range 4 {
				if math.Abs(px-pos(i)) <= line/2+0.01 && py > s*0.1 && py < s*0.9 {
					c = white
				}
				if math.Abs(py-pos(i)) <= line/2+0.01 && px > s*0.1 && px < s*0.9 {
					c = white
				}
			}
			for _, d := range dots {
				if math.Hypot(px-pos(d[1]), py-pos(d[0])) <= s*0.055 {
					c = ink
				}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func inRoundRect(x, y, s, r float64) bool {
	cx := math.Max(r, math.Min(x, s-r))
	cy := math.Max(r, math.Min(y, s-r))
	return math.Hypot(x-cx, y-cy) <= r
}

// LogoSVG returns the logo as SVG (a 64-unit view box).
func LogoSVG() string {
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` + "\n")
	b.WriteString(`  <rect width="64" height="64" rx="11.5" fill="#00ADD8"/>` + "\n")
	b.WriteString(`  <g stroke="#FFFFFF" stroke-width="2">` + "\n")
	for i := range 4 {
		p := 12.8 + 12.8*float64(i)
		fmt.Fprintf(&b, "    <line x1=\"%.1f\" y1=\"6.4\" x2=\"%.1f\" y2=\"57.6\"/>\n", p, p)
		fmt.Fprintf(&b, "    <line x1=\"6.4\" y1=\"%.1f\" x2=\"57.6\" y2=\"%.1f\"/>\n", p, p)
	}
	b.WriteString("  </g>\n  <g fill=\"#1B2A3A\">\n")
	for _, d := range dots {
		fmt.Fprintf(&b, "    <circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"/>\n", 12.8+12.8*float64(d[1]), 12.8+12.8*float64(d[0]))
	}
	b.WriteString("  </g>\n</svg>\n")
	return b.String()
}
