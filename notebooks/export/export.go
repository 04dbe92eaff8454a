package export

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/trannsformer/gotrann/notebooks"
)

// Config configures Export. The zero value finds the gotrann source with
// FindSource, runs "go" from PATH and adds no automatic imports.
type Config struct {
	// Packages are the automatic imports (Options.Packages).
	Packages map[string]string
	// Source is the gotrann module the program requires; zero: FindSource("").
	Source Source
	// Go is the go command used for type information; "" means "go".
	Go string
	// Env is the environment of the go command; nil means the process's.
	Env []string
}

// Result tells what Export wrote.
type Result struct {
	Module   string   // the program's module path
	Files    []string // the files written, relative to the directory
	Imports  []string // the packages main.go imports
	Warnings []string
}

// Cells returns the notebook's non-empty code cells, numbered.
func Cells(nb *notebooks.Notebook) []Cell {
	var cells []Cell
	for i, c := range nb.Cells {
		if c.Type != notebooks.Code || strings.TrimSpace(c.Source) == "" {
			continue
		}
		cells = append(cells, Cell{N: len(cells) + 1, Index: i, Source: c.Source})
	}
	return cells
}

// Pins returns the module pins of a notebook's metadata
// (metadata.gotrann.require, a list of "path@version").
func Pins(nb *notebooks.Notebook) ([]string, error) {
	g, _ := nb.Metadata["gotrann"].(map[string]any)
	if g == nil || g["require"] == nil {
		return nil, nil
	}
	list, ok := g["require"].([]any)
	if !ok {
		return nil, fmt.Errorf("export: metadata.gotrann.require is %T, want a list of \"path@version\"", g["require"])
	}
	var pins []string
	for _, v := range list {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("export: metadata.gotrann.require holds %v (%T), want \"path@version\"", v, v)
		}
		pins = append(pins, s)
	}
	return pins, nil
}

// requirePins returns the pins of the cells' %require magics.
func requirePins(cells []Cell) []string {
	var pins []string
	for _, c := range cells {
		us, _ := cellUnits(c.Source)
		for _, u := range us {
			if u.kind == unitPin {
				pins = append(pins, strings.Fields(u.text)...)
			}
		}
	}
	return pins
}

// lastPins keeps the last pin of each module, in the order of first
// appearance.
func lastPins(pins []string) []string {
	at := map[string]int{}
	var out []string
	for _, p := range pins {
		path, _, _ := strings.Cut(p, "@")
		if i, ok := at[path]; ok {
			out[i] = p
			continue
		}
		at[path] = len(out)
		out = append(out, p)
	}
	return out
}

// Export writes the notebook nb, read from the file name, as a Go module in
// dir: go.mod, go.sum and main.go. The directory is created if needed;
// files of the same names are replaced.
func Export(ctx context.Context, nb *notebooks.Notebook, name, dir string, c Config) (*Result, error) {
	src := c.Source
	if src.Dir == "" && src.Version == "" {
		var err error
		if src, err = FindSource(""); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
	}
	pins, err := Pins(nb)
	if err != nil {
		return nil, err
	}
	cells := Cells(nb)
	pins = lastPins(append(pins, requirePins(cells)...))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	res := &Result{Module: ModulePath(name)}
	write := func(file string, data []byte) error {
		if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		res.Files = append(res.Files, file)
		return nil
	}
	writeMod := func(pins []string) error {
		mod, warns, err := GoMod(res.Module, src, pins)
		if err != nil {
			return err
		}
		res.Warnings = append(res.Warnings, warns...)
		return write("go.mod", mod)
	}
	// go.mod first: the translation's type information comes from it
	if err := writeMod(pins); err != nil {
		return nil, err
	}
	if err := write("go.sum", GoSum(src)); err != nil {
		return nil, err
	}
	prog, err := Translate(cells, Options{
		Packages: c.Packages,
		Importer: GoListImporter(ctx, c.Go, dir, c.Env),
		Name:     filepath.Base(name),
	})
	if err != nil {
		return nil, err
	}
	if err := write("main.go", prog.Main); err != nil {
		return nil, err
	}
	res.Imports = prog.Imports
	res.Warnings = append(res.Warnings, prog.Warnings...)
	if len(pins) > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the notebook pins %s: go.sum has no lines for them; run go mod tidy in %s (it needs GOPROXY) before go build", strings.Join(pins, " "), dir))
	}
	return res, nil
}
