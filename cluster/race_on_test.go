//go:build race

package cluster

// The race detector slows the pure-Go kernels ~20×: tests that only need size for coverage of
// the bounds shrink their problems under it (the race check needs the goroutines, not the size).
const raceShrink = 10
