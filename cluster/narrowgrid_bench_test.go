package cluster

import (
	"fmt"
	"testing"
)

// BenchmarkNarrowGridF32 times one float32 Lloyd iteration on two threads over the narrow grid
// rows with few centers (n = 65 536 and 10⁶; d = 3, 10, 32; k = 3, 8), the rows the
// few-center kernels serve.
func BenchmarkNarrowGridF32(b *testing.B) {
	for _, n := range []int{65536, 1000000} {
		for _, d := range []int{3, 10, 32} {
			for _, k := range []int{3, 8} {
				b.Run(fmt.Sprintf("n=%d/d=%d/k=%d", n, d, k), func(b *testing.B) { benchIterationThreads[float32](b, n, d, k, 2) })
			}
		}
	}
}
