package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/trannsformer/gotrann/display"
	"github.com/trannsformer/gotrann/trannsformer"
)

// cmdPaper implements "gotrann paper".
func cmdPaper(ctx context.Context, args []string) error {
	return runPaper(ctx, args, os.Stdout, os.Stderr)
}

// runPaper parses the flags of "gotrann paper", runs the experiment with a
// progress bar on stderr, prints the Markdown table on stdout and writes
// the JSON and Markdown files.
//
//	gotrann paper [--dataset mnist|fashion-mnist|synthetic] [--epochs N] [--k LIST]
//	              [--quick] [--json FILE] [--md FILE] [--seed N]
func runPaper(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("paper", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dataset := fs.String("dataset", "mnist", "data set: mnist, fashion-mnist or synthetic")
	dir := fs.String("dir", "", "directory of the IDX files (default: the cache)")
	epochs := fs.Int("epochs", 0, "TraNNsformer epoch budget N (default 60, quick 40); dense N/4, pruned 2N/3, ours N/2, small N/2, tile N/4")
	denseEpochs := fs.Int("dense-epochs", 0, "dense epochs (default N/4)")
	prunedEpochs := fs.Int("pruned-epochs", 0, "pruned epochs (default 2N/3)")
	oursEpochs := fs.Int("ours-epochs", 0, "our fine-tuning epochs (default N/2)")
	smallEpochs := fs.Int("small-epochs", 0, "small dense epochs (default N/2)")
	tileEpochs := fs.Int("tile-epochs", 0, "tile-pruning baseline epochs (default N/4)")
	kList := fs.String("k", "16,32,64,128,256", "crossbar sizes of the sweep")
	k := fs.Int("crossbar", 64, "crossbar size the methods are built for")
	keep := fs.String("tile-keep", "", "our final fraction of tiles kept, one value or one per layer (default 0.12 per layer, 0.5 last)")
	quick := fs.Bool("quick", false, "small network on a data subset (CI)")
	jsonFile := fs.String("json", "", "write the report as JSON to FILE")
	mdFile := fs.String("md", "", "write the report as Markdown to FILE")
	seed := fs.Uint64("seed", 1, "random seed")
	trainN := fs.Int("train-samples", 0, "training samples (default all; quick 6000)")
	testN := fs.Int("test-samples", 0, "test samples (default all; quick 2000)")
	snnT := fs.Int("snn-timesteps", 0, "spiking simulation timesteps (default 100; quick 50)")
	snnN := fs.Int("snn-samples", 0, "test samples simulated as a spiking network (default all; quick 500)")
	noSmall := fs.Bool("no-small", false, "skip the small dense baseline")
	noTile := fs.Bool("no-tile", false, "skip the tile-pruning baseline")
	quiet := fs.Bool("quiet", false, "no progress bar")
	only := fs.String("only", "", "run only these methods besides dense (comma-separated: pruned,trannsformer,small_dense,tile_pruning,ours)")
	denseFile := fs.String("dense-file", "", "cache of the trained dense network: loaded when it exists, saved otherwise")
	if err := fs.Parse(args); err != nil {
		return usagef("paper: %v", err)
	}
	if fs.NArg() != 0 {
		return usagef("paper: unexpected arguments %v", fs.Args())
	}
	ks, err := parseInts(*kList)
	if err != nil {
		return usagef("paper: --k: %v", err)
	}
	var keeps []float64
	if *keep != "" {
		for _, s := range strings.Split(*keep, ",") {
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || f <= 0 || f > 1 {
				return usagef("paper: --tile-keep: bad fraction %q", s)
			}
			keeps = append(keeps, f)
		}
	}
	cfg := trannsformer.PaperConfig{
		Dataset: *dataset, DataDir: *dir, Epochs: *epochs,
		DenseEpochs: *denseEpochs, PrunedEpochs: *prunedEpochs, OursEpochs: *oursEpochs,
		SmallEpochs: *smallEpochs, TileEpochs: *tileEpochs,
		K: *k, Ks: ks, TileKeep: keeps, Quick: *quick, Seed: *seed,
		TrainSamples: *trainN, TestSamples: *testN, SNNTimesteps: *snnT, SNNSamples: *snnN,
		NoSmall: *noSmall, NoTile: *noTile, DenseFile: *denseFile,
	}
	if *only != "" {
		for _, m := range strings.Split(*only, ",") {
			m = strings.TrimSpace(m)
			switch m {
			case trannsformer.MethodPruned, trannsformer.MethodTrannsformer, trannsformer.MethodSmallDense,
				trannsformer.MethodTilePruning, trannsformer.MethodOurs:
			default:
				return usagef("paper: --only: unknown method %q", m)
			}
			cfg.Only = append(cfg.Only, m)
		}
	}
	var bar *display.Bar
	progress := func(p trannsformer.PaperProgress) {}
	if !*quiet {
		d := display.New(display.NewTerminalSink(stderr))
		progress = func(p trannsformer.PaperProgress) {
			if bar == nil {
				bar = d.Progress(p.Total)
			}
			bar.Set(p.Done)
			bar.SetLabel(p.Stage + ": " + p.Message)
		}
	}
	rep, err := trannsformer.Paper(ctx, cfg, progress)
	if bar != nil {
		bar.Done()
	}
	if err != nil {
		return fmt.Errorf("paper: %w", err)
	}
	md := rep.Markdown()
	fmt.Fprint(stdout, md)
	if *jsonFile != "" {
		if err := writeFile(*jsonFile, rep.WriteJSON); err != nil {
			return fmt.Errorf("paper: %w", err)
		}
	}
	if *mdFile != "" {
		if err := writeFile(*mdFile, func(w io.Writer) error { _, err := io.WriteString(w, md); return err }); err != nil {
			return fmt.Errorf("paper: %w", err)
		}
	}
	return nil
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
			return nil, fmt.Errorf("bad crossbar size %q", f)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no crossbar size in %q", s)
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
