package cluster

import (
	"fmt"
	"testing"
)

// BenchmarkNarrowGridF32 times one float32 Lloyd iteration on two threads over the narrow grid
// rows with few centers (n = 65 536 and 10⁶; d = 3, 10, 32; k = 3, 8), the rows the
// few-center kernels serve: wall time (ms/iter) and, for a machine shared with other load, the
// process's CPU time over both threads (cpu-ms/iter).
func BenchmarkNarrowGridF32(b *testing.B) {
	for _, n := range []int{65536, 1000000} {
		for _, d := range []int{3, 10, 32} {
			for _, k := range []int{3, 8} {
				b.Run(fmt.Sprintf("n=%d/d=%d/k=%d", n, d, k), func(b *testing.B) {
					f := newBenchLloyd(benchRows[float32](n, d), k, 2)
					b.ResetTimer()
					before := cpuTime()
					for i := 0; i < b.N; i++ {
						f.iterate(b)
					}
					cpu := cpuTime() - before
					b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/iter")
					b.ReportMetric(cpu.Seconds()*1e3/float64(b.N), "cpu-ms/iter")
				})
			}
		}
	}
}
