//go:build !unix

package exportrt

import "time"

// cpuTimes is not measured on this system.
func cpuTimes() (user, sys time.Duration) { return 0, 0 }
