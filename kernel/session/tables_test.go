package session

import (
	"github.com/trannsformer/gotrann/kernel/godoc"
	"github.com/trannsformer/gotrann/kernel/symbols"
)

// withTables gives o the compiled packages and documentation that the
// gotrann binary gives its sessions.
func withTables(o Options) Options {
	o.Packages, o.Docs = symbols.Symbols, godoc.Docs{}
	return o
}
