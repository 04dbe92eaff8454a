package notebooks

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Widget MIME types and keys of nbformat and the Jupyter widgets protocol.
const (
	// WidgetViewMIME is the MIME type of an output that shows a widget:
	// {"model_id": ..., "version_major": 2, "version_minor": 0}.
	WidgetViewMIME = "application/vnd.jupyter.widget-view+json"
	// WidgetStateMIME is the key, under metadata.widgets, of the saved
	// widget models: {"state": {model_id: {..., "state": {...}}}, ...}.
	WidgetStateMIME = "application/vnd.jupyter.widget-state+json"
	// widgetRefPrefix starts a reference to another model inside a
	// model's state ("IPY_MODEL_" + model id).
	widgetRefPrefix = "IPY_MODEL_"
	// minFreeTextID is the least length of a model id that is also
	// replaced inside text outputs (a cell printing w.ID()); shorter ids
	// are replaced only where the format says a model id is.
	minFreeTextID = 16
)

// CanonicalWidgetIDs renames the widget models of nb — the model ids in
// widget outputs (WidgetViewMIME), the keys of the saved widget state
// (metadata.widgets) and the "IPY_MODEL_" references between models —
// to ids that depend only on where the models are shown, not on the
// random comm ids of the run. It returns the number of models renamed.
//
// The kernel draws a random comm id for every widget: ids must stay
// unique across worker restarts and kernels that share a front end, so
// the session cannot number them. The stored notebook can: a model
// shown first in cell C gets, as n-th model reached from C's outputs
// (the shown model, then the models its state refers to, breadth first
// in key order), the id derived from C's cell id and n; models reached
// from no output are numbered after those, in the order of their state.
// An id is 32 hex digits, the form of a comm id, laid out as a UUID of
// version 8 (RFC 9562) — it can never equal the uuid4 of a comm that a
// front end opens, nor, but with the chance of a 128-bit collision, a
// kernel's random id. Running the same notebook twice gives the same
// ids, and canonicalizing twice changes nothing.
//
// Long ids (16 characters or more) are also replaced inside text outputs
// and JSON values, so that a cell that prints a model's id stays in step.
func CanonicalWidgetIDs(nb *Notebook) int {
	if nb == nil {
		return 0
	}
	states := widgetStates(nb)
	rename := map[string]string{}
	taken := map[string]bool{}
	// assign gives old the canonical id derived from key, once.
	assign := func(old, key string) {
		if _, ok := rename[old]; ok || old == "" {
			return
		}
		for salt := 0; ; salt++ {
			id := widgetID(fmt.Sprintf("%s\x00%d", key, salt))
			if !taken[id] {
				taken[id] = true
				rename[old] = id
				return
			}
		}
	}
	// walk numbers the models reachable from roots, breadth first.
	walk := func(roots []string, prefix string, n *int) {
		queue := append([]string(nil), roots...)
		for len(queue) > 0 {
			id := queue[0]
			queue = queue[1:]
			if _, ok := rename[id]; ok || id == "" {
				continue
			}
			assign(id, fmt.Sprintf("%s\x00%d", prefix, *n))
			*n++
			if st, ok := states[id].(map[string]any); ok {
				queue = append(queue, modelRefs(st["state"], nil)...)
			}
		}
	}
	for i, c := range nb.Cells {
		if c == nil {
			continue
		}
		var roots []string
		for _, o := range c.Outputs {
			if o == nil {
				continue
			}
			if id := viewModelID(o.Data); id != "" {
				roots = append(roots, id)
			}
		}
		if len(roots) == 0 {
			continue
		}
		key := c.ID
		if key == "" {
			key = fmt.Sprintf("#%d", i)
		}
		n := 0
		walk(roots, "cell\x00"+key, &n)
	}
	// Models no output reaches: in the order of their state with the
	// references already known renamed (ties are models that differ by
	// their id alone, which any order renames alike).
	n := 0
	for {
		var rest []string
		for id := range states {
			if _, ok := rename[id]; !ok && id != "" {
				rest = append(rest, id)
			}
		}
		if len(rest) == 0 {
			break
		}
		sig := make(map[string]string, len(rest))
		for _, id := range rest {
			sig[id] = signature(states[id], rename)
		}
		sort.Slice(rest, func(a, b int) bool {
			if sig[rest[a]] != sig[rest[b]] {
				return sig[rest[a]] < sig[rest[b]]
			}
			return rest[a] < rest[b]
		})
		walk(rest[:1], "unshown", &n)
	}
	changed := 0
	for old, id := range rename {
		if old != id {
			changed++
		}
	}
	if changed == 0 {
		return 0
	}
	applyWidgetRenames(nb, rename)
	return changed
}

// ClearWidgetState removes the saved widget state (WidgetStateMIME) from
// nb's metadata.widgets, and metadata.widgets if nothing else is left: the
// models of an earlier run, which a run that shows no widget must not
// keep. It reports whether there was any.
func ClearWidgetState(nb *Notebook) bool {
	if nb == nil {
		return false
	}
	w, ok := nb.Metadata["widgets"].(map[string]any)
	if !ok {
		return false
	}
	_, had := w[WidgetStateMIME]
	delete(w, WidgetStateMIME)
	if len(w) == 0 {
		delete(nb.Metadata, "widgets")
	}
	return had
}

// widgetID returns a version 8 UUID, as 32 hex digits, derived from key.
func widgetID(key string) string {
	sum := sha256.Sum256([]byte("gotrann widget model\x00" + key))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x80 // version 8
	b[8] = b[8]&0x3f | 0x80 // variant 10xx (RFC 9562)
	return hex.EncodeToString(b)
}

// widgetStates returns metadata.widgets[WidgetStateMIME].state, or nil.
func widgetStates(nb *Notebook) map[string]any {
	w, _ := nb.Metadata["widgets"].(map[string]any)
	saved, _ := w[WidgetStateMIME].(map[string]any)
	states, _ := saved["state"].(map[string]any)
	return states
}

// viewModelID returns the model id of a widget output's data, or "".
func viewModelID(data map[string]any) string {
	view, _ := data[WidgetViewMIME].(map[string]any)
	id, _ := view["model_id"].(string)
	return id
}

// modelRefs appends the model ids referred to in v ("IPY_MODEL_" strings),
// visiting maps in key order.
func modelRefs(v any, refs []string) []string {
	switch v := v.(type) {
	case string:
		if id, ok := strings.CutPrefix(v, widgetRefPrefix); ok && id != "" {
			refs = append(refs, id)
		}
	case []any:
		for _, x := range v {
			refs = modelRefs(x, refs)
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			refs = modelRefs(v[k], refs)
		}
	}
	return refs
}

// signature is v as JSON with the references in rename renamed and the
// others blanked.
func signature(v any, rename map[string]string) string {
	var blank func(v any) any
	blank = func(v any) any {
		switch v := v.(type) {
		case string:
			if id, ok := strings.CutPrefix(v, widgetRefPrefix); ok {
				if to, ok := rename[id]; ok {
					return widgetRefPrefix + to
				}
				return widgetRefPrefix
			}
			return v
		case []any:
			out := make([]any, len(v))
			for i, x := range v {
				out[i] = blank(x)
			}
			return out
		case map[string]any:
			out := make(map[string]any, len(v))
			for k, x := range v {
				out[k] = blank(x)
			}
			return out
		}
		return v
	}
	b, err := json.Marshal(blank(v))
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// applyWidgetRenames renames model ids everywhere in nb.
func applyWidgetRenames(nb *Notebook, rename map[string]string) {
	var pairs []string
	olds := make([]string, 0, len(rename))
	for old := range rename {
		olds = append(olds, old)
	}
	// Longest first, so that an id that contains another wins.
	sort.Slice(olds, func(a, b int) bool {
		if len(olds[a]) != len(olds[b]) {
			return len(olds[a]) > len(olds[b])
		}
		return olds[a] < olds[b]
	})
	for _, old := range olds {
		if len(old) >= minFreeTextID {
			pairs = append(pairs, old, rename[old])
		}
	}
	free := strings.NewReplacer(pairs...)
	text := func(s string) string {
		if len(pairs) == 0 {
			return s
		}
		return free.Replace(s)
	}
	// value renames inside a JSON value: references exactly, long ids
	// anywhere in strings.
	var value func(v any) any
	value = func(v any) any {
		switch v := v.(type) {
		case string:
			if id, ok := strings.CutPrefix(v, widgetRefPrefix); ok {
				if to, ok := rename[id]; ok {
					return widgetRefPrefix + to
				}
			}
			return text(v)
		case []any:
			for i, x := range v {
				v[i] = value(x)
			}
			return v
		case map[string]any:
			for k, x := range v {
				v[k] = value(x)
			}
			return v
		}
		return v
	}
	if states := widgetStates(nb); states != nil {
		renamed := make(map[string]any, len(states))
		for id, st := range states {
			if to, ok := rename[id]; ok {
				id = to
			}
			renamed[id] = value(st)
		}
		for id := range states {
			delete(states, id)
		}
		for id, st := range renamed {
			states[id] = st
		}
	}
	for _, c := range nb.Cells {
		if c == nil {
			continue
		}
		for _, o := range c.Outputs {
			if o == nil {
				continue
			}
			o.Text = text(o.Text)
			o.EValue = text(o.EValue)
			for i, line := range o.Traceback {
				o.Traceback[i] = text(line)
			}
			for mime, v := range o.Data {
				if view, ok := v.(map[string]any); ok && mime == WidgetViewMIME {
					if id, ok := view["model_id"].(string); ok {
						if to, ok := rename[id]; ok {
							view["model_id"] = to
						}
					}
				}
				if binaryMime(mime) {
					continue
				}
				o.Data[mime] = value(v)
			}
		}
	}
}

// binaryMime reports whether a MIME type's string is base64 data.
func binaryMime(mime string) bool {
	return !isJSONMime(mime) && !splitMime(mime)
}
