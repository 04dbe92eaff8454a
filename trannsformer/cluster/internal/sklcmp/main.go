// Command sklcmp compares our co-clusterings (cluster.CoCluster and
// cluster.SpectralCocluster, a Go implementation of the same algorithm as
// scikit-learn's) with scikit-learn's SpectralCoclustering on the same
// matrices in the same run. For each matrix it writes a .npy file, fits
// all, and prints the process CPU time of each fit, the time ratio of the
// two implementations of Dhillon's algorithm, and the K x K crossbars each
// labelling needs, counted with the same code: grid tiles after permuting
// rows and columns by the labels (cluster.CountGridTiles) and the
// crossbars of crossbar.FromLabels. The last column is crossbar.Optimize.
// Run it through ../../testdata/compare_sklearn.sh.
package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
	"github.com/trannsformer/gotrann/trannsformer/crossbar"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "sklcmp:", err)
		os.Exit(1)
	}
}

func run() error {
	script := flag.String("script", "trannsformer/cluster/testdata/compare_sklearn.py", "the Python side")
	python := flag.String("python", "/usr/bin/python3", "Python interpreter")
	k := flag.Int("k", 64, "crossbar size")
	seed := flag.Uint64("seed", 1, "seed")
	flag.Parse()

	dir, err := os.MkdirTemp("", "sklcmp")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	cases := []struct {
		name string
		c    *cluster.Binary
	}{
		{"random 1200x1200 10%", planted(*seed, 1200, 1200, 0, 0, 0, 0, 0.10)},
		{"random 1200x1200 2%", planted(*seed, 1200, 1200, 0, 0, 0, 0, 0.02)},
		{"planted 20x(40x50) 95% + 0.2%", planted(*seed, 1200, 1200, 20, 40, 50, 0.95, 0.002)},
		{"planted 20x(40x50) 95% + 1%", planted(*seed, 1200, 1200, 20, 40, 50, 0.95, 0.01)},
		{"planted 12x(64x64) 90% + 0.1%", planted(*seed, 1200, 1200, 12, 64, 64, 0.9, 0.001)},
	}
	fmt.Printf("k=%d seed=%d. CPU seconds per fit (process time). Crossbars: grid tiles after permuting rows/cols by the labels / crossbar.FromLabels (pieces + Compact), same code for every labelling.\n", *k, *seed)
	fmt.Printf("%-30s %6s %6s | %-22s %-22s %-22s | %8s %8s | %s\n", "matrix", "nnz", "pruned",
		"CoCluster s, xbars", "SpectralCocluster (Go)", "sklearn SpectralCocl.", "Go/skl t", "Optimize", "Reference s, blocks, TraNNsformed xbars")
	for n, tc := range cases {
		// Every method sees the matrix without empty rows and columns.
		c := tc.c.Sub(tc.c.ActiveRows(), tc.c.ActiveCols())
		pruned, err := crossbar.Pruned(c, *k)
		if err != nil {
			return err
		}
		ctx := context.Background()
		rows, _ := c.Dims()
		clusters := (rows + *k - 1) / *k

		t0 := cpuTime()
		p, err := cluster.CoCluster(ctx, c, cluster.PartitionConfig{K: *k, Seed: *seed})
		if err != nil {
			return err
		}
		coCPU := cpuTime() - t0
		coGrid, coMap, err := count(ctx, c, p.RowGroup, p.ColGroup, *k)
		if err != nil {
			return err
		}

		t0 = cpuTime()
		lab, err := cluster.SpectralCocluster(ctx, c, clusters, *seed)
		if err != nil {
			return err
		}
		spCPU := cpuTime() - t0
		spGrid, spMap, err := count(ctx, c, lab.Rows, lab.Cols, *k)
		if err != nil {
			return err
		}

		t0 = cpuTime()
		ref, err := cluster.Reference(ctx, c, cluster.Config{K: *k, Seed: *seed, PerAxis: true})
		if err != nil {
			return err
		}
		refCPU := cpuTime() - t0
		tr, err := crossbar.TraNNsformed(c, ref, *k)
		if err != nil {
			return err
		}

		best, err := crossbar.Optimize(ctx, c, crossbar.OptimizeConfig{K: *k, Seed: *seed})
		if err != nil {
			return err
		}
		if err := best.Verify(c); err != nil {
			return err
		}

		skCPU, skGrid, skMap := math.NaN(), -1, -1
		npy := filepath.Join(dir, fmt.Sprintf("m%d.npy", n))
		out := filepath.Join(dir, fmt.Sprintf("m%d.json", n))
		if err := writeNPY(npy, c); err != nil {
			return err
		}
		cmd := exec.Command(*python, *script, npy, fmt.Sprint(clusters), fmt.Sprint(*seed), out)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "sklcmp: scikit-learn side failed (%v); reporting ours only\n", err)
		} else {
			var res struct {
				Rows, Cols []int
				CPUSeconds float64 `json:"cpu_seconds"`
			}
			data, err := os.ReadFile(out)
			if err != nil {
				return err
			}
			if err := json.Unmarshal(data, &res); err != nil {
				return fmt.Errorf("reading %s: %w", out, err)
			}
			skCPU = res.CPUSeconds
			if skGrid, skMap, err = count(ctx, c, res.Rows, res.Cols, *k); err != nil {
				return err
			}
		}
		fmt.Printf("%-30s %6d %6d | %6.3f %5d /%4d  | %6.3f %5d /%4d  | %6.3f %5d /%4d  | %8.2f %8d | %6.3f %4d %5d\n", tc.name, c.NNZ(), pruned.Count(),
			coCPU.Seconds(), coGrid, coMap, spCPU.Seconds(), spGrid, spMap, skCPU, skGrid, skMap, spCPU.Seconds()/skCPU, best.Count(),
			refCPU.Seconds(), len(ref.Blocks), tr.Count())
	}
	return nil
}

// count returns the grid tiles after permuting by the labels and the
// crossbars of crossbar.FromLabels (verified).
func count(ctx context.Context, c *cluster.Binary, rowLabels, colLabels []int, k int) (grid, mapped int, err error) {
	grid, err = cluster.CountGridTiles(c, cluster.OrderByLabels(rowLabels), cluster.OrderByLabels(colLabels), k)
	if err != nil {
		return 0, 0, err
	}
	m, err := crossbar.FromLabels(ctx, c, rowLabels, colLabels, k, crossbar.CompactConfig{})
	if err != nil {
		return 0, 0, err
	}
	if err := m.Verify(c); err != nil {
		return 0, 0, err
	}
	return grid, m.Count(), nil
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// writeNPY writes c as a uint8 .npy array (format version 1.0).
func writeNPY(path string, c *cluster.Binary) error {
	r, cc := c.Dims()
	header := fmt.Sprintf("{'descr': '|u1', 'fortran_order': False, 'shape': (%d, %d), }", r, cc)
	pad := 64 - (10+len(header)+1)%64
	for i := 0; i < pad; i++ {
		header += " "
	}
	header += "\n"
	data := make([]byte, 0, 10+len(header)+r*cc)
	data = append(data, "\x93NUMPY\x01\x00"...)
	data = binary.LittleEndian.AppendUint16(data, uint16(len(header)))
	data = append(data, header...)
	for i := 0; i < r; i++ {
		for j := 0; j < cc; j++ {
			if c.Has(i, j) {
				data = append(data, 1)
			} else {
				data = append(data, 0)
			}
		}
	}
	return os.WriteFile(path, data, 0o644)
}

// planted returns an r x c matrix with n disjoint h x w blocks at the given
// density plus uniform noise, rows and columns shuffled.
func planted(seed uint64, r, c, n, h, w int, density, noise float64) *cluster.Binary {
	rng := rand.New(rand.NewPCG(seed, 1))
	pr, pc := rng.Perm(r), rng.Perm(c)
	b := cluster.NewBinary(r, c)
	for k := 0; k < n; k++ {
		for a := 0; a < h; a++ {
			for d := 0; d < w; d++ {
				if rng.Float64() < density {
					b.Set(pr[k*h+a], pc[k*w+d], true)
				}
			}
		}
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if rng.Float64() < noise {
				b.Set(i, j, true)
			}
		}
	}
	return b
}
