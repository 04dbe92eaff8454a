package display

import (
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestProgressFinalStateDeterministic runs the same bars at different
// speeds: the live updates differ (times, rates), the final states, which
// a saved notebook keeps, must not.
func TestProgressFinalStateDeterministic(t *testing.T) {
	cases := []struct {
		name string
		run  func(d *Display, step func())
		want string // final text/plain
	}{
		{"done at the total", func(d *Display, step func()) {
			b := d.Progress(20)
			b.SetLabel("count")
			for i := 0; i < 20; i++ {
				step()
				b.Add(1)
			}
			b.Done()
		}, "count 100% |##############################| 20/20"},
		{"at the total, never done", func(d *Display, step func()) {
			b := d.Progress(8)
			for i := 0; i < 8; i++ {
				step()
				b.Add(1)
			}
		}, "100% |##############################| 8/8"},
		{"done before the total", func(d *Display, step func()) {
			b := d.Progress(10)
			for i := 0; i < 7; i++ {
				step()
				b.Add(1)
			}
			b.Done()
		}, " 70% |#####################---------| 7/10"},
		{"unknown total, done", func(d *Display, step func()) {
			b := d.Progress(0)
			for i := 0; i < 5; i++ {
				step()
				b.Add(3)
			}
			b.Done()
		}, "15"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var finals []Bundle
			for _, dt := range []time.Duration{time.Millisecond, 350 * time.Millisecond, 7 * time.Second} {
				d, r, c := newTestDisplay()
				tc.run(d, func() { c.advance(dt) })
				last := r.events[len(r.events)-1]
				finals = append(finals, last.b)
				if s := last.b.Data["text/plain"]; s != tc.want {
					t.Errorf("step %v: final text %q, want %q", dt, s, tc.want)
				}
				if len(r.events) > 2 && dt >= 350*time.Millisecond {
					// The live updates before the final one show times.
					if s := r.events[1].b.Data["text/plain"].(string); !strings.Contains(s, "[") {
						t.Errorf("step %v: live update %q without elapsed time", dt, s)
					}
				}
			}
			for i := 1; i < len(finals); i++ {
				if !reflect.DeepEqual(finals[0], finals[i]) {
					t.Errorf("final bundles differ with the speed:\n%v\n%v", finals[0].Data, finals[i].Data)
				}
			}
		})
	}
}

// TestProgressSettle leaves bars unfinished at the end of a "cell": Settle
// shows their current count, which the throttle held back, without times,
// whatever the speed; it sends nothing more until they change, and
// forgets bars that are done.
func TestProgressSettle(t *testing.T) {
	var finals [][]Bundle
	for _, dt := range []time.Duration{time.Millisecond, 40 * time.Millisecond, 3 * time.Second} {
		d, r, c := newTestDisplay()
		a := d.Progress(10)
		a.SetLabel("a")
		u := d.Progress(0)
		for i := 0; i < 3; i++ {
			c.advance(dt)
			a.Add(1)
			u.Add(2)
		}
		n := len(r.events)
		d.Settle()
		if got := len(r.events) - n; got != 2 {
			t.Fatalf("step %v: Settle sent %d updates, want 2", dt, got)
		}
		final := []Bundle{r.events[n].b, r.events[n+1].b}
		if s := final[0].Data["text/plain"]; r.events[n].id != a.ID() || s != "a  30% |#########---------------------| 3/10" {
			t.Errorf("step %v: settled bar %q", dt, s)
		}
		if s := final[1].Data["text/plain"]; r.events[n+1].id != u.ID() || s != "6" {
			t.Errorf("step %v: settled bar %q", dt, s)
		}
		finals = append(finals, final)

		n = len(r.events)
		d.Settle()
		if len(r.events) != n {
			t.Errorf("step %v: a second Settle sent %d updates", dt, len(r.events)-n)
		}
		c.advance(time.Millisecond)
		a.Add(1) // throttled: pending
		u.Done()
		n = len(r.events)
		d.Settle()
		if len(r.events) != n+1 || r.events[n].id != a.ID() || r.events[n].b.Data["text/plain"] != "a  40% |############------------------| 4/10" {
			t.Errorf("step %v: Settle after a change: %d updates", dt, len(r.events)-n)
		}
		c.advance(time.Second)
		a.Add(1) // live again: times
		if s := r.events[len(r.events)-1].b.Data["text/plain"].(string); !strings.Contains(s, "5/10 [") {
			t.Errorf("step %v: live update after Settle %q", dt, s)
		}
	}
	for i := 1; i < len(finals); i++ {
		if !reflect.DeepEqual(finals[0], finals[i]) {
			t.Errorf("settled bars differ with the speed:\n%v\n%v", finals[0], finals[i])
		}
	}
}

// TestProgressSettleConcurrent settles while goroutines advance, finish
// and make bars (run it with -race).
func TestProgressSettleConcurrent(t *testing.T) {
	d := NewWithOptions(&recorder{}, Options{Seed: 1})
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				b := d.Progress(50)
				for i := 0; i < 50; i++ {
					b.Add(1)
				}
				if k%2 == 0 {
					b.Done()
				}
			}
		}()
	}
	for i := 0; i < 100; i++ {
		d.Settle()
	}
	wg.Wait()
	d.Settle()
	d.mu.Lock()
	open := len(d.bars)
	d.mu.Unlock()
	if open != 40 {
		t.Errorf("%d bars tracked, want the 40 not done", open)
	}
}
