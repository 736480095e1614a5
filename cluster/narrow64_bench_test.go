package cluster

import (
	"fmt"
	"testing"
)

// BenchmarkFewCentersGridF64 times one Lloyd iteration of the benchmark grid's float64 rows
// with few centers and narrow rows (d = 3, 10, 32; k = 3, 8; n = 65 536 and 10⁶) on 2 threads,
// reporting the median and the fastest iteration (benchFewCenters).
func BenchmarkFewCentersGridF64(b *testing.B) {
	for _, n := range []int{65536, 1000000} {
		for _, d := range []int{3, 10, 32, 6, 8} {
			for _, k := range []int{3, 8} {
				b.Run(fmt.Sprintf("n=%d/d=%d/k=%d", n, d, k), func(b *testing.B) { benchFewCenters[float64](b, n, d, k, 2) })
			}
		}
	}
}
