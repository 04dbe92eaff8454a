package export

import (
	"github.com/trannsformer/gotrann/internal/cellsplit"
)

// The cell splitter is package cellsplit's, shared with the interpreter session.
type (
	segKind = cellsplit.Kind
	segment = cellsplit.Segment
	run     = cellsplit.Run
)

const (
	segStmt    = cellsplit.Stmt
	segDecl    = cellsplit.Decl
	segImport  = cellsplit.Import
	segPackage = cellsplit.Package
)

func splitCell(code string) []segment { return cellsplit.Split(code) }

func runs(segs []segment) []run { return cellsplit.Runs(segs) }
