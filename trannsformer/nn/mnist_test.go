package nn

import (
	"context"
	"os"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/data"
)

// TestMNIST trains on real MNIST from the cache (fetched when missing). The
// quick form, which CI runs, trains a 784-128-10 network for 4 epochs on
// 20000 images and requires 90% on 2000 test images. With
// GOTRANN_LONG_TESTS=1 it trains the reference 784-1200-1200-10 network for
// 15 epochs on the full set and requires 98.3%, the target.
func TestMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	train, test, err := data.MNIST("")
	if err != nil {
		t.Skipf("MNIST not available: %v", err)
	}
	long := os.Getenv("GOTRANN_LONG_TESTS") == "1"
	sizes, epochs, want := []int{784, 128, 10}, 4, 0.90
	if long {
		sizes, epochs, want = []int{784, 1200, 1200, 10}, 15, 0.983
	} else {
		train, test = train.Head(20000), test.Head(2000)
	}
	m, err := New(ModelConfig{Sizes: sizes, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	hist, err := m.Train(context.Background(), train, Config{Epochs: epochs, Seed: 1}, func(p Progress) {
		if p.EpochDone {
			t.Logf("epoch %d: loss %.4f, train accuracy %.4f, %.0f samples/s", p.Epoch, p.Loss, p.Accuracy, p.SamplesPerSecond)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := m.Evaluate(test)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v after %d epochs: test accuracy %.4f", sizes, len(hist), acc)
	if acc < want {
		t.Errorf("test accuracy %.4f, want >= %.3f", acc, want)
	}
}
