package nn

import (
	"fmt"
	"math"
)

// SetDropout sets the dropout rate of the hidden layers from the next
// batch on (0 ≤ p < 1; 0 means none). Training code that changes a
// network's size while it trains (pruning) uses it to keep the rate in
// step with the network's capacity; see ScaledDropout.
func (t *Trainer) SetDropout(p float64) error {
	if !(p >= 0 && p < 1) {
		return fmt.Errorf("nn: dropout %v is not in [0, 1)", p)
	}
	t.cfg.Dropout = p
	return nil
}

// ScaledDropout is the dropout rate of a network with connections weights
// left, retrained with the rate base that suits the reference network of
// reference connections: base·sqrt(connections/reference) (Han, Pool, Tran
// and Dally, "Learning both Weights and Connections for Efficient Neural
// Networks", NIPS 2015, section 3.3: a pruned network has less capacity
// and needs less dropout). It is base itself when connections ≥ reference.
func ScaledDropout(base float64, connections, reference int) float64 {
	if reference <= 0 || connections >= reference {
		return base
	}
	return base * math.Sqrt(float64(max(connections, 0))/float64(reference))
}

// Connections returns the number of weights of m that are not zero, over
// every layer.
func (m *MLP) Connections() int {
	n := 0
	for l := range m.W {
		n += m.NonZero(l)
	}
	return n
}
