package cluster

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/fastmva/fastmva/internal/dense"
)

// BenchmarkAssignPaths times one Lloyd iteration on the fused kernel and on the GEMM tile, side
// by side (run with -count to interleave them): the measurements behind useGemmTile.
func BenchmarkAssignPaths(b *testing.B) {
	for _, s := range []struct{ n, d, k int }{{65536, 16, 64}, {65536, 32, 16}, {65536, 32, 64}, {65536, 64, 16}, {65536, 64, 64}, {65536, 128, 16}, {65536, 128, 64}, {65536, 256, 16}, {65536, 256, 64}, {16384, 1024, 64},
		{65536, 128, 3}, {65536, 128, 8}, {65536, 256, 3}, {65536, 256, 8}, {16384, 1024, 3}, {16384, 1024, 8}} {
		for _, tile := range []bool{false, true} {
			name := fmt.Sprintf("n=%d/d=%d/k=%d/gemm=%v", s.n, s.d, s.k, tile)
			b.Run("f64/"+name, func(b *testing.B) { benchPath[float64](b, s.n, s.d, s.k, tile) })
			b.Run("f32/"+name, func(b *testing.B) { benchPath[float32](b, s.n, s.d, s.k, tile) })
		}
	}
}

func benchPath[T dense.Float](b *testing.B, n, d, k int, tile bool) {
	// One thread, its own CPU time: the shared machine's other jobs and the scheduler's
	// spinning stay out of the figure (2 threads on an idle machine give about twice).
	f := newBenchLloyd(benchRows[T](n, d), k, 1)
	usePath(f.l, tile)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	t0 := threadCPU()
	for i := 0; i < b.N; i++ {
		f.iterate(b)
	}
	cpu := threadCPU() - t0
	flop := 2 * float64(n) * float64(k) * float64(d) * float64(b.N)
	b.ReportMetric(flop/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	b.ReportMetric(flop/cpu.Seconds()/1e9, "GFLOP/cpu-s")
}

// threadCPU is the CPU time of the calling thread.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAssignStreaming times one Lloyd iteration at the DRAM-bound shape (10⁶ rows
// of 1024 float32 features, 4 GB, k = 3) on 1 and 2 threads, wall clock: GB/s is X read once
// per iteration, to hold against the machine's DRAM bandwidth (the floor of a pass).
func BenchmarkAssignStreaming(b *testing.B) {
	const n, d, k = 1_000_000, 1024, 3
	m := benchRows[float32](n, d)
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("f32/n=%d/d=%d/k=%d/threads=%d", n, d, k, threads), func(b *testing.B) {
			f := newBenchLloyd(m, k, threads)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				f.iterate(b)
			}
			b.ReportMetric(float64(n)*d*4*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*1e3, "ms/iter")
		})
	}
}
