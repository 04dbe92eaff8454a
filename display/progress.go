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
}

// Progress shows a new progress bar counting up to total (zero or less for
// an unknown total, shown as a bare count) and returns it.
func (d *Display) Progress(total int) *Bar {
	now := d.now()
	b := &Bar{d: d, id: d.newID(), interval: d.interval, total: total, start: now, lastSent: now}
	if s, ok := d.sink.(interface{ UpdateInterval() time.Duration }); ok && s.UpdateInterval() > b.interval {
		b.interval = s.UpdateInterval()
	}
	d.sink.Display(b.bundleLocked(now), b.id)
	return b
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
	b.d.sink.Update(b.bundleLocked(now), b.id)
	b.d.flush()
	b.mu.Unlock()
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
		b.mu.Unlock()
		return
	}
	b.sentComplete = b.sentComplete || complete
	b.lastSent = now
	b.d.sink.Update(b.bundleLocked(now), b.id)
	b.mu.Unlock()
}

// String describes the bar's state as its text rendering.
func (b *Bar) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.textLocked(b.d.now())
}

// bundleLocked renders the bar at time now.
func (b *Bar) bundleLocked(now time.Time) Bundle {
	bundle := newBundle()
	bundle.Data["text/plain"] = b.textLocked(now)
	bundle.Data["text/html"] = b.htmlLocked(now)
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

// stats returns the count, elapsed time and rate text, e.g.
// "450/1000 [12s<15s, 37.5/s]".
func (b *Bar) stats(now time.Time) string {
	el := now.Sub(b.start)
	if el < 0 {
		el = 0
	}
	var sb strings.Builder
	if b.total > 0 {
		fmt.Fprintf(&sb, "%d/%d", b.n, b.total)
	} else {
		fmt.Fprintf(&sb, "%d", b.n)
	}
	sb.WriteString(" [" + fmtDuration(el))
	if s := el.Seconds(); s > 0 && b.n > 0 {
		rate := float64(b.n) / s
		if b.total > 0 && b.n < b.total && !b.done {
			sb.WriteString("<" + fmtDuration(time.Duration(float64(b.total-b.n)/rate*float64(time.Second))))
		}
		fmt.Fprintf(&sb, ", %s/s", fmtRate(rate))
	}
	sb.WriteString("]")
	return sb.String()
}

func (b *Bar) textLocked(now time.Time) string {
	var sb strings.Builder
	if b.label != "" {
		sb.WriteString(b.label + " ")
	}
	if f, ok := b.fraction(); ok {
		fill := int(math.Floor(f * barWidth))
		fmt.Fprintf(&sb, "%3d%% |%s%s| ", int(math.Floor(f*100)), strings.Repeat("#", fill), strings.Repeat("-", barWidth-fill))
	}
	sb.WriteString(b.stats(now))
	return sb.String()
}

func (b *Bar) htmlLocked(now time.Time) string {
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
	sb.WriteString("<span>" + html.EscapeString(b.stats(now)) + "</span></div>")
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
