package cluster

import (
	"fmt"
	"testing"
)

// BenchmarkFewCentersGridF64 times one Lloyd iteration of float64 rows with few centers and
// narrow rows on 2 threads: the benchmark grid's (d = 3, 10, 32; k = 3, 8; n = 65 536 and 10⁶)
// and d = 6, 8 (around kernels' useRowsF64), reporting the median and the fastest iteration
// (benchFewCenters).
func BenchmarkFewCentersGridF64(b *testing.B) {
	for _, n := range []int{65536, 1000000} {
		for _, d := range []int{3, 10, 32, 6, 8} {
			for _, k := range []int{3, 8} {
				b.Run(fmt.Sprintf("n=%d/d=%d/k=%d", n, d, k), func(b *testing.B) { benchFewCenters[float64](b, n, d, k, 2) })
			}
		}
	}
}
