package main

// fmaLoopF64 runs n iterations of 12 independent 512-bit FMA chains (enough to cover the FMA
// latency on both pipes) and returns the floating-point operations done: 12·8·2 per iteration.
func fmaLoopF64(n int) int

// fmaLoopF32 is fmaLoopF64 on float32 lanes: 12·16·2 per iteration.
func fmaLoopF32(n int) int

// readLoop sums n float64 from p (n a multiple of 64) with nothing else in the loop: the
// plainest read stream, for the bandwidth figure.
//
//go:noescape
func readLoop(p *float64, n int) float64
