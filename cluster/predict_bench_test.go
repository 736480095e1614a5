package cluster

import (
	"fmt"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
)

// BenchmarkPredictLabels times PredictLabels (scikit-learn's predict: labels only, X checked) next
// to one Lloyd iteration on the same rows, so the labels-only pass can be held against the pass
// with sums that it should undercut.
func BenchmarkPredictLabels(b *testing.B) {
	for _, s := range []struct{ n, d, k int }{{1000000, 3, 3}, {1000000, 10, 8}, {1000000, 32, 8}, {1000000, 256, 3}, {1000000, 256, 8}, {250000, 1024, 3}, {65536, 256, 3}, {1000000, 32, 64}} {
		name := fmt.Sprintf("n=%d/d=%d/k=%d", s.n, s.d, s.k)
		b.Run("predict/f64/"+name, func(b *testing.B) { benchPredictLabels[float64](b, s.n, s.d, s.k) })
		b.Run("predict/f32/"+name, func(b *testing.B) { benchPredictLabels[float32](b, s.n, s.d, s.k) })
		b.Run("iteration/f64/"+name, func(b *testing.B) { benchIteration[float64](b, s.n, s.d, s.k) })
		b.Run("iteration/f32/"+name, func(b *testing.B) { benchIteration[float32](b, s.n, s.d, s.k) })
	}
}

func benchPredictLabels[T dense.Float](b *testing.B, n, d, k int) {
	x := benchRows[T](n, d)
	centers := dense.Matrix[T]{Data: append([]T(nil), x.Data[:k*d]...), Rows: k, Cols: d, Stride: d}
	labels := make([]int32, n)
	var z T
	b.SetBytes(int64(n * d * sizeOfT(z)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := PredictLabels(x, centers, nil, 0, labels); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/op")
}
