package exportrt

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/trannsformer/gotrann/display"
)

// Notebook is the state of an exported program: the cell that runs now and
// the Display writing to the output directory.
type Notebook struct {
	sink *fileSink
	disp *display.Display
}

// New returns a Notebook writing display files to dir (created when the
// first file is written) and display text to standard error.
func New(dir string) *Notebook {
	return NewWithWriter(dir, os.Stderr)
}

// NewWithWriter is New with the display text written to w.
func NewWithWriter(dir string, w io.Writer) *Notebook {
	s := &fileSink{dir: dir, term: display.NewTerminalSink(w), files: map[string]string{}, seq: map[int]int{}}
	return &Notebook{sink: s, disp: display.New(s)}
}

// Display returns the Notebook's Display.
func (nb *Notebook) Display() *display.Display { return nb.disp }

// Cell tells which cell (In[n]) runs now: its displays are named after it.
func (nb *Notebook) Cell(n int) {
	nb.sink.mu.Lock()
	nb.sink.cell = n
	nb.sink.mu.Unlock()
}

// Files returns the files written so far, in order.
func (nb *Notebook) Files() []string {
	nb.sink.mu.Lock()
	defer nb.sink.mu.Unlock()
	return append([]string(nil), nb.sink.order...)
}

// Close flushes the display text and returns the first error of writing a
// display, which it also reports on standard error.
func (nb *Notebook) Close() error {
	err := nb.sink.term.Flush()
	nb.sink.mu.Lock()
	if nb.sink.err != nil {
		err = nb.sink.err
	}
	nb.sink.mu.Unlock()
	if err != nil {
		fmt.Fprintln(os.Stderr, "exportrt:", err)
	}
	return err
}

// Value shows a cell's value, as the kernel's Out[n]: nil shows nothing.
func Value(d *display.Display, v any) {
	if v == nil {
		return
	}
	d.Show(v)
}

// fileSink writes every display to a file and its text to a terminal sink.
type fileSink struct {
	dir  string
	term *display.TerminalSink

	mu    sync.Mutex
	cell  int
	seq   map[int]int       // displays per cell
	files map[string]string // display id -> file
	order []string
	err   error
}

// formats are the MIME types written to files, richest first.
var formats = []struct{ mime, ext string }{
	{"image/png", ".png"},
	{"image/jpeg", ".jpg"},
	{"image/svg+xml", ".svg"},
	{"text/html", ".html"},
	{"text/markdown", ".md"},
	{"text/latex", ".tex"},
	{"application/json", ".json"},
}

func (s *fileSink) Display(b display.Bundle, id string) {
	s.term.Display(s.write(b, id), id)
}

func (s *fileSink) Update(b display.Bundle, id string) {
	s.term.Update(s.write(b, id), id)
}

func (s *fileSink) Clear(wait bool) { s.term.Clear(wait) }

// write writes b's richest representation to its file (a new one, or the
// one of display id) and returns b with the file's name added to its text.
func (s *fileSink) write(b display.Bundle, id string) display.Bundle {
	var data []byte
	ext := ""
	for _, f := range formats {
		v, ok := b.Data[f.mime]
		if !ok {
			continue
		}
		var err error
		data, err = encode(f.mime, v)
		if err != nil {
			s.fail(err)
			return b
		}
		ext = f.ext
		break
	}
	if ext == "" {
		return b // text only
	}
	s.mu.Lock()
	name, ok := s.files[id]
	if !ok || id == "" {
		s.seq[s.cell]++
		name = filepath.Join(s.dir, fmt.Sprintf("cell%02d-%d%s", s.cell, s.seq[s.cell], ext))
		if id != "" {
			s.files[id] = name
		}
		s.order = append(s.order, name)
	}
	s.mu.Unlock()
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		s.fail(err)
		return b
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		s.fail(err)
		return b
	}
	out := display.Bundle{Data: map[string]any{}, Metadata: b.Metadata}
	for k, v := range b.Data {
		out.Data[k] = v
	}
	text, _ := b.Data["text/plain"].(string)
	out.Data["text/plain"] = text + " [" + name + "]"
	return out
}

func (s *fileSink) fail(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
}

// encode returns the bytes of a bundle entry: base64 decoded for images,
// JSON for application/json, the text otherwise.
func encode(mime string, v any) ([]byte, error) {
	switch mime {
	case "image/png", "image/jpeg":
		s, _ := v.(string)
		data, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("decoding %s: %w", mime, err)
		}
		return data, nil
	case "application/json":
		return json.MarshalIndent(v, "", "  ")
	}
	s, _ := v.(string)
	return []byte(s), nil
}
