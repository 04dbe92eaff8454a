package runner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/notebooks"
)

// errNoInput is what input() gets: a headless run has no one to ask.
var errNoInput = errors.New("input is not available: the notebook runs without a frontend")

// recorder turns the output of a run into cell outputs. It is shared by
// the cells of one run: update_display_data reaches outputs of any cell,
// as in Jupyter. Display ids are transient: the recorder keeps them, the
// notebook never sees them. Once closed (when Run returns) it drops late
// output from goroutines that outlive their cell, so that the notebook
// does not change while it is written.
type recorder struct {
	mu       sync.Mutex
	closed   bool
	displays map[string][]*notebooks.Output // display_id -> outputs shown with it
	idOf     map[*notebooks.Output]string   // the inverse, for outputs with an id
	live     *liveEcho                      // optional echo of display calls
	onLive   func()                         // called before each echo, under mu
}

func newRecorder(live engine.Sink, onLive func()) *recorder {
	return &recorder{
		displays: map[string][]*notebooks.Output{},
		idOf:     map[*notebooks.Output]string{},
		live:     newLiveEcho(live),
		onLive:   onLive,
	}
}

// endCell flushes the live echo at the end of a cell.
func (r *recorder) endCell() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.live != nil {
		r.live.flush()
	}
}

func (r *recorder) close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
}

// cell returns the engine.Output of one cell.
func (r *recorder) cell(c *notebooks.Cell) *cellOutput { return &cellOutput{r: r, cell: c} }

// cellOutput is the engine.Output of one cell.
type cellOutput struct {
	r            *recorder
	cell         *notebooks.Cell
	clearPending bool // clear_output(wait=true) seen, not yet applied

	// stream is the cell's last output while it is a stream that Stream
	// appends to, and text holds its text: appending to a builder keeps
	// recording linear in the stream's length (a string += per chunk is
	// quadratic). stream.Text is text.String() after every chunk, which
	// costs no copy.
	stream *notebooks.Output
	text   strings.Builder
}

var _ engine.Output = (*cellOutput)(nil)

// add appends o, shown with display id (""; none), to the cell, applying
// a pending clear first. r.mu is held.
func (c *cellOutput) add(o *notebooks.Output, id string) {
	c.flushClear()
	c.cell.Outputs = append(c.cell.Outputs, o)
	if id != "" {
		c.r.displays[id] = append(c.r.displays[id], o)
		c.r.idOf[o] = id
	}
}

func (c *cellOutput) flushClear() {
	if c.clearPending {
		c.clearPending = false
		c.clearNow()
	}
}

// clearNow removes the cell's outputs and forgets their display ids.
func (c *cellOutput) clearNow() {
	for _, o := range c.cell.Outputs {
		id, ok := c.r.idOf[o]
		if !ok {
			continue
		}
		delete(c.r.idOf, o)
		list := c.r.displays[id]
		kept := list[:0]
		for _, x := range list {
			if x != o {
				kept = append(kept, x)
			}
		}
		if len(kept) == 0 {
			delete(c.r.displays, id)
		} else {
			c.r.displays[id] = kept
		}
	}
	c.cell.Outputs = []*notebooks.Output{}
}

// Stream appends text to the cell's stream; consecutive chunks of the same
// stream make one output.
func (c *cellOutput) Stream(name, text string) {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	if c.r.closed || text == "" {
		return
	}
	c.flushClear()
	var last *notebooks.Output
	if n := len(c.cell.Outputs); n > 0 {
		last = c.cell.Outputs[n-1]
	}
	if last == nil || last.Type != notebooks.Stream || last.Name != name {
		last = &notebooks.Output{Type: notebooks.Stream, Name: name}
		c.cell.Outputs = append(c.cell.Outputs, last)
	}
	if last != c.stream || last.Text != c.text.String() {
		// A new stream output, or one whose text this builder does not
		// hold. (Between chunks the two strings share their bytes, and
		// the comparison returns without reading them.)
		c.stream = last
		c.text.Reset()
		c.text.WriteString(last.Text)
	}
	c.text.WriteString(text)
	last.Text = c.text.String()
}

// Display adds a display_data output.
func (c *cellOutput) Display(b engine.Bundle, id string) {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	if c.r.closed {
		return
	}
	data, md := bundle(b)
	c.add(&notebooks.Output{Type: notebooks.DisplayData, Data: data, Metadata: md}, id)
	if c.r.live != nil {
		c.r.onLive()
		c.r.live.display(b, id)
	}
}

// Update replaces the data of every output shown with display id.
func (c *cellOutput) Update(b engine.Bundle, id string) {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	if c.r.closed {
		return
	}
	for _, o := range c.r.displays[id] {
		o.Data, o.Metadata = bundle(b)
	}
	if c.r.live != nil {
		c.r.onLive()
		c.r.live.update(b, id)
	}
}

// Clear clears the cell's outputs; with wait, when the next output arrives.
func (c *cellOutput) Clear(wait bool) {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	if c.r.closed {
		return
	}
	if wait {
		c.clearPending = true
	} else {
		c.clearPending = false
		c.clearNow()
	}
	if c.r.live != nil {
		c.r.onLive()
		c.r.live.clear(wait)
	}
}

// Input refuses: a headless run cannot ask for input.
func (c *cellOutput) Input(prompt string, password bool) (string, error) {
	return "", errNoInput
}

// result records the cell's value as an execute_result.
func (c *cellOutput) result(b *engine.Bundle, count int) {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	data, md := bundle(*b)
	n := count
	c.add(&notebooks.Output{Type: notebooks.ExecuteResult, Data: data, Metadata: md, ExecutionCount: &n}, "")
}

// fail records an error output.
func (c *cellOutput) fail(e *engine.Error) {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	tb := append([]string{}, e.Traceback...)
	c.add(&notebooks.Output{Type: notebooks.Error, EName: e.Name, EValue: e.Value, Traceback: tb}, "")
}

// bundle copies a display bundle into output data and metadata. Strings
// stay strings; JSON values are copied through encoding/json (numbers as
// json.Number) so that the notebook holds no reference to the cell's
// values and always encodes. A value that does not encode is replaced by
// a string saying why.
func bundle(b engine.Bundle) (data, md map[string]any) {
	data = make(map[string]any, len(b.Data))
	for mime, v := range b.Data {
		data[mime] = jsonCopy(v)
	}
	md = make(map[string]any, len(b.Metadata))
	for k, v := range b.Metadata {
		md[k] = jsonCopy(v)
	}
	return data, md
}

func jsonCopy(v any) any {
	switch v := v.(type) {
	case string, nil, bool, json.Number:
		return v
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("gotrann: cannot encode %T as JSON: %v", v, err)
	}
	var out any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		return fmt.Sprintf("gotrann: cannot encode %T as JSON: %v", v, err)
	}
	return out
}
