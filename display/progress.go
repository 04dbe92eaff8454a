package display

import (
	"fmt"
	"html"
	"math"
	"strings"
	"sync"
	"time"
)

// Bar is a progress bar shown in place: an HTML bar in a notebook, a line
// rewritten with \r on a terminal. Updates reach the sink at most once per
// update interval (about ten a second; longer when the sink asks for it, as
// a TerminalSink writing to a file does), except the first and the last.
//
// While it runs, a bar shows the elapsed time, the time left and the rate;
// its final state (after Done, or at its total) shows only the label and
// the count, so that a notebook saved after a run holds the same output
// on every run. Call Done when a loop ends before the total (or has none).
// A Bar is safe for concurrent use.
type Bar struct {
	d        *Display
	id       string
	interval time.Duration

	mu       sync.Mutex
	total    int
	n        int
	label    string
	start    time.Time
	lastSent time.Time
	done     bool

	sentComplete bool
	// pending: a change not sent yet (throttled); timed: the last state
	// sent shows times (Settle replaces it).
	pending, timed bool
}

// Progress shows a new progress bar counting up to total (zero or less for
// an unknown total, shown as a bare count) and returns it.
func (d *Display) Progress(total int) *Bar {
	now := d.now()
	b := &Bar{d: d, id: d.newID(), interval: d.interval, total: total, start: now, lastSent: now}
	if s, ok := d.sink.(interface{ UpdateInterval() time.Duration }); ok && s.UpdateInterval() > b.interval {
		b.interval = s.UpdateInterval()
	}
	b.mu.Lock()
	d.sink.Display(b.sendLocked(now, true), b.id)
	b.mu.Unlock()
	d.track(b, false)
	return b
}

// Settle shows every bar of d that is not done in its current state, as
// a final state shows it (label and count, no times or rates), if that is
// not what its output shows already; the bars stay live. The kernel's
// session calls it at the end of every cell, so that what a notebook
// saves — the last update of a cell's outputs — holds no throttled count
// and no time, even for a bar left unfinished (no Done, total not
// reached).
func (d *Display) Settle() {
	d.mu.Lock()
	bars := append([]*Bar(nil), d.bars...)
	d.mu.Unlock()
	for _, b := range bars {
		b.mu.Lock()
		if !b.done && (b.pending || b.timed) {
			now := b.d.now()
			b.lastSent = now
			b.d.sink.Update(b.sendLocked(now, false), b.id)
		}
		b.mu.Unlock()
	}
}

// track adds b to the bars Settle visits or, with done, removes it.
func (d *Display) track(b *Bar, done bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !done {
		d.bars = append(d.bars, b)
		return
	}
	for i, x := range d.bars {
		if x == b {
			d.bars = append(d.bars[:i], d.bars[i+1:]...)
			return
		}
	}
}

// ID returns the display ID of the bar's output.
func (b *Bar) ID() string { return b.id }

// Add advances the bar by n.
func (b *Bar) Add(n int) {
	b.mu.Lock()
	b.n += n
	b.changedLocked()
}

// Set sets the bar's count to n.
func (b *Bar) Set(n int) {
	b.mu.Lock()
	b.n = n
	b.changedLocked()
}

// SetTotal changes the total the bar counts up to.
func (b *Bar) SetTotal(total int) {
	b.mu.Lock()
	b.total = total
	b.changedLocked()
}

// SetLabel sets the text shown before the bar.
func (b *Bar) SetLabel(label string) {
	b.mu.Lock()
	b.label = label
	b.changedLocked()
}

// Count returns the bar's count and total.
func (b *Bar) Count() (n, total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.n, b.total
}

func (b *Bar) isDone() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.done
}

// Done shows the bar's final state, whatever the throttle says, and stops
// further updates. Calling Done twice is harmless.
func (b *Bar) Done() {
	b.mu.Lock()
	if b.done {
		b.mu.Unlock()
		return
	}
	b.done = true
	now := b.d.now()
	b.lastSent = now
	// The sink is called with b.mu held so that updates from several
	// goroutines reach it in order.
	b.d.sink.Update(b.sendLocked(now, true), b.id)
	b.d.flush()
	b.mu.Unlock()
	b.d.track(b, true)
}

// changedLocked sends an update if the throttle allows it; it is called
// with b.mu held and releases it. Reaching the total forces one update.
func (b *Bar) changedLocked() {
	if b.done {
		b.mu.Unlock()
		return
	}
	now := b.d.now()
	complete := b.total > 0 && b.n >= b.total
	force := complete && !b.sentComplete
	if now.Sub(b.lastSent) < b.interval && !force {
		b.pending = true
		b.mu.Unlock()
		return
	}
	b.sentComplete = b.sentComplete || complete
	b.lastSent = now
	b.d.sink.Update(b.sendLocked(now, true), b.id)
	b.mu.Unlock()
}

// String describes the bar's state as its text rendering.
func (b *Bar) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.textLocked(b.d.now(), !b.final())
}

// sendLocked renders the bar at time now for the sink, with times unless
// the state is final or timed is false, and records what was sent.
func (b *Bar) sendLocked(now time.Time, timed bool) Bundle {
	timed = timed && !b.final()
	b.pending, b.timed = false, timed
	bundle := newBundle()
	bundle.Data["text/plain"] = b.textLocked(now, timed)
	bundle.Data["text/html"] = b.htmlLocked(now, timed)
	return bundle
}

const barWidth = 30

func (b *Bar) fraction() (float64, bool) {
	if b.total <= 0 {
		return 0, false
	}
	f := float64(b.n) / float64(b.total)
	return math.Max(0, math.Min(1, f)), true
}

// final reports whether the bar shows its final state: done, or at its
// total. A final state is rendered without times or rates, so that a
// saved notebook holds the same bar on every run (the live updates before
// it show them).
func (b *Bar) final() bool {
	return b.done || (b.total > 0 && b.n >= b.total)
}

// stats returns the count, elapsed time and rate text, e.g.
// "450/1000 [12s<15s, 37.5/s]"; without timed, the count alone, e.g.
// "1000/1000".
func (b *Bar) stats(now time.Time, timed bool) string {
	var sb strings.Builder
	if b.total > 0 {
		fmt.Fprintf(&sb, "%d/%d", b.n, b.total)
	} else {
		fmt.Fprintf(&sb, "%d", b.n)
	}
	if !timed {
		return sb.String()
	}
	el := now.Sub(b.start)
	if el < 0 {
		el = 0
	}
	sb.WriteString(" [" + fmtDuration(el))
	if s := el.Seconds(); s > 0 && b.n > 0 {
		rate := float64(b.n) / s
		if b.total > 0 && b.n < b.total {
			sb.WriteString("<" + fmtDuration(time.Duration(float64(b.total-b.n)/rate*float64(time.Second))))
		}
		fmt.Fprintf(&sb, ", %s/s", fmtRate(rate))
	}
	sb.WriteString("]")
	return sb.String()
}

func (b *Bar) textLocked(now time.Time, timed bool) string {
	var sb strings.Builder
	if b.label != "" {
		sb.WriteString(b.label + " ")
	}
	if f, ok := b.fraction(); ok {
		fill := int(math.Floor(f * barWidth))
		fmt.Fprintf(&sb, "%3d%% |%s%s| ", int(math.Floor(f*100)), strings.Repeat("#", fill), strings.Repeat("-", barWidth-fill))
	}
	sb.WriteString(b.stats(now, timed))
	return sb.String()
}

func (b *Bar) htmlLocked(now time.Time, timed bool) string {
	f, known := b.fraction()
	color := "#1f77b4"
	if b.done {
		color = "#2ca02c"
	}
	var sb strings.Builder
	sb.WriteString(`<div style="display:flex;align-items:center;gap:0.6em;font-family:monospace;font-size:0.9em">`)
	if b.label != "" {
		sb.WriteString("<span>" + html.EscapeString(b.label) + "</span>")
	}
	if known {
		fmt.Fprintf(&sb, `<div style="width:20em;height:1em;border:1px solid #999;border-radius:3px;background:#eee">`+
			`<div style="width:%.1f%%;height:100%%;background:%s"></div></div><span>%d%%</span>`, f*100, color, int(math.Floor(f*100)))
	}
	sb.WriteString("<span>" + html.EscapeString(b.stats(now, timed)) + "</span></div>")
	return sb.String()
}

// fmtDuration formats d as 7s, 2m05s or 1h02m.
func fmtDuration(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	default:
		return fmt.Sprintf("%dh%02dm", s/3600, (s%3600)/60)
	}
}

// fmtRate formats a rate with three significant digits.
func fmtRate(r float64) string {
	switch {
	case r >= 1e6:
		return fmt.Sprintf("%.3gM", r/1e6)
	case r >= 1e4:
		return fmt.Sprintf("%.3gk", r/1e3)
	default:
		return fmt.Sprintf("%.3g", r)
	}
}
