package cluster

import (
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
)

// BenchmarkWideIteration times one Lloyd iteration of the grid's wide few-center rows (the
// streaming pass, d > 64, k ≤ 8) on 1 thread (locked; cpu-ms/iter is its CPU time, the shared
// machine's other jobs out of it) and on 2 (wall: ms/iter and the fastest iteration). GB/s-best
// is X read once in the fastest iteration, to hold against DRAM bandwidth (the pass's floor).
// The 10⁶-row shapes (2–4 GB of X) run only with FASTMVA_BENCH_WIDE_BIG=1.
func BenchmarkWideIteration(b *testing.B) {
	shapes := []struct{ n, d int }{{65536, 256}, {65536, 1024}}
	if os.Getenv("FASTMVA_BENCH_WIDE_BIG") == "1" {
		shapes = append(shapes, struct{ n, d int }{1000000, 256})
	}
	for _, s := range shapes {
		for _, k := range []int{3, 8} {
			for _, threads := range []int{1, 2} {
				name := fmt.Sprintf("n=%d/d=%d/k=%d/threads=%d", s.n, s.d, k, threads)
				b.Run("f64/"+name, func(b *testing.B) { benchWideIter[float64](b, s.n, s.d, k, threads) })
				b.Run("f32/"+name, func(b *testing.B) { benchWideIter[float32](b, s.n, s.d, k, threads) })
			}
		}
	}
}

func benchWideIter[T dense.Float](b *testing.B, n, d, k, threads int) {
	f := newBenchLloyd(benchRows[T](n, d), k, threads)
	f.iterate(b) // the pools and the pass's scratch made before the clock
	if threads == 1 {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}
	cpu, fastest := f.timedIterations(b)
	if threads == 1 {
		b.ReportMetric(cpu.Seconds()*1e3/float64(b.N), "cpu-ms/iter")
	}
	var z T
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/iter")
	b.ReportMetric(fastest.Seconds()*1e3, "ms-best")
	b.ReportMetric(float64(n*d*sizeOfT(z))/fastest.Seconds()/1e9, "GB/s-best")
}
