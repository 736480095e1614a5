package cluster

import (
	"math"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/parallel"
)

// Column reductions (per-feature statistics, per-cluster sums) must stay deterministic and use
// O(d) memory, not O(chunks·d): with a raw 4D-STEM signal as source, d is 65 536 and 64
// per-chunk copies would cost more than the result. So wide matrices are split by column
// blocks — each worker owns some columns and walks all rows in order, no partial copies — and
// narrow ones by row chunks whose few partials are combined in chunk order. The choice depends
// only on the shape, so results are the same for every thread count.
const (
	minColBlock = 64 // columns per block: a block row is at least a cache line or four
	maxColBlock = 64 // blocks at most
)

// wide reports whether a reduction over d columns splits by column blocks.
func wide(d int) bool { return d >= 2*minColBlock }

// columnReduce folds every row of m into nacc accumulators per column (layout nacc×d,
// starting from init, or zeros if init is nil): f(acc, row, lo, hi) must update only the
// entries of columns [lo, hi). Row-chunk partials are merged with combine(into, from), in
// chunk order.
func columnReduce[T dense.Float](m dense.Matrix[T], threads, nacc int, init func(acc []float64, d int),
	f func(acc []float64, row []T, lo, hi int), combine func(into, from []float64, d int)) ([]float64, error) {
	d := m.Cols
	newAcc := func() []float64 {
		acc := make([]float64, nacc*d)
		if init != nil {
			init(acc, d)
		}
		return acc
	}
	out := newAcc()
	if wide(d) {
		err := parallel.Run(parallel.Split(d, minColBlock, maxColBlock), threads, func(_, lo, hi int) error {
			for i := 0; i < m.Rows; i++ {
				f(out, m.Row(i), lo, hi)
			}
			return nil
		})
		return out, err
	}
	c := rowChunks(m.Rows)
	parts := make([][]float64, c.Count)
	err := parallel.Run(c, threads, func(ci, lo, hi int) error {
		acc := newAcc()
		for i := lo; i < hi; i++ {
			f(acc, m.Row(i), 0, d)
		}
		parts[ci] = acc
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		combine(out, p, d)
	}
	return out, nil
}

func addInto(into, from []float64, _ int) {
	for j, v := range from {
		into[j] += v
	}
}

// Min/max accumulators: acc[j] is the minimum of column j, acc[d+j] its maximum.
func initMinMax(acc []float64, d int) {
	for j := 0; j < d; j++ {
		acc[j], acc[d+j] = math.Inf(1), math.Inf(-1)
	}
}

func minMaxOf[T dense.Float](acc []float64, row []T, lo, hi int) {
	d := len(acc) / 2
	for j := lo; j < hi; j++ {
		v := float64(row[j])
		acc[j] = min(acc[j], v)
		acc[d+j] = max(acc[d+j], v)
	}
}

func combineMinMax(into, from []float64, d int) {
	for j := 0; j < d; j++ {
		into[j] = min(into[j], from[j])
		into[d+j] = max(into[d+j], from[d+j])
	}
}

// labelSums adds each row of m whose label is ≥ 0 into sums[label] (k×d float64) and counts
// it in counts[label]; rows labelled −1 (masked out) are skipped. Rows are added in row order
// within each column, whatever the split, so the sums do not depend on the thread count.
func labelSums[T dense.Float](m dense.Matrix[T], labels []int32, k, threads int, sums []float64, counts []int64) error {
	d := m.Cols
	clear(sums[:k*d])
	clear(counts[:k])
	for _, l := range labels[:m.Rows] {
		if l >= 0 {
			counts[l]++
		}
	}
	add := func(acc []float64, row []T, l int32, lo, hi int) {
		dst := acc[int(l)*d:]
		for j := lo; j < hi; j++ {
			dst[j] += float64(row[j])
		}
	}
	if wide(d) {
		return parallel.Run(parallel.Split(d, minColBlock, maxColBlock), threads, func(_, lo, hi int) error {
			for i := 0; i < m.Rows; i++ {
				if l := labels[i]; l >= 0 {
					add(sums, m.Row(i), l, lo, hi)
				}
			}
			return nil
		})
	}
	c := rowChunks(m.Rows)
	parts := make([][]float64, c.Count)
	err := parallel.Run(c, threads, func(ci, lo, hi int) error {
		acc := make([]float64, k*d)
		for i := lo; i < hi; i++ {
			if l := labels[i]; l >= 0 {
				add(acc, m.Row(i), l, 0, d)
			}
		}
		parts[ci] = acc
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range parts {
		addInto(sums[:k*d], p, 0)
	}
	return nil
}
