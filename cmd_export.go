package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"sort"
	"strings"

	"github.com/traefik/yaegi/stdlib"

	"github.com/trannsformer/gotrann/kernel/symbols"
	"github.com/trannsformer/gotrann/notebooks"
	"github.com/trannsformer/gotrann/notebooks/export"
)

const exportSynopsis = "gotrann export NOTEBOOK.ipynb [-o DIR] [--gotrann-src DIR] [--build]"

const exportAbout = `
Writes NOTEBOOK as a Go module in DIR (main.go, go.mod, go.sum) that builds
with go build and runs the code cells in order at compiled speed. What the
cells print goes to the program's standard output; every display (a cell's
value, display.Show, plots, tables, progress bars) becomes a file in out/
under the program's working directory, with its text on standard error.
Variables declared by the cells' statements become package-level
variables; packages are imported as the kernel imports them; the magics
!cmd, %%bash, %%sh, %%writefile, %env, %cd, %time and %%time are kept
(%require pins go to go.mod); %who, %reset and %help are left out.

go.mod requires gotrann at the release this binary was built from, or
replaces it with its source directory (--gotrann-src, default: the
checkout this binary was built from), and the notebook's pins
(metadata.gotrann.require). Export needs the go command: it type-checks the
cells to declare their variables.`

// exportArgs is the parsed command line of "gotrann export".
type exportArgs struct {
	in, out, src string
	build        bool
}

func cmdExport(ctx context.Context, args []string) error {
	return runExport(ctx, args, os.Stdout, os.Stderr)
}

func parseExportArgs(args []string) (a exportArgs, helped bool, err error) {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.StringVar(&a.out, "o", "", "write the module to `DIR` (default: the notebook's name without .ipynb, in the current directory)")
	fs.StringVar(&a.out, "output", "", "same as -o `DIR`")
	fs.StringVar(&a.src, "gotrann-src", "", "the gotrann source `DIR` the program's go.mod replaces the module with (default: the release of this binary, else its source tree)")
	fs.BoolVar(&a.build, "build", false, "run go build in DIR after writing it")
	// The notebook may come before or after the flags.
	var pos []string
	for {
		if helped, err := parseFlags(fs, args, exportSynopsis, exportAbout); helped || err != nil {
			return a, helped, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	switch {
	case len(pos) == 0:
		return a, false, usagef("export: no notebook given")
	case len(pos) > 1:
		return a, false, usagef("export: one notebook at a time (got %s)", strings.Join(pos, " "))
	}
	a.in = pos[0]
	if a.out == "" {
		a.out = export.ModulePath(a.in)
	}
	return a, false, nil
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	a, helped, err := parseExportArgs(args)
	if helped || err != nil {
		return err
	}
	nb, err := notebooks.ReadFile(a.in)
	if err != nil {
		return err
	}
	src, err := export.FindSource(a.src)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if len(src.GoMod) == 0 {
		src.GoMod, src.GoSum = ownGoMod, ownGoSum
	}
	res, err := export.Export(ctx, nb, a.in, a.out, export.Config{Packages: packageNames(), Source: src})
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "export: warning:", w)
	}
	fmt.Fprintf(stdout, "wrote module %s in %s (%s)\n", res.Module, a.out, strings.Join(res.Files, ", "))
	if !a.build {
		fmt.Fprintf(stdout, "build and run it: cd %s && go build && ./%s\n", a.out, res.Module)
		return nil
	}
	cmd := exec.CommandContext(ctx, "go", "build")
	cmd.Dir = a.out
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("export: go build in %s: %w", a.out, err)
	}
	fmt.Fprintf(stdout, "built %s/%s\n", a.out, res.Module)
	return nil
}

// packageNames maps a package name to the import path that the session
// imports automatically for it: the packages of the interpreter's symbol
// tables, the standard library first, then the shortest path (the rule of
// kernel/session/tables.go).
func packageNames() map[string]string {
	isStd := map[string]bool{}
	var keys []string
	for k := range stdlib.Symbols {
		isStd[k] = true
		keys = append(keys, k)
	}
	for k := range symbols.Symbols {
		if !isStd[k] {
			keys = append(keys, k)
		}
	}
	preferred := map[string]bool{"math/rand": true, "text/template": true}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if isStd[a] != isStd[b] {
			return isStd[a]
		}
		if pa, pb := preferred[path.Dir(a)], preferred[path.Dir(b)]; pa != pb {
			return pa
		}
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return a < b
	})
	names := map[string]string{}
	for _, k := range keys {
		p, name := path.Dir(k), path.Base(k)
		if strings.Contains(p, "internal") {
			continue
		}
		if _, ok := names[name]; !ok {
			names[name] = p
		}
	}
	return names
}
