// Package monitor shows TraNNsformer runs live: it turns the progress
// reports of trannsformer/nn training (nn.Train) and of the transformation
// pipeline (trannsformer.Transform) into a progress bar and curves of a
// display.Monitor, redrawn in place.
//
// It lives below package display, which knows nothing of TraNNsformer: a
// cell makes the generic Monitor with display.NewMonitor (bound to the
// notebook by the kernel) and hands it to Training or Transform, which
// return the progress callback to pass on:
//
//	mon := display.NewMonitor("MLP")
//	hist, err := net.Train(ctx, train, cfg, monitor.Training(mon))
package monitor
