package cluster

import (
	"fmt"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
)

// BenchmarkGemmIterationThreads times whole Lloyd iterations (assignment, reduction, update) on the
// path newLloyd chooses, on 1 and 2 threads, in wall time: the figure bench/kmeans reports per
// iteration, and the 2-vs-1-thread speed-up of issue 4. Interleave the runs (-count) on a
// shared machine, and compare medians. The last shape is bench/kmeans's third row of 2-thread
// speed-up (on the GEMM tile too since useGemmTile takes d = 32 at k = 64), with the same
// chunk fold.
func BenchmarkGemmIterationThreads(b *testing.B) {
	for _, s := range []struct{ n, d, k int }{{65536, 256, 64}, {16384, 1024, 64}, {1000000, 32, 64}} {
		for _, threads := range []int{1, 2} {
			name := fmt.Sprintf("n=%d/d=%d/k=%d/threads=%d", s.n, s.d, s.k, threads)
			b.Run("f64/"+name, func(b *testing.B) { benchOnThreads[float64](b, s.n, s.d, s.k, threads) })
			b.Run("f32/"+name, func(b *testing.B) { benchOnThreads[float32](b, s.n, s.d, s.k, threads) })
		}
	}
}

func benchOnThreads[T dense.Float](b *testing.B, n, d, k, threads int) {
	f := newBenchLloyd(benchRows[T](n, d), k, threads)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.iterate(b)
	}
	flop := 2 * float64(n) * float64(k) * float64(d) * float64(b.N)
	b.ReportMetric(flop/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
