package cluster

import (
	"slices"

	"github.com/fastmva/fastmva/internal/parallel"
)

// The center update adds the chunks' sums up, center by center, in chunk order from zero. A
// bound-based pass leaves most chunks' sums of most centers as they were (only the centers a
// row joined or left are re-formed, triangle.assign), so a center none of whose chunk sums
// changed since the last update has the same total: it is kept, not added up again (the same
// bits), and only the others are reduced.

// reducedSums returns the chunks' sums and weights added up per center in chunk order from
// zero (fresh copies: the caller's relocation of empty clusters changes them).
func (t *triangle[T]) reducedSums() (sums, wsum []float64) {
	l := t.l
	k, d, count := l.k, l.x.Cols, l.chunks.Count
	if t.reduced == nil {
		t.reduced, t.reducedW = make([]float64, k*d), make([]float64, k)
	}
	var stale []int
	for j := 0; j < k; j++ {
		changed := !t.reducedOK
		for ci := 0; ci < count && !changed; ci++ {
			changed = t.resummed[ci] || t.chunkTouched[ci*k+j]
		}
		if changed {
			stale = append(stale, j)
		}
	}
	kd := k * d
	span := max(1, reduceMinSpan/max(1, d))
	err := parallel.Run(parallel.Split(len(stale), span, parallel.Threads(l.threads)*4), l.threads, func(_, lo, hi int) error {
		for _, j := range stale[lo:hi] {
			dst := t.reduced[j*d : j*d+d]
			clear(dst)
			var w float64
			for ci := 0; ci < count; ci++ {
				for f, v := range l.sums[ci*kd+j*d : ci*kd+j*d+d] {
					dst[f] += v
				}
				w += l.wsums[ci*k+j]
			}
			t.reducedW[j] = w
		}
		return nil
	})
	if err != nil {
		panic(err) // only a worker panic, re-raised
	}
	t.reducedOK = true
	clear(t.resummed)
	clear(t.chunkTouched)
	return slices.Clone(t.reduced), slices.Clone(t.reducedW)
}

// reduceMinSpan is the fewest sums one worker of reducedSums takes: below it, a hand-off costs
// more than the additions.
const reduceMinSpan = 4096
