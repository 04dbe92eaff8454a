package nb

import "context"

// Context returns the context of the running cell. It is cancelled when the
// user interrupts the kernel; pass it to long compiled calls (training,
// clustering, sweeps) so that an interrupt stops them:
//
//	net.Train(nb.Context(), data, cfg)
//
// Outside a session it returns context.Background().
func Context() context.Context { return context.Background() }
