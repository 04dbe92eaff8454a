package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/trannsformer/gotrann/display"
	"github.com/trannsformer/gotrann/display/widget"
	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/kernel/worker"
	"github.com/trannsformer/gotrann/notebooks"
	"github.com/trannsformer/gotrann/notebooks/runner"
)

const runUsage = `usage: gotrann run NOTEBOOK.ipynb [-o OUT.ipynb | --inplace] [-p name=value ...]
                   [--timeout D] [--allow-errors] [--check]

Executes every code cell of NOTEBOOK in order, in a Go worker process as the
kernel does (a cell that crashes it gets an error output), and writes the notebook with its outputs (nbformat 4.5).

  -o, --output OUT    write to OUT ("-" for standard output); the default is
                      NOTEBOOK with .ipynb replaced by .out.ipynb
  --inplace           write back to NOTEBOOK
  -p, --parameter name=value
                      set a parameter (papermill convention): the values are
                      assigned in a cell tagged "injected-parameters" inserted
                      after the cell tagged "parameters", converted to the
                      types that cell declares: 3, 0.5, true, mnist, "a b",
                      [16, 32], {"a": 1}, 1m30s for a time.Duration
  --timeout D         interrupt a cell that runs longer than D (e.g. 10m)
  --allow-errors      keep going after a failing cell and exit 0
  --check             compare every new output with the one stored in
                      NOTEBOOK; list the differences and exit 1 if there
                      are any (writes a notebook only with -o or --inplace)
  --worker-memory N   cap the worker process's address space (e.g. 8GiB, none;
                      default 3/4 of the machine's memory)
  --worker-stack N    cap a goroutine's stack in the worker (default 64MiB)

Writes are atomic: the output is written to a temporary file and renamed,
also when a cell fails or the run is interrupted (what has run is kept).
Progress goes to standard error, one line per code cell.
`

// runArgs is the parsed command line of "gotrann run".
type runArgs struct {
	in, out     string
	inplace     bool
	allowErrors bool
	check       bool
	timeout     time.Duration
	params      []notebooks.Parameter
	help        bool
	worker      workerFlags
}

func parseRunArgs(args []string) (runArgs, error) {
	var a runArgs
	var outSet bool
	var pos []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			pos = append(pos, arg)
			continue
		}
		name, val, hasVal := strings.Cut(arg, "=")
		value := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", usagef("run: %s needs a value", name)
			}
			i++
			return args[i], nil
		}
		noValue := func() error {
			if hasVal {
				return usagef("run: %s takes no value", name)
			}
			return nil
		}
		var err error
		switch name {
		case "-o", "--output", "-output":
			a.out, err = value()
			outSet = true
		case "--inplace", "-inplace":
			err = noValue()
			a.inplace = true
		case "--allow-errors", "-allow-errors":
			err = noValue()
			a.allowErrors = true
		case "--check", "-check":
			err = noValue()
			a.check = true
		case "-p", "--parameter", "-parameter":
			var s string
			if s, err = value(); err == nil {
				var p notebooks.Parameter
				if p, err = notebooks.ParseParameter(s); err != nil {
					err = usagef("run: %v", err)
				}
				a.params = append(a.params, p)
			}
		case "--timeout", "-timeout":
			var s string
			if s, err = value(); err == nil {
				a.timeout, err = time.ParseDuration(s)
				if err != nil || a.timeout <= 0 {
					err = usagef("run: --timeout %q: want a positive duration such as 30s or 10m", s)
				}
			}
		case "--worker-memory", "-worker-memory":
			a.worker.memory, err = value()
		case "--worker-stack", "-worker-stack":
			a.worker.stack, err = value()
		case "-h", "--help", "-help":
			a.help = true
			return a, nil
		default:
			err = usagef("run: unknown flag %s", name)
		}
		if err != nil {
			return a, err
		}
	}
	switch {
	case len(pos) == 0:
		return a, usagef("run: no notebook given")
	case len(pos) > 1:
		return a, usagef("run: one notebook at a time (got %s)", strings.Join(pos, " "))
	case a.inplace && outSet:
		return a, usagef("run: -o and --inplace exclude each other")
	case outSet && a.out == "":
		return a, usagef("run: -o needs a file name")
	}
	a.in = pos[0]
	switch {
	case a.inplace:
		a.out = a.in
	case !outSet && !a.check:
		a.out = strings.TrimSuffix(a.in, filepath.Ext(a.in)) + ".out.ipynb"
	}
	return a, nil
}

// cmdRun implements "gotrann run".
func cmdRun(ctx context.Context, args []string) error {
	a, err := parseRunArgs(args)
	if err != nil {
		return err
	}
	if a.help {
		fmt.Print(runUsage)
		return nil
	}
	nb, err := notebooks.ReadFile(a.in)
	if err != nil {
		return err
	}
	var stored *notebooks.Notebook // the outputs --check compares with
	if a.check {
		if stored, err = notebooks.ReadFile(a.in); err != nil {
			return err
		}
	}
	// Cells run in a worker process, as in the kernel: a cell that kills
	// it gets an error output, the notebook is still written, and the
	// exit status says the run failed.
	wcfg, err := a.worker.config("run")
	if err != nil {
		return err
	}
	// A crash is recorded in its cell; the run's log stays quiet.
	logw := os.Stderr
	wcfg.Logger = log.New(io.Discard, "", 0)
	sup, err := worker.New(wcfg)
	if err != nil {
		return fmt.Errorf("starting the Go worker: %w", err)
	}
	defer sup.Close()
	// The widgets' last state goes into the notebook's metadata, so that
	// a saved notebook shows them on static renderers.
	widgets := widget.NewStateRecorder()
	sup.SetCommSink(widgets)
	// module pins apply before the first cell (cmd_run_require.go)
	if err := applyRequire(ctx, sup, nb.Metadata); err != nil {
		return err
	}
	runErr := runner.Run(ctx, nb, runner.Options{
		Session:     sup,
		Parameters:  a.params,
		Timeout:     a.timeout,
		AllowErrors: a.allowErrors,
		Progress:    logw,
		Live:        terminalSink{display.NewTerminalSink(logw)},
	})
	saveRequire(sup, nb.Metadata)
	sup.Close()
	if !widgets.SaveTo(nb.Metadata) {
		notebooks.ClearWidgetState(nb) // an earlier run's models are gone
	}
	notebooks.CanonicalWidgetIDs(nb) // the same ids on every run
	if errors.Is(runErr, runner.ErrNotRun) {
		return runErr
	}
	var checkErr error
	if a.check {
		checkErr = checkOutputs(os.Stderr, a.in, stored, nb)
	}
	var writeErr error
	if a.out == "-" {
		writeErr = notebooks.Write(os.Stdout, nb)
	} else if a.out == "" {
		// --check without -o or --inplace writes nothing
	} else if writeErr = notebooks.WriteFile(a.out, nb); writeErr == nil {
		fmt.Fprintf(os.Stderr, "wrote %s\n", a.out)
	}
	return errors.Join(runErr, checkErr, writeErr)
}

// terminalSink shows a run's live displays (progress bars, monitors) with
// display's terminal renderer.
type terminalSink struct{ t *display.TerminalSink }

func (s terminalSink) Display(b engine.Bundle, id string) { s.t.Display(display.Bundle(b), id) }
func (s terminalSink) Update(b engine.Bundle, id string)  { s.t.Update(display.Bundle(b), id) }
func (s terminalSink) Clear(wait bool)                    { s.t.Clear(wait) }
