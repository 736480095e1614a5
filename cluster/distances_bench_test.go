package cluster

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
)

// BenchmarkDistances times the user distances on bench/kmeans's shape (scaled down: 10⁵×32
// against 64 rows) on one thread, by that thread's CPU time (the machine is shared).
func BenchmarkDistances(b *testing.B) {
	const n, m, d = 100000, 64, 32
	rng := rand.New(rand.NewPCG(7, 8))
	x := randMatrix(rng, n, d, d, 0)
	y := randMatrix(rng, m, d, d, 0)
	x32, y32 := toF32(x), toF32(y)
	out := make([]float64, n*m)
	out32 := make([]float32, n*m)
	arg, dist := make([]int64, n), make([]float64, n)
	for _, c := range []struct {
		name string
		fn   func() error
	}{
		{"euclidean/f64", func() error { return EuclideanDistances(x, y, false, false, 1, out) }},
		{"euclidean/f64/squared", func() error { return EuclideanDistances(x, y, true, false, 1, out) }},
		{"euclidean/f32", func() error { return EuclideanDistances(x32, y32, false, false, 1, out32) }},
		{"argmin/f64", func() error { return ArgminMin(x, y, 1, arg, dist) }},
		{"argmin/f32", func() error { return ArgminMin(x32, y32, 1, arg, dist) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			t0 := threadCPU()
			for i := 0; i < b.N; i++ {
				if err := c.fn(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((threadCPU()-t0).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
		})
	}
	_ = dense.Matrix[float64]{}
}
