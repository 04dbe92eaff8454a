package main

import (
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/trannsformer/gotrann/display"
	"github.com/trannsformer/gotrann/display/figure"
	"github.com/trannsformer/gotrann/trannsformer"
	"github.com/trannsformer/gotrann/trannsformer/cost"
	"github.com/trannsformer/gotrann/trannsformer/results"
)

// cmdPaper implements "gotrann paper".
func cmdPaper(ctx context.Context, args []string) error {
	return runPaper(ctx, args, os.Stdout, os.Stderr)
}

const paperUsage = `usage: gotrann paper [flags]

Trains every method of the TraNNsformer comparison (dense, small dense,
magnitude pruning, the authors' TraNNsformer, tile pruning, ours) over the
sweeps of their size knobs and several seeds, with equal training budgets,
chooses each method's setting on the validation split, maps every network
with every mapper at every crossbar size (every mapping verified), costs it
under every cost model, and prints the Markdown report on stdout.

flags:
`

// costModels are the cost models --cost-models can name.
var costModels = map[string]func() cost.Constants{
	"resparc": cost.RESPARC, "puma": cost.PUMA, "puma-sim": cost.PUMASim, "mnsim": cost.MNSIM, "neurosim": cost.NeuroSim,
}

// runPaper parses the flags of "gotrann paper", prints the projected time,
// runs the study with a progress bar on stderr, prints the Markdown report
// on stdout and writes the JSON, Markdown and CSV files and the saved
// networks.
func runPaper(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("paper", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dataset := fs.String("dataset", "mnist", "data set: mnist, fashion-mnist or synthetic")
	dir := fs.String("dir", "", "directory `DIR` of the IDX files (empty: the cache)")
	epochs := fs.Int("epochs", 30, "training budget of every network, dense pre-training included (quick: 12)")
	pretrain := fs.Int("pretrain-epochs", 0, "dense epochs the fine-tuning methods start from (0: epochs/4)")
	kList := fs.String("k", "16,32,64,128,256", "crossbar sizes every network is mapped at")
	k := fs.Int("crossbar", 64, "crossbar size the methods are built for and the tables use")
	mappers := fs.String("mappers", strings.Join(trannsformer.AllMappers, ","), "mappers every network is counted by")
	seeds := fs.Int("seeds", 3, "seeds per setting (quick: 1)")
	seed := fs.Uint64("seed", 1, "first seed")
	valN := fs.Int("val-samples", 5000, "validation split: the last N training samples (quick: 1000)")
	trainN := fs.Int("train-samples", 0, "training samples before the split (0: all; quick 6000)")
	testN := fs.Int("test-samples", 0, "test samples (0: all; quick 2000)")
	snnT := fs.Int("snn-timesteps", 100, "spiking simulation timesteps (quick: 50)")
	snnN := fs.Int("snn-samples", 0, "test samples simulated as a spiking network (0: all; quick 500)")
	oursKeep := fs.String("ours-keep", "0.04,0.06,0.09,0.12,0.18,0.25", "ours: final tile fractions of the hidden layers swept (quick: 0.12,0.25)")
	lastKeep := fs.Float64("last-keep", 0.5, "ours and tile pruning: tile fraction of the last layer (at least)")
	tileKeep := fs.String("tile-keep", "0.06,0.1,0.15,0.2,0.3", "tile pruning: tile fractions swept (quick: 0.2,0.4)")
	pruneScales := fs.String("prune-scales", "1,2,4", "magnitude pruning: threshold step multipliers swept (quick: 1)")
	qualities := fs.String("qualities", "0.7", "TraNNsformer: first quality bars swept")
	smallWidths := fs.String("small-widths", "128,256,384,600", "small dense: hidden widths swept, scaled by hidden/1200 (quick: 384,600)")
	tolerance := fs.Float64("tolerance", 0.002, "validation accuracy a setting may lose against dense and still be chosen")
	models := fs.String("cost-models", "resparc,puma-sim,mnsim,neurosim", "cost models: resparc, puma, puma-sim, mnsim, neurosim")
	only := fs.String("only", "", "run only these methods besides dense (comma-separated: "+strings.Join(trannsformer.AllMethods[1:], ",")+"); with --merge, keep only their networks")
	quick := fs.Bool("quick", false, "small network on a data subset, one seed, two values per knob (CI)")
	jsonFile := fs.String("json", "", "write the report as JSON to `FILE`")
	mdFile := fs.String("md", "", "write the report as Markdown to `FILE`")
	csvFile := fs.String("csv", "", "write one CSV row per network, mapping and cost model to `FILE`")
	saveDir := fs.String("save", "", "write every network, every mapping and recount.py to `DIR`")
	merge := fs.String("merge", "", "train nothing: merge the JSON reports in `FILES` (comma-separated: other seeds, e.g. parallel --seed N --seeds 1 runs, or other methods and knob values of the same seeds) and write the report")
	figureFile := fs.String("figure", "", "write the Pareto figure (crossbars on a log axis against test accuracy) as a PNG to `FILE`")
	quiet := fs.Bool("quiet", false, "no progress bar")
	scaledDropout := fs.String("scaled-dropout", strings.Join(trannsformer.DefaultScaledDropout, ","), "methods whose networks scale the recipe's dropout rate to their connections, p·sqrt(C/C_dense) each epoch (Han et al. 2015); the others keep it; none: no method")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile (pprof) of the run to `FILE`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, paperUsage)
			// Every flag with its default, the zero ones included.
			fs.VisitAll(func(f *flag.Flag) {
				name, usage := flag.UnquoteUsage(f)
				def := f.DefValue
				if def == "" {
					def = `""`
				}
				fmt.Fprintf(stdout, "  --%s %s\n    \t%s (default %s)\n", f.Name, name, usage, def)
			})
			return nil
		}
		// One wording for every command's flag errors (flags.go).
		return flagError("paper", err)
	}
	if fs.NArg() != 0 {
		return usagef("paper: unexpected arguments %v", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	bad := func(name, value, want string) error {
		return usagef("paper: invalid value %q for flag --%s: %s", value, name, want)
	}
	positive := func(name string, v int, zeroOK bool) error {
		if v < 0 || (v == 0 && !zeroOK) {
			want := "must be a positive integer"
			if zeroOK {
				want = "must be zero or a positive integer"
			}
			return bad(name, strconv.Itoa(v), want)
		}
		return nil
	}
	for _, c := range []struct {
		name   string
		v      int
		zeroOK bool
	}{{"epochs", *epochs, false}, {"pretrain-epochs", *pretrain, true}, {"crossbar", *k, false}, {"seeds", *seeds, false},
		{"val-samples", *valN, false}, {"train-samples", *trainN, true}, {"test-samples", *testN, true},
		{"snn-timesteps", *snnT, false}, {"snn-samples", *snnN, true}} {
		if err := positive(c.name, c.v, c.zeroOK); err != nil {
			return err
		}
	}
	if *pretrain >= *epochs && *pretrain > 0 {
		return bad("pretrain-epochs", strconv.Itoa(*pretrain), "must be below --epochs")
	}
	if *tolerance < 0 || *tolerance >= 1 || math.IsNaN(*tolerance) {
		return bad("tolerance", fmt.Sprint(*tolerance), "must be in [0, 1)")
	}
	if *lastKeep <= 0 || *lastKeep > 1 || math.IsNaN(*lastKeep) {
		return bad("last-keep", fmt.Sprint(*lastKeep), "must be a fraction in (0, 1]")
	}
	ks, err := parseInts(*kList)
	if err != nil {
		return bad("k", *kList, "must be a list of positive integers")
	}
	widths, err := parseInts(*smallWidths)
	if err != nil {
		return bad("small-widths", *smallWidths, "must be a list of positive integers")
	}
	fracs := func(name, s string, lo, hi float64, closedLo bool) ([]float64, error) {
		v, err := parseFloats(s)
		for _, x := range v {
			if x > hi || x < lo || (x == lo && !closedLo) {
				err = errors.New("out of range")
			}
		}
		if err != nil {
			return nil, bad(name, s, fmt.Sprintf("must be a list of numbers in (%g, %g]", lo, hi))
		}
		return v, nil
	}
	ours, err := fracs("ours-keep", *oursKeep, 0, 1, false)
	if err != nil {
		return err
	}
	tile, err := fracs("tile-keep", *tileKeep, 0, 1, false)
	if err != nil {
		return err
	}
	scales, err := fracs("prune-scales", *pruneScales, 0, 1e6, false)
	if err != nil {
		return err
	}
	quals, err := fracs("qualities", *qualities, 0, 0.999999, false)
	if err != nil {
		return err
	}
	var mapperList []string
	for _, m := range strings.Split(*mappers, ",") {
		m = strings.TrimSpace(m)
		if !contains(trannsformer.AllMappers, m) {
			return bad("mappers", *mappers, "must name mappers among "+strings.Join(trannsformer.AllMappers, ", "))
		}
		mapperList = append(mapperList, m)
	}
	var consts []cost.Constants
	for _, name := range strings.Split(*models, ",") {
		f, ok := costModels[strings.TrimSpace(name)]
		if !ok {
			return bad("cost-models", *models, "must name models among resparc, puma, puma-sim, mnsim, neurosim")
		}
		consts = append(consts, f())
	}
	var onlyList []string
	if *only != "" {
		for _, m := range strings.Split(*only, ",") {
			m = strings.TrimSpace(m)
			if !contains(trannsformer.AllMethods[1:], m) {
				return bad("only", *only, "must name methods among "+strings.Join(trannsformer.AllMethods[1:], ", "))
			}
			onlyList = append(onlyList, m)
		}
	}
	scaledList := []string{}
	if *scaledDropout != "none" {
		for _, m := range strings.Split(*scaledDropout, ",") {
			m = strings.TrimSpace(m)
			if m == "" {
				continue
			}
			if !contains(trannsformer.AllMethods[1:], m) {
				return bad("scaled-dropout", *scaledDropout, "must name methods among "+strings.Join(trannsformer.AllMethods[1:], ", ")+", or be none")
			}
			scaledList = append(scaledList, m)
		}
	}
	cfg := trannsformer.PaperConfig{
		Dataset: *dataset, DataDir: *dir, Budget: *epochs, PretrainEpochs: *pretrain, K: *k, Ks: ks, Mappers: mapperList,
		Seeds: *seeds, Seed: *seed, ValSamples: *valN, TrainSamples: *trainN, TestSamples: *testN,
		SNNTimesteps: *snnT, SNNSamples: *snnN, OursKeep: ours, OursLastKeep: *lastKeep, TileKeep: tile,
		PruneScales: scales, Qualities: quals, SmallWidths: widths, Tolerance: *tolerance, Constants: consts,
		Quick: *quick, Only: onlyList, SaveDir: *saveDir, ScaledDropout: scaledList,
	}
	if *quick {
		// The quick defaults apply to every flag not given.
		for name, zero := range map[string]func(){
			"epochs": func() { cfg.Budget = 0 }, "seeds": func() { cfg.Seeds = 0 }, "val-samples": func() { cfg.ValSamples = 0 },
			"snn-timesteps": func() { cfg.SNNTimesteps = 0 }, "ours-keep": func() { cfg.OursKeep = nil },
			"tile-keep": func() { cfg.TileKeep = nil }, "prune-scales": func() { cfg.PruneScales = nil },
			"small-widths": func() { cfg.SmallWidths = nil },
		} {
			if !set[name] {
				zero()
			}
		}
	}
	if err := cfg.Validate(); err != nil {
		return usagef("paper: %v", err)
	}

	if *merge != "" {
		rep, err := mergeReportFiles(strings.Split(*merge, ","), onlyList)
		if err != nil {
			return fmt.Errorf("paper: %w", err)
		}
		return writePaperOutputs(rep, stdout, *jsonFile, *mdFile, *csvFile, *figureFile)
	}

	sink := display.NewTerminalSink(stderr)
	d := display.New(sink)
	say := func(format string, a ...any) {
		if !*quiet {
			d.Show(fmt.Sprintf("paper: "+format, a...))
		}
	}
	proj, err := trannsformer.ProjectPaper(ctx, cfg)
	if err != nil {
		return fmt.Errorf("paper: %w", err)
	}
	say("%d networks (%d training epochs in all, %d samples each) on %s; projected %s of training at %.0f samples/s (a calibration epoch), plus evaluation and mapping",
		proj.Plan.Networks, proj.Plan.Epochs, proj.FitSamples, *dataset, roundDuration(proj.Training), proj.SamplesPerSec)

	line := &progressLine{term: sink.IsTerminal(), projected: proj.SecondsPerUnit, flush: func() { sink.Flush() }, start: time.Now()}
	progress := func(p trannsformer.PaperProgress) {}
	if !*quiet {
		progress = func(p trannsformer.PaperProgress) {
			if p.Result != "" {
				d.Show("paper: " + p.Result)
			}
			line.update(d, p, time.Now())
		}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("paper: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("paper: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	rep, err := trannsformer.Paper(ctx, cfg, progress)
	line.finish()
	if err != nil {
		return fmt.Errorf("paper: %w", err)
	}
	say("done in %s (projected %s of training)", roundDuration(time.Since(start)), roundDuration(proj.Training))
	return writePaperOutputs(rep, stdout, *jsonFile, *mdFile, *csvFile, *figureFile)
}

// writePaperOutputs prints the report's Markdown on stdout and writes the
// files named (empty names are skipped).
func writePaperOutputs(rep *trannsformer.Report, stdout io.Writer, jsonFile, mdFile, csvFile, figureFile string) error {
	md := rep.Markdown()
	fmt.Fprint(stdout, md)
	for _, out := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{jsonFile, rep.WriteJSON},
		{mdFile, func(w io.Writer) error { _, err := io.WriteString(w, md); return err }},
		{csvFile, rep.WriteCSV},
		{figureFile, func(w io.Writer) error { return writeParetoPNG(w, rep) }},
	} {
		if out.name == "" {
			continue
		}
		if err := writeFile(out.name, out.write); err != nil {
			return fmt.Errorf("paper: %w", err)
		}
	}
	return nil
}

// mergeReportFiles reads the JSON reports named and merges them
// (trannsformer.MergeReports).
//
// only, when set, keeps only those methods' networks (and the dense ones).
func mergeReportFiles(names []string, only []string) (*trannsformer.Report, error) {
	var parts []*trannsformer.Report
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		r, err := trannsformer.ReadReport(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(only) > 0 {
			r.Runs = slices.DeleteFunc(r.Runs, func(x *trannsformer.Run) bool {
				return x.Method != trannsformer.MethodDense && !slices.Contains(only, x.Method)
			})
		}
		parts = append(parts, r)
	}
	return trannsformer.MergeReports(parts...)
}

// writeParetoPNG draws the report's trade-off (results.Pareto) as the
// Pareto figure of notebook 05 and writes it as a PNG.
func writeParetoPNG(w io.Writer, rep *trannsformer.Report) error {
	var series []figure.ParetoSeries
	shown, left, floor := results.Focus(rep)
	for _, s := range shown {
		fs := figure.ParetoSeries{Name: s.Method}
		for _, p := range s.Points {
			fs.Points = append(fs.Points, figure.ParetoPoint{Crossbars: p.Crossbars, CrossbarsSD: p.CrossbarsSD,
				Accuracy: p.Accuracy, AccuracySD: p.AccuracySD})
		}
		series = append(series, fs)
	}
	seeds := fmt.Sprintf("mean ± sd over %d seeds", len(rep.Seeds))
	if len(rep.Seeds) == 1 {
		seeds = "one seed"
	}
	title := fmt.Sprintf("%s %v\ncrossbars at k = %d (each network's best mapper) against test accuracy, %s",
		rep.Dataset, rep.Layers, rep.K, seeds)
	if len(left) > 0 {
		title += fmt.Sprintf("\nnot shown, below %.2f%%: %s", 100*floor, strings.Join(left, "; "))
	}
	p, err := figure.Pareto(figure.ParetoOptions{Title: title}, series...)
	if err != nil {
		return err
	}
	b, err := display.RenderPlots(display.PlotOptions{Width: 8 * vg.Inch, Height: 5 * vg.Inch}, p)
	if err != nil {
		return err
	}
	s, ok := b.Data["image/png"].(string)
	if !ok {
		return errors.New("no PNG rendered")
	}
	data, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// progressLine is the progress line of "gotrann paper": one prefix, the
// network in work in brackets, the bar, the units done, the elapsed time
// and the estimated time left, e.g.
//
//	paper [ours keep 0.12 seed 1         ]  45% |#############-----------------| 33/73, 12s elapsed, ETA 15s
//
// It is updated in place on a terminal (at most every 200 ms) and written
// as a new line every 5 s elsewhere; the results of finished networks are
// printed above it.
type progressLine struct {
	term      bool
	projected float64 // seconds per unit before any is done
	h         *display.Handle
	start     time.Time
	last      time.Time
	text      string
	flush     func()
}

const progressWidth = 30

func (l *progressLine) format(p trannsformer.PaperProgress, now time.Time) string {
	f := 0.0
	if p.Total > 0 {
		f = math.Min(1, float64(p.Done)/float64(p.Total))
	}
	fill := int(math.Floor(f * progressWidth))
	el := now.Sub(l.start)
	eta := "-"
	switch {
	case p.Done >= p.Total:
		eta = "0s"
	case p.Done > 0:
		eta = roundDuration(time.Duration(float64(el) / float64(p.Done) * float64(p.Total-p.Done))).String()
	case l.projected > 0:
		eta = roundDuration(time.Duration(l.projected * float64(p.Total) * float64(time.Second))).String()
	}
	return fmt.Sprintf("paper [%-34s] %3d%% |%s%s| %d/%d, %s elapsed, ETA %s", p.Stage, int(math.Floor(100*f)),
		strings.Repeat("#", fill), strings.Repeat("-", progressWidth-fill), p.Done, p.Total, roundDuration(el), eta)
}

func (l *progressLine) update(d *display.Display, p trannsformer.PaperProgress, now time.Time) {
	if l.start.IsZero() {
		l.start = now
	}
	every := 5 * time.Second
	if l.term {
		every = 200 * time.Millisecond
	}
	final := p.Total > 0 && p.Done >= p.Total
	if l.h != nil && now.Sub(l.last) < every && !final && p.Result == "" {
		return
	}
	t := l.format(p, now)
	if t == l.text {
		return
	}
	l.last, l.text = now, t
	if l.h == nil || !l.term {
		l.h = d.Show(t)
		return
	}
	l.h.Update(t)
}

// finish releases the line in place on a terminal.
func (l *progressLine) finish() {
	if l.flush != nil {
		l.flush()
	}
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d > time.Hour:
		return d.Round(time.Minute)
	case d > time.Minute:
		return d.Round(time.Second)
	}
	return d.Round(100 * time.Millisecond)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		v, err := strconv.Atoi(f)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("bad size %q", f)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no size in %q", s)
	}
	return out, nil
}

func parseFloats(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("bad number %q", f)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no number in %q", s)
	}
	return out, nil
}

func writeFile(name string, write func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
