package trannsformer

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/trannsformer/gotrann/trannsformer/cost"
	"github.com/trannsformer/gotrann/trannsformer/crossbar"
)

// Method names, the keys of the report's JSON.
const (
	MethodDense        = "dense"
	MethodPruned       = "pruned"
	MethodTrannsformer = "trannsformer"
	MethodTilePruning  = "tile_pruning"
	MethodSmallDense   = "small_dense"
	MethodOurs         = "ours"
)

// LayerCost is one layer of a mapped network at one crossbar size.
type LayerCost struct {
	Layer       int                `json:"layer"`
	Synapses    int                `json:"synapses"`
	Crossbars   int                `json:"crossbars"`
	Utilization float64            `json:"utilization"`
	Area        map[string]float64 `json:"area"`   // mm² per constant set
	Energy      map[string]float64 `json:"energy"` // nJ per inference per constant set
}

// KCost is a mapped network at one crossbar size: totals, per layer, and
// reductions (1 − this/other: positive is better) against the dense and
// pruned networks at the same size and under the same constant set.
type KCost struct {
	K           int                `json:"k"`
	Crossbars   int                `json:"crossbars"`
	Utilization float64            `json:"utilization"`
	Area        map[string]float64 `json:"area"`   // mm² per constant set
	Energy      map[string]float64 `json:"energy"` // nJ per inference per constant set
	Layers      []LayerCost        `json:"layers"`

	CrossbarsVsDense  float64            `json:"crossbars_reduction_vs_dense"`
	CrossbarsVsPruned float64            `json:"crossbars_reduction_vs_pruned"`
	AreaVsDense       map[string]float64 `json:"area_reduction_vs_dense"`
	AreaVsPruned      map[string]float64 `json:"area_reduction_vs_pruned"`
	EnergyVsDense     map[string]float64 `json:"energy_reduction_vs_dense"`
	EnergyVsPruned    map[string]float64 `json:"energy_reduction_vs_pruned"`
}

// MethodReport is one network of the comparison.
type MethodReport struct {
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Sizes       []int   `json:"sizes"`
	Epochs      int     `json:"epochs"` // training epochs of this network (after its starting point)
	ANNAccuracy float64 `json:"ann_accuracy"`
	SNNAccuracy float64 `json:"snn_accuracy"`
	Synapses    int     `json:"synapses"`
	// LayerSynapses and LayerUnclustered are per weight layer;
	// LayerUnclustered is the fraction of surviving synapses outside every
	// block (reference) or kept tile (ours), absent for the others.
	LayerSynapses    []int     `json:"layer_synapses"`
	LayerUnclustered []float64 `json:"layer_unclustered,omitempty"`
	// LayerBlocks is the number of cluster blocks (reference) or kept tiles
	// (ours) per layer; LayerBlockSize the median block's outputs and
	// inputs.
	LayerBlocks    []int    `json:"layer_blocks,omitempty"`
	LayerBlockSize [][2]int `json:"layer_median_block,omitempty"`
	// SpikesPerNeuron is the measured mean spikes per neuron per inference
	// at every weight layer's input (the energy model's activity).
	SpikesPerNeuron []float64 `json:"spikes_per_neuron"`
	ByK             []KCost   `json:"by_k"`
	// LegacyCrossbars is the released code's count (crossbar size 4
	// whatever K), for the TraNNsformer network only.
	LegacyCrossbars int `json:"legacy_crossbars,omitempty"`
	// LegacyVsDense is 1 − LegacyCrossbars / (the dense network counted the
	// same way, at size 4).
	LegacyVsDense float64 `json:"legacy_crossbars_reduction_vs_dense,omitempty"`
}

// At returns the cost at crossbar size k, or nil.
func (m *MethodReport) At(k int) *KCost {
	if m == nil {
		return nil
	}
	for i := range m.ByK {
		if m.ByK[i].K == k {
			return &m.ByK[i]
		}
	}
	return nil
}

// Report compares the networks of the paper's experiment. Every method is
// evaluated on the same test set, mapped with its own scheme at every
// crossbar size of Ks and costed under every constant set.
type Report struct {
	Dataset               string   `json:"dataset"`
	Layers                []int    `json:"layers"`
	Epochs                int      `json:"epochs"` // the TraNNsformer epoch budget; each method lists its own
	K                     int      `json:"k"`      // the crossbar size the methods were trained for
	Ks                    []int    `json:"ks"`
	Constants             []string `json:"constants"`
	TrainSamples          int      `json:"train_samples"`
	TestSamples           int      `json:"test_samples"`
	SNNTimesteps          int      `json:"snn_timesteps"`
	SNNSamples            int      `json:"snn_samples"`
	TrainSamplesPerSecond float64  `json:"train_samples_per_second"` // mean over the epochs of the networks of size Layers trained by plain training
	Seed                  uint64   `json:"seed"`
	Seconds               float64  `json:"seconds"`

	Dense        *MethodReport `json:"dense"`
	Pruned       *MethodReport `json:"pruned"`
	Trannsformer *MethodReport `json:"trannsformer"`
	TilePruning  *MethodReport `json:"tile_pruning,omitempty"`
	SmallDense   *MethodReport `json:"small_dense,omitempty"`
	Ours         *MethodReport `json:"ours"`
}

// Methods returns the methods present, in table order.
func (r *Report) Methods() []*MethodReport {
	var out []*MethodReport
	for _, m := range []*MethodReport{r.Dense, r.Pruned, r.Trannsformer, r.SmallDense, r.TilePruning, r.Ours} {
		if m != nil {
			out = append(out, m)
		}
	}
	return out
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("trannsformer: writing report: %w", err)
	}
	return nil
}

// ReadReport reads a report written by WriteJSON.
func ReadReport(rd io.Reader) (*Report, error) {
	var r Report
	if err := json.NewDecoder(rd).Decode(&r); err != nil {
		return nil, fmt.Errorf("trannsformer: reading report: %w", err)
	}
	return &r, nil
}

// costOf maps-and-costs one network at one crossbar size.
func costOf(maps []*crossbar.Mapping, spikes []float64, timesteps int, consts []cost.Constants) (KCost, error) {
	kc := KCost{Crossbars: Crossbars(maps), Utilization: Utilization(maps),
		Area: map[string]float64{}, Energy: map[string]float64{}}
	if len(maps) > 0 {
		kc.K = maps[0].K
	}
	for l, x := range maps {
		kc.Layers = append(kc.Layers, LayerCost{Layer: l, Synapses: x.Synapses(), Crossbars: x.Count(),
			Utilization: x.Utilization(), Area: map[string]float64{}, Energy: map[string]float64{}})
	}
	for _, c := range consts {
		rep, err := cost.Network(maps, spikes, timesteps, c)
		if err != nil {
			return kc, err
		}
		kc.Area[c.Name] = rep.Total.Area
		kc.Energy[c.Name] = rep.Total.Energy / 1000 // pJ -> nJ
		for l, b := range rep.Layers {
			kc.Layers[l].Area[c.Name] = b.Area
			kc.Layers[l].Energy[c.Name] = b.Energy / 1000
		}
	}
	return kc, nil
}

// reduction is 1 − a/b (0 when b is 0).
func reduction(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return 1 - a/b
}

// fillReductions sets every method's reductions against dense and pruned.
func (r *Report) fillReductions() {
	for _, m := range r.Methods() {
		for i := range m.ByK {
			kc := &m.ByK[i]
			d, p := r.Dense.At(kc.K), r.Pruned.At(kc.K)
			kc.AreaVsDense, kc.EnergyVsDense = map[string]float64{}, map[string]float64{}
			kc.AreaVsPruned, kc.EnergyVsPruned = map[string]float64{}, map[string]float64{}
			if d != nil && d != kc {
				kc.CrossbarsVsDense = reduction(float64(kc.Crossbars), float64(d.Crossbars))
				for name := range kc.Area {
					kc.AreaVsDense[name] = reduction(kc.Area[name], d.Area[name])
					kc.EnergyVsDense[name] = reduction(kc.Energy[name], d.Energy[name])
				}
			}
			if p != nil && p != kc {
				kc.CrossbarsVsPruned = reduction(float64(kc.Crossbars), float64(p.Crossbars))
				for name := range kc.Area {
					kc.AreaVsPruned[name] = reduction(kc.Area[name], p.Area[name])
					kc.EnergyVsPruned[name] = reduction(kc.Energy[name], p.Energy[name])
				}
			}
		}
	}
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%.2f%%", 100*x)
}

// signed shows a reduction r as the change −r, in whole percent.
func signed(x float64) string {
	v := math.Round(-100 * x)
	if v == 0 {
		return "0%"
	}
	return fmt.Sprintf("%+.0f%%", v)
}

// changes formats the crossbar, area and energy changes of a summary cell.
func changes(xbar float64, area, energy map[string]float64, consts []string) string {
	if len(area) == 0 {
		return "-"
	}
	a := make([]string, len(consts))
	e := make([]string, len(consts))
	for i, c := range consts {
		a[i], e[i] = signed(area[c]), signed(energy[c])
	}
	return fmt.Sprintf("xbar %s, area %s, energy %s", signed(xbar), strings.Join(a, "/"), strings.Join(e, "/"))
}

// Markdown formats the report as Markdown tables: the summary at the
// trained crossbar size, the crossbar sweep, and the per-layer figures.
func (r *Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## TraNNsformer reproduction: %s, %s\n\n", r.Dataset, joinInts(r.Layers, "-"))
	fmt.Fprintf(&b, "%d training and %d test samples; TraNNsformer budget %d epochs; crossbars %dx%d; SNN %d timesteps on %d test samples; training %.0f samples/s.\n\n",
		r.TrainSamples, r.TestSamples, r.Epochs, r.K, r.K, r.SNNTimesteps, r.SNNSamples, r.TrainSamplesPerSecond)
	consts := append([]string(nil), r.Constants...)
	// Summary.
	fmt.Fprintf(&b, "### Summary at k = %d\n\n", r.K)
	b.WriteString("| method | layers | epochs | ANN acc. | SNN acc. | synapses | crossbars | utilization |")
	for _, c := range consts {
		fmt.Fprintf(&b, " area %s (mm²) | energy %s (nJ) |", c, c)
	}
	b.WriteString(" vs dense |")
	b.WriteString(" vs pruned |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|")
	for range consts {
		b.WriteString("---|---|")
	}
	b.WriteString("---|---|\n")
	for _, m := range r.Methods() {
		kc := m.At(r.K)
		if kc == nil {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %d | %d | %s |", m.Name, joinInts(m.Sizes, "-"), m.Epochs,
			pct(m.ANNAccuracy), pct(m.SNNAccuracy), m.Synapses, kc.Crossbars, pct(kc.Utilization))
		for _, c := range consts {
			fmt.Fprintf(&b, " %.3f | %.1f |", kc.Area[c], kc.Energy[c])
		}
		b.WriteString(" " + changes(kc.CrossbarsVsDense, kc.AreaVsDense, kc.EnergyVsDense, consts))
		b.WriteString(" | " + changes(kc.CrossbarsVsPruned, kc.AreaVsPruned, kc.EnergyVsPruned, consts))
		b.WriteString(" |\n")
	}
	if len(consts) > 0 {
		fmt.Fprintf(&b, "\nChanges are 1 − method/baseline at the same k and constant set, area and energy listed per constant set in the order %s.\n", strings.Join(consts, ", "))
	}
	if t := r.Trannsformer; t != nil && t.LegacyCrossbars > 0 {
		fmt.Fprintf(&b, "The TraNNsformer network counted with the released code's counter (crossbar size %d whatever k): %d crossbars, %s vs dense counted the same way.\n",
			crossbar.LegacyK, t.LegacyCrossbars, signed(t.LegacyVsDense))
	}
	// Sweep.
	b.WriteString("\n### Crossbars by crossbar size k\n\n| method |")
	for _, k := range r.Ks {
		fmt.Fprintf(&b, " k=%d |", k)
	}
	b.WriteString("\n|---|")
	for range r.Ks {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, m := range r.Methods() {
		fmt.Fprintf(&b, "| %s |", m.Name)
		for _, k := range r.Ks {
			if kc := m.At(k); kc != nil {
				fmt.Fprintf(&b, " %d (%s) |", kc.Crossbars, pct(kc.Utilization))
			} else {
				b.WriteString(" - |")
			}
		}
		b.WriteString("\n")
	}
	for _, c := range consts {
		fmt.Fprintf(&b, "\n### Area (mm²) / energy (nJ per inference) by k, %s\n\n| method |", c)
		for _, k := range r.Ks {
			fmt.Fprintf(&b, " k=%d |", k)
		}
		b.WriteString("\n|---|")
		for range r.Ks {
			b.WriteString("---|")
		}
		b.WriteString("\n")
		for _, m := range r.Methods() {
			fmt.Fprintf(&b, "| %s |", m.Name)
			for _, k := range r.Ks {
				if kc := m.At(k); kc != nil {
					fmt.Fprintf(&b, " %.3f / %.1f |", kc.Area[c], kc.Energy[c])
				} else {
					b.WriteString(" - |")
				}
			}
			b.WriteString("\n")
		}
	}
	// Per layer.
	fmt.Fprintf(&b, "\n### Per layer at k = %d: synapses, crossbars, utilization, unclustered\n\n| method |", r.K)
	nl := len(r.Layers) - 1
	for l := 0; l < nl; l++ {
		fmt.Fprintf(&b, " layer %d |", l+1)
	}
	b.WriteString("\n|---|")
	for l := 0; l < nl; l++ {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, m := range r.Methods() {
		kc := m.At(r.K)
		if kc == nil {
			continue
		}
		fmt.Fprintf(&b, "| %s |", m.Name)
		for l := 0; l < len(kc.Layers); l++ {
			lc := kc.Layers[l]
			unc := ""
			if l < len(m.LayerUnclustered) {
				unc = ", " + pct(m.LayerUnclustered[l]) + " uncl."
			}
			if l < len(m.LayerBlocks) && l < len(m.LayerBlockSize) {
				unc += fmt.Sprintf(", %d blocks (median %dx%d)", m.LayerBlocks[l], m.LayerBlockSize[l][0], m.LayerBlockSize[l][1])
			}
			fmt.Fprintf(&b, " %d syn, %d xbar, %s%s |", lc.Synapses, lc.Crossbars, pct(lc.Utilization), unc)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	for _, m := range r.Methods() {
		if m.Description != "" {
			fmt.Fprintf(&b, "- **%s**: %s\n", m.Name, m.Description)
		}
	}
	return b.String()
}

// String is the Markdown form.
func (r *Report) String() string { return r.Markdown() }

func joinInts(v []int, sep string) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, sep)
}
