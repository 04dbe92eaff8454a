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

	// Options of the model (zero: off). See Layer for the formulas.

	// CellEnergy is the energy of reading one cell (pJ) when a spike
	// drives its row: a spike on a crossbar row costs CellEnergy per wired
	// column, per cell array.
	CellEnergy float64 `json:"cell_energy,omitempty"`
	// ADCs: ADCArea (mm²), ADCEnergy (pJ per conversion) and ADCLeak (mW)
	// of one ADC of ADCRefBits bits; ADCBits is the resolution used
	// (0: ADCRefBits; area and energy scale with 2^(ADCBits−ADCRefBits),
	// the SAR/Walden scaling, an assumption); ADCShare columns share one
	// ADC (0: one ADC per column) and are converted one after another,
	// ADCLatency ns each.
	ADCArea    float64 `json:"adc_area,omitempty"`
	ADCEnergy  float64 `json:"adc_energy,omitempty"`
	ADCLeak    float64 `json:"adc_leak,omitempty"`
	ADCRefBits int     `json:"adc_ref_bits,omitempty"`
	ADCBits    int     `json:"adc_bits,omitempty"`
	ADCShare   int     `json:"adc_share,omitempty"`
	ADCLatency float64 `json:"adc_latency,omitempty"`
	// RowLeak is the leakage (mW) of one row driver (DAC).
	RowLeak float64 `json:"row_leak,omitempty"`
	// Bit slicing: a WeightBits-bit weight is stored over
	// ceil(WeightBits/CellBits) cell arrays of CellBits-bit cells, each with
	// its own ADCs (0: one array).
	WeightBits int `json:"weight_bits,omitempty"`
	CellBits   int `json:"cell_bits,omitempty"`
	// Signed stores positive and negative weights in separate arrays
	// (twice the cell arrays; the two are subtracted in the analog domain
	// before the ADC, so they share it).
	Signed bool `json:"signed,omitempty"`
}

// Slices returns the cell arrays one weight is sliced over:
// ceil(WeightBits/CellBits), or 1 without bit slicing.
func (c Constants) Slices() int {
	if c.WeightBits <= 0 || c.CellBits <= 0 {
		return 1
	}
	return (c.WeightBits + c.CellBits - 1) / c.CellBits
}

// adcs returns the ADCs per cell array of a k x k crossbar and the
// resolution scaling of their area and energy.
func (c Constants) adcs(k int) (n, scale float64) {
	if c.ADCArea == 0 && c.ADCEnergy == 0 && c.ADCLeak == 0 {
		return 0, 1
	}
	share := max(1, c.ADCShare)
	n = float64((k + share - 1) / share)
	scale = 1
	if c.ADCBits > 0 && c.ADCRefBits > 0 {
		scale = math.Pow(2, float64(c.ADCBits-c.ADCRefBits))
	}
	return n, scale
}

// TimestepNS returns the nanoseconds one timestep of a k x k crossbar
// takes: the columns sharing an ADC converted one after another,
// min(k, ADCShare)·ADCLatency (0 without an ADC latency, which turns the
// static energy off).
func (c Constants) TimestepNS(k int) float64 {
	return float64(min(k, max(1, c.ADCShare))) * c.ADCLatency
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
		"cell_energy": c.CellEnergy, "adc_area": c.ADCArea, "adc_energy": c.ADCEnergy, "adc_leak": c.ADCLeak,
		"adc_latency": c.ADCLatency, "row_leak": c.RowLeak,
	} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("cost: %q: %s = %v must be finite and non-negative", c.Name, name, v)
		}
	}
	for name, v := range map[string]int{"adc_ref_bits": c.ADCRefBits, "adc_bits": c.ADCBits, "adc_share": c.ADCShare,
		"weight_bits": c.WeightBits, "cell_bits": c.CellBits} {
		if v < 0 || v > 1<<16 {
			return fmt.Errorf("cost: %q: %s = %d must be in [0, 65536]", c.Name, name, v)
		}
	}
	if c.ADCBits > 0 && c.ADCRefBits == 0 {
		return fmt.Errorf("cost: %q: adc_bits needs adc_ref_bits", c.Name)
	}
	if c.ADCBits > 32 || c.ADCRefBits > 32 {
		return fmt.Errorf("cost: %q: ADC resolution above 32 bits", c.Name)
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
// RESPARC (docs/method.md gives powers only); since every term of both sets is
// derived with the same cycle, results normalised to the dense network do
// not depend on it.

// RESPARC returns constants derived from RESPARC (Ankit et al., DAC 2017),
// as quoted in docs/method.md: 64x64 MCAs, 4 per processing element (mPE),
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
		Source:             "RESPARC (Ankit et al., DAC 2017) per docs/method.md; split of the mPE figures and 1 ns cycle are our assumptions",
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
// ISAAC-derived, as quoted in docs/method.md: 64x64 array 0.075 mW and
// 6.25e-6 mm² (scaling with k²), ADC 2 mW and 0.0012 mm², 1-bit DAC
// 0.0039 mW, 1 ns cycle.
//
// Derivations:
//   - array: 0.075 mW · 1 ns = 0.075 pJ per evaluation, 6.25e-6 mm²;
//   - row: one 1-bit DAC per row, 0.0039 pJ per driven row; DAC area
//     0.00017 mm² per 8x128 DACs (ISAAC) = 1.66e-7 mm², checked against
//     github.com/Aayush-Ankit/puma-simulator include/constants.py
//     (dac_area_dict: 1.67e-7 mm²);
//   - column: one ADC per crossbar shared by its 64 columns: 0.0012/64 =
//     1.875e-5 mm² per column, 2 mW · 1 ns = 2 pJ per column conversion;
//   - neuron: digital accumulate-and-fire, taken as ISAAC's shift-and-add
//     unit, 0.05 mW and 6e-5 mm² (checked against puma-simulator
//     include/constants.py: sna_pow_dyn + sna_pow_leak = 0.05 mW,
//     sna_area = 0.00006 mm²), 0.05 pJ per update;
//   - routing: docs/method.md gives no PUMA router, so RESPARC's router is used
//     (0.0259 mm² per 16 crossbars, 1.63125 pJ per spike per crossbar);
//   - a partial-sum transfer costs one spike delivery plus one add
//     (1.63125 + 0.05 pJ); its accumulator one neuron unit (6e-5 mm²).
func PUMA() Constants {
	return Constants{
		Name:               "PUMA-like",
		Source:             "PUMA (Ankit et al., ASPLOS 2019) / ISAAC per docs/method.md; DAC area, neuron unit and router are our assumptions",
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

// The three sets below follow published simulators' default
// configurations; every constant names the file it comes from. The
// remaining assumptions (ours) are listed in each doc comment. The cycle
// that turns power into energy is each simulator's own (E = P·t, so
// 1 mW·1 ns = 1 pJ).

// PUMASim returns the constants of the PUMA simulator's default inference
// configuration (github.com/Aayush-Ankit/puma-simulator):
//
//   - include/config.py: xbar_size = 128, xbar_bits = 2 (2-bit cells),
//     weight_width = 16 (16-bit weights: 8 slices), dac_res = 1,
//     adc_res = 8, at most one ADC per crossbar (ADCShare = 128);
//   - include/constants.py: cycle_time = 1 ns; xbar_area_dict 128:
//     2.5e-5 mm², xbar_pow_dict 128: 0.3 mW (0.3 pJ per evaluation);
//     dac_area_dict 1.67e-7 mm², dac_pow_dyn_dict 0.00350625 mW,
//     dac_pow_leak_dict 0.000390625 mW; adc_area_dict 0.0012 mm²,
//     adc_pow_dyn_dict 1.8 mW, adc_pow_leak_dict 0.2 mW (one conversion
//     per 1 ns cycle); snh_area 0.00004/8/128 mm² per column, snh_pow_dyn
//     9.7e-6 − 9.7e-7 mW; sna (shift-and-add) area 0.00006 mm², pow_dyn
//     0.05 − 0.005 mW (the neuron and the partial-sum accumulator);
//     noc_area_dict 4 ports: 0.047 mm², noc_pow_dyn_dict 4 ports:
//     16.13 mW per router.
//
// Assumptions (ours): one router per cmesh concentration of 4 tiles of 8
// IMAs with 2 matrices (64 crossbars, include/config.py cmesh_c, num_ima,
// num_matrix); a spike delivered to a crossbar costs one router cycle
// shared by the 16 neurons of a 256-bit packet (16.13/16 pJ); a partial
// sum costs a spike delivery plus a shift-and-add. PUMA's signed weights
// are not modelled as separate arrays.
func PUMASim() Constants {
	sna := 0.05 - 0.005
	spike := 16.13 / 16
	return Constants{
		Name:   "PUMA-sim",
		Source: "github.com/Aayush-Ankit/puma-simulator include/constants.py, include/config.py (default inference configuration)",
		RefK:   128, ArrayArea: 2.5e-5, ArrayEnergy: 0.3,
		RowArea: 1.67e-7, RowEnergy: 0.00350625, RowLeak: 0.000390625,
		ColumnArea: 0.00004 / 8 / 128, ColumnEnergy: 9.7e-6 - 9.7e-7,
		ADCArea: 0.0012, ADCEnergy: 1.8, ADCLeak: 0.2, ADCRefBits: 8, ADCBits: 8, ADCShare: 128, ADCLatency: 1,
		WeightBits: 16, CellBits: 2,
		NeuronArea: 0.00006, NeuronEnergy: sna,
		RouterArea: 0.047, CrossbarsPerRouter: 64, SpikeEnergy: spike,
		PartialSumArea: 0.00006, PartialSumEnergy: spike + sna,
	}
}

// MNSIM returns the constants of MNSIM 2.0's default configuration
// (github.com/thu-nics/MNSIM-2.0):
//
//   - SimConfig.ini: Xbar_Size = 128,128; Device_Area = 1.44 µm² per
//     cell; Read_Voltage = 0,0.5 V; Device_Resistance = 1.5e5,3e4 Ω;
//     Read_Latency = 3.16 ns; Device_Level = 2 (1-bit cells);
//     Xbar_Polarity = 2 (separate positive and negative crossbars),
//     Sub_Position = 0 (subtracted in the analog domain); ADC_Choice = 4;
//     DAC_Choice = 1; Group_Num = 8, ADC_Num = 16 (16 ADCs for 128 columns:
//     8 columns share an ADC);
//   - MNSIM/Hardware_Model/Device.py calculate_device_read_power: R =
//     R0·R1/(0.67·R1 + 0.33·R0) = 64,655 Ω, V = sqrt(0.9·0² + 0.1·0.5²)
//     = 0.158 V, P = V²/R = 0.387 µW, times Read_Latency 3.16 ns:
//     1.22e-3 pJ per cell read (CellEnergy);
//   - MNSIM/Hardware_Model/Crossbar.py calculate_xbar_area (method 0):
//     rows·columns·Device_Area = 128·128·1.44e-6 mm²;
//   - MNSIM/Hardware_Model/ADC.py, choice 4 (6-bit SAR, 1 GS/s): 580 µm²,
//     1.26 mW, latency (6+2)/1 GS/s = 8 ns: 10.08 pJ per conversion;
//   - MNSIM/Hardware_Model/DAC.py, choice 1 (1-bit): 0.166 µm², 0.0039 mW
//     at 1 GS/s: 0.0039 pJ per drive.
//
// Assumptions (ours): 8-bit weights (MNSIM's weight precision comes from
// the network's quantization; 8 slices of 1-bit cells); digital
// accumulation, routing and partial sums as PUMASim (MNSIM's digital
// modules are not modelled); the ADC's power is counted as dynamic only.
func MNSIM() Constants {
	R := 1.5e5 * 3e4 / (0.67*3e4 + 0.33*1.5e5)
	V2 := 0.1 * 0.5 * 0.5
	p := PUMASim()
	return Constants{
		Name:   "MNSIM-2.0",
		Source: "github.com/thu-nics/MNSIM-2.0 SimConfig.ini, MNSIM/Hardware_Model/{Device,Crossbar,ADC,DAC}.py (default configuration)",
		RefK:   128, ArrayArea: 128 * 128 * 1.44e-6, ArrayEnergy: 0,
		CellEnergy: V2 / R * 3.16e-9 * 1e12,
		RowArea:    0.166e-6, RowEnergy: 0.0039,
		ADCArea: 580e-6, ADCEnergy: 1.26 * 8, ADCRefBits: 6, ADCBits: 6, ADCShare: 8, ADCLatency: 8,
		WeightBits: 8, CellBits: 1, Signed: true,
		NeuronArea: p.NeuronArea, NeuronEnergy: p.NeuronEnergy,
		RouterArea: p.RouterArea, CrossbarsPerRouter: p.CrossbarsPerRouter, SpikeEnergy: p.SpikeEnergy,
		PartialSumArea: p.PartialSumArea, PartialSumEnergy: p.PartialSumEnergy,
	}
}

// NeuroSim returns the constants of DNN NeuroSim V1.3's default
// configuration (github.com/neurosim/DNN_NeuroSim_V1.3,
// Inference_pytorch/NeuroSIM/Param.cpp):
//
//   - numRowSubArray = numColSubArray = 128; numColMuxed = 8 (8 columns
//     share one ADC); levelOutput = 32 (5-bit ADC); cellBit = 2;
//   - RRAM 1T1R cells of heightInFeatureSize1T1R·widthInFeatureSize1T1R
//     = 4·12 F² with featuresize = 40 nm: 0.0768 µm² per cell;
//   - resistanceOn = 6 kΩ, resistanceOff = 900 kΩ, readVoltage = 0.5 V,
//     readPulseWidth = 10 ns: a cell at the mean conductance
//     (1/6e3 + 1/9e5)/2 reads 0.5²·G·10 ns = 0.21 pJ (CellEnergy);
//   - clkFreq = 1 GHz (1 ns per column conversion).
//
// Assumptions (ours): NeuroSim computes its ADC (multilevel sense
// amplifier) from circuit models, not a constant; we take MNSIM's 6-bit
// SAR ADC (580 µm², 10.08 pJ) scaled to 5 bits (×2^−1); 8-bit weights
// (the inference wrapper's default wl_weight = 8: 4 slices of 2-bit
// cells); row drivers as MNSIM's 1-bit DAC; digital accumulation, routing
// and partial sums as PUMASim.
func NeuroSim() Constants {
	m := MNSIM()
	g := (1/6e3 + 1/9e5) / 2
	return Constants{
		Name:   "NeuroSim-1.3",
		Source: "github.com/neurosim/DNN_NeuroSim_V1.3 Inference_pytorch/NeuroSIM/Param.cpp (default configuration); ADC scaled from MNSIM-2.0",
		RefK:   128, ArrayArea: 128 * 128 * 4 * 12 * 40e-9 * 40e-9 * 1e6,
		CellEnergy: 0.5 * 0.5 * g * 10e-9 * 1e12,
		RowArea:    m.RowArea, RowEnergy: m.RowEnergy,
		ADCArea: m.ADCArea, ADCEnergy: m.ADCEnergy, ADCRefBits: 6, ADCBits: 5, ADCShare: 8, ADCLatency: 1,
		WeightBits: 8, CellBits: 2,
		NeuronArea: m.NeuronArea, NeuronEnergy: m.NeuronEnergy,
		RouterArea: m.RouterArea, CrossbarsPerRouter: m.CrossbarsPerRouter, SpikeEnergy: m.SpikeEnergy,
		PartialSumArea: m.PartialSumArea, PartialSumEnergy: m.PartialSumEnergy,
	}
}

// Simulators returns the constant sets that follow published simulators:
// PUMASim, MNSIM and NeuroSim.
func Simulators() []Constants { return []Constants{PUMASim(), MNSIM(), NeuroSim()} }
