package widget

// The package-level constructors make widgets on Default.

// NewIntSlider returns an integer slider (see Kit.NewIntSlider).
func NewIntSlider(description string, min, max, step, value int) *IntSlider {
	return Default().NewIntSlider(description, min, max, step, value)
}

// NewFloatSlider returns a float64 slider.
func NewFloatSlider(description string, min, max, step, value float64) *FloatSlider {
	return Default().NewFloatSlider(description, min, max, step, value)
}

// NewIntRangeSlider returns an integer range slider.
func NewIntRangeSlider(description string, min, max, step, lo, hi int) *IntRangeSlider {
	return Default().NewIntRangeSlider(description, min, max, step, lo, hi)
}

// NewDropdown returns a drop-down list.
func NewDropdown(description string, options []string, index int) *Dropdown {
	return Default().NewDropdown(description, options, index)
}

// NewRadioButtons returns radio buttons.
func NewRadioButtons(description string, options []string, index int) *RadioButtons {
	return Default().NewRadioButtons(description, options, index)
}

// NewCheckbox returns a check box.
func NewCheckbox(description string, value bool) *Checkbox {
	return Default().NewCheckbox(description, value)
}

// NewToggleButton returns a toggle button.
func NewToggleButton(description string, value bool) *ToggleButton {
	return Default().NewToggleButton(description, value)
}

// NewButton returns a push button.
func NewButton(description string) *Button { return Default().NewButton(description) }

// NewText returns a text box.
func NewText(description, value, placeholder string) *Text {
	return Default().NewText(description, value, placeholder)
}

// NewTextarea returns a multi-line text box.
func NewTextarea(description, value, placeholder string) *Textarea {
	return Default().NewTextarea(description, value, placeholder)
}

// NewLabel returns a label.
func NewLabel(value string) *Label { return Default().NewLabel(value) }

// NewHTML returns an HTML fragment.
func NewHTML(value string) *HTML { return Default().NewHTML(value) }

// NewPlay returns a play button.
func NewPlay(description string, min, max, step, interval int) *Play {
	return Default().NewPlay(description, min, max, step, interval)
}

// NewProgress returns a progress bar.
func NewProgress(description string, min, max int) *Progress {
	return Default().NewProgress(description, min, max)
}

// NewOutput returns an output area.
func NewOutput() *Output { return Default().NewOutput() }

// NewHBox returns a row of widgets.
func NewHBox(children ...Modeler) *Box { return Default().NewHBox(children...) }

// NewVBox returns a column of widgets.
func NewVBox(children ...Modeler) *Box { return Default().NewVBox(children...) }

// NewTab returns tabs.
func NewTab(titles []string, children ...Modeler) *Tab { return Default().NewTab(titles, children...) }

// Interact builds controls for f's parameters on Default (see
// Kit.Interact).
func Interact(f any, params ...Param) (*Interactive, error) { return Default().Interact(f, params...) }

// State returns the widget state of Default for a notebook's metadata.
func State() map[string]any { return Default().State() }
