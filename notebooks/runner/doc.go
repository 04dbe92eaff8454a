// Package runner executes Jupyter notebooks without Jupyter: it is the
// engine of "gotrann run".
//
// Run executes every non-blank code cell of a notebooks.Notebook in order
// in one language engine, given as Options.Session: any Executor, that is
// the Execute method of engine.Engine, which the in-process Go session
// (kernel/session) and the worker supervisor (kernel/worker) implement.
// The package links neither: it imports package notebooks and
// kernel/engine only (a test over go list -deps pins this), and the
// caller chooses and closes the engine.
//
// Run records streams (consecutive chunks of one stream merged, in time
// linear in their length), execute results, display data, errors and
// execution counts. update_display_data replaces the data of every
// output shown with that display id, in any cell of the run, as Jupyter
// does; display ids are kept in memory only. clear_output(wait=true)
// clears when the next output arrives. Run records no timestamps, so the
// same computation gives the same notebook. Before running, Run upgrades
// the notebook to nbformat 4.5 (Notebook.Normalize), sets the gotrann
// kernelspec and language_info (Notebook.SetKernel) and injects
// Options.Parameters (notebooks.InjectParameters).
//
// A failing cell stops the run unless Options.AllowErrors is set or the
// cell is tagged "raises-exception". Options.Timeout limits each cell;
// cancelling the context interrupts the running cell. In every case the
// notebook holds what has run, ready to be written with
// notebooks.WriteFile. Options.Progress receives a line per cell and
// Options.Live every display call (progress bars and figures as they
// happen); headless input() is refused.
package runner
