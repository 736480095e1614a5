package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// SqNormsF64 must give, row by row, the very bits DotF64(row, row) gives on every backend:
// the distances add the row norms to values computed elsewhere, and the results are kept
// bitwise across paths. The AVX-512 eight-row kernel (d a multiple of 8) is the case this
// guards; every d and row count around it is covered, with strides, guard values around the
// matrix and output, and magnitudes from subnormal to near overflow.
func TestSqNormsF64EqualsDot(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	scales := []float64{1, 1e-160, 1e150, 0}
	for d := 1; d <= 80; d++ {
		for _, n := range []int{1, 7, 8, 9, 16, 23} {
			for _, extra := range []int{0, 3} {
				ldx := d + extra
				for _, sc := range scales {
					g, x := matrix[float64](rng, n, d, ldx, false)
					for i := 0; i < n; i++ {
						for j := 0; j < d; j++ {
							x[i*ldx+j] *= sc * math.Exp2(float64(rng.IntN(8)))
						}
					}
					og, out := newGuarded(n, nan[float64]())
					SqNormsF64(x, ldx, n, d, out)
					for i := 0; i < n; i++ {
						row := x[i*ldx : i*ldx+d]
						if want := DotF64(row, row); math.Float64bits(out[i]) != math.Float64bits(want) {
							t.Fatalf("d=%d n=%d ldx=%d scale=%g row %d: %v, dot gives %v", d, n, ldx, sc, i, out[i], want)
						}
					}
					g.check(t, "x")
					og.check(t, "out")
				}
			}
		}
	}
}
