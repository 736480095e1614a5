package kernels

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// BenchmarkNarrowF32 times the few-center fused pass on float32 rows of the narrow grid
// (d = 3, 10, 32; k = 3, 8) over one chunk of 8192 rows that stays in cache, unit weights and
// weighted, rows normal or uniform in [0, 1) (the cluster benchmarks' rows; the first k rows as
// centers, so how evenly the rows fall to the centers differs): the per-row cost of the kernels
// themselves (ns/row), without DRAM or threads.
func BenchmarkNarrowF32(b *testing.B) {
	b.Run("normal", func(b *testing.B) { benchNarrowF32(b, false) })
	b.Run("uniform", func(b *testing.B) { benchNarrowF32(b, true) })
}

func benchNarrowF32(b *testing.B, uniform bool) {
	const n = 8192
	for _, d := range []int{3, 10, 32} {
		x := streamRows[float32](n, d)
		if uniform {
			rng := rand.New(rand.NewPCG(1, 2))
			for i := range x {
				x[i] = float32(rng.Float64())
			}
		}
		w := make([]float32, n)
		for i := range w {
			w[i] = 0.5 + float32(i%7)/8
		}
		for _, k := range []int{3, 8} {
			c := slices.Clone(x[:k*d])
			cnorm := make([]float32, k)
			sqNormsGeneric(c, d, k, d, cnorm)
			for _, weighted := range []bool{false, true} {
				var wi []float32
				tag := "unit"
				if weighted {
					wi, tag = w, "weighted"
				}
				b.Run(fmt.Sprintf("d=%d/k=%d/%s", d, k, tag), func(b *testing.B) {
					labels, sums, wsum := make([]int32, n), make([]float64, k*d), make([]float64, k)
					for i := 0; i < b.N; i++ {
						LloydF32(x, d, n, d, c, k, cnorm, wi, labels, sums, wsum)
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/row")
				})
			}
		}
	}
}
