//go:build gotrann_nosymbols

package session

import "github.com/traefik/yaegi/interp"

// preloaded without kernel/symbols (build tag gotrann_nosymbols): only the
// standard library, display and nb, which the session builds itself. It
// lets the session be built and tested while kernel/symbols is regenerated.
func preloaded() interp.Exports { return interp.Exports{} }
