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
	v, err := meanVariance(x, threads)
	return tol * v, err
}

// meanVariance returns the mean over features of the population variance of x's columns
// (np.var(x, axis=0).mean()) in float64, reading x once. It agrees with np.var's two passes to
// rounding (within 1e-10 relatively; TestMeanVarianceMatchesTwoPasses), which is all a
// stopping threshold needs.
//
// Each block of blockRows rows is read twice while it is in cache: its column sums (the
// accumulate kernel, float64), then Σ‖x_i − c‖² to c, its mean rounded to T (the SqDistRows
// kernel, float64), from which Σ‖x_i − mean‖² follows exactly as Q − n‖mean − c‖². Blocks are
// merged into their chunk, and chunks into the whole, by Chan et al.'s pairwise update, in
// order: the same bits for any thread count.
//
// A NaN or ±Inf anywhere in x makes the result NaN or ±Inf (its column's block mean is NaN or
// ±Inf, and so is every row's term of that column, and the merges keep it so), which lets
// validateKMeans skip its own scan of a finite x. Finite values whose squares overflow float64
// give +Inf too.
func meanVariance[T dense.Float](x dense.Matrix[T], threads int) (float64, error) {
	d := x.Cols
	c := rowChunks(x.Rows)
	part := make([]moments, c.Count)
	o := opsFor[T]()
	err := parallel.Run(c, threads, func(ci, lo, hi int) error {
		st := newMoments(d)
		sums, mean := make([]float64, d), make([]float64, d)
		center := make([]T, d)
		var labels [blockRows]int32 // one cluster: the column sums, and the distances to center
		var dist [blockRows]float64
		var wsum [1]float64
		for b := lo; b < hi; b += blockRows {
			e := min(b+blockRows, hi)
			nb := float64(e - b)
			clear(sums)
			o.accumulate(x.Data[b*x.Stride:], x.Stride, e-b, d, labels[:e-b], nil, sums, wsum[:])
			var off float64
			for j, s := range sums {
				mean[j] = s / nb
				center[j] = T(mean[j])
				t := mean[j] - float64(center[j])
				off += t * t
			}
			o.sqDistRows(x.Data[b*x.Stride:], x.Stride, e-b, d, center, labels[:e-b], dist[:e-b])
			var q float64
			for _, v := range dist[:e-b] {
				q += v
			}
			st.merge(nb, mean, q-nb*off)
		}
		part[ci] = st
		return nil
	})
	if err != nil {
		return 0, err
	}
	all := newMoments(d)
	for _, p := range part {
		all.merge(p.n, p.mean, p.m2)
	}
	return all.m2 / (float64(x.Rows) * float64(d)), nil
}

// moments are the count, column means and total sum of squared deviations Σ_j Σ_i (x_ij − mean_j)²
// of a set of rows.
type moments struct {
	n    float64
	mean []float64
	m2   float64
}

func newMoments(d int) moments { return moments{mean: make([]float64, d)} }

// merge adds a set of nb rows with column means meanB and sum of squared deviations m2b: the
// deviations of the two means from the merged one add ‖δ‖²·n·nb/(n+nb) (Chan, Golub and
// LeVeque's update), δ the difference of the means.
func (a *moments) merge(nb float64, meanB []float64, m2b float64) {
	if nb == 0 {
		return
	}
	n := a.n + nb
	f := nb / n
	var dd float64
	for j, mb := range meanB {
		delta := mb - a.mean[j]
		dd += delta * delta
		a.mean[j] += delta * f
	}
	a.m2 += m2b + dd*a.n*f
	a.n = n
}
