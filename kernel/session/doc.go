// Package session is the Go session behind the gotrann kernel and the
// notebook runner: a yaegi interpreter that behaves like a notebook.
//
// A cell may mix imports, declarations and statements; re-running an import
// is harmless; packages are imported automatically; redefinitions win
// everywhere; the last expression of a cell is its value; panics, runtime
// errors and os.Exit become errors and the session lives on.
package session
