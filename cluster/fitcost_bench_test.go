package cluster

import (
	"fmt"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/parallel"
)

// BenchmarkFitFixedCosts times what a whole fit does outside its iterations' assignments, on the
// bench's fit shapes: validation with the tolerance's variance (one read of X), one pass of
// relocation distances (a row's distance to its own center) and the final inertia.
func BenchmarkFitFixedCosts(b *testing.B) {
	for _, s := range []struct{ n, d, k int }{{65536, 32, 64}, {65536, 256, 64}, {1000000, 32, 8}} {
		b.Run(fmt.Sprintf("f32/n=%d/d=%d/k=%d", s.n, s.d, s.k), func(b *testing.B) { benchFixedCosts[float32](b, s.n, s.d, s.k) })
		b.Run(fmt.Sprintf("f64/n=%d/d=%d/k=%d", s.n, s.d, s.k), func(b *testing.B) { benchFixedCosts[float64](b, s.n, s.d, s.k) })
	}
}

func benchFixedCosts[T dense.Float](b *testing.B, n, d, k int) {
	x := benchRows[T](n, d)
	centers := rowsAsInit(x, k, 1)
	p := DefaultKMeansParams()
	p.K, p.Init = k, InitGiven
	l := newLloyd(x, nil, k, 0)
	if _, err := l.labelsAndInertia(centers, true); err != nil {
		b.Fatal(err)
	}
	dist := make([]float64, n)
	b.Run("validate", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := validateKMeans(x, nil, centers, p, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("relocation-distances", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = parallel.Run(l.chunks, 0, func(_, lo, hi int) error {
				l.ops.sqDistRows(x.Data[lo*d:], d, hi-lo, d, centers, l.labels[lo:hi], dist[lo:hi])
				return nil
			})
		}
	})
	b.Run("inertia", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := l.inertia(centers); err != nil {
				b.Fatal(err)
			}
		}
	})
}
