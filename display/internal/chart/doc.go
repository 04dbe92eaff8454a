// Package chart is the plot style shared by package display (the curves
// of a live Monitor) and package display/figure (the figures of the
// TraNNsformer method): the colour cycle, axis tickers, legend placement
// and line charts of named series over a shared x axis.
//
// It sits below both of them and imports nothing of this module, so that
// display draws its curves without importing display/figure (which
// imports trannsformer). Users reach it through figure.Curves and
// display.Monitor.
package chart
