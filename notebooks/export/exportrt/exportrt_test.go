package exportrt

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trannsformer/gotrann/display"
)

// TestFiles checks that displays become files named after their cell,
// that an update rewrites its display's file, and that text-only displays
// make no file but reach the text writer.
func TestFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	var text bytes.Buffer
	nb := NewWithWriter(dir, &text)
	d := nb.Display()
	nb.Cell(3)
	Value(d, 42)
	Value(d, nil)
	h := d.Show(display.HTML("<b>one</b>"))
	h.Update(display.HTML("<b>two</b>"))
	d.Show(display.Markdown("*md*"))
	nb.Cell(4)
	d.Show(display.SVG("<svg></svg>"))
	if err := nb.Close(); err != nil {
		t.Fatal(err)
	}
	want := []string{"cell03-1.html", "cell03-2.md", "cell04-1.svg"}
	var got []string
	for _, f := range nb.Files() {
		got = append(got, filepath.Base(f))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files %v, want %v", got, want)
	}
	html, err := os.ReadFile(filepath.Join(dir, "cell03-1.html"))
	if err != nil || string(html) != "<b>two</b>" {
		t.Errorf("cell03-1.html holds %q (%v), want the update", html, err)
	}
	for _, w := range []string{"42\n", "[" + filepath.Join(dir, "cell03-2.md") + "]"} {
		if !strings.Contains(text.String(), w) {
			t.Errorf("text %q lacks %q", text.String(), w)
		}
	}
	if strings.Contains(text.String(), "<nil>") {
		t.Errorf("a nil value was shown: %q", text.String())
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		500: "500 ns", 1500: "1.5 µs", 2500 * time.Microsecond: "2.5 ms", 3 * time.Second: "3 s",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestWriteFileAndEnv(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a.txt")
	if err := WriteFile(name, "x", false); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(name, "y", true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(name); string(b) != "x\ny\n" {
		t.Errorf("file holds %q", b)
	}
	t.Setenv("EXPORTRT_TEST", "")
	if err := Env("EXPORTRT_TEST=v"); err != nil || os.Getenv("EXPORTRT_TEST") != "v" {
		t.Errorf("Env: %v, %q", err, os.Getenv("EXPORTRT_TEST"))
	}
	if err := Env("bad name=1"); err == nil {
		t.Error("a bad variable name is accepted")
	}
	if err := Shell("/bin/sh", "-c", "exit 3"); err == nil || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("Shell: %v", err)
	}
}
