package cluster

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/fastmva/fastmva/internal/dense"
)

// BenchmarkNarrowIteration times one Lloyd iteration at 10⁶×32 against 64 centers on one locked
// thread: by CPU time (GFLOP/cpu-s, the shared machine's other load out of it) and by the
// fastest iteration's wall time. Compare with kernels' BenchmarkPackedTile (the same pass in
// cache): the difference is what reading X from DRAM costs.
func BenchmarkNarrowIteration(b *testing.B) {
	const n, d, k = 1000000, 32, 64
	b.Run("f64", func(b *testing.B) { benchNarrow[float64](b, n, d, k) })
	b.Run("f32", func(b *testing.B) { benchNarrow[float32](b, n, d, k) })
}

func benchNarrow[T dense.Float](b *testing.B, n, d, k int) {
	f := newBenchLloyd(benchRows[T](n, d), k, 1)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu, fastest := f.timedIterations(b)
	flop := 2 * float64(n*k*d)
	b.ReportMetric(flop*float64(b.N)/cpu.Seconds()/1e9, "GFLOP/cpu-s")
	b.ReportMetric(flop/fastest.Seconds()/1e9, "GFLOP/s-best")
}

// BenchmarkNarrowFewCenters times one Lloyd iteration at 10⁶×32 with few centers (the
// few-center fused pass, X streamed from DRAM: 128 MB float32, 256 MB float64) on 1 and 2
// threads, reporting the median and the fastest iteration (the machine is shared).
func BenchmarkNarrowFewCenters(b *testing.B) {
	const n, d = 1000000, 32
	for _, k := range []int{3, 8} {
		for _, threads := range []int{1, 2} {
			name := fmt.Sprintf("k=%d/threads=%d", k, threads)
			b.Run("f32/"+name, func(b *testing.B) { benchFewCenters[float32](b, n, d, k, threads) })
			b.Run("f64/"+name, func(b *testing.B) { benchFewCenters[float64](b, n, d, k, threads) })
		}
	}
}

func benchFewCenters[T dense.Float](b *testing.B, n, d, k, threads int) {
	f := newBenchLloyd(benchRows[T](n, d), k, threads)
	times := make([]float64, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := time.Now()
		f.iterate(b)
		times = append(times, time.Since(s).Seconds())
	}
	slices.Sort(times)
	b.ReportMetric(times[len(times)/2]*1e3, "ms-median")
	b.ReportMetric(times[0]*1e3, "ms-best")
}
