package cluster

import (
	"math"
	"slices"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/parallel"
)

// LabelOrder says which output row each k-means cluster becomes.
type LabelOrder int

const (
	// OrderBySize puts the largest cluster first; equal sizes keep the k-means label order.
	OrderBySize LabelOrder = iota
	// OrderHyperSpy reproduces HyperSpy's cluster_analysis, which means to sort by size but
	// writes k-means cluster i into row idx[i], idx being the clusters sorted by decreasing
	// size: rows are in size order only when that permutation is its own inverse. Equal sizes
	// follow a stable sort here, where HyperSpy's follow numpy's argsort.
	OrderHyperSpy
	// OrderNone keeps the k-means labels as rows.
	OrderNone
)

func (o LabelOrder) valid() bool { return o >= OrderBySize && o <= OrderNone }

// rowsOf returns row[c]: the output row of k-means cluster c.
func rowsOf(counts []int64, order LabelOrder) []int {
	k := len(counts)
	row := make([]int, k)
	bySize := make([]int, k) // clusters by decreasing size, ties by label
	for c := range bySize {
		bySize[c] = c
		row[c] = c
	}
	slices.SortStableFunc(bySize, func(a, b int) int {
		switch {
		case counts[a] > counts[b]:
			return -1
		case counts[a] < counts[b]:
			return 1
		}
		return 0
	})
	switch order {
	case OrderBySize:
		for r, c := range bySize {
			row[c] = r
		}
	case OrderHyperSpy:
		// numpy: idx = argsort(sizes)[::-1], then cluster i → row idx[i]. The reversal of a
		// stable ascending sort puts the higher label first among equal sizes.
		asc := make([]int, k)
		for c := range asc {
			asc[c] = c
		}
		slices.SortStableFunc(asc, func(a, b int) int { return int(sign(counts[a] - counts[b])) })
		for i := range row {
			row[i] = asc[k-1-i]
		}
	}
	return row
}

func sign(v int64) int64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// memberMeans returns the mean of each cluster's rows of x (k×d, float64) and the cluster
// sizes; an empty cluster's mean is NaN, as numpy's mean of no rows.
func memberMeans[T dense.Float](x dense.Matrix[T], labels []int32, k, threads int) ([]float64, []int64, error) {
	d := x.Cols
	sums := make([]float64, k*d)
	counts := make([]int64, k)
	if err := labelSums(x, labels, k, threads, sums, counts); err != nil {
		return nil, nil, err
	}
	for c := 0; c < k; c++ {
		inv := 1 / float64(counts[c]) // +Inf for an empty cluster: 0·Inf gives the NaN wanted
		for j := range sums[c*d : c*d+d] {
			sums[c*d+j] *= inv
		}
	}
	return sums, counts, nil
}

// sqDistTo returns Σ (row_j − mean_j)² in float64.
func sqDistTo[T dense.Float](row []T, mean []float64) float64 {
	mean = mean[:len(row)]
	var s0, s1 float64
	j := 0
	for ; j+1 < len(row); j += 2 {
		a := float64(row[j]) - mean[j]
		b := float64(row[j+1]) - mean[j+1]
		s0 += a * a
		s1 += b * b
	}
	if j < len(row) {
		a := float64(row[j]) - mean[j]
		s0 += a * a
	}
	return s0 + s1
}

// clusterDistances writes dist[c·nTotal + pixel] = ‖x_i − means_c‖ for every prepared row i
// (HyperSpy's cluster_distances; masked pixels keep what the caller put there) and returns,
// per cluster, the prepared row nearest to its mean (the first one on ties, as np.argmin).
// dist may be nil when only the nearest rows are wanted.
func clusterDistances[T dense.Float](p *Prepared[T], means []float64, k, threads int, dist []float64) ([]int, error) {
	x, d := p.Data, p.Data.Cols
	c := rowChunks(x.Rows)
	best := make([]float64, c.Count*k)
	arg := make([]int, c.Count*k)
	err := parallel.Run(c, threads, func(ci, lo, hi int) error {
		b, a := best[ci*k:ci*k+k], arg[ci*k:ci*k+k]
		for j := range b {
			b[j], a[j] = math.Inf(1), -1
		}
		for i := lo; i < hi; i++ {
			row, px := x.Row(i), p.Pixel(i)
			for j := 0; j < k; j++ {
				s := math.Sqrt(sqDistTo(row, means[j*d:j*d+d]))
				if dist != nil {
					dist[j*p.NTotal+px] = s
				}
				if s < b[j] {
					b[j], a[j] = s, i
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	nearest := make([]int, k)
	for j := range nearest {
		nb, na := math.Inf(1), 0 // a NaN mean (empty cluster) points at row 0, as np.argmin
		for ci := 0; ci < c.Count; ci++ {
			if v := best[ci*k+j]; v < nb {
				nb, na = v, arg[ci*k+j]
			}
		}
		nearest[j] = na
	}
	return nearest, nil
}

// withinSS returns Σ_i ‖x_i − mean(label_i)‖², the within-cluster sum of squares. HyperSpy's
// _distances_within_cluster gets the same number as Σ_c (1/2n_c) Σ_{i,j∈c} ‖x_i − x_j‖² through
// n_c×n_c distance matrices; the two are equal by the parallel-axis identity, and this one
// needs O(k·d) memory and O(n·d) time.
func withinSS[T dense.Float](x dense.Matrix[T], labels []int32, k, threads int) (float64, error) {
	means, _, err := memberMeans(x, labels, k, threads)
	if err != nil {
		return 0, err
	}
	d := x.Cols
	c := rowChunks(x.Rows)
	part := make([]float64, c.Count)
	err = parallel.Run(c, threads, func(ci, lo, hi int) error {
		var s float64
		for i := lo; i < hi; i++ {
			l := int(labels[i])
			s += sqDistTo(x.Row(i), means[l*d:l*d+d])
		}
		part[ci] = s
		return nil
	})
	var total float64
	for _, v := range part {
		total += v
	}
	return total, err
}
