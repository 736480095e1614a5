package kernels

import "math"

// ShiftedMomentsF64 adds, for each column j of the n rows of x (row stride ldx, d columns),
// Σ_i (x_ij − c_j) to s1[j] and Σ_i (x_ij − c_j)² to s2[j], in float64 and in row order, each
// square added by one fused multiply-add: the moments of the columns about a shift c, from which
// a caller gets means and variances in one read of x without the cancellation of raw sums of
// squares (when c is near the means). The same bits on every backend.
func ShiftedMomentsF64(x []float64, ldx, n, d int, c, s1, s2 []float64) {
	shiftedMoments(x, ldx, n, d, c, s1, s2)
}

// ShiftedMomentsF32 is ShiftedMomentsF64 for float32 rows (widened exactly; sums in float64).
func ShiftedMomentsF32(x []float32, ldx, n, d int, c, s1, s2 []float64) {
	shiftedMoments(x, ldx, n, d, c, s1, s2)
}

// shiftedMoments checks the shapes (the assembly trusts them), runs the active backend's
// assembly on the whole registers of columns and the reference loop on the rest: columns are
// independent, so the split changes no bit.
func shiftedMoments[T Float](x []T, ldx, n, d int, c, s1, s2 []float64) {
	if n <= 0 || d <= 0 {
		return
	}
	_ = x[(n-1)*ldx+d-1]
	c, s1, s2 = c[:d], s1[:d], s2[:d]
	m := shiftedMomentsSIMD(x, ldx, n, d, c, s1, s2)
	shiftedMomentsGeneric(x[m:], ldx, n, d-m, c[m:], s1[m:], s2[m:])
}

// shiftedMomentsGeneric is the reference loop of ShiftedMomentsF32/F64.
func shiftedMomentsGeneric[T Float](x []T, ldx, n, d int, c, s1, s2 []float64) {
	if d <= 0 {
		return
	}
	for i := 0; i < n; i++ {
		for j, v := range x[i*ldx : i*ldx+d] {
			t := float64(v) - c[j]
			s1[j] += t
			s2[j] = math.FMA(t, t, s2[j])
		}
	}
}
