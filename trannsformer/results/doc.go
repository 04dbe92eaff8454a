// Package results holds the committed results of the TraNNsformer study
// ("gotrann paper") so that notebooks and programs can read them without
// re-running it: the files are embedded in the binary.
//
// mnist.json is the report of the MNIST study, as written by
// "gotrann paper --json mnist.json" (the schema is trannsformer.Report's
// JSON tags); MNIST decodes it. Replacing the file with a newer run's JSON
// is all it takes to update everything that reads it (the notebooks show
// its numbers, never copies of them).
//
// Pareto turns a report into the trade-off of every method: for each
// setting of its size knob, the crossbars at the report's crossbar size k
// (each seed's network counted by its best mapper) against the test
// accuracy, mean ± sd over seeds, with the Pareto front over all methods
// marked. Versus and Summary compare one method (ours, usually) with every
// other method's settings: at each setting's accuracy, how many crossbars
// the method needs to match it, and a Markdown paragraph that says where it
// wins and where it does not, with every number computed from the report.
package results
