package notebooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/trannsformer/gotrann/kernel/engine"
)

// errNoInput is what input() gets: a headless run has no one to ask.
var errNoInput = errors.New("input is not available: the notebook runs without a frontend")

// recorder turns the output of a run into cell outputs. It is shared by
// the cells of one run: update_display_data reaches outputs of any cell,
// as in Jupyter. Once closed (when Run returns) it drops late output from
// goroutines that outlive their cell, so that the notebook does not change
// while it is written.
type recorder struct {
	mu       sync.Mutex
	closed   bool
	displays map[string][]*Output // display_id -> outputs shown with it
	live     *liveEcho            // optional echo of display calls
	onLive   func()               // called before each echo, under mu
}

func newRecorder(live engine.Sink, onLive func()) *recorder {
	return &recorder{displays: map[string][]*Output{}, live: newLiveEcho(live), onLive: onLive}
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
func (r *recorder) cell(c *Cell) *cellOutput { return &cellOutput{r: r, cell: c} }

// cellOutput is the engine.Output of one cell.
type cellOutput struct {
	r            *recorder
	cell         *Cell
	clearPending bool // clear_output(wait=true) seen, not yet applied
}

var _ engine.Output = (*cellOutput)(nil)

// add appends o to the cell, applying a pending clear first. r.mu is held.
func (c *cellOutput) add(o *Output) {
	c.flushClear()
	c.cell.Outputs = append(c.cell.Outputs, o)
	if o.displayID != "" {
		c.r.displays[o.displayID] = append(c.r.displays[o.displayID], o)
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
		if o.displayID == "" {
			continue
		}
		list := c.r.displays[o.displayID]
		kept := list[:0]
		for _, x := range list {
			if x != o {
				kept = append(kept, x)
			}
		}
		if len(kept) == 0 {
			delete(c.r.displays, o.displayID)
		} else {
			c.r.displays[o.displayID] = kept
		}
	}
	c.cell.Outputs = []*Output{}
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
	if n := len(c.cell.Outputs); n > 0 {
		if last := c.cell.Outputs[n-1]; last.Type == Stream && last.Name == name {
			last.Text += text
			return
		}
	}
	c.cell.Outputs = append(c.cell.Outputs, &Output{Type: Stream, Name: name, Text: text})
}

// Display adds a display_data output.
func (c *cellOutput) Display(b engine.Bundle, id string) {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	if c.r.closed {
		return
	}
	data, md := bundle(b)
	c.add(&Output{Type: DisplayData, Data: data, Metadata: md, displayID: id})
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
	c.add(&Output{Type: ExecuteResult, Data: data, Metadata: md, ExecutionCount: &n})
}

// fail records an error output.
func (c *cellOutput) fail(e *engine.Error) {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	tb := append([]string{}, e.Traceback...)
	c.add(&Output{Type: Error, EName: e.Name, EValue: e.Value, Traceback: tb})
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
