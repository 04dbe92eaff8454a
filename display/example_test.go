package display_test

import (
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/trannsformer/gotrann/display"
)

// printSink prints what a Display sends it, as a notebook front end would
// receive it.
type printSink struct{}

func (printSink) Display(b display.Bundle, id string) {
	fmt.Printf("display %s: %v %q\n", id, mimes(b), b.Data["text/plain"])
}

func (printSink) Update(b display.Bundle, id string) {
	fmt.Printf("update %s: %v %q\n", id, mimes(b), b.Data["text/plain"])
}

func (printSink) Clear(wait bool) { fmt.Printf("clear wait=%v\n", wait) }

func mimes(b display.Bundle) []string {
	var ks []string
	for k := range b.Data {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func ExampleDisplay_Show() {
	d := display.NewWithOptions(printSink{}, display.Options{Seed: 1})
	h := d.Show(display.Markdown("**training…**"))
	h.Update(display.HTML("<b>done</b>"))
	d.ClearWait()
	// Output:
	// display gotrann-8707a01d-1: [text/markdown text/plain] "**training…**"
	// update gotrann-8707a01d-1: [text/html text/plain] "done"
	// clear wait=true
}

// Quality is a user type: its Markdown method makes it displayable.
type Quality struct{ Q float64 }

func (q Quality) Markdown() string { return fmt.Sprintf("cluster quality **%.2f**", q.Q) }

func ExampleRender() {
	b := display.Render(Quality{Q: 0.7})
	fmt.Println(b.Data["text/markdown"])
	fmt.Println(display.Render(map[string]int{"dense": 627, "ours": 311}).Data["text/plain"])
	// Output:
	// cluster quality **0.70**
	// key    value
	// ---    -----
	// dense  627
	// ours   311
}

func ExampleTable() {
	type layer struct {
		Layer       string
		Crossbars   int
		Utilization float64
	}
	b := display.Table([]layer{{"784→1200", 247, 0.1834}, {"1200→10", 19, 0.5}})
	fmt.Println(b.Data["text/plain"])
	fmt.Println(b.Data["text/html"])
	// Output:
	// Layer     Crossbars  Utilization
	// -----     ---------  -----------
	// 784→1200  247        0.1834
	// 1200→10   19         0.5
	// <table>
	// <thead><tr><th>Layer</th><th>Crossbars</th><th>Utilization</th></tr></thead>
	// <tbody>
	// <tr><td>784→1200</td><td>247</td><td>0.1834</td></tr>
	// <tr><td>1200→10</td><td>19</td><td>0.5</td></tr>
	// </tbody>
	// </table>
}

func ExampleDisplay_Progress() {
	// A fake clock, advanced by hand: one step every half second.
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return t }
	// A TerminalSink writing to a file (not a terminal) prints plain lines.
	d := display.NewWithOptions(display.NewTerminalSink(os.Stdout), display.Options{Now: now, Seed: 1})
	bar := d.Progress(40)
	bar.SetLabel("epoch 1/1")
	for i := 0; i < 40; i++ {
		t = t.Add(500 * time.Millisecond)
		bar.Add(1)
	}
	bar.Done()
	// Output:
	//   0% |------------------------------| 0/40 [0s]
	// epoch 1/1  25% |#######-----------------------| 10/40 [5s<15s, 2/s]
	// epoch 1/1  50% |###############---------------| 20/40 [10s<10s, 2/s]
	// epoch 1/1  75% |######################--------| 30/40 [15s<5s, 2/s]
	// epoch 1/1 100% |##############################| 40/40
}

func ExampleMonitor_Record() {
	d := display.NewWithOptions(printSink{}, display.Options{Seed: 1})
	m := d.NewMonitor("transform")
	m.Track("loss", "loss")
	m.Track("unclustered", display.FractionPanel)
	m.Record(1, map[string]float64{"loss": 0.41, "unclustered": 0.3})
	m.Record(2, map[string]float64{"loss": 0.35, "unclustered": 0.12})
	// Output:
	// display gotrann-8707a01d-1: [image/png text/plain] "transform: epoch 1  loss 0.41  unclustered 30.00%"
	// update gotrann-8707a01d-1: [image/png text/plain] "transform: epoch 2  loss 0.35  unclustered 12.00%"
}
