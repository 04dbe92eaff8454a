//go:build !gotrann_nosymbols

package session

import (
	"github.com/traefik/yaegi/interp"

	"github.com/trannsformer/gotrann/kernel/symbols"
)

// preloaded returns the compiled symbol tables other than stdlib: gonum,
// gonum/plot, trannsformer, display and nb from package kernel/symbols.
func preloaded() interp.Exports { return symbols.Symbols }
