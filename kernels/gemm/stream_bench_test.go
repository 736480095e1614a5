package gemm

import (
	"runtime"
	"testing"
)

// BenchmarkMulRowsStream times MulRows over a whole 65536-row X (larger than L2) in blocks of
// BlockRows rows against 64 packed rows: the rate of the GEMM tile of a Lloyd iteration without
// the argmin and the sums, to hold against BenchmarkMulRows (a block in cache).
func BenchmarkMulRowsStream(b *testing.B) {
	b.Run("f64/n=65536/depth=256", func(b *testing.B) { benchMulRowsStream[float64](b, 65536, 256) })
	b.Run("f32/n=65536/depth=256", func(b *testing.B) { benchMulRowsStream[float32](b, 65536, 256) })
}

func benchMulRowsStream[T Float](b *testing.B, n, depth int) {
	const k = 64
	block := BlockRows[T](depth, k)
	x := make([]T, n*depth)
	for i := range x {
		x[i] = T(i%7) * 1e-3
	}
	var p Panels[T]
	p.Pack(make([]T, k*depth), depth, k, depth)
	out := make([]T, block*k)
	scr := make([]T, MulRowsScratch[T](depth))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	t0 := threadCPU()
	for i := 0; i < b.N; i++ {
		for r := 0; r < n; r += block {
			MulRows(&p, x[r*depth:], depth, min(block, n-r), out, k, scr)
		}
	}
	cpu := threadCPU() - t0
	b.ReportMetric(float64(2*n*k*depth)*float64(b.N)/cpu.Seconds()/1e9, "GFLOP/cpu-s")
}
