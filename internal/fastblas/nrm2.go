package fastblas

import "math"

// Dnrm2 returns the Euclidean norm of x. The plain sum of squares is exact enough (relative
// error ≤ n·eps) whenever it neither overflows nor loses the smallest terms to underflow; only
// then is gonum's scaled loop, which divides by the running scale at every element, needed.
// Dlarfg calls it once per column of the tridiagonal reduction, on a strided column.
func (f Float64) Dnrm2(n int, x []float64, incX int) float64 {
	if n < 2 || incX <= 0 || len(x) < (n-1)*incX+1 {
		return f.Implementation.Dnrm2(n, x, incX)
	}
	var s float64
	for i := 0; i < n; i++ {
		v := x[i*incX]
		s += v * v
	}
	// Safe range: no term overflowed and none that matters underflowed (each square < s/n
	// below 2^-960 would lose relative accuracy).
	if s < 0x1p-900 || s > 0x1p900 || math.IsNaN(s) {
		return f.Implementation.Dnrm2(n, x, incX)
	}
	return math.Sqrt(s)
}
