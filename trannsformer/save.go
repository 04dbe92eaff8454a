package trannsformer

import (
	"archive/zip"
	"bytes"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/trannsformer/gotrann/trannsformer/crossbar"
	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// RecountScript is the standalone Python script (numpy only) that Paper
// writes into its save directory as recount.py: it recounts every saved
// network's crossbars from its weights and mappings and its test accuracy
// from its weights, without this project's code, and compares both with
// the manifest. Usage: python3 recount.py DIR.
//
//go:embed testdata/recount.py
var RecountScript string

// The save directory (PaperConfig.SaveDir) holds:
//
//	manifest.json      the report (every run: accuracies, crossbars per k and mapper)
//	test_x.npy         the test inputs, float32, samples x features
//	test_y.npy         the test labels, int32
//	recount.py         RecountScript
//	<run>/W<l>.npy     weights of layer l, float32, outputs x inputs (bias-free network)
//	<run>/mask<l>.npy  its mask, uint8 (when it has one)
//	<run>/rows<l>.npy, cols<l>.npy   the tile layout's row and column orders (ours, tile pruning)
//	<run>/mappings.npz for every k, mapper and layer l, with P = "k<k>_<mapper>_l<l>_":
//	                   P+"inputs", P+"outputs": the wired inputs and outputs of every
//	                   crossbar, concatenated, int32; P+"in_off", P+"out_off": where
//	                   each crossbar's list starts (one more entry than crossbars);
//	                   P+"assign": for every non-zero weight in row-major order, the
//	                   crossbar holding it, int32
//	<run>/run.json     the run
//
// where <run> is <method>_<knob>_s<seed>.

func runDirName(r *Run) string {
	k := strings.ReplaceAll(strconv.FormatFloat(r.Knob, 'f', -1, 64), ".", "p")
	return fmt.Sprintf("%s_%s_s%d", r.Method, k, r.Seed)
}

// saveRun writes one network and its mappings; it returns the directory
// relative to root.
// encodedMapping is one layer's mapping in the saved form: the wired
// inputs and outputs of every crossbar, concatenated, with where each
// crossbar's list starts, and the crossbar of every non-zero weight in
// row-major order.
type encodedMapping struct {
	inputs, outputs, inOff, outOff, assign []int
}

// encodeMappings encodes every layer's mapping of m.
func encodeMappings(m *nn.MLP, maps []*crossbar.Mapping) []encodedMapping {
	out := make([]encodedMapping, len(maps))
	for l, x := range maps {
		e := &out[l]
		// cell[idx] = crossbar + 1 of the weight at idx (0: none).
		cell := make([]int32, len(m.W[l]))
		for n, cb := range x.Crossbars {
			e.inOff = append(e.inOff, len(e.inputs))
			e.outOff = append(e.outOff, len(e.outputs))
			e.inputs = append(e.inputs, cb.Inputs...)
			e.outputs = append(e.outputs, cb.Outputs...)
			for _, s := range cb.Synapses {
				cell[s[0]*x.Inputs+s[1]] = int32(n + 1)
			}
		}
		e.inOff = append(e.inOff, len(e.inputs))
		e.outOff = append(e.outOff, len(e.outputs))
		for idx, v := range m.W[l] {
			if v != 0 {
				e.assign = append(e.assign, int(cell[idx])-1)
			}
		}
	}
	return out
}

func saveRun(root string, r *Run, m *nn.MLP, layouts []*TileLayout, maps map[string][]encodedMapping) (string, error) {
	name := runDirName(r)
	dir := filepath.Join(root, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("trannsformer: saving: %w", err)
	}
	if m.HasBias() {
		return "", fmt.Errorf("trannsformer: saving: networks with biases are not supported")
	}
	for l := 0; l < m.Layers(); l++ {
		if err := writeNPYFile(filepath.Join(dir, fmt.Sprintf("W%d.npy", l)), "<f4", []int{m.Out(l), m.In(l)}, f32bytes(m.W[l])); err != nil {
			return "", err
		}
		if mask := m.Mask(l); mask != nil {
			b := make([]byte, len(mask))
			for i, v := range mask {
				if v {
					b[i] = 1
				}
			}
			if err := writeNPYFile(filepath.Join(dir, fmt.Sprintf("mask%d.npy", l)), "|u1", []int{m.Out(l), m.In(l)}, b); err != nil {
				return "", err
			}
		}
		if layouts != nil && layouts[l] != nil {
			if err := writeNPYFile(filepath.Join(dir, fmt.Sprintf("rows%d.npy", l)), "<i4", []int{len(layouts[l].RowOrder)}, i32bytes(layouts[l].RowOrder)); err != nil {
				return "", err
			}
			if err := writeNPYFile(filepath.Join(dir, fmt.Sprintf("cols%d.npy", l)), "<i4", []int{len(layouts[l].ColOrder)}, i32bytes(layouts[l].ColOrder)); err != nil {
				return "", err
			}
		}
	}
	f, err := os.Create(filepath.Join(dir, "mappings.npz"))
	if err != nil {
		return "", fmt.Errorf("trannsformer: saving: %w", err)
	}
	zw := zip.NewWriter(f)
	keys := make([]string, 0, len(maps))
	for key := range maps {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		for l, e := range maps[key] {
			p := fmt.Sprintf("%s_l%d_", key, l)
			for _, a := range []struct {
				name string
				v    []int
			}{{"inputs", e.inputs}, {"outputs", e.outputs}, {"in_off", e.inOff}, {"out_off", e.outOff}, {"assign", e.assign}} {
				w, err := zw.CreateHeader(&zip.FileHeader{Name: p + a.name + ".npy", Method: zip.Deflate})
				if err != nil {
					f.Close()
					return "", fmt.Errorf("trannsformer: saving: %w", err)
				}
				if err := writeNPY(w, "<i4", []int{len(a.v)}, i32bytes(a.v)); err != nil {
					f.Close()
					return "", err
				}
			}
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return "", fmt.Errorf("trannsformer: saving: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("trannsformer: saving: %w", err)
	}
	r.Dir = name
	if err := writeJSONFile(filepath.Join(dir, "run.json"), r); err != nil {
		return "", err
	}
	return name, nil
}

// saveManifest writes the report, the test set and the recount script.
func saveManifest(root string, rep *Report, test *data.Dataset) error {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("trannsformer: saving: %w", err)
	}
	if err := writeNPYFile(filepath.Join(root, "test_x.npy"), "<f4", []int{test.Len(), test.Features}, f32bytes(test.X)); err != nil {
		return err
	}
	if err := writeNPYFile(filepath.Join(root, "test_y.npy"), "<i4", []int{test.Len()}, i32bytes(test.Y)); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(root, "recount.py"), []byte(RecountScript), 0o755); err != nil {
		return fmt.Errorf("trannsformer: saving: %w", err)
	}
	return writeJSONFile(filepath.Join(root, "manifest.json"), rep)
}

func writeJSONFile(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("trannsformer: saving %s: %w", name, err)
	}
	if err := os.WriteFile(name, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("trannsformer: saving: %w", err)
	}
	return nil
}

func writeNPYFile(name, dtype string, shape []int, payload []byte) error {
	var buf bytes.Buffer
	if err := writeNPY(&buf, dtype, shape, payload); err != nil {
		return err
	}
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("trannsformer: saving: %w", err)
	}
	return nil
}

// writeNPY writes a version 1.0 .npy array in C order.
func writeNPY(w io.Writer, dtype string, shape []int, payload []byte) error {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	sh := strings.Join(dims, ", ")
	if len(shape) == 1 {
		sh += ","
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", dtype, sh)
	// Magic (6) + version (2) + header length (2) + header + newline, padded to 64.
	total := 10 + len(header) + 1
	pad := (64 - total%64) % 64
	header += strings.Repeat(" ", pad) + "\n"
	var hb bytes.Buffer
	hb.WriteString("\x93NUMPY")
	hb.Write([]byte{1, 0})
	binary.Write(&hb, binary.LittleEndian, uint16(len(header)))
	hb.WriteString(header)
	if _, err := w.Write(hb.Bytes()); err != nil {
		return fmt.Errorf("trannsformer: saving: %w", err)
	}
	if _, err := w.Write(payload); err != nil {
		return fmt.Errorf("trannsformer: saving: %w", err)
	}
	return nil
}

func f32bytes(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func i32bytes(v []int) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(int32(x)))
	}
	return b
}
