// Package display builds rich output for notebooks: MIME bundles (text,
// HTML, Markdown, LaTeX, PNG, SVG, JSON), plots rendered from gonum/plot,
// tables, progress bars and live monitors (curves redrawn in place).
//
// It knows nothing of Jupyter headers or sockets: every bundle goes to a
// Sink, which the kernel, the headless notebook runner, a terminal
// (TerminalSink) or a test provides.
//
// Nor does it know TraNNsformer: the figures of the method are in package
// display/figure, and the monitors of its training and transformation runs
// in package display/monitor. Both build on this package; it imports
// neither.
//
// # Displays and the package-level functions
//
// A Display is bound to one Sink (New). Every package-level function that
// produces output — Show, Clear, ClearWait, Progress, NewMonitor — is also
// a method of *Display with the same name and signature. The package-level
// functions write to a package default Display fixed at start-up that
// writes plain text to os.Stdout (with in-place progress bars on a
// terminal); it is never replaced. The notebook kernel does not use it: it
// binds those names, in the interpreter, to the methods of its own
// session's Display, so cells reach the notebook with no global state.
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
// named series and redraws them in place; display/monitor's Training and
// Transform adapt it to the progress callbacks of trannsformer/nn
// training and of trannsformer.Transform.
package display
