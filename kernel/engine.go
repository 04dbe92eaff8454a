package kernel

import "github.com/trannsformer/gotrann/kernel/engine"

// Engine is the language engine behind the kernel (see package engine):
// the worker supervisor of package kernel/worker in the gotrann command,
// or an in-process session in tests.
type Engine = engine.Engine
