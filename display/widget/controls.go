package widget

import "math"

var (
	specIntSlider      = spec{name: "IntSlider", model: "IntSliderModel", view: "IntSliderView", repr: "value"}
	specFloatSlider    = spec{name: "FloatSlider", model: "FloatSliderModel", view: "FloatSliderView", repr: "value"}
	specIntRangeSlider = spec{name: "IntRangeSlider", model: "IntRangeSliderModel", view: "IntRangeSliderView", repr: "value"}
	specDropdown       = spec{name: "Dropdown", model: "DropdownModel", view: "DropdownView", repr: "index", toV1: selectionToV1, fromV1: selectionFromV1}
	specRadioButtons   = spec{name: "RadioButtons", model: "RadioButtonsModel", view: "RadioButtonsView", repr: "index", toV1: selectionToV1, fromV1: selectionFromV1}
	specCheckbox       = spec{name: "Checkbox", model: "CheckboxModel", view: "CheckboxView", repr: "value"}
	specToggleButton   = spec{name: "ToggleButton", model: "ToggleButtonModel", view: "ToggleButtonView", repr: "value"}
	specButton         = spec{name: "Button", model: "ButtonModel", view: "ButtonView", repr: "description"}
	specText           = spec{name: "Text", model: "TextModel", view: "TextView", repr: "value"}
	specTextarea       = spec{name: "Textarea", model: "TextareaModel", view: "TextareaView", repr: "value"}
	specLabel          = spec{name: "Label", model: "LabelModel", view: "LabelView", repr: "value"}
	specHTML           = spec{name: "HTML", model: "HTMLModel", view: "HTMLView", repr: "value"}
	specPlay           = spec{name: "Play", model: "PlayModel", view: "PlayView", repr: "value", toV1: playToV1, fromV1: playFromV1}
	specProgress       = spec{name: "IntProgress", model: "IntProgressModel", view: "ProgressView", repr: "value"}
)

func sliderState(description string, min, max, step, value any, format string) map[string]any {
	return map[string]any{
		"description": description, "min": normalize(min), "max": normalize(max), "step": normalize(step),
		"value": normalize(value), "orientation": "horizontal", "readout": true, "readout_format": format,
		"continuous_update": true, "disabled": false, "behavior": "drag-tap",
	}
}

// IntSlider is a slider over integers.
type IntSlider struct{ *Widget }

// NewIntSlider returns a slider from min to max in steps of step, at value.
func (k *Kit) NewIntSlider(description string, min, max, step, value int) *IntSlider {
	if step <= 0 {
		step = 1
	}
	return &IntSlider{k.newWidget(specIntSlider, sliderState(description, min, max, step, clampInt(value, min, max), "d"))}
}

// Value returns the slider's value.
func (s *IntSlider) Value() int { return toInt(s.Get("value")) }

// SetValue moves the slider (clamped to its range).
func (s *IntSlider) SetValue(v int) {
	s.Set("value", clampInt(v, toInt(s.Get("min")), toInt(s.Get("max"))))
}

// OnChange calls f with each new value.
func (s *IntSlider) OnChange(f func(v int)) {
	s.Observe("value", func(_, v any) { f(toInt(v)) })
}

// FloatSlider is a slider over float64 values.
type FloatSlider struct{ *Widget }

// NewFloatSlider returns a slider from min to max in steps of step, at value.
func (k *Kit) NewFloatSlider(description string, min, max, step, value float64) *FloatSlider {
	if step <= 0 {
		step = (max - min) / 100
	}
	return &FloatSlider{k.newWidget(specFloatSlider, sliderState(description, min, max, step, math.Min(math.Max(value, min), max), ".2f"))}
}

// Value returns the slider's value.
func (s *FloatSlider) Value() float64 { return toFloat(s.Get("value")) }

// SetValue moves the slider (clamped to its range).
func (s *FloatSlider) SetValue(v float64) {
	s.Set("value", math.Min(math.Max(v, toFloat(s.Get("min"))), toFloat(s.Get("max"))))
}

// OnChange calls f with each new value.
func (s *FloatSlider) OnChange(f func(v float64)) {
	s.Observe("value", func(_, v any) { f(toFloat(v)) })
}

// IntRangeSlider selects a range [lo, hi] of integers.
type IntRangeSlider struct{ *Widget }

// NewIntRangeSlider returns a range slider from min to max at [lo, hi].
func (k *Kit) NewIntRangeSlider(description string, min, max, step, lo, hi int) *IntRangeSlider {
	if step <= 0 {
		step = 1
	}
	lo, hi = clampInt(lo, min, max), clampInt(hi, min, max)
	if lo > hi {
		lo, hi = hi, lo
	}
	return &IntRangeSlider{k.newWidget(specIntRangeSlider, sliderState(description, min, max, step, []int{lo, hi}, "d"))}
}

// Value returns the selected range.
func (s *IntRangeSlider) Value() (lo, hi int) {
	l, _ := s.Get("value").([]any)
	if len(l) != 2 {
		return 0, 0
	}
	return toInt(l[0]), toInt(l[1])
}

// SetValue selects [lo, hi].
func (s *IntRangeSlider) SetValue(lo, hi int) {
	if lo > hi {
		lo, hi = hi, lo
	}
	s.Set("value", []int{lo, hi})
}

// OnChange calls f with each new range.
func (s *IntRangeSlider) OnChange(f func(lo, hi int)) {
	s.Observe("value", func(_, v any) {
		l, _ := v.([]any)
		if len(l) == 2 {
			f(toInt(l[0]), toInt(l[1]))
		}
	})
}

// Selection is a Dropdown or RadioButtons: one of a list of options.
type Selection struct{ *Widget }

// Dropdown selects one option from a drop-down list.
type Dropdown struct{ Selection }

// RadioButtons selects one option from a list of radio buttons.
type RadioButtons struct{ Selection }

func (k *Kit) selection(sp spec, description string, options []string, index int) Selection {
	var idx any
	if index >= 0 && index < len(options) {
		idx = index
	}
	return Selection{k.newWidget(sp, map[string]any{
		"description": description, "_options_labels": options, "index": idx, "disabled": false,
	})}
}

// NewDropdown returns a drop-down list of options with options[index]
// selected (none for an index out of range).
func (k *Kit) NewDropdown(description string, options []string, index int) *Dropdown {
	return &Dropdown{k.selection(specDropdown, description, options, index)}
}

// NewRadioButtons returns radio buttons for options with options[index]
// selected.
func (k *Kit) NewRadioButtons(description string, options []string, index int) *RadioButtons {
	return &RadioButtons{k.selection(specRadioButtons, description, options, index)}
}

// Options returns the options.
func (s Selection) Options() []string { return toStrings(s.Get("_options_labels")) }

// Index returns the index of the selected option, -1 if none.
func (s Selection) Index() int {
	v := s.Get("index")
	if v == nil {
		return -1
	}
	return toInt(v)
}

// Value returns the selected option, "" if none.
func (s Selection) Value() string {
	i, opts := s.Index(), s.Options()
	if i < 0 || i >= len(opts) {
		return ""
	}
	return opts[i]
}

// SetIndex selects options[i] (none for -1).
func (s Selection) SetIndex(i int) {
	if i < 0 || i >= len(s.Options()) {
		s.Set("index", nil)
		return
	}
	s.Set("index", i)
}

// SetValue selects the option equal to v; it reports whether there is one.
func (s Selection) SetValue(v string) bool {
	for i, o := range s.Options() {
		if o == v {
			s.SetIndex(i)
			return true
		}
	}
	return false
}

// OnChange calls f with the index and the option of each new selection.
func (s Selection) OnChange(f func(index int, value string)) {
	s.Observe("index", func(_, v any) { f(s.Index(), s.Value()) })
}

// selectionToV1: ipywidgets 6 syncs the selected label, not the index.
func selectionToV1(w *Widget, st map[string]any) {
	idx, ok := st["index"]
	if !ok {
		return
	}
	delete(st, "index")
	opts := toStrings(w.Get("_options_labels"))
	if l, ok := st["_options_labels"]; ok {
		opts = toStrings(l)
	}
	st["label"] = nil
	if idx != nil {
		if i := toInt(idx); i >= 0 && i < len(opts) {
			st["label"] = opts[i]
		}
	}
}

func selectionFromV1(w *Widget, st map[string]any) {
	l, ok := st["label"]
	if !ok {
		return
	}
	delete(st, "label")
	st["index"] = nil
	for i, o := range toStrings(w.Get("_options_labels")) {
		if o == toString(l) {
			st["index"] = i
		}
	}
}

// Checkbox is a check box.
type Checkbox struct{ *Widget }

// NewCheckbox returns a check box.
func (k *Kit) NewCheckbox(description string, value bool) *Checkbox {
	return &Checkbox{k.newWidget(specCheckbox, map[string]any{"description": description, "value": value, "indent": true, "disabled": false})}
}

// Value reports whether the box is checked.
func (c *Checkbox) Value() bool { return toBool(c.Get("value")) }

// SetValue checks or unchecks the box.
func (c *Checkbox) SetValue(v bool) { c.Set("value", v) }

// OnChange calls f with each new value.
func (c *Checkbox) OnChange(f func(v bool)) { c.Observe("value", func(_, v any) { f(toBool(v)) }) }

// ToggleButton is a button that stays down or up.
type ToggleButton struct{ *Widget }

// NewToggleButton returns a toggle button.
func (k *Kit) NewToggleButton(description string, value bool) *ToggleButton {
	return &ToggleButton{k.newWidget(specToggleButton, map[string]any{
		"description": description, "value": value, "button_style": "", "icon": "", "disabled": false,
	})}
}

// Value reports whether the button is down.
func (t *ToggleButton) Value() bool { return toBool(t.Get("value")) }

// SetValue sets the button down or up.
func (t *ToggleButton) SetValue(v bool) { t.Set("value", v) }

// OnChange calls f with each new value.
func (t *ToggleButton) OnChange(f func(v bool)) { t.Observe("value", func(_, v any) { f(toBool(v)) }) }

// Button is a push button.
type Button struct{ *Widget }

// NewButton returns a button labelled description.
func (k *Kit) NewButton(description string) *Button {
	b := &Button{k.newWidget(specButton, map[string]any{
		"description": description, "button_style": "", "icon": "", "disabled": false,
	})}
	return b
}

// OnClick calls f on each click in the front end.
func (b *Button) OnClick(f func()) {
	b.OnCustom(func(c map[string]any) {
		if c["event"] == "click" {
			f()
		}
	})
}

// Click runs the click callbacks as a click in the front end does.
func (b *Button) Click() {
	b.onMsg(map[string]any{"method": "custom", "content": map[string]any{"event": "click"}})
}

// Text is a one-line text box; Textarea a multi-line one.
type Text struct{ *Widget }

// Textarea is a multi-line text box.
type Textarea struct{ Text }

// NewText returns a text box.
func (k *Kit) NewText(description, value, placeholder string) *Text {
	return &Text{k.newWidget(specText, map[string]any{
		"description": description, "value": value, "placeholder": placeholder, "continuous_update": true, "disabled": false,
	})}
}

// NewTextarea returns a multi-line text box.
func (k *Kit) NewTextarea(description, value, placeholder string) *Textarea {
	return &Textarea{Text{k.newWidget(specTextarea, map[string]any{
		"description": description, "value": value, "placeholder": placeholder, "continuous_update": true,
		"disabled": false, "rows": nil,
	})}}
}

// Value returns the text.
func (t *Text) Value() string { return toString(t.Get("value")) }

// SetValue replaces the text.
func (t *Text) SetValue(v string) { t.Set("value", v) }

// OnChange calls f with each new text.
func (t *Text) OnChange(f func(v string)) { t.Observe("value", func(_, v any) { f(toString(v)) }) }

// Label shows a line of text; HTML shows HTML.
type Label struct{ *Widget }

// HTML shows an HTML fragment.
type HTML struct{ *Widget }

// NewLabel returns a label.
func (k *Kit) NewLabel(value string) *Label {
	return &Label{k.newWidget(specLabel, map[string]any{"value": value, "placeholder": ""})}
}

// NewHTML returns an HTML fragment.
func (k *Kit) NewHTML(value string) *HTML {
	return &HTML{k.newWidget(specHTML, map[string]any{"value": value, "placeholder": ""})}
}

// Value returns the text.
func (l *Label) Value() string { return toString(l.Get("value")) }

// SetValue replaces the text.
func (l *Label) SetValue(v string) { l.Set("value", v) }

// Value returns the HTML.
func (h *HTML) Value() string { return toString(h.Get("value")) }

// SetValue replaces the HTML.
func (h *HTML) SetValue(v string) { h.Set("value", v) }

// Play is a play button that advances a value over time in the front end.
type Play struct{ *Widget }

// NewPlay returns a player from min to max in steps of step, one step
// every interval milliseconds.
func (k *Kit) NewPlay(description string, min, max, step, interval int) *Play {
	if step <= 0 {
		step = 1
	}
	if interval <= 0 {
		interval = 100
	}
	return &Play{k.newWidget(specPlay, map[string]any{
		"description": description, "value": min, "min": min, "max": max, "step": step, "interval": interval,
		"playing": false, "repeat": false, "show_repeat": true, "disabled": false,
	})}
}

// Value returns the current value.
func (p *Play) Value() int { return toInt(p.Get("value")) }

// SetValue sets the current value.
func (p *Play) SetValue(v int) { p.Set("value", v) }

// OnChange calls f with each new value.
func (p *Play) OnChange(f func(v int)) { p.Observe("value", func(_, v any) { f(toInt(v)) }) }

// SetPlaying starts or stops playing.
func (p *Play) SetPlaying(on bool) { p.Set("playing", on) }

// ipywidgets 6 calls playing and repeat _playing and _repeat.
func playToV1(w *Widget, st map[string]any) {
	for _, k := range []string{"playing", "repeat"} {
		if v, ok := st[k]; ok {
			delete(st, k)
			st["_"+k] = v
		}
	}
}

func playFromV1(w *Widget, st map[string]any) {
	for _, k := range []string{"playing", "repeat"} {
		if v, ok := st["_"+k]; ok {
			delete(st, "_"+k)
			st[k] = v
		}
	}
}

// Progress is a progress bar over integers.
type Progress struct{ *Widget }

// NewProgress returns a progress bar from min to max at min.
func (k *Kit) NewProgress(description string, min, max int) *Progress {
	return &Progress{k.newWidget(specProgress, map[string]any{
		"description": description, "value": min, "min": min, "max": max, "bar_style": "", "orientation": "horizontal",
	})}
}

// Value returns the progress.
func (p *Progress) Value() int { return toInt(p.Get("value")) }

// SetValue sets the progress.
func (p *Progress) SetValue(v int) { p.Set("value", v) }

// SetBarStyle sets the bar's style: "success", "info", "warning", "danger" or "".
func (p *Progress) SetBarStyle(s string) { p.Set("bar_style", s) }

func clampInt(v, lo, hi int) int {
	if hi < lo {
		return v
	}
	return min(max(v, lo), hi)
}
