package cost

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
)

// Constants is a technology constant set. Areas are in mm², energies in pJ.
// Array figures are given for RefK x RefK crossbars and scale with
// (K/RefK)²; per-row and per-column figures scale with the number of rows
// and columns. Users can build their own set or load one with ReadConstants
// (the JSON field names are the struct's tags).
type Constants struct {
	Name   string `json:"name"`
	Source string `json:"source"` // where the numbers come from

	RefK        int     `json:"ref_k"`        // crossbar size the array figures are for
	ArrayArea   float64 `json:"array_area"`   // mm² per RefK x RefK cell array
	ArrayEnergy float64 `json:"array_energy"` // pJ per array evaluation (one read of all cells)

	RowArea      float64 `json:"row_area"`      // mm² per crossbar row driver (input side)
	RowEnergy    float64 `json:"row_energy"`    // pJ per input spike driven onto one crossbar row
	ColumnArea   float64 `json:"column_area"`   // mm² per crossbar column periphery (ADC share / integrator)
	ColumnEnergy float64 `json:"column_energy"` // pJ per column read per evaluation

	NeuronArea   float64 `json:"neuron_area"`   // mm² per output neuron of a layer
	NeuronEnergy float64 `json:"neuron_energy"` // pJ per neuron update per timestep

	RouterArea         float64 `json:"router_area"`          // mm² per router
	CrossbarsPerRouter int     `json:"crossbars_per_router"` // crossbars sharing one router
	SpikeEnergy        float64 `json:"spike_energy"`         // pJ per spike delivered to one crossbar (router + link)

	PartialSumArea   float64 `json:"partial_sum_area"`   // mm² per partial-sum accumulator (an output on s crossbars needs s−1)
	PartialSumEnergy float64 `json:"partial_sum_energy"` // pJ per partial-sum transfer and add
}

// Validate reports constants that cannot be used.
func (c Constants) Validate() error {
	if c.RefK <= 0 {
		return fmt.Errorf("cost: %q: ref_k %d must be positive", c.Name, c.RefK)
	}
	if c.CrossbarsPerRouter <= 0 {
		return fmt.Errorf("cost: %q: crossbars_per_router %d must be positive", c.Name, c.CrossbarsPerRouter)
	}
	for name, v := range map[string]float64{
		"array_area": c.ArrayArea, "array_energy": c.ArrayEnergy,
		"row_area": c.RowArea, "row_energy": c.RowEnergy,
		"column_area": c.ColumnArea, "column_energy": c.ColumnEnergy,
		"neuron_area": c.NeuronArea, "neuron_energy": c.NeuronEnergy,
		"router_area": c.RouterArea, "spike_energy": c.SpikeEnergy,
		"partial_sum_area": c.PartialSumArea, "partial_sum_energy": c.PartialSumEnergy,
	} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("cost: %q: %s = %v must be finite and non-negative", c.Name, name, v)
		}
	}
	return nil
}

// ReadConstants decodes a constant set from JSON and validates it.
func ReadConstants(r io.Reader) (Constants, error) {
	var c Constants
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Constants{}, fmt.Errorf("cost: reading constants: %w", err)
	}
	return c, c.Validate()
}

// The derivations below use a 1 ns evaluation cycle to turn power into
// energy (E = P · 1 ns, so 1 mW ↦ 1 pJ). The cycle is an assumption for
// RESPARC (method.md gives powers only); since every term of both sets is
// derived with the same cycle, results normalised to the dense network do
// not depend on it.

// RESPARC returns constants derived from RESPARC (Ankit et al., DAC 2017),
// as quoted in method.md: 64x64 MCAs, 4 per processing element (mPE),
// 3.02 mW and 0.0196 mm² per mPE, router 23.1 mW and 0.0259 mm² shared by 4
// mPEs, link 3 mW.
//
// Derivations:
//   - per crossbar with its periphery and integrate-and-fire neurons:
//     0.0196/4 = 0.0049 mm² and 3.02/4 = 0.755 mW ↦ 0.755 pJ per evaluation;
//   - cell array: the PUMA/ISAAC 64x64 figures (6.25e-6 mm², 0.075 pJ),
//     assuming the same memristor technology (assumption, ours);
//   - the rest (0.0049 − 6.25e-6 mm², 0.755 − 0.075 pJ) is split evenly
//     between the 64 row drivers and the 64 column circuits (assumption,
//     ours): row/column area (0.0049 − 6.25e-6)/2/64 = 3.8232e-5 mm²,
//     row/column energy 0.68/2/64 = 5.3125e-3 pJ;
//   - neurons are the column circuits in RESPARC: NeuronArea and
//     NeuronEnergy are 0 (counted in the column figures);
//   - router area 0.0259 mm² per 4 mPEs = 16 crossbars; a spike delivered to
//     one crossbar costs (23.1 + 3) mW · 1 ns / 16 = 1.63125 pJ (the router
//     and link power shared by the crossbars they serve; assumption, ours);
//   - a partial-sum transfer costs one spike delivery (1.63125 pJ) and its
//     accumulator one column circuit (3.8232e-5 mm²) (assumption, ours).
func RESPARC() Constants {
	periph := (0.0196/4 - 6.25e-6) / 2 / 64
	return Constants{
		Name:               "RESPARC-like",
		Source:             "RESPARC (Ankit et al., DAC 2017) per method.md; split of the mPE figures and 1 ns cycle are our assumptions",
		RefK:               64,
		ArrayArea:          6.25e-6,
		ArrayEnergy:        0.075,
		RowArea:            periph,
		RowEnergy:          (0.755 - 0.075) / 2 / 64,
		ColumnArea:         periph,
		ColumnEnergy:       (0.755 - 0.075) / 2 / 64,
		NeuronArea:         0,
		NeuronEnergy:       0,
		RouterArea:         0.0259,
		CrossbarsPerRouter: 16,
		SpikeEnergy:        (23.1 + 3) / 16,
		PartialSumArea:     periph,
		PartialSumEnergy:   (23.1 + 3) / 16,
	}
}

// PUMA returns constants derived from PUMA (Ankit et al., ASPLOS 2019),
// ISAAC-derived, as quoted in method.md: 64x64 array 0.075 mW and
// 6.25e-6 mm² (scaling with k²), ADC 2 mW and 0.0012 mm², 1-bit DAC
// 0.0039 mW, 1 ns cycle.
//
// Derivations:
//   - array: 0.075 mW · 1 ns = 0.075 pJ per evaluation, 6.25e-6 mm²;
//   - row: one 1-bit DAC per row, 0.0039 pJ per driven row; DAC area
//     0.00017 mm² per 8x128 DACs (ISAAC, Shafiee et al., ISCA 2016, not in
//     method.md: quoted from memory, check before publishing) = 1.66e-7 mm²;
//   - column: one ADC per crossbar shared by its 64 columns: 0.0012/64 =
//     1.875e-5 mm² per column, 2 mW · 1 ns = 2 pJ per column conversion;
//   - neuron: digital accumulate-and-fire, taken as ISAAC's shift-and-add
//     unit, 0.05 mW and 6e-5 mm² (from memory, check), 0.05 pJ per update;
//   - routing: method.md gives no PUMA router, so RESPARC's router is used
//     (0.0259 mm² per 16 crossbars, 1.63125 pJ per spike per crossbar);
//   - a partial-sum transfer costs one spike delivery plus one add
//     (1.63125 + 0.05 pJ); its accumulator one neuron unit (6e-5 mm²).
func PUMA() Constants {
	return Constants{
		Name:               "PUMA-like",
		Source:             "PUMA (Ankit et al., ASPLOS 2019) / ISAAC per method.md; DAC area, neuron unit and router are our assumptions",
		RefK:               64,
		ArrayArea:          6.25e-6,
		ArrayEnergy:        0.075,
		RowArea:            0.00017 / (8 * 128),
		RowEnergy:          0.0039,
		ColumnArea:         0.0012 / 64,
		ColumnEnergy:       2,
		NeuronArea:         6e-5,
		NeuronEnergy:       0.05,
		RouterArea:         0.0259,
		CrossbarsPerRouter: 16,
		SpikeEnergy:        (23.1 + 3) / 16,
		PartialSumArea:     6e-5,
		PartialSumEnergy:   (23.1+3)/16 + 0.05,
	}
}
