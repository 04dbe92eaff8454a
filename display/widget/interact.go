package widget

import (
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/trannsformer/gotrann/display"
)

// Param describes the control of one parameter of an interactive function:
// make it with IntParam, FloatParam, ChoiceParam, BoolParam or TextParam.
type Param struct {
	name string
	kind reflect.Kind
	make func(k *Kit) (Modeler, func() any, func(func()))
}

// IntParam is an int parameter set with a slider from min to max.
func IntParam(name string, min, max, step, value int) Param {
	return Param{name: name, kind: reflect.Int, make: func(k *Kit) (Modeler, func() any, func(func())) {
		s := k.NewIntSlider(name, min, max, step, value)
		return s, func() any { return s.Value() }, func(f func()) { s.OnChange(func(int) { f() }) }
	}}
}

// FloatParam is a float64 parameter set with a slider from min to max.
func FloatParam(name string, min, max, step, value float64) Param {
	return Param{name: name, kind: reflect.Float64, make: func(k *Kit) (Modeler, func() any, func(func())) {
		s := k.NewFloatSlider(name, min, max, step, value)
		return s, func() any { return s.Value() }, func(f func()) { s.OnChange(func(float64) { f() }) }
	}}
}

// ChoiceParam is a string parameter chosen from options with a drop-down.
func ChoiceParam(name string, options []string, index int) Param {
	return Param{name: name, kind: reflect.String, make: func(k *Kit) (Modeler, func() any, func(func())) {
		d := k.NewDropdown(name, options, index)
		return d, func() any { return d.Value() }, func(f func()) { d.OnChange(func(int, string) { f() }) }
	}}
}

// BoolParam is a bool parameter set with a check box.
func BoolParam(name string, value bool) Param {
	return Param{name: name, kind: reflect.Bool, make: func(k *Kit) (Modeler, func() any, func(func())) {
		c := k.NewCheckbox(name, value)
		return c, func() any { return c.Value() }, func(f func()) { c.OnChange(func(bool) { f() }) }
	}}
}

// TextParam is a string parameter typed in a text box.
func TextParam(name, value string) Param {
	return Param{name: name, kind: reflect.String, make: func(k *Kit) (Modeler, func() any, func(func())) {
		t := k.NewText(name, value, "")
		return t, func() any { return t.Value() }, func(f func()) { t.OnChange(func(string) { f() }) }
	}}
}

// Interactive is the result of Interact: the controls, and the function
// re-run whenever one changes.
type Interactive struct {
	k        *Kit
	f        reflect.Value
	controls []Modeler
	values   []func() any
	box      *Box
	out      *Output         // where results go without a Display
	handle   *display.Handle // the result's display, updated in place

	mu      sync.Mutex
	cond    *sync.Cond
	running bool
	pending bool
	runs    int
}

// Interact builds a control for each parameter of f from params (one
// Param per parameter, in order, of the same type), shows them with f's
// result, and calls f again whenever a control changes, replacing the
// result in place (update_display_data). f may return nothing, a value
// (shown as display.Show shows it), or a value and an error.
//
// Changes that arrive while f runs are merged: when it returns, f runs
// once more with the latest values, so dragging a slider over 50 values
// does not queue 50 runs. A panic in f is shown in place of the result.
func (k *Kit) Interact(f any, params ...Param) (*Interactive, error) {
	fv := reflect.ValueOf(f)
	if fv.Kind() != reflect.Func {
		return nil, fmt.Errorf("widget: Interact: %T is not a function", f)
	}
	ft := fv.Type()
	if ft.NumIn() != len(params) {
		return nil, fmt.Errorf("widget: Interact: the function has %d parameters, %d Params given", ft.NumIn(), len(params))
	}
	if ft.IsVariadic() {
		return nil, errors.New("widget: Interact: variadic functions are not supported")
	}
	for i, p := range params {
		if ft.In(i).Kind() != p.kind {
			return nil, fmt.Errorf("widget: Interact: parameter %d (%s) is %v, the Param %q gives %v", i, ft.In(i), ft.In(i).Kind(), p.name, p.kind)
		}
	}
	it := &Interactive{k: k, f: fv}
	it.cond = sync.NewCond(&it.mu)
	var onChange []func(func())
	for _, p := range params {
		c, get, on := p.make(k)
		it.controls = append(it.controls, c)
		it.values = append(it.values, get)
		onChange = append(onChange, on)
	}
	it.box = k.NewVBox(it.controls...)
	d := k.display()
	if d != nil {
		d.Show(it.box)
	} else {
		it.out = k.NewOutput()
	}
	it.runOnce(true)
	for _, on := range onChange {
		on(it.changed)
	}
	return it, nil
}

// Controls returns the controls, one per parameter.
func (it *Interactive) Controls() []Modeler { return append([]Modeler(nil), it.controls...) }

// Box returns the box that holds the controls.
func (it *Interactive) Box() *Box { return it.box }

// Output returns the Output widget that shows the results when the Kit has
// no Display, nil otherwise.
func (it *Interactive) Output() *Output { return it.out }

// MIMEBundle shows the controls (and the Output, without a Display).
func (it *Interactive) MIMEBundle() map[string]any {
	if it.out != nil {
		return it.k.NewVBox(it.box, it.out).MIMEBundle()
	}
	return it.box.MIMEBundle()
}

// Runs returns how many times the function ran.
func (it *Interactive) Runs() int {
	it.mu.Lock()
	defer it.mu.Unlock()
	return it.runs
}

// Wait blocks until no run is going on or pending.
func (it *Interactive) Wait() {
	it.mu.Lock()
	for it.running || it.pending {
		it.cond.Wait()
	}
	it.mu.Unlock()
}

// changed is called when a control changes: it starts a run, or marks one
// pending if a run is going on.
func (it *Interactive) changed() {
	it.mu.Lock()
	if it.running {
		it.pending = true
		it.mu.Unlock()
		return
	}
	it.running = true
	it.mu.Unlock()
	go it.loop()
}

func (it *Interactive) loop() {
	for {
		it.runOnce(false)
		it.mu.Lock()
		if !it.pending {
			it.running = false
			it.cond.Broadcast()
			it.mu.Unlock()
			return
		}
		it.pending = false
		it.mu.Unlock()
	}
}

// runOnce calls f with the controls' current values and shows its result.
func (it *Interactive) runOnce(first bool) {
	args := make([]reflect.Value, len(it.values))
	ft := it.f.Type()
	for i, get := range it.values {
		args[i] = reflect.ValueOf(get()).Convert(ft.In(i))
	}
	result := it.call(args)
	it.mu.Lock()
	it.runs++
	it.mu.Unlock()
	it.show(result, first)
}

// call runs f, turning a panic or a returned error into the result shown.
func (it *Interactive) call(args []reflect.Value) (result any) {
	defer func() {
		if r := recover(); r != nil {
			if rv, ok := r.(reflect.Value); ok && rv.IsValid() && rv.CanInterface() {
				r = rv.Interface()
			}
			result = display.Text(fmt.Sprintf("panic: %v", r))
		}
	}()
	outs := it.f.Call(args)
	if n := len(outs); n > 0 {
		if last := outs[n-1]; last.Type() == reflect.TypeOf((*error)(nil)).Elem() {
			if !last.IsNil() {
				return display.Text("error: " + last.Interface().(error).Error())
			}
			outs = outs[:n-1]
		}
	}
	if len(outs) == 0 {
		return nil
	}
	return outs[0].Interface()
}

func (it *Interactive) show(result any, first bool) {
	if it.out != nil {
		it.out.Clear()
		if result != nil {
			it.out.Show(result)
		}
		return
	}
	if result == nil {
		result = display.Text("")
	}
	if it.handle == nil {
		it.handle = it.k.display().Show(result)
		return
	}
	it.handle.Update(result)
}
