// Package cellsplit cuts the source of a notebook cell into its top-level
// declarations and statements (go/scanner only), as the interpreter
// session (kernel/session) runs them and as "gotrann export"
// (notebooks/export) writes them. It imports only the standard library, so
// that exporting a notebook links no interpreter.
package cellsplit
