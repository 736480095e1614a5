package kernels

import "math"

// Distances from precomputed products: the expansion ‖x‖² − 2·x·y + ‖y‖² for callers that
// computed the products x·y themselves (a packed GEMM tile), clipped at 0, with or without the
// square root. Always in float64 (scikit-learn's euclidean_distances widens float32 input), the
// result rounded once to the output type.

// DistancesF64 writes, for r < rows and j < cols, out[r·ldo + j] =
// √(max(0, xnorm[r] + (cnorm[j] − 2·prod[r·ldp + j]))) (no root unless root), computing
// cnorm[j] − 2·prod in one rounding as the values kernels do. A result ≤ 0, −0 included, is +0.
func DistancesF64(prod []float64, ldp, rows, cols int, cnorm, xnorm []float64, root bool, out []float64, ldo int) {
	distances(prod, ldp, rows, cols, cnorm, xnorm, root, out, ldo)
}

// DistancesF32 is DistancesF64 with each result rounded once to float32.
func DistancesF32(prod []float64, ldp, rows, cols int, cnorm, xnorm []float64, root bool, out []float32, ldo int) {
	distances(prod, ldp, rows, cols, cnorm, xnorm, root, out, ldo)
}

func distances[T Float](prod []float64, ldp, rows, cols int, cnorm, xnorm []float64, root bool, out []T, ldo int) {
	if rows <= 0 || cols <= 0 {
		return
	}
	if ldp < cols || ldo < cols || (rows-1)*ldp+cols > len(prod) || (rows-1)*ldo+cols > len(out) ||
		len(cnorm) < cols || len(xnorm) < rows {
		panic("kernels: distances do not fit their slices")
	}
	done := distancesSIMD(prod, ldp, rows, cols, cnorm, xnorm, root, out, ldo)
	if done < cols {
		distancesGeneric(prod[done:], ldp, rows, cols-done, cnorm[done:], xnorm, root, out[done:], ldo)
	}
}

// distancesGeneric is the reference loop of DistancesF64/F32.
func distancesGeneric[T Float](prod []float64, ldp, rows, cols int, cnorm, xnorm []float64, root bool, out []T, ldo int) {
	cnorm = cnorm[:cols]
	for r := 0; r < rows; r++ {
		src := prod[r*ldp : r*ldp+cols]
		dst := out[r*ldo : r*ldo+cols]
		xr := xnorm[r]
		for j, p := range src {
			s := xr + (cnorm[j] - 2*p)
			if !(s > 0) {
				s = 0
			}
			if root {
				s = sqrt(s)
			}
			dst[j] = T(s)
		}
	}
}

func sqrt(x float64) float64 { return math.Sqrt(x) }
