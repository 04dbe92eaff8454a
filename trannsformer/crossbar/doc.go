// Package crossbar maps a layer's connectivity onto K x K memristive
// crossbars and checks the result.
//
// A Mapping lists every crossbar with the global outputs wired to its
// columns, the global inputs wired to its rows and the synapses it holds.
// Schemes:
//
//   - Dense: the natural K x K grid of the full layer; every tile is a
//     crossbar, ceil(in/K)·ceil(out/K) of them (MNIST 784-1200-1200-10 at
//     K = 64: 247 + 361 + 19 = 627).
//   - Pruned: rows and columns without synapses removed, the rest tiled.
//   - TraNNsformed: every cluster block gets ceil(|I|/K)·ceil(|O|/K)
//     crossbars; unclustered synapses are covered greedily by K x K windows
//     scanned row-major from the first uncovered synapse (the reference).
//   - Legacy: the authors' released counter, which hard-codes a crossbar
//     size of 4 whatever K is (LegacyK); kept only to reproduce their
//     figures.
//   - Packed (ours): the non-empty tiles of a cluster.Partition, then
//     Compact: small pieces packed together into shared crossbars (first-fit
//     decreasing on used rows and columns), and the synapses of sparse
//     crossbars moved into unused cells of other crossbars whenever all of
//     them find a place, which frees the crossbar.
//   - FromLabels (ours): the same from any co-clustering labels (for
//     example cluster.SpectralCocluster or scikit-learn's), each label's
//     members cut into chunks of K.
//   - Optimize (ours): the candidate with the fewest crossbars among
//     Pruned, Packed on cluster.CoCluster and FromLabels on
//     cluster.SpectralCocluster with several co-cluster counts.
//
// Compact also applies to any other mapping, for example TraNNsformed.
//
// # JSON schema
//
// WriteJSON writes one object (ReadJSON reads it back):
//
//	{
//	  "scheme": "packed",        // dense | pruned | trannsformed | legacy | packed | labels | compact | optimize:...
//	  "k": 64,                   // crossbar size: rows = columns = k
//	  "outputs": 1200,           // layer outputs (rows of C)
//	  "inputs": 784,             // layer inputs (columns of C)
//	  "crossbars": [
//	    {
//	      "outputs": [3, 17],    // global output indices on the crossbar's columns, in column order
//	      "inputs": [0, 5, 9],   // global input indices on the crossbar's rows, in row order
//	      "synapses": [[3, 5], [17, 0]],  // [output, input] pairs held by this crossbar
//	      "block": -1            // cluster block index (TraNNsformed), else -1
//	    }
//	  ]
//	}
//
// The physical cell of synapse [o, i] is (row position of i in "inputs",
// column position of o in "outputs"). Every surviving synapse appears in
// exactly one crossbar (Verify).
package crossbar
