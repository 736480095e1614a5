package decomp

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/lapack/gonum"

	"github.com/fastmva/fastmva/internal/fastblas"
)

func BenchmarkStages(b *testing.B) {
	fastblas.Use()
	for _, n := range []int{256, 512} {
		rng := rand.New(rand.NewPCG(3, 4))
		a := randomSym(rng, n)
		c := make([]float64, n*n)
		d, e, tau := make([]float64, n), make([]float64, n-1), make([]float64, n-1)
		var impl gonum.Implementation
		work := make([]float64, 1)
		impl.Dsytrd(blas.Lower, n, c, n, d, e, tau, work, -1)
		work = make([]float64, int(work[0]))
		copy(c, a)
		impl.Dsytrd(blas.Lower, n, c, n, d, e, tau, work, len(work))
		b.Run(fmt.Sprint("sytrd", n), func(b *testing.B) {
			c0 := cpuNow()
			for i := 0; i < b.N; i++ {
				copy(c, a)
				impl.Dsytrd(blas.Lower, n, c, n, d, e, tau, work, len(work))
			}
			reportCPU(b, c0)
		})
		w, z := make([]float64, n), make([]float64, n*n)
		for _, th := range []int{1, 2} {
			b.Run(fmt.Sprint("tridiag", n, "t", th), func(b *testing.B) {
				c0 := cpuNow()
				for i := 0; i < b.N; i++ {
					tridiagEigen(d, e, w, z, n, th)
				}
				reportCPU(b, c0)
			})
		}
		tridiagEigen(d, e, w, z, n, 0)
		v := make([]float64, n*n)
		b.Run(fmt.Sprint("applyQ", n), func(b *testing.B) {
			c0 := cpuNow()
			for i := 0; i < b.N; i++ {
				copy(v, z)
				applyQ(n-1, n, n-1, c[n:], n, tau, v[n:], n, backNB, 0)
			}
			reportCPU(b, c0)
		})
	}
}
