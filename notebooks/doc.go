// Package notebooks reads, writes and executes Jupyter notebooks (nbformat
// 4) without Jupyter: it is the engine of "gotrann run", and the home of
// the project's notebooks (01-quickstart.ipynb, ...), which its tests
// execute.
//
// # Reading and writing
//
// Read, ReadFile and Parse accept nbformat 4.x, with multi-line strings
// stored as strings or lists of lines. A malformed notebook is a
// *FormatError that names the file, the cell ("cell 3 (cells[2])") and
// what is wrong. Unknown keys are kept.
//
// Marshal, Write and WriteFile write the way Jupyter does (keys sorted,
// one-space indentation, no HTML escaping, multi-line strings as lists of
// lines, floats as Python writes them, a trailing newline): a notebook
// written by Jupyter is written back byte for byte, and the same
// computation gives the same bytes (Run records no timestamps). WriteFile
// is atomic: it writes a temporary file beside the target, syncs it and
// renames it over the target, so a failure never leaves a half-written
// file.
//
// # Running
//
// Run executes every non-blank code cell in order in one Go session (the
// kernel's, or any Executor) and records streams (consecutive chunks of one
// stream merged), execute results, display data, errors and execution
// counts. update_display_data replaces the data of every output shown with
// that display id, in any cell of the run, as Jupyter does; display ids
// are kept in memory only. clear_output(wait=true) clears when the next
// output arrives. Before running, Run upgrades the notebook to nbformat 4.5:
// cells lacking a valid, unique id get one derived from their position and
// content, so re-runs give the same ids. It sets metadata.kernelspec and
// metadata.language_info to the gotrann kernel's.
//
// A failing cell stops the run unless RunOptions.AllowErrors is set or the
// cell is tagged "raises-exception". RunOptions.Timeout limits each cell;
// cancelling the context interrupts the running cell. In every case the
// notebook holds what has run, ready to be written.
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
// Cells are numbered from 1 in messages ("cell 3" is the third cell of the
// notebook, markdown cells included).
package notebooks
