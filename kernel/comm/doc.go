// Package comm is the Jupyter comm layer seen from code that runs in the
// kernel's worker: cells and compiled packages open comms to the front
// end, send and receive messages on them, and register targets for the
// comms the front end opens (see "Custom messages" in the Jupyter
// messaging specification). ipywidgets (package display/widget) is built
// on it.
//
// A Manager holds the open comms and the registered targets. The worker
// process has one, Default, wired to the kernel by the session; the
// package-level functions (Open, RegisterTarget, ...) use it. Messages
// from the front end are handled one at a time, in order, on a goroutine
// of the Manager, even while a cell runs; a callback that panics is
// recovered and reported to the Manager's panic handler (the session
// shows it on the cell's stderr), never ending the worker.
package comm
