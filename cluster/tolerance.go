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
	mean, err := columnSums(x, threads, nil)
	if err != nil {
		return 0, err
	}
	for j := range mean {
		mean[j] /= float64(x.Rows)
	}
	sq, err := columnSums(x, threads, mean)
	if err != nil {
		return 0, err
	}
	var total float64
	for _, s := range sq {
		total += s / float64(x.Rows)
	}
	return tol * total / float64(d), nil
}

// columnSums returns Σ_i x_ij per column (ref nil) or Σ_i (x_ij − ref_j)², reduced in chunk
// order. The two loops are written out: a function value called per element cost more than the
// Lloyd iterations of a typical fit.
func columnSums[T dense.Float](x dense.Matrix[T], threads int, ref []float64) ([]float64, error) {
	d := x.Cols
	c := rowChunks(x.Rows)
	part := make([]float64, c.Count*d)
	err := parallel.Run(c, threads, func(ci, lo, hi int) error {
		acc := part[ci*d : ci*d+d]
		for i := lo; i < hi; i++ {
			row := x.Row(i)
			if ref == nil {
				for j, v := range row {
					acc[j] += float64(v)
				}
				continue
			}
			for j, v := range row {
				t := float64(v) - ref[j]
				acc[j] += t * t
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
