package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// parseFlags parses a sub-command's flags. With -h or --help it prints
// the command's synopsis, description and flags (with their defaults) to
// standard output and returns helped = true; the command then returns nil
// (exit status 0). Errors are usage errors, worded one way for every
// command (flagError).
func parseFlags(fs *flag.FlagSet, args []string, synopsis, about string) (helped bool, err error) {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(os.Stdout, fs, synopsis, about)
			return true, nil
		}
		return false, flagError(fs.Name(), err)
	}
	return false, nil
}

// flagError words a flag package error as "CMD: unknown flag --x" or
// "CMD: invalid value "v" for flag --n: reason".
func flagError(cmd string, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return usagef("%s: unknown flag --%s", cmd, strings.TrimPrefix(name, "-"))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return usagef("%s: --%s needs a value", cmd, strings.TrimPrefix(name, "-"))
	}
	msg = strings.Replace(msg, " for flag -", " for flag --", 1)
	return usagef("%s: %s", cmd, msg)
}

// printHelp writes a command's help.
func printHelp(w io.Writer, fs *flag.FlagSet, synopsis, about string) {
	fmt.Fprintf(w, "usage: %s\n", synopsis)
	if about != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(about))
	}
	var lines [][2]string
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		left := "--" + f.Name
		if name != "" {
			left += " " + name
		}
		if len(f.Name) == 1 {
			left = "-" + left[2:]
		}
		if f.DefValue != "" && f.DefValue != "false" && !strings.Contains(usage, "(default") {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		lines = append(lines, [2]string{left, usage})
		width = max(width, len(left))
	})
	if len(lines) == 0 {
		return
	}
	fmt.Fprintln(w, "\nflags:")
	for _, l := range lines {
		fmt.Fprintf(w, "  %-*s  %s\n", width, l[0], l[1])
	}
}
