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
	countByCenter(labels, nil, ends)
	placeByCenter(labels, nil, order, ends)
	addCenterRows(x, ldx, d, order, ends, w, sums, wsum)
}

// countByCenter sets ends[c] to where center c's rows will start in a list of the rows sorted
// by center (a counting sort's first half) and returns the list's length: the rows of every
// center, or of the centers with touched[c] if touched is not nil.
func countByCenter(labels []int32, touched []bool, ends []int32) int32 {
	clear(ends)
	for _, l := range labels {
		if touched == nil || touched[l] {
			ends[l]++
		}
	}
	at := int32(0)
	for c, m := range ends {
		ends[c] = at
		at += m
	}
	return at
}

// placeByCenter lists the rows counted by countByCenter into order, each center's in row
// order, leaving ends[c] where center c's rows end.
func placeByCenter(labels []int32, touched []bool, order, ends []int32) {
	for i, l := range labels {
		if touched == nil || touched[l] {
			order[ends[l]] = int32(i)
			ends[l]++
		}
	}
}

// addCenterRows adds, for each center c, the rows order[ends[c−1]:ends[c]] (ends[−1] = 0) of x
// into sums[c·d:(c+1)·d] and their weights into wsum[c], in the order listed (gemm.SumRows).
func addCenterRows[T dense.Float](x []T, ldx, d int, order, ends []int32, w []T, sums, wsum []float64) {
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

// resumCenters forms afresh the sums (k×d) and wsum (k) of the centers c with touched[c], from
// the rows of x (labels one per row) that are theirs, each center's rows in row order: the
// chain of additions addByCenter makes for c over all the rows, bit for bit (a center's sum
// depends only on which rows it has, in which order), the other centers' sums left as they
// are. order (len(labels)) and ends (k) are scratch. It returns false, doing nothing, when the
// touched centers hold more than maxRows rows (reading the rows in place is then cheaper than
// gathering them).
func resumCenters[T dense.Float](x []T, ldx, d, k int, labels []int32, w []T, touched []bool, maxRows int, sums, wsum []float64, order, ends []int32) bool {
	ends = ends[:k]
	if int(countByCenter(labels, touched, ends)) > maxRows {
		return false
	}
	placeByCenter(labels, touched, order, ends)
	for c, t := range touched[:k] {
		if t {
			clear(sums[c*d : (c+1)*d])
			wsum[c] = 0
		}
	}
	addCenterRows(x, ldx, d, order, ends, w, sums, wsum)
	return true
}
