package gemm

import (
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkMulRowsStream times MulRows over a whole 65536-row X (larger than L2) in blocks of
// the given rows against 64 packed rows: the rate of the GEMM tile of a Lloyd iteration without
// the argmin and the sums, to hold against BenchmarkMulRows (the same block in cache).
func BenchmarkMulRowsStream(b *testing.B) {
	for _, s := range []struct{ n, depth, block int }{{65536, 256, 36}, {65536, 256, 96}} {
		b.Run(fmt.Sprintf("f64/n=%d/depth=%d/block=%d", s.n, s.depth, s.block), func(b *testing.B) {
			const k = 64
			x := make([]float64, s.n*s.depth)
			for i := range x {
				x[i] = float64(i%7) * 1e-3
			}
			c := make([]float64, k*s.depth)
			var p Panels[float64]
			p.Pack(c, s.depth, k, s.depth)
			out := make([]float64, s.block*k)
			scr := make([]float64, MulRowsScratch[float64](s.depth))
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			t0 := threadCPU()
			for i := 0; i < b.N; i++ {
				for r := 0; r < s.n; r += s.block {
					MulRows(&p, x[r*s.depth:], s.depth, min(s.block, s.n-r), out, k, scr)
				}
			}
			cpu := threadCPU() - t0
			flop := float64(2*s.n*k*s.depth) * float64(b.N)
			b.ReportMetric(flop/cpu.Seconds()/1e9, "GFLOP/cpu-s")
		})
	}
}
