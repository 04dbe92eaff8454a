package snn

// Raster is the spike trains of one sample in a simulation, recorded when
// SimConfig.Record is set.
type Raster struct {
	Sample    int // index of the sample in the data set
	Label     int // its class
	Predicted int // the class the spiking network gave it after T timesteps
	T         int // timesteps simulated
	// Spikes[l][i] lists, in increasing order, the timesteps (0 to T-1)
	// at which neuron i of layer l fired; layer 0 is the input layer.
	Spikes [][][]int32
}

func newRaster(sizes []int, sample, label, T int) *Raster {
	r := &Raster{Sample: sample, Label: label, T: T, Spikes: make([][][]int32, len(sizes))}
	for l, n := range sizes {
		r.Spikes[l] = make([][]int32, n)
	}
	return r
}

// record appends timestep t to the trains of the neurons of row r of spk
// (spk[l] holds the spikes of layer l, one row per sample) that fired.
func (r *Raster) record(spk [][]float32, row, t int) {
	for l, trains := range r.Spikes {
		n := len(trains)
		for i, x := range spk[l][row*n : (row+1)*n] {
			if x != 0 {
				trains[i] = append(trains[i], int32(t))
			}
		}
	}
}

// recordList appends timestep t to the trains of layer l's neurons in
// fired.
func (r *Raster) recordList(l int, fired []int32, t int) {
	trains := r.Spikes[l]
	for _, i := range fired {
		trains[i] = append(trains[i], int32(t))
	}
}

// Count returns the number of spikes that layer l emitted, 0 for a layer
// outside the network.
func (r *Raster) Count(l int) int {
	if r == nil || l < 0 || l >= len(r.Spikes) {
		return 0
	}
	c := 0
	for _, ts := range r.Spikes[l] {
		c += len(ts)
	}
	return c
}
