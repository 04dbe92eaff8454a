// Package session is the Go session behind the gotrann kernel and the
// notebook runner: a yaegi interpreter that behaves like a notebook.
//
// A cell may mix imports, declarations and statements in any order: it is
// cut (go/scanner) into runs of top-level declarations and runs of
// statements, evaluated in order. Re-running an import is harmless. A
// pasted program with `package main` and `func main()` runs main once.
//
// Packages are imported automatically, as goimports would: a selector
// whose base is not declared anywhere and names a standard or preloaded
// package (fmt, strings, math, mat, plot, display, nb, ...) imports it.
//
// Redefinitions win everywhere. Every top-level declaration is kept in a
// store (funcs and types by name, methods by receiver type and name, var
// and const specs by their names). When something already defined is
// redefined, the store is replayed as one file into a fresh interpreter and
// the values of variables are carried across: values of compiled types
// directly (slices and pointers keep sharing memory), values of types
// declared in cells field by field. What cannot be carried (a value whose
// type mentions an unnamed struct, a func value keeping old code) is
// reported on the cell's stderr and in Result.Notes. A var declaration
// re-run with the same text assigns its initialiser instead, so functions
// keep seeing the same variable; re-running a cell is idempotent.
//
// The value of a cell (Out[n]) is decided from its syntax: only a last
// expression statement that has exactly one value is rendered with
// display.Render; fmt.Println(x), calls without results and calls of
// display functions that produce output (Show, Progress, ...) have none.
//
// A type declared in a cell with display methods (String, HTML, Markdown,
// LaTeX, SVG, PNG, JPEG, MIMEBundle with the signatures of the display
// package's interfaces) renders with them as a cell's value and when
// handed to display.Show, display.Render or Update of a *display.Handle
// (a variable assigned display.Show(...) or holding a handle): the session
// rewrites those arguments to go through an interpreted function that
// calls display.RenderParts, because compiled code receiving such a value
// as an interface{} does not see its methods. A value passed through
// other compiled code (fmt.Println, a slice of them) still shows as %v, and
// so does a value of a type declared after the cell function that shows it,
// until a redefinition replays the store.
//
// Panics, runtime errors, compile errors and os.Exit become Result.Err with
// a traceback in cell line numbers (cells are named In[n], n being
// Request.ExecutionCount, or the session's own count); yaegi's own
// panic printing never reaches the streams. `go` statements are rewritten
// so that a panic in a goroutine is reported on stderr instead of killing
// the process; the function and its arguments are still evaluated before
// the goroutine starts. time.AfterFunc is bound to a version whose
// callback recovers a panic and reports it the same way. runtime.Goexit in
// a cell ends the cell with a Goexit error (the rest of the cell does not
// run); in a goroutine the cell started, it ends the goroutine quietly.
//
// Two yaegi v0.16.1 assignment bugs are worked around by rewriting
// (assign.go; the measured shapes are the tables of assign_test.go). A
// parallel assignment `a, b = f(), 7` mixing calls or receives with other
// expressions loses the other assignments, at any depth: the calls are
// evaluated into temporaries first ({ t := f(); a, b = t, 7 }), operands
// of index expressions and pointer indirections on the left that contain
// calls before them, so that Go's order of calls and the typing of untyped
// constants are kept. A definition of several names from one value
// (x, err := f(); v, ok := m[k]) inside a block of a statement at the top
// level of a cell leaves the names undefined: that statement runs as
// func() { ... }() instead, unless it holds a return, goto or defer or is
// a goto's target; then the error explains how to write it.
//
// Interrupting (cancelling Execute's context) stops interpreted code at its
// next step; calls deferred at the top level of a cell run inside a
// program of the interpreter under the cell's context too, so Execute
// returns on interrupt even when one blocks in a compiled call. Whether an
// interrupted cell's goroutine is still inside its program is known in
// O(1) (running.go). A cell blocked in a compiled call cannot be stopped; its
// interpreter is then abandoned at the next Execute (the session is rebuilt
// from the store) so that the cell cannot resume. The rebuild reads nothing
// of the abandoned interpreter, which the blocked goroutine still uses: it
// carries the variables from a snapshot taken before the interrupted cell
// started, so variables that cell defined are lost (values it assigned to
// existing variables before blocking are kept). Long compiled calls should
// take nb.Context().
//
// Output: in worker mode (Options.Stdout and Stderr, for a session that
// runs in a worker process whose descriptors 1 and 2 are pipes read by the
// kernel), fmt.Print*, println, os.Stdout, os.Stderr and log of
// interpreted code write straight to those files (compiled code writes to
// the process's descriptors 1 and 2, the kernel's pipes in a worker); no
// pipe, pump or redirection is made. In pipe mode (the zero Options) they go through pipes to the
// running cell's Output, in order; with the deprecated
// Options.CaptureStdio, file descriptors 1 and 2 of the process are
// redirected onto those pipes, so output of compiled code is caught too,
// and LogWriter writes to the original stderr. In every mode yaegi's own
// panic lines go to a writer of their own (they become the cell's
// traceback), so that nothing a cell writes to stderr is ever dropped,
// however it looks; the "nil type" line yaegi's compiler logs through the
// standard logger before panicking is dropped only while the session
// compiles (worker and capture modes). Notes and recovered goroutine
// panics go to Output.Stream("stderr"). Output written after a cell
// has finished (goroutines it started) goes to the Output of the most
// recent cell. Interpreted os.Stdin is an io.Reader (not an *os.File) that
// asks Output.Input for a line when Request.AllowStdin is set, and fails
// with a clear error otherwise.
//
// A variable whose type is a non-struct type declared in a cell (type
// Celsius float64) keeps that type across a replay when it was defined as
// T(v), T{...} or &T{...}; otherwise (c := f()) it is carried as its
// underlying type and loses its methods.
//
// State and Restore carry a session over to a fresh process (a worker
// that died is replaced): State lists the imports, the declarations as
// stored, every global variable with a type expression valid in a fresh
// session, and the execution counter; Restore replays the imports and
// declarations and declares the variables with their zero values, without
// running their initialisers, and says which values were lost.
//
// Redefinitions carry values with their cycles and sharing kept (a
// visited map keyed by pointer and type, as reflect.DeepEqual has).
//
// Memory: yaegi keeps, for its debugger, every program it compiled and
// every block scope it opened; the session clears both after each cell and
// removes the position tables of statement runs that leave no code
// behind (memory.go), so that a long session does not grow by kilobytes
// per cell.
//
// Today's Go (modern.go, gocheck.go): yaegi v0.16.1 predates Go 1.22, so
// every cell is rewritten before the interpreter sees it. The cell is
// type-checked with go/types (the compiled packages through their symbol
// tables, converted from reflect types; earlier cells' declarations from
// the store; earlier statement cells' variables from the interpreter;
// errors ignored, an untyped node is left as it is). Range over an integer
// becomes a counted loop; range over an iterator function becomes a call
// with a yield func literal (break returns false, continue true, return
// sets hidden results returned after the call; defer, goto and labelled
// branches to outer statements give an error showing that call); min, max
// and clear become calls of prelude helpers with explicit type arguments
// (a constant min or max its value); calls of generic functions declared in
// cells get their inferred type arguments written out. Loops whose body
// holds a func literal, go or defer statement (or the old `v := v` idiom)
// get per-iteration variables: range loops copy their variables at the
// top of the body, three-clause loops run on hidden variables copied into
// the body's at the top of each iteration and back at its end and before
// each continue, so that the body still steers the loop and the post
// statement does not change what closures captured. Loops without
// closures are left as they are. modern_test.go runs each rewrite's table
// both in a session and compiled by the Go toolchain (one program for the
// table) and compares the outputs. A func literal deferred inside a loop
// still sees the variable's last value (a yaegi bug the copy does not
// avoid).
//
// Magics (magic.go), handled before the Go code of a cell:
//
//   - A cell whose first non-blank line starts with %% is a cell magic:
//     %%time (runs the rest of the cell, which may itself start with line
//     magics, and prints CPU and wall time as IPython does), %%writefile
//     [-a] NAME, %%bash (and %%sh).
//   - Otherwise the lines at the top of the cell that start with % or !
//     (blank and // comment lines may come between them) are line magics,
//     run in order: %help, %time STATEMENT, %who, %reset, %env, %cd, and
//     !COMMAND (/bin/sh -c). The rest of the cell is Go, run with the magic
//     lines blanked so that positions keep the cell's own line numbers. A %
//     or ! line after Go code is Go (and fails to parse).
//   - %time STATEMENT runs one Go statement (keeping its line and column)
//     and prints its times; when it is the cell's last line, the
//     statement's value is the cell's value.
//   - !COMMAND and %%bash stream the process's output to the cell as it
//     comes; a non-zero exit status is an error named ShellError. The
//     process runs in a process group of its own, killed on interrupt.
//   - %env NAME=value sets the variable in the process (child processes)
//     and in the interpreter's own environment (os.Getenv in cells);
//     %env NAME prints it, %env lists the process's environment.
//   - %cd changes the working directory of the process (the worker).
//   - %reset builds a fresh interpreter: no declarations, imports,
//     variables; a note says so.
//   - %require MODULE@VERSION... pins module versions for imports of
//     packages no table has (they are part of State, so they survive a
//     worker restart); %require alone lists the pins and the modules
//     compiled into the worker, one module@version per line. Errors are
//     ModuleError; a failed import of a new package is an ImportError.
//
// Importing a package that no table has asks Options.Modules for a worker
// that has it compiled in (require.go): its build progress streams to the
// cell's stderr, and the cell stops with WorkerSwitch; TakeSwitch hands the
// worker's command line to the kernel, which switches to it, replays the
// session and runs the cell again. Without Modules, such an import is an
// error naming what the kernel preloads.
//   - An unknown magic is a UsageError listing the known ones. IsComplete
//     calls magic cells complete (Go lines after line magics are checked);
//     Complete lists magics after % at the start of a line.
//
// Completion inside a composite literal (Pt{Xc, image.Rectangle{Mi) offers
// the fields of the literal's struct type, declared in a cell or compiled.
//
// Known interpreter limits: yaegi's println writes to stdout; generic
// compiled functions cannot be called, so slices.Sort, SortFunc, Max, Min,
// Reverse, Clone, Equal, maps.Clone and maps.Copy are provided by an
// interpreted prelude, and iterator functions of compiled packages
// (maps.Keys, slices.Collect, ...) are explained in the error message.
package session
