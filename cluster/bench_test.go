package cluster

import (
	"fmt"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
)

// BenchmarkLloydIteration times one Lloyd iteration (fused assignment + center update) on
// uniform data, the unit bench/kmeans compares with scikit-learn. ns/op is the time per
// iteration; MB/s counts the data read once.
func BenchmarkLloydIteration(b *testing.B) {
	for _, s := range []struct{ n, d, k int }{{65536, 3, 3}, {65536, 3, 8}, {65536, 32, 8}, {65536, 32, 64}, {65536, 256, 64}, {1000000, 32, 8}} {
		b.Run(fmt.Sprintf("f64/n=%d/d=%d/k=%d", s.n, s.d, s.k), func(b *testing.B) { benchIteration[float64](b, s.n, s.d, s.k) })
		b.Run(fmt.Sprintf("f32/n=%d/d=%d/k=%d", s.n, s.d, s.k), func(b *testing.B) { benchIteration[float32](b, s.n, s.d, s.k) })
	}
}

func benchIteration[T dense.Float](b *testing.B, n, d, k int) {
	benchIterationThreads[T](b, n, d, k, 0)
}

func benchIterationThreads[T dense.Float](b *testing.B, n, d, k, threads int) {
	f := newBenchLloyd(benchRows[T](n, d), k, threads)
	var z T
	b.SetBytes(int64(n * d * int(sizeOfT(z))))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.iterate(b)
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/iter")
}

func sizeOfT[T dense.Float](z T) int {
	if _, ok := any(z).(float32); ok {
		return 4
	}
	return 8
}

// BenchmarkWholeFit times whole fits from the same rows as init on blob data, per algorithm:
// what the bound-based variants save over Lloyd.
func BenchmarkWholeFit(b *testing.B) {
	for _, s := range []struct{ n, d, k int }{{65536, 3, 64}, {65536, 32, 64}, {65536, 256, 64}, {65536, 32, 8}} {
		x, _ := blobs(s.n, s.d, s.k, 5)
		x32 := toF32(x)
		init := rowsAsInit(x32, s.k, 1)
		for _, a := range []Algorithm{AlgoLloyd, AlgoHamerly, AlgoElkan} {
			b.Run(fmt.Sprintf("f32/n=%d/d=%d/k=%d/algo=%d", s.n, s.d, s.k, a), func(b *testing.B) {
				p := DefaultKMeansParams()
				p.K, p.Init, p.Algorithm = s.k, InitGiven, a
				iters := 0
				for i := 0; i < b.N; i++ {
					res, err := FitKMeans(x32, nil, init, p)
					if err != nil {
						b.Fatal(err)
					}
					iters = res.NIter
				}
				b.ReportMetric(float64(iters), "iters")
			})
		}
	}
}

// BenchmarkSmallIterationThreads times one Lloyd iteration of the grid's small rows on 1 and 2
// threads: where the work per iteration is a fraction of a millisecond, the cost of handing
// chunks to a second thread shows here.
func BenchmarkSmallIterationThreads(b *testing.B) {
	for _, s := range []struct{ n, d, k int }{{65536, 3, 3}, {65536, 3, 8}, {65536, 10, 3}} {
		for _, threads := range []int{1, 2} {
			name := fmt.Sprintf("n=%d/d=%d/k=%d/threads=%d", s.n, s.d, s.k, threads)
			b.Run("f32/"+name, func(b *testing.B) { benchIterationThreads[float32](b, s.n, s.d, s.k, threads) })
			b.Run("f64/"+name, func(b *testing.B) { benchIterationThreads[float64](b, s.n, s.d, s.k, threads) })
		}
	}
}
