package trannsformer

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Method names, as they appear in the report, the CSV and the saved files.
const (
	MethodDense        = "dense"
	MethodPruned       = "pruned"
	MethodTrannsformer = "trannsformer"
	MethodTilePruning  = "tile_pruning"
	MethodSmallDense   = "small_dense"
	MethodOurs         = "ours"
)

// AllMethods lists the methods in table order.
var AllMethods = []string{MethodDense, MethodPruned, MethodTrannsformer, MethodSmallDense, MethodTilePruning, MethodOurs}

// Mapper names: every network is counted by every mapper (see MapNetwork).
const (
	MapperGrid     = "grid"     // the natural k x k grid of the full layer, every tile a crossbar (crossbar.Dense)
	MapperAuthors  = "authors"  // the authors' rule: empty rows and columns removed, then tiled (crossbar.Pruned); blocks plus greedy windows for the TraNNsformer network (crossbar.TraNNsformed)
	MapperCompact  = "compact"  // the authors' mapping packed and dissolved (crossbar.Compact)
	MapperPacked   = "packed"   // the network's own tile layout (ours, tile pruning) or cluster.CoCluster's partition, packed (crossbar.FromLabels, crossbar.Packed)
	MapperOptimize = "optimize" // the best of several candidates (crossbar.Optimize)
)

// AllMappers lists the mappers in order; ties between mappers go to the
// first.
var AllMappers = []string{MapperGrid, MapperAuthors, MapperCompact, MapperPacked, MapperOptimize}

// MapCost is one network mapped by one mapper at one crossbar size.
type MapCost struct {
	K              int                `json:"k"`
	Mapper         string             `json:"mapper"`
	Scheme         string             `json:"scheme"` // the crossbar package's scheme (optimize names its winner)
	Crossbars      int                `json:"crossbars"`
	LayerCrossbars []int              `json:"layer_crossbars"`
	Utilization    float64            `json:"utilization"`
	Verified       bool               `json:"verified"`  // every synapse placed exactly once (crossbar.Mapping.Verify)
	Area           map[string]float64 `json:"area_mm2"`  // per cost model
	Energy         map[string]float64 `json:"energy_nj"` // per inference, per cost model
}

// Run is one trained network: one method at one value of its size knob and
// one seed.
type Run struct {
	Method   string  `json:"method"`
	Knob     float64 `json:"knob"`
	KnobName string  `json:"knob_name"`
	Seed     uint64  `json:"seed"`
	Sizes    []int   `json:"sizes"`
	// Epochs counts every training epoch behind the network, the dense
	// pre-training it starts from included.
	Epochs        int   `json:"epochs"`
	Synapses      int   `json:"synapses"`
	LayerSynapses []int `json:"layer_synapses"`
	// ValAccuracy is on the validation split (used to choose settings);
	// TestAccuracy and SNNTestAccuracy are measured once, after training.
	ValAccuracy     float64 `json:"val_acc"`
	TestAccuracy    float64 `json:"test_acc"`
	SNNTestAccuracy float64 `json:"snn_test_acc"`
	// Dropout is the dropout rule the network trained with: DropoutFixed
	// (the recipe's rate throughout) or DropoutScaled (each epoch the
	// recipe's rate times sqrt(C/C_dense), see PaperConfig.ScaledDropout).
	// Empty in reports written before it existed (see MergeReports).
	Dropout string `json:"dropout,omitempty"`
	// ANNOnSNNSamples is the ANN's accuracy on the test samples the
	// spiking network ran on (the first Report.SNNSamples of the test
	// set), so that SNNTestAccuracy can be compared with the ANN on the
	// same images; it equals TestAccuracy when the spiking network ran on
	// the whole test set. Nil in reports written before it existed.
	ANNOnSNNSamples *float64 `json:"ann_acc_on_snn_samples,omitempty"`
	// SpikesPerNeuron is the mean spikes per neuron per inference at every
	// weight layer's input (the spiking network's measurement); the energy
	// charges each crossbar for its own wired inputs (see Paper).
	SpikesPerNeuron []float64 `json:"spikes_per_neuron"`
	Mappings        []MapCost `json:"mappings"`
	// Notes holds method-specific facts (joint regrouping, cleanup, blocks).
	Notes string `json:"notes,omitempty"`
	// Dir is where --save wrote the network, relative to the save directory.
	Dir string `json:"dir,omitempty"`
}

// Best returns the mapping with the fewest crossbars at k (ties: the first
// mapper in AllMappers order), or nil.
func (r *Run) Best(k int) *MapCost {
	var best *MapCost
	for i := range r.Mappings {
		mc := &r.Mappings[i]
		if mc.K == k && (best == nil || mc.Crossbars < best.Crossbars) {
			best = mc
		}
	}
	return best
}

// At returns the mapping by mapper at k, or nil.
func (r *Run) At(k int, mapper string) *MapCost {
	for i := range r.Mappings {
		if r.Mappings[i].K == k && r.Mappings[i].Mapper == mapper {
			return &r.Mappings[i]
		}
	}
	return nil
}

// EpochPoint is the dense network after one epoch.
type EpochPoint struct {
	Epoch       int     `json:"epoch"`
	Loss        float64 `json:"loss"`
	TrainAcc    float64 `json:"train_acc"`
	ValAccuracy float64 `json:"val_acc"`
}

// Stat is a mean and a sample standard deviation over seeds.
type Stat struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	N    int     `json:"n"`
}

func stat(v []float64) Stat {
	s := Stat{N: len(v)}
	if len(v) == 0 {
		return Stat{Mean: math.NaN(), SD: math.NaN()}
	}
	for _, x := range v {
		s.Mean += x
	}
	s.Mean /= float64(len(v))
	if len(v) > 1 {
		for _, x := range v {
			s.SD += (x - s.Mean) * (x - s.Mean)
		}
		s.SD = math.Sqrt(s.SD / float64(len(v)-1))
	}
	return s
}

// Point is one method at one knob value, over its seeds: the data of the
// Pareto figure (crossbars at the report's K with each seed's best mapper
// against test accuracy).
type Point struct {
	Method    string  `json:"method"`
	Knob      float64 `json:"knob"`
	Crossbars Stat    `json:"crossbars"`
	Mapper    string  `json:"mapper"` // the best mapper (of the first seed)
	ValAcc    Stat    `json:"val_acc"`
	TestAcc   Stat    `json:"test_acc"`
	SNNAcc    Stat    `json:"snn_test_acc"`
	// ANNOnSNN is the ANN's accuracy on the spiking network's test
	// samples (Run.ANNOnSNNSamples); N is 0 when the runs do not have it.
	ANNOnSNN Stat            `json:"ann_acc_on_snn_samples"`
	Synapses Stat            `json:"synapses"`
	Area     map[string]Stat `json:"area_mm2"`
	Energy   map[string]Stat `json:"energy_nj"`
	Chosen   bool            `json:"chosen"` // the validation-chosen setting of the method
	Pareto   bool            `json:"pareto"` // no other point has fewer crossbars and at least its test accuracy
}

// Report is the outcome of Paper: every trained network (Runs) with every
// mapping and cost, the points of the trade-off, the validation-chosen
// setting of every method and the dense network's accuracy by epoch.
type Report struct {
	Dataset        string   `json:"dataset"`
	Layers         []int    `json:"layers"`
	Budget         int      `json:"budget_epochs"`
	PretrainEpochs int      `json:"pretrain_epochs"`
	K              int      `json:"k"`
	Ks             []int    `json:"ks"`
	Mappers        []string `json:"mappers"`
	Constants      []string `json:"cost_models"`
	// ConstantSources names the source of every cost model.
	ConstantSources map[string]string `json:"cost_model_sources"`
	TrainSamples    int               `json:"train_samples"` // the samples fitted on (the validation split excluded)
	ValSamples      int               `json:"val_samples"`
	TestSamples     int               `json:"test_samples"`
	SNNTimesteps    int               `json:"snn_timesteps"`
	SNNSamples      int               `json:"snn_samples"`
	Seeds           []uint64          `json:"seeds"`
	// Selection states how the setting of each method was chosen.
	Selection string  `json:"selection"`
	Tolerance float64 `json:"tolerance"`
	// Dropout states the dropout rule of every method (from the runs').
	Dropout string `json:"dropout,omitempty"`
	// Chosen is the validation-chosen knob value of every method.
	Chosen map[string]float64 `json:"chosen"`
	// DenseCurve is the dense network's accuracy by epoch, per seed.
	DenseCurve            [][]EpochPoint `json:"dense_curve"`
	Runs                  []*Run         `json:"runs"`
	Points                []Point        `json:"points"`
	TrainSamplesPerSecond float64        `json:"train_samples_per_second"`
	Seconds               float64        `json:"seconds"`
}

// Point returns the point of method at knob, or nil.
func (r *Report) Point(method string, knob float64) *Point {
	for i := range r.Points {
		if r.Points[i].Method == method && r.Points[i].Knob == knob {
			return &r.Points[i]
		}
	}
	return nil
}

// ChosenPoint returns the validation-chosen point of method, or nil.
func (r *Report) ChosenPoint(method string) *Point {
	k, ok := r.Chosen[method]
	if !ok {
		return nil
	}
	return r.Point(method, k)
}

// methods returns the methods present, in table order.
func (r *Report) methods() []string {
	var out []string
	for _, m := range AllMethods {
		for _, run := range r.Runs {
			if run.Method == m {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// runsOf returns the runs of method at knob (all knobs when knob is NaN).
func (r *Report) runsOf(method string, knob float64) []*Run {
	var out []*Run
	for _, run := range r.Runs {
		if run.Method == method && (math.IsNaN(knob) || run.Knob == knob) {
			out = append(out, run)
		}
	}
	return out
}

// Dropout rules of a run (Run.Dropout).
const (
	DropoutFixed  = "fixed"
	DropoutScaled = "scaled"
)

// dropoutNote describes the dropout rule of every method of runs.
func dropoutNote(runs []*Run) string {
	var fixed, scaled []string
	for _, m := range AllMethods {
		for _, r := range runs {
			if r.Method != m {
				continue
			}
			if r.Dropout == DropoutScaled {
				scaled = append(scaled, m)
			} else {
				fixed = append(fixed, m)
			}
			break
		}
	}
	if len(scaled) == 0 {
		return ""
	}
	note := strings.Join(scaled, ", ") + ": at every epoch p·sqrt(C/C_dense), p the recipe's rate and C the connections the network has as the epoch starts (Han et al. 2015, section 3.3)"
	if len(fixed) > 0 {
		note += "; " + strings.Join(fixed, ", ") + ": the recipe's rate p throughout"
	}
	return note
}

// summarize fills Points, Chosen, Dropout and the Pareto flags from Runs.
func (r *Report) summarize() {
	r.Dropout = dropoutNote(r.Runs)
	r.Points = nil
	type key struct {
		m string
		k float64
	}
	var keys []key
	seen := map[key]bool{}
	for _, run := range r.Runs {
		k := key{run.Method, run.Knob}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		runs := r.runsOf(k.m, k.k)
		p := Point{Method: k.m, Knob: k.k, Area: map[string]Stat{}, Energy: map[string]Stat{}}
		var xb, val, test, snn, annSNN, syn []float64
		area, energy := map[string][]float64{}, map[string][]float64{}
		for _, run := range runs {
			b := run.Best(r.K)
			if b == nil {
				continue
			}
			if p.Mapper == "" {
				p.Mapper = b.Mapper
			}
			xb = append(xb, float64(b.Crossbars))
			val = append(val, run.ValAccuracy)
			test = append(test, run.TestAccuracy)
			snn = append(snn, run.SNNTestAccuracy)
			switch {
			case run.ANNOnSNNSamples != nil:
				annSNN = append(annSNN, *run.ANNOnSNNSamples)
			case r.snnOnWholeTest():
				annSNN = append(annSNN, run.TestAccuracy)
			}
			syn = append(syn, float64(run.Synapses))
			for _, c := range r.Constants {
				area[c] = append(area[c], b.Area[c])
				energy[c] = append(energy[c], b.Energy[c])
			}
		}
		p.Crossbars, p.ValAcc, p.TestAcc, p.SNNAcc, p.Synapses = stat(xb), stat(val), stat(test), stat(snn), stat(syn)
		if len(annSNN) > 0 {
			p.ANNOnSNN = stat(annSNN)
		}
		for _, c := range r.Constants {
			p.Area[c], p.Energy[c] = stat(area[c]), stat(energy[c])
		}
		r.Points = append(r.Points, p)
	}
	// Validation choice.
	r.Chosen = map[string]float64{}
	ref := math.NaN()
	if d := r.pointsOf(MethodDense); len(d) > 0 {
		ref = d[0].ValAcc.Mean
	}
	for _, m := range r.methods() {
		pts := r.pointsOf(m)
		best := -1
		for i, p := range pts {
			ok := !math.IsNaN(ref) && p.ValAcc.Mean >= ref-r.Tolerance
			if ok && (best < 0 || p.Crossbars.Mean < pts[best].Crossbars.Mean ||
				(p.Crossbars.Mean == pts[best].Crossbars.Mean && p.ValAcc.Mean > pts[best].ValAcc.Mean)) {
				best = i
			}
		}
		if best < 0 {
			for i, p := range pts {
				if best < 0 || p.ValAcc.Mean > pts[best].ValAcc.Mean {
					best = i
				}
			}
		}
		if best >= 0 {
			r.Chosen[m] = pts[best].Knob
		}
	}
	for i := range r.Points {
		p := &r.Points[i]
		p.Chosen = r.Chosen[p.Method] == p.Knob
		p.Pareto = true
		for _, q := range r.Points {
			if q.Crossbars.Mean <= p.Crossbars.Mean && q.TestAcc.Mean >= p.TestAcc.Mean &&
				(q.Crossbars.Mean < p.Crossbars.Mean || q.TestAcc.Mean > p.TestAcc.Mean) {
				p.Pareto = false
				break
			}
		}
	}
}

// pointsOf returns the points of method, by knob.
func (r *Report) pointsOf(method string) []Point {
	var out []Point
	for _, p := range r.Points {
		if p.Method == method {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Knob < out[b].Knob })
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

// CSVHeader is the header of WriteCSV.
var CSVHeader = []string{"dataset", "method", "knob", "seed", "k", "mapper", "crossbars", "synapses", "epochs",
	"val_acc", "test_acc", "snn_test_acc", "cost_model", "area_mm2", "energy_nj"}

// WriteCSV writes one row per trained network, mapping (k and mapper) and
// cost model, with the columns of CSVHeader; accuracies are fractions.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("trannsformer: writing CSV: %w", err)
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 10, 64) }
	for _, run := range r.Runs {
		for _, mc := range run.Mappings {
			for _, c := range r.Constants {
				row := []string{r.Dataset, run.Method, f(run.Knob), strconv.FormatUint(run.Seed, 10), strconv.Itoa(mc.K), mc.Mapper,
					strconv.Itoa(mc.Crossbars), strconv.Itoa(run.Synapses), strconv.Itoa(run.Epochs),
					f(run.ValAccuracy), f(run.TestAccuracy), f(run.SNNTestAccuracy), c, f(mc.Area[c]), f(mc.Energy[c])}
				if err := cw.Write(row); err != nil {
					return fmt.Errorf("trannsformer: writing CSV: %w", err)
				}
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("trannsformer: writing CSV: %w", err)
	}
	return nil
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%.2f%%", 100*x)
}

// pm formats a mean ± sd of fractions as percentages (no ± for one seed).
func pm(s Stat) string {
	if s.N == 0 || math.IsNaN(s.Mean) {
		return "-"
	}
	if s.N < 2 {
		return pct(s.Mean)
	}
	return fmt.Sprintf("%.2f ± %.2f%%", 100*s.Mean, 100*s.SD)
}

// pmN formats a mean ± sd of counts.
func pmN(s Stat, prec int) string {
	if s.N == 0 || math.IsNaN(s.Mean) {
		return "-"
	}
	if s.N < 2 {
		return strconv.FormatFloat(s.Mean, 'f', prec, 64)
	}
	return strconv.FormatFloat(s.Mean, 'f', prec, 64) + " ± " + strconv.FormatFloat(s.SD, 'f', prec, 64)
}

func knobString(method string, v float64) string {
	switch method {
	case MethodDense, MethodSmallDense:
		return "width " + strconv.FormatFloat(v, 'f', -1, 64)
	case MethodPruned:
		return "step ×" + strconv.FormatFloat(v, 'f', -1, 64)
	case MethodTrannsformer:
		return "q " + strconv.FormatFloat(v, 'f', -1, 64)
	}
	return "keep " + strconv.FormatFloat(v, 'f', -1, 64)
}

// Markdown formats the report: the validation-chosen summary at K with each
// method at its best mapper, the crossbars by k, the mapper matrix, the
// trade-off points, the ratios per cost model and the dense network's
// accuracy by epoch.
func (r *Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## TraNNsformer comparison: %s, %s\n\n", r.Dataset, joinInts(r.Layers, "-"))
	fmt.Fprintf(&b, "Data: %d training samples fitted, %d validation samples (the last %d of the training set, fixed), %d test samples. "+
		"Every network has the same training budget of %d epochs, the dense pre-training it starts from included (fine-tuning methods start from the dense network after %d epochs). "+
		"Seeds %s. Crossbars %dx%d unless stated. SNN: %d timesteps on %d test samples. %.0f training samples/s; %.0f s in all.\n\n",
		r.TrainSamples, r.ValSamples, r.ValSamples, r.TestSamples, r.Budget, r.PretrainEpochs, joinU(r.Seeds), r.K, r.K,
		r.SNNTimesteps, r.SNNSamples, r.TrainSamplesPerSecond, r.Seconds)
	fmt.Fprintf(&b, "Selection: %s\n\n", r.Selection)
	if r.Dropout != "" {
		fmt.Fprintf(&b, "Dropout: %s.\n\n", r.Dropout)
	}
	fmt.Fprintf(&b, "Every network is mapped by every mapper (%s) at every k, and every mapping is verified (each synapse placed exactly once). "+
		"Tables show each method at its best mapper, named in the table; the full matrix is in the JSON and the CSV.\n\n", strings.Join(r.Mappers, ", "))

	// Summary.
	fmt.Fprintf(&b, "### Summary at k = %d (validation-chosen settings, mean ± sd over seeds)\n\n", r.K)
	snnHead := "SNN test acc."
	if !r.snnOnWholeTest() {
		snnHead = fmt.Sprintf("SNN acc. (ANN acc.) on %d test images", r.SNNSamples)
	}
	b.WriteString("| method | setting | best mapper | epochs | val acc. | test acc. | " + snnHead + " | synapses | crossbars |")
	for _, c := range r.Constants {
		fmt.Fprintf(&b, " energy %s (nJ) |", c)
	}
	b.WriteString("\n|---|---|---|---|---|---|---|---|---|")
	for range r.Constants {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, m := range r.methods() {
		p := r.ChosenPoint(m)
		if p == nil {
			continue
		}
		runs := r.runsOf(m, p.Knob)
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %s | %s | %s | %s | %s |", m, knobString(m, p.Knob), p.Mapper, runs[0].Epochs,
			pm(p.ValAcc), pm(p.TestAcc), r.snnCell(p), pmN(p.Synapses, 0), pmN(p.Crossbars, 1))
		for _, c := range r.Constants {
			fmt.Fprintf(&b, " %s |", pmN(p.Energy[c], 1))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n" + r.snnNote() + "\n")
	b.WriteString("\nCrossbars: the k x k arrays the network's best verified mapping needs (mean ± sd over seeds). " +
		"Energy (nJ per inference): Σ_x [T·p_x·A·E_array + S_x·b_x·A·E_cell + S_x·(E_row + E_spike) + T·p_x·b_x·B·(E_column + E_ADC·f) + T·p_x·e_x·E_psum] " +
		"+ T·N·E_neuron + X·(n_adc·B·P_ADC,leak + k·P_row,leak)·T·t_step, over the crossbars x of the mapping, with S_x the spikes per inference on x's own wired inputs, " +
		"p_x = 1 − Π_i (1 − s_i/T) over them, b_x its wired outputs, e_x its outputs already on an earlier crossbar, B the bit slices, A the cell arrays (B, twice if signed), " +
		"f the ADC resolution scaling, T the timesteps, N the neurons (cost.Layer). Area is in the ratio table, the JSON and the CSV.\n")

	// Ratios per cost model.
	b.WriteString("\n### Ratios per cost model (validation-chosen settings, best mapper at k = " + strconv.Itoa(r.K) + ")\n\n")
	b.WriteString("Each cell is method / dense, area then energy; the last row is ours / the best other method by the same measure.\n\n| method |")
	for _, c := range r.Constants {
		fmt.Fprintf(&b, " %s area | %s energy |", c, c)
	}
	b.WriteString("\n|---|")
	for range r.Constants {
		b.WriteString("---|---|")
	}
	b.WriteString("\n")
	dense := r.ChosenPoint(MethodDense)
	for _, m := range r.methods() {
		p := r.ChosenPoint(m)
		if p == nil || dense == nil {
			continue
		}
		fmt.Fprintf(&b, "| %s |", m)
		for _, c := range r.Constants {
			fmt.Fprintf(&b, " %s | %s |", ratio(p.Area[c].Mean, dense.Area[c].Mean), ratio(p.Energy[c].Mean, dense.Energy[c].Mean))
		}
		b.WriteString("\n")
	}
	if ours := r.ChosenPoint(MethodOurs); ours != nil {
		b.WriteString("| ours / best other |")
		for _, c := range r.Constants {
			ba, be := math.Inf(1), math.Inf(1)
			for _, m := range r.methods() {
				if m == MethodOurs {
					continue
				}
				if p := r.ChosenPoint(m); p != nil {
					ba, be = math.Min(ba, p.Area[c].Mean), math.Min(be, p.Energy[c].Mean)
				}
			}
			fmt.Fprintf(&b, " %s | %s |", ratio(ours.Area[c].Mean, ba), ratio(ours.Energy[c].Mean, be))
		}
		b.WriteString("\n")
	}

	// By k.
	b.WriteString("\n### Crossbars by crossbar size k (validation-chosen settings, first seed, best mapper)\n\n| method |")
	for _, k := range r.Ks {
		fmt.Fprintf(&b, " k=%d |", k)
	}
	b.WriteString("\n|---|")
	for range r.Ks {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, m := range r.methods() {
		runs := r.runsOf(m, r.Chosen[m])
		if len(runs) == 0 {
			continue
		}
		fmt.Fprintf(&b, "| %s |", m)
		for _, k := range r.Ks {
			if mc := runs[0].Best(k); mc != nil {
				fmt.Fprintf(&b, " %d (%s) |", mc.Crossbars, mc.Mapper)
			} else {
				b.WriteString(" - |")
			}
		}
		b.WriteString("\n")
	}

	// Mapper matrix.
	fmt.Fprintf(&b, "\n### Every mapper at k = %d (validation-chosen settings, first seed)\n\n| method |", r.K)
	for _, mp := range r.Mappers {
		fmt.Fprintf(&b, " %s |", mp)
	}
	b.WriteString("\n|---|")
	for range r.Mappers {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, m := range r.methods() {
		runs := r.runsOf(m, r.Chosen[m])
		if len(runs) == 0 {
			continue
		}
		fmt.Fprintf(&b, "| %s |", m)
		for _, mp := range r.Mappers {
			if mc := runs[0].At(r.K, mp); mc != nil {
				fmt.Fprintf(&b, " %d |", mc.Crossbars)
			} else {
				b.WriteString(" - |")
			}
		}
		b.WriteString("\n")
	}

	// Trade-off.
	fmt.Fprintf(&b, "\n### Trade-off: every setting (crossbars at k = %d with the best mapper, mean ± sd over seeds)\n\n", r.K)
	b.WriteString("| method | setting | seeds | crossbars | best mapper | val acc. | test acc. | chosen | Pareto |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, m := range r.methods() {
		for _, p := range r.pointsOf(m) {
			fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %s | %s | %s | %s |\n", m, knobString(m, p.Knob), p.Crossbars.N,
				pmN(p.Crossbars, 1), p.Mapper, pm(p.ValAcc), pm(p.TestAcc), yes(p.Chosen), yes(p.Pareto))
		}
	}
	b.WriteString("\nPareto: no other point needs fewer crossbars (mean) at an equal or higher mean test accuracy.\n")

	// Dense curve.
	if len(r.DenseCurve) > 0 {
		b.WriteString("\n### Dense network: validation accuracy by epoch (mean over seeds)\n\n| epoch | val acc. | train loss |\n|---|---|---|\n")
		for e := range r.DenseCurve[0] {
			var v, l []float64
			for _, c := range r.DenseCurve {
				if e < len(c) {
					v = append(v, c[e].ValAccuracy)
					l = append(l, c[e].Loss)
				}
			}
			fmt.Fprintf(&b, "| %d | %s | %.4f |\n", r.DenseCurve[0][e].Epoch, pm(stat(v)), stat(l).Mean)
		}
	}
	var notes []string
	for _, m := range r.methods() {
		if runs := r.runsOf(m, r.Chosen[m]); len(runs) > 0 && runs[0].Notes != "" {
			notes = append(notes, fmt.Sprintf("- **%s** (%s, seed %d): %s\n", m, knobString(m, runs[0].Knob), runs[0].Seed, runs[0].Notes))
		}
	}
	if len(notes) > 0 {
		b.WriteString("\n### Notes (validation-chosen settings, first seed)\n\n" + strings.Join(notes, ""))
	}
	b.WriteString("\n### Cost models\n\n")
	for _, c := range r.Constants {
		fmt.Fprintf(&b, "- **%s**: %s\n", c, r.ConstantSources[c])
	}
	return b.String()
}

// snnOnWholeTest reports whether the spiking network ran on every test
// sample, so that its accuracy and TestAccuracy are on the same images.
func (r *Report) snnOnWholeTest() bool {
	return r.SNNSamples <= 0 || r.SNNSamples >= r.TestSamples
}

// snnCell formats a point's SNN accuracy; on a subset of the test set, the
// ANN's accuracy on the same images follows in parentheses ("-" when the
// report predates Run.ANNOnSNNSamples).
func (r *Report) snnCell(p *Point) string {
	if r.snnOnWholeTest() {
		return pm(p.SNNAcc)
	}
	return pm(p.SNNAcc) + " (" + pm(p.ANNOnSNN) + ")"
}

// snnNote states which images the SNN accuracy is on and why it can exceed
// the ANN's.
func (r *Report) snnNote() string {
	n := r.SNNSamples
	where := fmt.Sprintf("on the same %d test images as the ANN's test accuracy", r.TestSamples)
	if !r.snnOnWholeTest() {
		where = fmt.Sprintf("on the first %d test images, with the ANN's accuracy on the same images in parentheses "+
			"(the test accuracy column uses all %d)", n, r.TestSamples)
	} else {
		n = r.TestSamples
	}
	s := fmt.Sprintf("SNN: the converted spiking network (%d timesteps) %s.", r.SNNTimesteps, where)
	if n > 0 {
		s += fmt.Sprintf(" Conversion can add accuracy as well as lose it: the rate-coded input noise flips a few borderline images either way, "+
			"and on %d images one image is %.2g points.", n, 100/float64(n))
	}
	return s
}

func ratio(a, b float64) string {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) || math.IsInf(b, 0) {
		return "-"
	}
	return fmt.Sprintf("%.3f", a/b)
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
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

func joinU(v []uint64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

var _ = slices.Sort[[]int]
