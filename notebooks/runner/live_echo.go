package runner

import (
	"sort"
	"time"

	"github.com/trannsformer/gotrann/kernel/engine"
)

// liveEcho forwards display calls to Options.Live. When the sink asks
// for a minimum time between updates (UpdateInterval, as a terminal sink
// writing plain lines to a log does), updates of one display id come at
// most that often; the last one held back is sent when the cell ends.
// Its methods are called with the recorder's lock held.
type liveEcho struct {
	sink     engine.Sink
	interval time.Duration
	now      func() time.Time
	last     map[string]time.Time
	pending  map[string]engine.Bundle
	used     bool // something was echoed since the last flush
}

func newLiveEcho(sink engine.Sink) *liveEcho {
	if sink == nil {
		return nil
	}
	e := &liveEcho{sink: sink, now: time.Now, last: map[string]time.Time{}, pending: map[string]engine.Bundle{}}
	if s, ok := sink.(interface{ UpdateInterval() time.Duration }); ok {
		e.interval = s.UpdateInterval()
	}
	return e
}

func (e *liveEcho) display(b engine.Bundle, id string) {
	e.used = true
	if id != "" {
		e.last[id] = e.now()
		delete(e.pending, id)
	}
	e.sink.Display(b, id)
}

func (e *liveEcho) update(b engine.Bundle, id string) {
	e.used = true
	now := e.now()
	if e.interval > 0 && now.Sub(e.last[id]) < e.interval {
		e.pending[id] = b
		return
	}
	e.last[id] = now
	delete(e.pending, id)
	e.sink.Update(b, id)
}

func (e *liveEcho) clear(wait bool) {
	e.used = true
	e.sink.Clear(wait)
}

// flush sends the updates held back, in id order, and flushes the sink,
// if anything was echoed since the last flush.
func (e *liveEcho) flush() {
	if !e.used {
		return
	}
	e.used = false
	ids := make([]string, 0, len(e.pending))
	for id := range e.pending {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		e.last[id] = e.now()
		e.sink.Update(e.pending[id], id)
	}
	clear(e.pending)
	if f, ok := e.sink.(interface{ Flush() error }); ok {
		f.Flush()
	}
}
