// Package display builds rich output for notebooks: MIME bundles (text,
// HTML, Markdown, LaTeX, PNG, SVG, JSON), plots rendered from gonum/plot,
// tables, progress bars, live training monitors, and (in display/figure)
// the figures of the TraNNsformer method.
//
// It knows nothing of Jupyter headers or sockets: every bundle goes to a
// Sink, which the kernel, the headless notebook runner, a terminal
// (TerminalSink) or a test provides.
//
// # Displays and the package-level functions
//
// A Display is bound to one Sink (New). Every package-level function that
// produces output — Show, Clear, ClearWait, Progress, NewMonitor,
// TrainingMonitor — is also a method of *Display with the same name and
// signature. The package-level functions write to a package default
// Display fixed at start-up that writes plain text to os.Stdout (with
// in-place progress bars on a terminal); it is never replaced. The notebook kernel
// does not use it: it binds those names, in the interpreter, to the methods
// of its own session's Display, so cells reach the notebook with no global
// state.
//
// Constructors that only build bundles (HTML, Markdown, LaTeX, Text, PNG,
// JPEG, SVG, Image, JSON, Plot, PlotSVG, PlotWith, Plots, Table, TableOf)
// return a Bundle and need no Display; Render turns any value into one,
// and a user type becomes displayable by having one of the small methods
// of HTMLer, Markdowner, LaTeXer, SVGer, PNGer, JPEGer or MIMEBundler.
//
// # Updating in place
//
// Show returns a Handle whose Update replaces the output (Jupyter's
// update_display_data). A Bar (Progress) updates itself in place at most
// about ten times a second. A Monitor draws a progress bar and curves of
// named series and redraws them in place; TrainingMonitor's Observe method
// is the progress callback of trannsformer/nn training.
package display
