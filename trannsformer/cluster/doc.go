// Package cluster finds crossbar-sized structure in the binary connectivity
// of a neural-network layer.
//
// A layer's connectivity C is a Binary matrix with one row per output neuron
// and one column per input neuron; a set bit is a synapse. Two algorithms
// are provided:
//
//   - Reference is the TraNNsformer clustering of the authors' MATLAB
//     release (spectral clustering of the input/output bipartite graph,
//     quality-gated blocks, peeling, recursive splitting of blocks that do
//     not fit a crossbar), with the index bookkeeping done correctly.
//     Its Divisive and Replicates options (ours) make it more robust.
//   - CoCluster (ours) optimises what the hardware pays for: it partitions
//     the non-empty rows and columns into groups of at most K so that the
//     number of non-empty K x K tiles is small (recursive spectral
//     co-clustering bisection, then swap-based local refinement). The
//     crossbar package turns a Partition into a packed mapping.
//   - SpectralCocluster is Dhillon's co-clustering, the algorithm of
//     scikit-learn's SpectralCoclustering, returning Labels of any size
//     (crossbar.FromLabels maps them; crossbar.Optimize tries both).
//
// CountGridTiles counts the K x K tiles a permuted matrix needs, whatever
// produced the permutation (OrderByLabels turns labels into one).
//
// Measured limits of the reference algorithm (see TestReferencePlanted):
// it recovers planted blocks fully when a round's Groups eigenvectors
// separate them (recall 1.0, precision ≥ 0.99 on 20 blocks of 40x50 with
// 1% noise for some seeds), but a round that accepts nothing ends the
// clustering, so with more similar blocks than Groups, or with sparse noise
// rows (whose near-disconnected pieces carry the eigenvalues nearest 0), it
// can stop early (recall 0.0–0.5 in the logged cases).
//
// # Spectral embedding
//
// The reference builds S = [[0, Cᵀ], [C, 0]] over the n = in + out nodes
// with non-zero degree, the random-walk Laplacian L = D⁻¹(D − S) and takes
// the eigenvectors of the Groups eigenvalues nearest 0. We never form L for
// large graphs. With D_r, D_c the output and input degrees and the
// normalised biadjacency B = D_r^-1/2 C D_c^-1/2 (out x in),
//
//	D^-1/2 S D^-1/2 = N = [[0, Bᵀ], [B, 0]],
//	L_sym = I − N,  L = D^-1/2 L_sym D^1/2.
//
// If B = Σ σ_i u_i v_iᵀ, then N [v; ±u] = ±σ [v; ±u], so L_sym has the
// eigenvalues 1 ∓ σ_i (plus 1 for the null space of B on the larger side),
// and L has the same eigenvalues with eigenvectors x = D^-1/2 y. All
// eigenvalues of L lie in [0, 2]; the ones nearest 0 are 1 − σ_1 ≤ 1 − σ_2
// ≤ ..., i.e. the largest singular values, with eigenvectors
//
//	x_i = [D_c^-1/2 v_i ; D_r^-1/2 u_i]   (inputs first, as in the reference)
//
// normalised to unit length (MATLAB's eigs returns unit vectors). We compute
// the leading eigenpairs of BᵀB (or BBᵀ, whichever side is smaller) by a
// block Krylov method with full reorthogonalisation and Rayleigh–Ritz on the
// sparse C, and recover the other side as u = Bv/σ. Small graphs (at most
// Config.DenseLimit nodes, or fewer nodes on one side than Groups) use a
// dense symmetric eigendecomposition of L_sym, which is exact in every
// degenerate case (rank-deficient B, disconnected graphs).
//
// Everything is deterministic for a given seed, and long loops check their
// context.
package cluster
