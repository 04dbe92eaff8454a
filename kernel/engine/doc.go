// Package engine is the boundary between the Jupyter server (package
// kernel), the notebook runner and the language engine that runs cells:
// the request and result of one execution, the Output a running cell
// writes to, and the Engine interface. It imports nothing but the standard
// library, so that the server links neither the interpreter nor the
// libraries preloaded into it.
//
// Two engines implement it: the Go session itself (package
// kernel/session, in the same process) and the worker supervisor (package
// kernel/worker), which runs the session in a child process and survives
// anything a cell does.
package engine
