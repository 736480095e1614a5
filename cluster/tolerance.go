package cluster

import (
	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/parallel"
)

// scaledTolerance returns tol × the mean over features of the (unweighted, population) variance
// of x, as scikit-learn's _tolerance: Lloyd stops once Σ‖Δcenter‖² falls to it.
func scaledTolerance[T dense.Float](x dense.Matrix[T], tol float64, threads int) (float64, error) {
	if tol == 0 {
		return 0, nil
	}
	d := x.Cols
	c := rowChunks(x.Rows)
	// Two passes (mean, then squared deviations) as np.var, each over fixed chunks reduced in
	// chunk order; the loops are written out because a function call per element costs more
	// than the arithmetic.
	part := make([]float64, c.Count*d)
	err := parallel.Run(c, threads, func(ci, lo, hi int) error {
		acc := part[ci*d : ci*d+d]
		for i := lo; i < hi; i++ {
			for j, v := range x.Row(i) {
				acc[j] += float64(v)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	mean := reduceChunks(part, c.Count, d)
	for j := range mean {
		mean[j] /= float64(x.Rows)
	}
	clear(part)
	err = parallel.Run(c, threads, func(ci, lo, hi int) error {
		acc := part[ci*d : ci*d+d]
		for i := lo; i < hi; i++ {
			for j, v := range x.Row(i) {
				t := float64(v) - mean[j]
				acc[j] += t * t
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	var total float64
	for _, s := range reduceChunks(part, c.Count, d) {
		total += s / float64(x.Rows)
	}
	return tol * total / float64(d), nil
}

// reduceChunks adds count rows of width d, in order.
func reduceChunks(part []float64, count, d int) []float64 {
	out := make([]float64, d)
	for ci := 0; ci < count; ci++ {
		for j, v := range part[ci*d : ci*d+d] {
			out[j] += v
		}
	}
	return out
}
