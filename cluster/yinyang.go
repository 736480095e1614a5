package cluster

import (
	"math"

	"github.com/fastmva/fastmva/internal/dense"
)

// Yinyang k-means (Ding et al. 2015) sits between Hamerly and Elkan: the centers are split once,
// at the start of a fit, into t ≈ k/10 groups by a small k-means of the initial centers, and
// every row keeps one upper bound and one lower bound per group (the distance to the nearest
// center of the group, the row's own center left out). A pass loosens each group's bound by
// the farthest any of its centers moved, not by the farthest any center moved as Hamerly's
// single bound must: while the centers still travel (the first passes of a fit), the far groups
// keep bounds well above the upper bound and only the near groups need looking at.
//
// Filters, in order, for a row whose loosened bounds prove nothing at once (global filter):
// the upper bound is tightened with the distance to its own center; then each group whose bound
// still fails is looked at center by center (group then local filter), a center being skipped
// when the group's old bound less its own move, or the center–center bound, clears it. A few
// surviving centers get their distances singly; a row with more of them, or with a center that
// its distance does not clear, gets all k values from the full-assignment path (batched), as
// Hamerly's rows do. As there, no label is ever decided from the single distances: a label only
// changes through Lloyd's own k values, so the result is Lloyd's bit for bit.

// yinyangGroups is the grouping of the centers of one fit.
type yinyangGroups struct {
	count   int
	of      []int     // per center: its group
	members [][]int   // per group: its centers, in index order
	move    []float64 // per group: the farthest any of its centers moved in this pass
	move2   []float64 // and the farthest but center moveArg's
	moveArg []int
}

// YinyangGroups is the number of lower bounds Yinyang keeps per row for k centers (for
// callers that reserve memory: rows × YinyangGroups(k) float64).
func YinyangGroups(k int) int { return yinyangGroupCount(k) }

// yinyangGroupCount is t, the number of groups for k centers: k/10 rounded, at least one
// (Ding et al.'s choice; fewer groups make the per-row bounds cheaper to keep, more make them
// tighter).
func yinyangGroupCount(k int) int { return max(1, (k+5)/10) }

// form groups the k centers (of d features) by a few Lloyd iterations on the centers
// themselves, in float64, started from t evenly spaced centers: deterministic, and cheap next
// to one pass over the rows.
func (g *yinyangGroups) form(centers any, k, d int) {
	c := make([]float64, k*d)
	switch v := centers.(type) {
	case []float64:
		copy(c, v[:k*d])
	case []float32:
		for i, x := range v[:k*d] {
			c[i] = float64(x)
		}
	}
	t := yinyangGroupCount(k)
	g.count = t
	g.of = make([]int, k)
	g.move, g.move2, g.moveArg = make([]float64, t), make([]float64, t), make([]int, t)
	means := make([]float64, t*d)
	for q := 0; q < t; q++ {
		j := q * k / t
		copy(means[q*d:q*d+d], c[j*d:j*d+d])
	}
	counts := make([]int, t)
	for iter := 0; iter < 8; iter++ {
		for j := 0; j < k; j++ {
			best, arg := math.Inf(1), 0
			for q := 0; q < t; q++ {
				var s float64
				for f := 0; f < d; f++ {
					e := c[j*d+f] - means[q*d+f]
					s += e * e
				}
				if s < best {
					best, arg = s, q
				}
			}
			g.of[j] = arg
		}
		clear(counts)
		next := make([]float64, t*d)
		for j, q := range g.of {
			counts[q]++
			for f := 0; f < d; f++ {
				next[q*d+f] += c[j*d+f]
			}
		}
		for q := 0; q < t; q++ {
			if counts[q] == 0 {
				copy(next[q*d:q*d+d], means[q*d:q*d+d]) // an empty group keeps its mean
				continue
			}
			for f := 0; f < d; f++ {
				next[q*d+f] /= float64(counts[q])
			}
		}
		means = next
	}
	g.members = make([][]int, t)
	for j, q := range g.of {
		g.members[q] = append(g.members[q], j)
	}
}

// moves sets each group's moves from the centers' (move, per center): the farthest, by which
// center, and the second farthest (a row's own group loosens by the farthest move but its own
// center's, as in Hamerly's bound).
func (g *yinyangGroups) moves(move []float64) {
	clear(g.move)
	clear(g.move2)
	for q := range g.moveArg {
		g.moveArg[q] = -1
	}
	for j, m := range move {
		q := g.of[j]
		if m > g.move[q] {
			g.move2[q], g.move[q], g.moveArg[q] = g.move[q], m, j
		} else if m > g.move2[q] {
			g.move2[q] = m
		}
	}
}

// yinyangLocalMax is the most centers a row's local filter computes single distances to before
// it gives up and takes all k values from the tile (which costs a few single distances' time).
func yinyangLocalMax(k int) int { return min(yinyangMaxBudget, max(2, k/8)) }

const yinyangMaxBudget = 32

// yinyangSettle labels row i from its k values as settle does and sets its bounds: the upper
// from its own value, each group's lower from the group's least value but the row's own.
func (r *rowWork[T]) yinyangSettle(i int, vs []T) {
	g := r.t.yy
	gm := r.gmin[:g.count]
	var a int
	switch v := any(vs).(type) {
	case []float32:
		a = groupMinsF32(v, g.of, gm)
	case []float64:
		a = groupMinsF64(v, g.of, gm)
	}
	r.relabel(i, a)
	qa := g.of[a]
	gm[qa] = math.MaxInt64 // a's own group: its least value but a's
	for _, j := range g.members[qa] {
		if j != a {
			gm[qa] = min(gm[qa], orderKey(float64(vs[j])))
		}
	}
	delta := r.delta(i)
	r.t.upper[i] = r.upperOf(i, float64(vs[a]), delta)
	lb := r.t.lower[i*g.count : (i+1)*g.count]
	for q, key := range gm {
		lb[q] = math.Inf(1)
		if key != math.MaxInt64 {
			lb[q] = r.lowerOf(i, fromOrderKey(key), delta)
		}
	}
}

// The k values of a row are scanned once for both its argmin and every group's least value,
// the groups' members being spread over the indices. Compared as integers whose order is the
// values' order (orderKey), the minima take no branch: a branch per value and group
// mispredicted often enough to cost more than the values' own products at d = 32.

// orderKey maps a float64 to an int64 of the same order (−0 is made +0 first, so that equal
// values get equal keys; NaN never reaches here, the data are checked finite).
func orderKey(v float64) int64 {
	b := int64(math.Float64bits(v + 0))
	return b ^ int64(uint64(b>>63)>>1)
}

// fromOrderKey inverts orderKey.
func fromOrderKey(key int64) float64 {
	return math.Float64frombits(uint64(key ^ int64(uint64(key>>63)>>1)))
}

// key32 is the order key of a float32 value in the high half and its index in the low half:
// keys compare as the values do, equal values by index.
func key32(x float32, j int) int64 {
	b := int32(math.Float32bits(x + 0))
	return int64(b^int32(uint32(b>>31)>>1))<<32 | int64(j)
}

// groupMinsF32 sets gm[q] to the orderKey of the least float32 value of group q (gm must have
// one entry per group) and returns the argmin of vs, lowest index on ties. A float32 value
// converts exactly to float64, so the keys order the values exactly; the argmin is found on
// keys with the index in their low bits, so that equal values go to the lower index.
func groupMinsF32(vs []float32, of []int, gm []int64) int {
	for q := range gm {
		gm[q] = math.MaxInt64
	}
	of = of[:len(vs)]
	best := int64(math.MaxInt64)
	for j, v := range vs {
		key := key32(v, j)
		best = min(best, key)
		q := of[j]
		gm[q] = min(gm[q], key)
	}
	for q, key := range gm {
		if key != math.MaxInt64 {
			b := int32(key >> 32)
			gm[q] = orderKey(float64(math.Float32frombits(uint32(b ^ int32(uint32(b>>31)>>1)))))
		}
	}
	return int(best & 0xffffffff)
}

// leastTwo returns the argmin of vs (lowest index on ties, as Lloyd's kernel) and the least
// value of the others (+Inf for one value), by the same branch-free comparisons of keys.
func leastTwo[T dense.Float](vs []T) (int, float64) {
	best, second := int64(math.MaxInt64), int64(math.MaxInt64)
	switch v := any(vs).(type) {
	case []float32:
		// Two independent chains (even and odd indices), merged at the end: the minima's
		// compare-and-move latency, not their count, bounds this loop.
		best1, second1 := best, second
		j := 0
		for ; j+1 < len(v); j += 2 {
			k0, k1 := key32(v[j], j), key32(v[j+1], j+1)
			second = min(second, max(best, k0))
			best = min(best, k0)
			second1 = min(second1, max(best1, k1))
			best1 = min(best1, k1)
		}
		if j < len(v) {
			k0 := key32(v[j], j)
			second = min(second, max(best, k0))
			best = min(best, k0)
		}
		second = min(second, second1, max(best, best1))
		best = min(best, best1)
		if second == math.MaxInt64 {
			return int(best & 0xffffffff), math.Inf(1)
		}
		b := int32(second >> 32)
		return int(best & 0xffffffff), float64(math.Float32frombits(uint32(b ^ int32(uint32(b>>31)>>1))))
	case []float64:
		for _, x := range v {
			key := orderKey(x)
			second = min(second, max(best, key))
			best = min(best, key)
		}
		least := fromOrderKey(best)
		a := 0
		for j, x := range v {
			if x == least {
				a = j
				break
			}
		}
		if second == math.MaxInt64 {
			return a, math.Inf(1)
		}
		return a, fromOrderKey(second)
	}
	panic("cluster: leastTwo on an unknown float type")
}

// groupMinsF64 is groupMinsF32 for float64: the keys take all 64 bits, so the argmin is the
// first index whose value equals the least one.
func groupMinsF64(vs []float64, of []int, gm []int64) int {
	for q := range gm {
		gm[q] = math.MaxInt64
	}
	of = of[:len(vs)]
	best := int64(math.MaxInt64)
	for j, v := range vs {
		key := orderKey(v)
		best = min(best, key)
		q := of[j]
		gm[q] = min(gm[q], key)
	}
	least := fromOrderKey(best)
	for j, v := range vs {
		if v == least {
			return j
		}
	}
	return 0
}

// yinyangBatch settles the consecutive rows [lo, hi) by Yinyang's filters, queueing in
// s.pending those they do not settle; like hamerlyBatch, a batch that nearly all fails the
// global filter gets all its values in place at once (and it reports so).
func (r *rowWork[T]) yinyangBatch(lo, hi int, s *rowScratch[T]) (full bool) {
	g := r.t.yy
	var loose [fullBatch]bool
	fails := 0
	if cap(s.old) < fullBatch*g.count {
		s.old = make([]float64, fullBatch*g.count)
	}
	old := s.old[:fullBatch*g.count]
	for i := lo; i < hi; i++ {
		loose[i-lo] = r.yinyangLoose(i, old[(i-lo)*g.count:(i-lo+1)*g.count])
		if !loose[i-lo] {
			fails++
		}
	}
	if fails*8 >= (hi-lo)*7 {
		r.fullRange(lo, hi)
		return true
	}
	for i := lo; i < hi; i++ {
		if !loose[i-lo] && !r.yinyangLocal(i, old[(i-lo)*g.count:(i-lo+1)*g.count], s) {
			r.queue(i, s)
		}
	}
	return false
}

// yinyangLoose loosens row i's bounds by the centers' moves (keeping the group bounds before
// loosening in old, for the local filter) and reports whether they settle the row.
func (r *rowWork[T]) yinyangLoose(i int, old []float64) bool {
	t, l := r.t, r.t.l
	g := t.yy
	a := int(l.labels[i])
	up := (t.upper[i] + t.move[a]) * roundUp
	t.upper[i] = up
	lb := t.lower[i*g.count : (i+1)*g.count]
	copy(old, lb)
	lowest := math.Inf(1)
	qa := g.of[a]
	for q, b := range lb {
		m := g.move[q]
		if q == qa && g.moveArg[q] == a {
			m = g.move2[q]
		}
		if b = (b - m) * roundDown; b < 0 {
			b = 0
		}
		lb[q] = b
		if b < lowest {
			lowest = b
		}
	}
	return proven(up, max(lowest, 2*t.half[a]-up), r.delta(i))
}

// yinyangLocal tightens row i's upper bound and runs the group and local filters (old: its
// group bounds before this pass's loosening). It reports whether the row keeps its label; if
// not, its bounds are left valid but loose and the caller gets it all k values.
func (r *rowWork[T]) yinyangLocal(i int, old []float64, s *rowScratch[T]) bool {
	t, l := r.t, r.t.l
	g, k := t.yy, l.k
	a := int(l.labels[i])
	delta := r.delta(i)
	row := l.x.Row(i)
	up := r.upperOf(i, r.v(row, a), delta)
	t.upper[i] = up
	lb := t.lower[i*g.count : (i+1)*g.count]
	if proven(up, 2*t.half[a]-up, delta) {
		return true
	}
	// Group and local filters without a distance first: the centers left over are counted,
	// and a row with too many of them goes to the tile without computing any.
	budget := yinyangLocalMax(k)
	cand := s.cand[:0]
	for q, b := range lb {
		if proven(up, b, delta) {
			continue
		}
		for _, j := range g.members[q] {
			if j == a {
				continue
			}
			bj := max(0, t.cc[a*k+j]-up)
			if !proven(up, bj, delta) {
				if len(cand) == budget {
					return false
				}
				cand = append(cand, j)
			}
		}
	}
	s.cand = cand
	// The survivors' distances must clear them.
	var dist [yinyangMaxBudget]float64
	for p, j := range cand {
		dist[p] = r.lowerOf(i, r.v(row, j), delta)
		if !proven(up, dist[p], delta) {
			return false
		}
	}
	// New bounds for the groups looked at: each center's best lower bound, the group's least.
	p := 0
	for q, b := range lb {
		if proven(up, b, delta) {
			continue
		}
		nb := math.Inf(1)
		for _, j := range g.members[q] {
			if j == a {
				continue
			}
			bj := max(0, (old[q]-t.move[j])*roundDown, t.cc[a*k+j]-up)
			if p < len(cand) && cand[p] == j {
				bj = max(bj, dist[p])
				p++
			}
			nb = min(nb, bj)
		}
		lb[q] = nb
	}
	return true
}
