package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPaperQuick runs "gotrann paper --quick" end to end on the synthetic
// data set and checks the report, the CSV, the saved networks (recounted
// by the standalone script when python3 with numpy is there) and the
// progress output.
func TestPaperQuick(t *testing.T) {
	dir := t.TempDir()
	jsonFile, mdFile, csvFile, save := filepath.Join(dir, "paper.json"), filepath.Join(dir, "paper.md"), filepath.Join(dir, "paper.csv"), filepath.Join(dir, "save")
	var stdout, stderr bytes.Buffer
	args := []string{"--quick", "--dataset", "synthetic", "--epochs", "8", "--k", "16,64",
		"--json", jsonFile, "--md", mdFile, "--csv", csvFile, "--save", save, "--seed", "1"}
	if err := runPaper(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("paper: %v\n%s", err, stderr.String())
	}
	// Progress: one prefix on every line, the projection first, the bar's
	// status not glued to it.
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if !strings.Contains(lines[0], "projected") {
		t.Errorf("first line %q, want the projected time", lines[0])
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "paper") || strings.HasPrefix(l, "paper: paper") {
			t.Errorf("progress line %q", l)
		}
	}
	if !strings.Contains(stderr.String(), "100%") {
		t.Errorf("no finished progress bar on stderr:\n%s", stderr.String())
	}
	md, err := os.ReadFile(mdFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(md) != stdout.String() {
		t.Error("the Markdown file differs from the report printed")
	}
	for _, want := range []string{"| dense |", "| pruned |", "| trannsformer |", "| ours |", "| tile_pruning |", "| small_dense |",
		"k=64", "validation", "Pareto", "best mapper", "MNSIM-2.0", "NeuroSim-1.3", "PUMA-sim"} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("Markdown lacks %q", want)
		}
	}

	raw, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Budget int `json:"budget_epochs"`
		Runs   []struct {
			Method   string  `json:"method"`
			Epochs   int     `json:"epochs"`
			Val      float64 `json:"val_acc"`
			Test     float64 `json:"test_acc"`
			Mappings []struct {
				Mapper   string `json:"mapper"`
				Verified bool   `json:"verified"`
			} `json:"mappings"`
		} `json:"runs"`
		Chosen map[string]float64 `json:"chosen"`
		Points []struct {
			Pareto bool `json:"pareto"`
		} `json:"points"`
		Curve [][]any `json:"dense_curve"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	methods := map[string]bool{}
	for _, r := range rep.Runs {
		methods[r.Method] = true
		if r.Epochs != rep.Budget || rep.Budget != 8 {
			t.Errorf("%s: %d epochs, budget %d", r.Method, r.Epochs, rep.Budget)
		}
		if r.Val < 0.3 || r.Val > 1 || r.Test < 0.3 || r.Test > 1 {
			t.Errorf("%s: val %v, test %v", r.Method, r.Val, r.Test)
		}
		if len(r.Mappings) != 2*5 {
			t.Errorf("%s: %d mappings", r.Method, len(r.Mappings))
		}
		for _, m := range r.Mappings {
			if !m.Verified {
				t.Errorf("%s %s: not verified", r.Method, m.Mapper)
			}
		}
	}
	if len(methods) != 6 || len(rep.Chosen) != 6 || len(rep.Curve) != 1 || len(rep.Curve[0]) != 8 {
		t.Errorf("methods %v, chosen %v, curve %d", methods, rep.Chosen, len(rep.Curve))
	}
	pareto := 0
	for _, p := range rep.Points {
		if p.Pareto {
			pareto++
		}
	}
	if pareto == 0 {
		t.Error("no Pareto point")
	}

	f, err := os.Open(csvFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "dataset,method,knob,seed,k,mapper,crossbars,synapses,epochs,val_acc,test_acc,snn_test_acc,cost_model,area_mm2,energy_nj" {
		t.Errorf("CSV header %q", got)
	}
	if want := len(rep.Runs) * 2 * 5 * 4; len(rows)-1 != want {
		t.Errorf("%d CSV rows, want %d", len(rows)-1, want)
	}
	for _, r := range rows[1:] {
		for _, i := range []int{9, 10, 11} {
			if v, err := strconv.ParseFloat(r[i], 64); err != nil || v < 0 || v > 1 {
				t.Fatalf("row %v: column %d", r, i)
			}
		}
	}

	// --merge: one report merges into itself (the Markdown is the run's),
	// with the Pareto figure.
	merged, figFile := filepath.Join(dir, "merged.md"), filepath.Join(dir, "pareto.png")
	stdout.Reset()
	if err := runPaper(context.Background(), []string{"--merge", jsonFile, "--md", merged, "--figure", figFile}, &stdout, &stderr); err != nil {
		t.Fatalf("paper --merge: %v", err)
	}
	if a, b := readString(t, mdFile), readString(t, merged); a != b {
		t.Errorf("a report merged alone differs from its run's Markdown:\n%s\n---\n%s", b, a)
	}
	if fig, err := os.ReadFile(figFile); err != nil || !bytes.HasPrefix(fig, []byte("\x89PNG")) {
		t.Errorf("--figure: %v, %d bytes, not a PNG", err, len(fig))
	}
	// The same report twice: its networks are kept once.
	twice := filepath.Join(dir, "twice.md")
	if err := runPaper(context.Background(), []string{"--merge", jsonFile + "," + jsonFile, "--md", twice}, &stdout, &stderr); err != nil {
		t.Errorf("paper --merge of one report twice: %v", err)
	} else if a, b := readString(t, mdFile), readString(t, twice); a != b {
		t.Errorf("a report merged with itself differs from its run's Markdown:\n%s\n---\n%s", b, a)
	}
	// --only with --merge keeps the dense networks and the methods named.
	onlyJSON := filepath.Join(dir, "only.json")
	if err := runPaper(context.Background(), []string{"--merge", jsonFile, "--only", "ours,pruned", "--json", onlyJSON}, &stdout, &stderr); err != nil {
		t.Fatalf("paper --merge --only: %v", err)
	}
	var only struct {
		Runs []struct {
			Method  string `json:"method"`
			Dropout string `json:"dropout"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(readString(t, onlyJSON)), &only); err != nil {
		t.Fatal(err)
	}
	kept := map[string]int{}
	for _, r := range only.Runs {
		kept[r.Method]++
		want := "scaled"
		if r.Method == "dense" || r.Method == "pruned" {
			want = "fixed"
		}
		if r.Dropout != want {
			t.Errorf("%s: dropout %q, want %q", r.Method, r.Dropout, want)
		}
	}
	if len(kept) != 3 || kept["dense"] != 1 || kept["ours"] == 0 || kept["pruned"] == 0 {
		t.Errorf("--merge --only ours,pruned kept %v", kept)
	}

	py := ""
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(p); err == nil && exec.Command(path, "-c", "import numpy").Run() == nil {
			py = path
			break
		}
	}
	if py == "" {
		t.Skip("no python3 with numpy: the saved study is not recounted")
	}
	out, err := exec.Command(py, filepath.Join(save, "recount.py"), save).CombinedOutput()
	if err != nil || !strings.Contains(string(out), " 0 disagreements") {
		t.Errorf("recount: %v\n%s", err, out)
	}
}

func TestPaperHelp(t *testing.T) {
	var stdout bytes.Buffer
	if err := runPaper(context.Background(), []string{"--help"}, &stdout, &bytes.Buffer{}); err != nil {
		t.Fatalf("--help: %v", err)
	}
	for _, want := range []string{"usage: gotrann paper", "--epochs int", "(default 30)", "--merge FILES", "--figure FILE", "--csv FILE", "--save DIR", "--seeds", "(default 3)",
		"--val-samples", "(default 5000)", "--mappers", "--cost-models", "--cpuprofile", "--quick", "(default false)"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("--help lacks %q:\n%s", want, stdout.String())
		}
	}
	// Every flag is listed, each with its default.
	flags := strings.Count(stdout.String(), "\n  --")
	defaults := strings.Count(stdout.String(), "(default ")
	if flags < 30 || defaults != flags {
		t.Errorf("%d flags, %d defaults:\n%s", flags, defaults, stdout.String())
	}
}

func TestPaperFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--epochs", "-5"}, `invalid value "-5" for flag --epochs`},
		{[]string{"--epochs", "0"}, `invalid value "0" for flag --epochs`},
		{[]string{"--seeds", "-1"}, `invalid value "-1" for flag --seeds`},
		{[]string{"--epochs", "10", "--pretrain-epochs", "10"}, `invalid value "10" for flag --pretrain-epochs`},
		{[]string{"--k", "16,x"}, `invalid value "16,x" for flag --k`},
		{[]string{"--k", ""}, `invalid value "" for flag --k`},
		{[]string{"--tile-keep", "2"}, `invalid value "2" for flag --tile-keep`},
		{[]string{"--ours-keep", "0"}, `invalid value "0" for flag --ours-keep`},
		{[]string{"--tolerance", "-1"}, `invalid value "-1" for flag --tolerance`},
		{[]string{"--only", "ours,bogus"}, `invalid value "ours,bogus" for flag --only`},
		{[]string{"--mappers", "grid,bogus"}, `invalid value "grid,bogus" for flag --mappers`},
		{[]string{"--cost-models", "bogus"}, `invalid value "bogus" for flag --cost-models`},
		{[]string{"--epochs", "x"}, `invalid value "x" for flag --epochs`},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"--nonsense"}, "unknown flag --nonsense"},
	} {
		err := runPaper(context.Background(), c.args, &bytes.Buffer{}, &bytes.Buffer{})
		var ue usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want a usage error with %q", c.args, err, c.want)
		}
	}
	err := runPaper(context.Background(), []string{"--dataset", "nope", "--quiet"}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown data set: %v", err)
	}
}

// FuzzPaperLists feeds the list parsers of "gotrann paper" arbitrary text:
// they never panic, and what they accept is a non-empty list of finite
// numbers (positive integers for parseInts).
func FuzzPaperLists(f *testing.F) {
	for _, s := range []string{"16,32,64", "0.1, 0.2", "", ",", "x", "1e308,1e309", "-1", "NaN", "3,,4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := parseInts(s); err == nil {
			if len(v) == 0 {
				t.Fatalf("%q: empty list accepted", s)
			}
			for _, x := range v {
				if x <= 0 {
					t.Fatalf("%q: %d accepted", s, x)
				}
			}
		}
		if v, err := parseFloats(s); err == nil {
			if len(v) == 0 {
				t.Fatalf("%q: empty list accepted", s)
			}
			for _, x := range v {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("%q: %v accepted", s, x)
				}
			}
		}
	})
}

func readString(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
