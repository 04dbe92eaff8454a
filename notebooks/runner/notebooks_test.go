package runner

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/trannsformer/gotrann/display/widget"
	"github.com/trannsformer/gotrann/notebooks"
)

// notebookDir is the directory of the project's notebooks.
const notebookDir = ".."

// shippedNotebook describes one of the project's notebooks and what its
// outputs must hold.
type shippedNotebook struct {
	file string
	// quick are the smallest parameters: used with GOTRANN_QUICK set,
	// under the race detector, and for the nbclient run.
	quick []notebooks.Parameter
	// minPNG is the least number of image/png outputs (every figure the
	// notebook draws, also those not found by figureCall).
	minPNG int
	// mimes must each appear in at least one output.
	mimes []string
}

func params(kv ...string) []notebooks.Parameter {
	var ps []notebooks.Parameter
	for i := 0; i < len(kv); i += 2 {
		ps = append(ps, notebooks.Parameter{Name: kv[i], Value: kv[i+1]})
	}
	return ps
}

var shipped = []shippedNotebook{
	{
		file:   "01-quickstart.ipynb",
		quick:  params("trainSamples", "1000", "testSamples", "200", "hidden", "[32]", "epochs", "1"),
		minPNG: 5,
		mimes:  []string{"text/html", "text/markdown", "text/latex", "image/png"},
	},
	{
		file: "02-trannsformer-mnist.ipynb",
		quick: params("trainSamples", "1500", "testSamples", "200", "hidden", "[64, 64]", "epochs", "5",
			"ks", "[32, 64]", "timesteps", "20", "snnSamples", "100"),
		minPNG: 8,
		mimes:  []string{"text/html", "image/png"},
	},
	{
		file: "03-crossbar-size-sweep.ipynb",
		quick: params("trainSamples", "1500", "testSamples", "200", "hidden", "[64, 64]", "epochs", "3",
			"ks", "[16, 64]", "timesteps", "20", "snnSamples", "100"),
		minPNG: 5,
		mimes:  []string{"text/html", "image/png"},
	},
	{
		file:   "04-teaching-spectral-clustering.ipynb",
		quick:  params("outputs", "20", "inputs", "24", "blocks", "4", "groups", "4", "k", "8"),
		minPNG: 8,
		mimes:  []string{"text/html", "image/png"},
	},
	{
		file: "05-beyond-the-paper.ipynb",
		quick: params("trainSamples", "1500", "testSamples", "200", "hidden", "[64, 64]", "epochs", "4",
			"ks", "[32, 64]", "k", "32", "timesteps", "20", "snnSamples", "100"),
		minPNG: 8,
		mimes:  []string{"text/html", "image/png"},
	},
}

// figureCall matches cell sources that draw a figure; such a cell must
// have an image/png output.
var figureCall = regexp.MustCompile(`display\.(Figures?|Plots|PlotWith|Image)\(|Monitor\(|RenderPlots\(`)

// checkOutputs reports what is wrong with the outputs of an executed
// notebook: errors, code cells not run, figure cells without a PNG, too
// few PNGs, missing MIME types.
func checkOutputs(nb *notebooks.Notebook, spec shippedNotebook) []string {
	var problems []string
	pngs := 0
	mimes := map[string]bool{}
	for i, c := range nb.Cells {
		if c.Type != notebooks.Code || strings.TrimSpace(c.Source) == "" {
			continue
		}
		if c.ExecutionCount == nil {
			problems = append(problems, fmt.Sprintf("cell %d was not executed", i+1))
		}
		cellPNG := false
		for _, o := range c.Outputs {
			if o.Type == notebooks.Error {
				problems = append(problems, fmt.Sprintf("cell %d failed: %s: %s", i+1, o.EName, o.EValue))
			}
			for mime := range o.Data {
				mimes[mime] = true
				if mime == "image/png" {
					pngs++
					cellPNG = true
				}
			}
		}
		if figureCall.MatchString(c.Source) && !cellPNG {
			problems = append(problems, fmt.Sprintf("cell %d draws a figure but has no image/png output", i+1))
		}
	}
	if pngs < spec.minPNG {
		problems = append(problems, fmt.Sprintf("%d image/png outputs, want at least %d", pngs, spec.minPNG))
	}
	for _, m := range spec.mimes {
		if !mimes[m] {
			problems = append(problems, "no "+m+" output")
		}
	}
	return problems
}

// quickReason says why the smallest parameters are used, or "" for the
// notebooks' defaults.
func quickReason() string {
	switch {
	case os.Getenv("GOTRANN_QUICK") != "":
		return "GOTRANN_QUICK is set"
	case raceBuild():
		return "the race detector is on"
	}
	return ""
}

func raceBuild() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" && s.Value == "true" {
			return true
		}
	}
	return false
}

func readShipped(t *testing.T, spec shippedNotebook) (*notebooks.Notebook, []byte) {
	t.Helper()
	orig, err := os.ReadFile(filepath.Join(notebookDir, spec.file))
	if err != nil {
		t.Fatal(err)
	}
	nb, err := notebooks.Parse(orig, spec.file)
	if err != nil {
		t.Fatal(err)
	}
	return nb, orig
}

// TestShippedNotebooksList keeps the list above and the directory in step.
func TestShippedNotebooksList(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(notebookDir, "[0-9][0-9]-*.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range paths {
		paths[i] = filepath.Base(p)
	}
	var names []string
	for _, s := range shipped {
		names = append(names, s.file)
	}
	if strings.Join(paths, " ") != strings.Join(names, " ") {
		t.Errorf("notebooks in the directory %q, in the test %q", paths, names)
	}
}

// TestStoredNotebooks checks the notebooks as they are committed: nbformat
// 4.5 with the gotrann kernelspec, a parameters cell whose names the quick
// parameters use, a documented full-size run, and stored outputs that pass
// the same checks as a fresh run (so that they read well on GitHub).
func TestStoredNotebooks(t *testing.T) {
	for _, spec := range shipped {
		t.Run(spec.file, func(t *testing.T) {
			nb, _ := readShipped(t, spec)
			if nb.Format != 4 || nb.FormatMinor != 5 {
				t.Errorf("nbformat %d.%d, want 4.5", nb.Format, nb.FormatMinor)
			}
			ks, _ := nb.Metadata["kernelspec"].(map[string]any)
			if ks["name"] != "gotrann" || ks["display_name"] != "Go (TraNNsformer)" || ks["language"] != "go" {
				t.Errorf("kernelspec %v", ks)
			}
			var paramCell *notebooks.Cell
			documented := false
			for _, c := range nb.Cells {
				if c.HasTag("parameters") {
					paramCell = c
				}
				if c.Type == notebooks.Markdown && strings.Contains(c.Source, "-p ") {
					documented = true
				}
			}
			if paramCell == nil {
				t.Fatal("no cell tagged parameters")
			}
			if !documented {
				t.Error("no markdown cell documents a full-size run (-p name=value)")
			}
			if !strings.Contains(paramCell.Source, "seed") {
				t.Error("the parameters cell has no seed")
			}
			for _, p := range spec.quick {
				if !regexp.MustCompile(`(?m)^\s*` + p.Name + `\s*:?=`).MatchString(paramCell.Source) {
					t.Errorf("quick parameter %s is not in the parameters cell", p.Name)
				}
			}
			for _, p := range checkOutputs(nb, spec) {
				t.Errorf("stored outputs: %s (run: go run . run --inplace notebooks/%s)", p, spec.file)
			}
		})
	}
}

// TestNotebooks executes every notebook in a fresh worker process with the
// runner's API, as "gotrann run" does (the widgets' state saved in the
// metadata, their ids made canonical), with the notebook's default
// parameters, or the smallest ones with GOTRANN_QUICK set or under the
// race detector. With the defaults, every output of the run must be the
// one stored in the committed notebook (notebooks.CompareOutputs: text,
// HTML, PNG bytes, execution counts, widget state). The notebooks
// themselves are not changed; the executed copy is validated with
// nbformat when it is available.
//
// The executions are heavy: -short skips them (make test runs them once,
// in its full pass).
func TestNotebooks(t *testing.T) {
	if testing.Short() {
		t.Skip("executes every notebook: skipped with -short")
	}
	quick := quickReason()
	if quick != "" {
		t.Logf("smallest parameters: %s; the outputs are not compared with the stored ones", quick)
	}
	for _, spec := range shipped {
		t.Run(spec.file, func(t *testing.T) {
			nb, orig := readShipped(t, spec)
			stored, _ := readShipped(t, spec)
			s := newWorker(t)
			widgets := widget.NewStateRecorder()
			s.SetCommSink(widgets)
			opts := Options{Session: s, Timeout: 10 * time.Minute}
			if quick != "" {
				opts.Parameters = spec.quick
			}
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
			defer cancel()
			start := time.Now()
			if err := Run(ctx, nb, opts); err != nil {
				t.Fatal(err)
			}
			t.Logf("ran in %v", time.Since(start).Round(time.Millisecond))
			s.Close()
			// As gotrann run does.
			if !widgets.SaveTo(nb.Metadata) {
				notebooks.ClearWidgetState(nb)
			}
			notebooks.CanonicalWidgetIDs(nb)
			for _, p := range checkOutputs(nb, spec) {
				t.Error(p)
			}
			out := filepath.Join(t.TempDir(), filepath.Base(spec.file))
			if err := notebooks.WriteFile(out, nb); err != nil {
				t.Fatal(err)
			}
			if now, err := os.ReadFile(filepath.Join(notebookDir, spec.file)); err != nil || string(now) != string(orig) {
				t.Errorf("%s changed during the test", spec.file)
			}
			validate(t, out)
			if quick == "" {
				compareStored(t, spec.file, stored, out)
			}
		})
	}
}

// compareStored fails the test, listing the differences, when the
// outputs of the notebook written to out are not those stored.
func compareStored(t *testing.T, file string, stored *notebooks.Notebook, out string) {
	t.Helper()
	fresh, err := notebooks.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	diffs := notebooks.CompareOutputs(stored, fresh)
	if len(diffs) == 0 {
		return
	}
	const most = 30
	var sb strings.Builder
	for i, d := range diffs {
		if i == most {
			fmt.Fprintf(&sb, "\n  ... and %d more", len(diffs)-most)
			break
		}
		sb.WriteString("\n  " + d.String())
	}
	t.Errorf("%d differences from the stored outputs (want: stored, got: this run); "+
		"if the change is meant, re-execute: go run . run --inplace notebooks/%s%s", len(diffs), file, sb.String())
}

const python3 = "/usr/bin/python3"

// validate checks a notebook file with nbformat, when it is installed.
func validate(t *testing.T, path string) {
	t.Helper()
	if exec.Command(python3, "-c", "import nbformat").Run() != nil {
		t.Logf("%s with nbformat is not available: %s not validated", python3, path)
		return
	}
	msg, err := exec.Command(python3, "-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", path).CombinedOutput()
	if err != nil {
		t.Errorf("nbformat.validate: %v\n%s", err, msg)
	}
}

// nbclientScript executes a notebook through a Jupyter kernel with nbclient
// and writes the result: argv are the input, the output, the kernel name
// and the working directory.
const nbclientScript = `
import sys, nbformat
from nbclient import NotebookClient
src, dst, kernel, cwd = sys.argv[1:5]
nb = nbformat.read(src, as_version=4)
client = NotebookClient(nb, kernel_name=kernel, timeout=600, startup_timeout=120,
                        resources={"metadata": {"path": cwd}})
client.execute()
nbformat.validate(nb)
nbformat.write(nb, dst)
`

// TestNotebooksNbclient installs the kernel into a temporary Jupyter path
// and executes every notebook (with its smallest parameters) through it
// with nbclient, as JupyterLab or papermill would, then checks the outputs
// like TestNotebooks and validates them with nbformat.
func TestNotebooksNbclient(t *testing.T) {
	if testing.Short() {
		t.Skip("executes every notebook: skipped with -short")
	}
	if err := exec.Command(python3, "-c", "import nbclient, nbformat").Run(); err != nil {
		t.Skipf("%s cannot import nbclient and nbformat (Debian: apt-get install python3-nbclient python3-nbformat): %v", python3, err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "gotrann")
	build := exec.Command("go", "build", "-o", bin, "github.com/trannsformer/gotrann")
	if msg, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building gotrann: %v\n%s", err, msg)
	}
	prefix := filepath.Join(dir, "prefix")
	if msg, err := exec.Command(bin, "install", "--prefix", prefix).CombinedOutput(); err != nil {
		t.Fatalf("gotrann install --prefix: %v\n%s", err, msg)
	}
	runtime := filepath.Join(dir, "runtime")
	env := append(os.Environ(),
		"JUPYTER_PATH="+filepath.Join(prefix, "share", "jupyter"),
		"JUPYTER_RUNTIME_DIR="+runtime,
		"PYDEVD_DISABLE_FILE_VALIDATION=1")
	find := exec.Command(python3, "-c", "from jupyter_client.kernelspec import KernelSpecManager as M; print(M().find_kernel_specs().get('gotrann', 'not found'))")
	find.Env = env
	found, err := find.CombinedOutput()
	if want := filepath.Join(prefix, "share", "jupyter", "kernels", "gotrann"); err != nil || strings.TrimSpace(string(found)) != want {
		t.Fatalf("Jupyter finds the gotrann kernel at %q (%v), want the one installed at %s", found, err, want)
	}
	wd, err := filepath.Abs(notebookDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, spec := range shipped {
		t.Run(spec.file, func(t *testing.T) {
			nb, _ := readShipped(t, spec)
			if err := notebooks.InjectParameters(nb, spec.quick); err != nil {
				t.Fatal(err)
			}
			for _, c := range nb.Cells {
				c.ClearOutputs()
			}
			in := filepath.Join(dir, "in-"+spec.file)
			out := filepath.Join(dir, "out-"+spec.file)
			if err := notebooks.WriteFile(in, nb); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, python3, "-c", nbclientScript, in, out, "gotrann", wd)
			cmd.Env = env
			start := time.Now()
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("nbclient: %v\n%s", err, tail(string(msg), 4000))
			}
			t.Logf("ran through the kernel in %v", time.Since(start).Round(time.Millisecond))
			got, err := notebooks.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range checkOutputs(got, spec) {
				t.Error(p)
			}
		})
	}
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
