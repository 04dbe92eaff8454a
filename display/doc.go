// Package display builds rich output for notebooks: MIME bundles (text,
// HTML, Markdown, LaTeX, PNG, SVG, JSON), plots rendered from gonum/plot,
// progress bars, tables, and the figures of the TraNNsformer method.
//
// It knows nothing of Jupyter headers or sockets: every bundle goes to a
// Sink, which the kernel, the headless notebook runner and tests provide.
package display
