package cluster

import (
	"container/heap"
	"math"
	"slices"

	"github.com/fastmva/fastmva/internal/parallel"
)

// An empty cluster takes the rows farthest from their centers (relocateEmpty), which costs a
// pass over X for every row's distance. After a bound-based pass every row's upper bound is at
// least its distance to its center, so only the rows with the largest upper bounds can be among
// the farthest: their distances are computed (the same float64 values, sqDist being one row of
// sqDistRows) and, when the m-th largest of them beats the bound of every other row, the other
// rows cannot reach it and the m farthest are found among these few, with farthestRows' order.

// farthestMargin widens a squared upper bound by more than the relative rounding of a float64
// squared distance (γ_d for d features) and of squaring the bound.
const farthestMargin = 1 + 0x1p-30

// A warm-up pass (Lloyd's own, on the GEMM tile) leaves no bounds, but it leaves each row's
// least value v = ‖c‖² − 2x·c (l.minima, what labelled it): warmUpper turns those into the
// same upper bounds a bound-based pass would set, √(‖x‖² + v + δ) rounded up. An empty cluster
// in the first passes of bench/kmeans's 65536×256, k = 64 blob fits (two of them, each a read of
// X for every row's distance: 2.4 ms float32, 5 ms float64) is then found from a few hundred
// rows' distances. A warm-up pass that the mixed labels take (float64 rows, lloyd.assign)
// leaves no minima: it saves more than such a read (7–9 ms a pass at 65536×256 float64).

// farthest returns farthestRows of the rows' distances to their centers, the m largest, and
// true; or false when it cannot tell from the bounds: there are none for these centers (the
// last pass was Lloyd's own and left no minima) or they do not set a few rows apart from the
// rest.
func (t *triangle[T]) farthest(centers []T, m int) ([]int, bool) {
	n := len(t.upper)
	want := max(4*m, farthestMinCandidates)
	if want+1 >= n/4 {
		return nil, false
	}
	switch {
	case t.lloydPass && t.warmMinima:
		if err := t.warmUpper(centers); err != nil {
			return nil, false
		}
	case t.lloydPass || !t.started:
		return nil, false
	}
	// The want+1 largest upper bounds (a min-heap of them): rows outside have smaller or equal ones.
	h := boundHeap{up: t.upper, rows: make([]int, 0, want+1)}
	for i, u := range t.upper {
		if len(h.rows) < want+1 {
			heap.Push(&h, i)
		} else if u > t.upper[h.rows[0]] {
			h.rows[0] = i
			heap.Fix(&h, 0)
		}
	}
	rest := t.upper[h.rows[0]] // no row outside the candidates has a larger bound
	cand := slices.Clone(h.rows)
	slices.Sort(cand) // row order: farthestRows breaks ties by it
	l := t.l
	d := l.x.Cols
	dist := make([]float64, len(cand))
	for p, i := range cand {
		a := int(l.labels[i])
		dist[p] = l.ops.sqDist(l.x.Row(i), centers[a*d:a*d+d])
	}
	top := farthestRows(dist, m)
	if len(top) < m || !(rest*rest*farthestMargin < dist[top[m-1]]) {
		return nil, false
	}
	for p, q := range top {
		top[p] = cand[q]
	}
	return top, true
}

// warmUpper sets every row's upper bound from the warm-up pass's minima (l.minima: the rows'
// least values for these centers, their labels' values), as upperOf does from a row's values.
func (t *triangle[T]) warmUpper(centers []T) error {
	l := t.l
	d := l.x.Cols
	cmax := 0.0
	for j := 0; j < l.k; j++ {
		var s float64
		for _, v := range centers[j*d : j*d+d] {
			s += float64(v) * float64(v)
		}
		cmax = max(cmax, math.Sqrt(s)*roundUp)
	}
	return parallel.Run(l.chunks, l.threads, func(_, lo, hi int) error {
		for i := lo; i < hi; i++ {
			s := t.xn[i] + cmax
			t.upper[i] = math.Sqrt(max(0, t.xn2[i]+float64(l.minima[i])+t.slack*s*s)) * roundUp
		}
		return nil
	})
}

// farthestMinCandidates is the fewest rows whose distances farthest computes.
const farthestMinCandidates = 256

// boundHeap is a min-heap of rows by their upper bounds.
type boundHeap struct {
	up   []float64
	rows []int
}

func (h *boundHeap) Len() int           { return len(h.rows) }
func (h *boundHeap) Less(a, b int) bool { return h.up[h.rows[a]] < h.up[h.rows[b]] }
func (h *boundHeap) Swap(a, b int)      { h.rows[a], h.rows[b] = h.rows[b], h.rows[a] }
func (h *boundHeap) Push(x any)         { h.rows = append(h.rows, x.(int)) }
func (h *boundHeap) Pop() any {
	last := h.rows[len(h.rows)-1]
	h.rows = h.rows[:len(h.rows)-1]
	return last
}
