package cluster

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/fastmva/fastmva/internal/dense"
)

// The iteration benchmarks share one set-up: n uniform rows in [0, 1) of width d from a fixed
// seed, and the first k rows as the centers.

// benchRows is n×d uniform rows from the benchmarks' fixed seed.
func benchRows[T dense.Float](n, d int) dense.Matrix[T] {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]T, n*d)
	for i := range x {
		x[i] = T(rng.Float64())
	}
	return dense.Matrix[T]{Data: x, Rows: n, Cols: d, Stride: d}
}

// benchLloyd is a Lloyd fit ready to iterate: its assigner on m and the first k rows as centers.
type benchLloyd[T dense.Float] struct {
	l             *lloyd[T]
	centers, next []T
}

func newBenchLloyd[T dense.Float](m dense.Matrix[T], k, threads int) *benchLloyd[T] {
	centers := make([]T, k*m.Cols)
	copy(centers, m.Data)
	return &benchLloyd[T]{l: newLloyd(m, nil, k, threads), centers: centers, next: make([]T, k*m.Cols)}
}

// iterate runs one Lloyd iteration: the fused assignment with the sums, then the center update.
func (f *benchLloyd[T]) iterate(b *testing.B) {
	if err := f.l.assign(f.centers); err != nil {
		b.Fatal(err)
	}
	f.l.updateCenters(f.centers, f.next)
	f.centers, f.next = f.next, f.centers
}

// timedIterations resets b's timer and runs b.N iterations: the calling thread's CPU time over
// them and the fastest iteration's wall time.
func (f *benchLloyd[T]) timedIterations(b *testing.B) (cpu, fastest time.Duration) {
	b.ResetTimer()
	t0 := threadCPU()
	fastest = time.Duration(1 << 62)
	for i := 0; i < b.N; i++ {
		s := time.Now()
		f.iterate(b)
		fastest = min(fastest, time.Since(s))
	}
	return threadCPU() - t0, fastest
}
