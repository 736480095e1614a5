package cluster

import (
	"math"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/parallel"
)

// Silhouette tiles: a block of silRows rows is compared with silCols rows at a time, so the
// silCols rows stay in cache while the block's rows go over them. Each row still adds its
// distances in ascending order of the other row, which keeps the result independent of the
// tiling and of the thread count.
const (
	silRows = 16
	silCols = 256
)

// silhouette returns scikit-learn's silhouette_score(x, labels) with the Euclidean metric: the
// mean over rows of (b − a)/max(a, b), a being the mean distance to the other members of the
// row's cluster and b the smallest mean distance to another cluster's members; rows alone in
// their cluster score 0. Nothing n×n is ever held: each row keeps k running sums, so memory is
// O(n + k) — scikit-learn's chunked version holds blocks of the distance matrix, HyperSpy's
// callers none of its own. Distances are √Σ(x−y)² in float64, not the ‖x‖²−2x·y+‖y‖²
// expansion, so near points lose no digits. tick is called between row groups on the calling
// goroutine; returning false stops the work with errStop. With fewer than two non-empty
// clusters the score is undefined and NaN is returned (scikit-learn raises).
func silhouette[T dense.Float](x dense.Matrix[T], labels []int32, k, threads int, tick func() bool) (float64, error) {
	n := x.Rows
	counts := make([]int64, k)
	for _, l := range labels[:n] {
		counts[l]++
	}
	nonEmpty := 0
	for _, c := range counts {
		if c > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < 2 {
		return math.NaN(), nil
	}
	sqDist := opsFor[T]().sqDist
	score := make([]float64, n)
	groups := parallel.Split(n, silCols, 64)
	for g := 0; g < groups.Count; g++ {
		g0, g1 := groups.Bounds(g)
		blocks := parallel.Split(g1-g0, silRows, g1-g0)
		err := parallel.Run(blocks, threads, func(_, lo, hi int) error {
			lo, hi = lo+g0, hi+g0
			sums := make([]float64, (hi-lo)*k)
			for j0 := 0; j0 < n; j0 += silCols {
				j1 := min(j0+silCols, n)
				for i := lo; i < hi; i++ {
					xi, s := x.Row(i), sums[(i-lo)*k:(i-lo+1)*k]
					for j := j0; j < j1; j++ {
						s[labels[j]] += math.Sqrt(sqDist(xi, x.Row(j)))
					}
				}
			}
			for i := lo; i < hi; i++ {
				score[i] = silhouetteOf(sums[(i-lo)*k:(i-lo+1)*k], counts, int(labels[i]))
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		if tick != nil && !tick() {
			return 0, errStop
		}
	}
	c := rowChunks(n)
	var total float64
	for ci := 0; ci < c.Count; ci++ {
		lo, hi := c.Bounds(ci)
		var s float64
		for _, v := range score[lo:hi] {
			s += v
		}
		total += s
	}
	return total / float64(n), nil
}

// silhouetteOf is one row's score from its sums of distances to each cluster's members.
func silhouetteOf(sums []float64, counts []int64, own int) float64 {
	if counts[own] <= 1 {
		return 0
	}
	a := sums[own] / float64(counts[own]-1)
	b := math.Inf(1)
	for c, s := range sums {
		if c != own && counts[c] > 0 {
			b = min(b, s/float64(counts[c]))
		}
	}
	m := max(a, b)
	if m == 0 {
		return 0 // scikit-learn's nan_to_num of 0/0: the row coincides with all the others
	}
	return (b - a) / m
}
