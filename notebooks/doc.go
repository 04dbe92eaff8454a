// Package notebooks reads and writes Jupyter notebooks (nbformat 4)
// without Jupyter, and injects parameters into them. It is the home of the
// project's notebooks (01-quickstart.ipynb, ...); package
// notebooks/runner executes them, for "gotrann run" and the tests.
//
// The package links nothing outside the standard library: no interpreter,
// no gonum, no display (a test over go list -deps pins this), so that any
// tool can read and write notebooks without the Go session.
//
// # Reading and writing
//
// Read, ReadFile and Parse accept nbformat 4.x, with multi-line strings
// stored as strings or lists of lines. A malformed notebook is a
// *FormatError that names the file, the cell ("cell 3 (cells[2])") and
// what is wrong; so is one nested deeper than MaxDepth (which Jupyter
// cannot read either). Read and ReadFile refuse input larger than
// MaxSize. Unknown keys are kept.
//
// Marshal, Write and WriteFile write the way Jupyter does (keys sorted,
// one-space indentation, no HTML escaping, multi-line strings as lists of
// lines, floats as Python writes them, a trailing newline): a notebook
// written by Jupyter is written back byte for byte, and the same
// computation gives the same bytes. WriteFile is atomic: it writes a
// temporary file beside the target (".NAME.tmp-DIGITS"), syncs it and
// renames it over the target, so a failure never leaves a half-written
// file; the temporary files that a killed write left behind are removed
// the next time that file is written.
//
// Notebook.Normalize upgrades a notebook to nbformat 4.5: cells lacking a
// valid, unique id get one derived from their position and content, so
// that re-runs give the same ids. Notebook.SetKernel sets
// metadata.kernelspec and metadata.language_info to the gotrann kernel's.
//
// # Parameters
//
// Parameters follow the papermill convention: InjectParameters inserts,
// after the cell tagged "parameters", a cell tagged "injected-parameters"
// that assigns the values, converted to the types the parameters cell
// declares (read with go/parser from its var declarations and :=
// assignments). Giving parameters to a notebook without a "parameters"
// cell is an error, not an injection at the top: the types would be
// unknown.
//
// # Reproducible outputs
//
// CompareOutputs lists how the outputs of two notebooks differ (cell,
// output, MIME type, first differing line or byte), as "gotrann run
// --check" and the runner's notebook tests report them.
// CanonicalWidgetIDs renames the widget models of an executed notebook
// (outputs and saved widget state) to ids derived from the cells that
// show them, so that a re-run gives the same file.
//
// Cells are numbered from 1 in messages ("cell 3" is the third cell of the
// notebook, markdown cells included).
package notebooks
