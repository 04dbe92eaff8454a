package widget

import (
	"sort"
	"sync"

	"github.com/trannsformer/gotrann/display"
	"github.com/trannsformer/gotrann/kernel/comm"
)

// Protocol versions of the widget messages.
const (
	// Protocol1 is ipywidgets 6 (jupyter-js-widgets ~2.1.4).
	Protocol1 = 1
	// Protocol2 is ipywidgets 8 (protocol 2.1.0, @jupyter-widgets/controls 2.0.0).
	Protocol2 = 2
)

// Comm targets of the widget protocol.
const (
	TargetWidget  = "jupyter.widget"
	TargetVersion = "jupyter.widget.version"
	TargetControl = "jupyter.widget.control"
)

// ViewMIME is the MIME type of a widget's view in display_data.
const ViewMIME = "application/vnd.jupyter.widget-view+json"

// StateMIME is the MIME type of the widget state saved in a notebook's
// metadata.
const StateMIME = "application/vnd.jupyter.widget-state+json"

// Kit makes widgets on one comm Manager and speaks the protocol the front
// end asked for. Its methods are safe for concurrent use.
type Kit struct {
	comms *comm.Manager

	mu      sync.Mutex
	proto   int // 0: not announced yet (Protocol2 is spoken)
	disp    *display.Display
	widgets map[string]*Widget
	order   []string // model ids in creation order
}

// New returns a Kit on m; it registers the jupyter.widget.version and
// jupyter.widget.control targets with m.
func New(m *comm.Manager) *Kit {
	k := &Kit{comms: m, widgets: map[string]*Widget{}}
	m.RegisterTarget(TargetVersion, k.openVersion)
	m.RegisterTarget(TargetControl, k.openControl)
	return k
}

var (
	stdOnce sync.Once
	std     *Kit
)

// Default returns the Kit of the process's comm Manager (comm.Default).
func Default() *Kit {
	stdOnce.Do(func() { std = New(comm.Default()) })
	return std
}

// Comms returns the Kit's comm Manager.
func (k *Kit) Comms() *comm.Manager { return k.comms }

// SetProtocol chooses the protocol version (Protocol1 or Protocol2) for
// the widgets made from now on; the front end normally chooses it.
func (k *Kit) SetProtocol(p int) {
	k.mu.Lock()
	k.proto = p
	k.mu.Unlock()
}

// Protocol returns the protocol version spoken: Protocol1 after the front
// end opened a jupyter.widget.version comm, else Protocol2.
func (k *Kit) Protocol() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.proto == 0 {
		return Protocol2
	}
	return k.proto
}

// SetDisplay sets the Display that Interact shows its function's results
// on; the session sets its own. Without one, results go to an Output
// widget shown below the controls.
func (k *Kit) SetDisplay(d *display.Display) {
	k.mu.Lock()
	k.disp = d
	k.mu.Unlock()
}

func (k *Kit) display() *display.Display {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.disp
}

// openVersion answers the front end's jupyter.widget.version comm
// (protocol 1): the front end compares our range with its version.
func (k *Kit) openVersion(c *comm.Comm, data map[string]any) {
	k.SetProtocol(Protocol1)
	c.OnMsg(func(map[string]any) {}) // {"validated": true, "frontend_version": ...}
	c.Send(map[string]any{"version": v1Version})
}

// openControl answers the jupyter.widget.control comm (protocol 2.1):
// request_states gets the state of every widget.
func (k *Kit) openControl(c *comm.Comm, data map[string]any) {
	k.mu.Lock()
	if k.proto == 0 {
		k.proto = Protocol2
	}
	k.mu.Unlock()
	c.OnMsg(func(data map[string]any) {
		if data["method"] != "request_states" {
			return
		}
		states := map[string]any{}
		paths := map[string]any{}
		for _, w := range k.Widgets() {
			st := w.wireState(Protocol2)
			states[w.ID()] = map[string]any{
				"model_name":           st["_model_name"],
				"model_module":         st["_model_module"],
				"model_module_version": st["_model_module_version"],
				"state":                st,
			}
			paths[w.ID()] = []any{}
		}
		c.Send(map[string]any{"method": "update_states", "states": states, "buffer_paths": paths})
	})
}

// Widgets returns the open widgets in the order they were made.
func (k *Kit) Widgets() []*Widget {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]*Widget, 0, len(k.order))
	for _, id := range k.order {
		if w := k.widgets[id]; w != nil {
			out = append(out, w)
		}
	}
	return out
}

// State returns the saved widget state of every open widget, the value of
// the application/vnd.jupyter.widget-state+json key of a notebook's
// metadata.widgets, in protocol 2 form (what static renderers read).
func (k *Kit) State() map[string]any {
	models := map[string]any{}
	for _, w := range k.Widgets() {
		st := w.wireState(Protocol2)
		models[w.ID()] = map[string]any{
			"model_name":           st["_model_name"],
			"model_module":         st["_model_module"],
			"model_module_version": st["_model_module_version"],
			"state":                st,
		}
	}
	return map[string]any{"version_major": 2, "version_minor": 0, "state": models}
}

func (k *Kit) add(w *Widget) {
	k.mu.Lock()
	k.widgets[w.ID()] = w
	k.order = append(k.order, w.ID())
	k.mu.Unlock()
}

func (k *Kit) remove(id string) {
	k.mu.Lock()
	delete(k.widgets, id)
	for i, x := range k.order {
		if x == id {
			k.order = append(k.order[:i:i], k.order[i+1:]...)
			break
		}
	}
	k.mu.Unlock()
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
