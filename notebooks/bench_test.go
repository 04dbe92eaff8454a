package notebooks

import (
	"encoding/base64"
	"fmt"
	"testing"
)

// benchNotebook is an executed 100-cell notebook with streams, values, a
// 64 KiB PNG per ten cells.
func benchNotebook() *Notebook {
	png := base64.StdEncoding.EncodeToString(make([]byte, 64<<10))
	var cells []string
	for i := 0; i < 100; i++ {
		cells = append(cells, fmt.Sprintf("fmt.Println(\"line %d\")\nfmt.Println(\"another line\")\n%d", i, i))
	}
	nb := newNotebook(cells...)
	nb.Normalize()
	nb.SetKernel()
	for i, c := range nb.Cells {
		n := i + 1
		c.ExecutionCount = &n
		c.Outputs = []*Output{
			{Type: Stream, Name: "stdout", Text: fmt.Sprintf("line %d\nanother line\n", i)},
			{Type: ExecuteResult, Data: map[string]any{"text/plain": fmt.Sprint(i)}, Metadata: map[string]any{}, ExecutionCount: &n},
		}
		if i%10 == 0 {
			c.Outputs = append(c.Outputs, &Output{Type: DisplayData, Data: map[string]any{"image/png": png, "text/plain": "<image>"}, Metadata: map[string]any{}})
		}
	}
	return nb
}

func BenchmarkMarshal(b *testing.B) {
	nb := benchNotebook()
	data, _ := Marshal(nb)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Marshal(nb); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	data, err := Marshal(benchNotebook())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(data, "bench.ipynb"); err != nil {
			b.Fatal(err)
		}
	}
}
