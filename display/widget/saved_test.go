package widget

import (
	"testing"

	"github.com/trannsformer/gotrann/kernel/comm"
)

func TestStateRecorder(t *testing.T) {
	for _, p := range []int{Protocol1, Protocol2} {
		m := comm.NewManager()
		rec := NewStateRecorder()
		m.SetSink(rec)
		k := New(m)
		k.SetProtocol(p)
		s := k.NewIntSlider("k", 0, 10, 1, 3)
		s.SetValue(6)
		b := k.NewButton("gone")
		b.Close()
		md := map[string]any{"kernelspec": map[string]any{}}
		if !rec.SaveTo(md) {
			t.Fatalf("p%d: nothing saved", p)
		}
		st := md["widgets"].(map[string]any)[StateMIME].(map[string]any)["state"].(map[string]any)
		if len(st) != 1 {
			t.Fatalf("p%d: %d models saved", p, len(st))
		}
		model := st[s.ID()].(map[string]any)
		if model["model_name"] != "IntSliderModel" || toFloat(model["state"].(map[string]any)["value"]) != 6 {
			t.Errorf("p%d: saved %v", p, model)
		}
	}
	if NewStateRecorder().SaveTo(map[string]any{}) {
		t.Error("an empty recorder saved a state")
	}
}
