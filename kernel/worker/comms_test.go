package worker

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/trannsformer/gotrann/kernel/engine"
)

// commRecorder is a CommSink that passes the comm messages on a channel.
type commRecorder chan engine.Comm

func (r commRecorder) Comm(m engine.Comm) { r <- m }

// waitComm returns the first message for which ok is true.
func (r commRecorder) wait(t *testing.T, what string, ok func(engine.Comm) bool) engine.Comm {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case m := <-r:
			if ok(m) {
				return m
			}
		case <-timeout:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// A widget made in a cell of the real worker: its comm_open reaches the
// kernel's sink, a change in the front end reaches its callback, which
// updates another widget, and a panic in a callback is reported without
// ending the worker.
func TestWidgetRoundTrip(t *testing.T) {
	s := newSupervisor(t, nil)
	rec := make(commRecorder, 256)
	s.SetCommSink(rec)
	res, out := mustRun(t, s, `
import "github.com/trannsformer/gotrann/display/widget"
lbl := widget.NewLabel("none")
sl := widget.NewIntSlider("k", 0, 10, 1, 3)
sl.OnChange(func(v int) {
	if v == 9 {
		panic("nine is not allowed")
	}
	lbl.SetValue(fmt.Sprint("k=", v))
})
sl`)
	if res.Value == nil || res.Value.Data["application/vnd.jupyter.widget-view+json"] == nil {
		t.Fatalf("cell value %+v", res.Value)
	}
	open := rec.wait(t, "the slider's comm_open", func(m engine.Comm) bool {
		st, _ := m.Data["state"].(map[string]any)
		return m.Type == engine.CommOpen && m.TargetName == "jupyter.widget" && st["_model_name"] == "IntSliderModel"
	})
	id := open.CommID
	if info := s.CommInfo("jupyter.widget"); info[id] != "jupyter.widget" || len(info) != 2 {
		t.Errorf("CommInfo = %v", info)
	}
	if !s.DeliverComm(engine.Comm{Type: engine.CommMsg, CommID: id, Data: map[string]any{
		"method": "update", "state": map[string]any{"value": 7}, "buffer_paths": []any{}}}) {
		t.Fatal("DeliverComm failed")
	}
	rec.wait(t, "the label's update", func(m engine.Comm) bool {
		st, _ := m.Data["state"].(map[string]any)
		return m.Type == engine.CommMsg && m.Data["method"] == "update" && st["value"] == "k=7"
	})
	if res, _ := run(t, s, `sl.Value()`); res.Value == nil || res.Value.Data["text/plain"] != "7" {
		t.Errorf("Value() after the change: %+v", res.Value)
	}

	// a panic in the callback is reported on the last cell's stderr; the
	// next change's update arrives after the report (one goroutine
	// handles the comm messages in order, one pipe carries them)
	_, out = mustRun(t, s, `1+1`)
	s.DeliverComm(engine.Comm{Type: engine.CommMsg, CommID: id, Data: map[string]any{
		"method": "update", "state": map[string]any{"value": 9}}})
	s.DeliverComm(engine.Comm{Type: engine.CommMsg, CommID: id, Data: map[string]any{
		"method": "update", "state": map[string]any{"value": 5}}})
	rec.wait(t, "the label's update", func(m engine.Comm) bool {
		st, _ := m.Data["state"].(map[string]any)
		return m.Type == engine.CommMsg && st["value"] == "k=5"
	})
	if !strings.Contains(out.text("stderr"), "nine is not allowed") {
		t.Errorf("panic not reported; stderr %q", out.text("stderr"))
	}
	if res, _ := run(t, s, `sl.Value()`); res.Err != nil || res.Value.Data["text/plain"] != "5" {
		t.Errorf("after the panic: %+v %+v", res.Err, res.Value)
	}

	// a comm to an unknown target is closed
	s.DeliverComm(engine.Comm{Type: engine.CommOpen, CommID: "x1", TargetName: "nope"})
	rec.wait(t, "comm_close of x1", func(m engine.Comm) bool { return m.Type == engine.CommClose && m.CommID == "x1" })

	// a comm message is delivered while a cell runs
	done := make(chan engine.Result, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		done <- s.Execute(ctx, engine.Request{Code: `for lbl.Value() != "k=2" { time.Sleep(time.Millisecond) }; "unblocked"`}, &recorder{})
	}()
	s.DeliverComm(engine.Comm{Type: engine.CommMsg, CommID: id, Data: map[string]any{
		"method": "update", "state": map[string]any{"value": 2}}})
	if r := <-done; r.Err != nil || r.Value.Data["text/plain"] != `unblocked` {
		t.Errorf("cell waiting for a comm message: %+v %+v", r.Err, r.Value)
	}
}

// The comms the front end opened are opened again in the worker that
// replaces a dead one: the widget protocol's version comm tells the new
// worker to speak protocol 1 again.
func TestCommsReopenedAfterCrash(t *testing.T) {
	s := newSupervisor(t, nil)
	rec := make(commRecorder, 256)
	s.SetCommSink(rec)
	isVersion := func(m engine.Comm) bool {
		return m.Type == engine.CommMsg && m.CommID == "v1" && m.Data["version"] == "~2.1.4"
	}
	s.DeliverComm(engine.Comm{Type: engine.CommOpen, CommID: "v1", TargetName: "jupyter.widget.version"})
	rec.wait(t, "the version message", isVersion)
	s.DeliverComm(engine.Comm{Type: engine.CommOpen, CommID: "gone", TargetName: "nope"})
	rec.wait(t, "comm_close of an unknown target", func(m engine.Comm) bool { return m.Type == engine.CommClose && m.CommID == "gone" })
	res, _ := run(t, s, "func rec(n int) int { return rec(n+1) + 1 }\nrec(0)")
	if res.Err == nil || res.Err.Name != "StackOverflow" {
		t.Fatalf("crash cell: %+v", res.Err)
	}
	rec.wait(t, "the version message of the new worker", isVersion)
	res, _ = mustRun(t, s, `
import "github.com/trannsformer/gotrann/display/widget"
widget.Default().Protocol()`)
	if res.Value == nil || res.Value.Data["text/plain"] != "1" {
		t.Errorf("protocol after the restart: %+v", res.Value)
	}
	if info := s.CommInfo(""); len(info) != 1 || info["v1"] != "jupyter.widget.version" {
		t.Errorf("comms of the new worker: %v", info)
	}
}
