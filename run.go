package main

import (
	"context"
	"fmt"
)

// Version is the gotrann version, printed by "gotrann version".
const Version = "0.1.0"

const usage = `usage:
  gotrann install [--user | --sys-prefix | --prefix DIR]   register the kernel with Jupyter
  gotrann uninstall [--user | --sys-prefix | --prefix DIR] remove the kernel
  gotrann kernel --connection-file FILE                     what Jupyter launches
  gotrann run NOTEBOOK.ipynb [-o OUT.ipynb | --inplace] [-p name=value ...]
              [--timeout D] [--allow-errors]                execute a notebook without Jupyter
  gotrann export NOTEBOOK.ipynb [-o DIR] [--build]          write the notebook as a Go program
  gotrann paper [flags]                                     reproduce the paper's experiment table
  gotrann data mnist|fashion-mnist [--dir DIR] [--from DIR] place a data set where loaders find it
  gotrann version
`

// usageError is an error in the command line; main prints the usage and exits 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

// commands maps each sub-command to its implementation, in cmd_*.go.
var commands = map[string]func(ctx context.Context, args []string) error{
	"version":   cmdVersion,
	"kernel":    cmdKernel,
	"install":   cmdInstall,
	"uninstall": cmdUninstall,
	"run":       cmdRun,
	"paper":     cmdPaper,
	"export":    cmdExport,
	"data":      cmdData,
	"worker":    cmdWorker, // hidden: the interpreter process of kernel and run
}

// Run runs the gotrann command line (without the program name).
func Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("no command")
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Print(usage)
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		return usagef("unknown command %q", args[0])
	}
	return cmd(ctx, args[1:])
}

func cmdVersion(ctx context.Context, args []string) error {
	if len(args) != 0 {
		return usagef("version takes no arguments")
	}
	fmt.Println("gotrann", Version)
	return nil
}
