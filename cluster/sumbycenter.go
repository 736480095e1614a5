package cluster

import (
	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// addByCenter adds the rows of x (row stride ldx, d features, labels one per row, weights w or
// nil) into the sums (k×d) and wsum (k) of their centers, center by center, each center's rows
// in row order (gemm.SumRows): every sum gets the same additions in the same order as from
// kernels.Accumulate* row by row, bit for bit, with the sum held in registers across a
// center's rows instead of read and written once per row. order (len(labels)) and ends (k) are
// scratch. Used by the GEMM-tile Lloyd pass (a group of blocks still in L2) and by the
// bound-based passes (triangle.go), whose per-chunk sums it forms.
func addByCenter[T dense.Float](x []T, ldx, d, k int, labels []int32, w []T, sums, wsum []float64, order, ends []int32) {
	ends, order = ends[:k], order[:len(labels)]
	clear(ends)
	for _, l := range labels {
		ends[l]++
	}
	at := int32(0) // ends[c] becomes where center c's rows start, then end as they are placed
	for c, m := range ends {
		ends[c] = at
		at += m
	}
	for i, l := range labels {
		order[ends[l]] = int32(i)
		ends[l]++
	}
	begin := int32(0)
	for c, end := range ends {
		rows := order[begin:end]
		begin = end
		if len(rows) == 0 {
			continue
		}
		gemm.SumRows(x, ldx, rows, w, sums[c*d:(c+1)*d])
		if w == nil {
			// One at a time or at once, the same bits: the count is an integer below 2⁵³,
			// every partial sum exact.
			wsum[c] += float64(len(rows))
			continue
		}
		for _, i := range rows {
			wsum[c] += float64(w[i])
		}
	}
}
