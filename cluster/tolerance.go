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
	mean, err := columnSums(x, threads, func(v, _ float64) float64 { return v }, nil)
	if err != nil {
		return 0, err
	}
	for j := range mean {
		mean[j] /= float64(x.Rows)
	}
	sq, err := columnSums(x, threads, func(v, m float64) float64 { t := v - m; return t * t }, mean)
	if err != nil {
		return 0, err
	}
	var total float64
	for _, s := range sq {
		total += s / float64(x.Rows)
	}
	return tol * total / float64(d), nil
}

// columnSums returns Σ_i f(x_ij, ref_j) per column, reduced in chunk order.
func columnSums[T dense.Float](x dense.Matrix[T], threads int, f func(v, ref float64) float64, ref []float64) ([]float64, error) {
	d := x.Cols
	c := rowChunks(x.Rows)
	part := make([]float64, c.Count*d)
	if ref == nil {
		ref = make([]float64, d)
	}
	err := parallel.Run(c, threads, func(ci, lo, hi int) error {
		acc := part[ci*d : ci*d+d]
		for i := lo; i < hi; i++ {
			for j, v := range x.Row(i) {
				acc[j] += f(float64(v), ref[j])
			}
		}
		return nil
	})
	out := make([]float64, d)
	for ci := 0; ci < c.Count; ci++ {
		for j, v := range part[ci*d : ci*d+d] {
			out[j] += v
		}
	}
	return out, err
}
