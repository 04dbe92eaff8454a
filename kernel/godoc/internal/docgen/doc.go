// Package docgen extracts the documentation of Go packages from their
// sources with go/parser and go/doc, and writes it in the file format that
// package godoc embeds and reads.
package docgen
