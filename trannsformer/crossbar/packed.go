package crossbar

import (
	"context"
	"fmt"
	"sort"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
)

// CompactConfig tunes Compact. The zero value packs and dissolves crossbars
// holding up to 2K synapses.
type CompactConfig struct {
	// MaxDissolve: crossbars with at most this many synapses are tried for
	// dissolving into other crossbars; 0 means 2K, negative disables it.
	MaxDissolve int
	// NoPack disables packing several pieces into one crossbar.
	NoPack bool
}

// Packed maps c with our scheme: every non-empty tile of the partition p
// becomes a piece holding only the outputs and inputs it uses, then Compact
// packs and dissolves them. Its count never exceeds the non-empty tiles of
// p, which never exceed Pruned's.
func Packed(ctx context.Context, c *cluster.Binary, p *cluster.Partition, cfg CompactConfig) (*Mapping, error) {
	r, cc := c.Dims()
	if p.Rows != r || p.Cols != cc {
		return nil, fmt.Errorf("crossbar: partition is %dx%d, layer is %dx%d", p.Rows, p.Cols, r, cc)
	}
	m, err := FromLabels(ctx, c, p.RowGroup, p.ColGroup, p.K, cfg)
	if err != nil {
		return nil, err
	}
	m.Scheme = "packed"
	return m, nil
}

// FromLabels maps c from any co-clustering (ours): the members of every row
// label and every column label, in index order, are cut into chunks of at
// most k; the synapses of each (row chunk, column chunk) pair form a piece
// with only the outputs and inputs it uses; Compact then packs and
// dissolves the pieces. Labels may come from cluster.CoCluster,
// cluster.SpectralCocluster or another tool (scikit-learn). Every synapse
// needs a non-negative row and column label.
func FromLabels(ctx context.Context, c *cluster.Binary, rowLabels, colLabels []int, k int, cfg CompactConfig) (*Mapping, error) {
	if err := checkK(k); err != nil {
		return nil, err
	}
	r, cc := c.Dims()
	if len(rowLabels) != r || len(colLabels) != cc {
		return nil, fmt.Errorf("crossbar: %d row and %d column labels for a %dx%d layer", len(rowLabels), len(colLabels), r, cc)
	}
	rowChunk := chunks(rowLabels, k)
	colChunk := chunks(colLabels, k)
	m := &Mapping{Scheme: "labels", K: k, Outputs: r, Inputs: cc}
	index := make(map[[2]int]int)
	var buf []int
	for i := 0; i < r; i++ {
		buf = c.Row(i, buf[:0])
		for _, j := range buf {
			g, h := rowChunk[i], colChunk[j]
			if g < 0 || h < 0 {
				return nil, fmt.Errorf("crossbar: synapse (%d,%d) has no label", i, j)
			}
			key := [2]int{g, h}
			t, ok := index[key]
			if !ok {
				t = len(m.Crossbars)
				index[key] = t
				m.Crossbars = append(m.Crossbars, Crossbar{Block: -1})
			}
			m.Crossbars[t].Synapses = append(m.Crossbars[t].Synapses, Synapse{i, j})
		}
	}
	for t := range m.Crossbars {
		x := &m.Crossbars[t]
		x.Outputs, x.Inputs = used(x.Synapses)
	}
	out, err := Compact(ctx, m, cfg)
	if err != nil {
		return nil, err
	}
	out.Scheme = "labels"
	return out, nil
}

// chunks numbers the k-chunks of every label's members (in index order):
// chunk ids are unique across labels; -1 stays -1.
func chunks(labels []int, k int) []int {
	count := map[int]int{}
	base := map[int]int{}
	var order []int
	for _, l := range labels {
		if l < 0 {
			continue
		}
		if _, ok := count[l]; !ok {
			order = append(order, l)
		}
		count[l]++
	}
	next := 0
	for _, l := range order {
		base[l] = next
		next += (count[l] + k - 1) / k
	}
	seen := map[int]int{}
	out := make([]int, len(labels))
	for i, l := range labels {
		if l < 0 {
			out[i] = -1
			continue
		}
		out[i] = base[l] + seen[l]/k
		seen[l]++
	}
	return out
}

// used returns the distinct outputs and inputs of the synapses, sorted.
func used(syn []Synapse) (outs, ins []int) {
	so, si := map[int]bool{}, map[int]bool{}
	for _, s := range syn {
		if !so[s[0]] {
			so[s[0]] = true
			outs = append(outs, s[0])
		}
		if !si[s[1]] {
			si[s[1]] = true
			ins = append(ins, s[1])
		}
	}
	sort.Ints(outs)
	sort.Ints(ins)
	return outs, ins
}

type bin struct {
	outs, ins     []int
	outSet, inSet []uint64
	syn           []Synapse
	block         int
	dead          bool
}

func has(set []uint64, i int) bool { return set[i/64]&(1<<(uint(i)%64)) != 0 }
func put(set []uint64, i int)      { set[i/64] |= 1 << (uint(i) % 64) }
func drop(set []uint64, i int)     { set[i/64] &^= 1 << (uint(i) % 64) }

// Compact rewrites any mapping with fewer crossbars and the same synapses
// (ours). Each crossbar with synapses becomes a piece that keeps only the
// outputs and inputs it uses (empty crossbars disappear). Pieces are packed
// first-fit decreasing: a piece joins the first crossbar whose used outputs
// and inputs, united with the piece's, stay within K each. Then crossbars
// with few synapses, smallest first, are dissolved when every one of their
// synapses fits an unused cell of another crossbar (one that already wires
// the synapse's output and input, else one with a free column or row for
// the missing one). Deterministic; stops on ctx cancellation.
func Compact(ctx context.Context, m *Mapping, cfg CompactConfig) (*Mapping, error) {
	k := m.K
	if err := checkK(k); err != nil {
		return nil, err
	}
	maxDissolve := cfg.MaxDissolve
	if maxDissolve == 0 {
		maxDissolve = 2 * k
	}
	type piece struct {
		outs, ins []int
		syn       []Synapse
		block     int
	}
	var pieces []piece
	for _, x := range m.Crossbars {
		if len(x.Synapses) == 0 {
			continue
		}
		outs, ins := used(x.Synapses)
		pieces = append(pieces, piece{outs, ins, append([]Synapse(nil), x.Synapses...), x.Block})
	}
	sort.SliceStable(pieces, func(a, b int) bool {
		sa := len(pieces[a].outs) + len(pieces[a].ins)
		sb := len(pieces[b].outs) + len(pieces[b].ins)
		if sa != sb {
			return sa > sb
		}
		return len(pieces[a].syn) > len(pieces[b].syn)
	})
	wo, wi := (m.Outputs+63)/64, (m.Inputs+63)/64
	newBin := func() *bin {
		return &bin{outSet: make([]uint64, wo), inSet: make([]uint64, wi), block: -1}
	}
	addOut := func(b *bin, o int) bool {
		if has(b.outSet, o) {
			return false
		}
		put(b.outSet, o)
		b.outs = append(b.outs, o)
		return true
	}
	addIn := func(b *bin, i int) bool {
		if has(b.inSet, i) {
			return false
		}
		put(b.inSet, i)
		b.ins = append(b.ins, i)
		return true
	}
	var bins []*bin
	for n, p := range pieces {
		if n%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		var host *bin
		if !cfg.NoPack {
			for _, b := range bins {
				if fitsIn(b.outs, b.outSet, p.outs, k) && fitsIn(b.ins, b.inSet, p.ins, k) {
					host = b
					break
				}
			}
		}
		if host == nil {
			host = newBin()
			host.block = p.block
			bins = append(bins, host)
		} else if host.block != p.block {
			host.block = -1
		}
		for _, o := range p.outs {
			addOut(host, o)
		}
		for _, i := range p.ins {
			addIn(host, i)
		}
		host.syn = append(host.syn, p.syn...)
	}

	if maxDissolve > 0 {
		order := make([]int, len(bins))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return len(bins[order[a]].syn) < len(bins[order[b]].syn) })
		type change struct {
			b       *bin
			out, in int // added output / input, -1 if none
		}
		for n, bi := range order {
			if n%16 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			src := bins[bi]
			if len(src.syn) > maxDissolve {
				break
			}
			var log []change
			ok := true
			for _, s := range src.syn {
				o, i := s[0], s[1]
				var best *bin
				bestCost := 3
				for _, b := range bins {
					if b == src || b.dead {
						continue
					}
					cost := 0
					if !has(b.outSet, o) {
						if len(b.outs) >= k {
							continue
						}
						cost++
					}
					if !has(b.inSet, i) {
						if len(b.ins) >= k {
							continue
						}
						cost++
					}
					if cost < bestCost {
						best, bestCost = b, cost
						if cost == 0 {
							break
						}
					}
				}
				if best == nil {
					ok = false
					break
				}
				ch := change{b: best, out: -1, in: -1}
				if addOut(best, o) {
					ch.out = o
				}
				if addIn(best, i) {
					ch.in = i
				}
				best.syn = append(best.syn, s)
				log = append(log, ch)
			}
			if ok {
				src.dead = true
				for _, ch := range log {
					if ch.b.block != src.block {
						ch.b.block = -1
					}
				}
				continue
			}
			for t := len(log) - 1; t >= 0; t-- {
				ch := log[t]
				b := ch.b
				b.syn = b.syn[:len(b.syn)-1]
				if ch.in >= 0 {
					drop(b.inSet, ch.in)
					b.ins = b.ins[:len(b.ins)-1]
				}
				if ch.out >= 0 {
					drop(b.outSet, ch.out)
					b.outs = b.outs[:len(b.outs)-1]
				}
			}
		}
	}

	out := &Mapping{Scheme: "compact", K: k, Outputs: m.Outputs, Inputs: m.Inputs}
	for _, b := range bins {
		if b.dead {
			continue
		}
		sort.Ints(b.outs)
		sort.Ints(b.ins)
		sort.Slice(b.syn, func(x, y int) bool {
			if b.syn[x][0] != b.syn[y][0] {
				return b.syn[x][0] < b.syn[y][0]
			}
			return b.syn[x][1] < b.syn[y][1]
		})
		out.Crossbars = append(out.Crossbars, Crossbar{Outputs: b.outs, Inputs: b.ins, Synapses: b.syn, Block: b.block})
	}
	return out, nil
}

// fitsIn reports whether |have ∪ add| ≤ k.
func fitsIn(have []int, set []uint64, add []int, k int) bool {
	n := len(have)
	if n+len(add) <= k {
		return true
	}
	for _, x := range add {
		if !has(set, x) {
			n++
			if n > k {
				return false
			}
		}
	}
	return true
}
