package gemm

import "sync"

// job runs one product on several goroutines. Jobs are pooled together with
// their goroutine bodies (the closures in run), so that a steady stream of
// Sgemm calls allocates nothing: a go statement calling a func value that
// takes no arguments needs no new closure.
type job struct {
	p   product
	wg  sync.WaitGroup
	run []func()
}

var jobs = sync.Pool{New: func() any { return new(job) }}

// runParallel computes p on p.pm*p.pn goroutines, the calling one included,
// and returns when all are done. No goroutine outlives the call. p is
// copied into the pooled job, so that it does not escape to the heap.
func runParallel(p product) {
	j := jobs.Get().(*job)
	parts := p.pm * p.pn
	for w := len(j.run); w < parts; w++ {
		w := w
		j.run = append(j.run, func() {
			defer j.wg.Done()
			j.part(w)
		})
	}
	j.p = p
	j.wg.Add(parts - 1)
	for w := 1; w < parts; w++ {
		go j.run[w]()
	}
	j.part(0)
	j.wg.Wait()
	j.p = product{} // drop the references to the caller's matrices
	jobs.Put(j)
}

// part computes goroutine w's block of C with a workspace of its own.
func (j *job) part(w int) {
	i0, i1, j0, j1 := j.p.part(w)
	if i0 == i1 || j0 == j1 {
		return
	}
	ws := getWorkspace()
	ws.multiply(&j.p, i0, i1, j0, j1)
	workspaces.Put(ws)
}
