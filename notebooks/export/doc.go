// Package export turns a notebook into a Go program: a module (go.mod,
// go.sum, main.go) that builds with go build and prints what the notebook's
// cells print, at compiled speed. It is what "gotrann export" writes.
//
// The cells' code is notebook-shaped: top-level statements mixed with
// declarations, a last expression whose value is shown, packages imported
// automatically, magics. The translation follows the session's rules
// (kernel/session) without linking the interpreter:
//
//   - A cell is cut into runs of declarations and statements as the session
//     cuts it. Functions, methods, types and constants go to package level;
//     when a later cell declares the same name again, the later one wins.
//   - Each cell's statements become a function, cellN for In[N], that main
//     calls in order. The variables a cell declares at its top level (with
//     := or var) are used by later cells and by functions, so they are
//     declared at package level, with the types that go/types finds for
//     them, and their := become assignments; a var declaration becomes an
//     assignment where the cell had it, so it is evaluated when the cell
//     runs, as in the notebook.
//   - A cell whose last statement is an expression with exactly one value
//     (not a call of display.Show and the like) shows that value, as the
//     kernel's Out[N].
//   - A selector on a name the notebook does not declare imports the package
//     of that name from Options.Packages, as the session does.
//   - display.Show, Progress, NewMonitor, Clear and ClearWait are called on
//     the program's own Display (package exportrt): every display becomes a
//     file in the output directory (out/: PNG, SVG, HTML, Markdown, ...),
//     its text goes to standard error, and standard output carries exactly
//     what the cells print.
//   - The magics !cmd, %%bash, %%sh, %%writefile, %env, %cd, %time and
//     %%time become calls of package exportrt that do the same; %who,
//     %reset and %help are left out, with a warning.
//
// go.mod requires gotrann (a release version, or the source directory with a
// replace directive), every module gotrann requires, and the notebook's
// pins (metadata.gotrann.require, "path@version"); go.sum is gotrann's.
package export
