// Package widget implements Jupyter widgets (ipywidgets) in Go, over the
// comm layer of package kernel/comm: sliders, dropdowns, buttons, text
// boxes, progress bars, Output areas and boxes, whose values are read with
// methods, changed from Go (the front end follows) and observed with
// callbacks, and Interact, which builds controls for a function's
// parameters and re-runs it when they change.
//
// Both wire versions of the widget protocol are spoken, chosen by what the
// front end asks for: protocol 2.1 (ipywidgets 8: JupyterLab 4, Notebook 7,
// VS Code; models of @jupyter-widgets/controls 2.0.0, echo_update,
// request_state and the jupyter.widget.control comm) and protocol 1
// (ipywidgets 6, as Debian's Notebook 6.4 ships it: models of
// jupyter-js-widgets ~2.1.4, shown with the comm message
// {"method":"display"}, updates from the front end as
// {"method":"backbone","sync_data":...}; the front end opens a
// jupyter.widget.version comm when it connects, which selects it).
//
// The package-level constructors use Default, the Kit of the process's
// comm Manager (comm.Default), which the kernel's session connects to the
// front end. The API is not generic: the interpreter cannot see generic
// symbols. display does not import this package; widgets are displayed
// like any value (they implement display.MIMEBundler).
//
// Callbacks run on the comm Manager's goroutine for changes made in the
// front end, and on the caller's goroutine for changes made from Go; a
// callback that panics is recovered and reported (the session shows it on
// the cell's stderr), never ending the worker.
package widget
