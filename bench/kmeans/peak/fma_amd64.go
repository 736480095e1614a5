package main

import "github.com/klauspost/cpuid/v2"

// The probe loops of the widest vectors this CPU has: the peak is the machine's, whichever
// backend the library was told to use (an AVX2 run on an AVX-512 machine is judged against the
// AVX-512 peak). Calling a 512-bit loop on a CPU without AVX-512 kills the process.
var (
	// fmaLoopF64 runs n iterations of 12 independent vector FMA chains (enough to cover the FMA
	// latency on both pipes) and returns the floating-point operations done.
	fmaLoopF64 = fmaLoopF64AVX2
	// fmaLoopF32 is fmaLoopF64 on float32 lanes.
	fmaLoopF32 = fmaLoopF32AVX2
	// readLoop sums n float64 from p (n a multiple of 64) with nothing else in the loop: the
	// plainest read stream, for the bandwidth figure.
	readLoop = readLoopAVX2
	// vectorBits names the loops chosen, for the probe's output.
	vectorBits = 256
)

func init() {
	if cpuid.CPU.Supports(cpuid.AVX512F) {
		fmaLoopF64, fmaLoopF32, readLoop, vectorBits = fmaLoopF64AVX512, fmaLoopF32AVX512, readLoopAVX512, 512
	}
}

// 512-bit loops (fma_amd64.s): 12 zmm chains, 12·8·2 (float64) or 12·16·2 (float32) flops an
// iteration; the read loop has eight zmm accumulators.
func fmaLoopF64AVX512(n int) int
func fmaLoopF32AVX512(n int) int

//go:noescape
func readLoopAVX512(p *float64, n int) float64

// 256-bit loops (fma_avx2_amd64.s): the same with ymm registers, half the flops an iteration.
func fmaLoopF64AVX2(n int) int
func fmaLoopF32AVX2(n int) int

//go:noescape
func readLoopAVX2(p *float64, n int) float64
