package trannsformer

// The types below belong to the report of the earlier, single-seed Paper
// (one network per method, each counted by its own mapper). Paper no longer
// produces them; they stay, unused, so that the interpreter's generated
// symbol tables (kernel/symbols) keep compiling until they are regenerated,
// and will then be removed.

// LayerCost is one layer of a mapped network at one crossbar size.
//
// Deprecated: see Run and MapCost.
type LayerCost struct {
	Layer       int                `json:"layer"`
	Synapses    int                `json:"synapses"`
	Crossbars   int                `json:"crossbars"`
	Utilization float64            `json:"utilization"`
	Area        map[string]float64 `json:"area"`
	Energy      map[string]float64 `json:"energy"`
}

// KCost is a mapped network at one crossbar size.
//
// Deprecated: see MapCost.
type KCost struct {
	K           int                `json:"k"`
	Crossbars   int                `json:"crossbars"`
	Utilization float64            `json:"utilization"`
	Area        map[string]float64 `json:"area"`
	Energy      map[string]float64 `json:"energy"`
	Layers      []LayerCost        `json:"layers"`
}

// MethodReport is one network of the earlier comparison.
//
// Deprecated: see Run.
type MethodReport struct {
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Sizes       []int   `json:"sizes"`
	Epochs      int     `json:"epochs"`
	ANNAccuracy float64 `json:"ann_accuracy"`
	SNNAccuracy float64 `json:"snn_accuracy"`
	Synapses    int     `json:"synapses"`
	ByK         []KCost `json:"by_k"`
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
