package widget

import (
	"sync"

	"github.com/trannsformer/gotrann/kernel/engine"
)

// StateRecorder is an engine.CommSink that mirrors the widget models an
// engine sends to the front end (comm_open, update, comm_close on the
// jupyter.widget target), so that a notebook runner without a front end
// can save the widgets' last state in the notebook's metadata.
// Its methods are safe for concurrent use.
type StateRecorder struct {
	mu     sync.Mutex
	models map[string]map[string]any
	widget map[string]bool // comm ids of jupyter.widget comms
}

// NewStateRecorder returns an empty StateRecorder.
func NewStateRecorder() *StateRecorder {
	return &StateRecorder{models: map[string]map[string]any{}, widget: map[string]bool{}}
}

// Comm records one message of the engine.
func (r *StateRecorder) Comm(m engine.Comm) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch m.Type {
	case engine.CommOpen:
		if m.TargetName != TargetWidget {
			return
		}
		r.widget[m.CommID] = true
		st, ok := m.Data["state"].(map[string]any)
		if !ok { // protocol 1: the state is the data
			st = m.Data
		}
		r.models[m.CommID] = copyMap(st)
	case engine.CommMsg:
		if !r.widget[m.CommID] {
			return
		}
		if method := m.Data["method"]; method != "update" && method != "echo_update" {
			return
		}
		st, _ := m.Data["state"].(map[string]any)
		for k, v := range st {
			r.models[m.CommID][k] = v
		}
	case engine.CommClose:
		delete(r.models, m.CommID)
		delete(r.widget, m.CommID)
	}
}

// State returns the value of the application/vnd.jupyter.widget-state+json
// key of a notebook's metadata.widgets: every open model and its state.
func (r *StateRecorder) State() map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	models := map[string]any{}
	for id, st := range r.models {
		models[id] = map[string]any{
			"model_name":           st["_model_name"],
			"model_module":         st["_model_module"],
			"model_module_version": st["_model_module_version"],
			"state":                copyMap(st),
		}
	}
	return map[string]any{"version_major": 2, "version_minor": 0, "state": models}
}

// Len returns the number of open models.
func (r *StateRecorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.models)
}

// SaveTo stores the state in a notebook's metadata (metadata.widgets),
// when there is at least one model; it returns whether it did.
func (r *StateRecorder) SaveTo(metadata map[string]any) bool {
	if r.Len() == 0 || metadata == nil {
		return false
	}
	w, _ := metadata["widgets"].(map[string]any)
	if w == nil {
		w = map[string]any{}
	}
	w[StateMIME] = r.State()
	metadata["widgets"] = w
	return true
}
