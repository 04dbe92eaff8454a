package pkglist

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strings"
)

// Module is the import path of this module.
const Module = "github.com/trannsformer/gotrann"

// thirdParty is the fixed list of gonum and gonum/plot packages. Every one
// of them extracts cleanly with yaegi v0.16.1 and compiles.
var thirdParty = [...]string{
	"gonum.org/v1/gonum/blas/blas64",
	"gonum.org/v1/gonum/diff/fd",
	"gonum.org/v1/gonum/dsp/fourier",
	"gonum.org/v1/gonum/floats",
	"gonum.org/v1/gonum/floats/scalar",
	"gonum.org/v1/gonum/graph",
	"gonum.org/v1/gonum/graph/community",
	"gonum.org/v1/gonum/graph/path",
	"gonum.org/v1/gonum/graph/simple",
	"gonum.org/v1/gonum/graph/topo",
	"gonum.org/v1/gonum/integrate",
	"gonum.org/v1/gonum/integrate/quad",
	"gonum.org/v1/gonum/interp",
	"gonum.org/v1/gonum/lapack/lapack64",
	"gonum.org/v1/gonum/mat",
	"gonum.org/v1/gonum/mathext",
	"gonum.org/v1/gonum/optimize",
	"gonum.org/v1/gonum/spatial/r2",
	"gonum.org/v1/gonum/spatial/r3",
	"gonum.org/v1/gonum/stat",
	"gonum.org/v1/gonum/stat/combin",
	"gonum.org/v1/gonum/stat/distmv",
	"gonum.org/v1/gonum/stat/distuv",
	"gonum.org/v1/gonum/stat/sampleuv",
	"gonum.org/v1/plot",
	"gonum.org/v1/plot/font",
	"gonum.org/v1/plot/palette",
	"gonum.org/v1/plot/palette/brewer",
	"gonum.org/v1/plot/palette/moreland",
	"gonum.org/v1/plot/plotter",
	"gonum.org/v1/plot/plotutil",
	"gonum.org/v1/plot/text",
	"gonum.org/v1/plot/vg",
	"gonum.org/v1/plot/vg/draw",
	"gonum.org/v1/plot/vg/vgimg",
	"gonum.org/v1/plot/vg/vgsvg",
}

// ThirdParty returns the import paths of the preloaded gonum and gonum/plot
// packages, sorted. The caller owns the returned slice.
func ThirdParty() []string {
	return append([]string(nil), thirdParty[:]...)
}

// ownPatterns are the go list patterns of this module's preloaded packages.
// A pattern that matches nothing (kernel/nb before it exists) is ignored.
var ownPatterns = [...]string{
	Module + "/display/...",
	Module + "/kernel/comm/...",
	Module + "/kernel/nb/...",
	Module + "/trannsformer/...",
}

// Own lists this module's preloaded packages with `go list`, run in dir (a
// directory inside the module): display/..., kernel/comm/..., kernel/nb/...
// and trannsformer/..., except internal packages and commands. A package that
// go list cannot load is an error. The result is sorted.
func Own(ctx context.Context, dir string) ([]string, error) {
	args := append([]string{"list", "-e", "-json=ImportPath,Name,Error"}, ownPatterns[:]...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("pkglist: go list: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return parseList(&stdout)
}

// listed is one package as printed by go list -json.
type listed struct {
	ImportPath string
	Name       string
	Error      *struct{ Err string }
}

func parseList(r io.Reader) ([]string, error) {
	paths := []string{}
	var errs []error
	dec := json.NewDecoder(r)
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("pkglist: decoding go list output: %w", err)
		}
		if !Public(p.ImportPath) || p.Name == "main" {
			continue
		}
		if p.Error != nil {
			// Patterns that match no package come back as errors too.
			if strings.Contains(p.Error.Err, "matched no packages") {
				continue
			}
			errs = append(errs, fmt.Errorf("pkglist: %s: %s", p.ImportPath, p.Error.Err))
			continue
		}
		paths = append(paths, p.ImportPath)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Strings(paths)
	return paths, nil
}

// Public reports whether importPath may be preloaded: it has no "internal"
// or "testdata" element and no element starting with "." or "_".
func Public(importPath string) bool {
	for _, elem := range strings.Split(importPath, "/") {
		if elem == "internal" || elem == "testdata" || strings.HasPrefix(elem, ".") || strings.HasPrefix(elem, "_") {
			return false
		}
	}
	return importPath != ""
}

// All returns ThirdParty followed by Own, sorted.
func All(ctx context.Context, dir string) ([]string, error) {
	own, err := Own(ctx, dir)
	if err != nil {
		return nil, err
	}
	all := append(ThirdParty(), own...)
	sort.Strings(all)
	return all, nil
}
