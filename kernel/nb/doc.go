// Package nb is the notebook's own helper package, preloaded into every
// gotrann session and imported automatically: cells write nb.Context()
// without an import line.
//
// Inside a session each function is bound to that session (the session
// replaces the symbol table entries with closures over itself), so nothing
// here holds state. Called from compiled code outside a session, the
// functions return neutral values.
package nb
