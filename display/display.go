package display

import (
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"time"
)

// Options configures a Display. The zero value means the defaults.
type Options struct {
	// Now is the clock used to throttle progress updates. Nil means time.Now.
	// Tests inject a fake clock here.
	Now func() time.Time
	// Seed, when non-zero, seeds the random prefix of display IDs so that IDs
	// are reproducible. Zero draws the prefix from crypto/rand, so that two
	// sessions never share an ID.
	Seed uint64
	// Interval is the minimum time between two in-place updates of a progress
	// bar. Zero means 100ms (about ten updates a second).
	Interval time.Duration
}

// Display sends output to one Sink. The kernel's session makes one per
// session and binds the package-level functions of the same names (Show,
// Clear, ClearWait, Progress, NewMonitor) to it, so cells call
// display.Show(v) with no set-up.
//
// A Display is safe for concurrent use.
type Display struct {
	sink     Sink
	now      func() time.Time
	interval time.Duration
	prefix   string

	mu   sync.Mutex
	next uint64
	bars []*Bar // bars not done, in the order they were made (progress.go)
}

// New returns a Display writing to sink with the default Options. A nil
// sink discards everything.
func New(sink Sink) *Display { return NewWithOptions(sink, Options{}) }

// NewWithOptions returns a Display writing to sink. A nil sink discards
// everything.
func NewWithOptions(sink Sink, o Options) *Display {
	if sink == nil {
		sink = discard{}
	}
	d := &Display{sink: sink, now: o.Now, interval: o.Interval}
	if d.now == nil {
		d.now = time.Now
	}
	if d.interval <= 0 {
		d.interval = 100 * time.Millisecond
	}
	seed := o.Seed
	if seed == 0 {
		var b [8]byte
		if _, err := crand.Read(b[:]); err == nil {
			seed = binary.LittleEndian.Uint64(b[:])
		} else {
			seed = uint64(time.Now().UnixNano())
		}
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	d.prefix = fmt.Sprintf("%08x", r.Uint32())
	return d
}

// newID returns a display ID unique within d.
func (d *Display) newID() string {
	d.mu.Lock()
	d.next++
	n := d.next
	d.mu.Unlock()
	return fmt.Sprintf("gotrann-%s-%d", d.prefix, n)
}

// Show renders v (see Render) and displays it with a new display ID. The
// returned Handle updates that output in place.
func (d *Display) Show(v any) *Handle {
	id := d.newID()
	d.sink.Display(Render(v), id)
	return &Handle{d: d, id: id}
}

// Clear clears the output of the current cell at once.
func (d *Display) Clear() { d.sink.Clear(false) }

// ClearWait clears the output of the current cell when the next output
// arrives, which avoids flicker in animations.
func (d *Display) ClearWait() { d.sink.Clear(true) }

// flush asks the sink to flush pending output, when it can.
func (d *Display) flush() {
	if f, ok := d.sink.(interface{ Flush() error }); ok {
		_ = f.Flush()
	}
}

// std is the Display behind the package-level functions of compiled
// programs: it writes plain text to os.Stdout through a TerminalSink, with
// progress bars updated in place when os.Stdout is a terminal. It is set
// once at start-up and never replaced; the kernel does not use it (it binds
// the package-level names to its own Display instead).
var std = New(NewTerminalSink(os.Stdout))

// Show displays v on the default Display. See (*Display).Show.
func Show(v any) *Handle { return std.Show(v) }

// Clear clears the output on the default Display. See (*Display).Clear.
func Clear() { std.Clear() }

// ClearWait clears the output on the default Display when new output
// arrives. See (*Display).ClearWait.
func ClearWait() { std.ClearWait() }

// Progress starts a progress bar on the default Display. See
// (*Display).Progress.
func Progress(total int) *Bar { return std.Progress(total) }

// NewMonitor starts a generic live monitor on the default Display. See
// (*Display).NewMonitor.
func NewMonitor(title string) *Monitor { return std.NewMonitor(title) }

// discard is the Sink of a Display made with a nil sink.
type discard struct{}

func (discard) Display(Bundle, string) {}
func (discard) Update(Bundle, string)  {}
func (discard) Clear(bool)             {}
