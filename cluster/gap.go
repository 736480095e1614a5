package cluster

import (
	"math"
	"math/rand/v2"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/parallel"
)

// GapReference is the null distribution the gap statistic compares the data with.
type GapReference int

const (
	// GapLine is HyperSpy's reference: one fixed data set whose column f is
	// linspace(min_f, max_f, n), i.e. n evenly spaced points on the diagonal of the data's
	// bounding box, clustered n_ref times from different random starts. The spread of ln W
	// over the references then only measures k-means' sensitivity to its start.
	GapLine GapReference = iota
	// GapUniform is Tibshirani, Walther & Hastie's reference: n_ref data sets drawn uniformly
	// in the bounding box of the data.
	GapUniform
)

func (g GapReference) valid() bool { return g == GapLine || g == GapUniform }

// bounds returns the per-column minimum and maximum of x.
func bounds[T dense.Float](x dense.Matrix[T], threads int) (lo, hi []float64, err error) {
	ext, err := columnReduce(x, threads, 2, initMinMax, minMaxOf[T], combineMinMax)
	if err != nil {
		return nil, nil, err
	}
	return ext[:x.Cols], ext[x.Cols:], nil
}

// lineReference returns HyperSpy's reference as a single column. Its points
// lo + t_i·(hi − lo), t_i = i/(n−1), are all on one line, so ‖x_i − x_j‖ = |t_i − t_j|·‖hi − lo‖:
// k-means sees the same geometry in the column u_i = t_i·‖hi − lo‖ as in the n×d matrix (in
// exact arithmetic the same draws, assignments and W), for 8n bytes instead of n·d elements.
// The caller divides k-means' relative tol by d, since scikit-learn scales tol by the mean
// per-feature variance, which is d times smaller in d dimensions than in this one.
func lineReference(lo, hi []float64, n int) dense.Matrix[float64] {
	var l2 float64
	for j := range lo {
		l2 += (hi[j] - lo[j]) * (hi[j] - lo[j])
	}
	length := math.Sqrt(l2)
	u := make([]float64, n)
	for i := range u {
		if n > 1 {
			u[i] = length * float64(i) / float64(n-1)
		}
	}
	return dense.Matrix[float64]{Data: u, Rows: n, Cols: 1, Stride: 1}
}

// uniformReference fills buf (n×d, contiguous) with points drawn uniformly in the box
// [lo, hi]. Each row chunk has its own generator seeded from (seed, chunk), so the draw does
// not depend on the thread count.
func uniformReference[T dense.Float](lo, hi []float64, n int, seed uint64, buf []T, threads int) (dense.Matrix[T], error) {
	d := len(lo)
	m := dense.Matrix[T]{Data: buf[:n*d], Rows: n, Cols: d, Stride: d}
	c := rowChunks(n)
	err := parallel.Run(c, threads, func(ci, a, b int) error {
		rng := rand.New(rand.NewPCG(seed, uint64(ci)))
		for i := a; i < b; i++ {
			row := m.Row(i)
			for j := range row {
				row[j] = T(lo[j] + rng.Float64()*(hi[j]-lo[j]))
			}
		}
		return nil
	})
	return m, err
}

// gapChoiceHyperSpy is HyperSpy's rule: the first k ≥ 2 with gap(k) ≥ gap(k+1) − s(k+1),
// k = 2 when there is none. It never picks k = 1 nor the last k. (With the line reference,
// ln W_ref falls by 2·ln((k+1)/k) from k to k+1 — much faster than for real data at small
// k — so the classic rule, which starts at k = 1, would almost always stop there.)
func gapChoiceHyperSpy(gap, se []float64) int {
	for i := 1; i < len(gap)-1; i++ {
		if gap[i] >= gap[i+1]-se[i+1] {
			return i + 1
		}
	}
	return 2
}

// gapChoiceTibshirani is the classic rule: the smallest k with gap(k) ≥ gap(k+1) − s(k+1);
// when no k up to max−1 qualifies, the k with the largest gap.
func gapChoiceTibshirani(gap, se []float64) int {
	for i := 0; i < len(gap)-1; i++ {
		if gap[i] >= gap[i+1]-se[i+1] {
			return i + 1
		}
	}
	best := 0
	for i, g := range gap {
		if g > gap[best] {
			best = i
		}
	}
	return best + 1
}

// meanStd returns the mean and the population standard deviation (numpy's default ddof=0).
func meanStd(v []float64) (mean, std float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(v)))
}
