package session

import (
	"strings"

	"github.com/trannsformer/gotrann/internal/cellsplit"
)

// The cell splitter is package cellsplit's, shared with gotrann export.
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

// lineCol returns the 1-based line and column (in bytes) of offset off in code.
func lineCol(code string, off int) (line, col int) {
	line = 1 + strings.Count(code[:off], "\n")
	col = off - strings.LastIndex(code[:off], "\n")
	return line, col
}
