package cluster

import (
	"math"
	"math/bits"
	"sync/atomic"

	"github.com/fastmva/fastmva/kernels"
)

// Hamerly's assignment keeps one upper bound (to the row's own center) and one lower bound (to
// every other center) per row; triangle.go holds what it shares with Elkan and Yinyang.

// hamerlyBatch settles the consecutive rows [lo, hi) (at most fullBatch), queueing in
// s.pending those whose bounds prove nothing. When the loosened bounds fail on nearly every
// row of the batch (the first iterations, when the centers still travel far, or after an
// empty cluster is relocated), tightening each upper bound (one distance) and copying the row
// out would only precede computing all its distances anyway: then the whole batch gets its
// distances in place, as the first pass does. Either way every row ends with Lloyd's label
// and valid bounds, so the choice affects only the time, never the result. It reports whether
// the whole batch took the full path.
func (r *rowWork[T]) hamerlyBatch(lo, hi int, s *rowScratch[T]) (full bool) {
	t := r.t
	if t.topMover {
		copy(s.oldLower, t.lower[lo:hi])
	}
	settled := kernels.LoosenBounds(t.l.labels[lo:hi], t.upper[lo:hi], t.lower[lo:hi], t.xn[lo:hi],
		t.move, t.otherMove, t.twoHalf, r.cmax, t.slack)
	if t.topMover && (hi-lo-bits.OnesCount64(settled))*topMoverFails >= hi-lo {
		settled = r.topMoverSettle(lo, hi, settled, s)
	}
	fails := hi - lo - bits.OnesCount64(settled)
	if fails*8 >= (hi-lo)*7 {
		r.fullRange(lo, hi)
		return true
	}
	// The rows left get their distances to their own centers in one call that reads them in
	// place (kernels.SqDistAt*): no row's loads wait on another's, so the rows (scattered, rarely
	// in cache: the loose bounds read none of X) arrive from memory together rather than one
	// miss at a time. (They used to be copied side by side first for that, a memmove call per
	// row. Over 30 fits of 65 536×32, k = 64 float32 blobs the copies and their distances took
	// 5.1–5.8% of the process's CPU samples, this call 4.0–4.6%: the misses remain, the copies go.)
	tight := s.tight[:0]
	l := t.l
	for i := lo; i < hi; i++ {
		if settled>>(i-lo)&1 == 0 {
			s.tightLabel[len(tight)] = l.labels[i]
			tight = append(tight, int32(i-lo))
		}
	}
	dist := s.tightDist[:len(tight)]
	l.ops.sqDistAt(l.x.Data[lo*l.x.Stride:], l.x.Stride, tight, l.x.Cols, r.centers, s.tightLabel[:len(tight)], dist)
	for p, o := range tight {
		if i := lo + int(o); !r.hamerlyTight(i, dist[p]) {
			r.queue(i, s)
		}
	}
	return false
}

// topMoverRatio: a pass whose farthest-moving center moved more than this many times as far as
// any other takes topMoverSettle, at d ≥ topMoverMinD, in the batches where at least one row in
// topMoverFails failed its loosened bounds. Narrower rows do without: there all k values of a
// row from the GEMM tile cost little more than the one distance (Hamerly's fits on bench/kmeans's
// blobs, 65536 rows, k = 64 float32, medians of 7, three interleaved runs: d = 32 37.0 against
// 36.0 ms without it, d = 3 40.5 against 40.0; d = 64 44–54 against 50, d = 128 75–79 against
// 80–83, d = 256 107–112 against 114–118 before it and the last labelling by bounds).
const (
	topMoverRatio = 2
	topMoverFails = 4
	topMoverMinD  = 64
)

// topMoverSettled counts the rows topMoverSettle settled (the tests check the path ran).
var topMoverSettled atomic.Int64

// topMoverSettle gives the rows [lo, hi) whose loosened bounds failed (settled's zero bits, as
// LoosenBounds left them) another lower bound when one center, arg1, moved much farther than
// the others (a relocated center, or one that crossed to another blob): Hamerly's single lower
// bound loosens by the farthest move of any other center, so that one move fails nearly every
// row. For a row not labelled arg1, the distance to arg1 itself (in float64 from T's values,
// as the tightening's, less δ, rounded down) and its old lower bound loosened by the moves of
// the other centers (otherMove2) bound the distance to every center but its own from below: the
// larger of that and the loosened bound is kept, and the row is settled if it now proves its
// label. Measured on bench/kmeans's blob fits (Hamerly, float32, k = 64): a pass at 65536×32
// whose top center moved 20.1 against 2.6 for the next computed all 65536 rows' distances.
// It reports settled with the rows it settled.
func (r *rowWork[T]) topMoverSettle(lo, hi int, settled uint64, s *rowScratch[T]) uint64 {
	t := r.t
	l := t.l
	top := int32(t.arg1)
	rows := s.tight[:0]
	for i := lo; i < hi; i++ {
		if settled>>(i-lo)&1 == 0 && l.labels[i] != top {
			s.tightLabel[len(rows)] = top
			rows = append(rows, int32(i-lo))
		}
	}
	if len(rows) == 0 {
		return settled
	}
	dist := s.tightDist[:len(rows)]
	l.ops.sqDistAt(l.x.Data[lo*l.x.Stride:], l.x.Stride, rows, l.x.Cols, r.centers, s.tightLabel[:len(rows)], dist)
	var done int64
	for p, o := range rows {
		i := lo + int(o)
		a := int(l.labels[i])
		delta := r.delta(i)
		toTop := math.Sqrt(max(0, dist[p]-delta)) * roundDown
		lower := min(max(0, (s.oldLower[o]-t.otherMove2[a])*roundDown), toTop)
		if lower <= t.lower[i] {
			continue
		}
		t.lower[i] = lower
		if up := t.upper[i]; proven(up, max(lower, t.twoHalf[a]-up), delta) {
			settled |= 1 << o
			done++
		}
	}
	topMoverSettled.Add(done)
	return settled
}

// hamerlyTight sets row i's upper bound from sq, its squared distance to its center (after
// kernels.LoosenBounds), and reports whether the bounds settle the row now. sq is computed in
// float64 from T's values (sqDistRows), its rounding far inside δ, which covers the larger
// rounding of the values in T the bounds are otherwise made of: sqrt(sq + δ), rounded up,
// is an upper bound on the distance. (The same bound from ‖x‖² + ‖c‖² − 2·x·c in T, one dot
// product call per row, took 1.7× the CPU time: 0.63 against 0.37 s over 30 fits of
// 65 536×32 k = 64 float32 make_blobs rows.)
func (r *rowWork[T]) hamerlyTight(i int, sq float64) bool {
	t, l := r.t, r.t.l
	a := int(l.labels[i])
	delta := r.delta(i)
	up := math.Sqrt(sq+delta) * roundUp
	t.upper[i] = up
	return proven(up, max(t.lower[i], 2*t.half[a]-up), delta)
}

// looseTables fills Hamerly's per-center terms of the loosened bounds (kernels.LoosenBounds):
// other[a], the farthest any center but a moved (move1, by center arg1, or for arg1 itself
// the second largest move2), and twoHalf[a] = 2·half[a], half[a] being half the distance from
// center a to its nearest other center. A row's lower bound to every other center drops by
// other[a]; 2·half[a] − upper bounds it from below too.
//
// Checking the loosened bounds row by row in Go took a fifth of the CPU time of a 65 536×32
// k = 64 float32 fit of make_blobs rows (36 of its 41 passes bound-based), about 33 cycles a
// row as a generic method and 19 as a plain loop; the kernel does eight rows a turn.
func looseTables(move, half []float64, move1, move2 float64, arg1 int, other, twoHalf []float64) {
	for a := range move {
		other[a] = move1
		if a == arg1 {
			other[a] = move2
		}
		twoHalf[a] = 2 * half[a]
	}
}
