package cluster

import (
	"math"
	"sync"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// Triangle-inequality k-means (Hamerly 2010, Elkan 2003; Yinyang in yinyang.go) skips the
// distances that bounds prove cannot change a row's label. All run inside lloyd.fit: only the
// assignment step differs, the center update, empty-cluster relocation and stopping rule are
// Lloyd's own, and every row is accumulated into its chunk's sums in row order exactly as the
// fused Lloyd kernel does. So as long as each row gets the label Lloyd's kernel would give it,
// the centers, the iteration count and the result are bit for bit Lloyd's.
//
// Lloyd decides with v_j = ‖c_j‖² − 2·x·c_j computed in T, each within δ of the exact value
// (see kernels' accuracy note: δ = 2·γ(d+2)·(‖x‖ + max‖c‖)², γ the unit-roundoff bound of T).
// A bound lets a center j be skipped only when the true squared distances satisfy
// D²_j − D²_a > 2δ: then Lloyd's computed v_j > v_a as well, whatever its rounding. The
// distances the bounds are made of are computed in T with the same δ folded in, upper bounds
// rounded up and lower bounds down. (δ holds for any order of the additions, the streaming
// pass's lane chains and pairwise sums included.) A row whose bounds prove nothing gets all k
// values from the GEMM tile's products (rowWork.values; from kernels' Values* where those take
// the streaming pass, kernels.StreamOrder), bit for bit the numbers Lloyd's kernel compares, so
// its label is Lloyd's exactly; such rows are batched (packed side by side) so the tile runs at
// full width.
//
// Once the centers settle, few labels change per iteration, yet adding every row into its
// chunk's sums would read all of X. A chunk's sum of one center is a chain of additions over
// the rows of that center alone, in row order (fixed weights), so a center no row joined or
// left in a chunk keeps that chunk's sum as it is: the same bits, without reading its rows. The
// centers a row joined or left get their chunk sums formed again from zero, their rows gathered
// in row order (resumCenters), so rounding never accumulates across iterations (no incremental
// add/subtract of moved rows); a chunk whose touched centers hold most of its rows is summed
// again whole. (At 10⁶ × 32 × 64 one pass changes a few hundred labels, in nearly every chunk:
// re-forming whole chunks read 95–100% of X every pass, the touched centers' rows 7–30%.)

// slackFactor returns E with δ = E·(‖x‖ + max‖c‖)² for rows of width d in T.
func slackFactor[T dense.Float](d int) float64 {
	u := 0x1p-53
	var zero T
	if _, ok := any(zero).(float32); ok {
		u = 0x1p-24
	}
	gamma := func(n int, u float64) float64 { return float64(n) * u / (1 - float64(n)*u) }
	// Twice the worst-case bound for T, plus the float64 work done on the bounds themselves.
	return 2*gamma(d+2, u) + 8*gamma(d+8, 0x1p-53)
}

// Bounds are distances (not squared) in float64; these factors widen them by more than the
// relative rounding of the float64 operations that produce them: kernels' two, which
// kernels.LoosenBounds applies when it loosens Hamerly's bounds.
const (
	roundUp   = kernels.BoundRoundUp
	roundDown = kernels.BoundRoundDown
)

// proven reports that a lower bound lo on the distance to another center and an upper bound up on
// the distance to the assigned center prove Lloyd keeps the assignment (see above).
func proven(up, lo, delta float64) bool {
	return lo > up && (lo-up)*(lo+up) > 2*delta
}

// triangle is the state shared by Hamerly and Elkan on one matrix.
type triangle[T dense.Float] struct {
	l     *lloyd[T]
	kind  Algorithm // AlgoHamerly, AlgoElkan or AlgoYinyang
	elkan bool
	slack float64

	xn2   []float64 // ‖x_i‖², float64
	xn    []float64 // ‖x_i‖, rounded up
	upper []float64 // per row: upper bound on the distance to its center
	lower []float64 // Hamerly: per row, a lower bound to every other center; Elkan: per row and center;
	// Yinyang: per row and group of centers, a lower bound to the group's centers but the row's own
	yy *yinyangGroups

	products bool           // full rows get their values from the GEMM tile's products
	panels   gemm.Panels[T] // the centers, packed for it
	// tile, if set (Hamerly on float32 rows, useTile64, not streamed): the rows that need every
	// distance get their least two values from kernels' 64-center tile instead of the products.
	tile *tile64
	// streamed: Lloyd's values come from the kernels' streaming pass (kernels.StreamOrder), so
	// the rows' values are taken from ops.values, not from the GEMM tile's products.
	streamed bool

	prev  []T       // the centers of the previous assignment (their move loosens the bounds)
	move  []float64 // per center: how far it moved since the previous assignment
	move1 float64   // the largest move, by center arg1, and the second largest
	move2 float64
	arg1  int
	cc    []float64 // k×k lower bounds on the distances between centers
	half  []float64 // per center: half the distance to its nearest other center (lower bound)
	// Hamerly's per-center terms of the loosened bounds (looseTables): the farthest any other
	// center moved, and twice half.
	otherMove, twoHalf []float64
	// topMover: one center (arg1) moved more than topMoverRatio times any other, and
	// otherMove2 is, per center, the farthest any center but itself and arg1 moved (see
	// topMoverSettle).
	topMover   bool
	otherMove2 []float64
	cn64       []float64 // per center: ‖c_j‖, float64
	started    bool
	// warm: the fit is still in its first passes, run as Lloyd's own (triangle_warm.go);
	// lloydPass: the last pass was one of them; warmMinima: and it left l.minima.
	warm, lloydPass, warmMinima bool
	// summed[ci]: chunk ci's sums in l.sums/l.wsums are those of its current labels.
	summed []bool
	// Since the last center update: resummed[ci], chunk ci's sums were all formed afresh;
	// chunkTouched[ci·k+j], its sums of center j were (triangle_reduce.go). reduced and
	// reducedW hold the totals of that update, valid when reducedOK.
	resummed, chunkTouched []bool
	reduced, reducedW      []float64
	reducedOK              bool
	// group: rows (whole batches, about groupBytes) whose sums are added center by center at a
	// time (addByCenter), the rows still in L2.
	group int
	// scratch holds *rowScratch[T]: a pass's workers reuse them instead of allocating
	// (and zeroing) fresh buffers for each of up to 64 chunks every iteration.
	scratch sync.Pool
}

// rowScratch is one worker's buffers for a chunk of an assignment pass.
type rowScratch[T dense.Float] struct {
	pack, vals []T       // fullBatch rows packed side by side, and their k values each
	pending    []int     // rows whose bounds proved nothing, waiting for a full batch
	mul        []T       // gemm.MulRows' scratch (GEMM-tile shapes only)
	old        []float64 // Yinyang: a batch's group bounds before loosening
	cand       []int     // Yinyang: a row's centers left for the local filter's distances
	gmin       []int64   // Yinyang: a row's least value per group (orderKey)
	order      []int32   // addByCenter's scratch: a group's rows in order of center
	ends       []int32   // and where each center's rows end
	touched    []bool    // per center: a row of the chunk joined or left it in this pass
	chunkOrder []int32   // resumCenters' scratch: the touched centers' rows of a chunk
	least      leastTwoScratch[T]
	tight      []int32   // Hamerly: a batch's rows whose loosened bounds failed (offsets in the batch)
	tightLabel []int32   // their labels
	tightDist  []float64 // and their squared distances to their centers
	oldLower   []float64 // Hamerly with a top mover: a batch's lower bounds before loosening
}

// leastTwoScratch holds, for a batch of rows, Lloyd's labels, their values and the least value
// of the other centers (Hamerly's full path, leastTwoProducts).
type leastTwoScratch[T dense.Float] struct {
	label, other []int32
	best, second []T
}

// newTriangle sets up a bound-based fit of kind on l; norms, if not nil, holds every row's ‖x‖²
// as computed below (meanVariance takes them with the variance), and becomes t.xn2.
func newTriangle[T dense.Float](l *lloyd[T], kind Algorithm, norms []float64) (*triangle[T], error) {
	n, k, d := l.x.Rows, l.k, l.x.Cols
	elkan := kind == AlgoElkan
	t := &triangle[T]{
		l: l, kind: kind, elkan: elkan, slack: slackFactor[T](d),
		xn2: norms, xn: make([]float64, n), upper: make([]float64, n),
		move: make([]float64, k), cc: make([]float64, k*k), half: make([]float64, k),
		otherMove: make([]float64, k), twoHalf: make([]float64, k), otherMove2: make([]float64, k),
		cn64: make([]float64, k), prev: make([]T, k*d), summed: make([]bool, l.chunks.Count),
		resummed: make([]bool, l.chunks.Count), chunkTouched: make([]bool, l.chunks.Count*k),
		group: groupRows[T](d, fullBatch), streamed: kernels.StreamOrder(d, k),
	}
	if l.gemm != nil {
		l.minima = make([]T, n) // the warm-up passes' minima (warmUpper)
	}
	if _, rows32 := any(l.x.Data).([]float32); rows32 && t.hamerly() && !t.streamed && useTile64(d, k) {
		t.tile = newTile64(d)
	}
	// The per-chunk sums are the bound-based passes' alone (Lloyd's own pass folds its sums as
	// the chunks finish): a plain Lloyd fit never allocates nor clears them.
	l.sums = make([]float64, l.chunks.Count*k*d)
	l.wsums = make([]float64, l.chunks.Count*k)
	switch kind {
	case AlgoElkan:
		t.lower = make([]float64, n*k)
	case AlgoYinyang:
		t.yy = &yinyangGroups{}
		t.lower = make([]float64, n*yinyangGroupCount(k))
	default:
		t.lower = make([]float64, n)
	}
	// ‖x_i‖² is a row's float64 distance to the origin (the row-distance kernel, every label
	// naming one zero center): sixteen partial sums rather than one chain of dependent
	// additions. Its rounding is within the float64 work slackFactor allows for.
	x := l.x
	given := len(norms) == n
	if !given {
		t.xn2 = make([]float64, n)
	}
	zero, labels := make([]T, d), make([]int32, blockRows)
	err := parallel.Run(l.chunks, l.threads, func(_, lo, hi int) error {
		for b := lo; b < hi && !given; b += blockRows {
			e := min(b+blockRows, hi)
			l.ops.sqDistRows(x.Data[b*x.Stride:], x.Stride, e-b, d, zero, labels[:e-b], t.xn2[b:e])
		}
		for i := lo; i < hi; i++ {
			t.xn[i] = math.Sqrt(t.xn2[i]) * roundUp
		}
		return nil
	})
	return t, err
}

// restart forgets the bounds and the chunk sums: the next assignment computes every distance
// and sums every chunk (Lloyd's own assignment, run in between, clears the sums).
func (t *triangle[T]) restart() {
	t.started = false
	t.warm = triangleWarmUp
	t.reducedOK = false
	clear(t.summed)
}

// assign labels every row, as Lloyd's kernel would, and accumulates the per-chunk sums.
func (t *triangle[T]) assign(centers []T) error {
	l := t.l
	t.lloydPass = false
	if done, err := t.warmPass(centers); done || err != nil {
		t.lloydPass = true
		return err
	}
	// No pass has labelled the rows since the fit (re)started (lloyd.unlabelled, which Lloyd's
	// own pass clears as well): this pass changes every label, as Lloyd's first would.
	fresh := l.unlabelled
	l.unlabelled = false
	k, d := l.k, l.x.Cols
	l.ops.sqNorms(centers, d, k, d, l.cnorm)
	first := !t.started
	t.centerGeometry(centers, first)
	if t.yy != nil {
		if first {
			t.yy.form(centers, k, d)
		}
		t.yy.moves(t.move)
	}
	t.panels.Pack(centers, d, k, d) // for values
	if t.tile != nil {
		t.tile.pack(centers, l.cnorm, d, k)
	}

	cmax := 0.0
	for _, v := range t.cn64 {
		cmax = max(cmax, v)
	}
	if first {
		clear(t.summed)
		t.reducedOK = false
	}
	err := parallel.Run(l.chunks, l.threads, func(ci, lo, hi int) error {
		s, ok := t.scratch.Get().(*rowScratch[T])
		if !ok {
			s = &rowScratch[T]{pack: make([]T, fullBatch*d), vals: make([]T, fullBatch*k),
				pending: make([]int, 0, fullBatch)}
			s.mul = make([]T, gemm.MulRowsScratch[T](d))
			s.order, s.ends = make([]int32, t.group), make([]int32, k)
			s.touched, s.chunkOrder = make([]bool, k), make([]int32, l.chunks.Size)
			s.tight = make([]int32, 0, fullBatch)
			s.tightLabel, s.tightDist = make([]int32, fullBatch), make([]float64, fullBatch)
			s.oldLower = make([]float64, fullBatch)
			s.least = leastTwoScratch[T]{label: make([]int32, fullBatch), other: make([]int32, fullBatch),
				best: make([]T, fullBatch), second: make([]T, fullBatch)}
			if t.yy != nil {
				s.gmin = make([]int64, t.yy.count)
			}
		}
		defer t.scratch.Put(s)
		clear(s.touched)
		r := rowWork[T]{t: t, centers: centers, cmax: cmax, pack: s.pack, vals: s.vals, mul: s.mul, gmin: s.gmin,
			touched: s.touched, least: &s.least}
		// While every batch of the chunk so far went to the full path, its rows are added into
		// the chunk's sums a group at a time right after being labelled, still in cache (the
		// same additions in the same row order as sumChunk's); after a batch settled by bounds
		// the chunk is summed afresh at the end, if any of its labels changed.
		inline := true
		added := lo // while inline: rows [lo, added) are in the chunk's sums
		s.pending = s.pending[:0]
		for b := lo; b < hi; b += fullBatch {
			e := min(b+fullBatch, hi)
			full := true
			switch {
			case first:
				r.fullRange(b, e)
			case t.kind == AlgoElkan:
				r.elkanBatch(b, e, s)
				full = false
			case t.kind == AlgoYinyang:
				full = r.yinyangBatch(b, e, s)
			default:
				full = r.hamerlyBatch(b, e, s)
			}
			if inline && full {
				if e-added >= t.group || e == hi {
					t.addRows(ci, lo, added, e, s)
					added = e
				}
			} else if inline {
				inline = false
				if added > lo {
					t.summed[ci] = false // the sums hold some of the batches before this one only
				}
			}
		}
		r.fullRows(s.pending)
		l.changed[ci] = r.relabelled || fresh
		if inline {
			t.summed[ci] = true
		} else if r.relabelled || !t.summed[ci] {
			// Sums that held this chunk's labels before the pass need only the touched
			// centers' sums formed again; otherwise (or when those centers hold most of the
			// chunk's rows) the whole chunk is summed afresh, as the fused Lloyd kernel would.
			if !t.summed[ci] || !t.resumTouched(ci, lo, hi, s) {
				t.addRows(ci, lo, lo, hi, s)
			}
			t.summed[ci] = true
		}
		return nil
	})
	copy(t.prev, centers)
	t.started = true
	return err
}

// addRows adds rows [b, e) of chunk ci (which starts at row lo) into the chunk's sums,
// clearing them first at the chunk's first row: a group of rows at a time, center by center,
// each center's rows in row order (addByCenter), so the chunk's sums get the additions the
// fused Lloyd kernel would make, in its order: the same bits.
func (t *triangle[T]) addRows(ci, lo, b, e int, s *rowScratch[T]) {
	l := t.l
	x, k, d := l.x, l.k, l.x.Cols
	sums, wsums := l.sums[ci*k*d:(ci+1)*k*d], l.wsums[ci*k:(ci+1)*k]
	if b == lo {
		clear(sums)
		clear(wsums)
		t.resummed[ci] = true
	}
	for g := b; g < e; g += len(s.order) {
		ge := min(g+len(s.order), e)
		var w []T
		if l.w != nil {
			w = l.w[g:ge]
		}
		addByCenter(x.Data[g*x.Stride:], x.Stride, d, k, l.labels[g:ge], w, sums, wsums, s.order, s.ends)
	}
}

// resumTouched forms again the sums of chunk ci (rows [lo, hi)) of the centers a row of it
// joined or left in this pass (s.touched), the other centers' sums holding already their rows
// in this pass's labels. It reports false, doing nothing, when those centers have more than half
// of the chunk's rows: addRows reads the chunk in place then.
func (t *triangle[T]) resumTouched(ci, lo, hi int, s *rowScratch[T]) bool {
	l := t.l
	x, k, d := l.x, l.k, l.x.Cols
	var w []T
	if l.w != nil {
		w = l.w[lo:hi]
	}
	if !resumCenters(x.Data[lo*x.Stride:], x.Stride, d, k, l.labels[lo:hi], w, s.touched, (hi-lo)/2,
		l.sums[ci*k*d:(ci+1)*k*d], l.wsums[ci*k:(ci+1)*k], s.chunkOrder[:hi-lo], s.ends) {
		return false
	}
	for j, touched := range s.touched {
		if touched {
			t.chunkTouched[ci*k+j] = true
		}
	}
	return true
}

// centerGeometry computes the centers' norms, how far each moved since the last assignment
// and the lower bounds on the distances between them.
func (t *triangle[T]) centerGeometry(centers []T, first bool) {
	k, d := t.l.k, t.l.x.Cols
	for j := 0; j < k; j++ {
		c := centers[j*d : j*d+d]
		var s float64
		for _, v := range c {
			s += float64(v) * float64(v)
		}
		t.cn64[j] = math.Sqrt(s) * roundUp
		t.move[j] = 0
		if !first {
			t.move[j] = math.Sqrt(t.l.ops.sqDist(c, t.prev[j*d:j*d+d])) * roundUp
		}
	}
	t.move1, t.move2, t.arg1 = 0, 0, -1
	move3, arg2 := 0.0, -1
	for j, m := range t.move {
		switch {
		case m > t.move1:
			move3, t.move2, arg2, t.move1, t.arg1 = t.move2, t.move1, t.arg1, m, j
		case m > t.move2:
			move3, t.move2, arg2 = t.move2, m, j
		case m > move3:
			move3 = m
		}
	}
	t.topMover = !first && t.hamerly() && k > 2 && d >= topMoverMinD && t.move1 > topMoverRatio*t.move2
	if t.topMover {
		for a := range t.otherMove2 {
			t.otherMove2[a] = t.move2 // a is arg1 itself, or neither arg1 nor arg2
			if a == arg2 {
				t.otherMove2[a] = move3
			}
		}
	}
	for j := 0; j < k; j++ {
		t.half[j] = math.Inf(1)
	}
	for a := 0; a < k; a++ {
		t.cc[a*k+a] = 0
		for b := a + 1; b < k; b++ {
			v := math.Sqrt(t.l.ops.sqDist(centers[a*d:a*d+d], centers[b*d:b*d+d])) * roundDown
			t.cc[a*k+b], t.cc[b*k+a] = v, v
			t.half[a] = min(t.half[a], v/2)
			t.half[b] = min(t.half[b], v/2)
		}
	}
	if k == 1 {
		t.half[0] = math.Inf(1)
	}
	looseTables(t.move, t.half, t.move1, t.move2, t.arg1, t.otherMove, t.twoHalf)
}

// fullBatch rows get their distances from one call of the values kernel (a multiple of every
// backend's tile height).
const fullBatch = 64

// rowWork is one worker's view of an assignment pass.
type rowWork[T dense.Float] struct {
	t          *triangle[T]
	centers    []T
	cmax       float64
	pack, vals []T     // scratch: rows packed side by side, and their k values each
	mul        []T     // scratch of gemm.MulRows (GEMM-tile shapes)
	gmin       []int64 // Yinyang: a row's least value per group (orderKey)
	relabelled bool    // a row of this chunk got another label in this pass
	touched    []bool  // per center: a row of this chunk joined or left it in this pass
	least      *leastTwoScratch[T]
}

func (r *rowWork[T]) delta(i int) float64 {
	s := r.t.xn[i] + r.cmax
	return r.t.slack * s * s
}

// v returns ‖c_j‖² − 2·x_i·c_j computed in T (within δ of exact; used for bounds only).
func (r *rowWork[T]) v(row []T, j int) float64 {
	l := r.t.l
	d := l.x.Cols
	return float64(l.cnorm[j] - 2*l.ops.dot(row, r.centers[j*d:j*d+d]))
}

func (r *rowWork[T]) upperOf(i int, v, delta float64) float64 {
	return math.Sqrt(max(0, r.t.xn2[i]+v+delta)) * roundUp
}

func (r *rowWork[T]) lowerOf(i int, v, delta float64) float64 {
	return math.Sqrt(max(0, r.t.xn2[i]+v-delta)) * roundDown
}

// fullRange computes every distance of the consecutive rows [lo, hi), read in place.
func (r *rowWork[T]) fullRange(lo, hi int) {
	l := r.t.l
	x, k := l.x, l.k
	if r.t.hamerly() && !r.t.streamed {
		r.leastTwo(x.Data[lo*x.Stride:], x.Stride, hi-lo)
		r.settleLeastTwo(hi-lo, lo, nil)
		return
	}
	r.values(x.Data[lo*x.Stride:], x.Stride, hi-lo)
	for i := lo; i < hi; i++ {
		r.settle(i, r.vals[(i-lo)*k:(i-lo+1)*k])
	}
}

// fullRows computes every distance of the listed rows, packed side by side first.
func (r *rowWork[T]) fullRows(rows []int) {
	if len(rows) == 0 {
		return
	}
	l := r.t.l
	d, k := l.x.Cols, l.k
	for p, i := range rows {
		copy(r.pack[p*d:p*d+d], l.x.Row(i))
	}
	if r.t.hamerly() && !r.t.streamed {
		r.leastTwo(r.pack, d, len(rows))
		r.settleLeastTwo(len(rows), 0, rows)
		return
	}
	r.values(r.pack, d, len(rows))
	for p, i := range rows {
		r.settle(i, r.vals[p*k:(p+1)*k])
	}
}

// values writes into r.vals the k values ‖c_j‖² − 2·x·c_j of the n rows of x (row stride ldx)
// from the GEMM tile's products, at every shape: its products are the same sequential dot
// products as the values tile's (the same bits, see lloyd_gemm.go), and it writes them row by
// row where the values tile leaves them center-major and transposes them in Go. Measured on
// bench/kmeans's blobs (one thread's CPU time, medians of 7, loaded machine): Hamerly's whole fit
// at d = 32, k = 64 took 211–220 ms with the products against 231 ms with the values tile; at
// d = 256 the GEMM tile is useGemmTile's pick for Lloyd's own pass as well.
//
// Where the kernels form Lloyd's values in the streaming pass's order (t.streamed), they come
// from Values* instead, Lloyd's own numbers there.
func (r *rowWork[T]) values(x []T, ldx, n int) {
	l := r.t.l
	k := l.k
	vals := r.vals[:n*k]
	if r.t.streamed {
		l.ops.values(x, ldx, n, l.x.Cols, r.centers, k, l.cnorm, vals, nil)
		return
	}
	r.products(x, ldx, n)
	for p := 0; p < n; p++ {
		row := vals[p*k : p*k+k]
		for j, c := range l.cnorm[:k] {
			row[j] = c - 2*row[j]
		}
	}
}

// products writes into r.vals the k products x·c_j of each of the n rows of x (row stride ldx).
func (r *rowWork[T]) products(x []T, ldx, n int) {
	k := r.t.l.k
	gemm.MulRows(&r.t.panels, x, ldx, n, r.vals[:n*k], k, r.mul)
}

// hamerly reports that the pass keeps Hamerly's bounds: one upper and one lower bound per row.
func (t *triangle[T]) hamerly() bool { return !t.elkan && t.yy == nil }

// leastTwo fills r.least for the n rows of x (row stride ldx): Lloyd's labels and values and
// the least value of the other centers. Where the fit has the 64-center tile they come from it
// (the same labels and values, bit for bit, and the same second values, a zero's sign aside,
// which no bound formed from them can tell); otherwise from the
// products and the kernel that labels Lloyd's GEMM-tile pass (nearestProducts: the argmin of
// ‖c_j‖² − 2·product in T, lowest index on ties, the same bits as values and leastTwo): once as
// they are, then with the label's product made −∞ (its value +∞), which leaves the least of the
// others. Two vector passes over the products cost less than leastTwo's scalar scan of each
// row's values.
func (r *rowWork[T]) leastTwo(x []T, ldx, n int) {
	l, s := r.t.l, r.least
	if tl := r.t.tile; tl != nil && kernels.LeastTwoTile64F32(any(x).([]float32), ldx, n, l.x.Cols, tl.panel, tl.norm64,
		s.label[:n], any(s.best[:n]).([]float32), any(s.second[:n]).([]float32)) {
		return
	}
	k := l.k
	r.products(x, ldx, n)
	prod := r.vals[:n*k]
	nearestProducts(prod, k, n, k, l.cnorm[:k], s.label[:n], s.best[:n])
	if k > 1 {
		for p, a := range s.label[:n] {
			prod[p*k+int(a)] = T(math.Inf(-1))
		}
		nearestProducts(prod, k, n, k, l.cnorm[:k], s.other[:n], s.second[:n])
	}
}

// settleLeastTwo is settle for Hamerly's bounds on a batch of n rows (row first+p, or rows[p]
// when rows is not nil) whose least two values are in r.least (leastTwo).
func (r *rowWork[T]) settleLeastTwo(n, first int, rows []int) {
	t := r.t
	k := t.l.k
	s := r.least
	for p := 0; p < n; p++ {
		i := first + p
		if rows != nil {
			i = rows[p]
		}
		r.relabel(i, int(s.label[p]))
		delta := r.delta(i)
		t.upper[i] = r.upperOf(i, float64(s.best[p]), delta)
		t.lower[i] = math.Inf(1) // one center: nothing else to be nearer
		if k > 1 {
			t.lower[i] = r.lowerOf(i, float64(s.second[p]), delta)
		}
	}
}

// settle labels row i from its k values (Lloyd's own numbers: the argmin, lowest index on
// ties, is Lloyd's label) and sets fresh bounds.
func (r *rowWork[T]) settle(i int, vs []T) {
	t := r.t
	k := len(vs)
	if t.yy != nil {
		r.yinyangSettle(i, vs)
		return
	}
	a, second := leastTwo(vs)
	r.relabel(i, a)
	delta := r.delta(i)
	t.upper[i] = r.upperOf(i, float64(vs[a]), delta)
	if t.elkan {
		lo := t.lower[i*k : i*k+k]
		for j, v := range vs {
			lo[j] = r.lowerOf(i, float64(v), delta)
		}
		return
	}
	t.lower[i] = math.Inf(1) // one center: nothing else to be nearer
	if k > 1 {
		t.lower[i] = r.lowerOf(i, second, delta)
	}
}

// relabel gives row i label a.
func (r *rowWork[T]) relabel(i, a int) {
	if l := r.t.l; l.labels[i] != int32(a) {
		r.touched[l.labels[i]], r.touched[a] = true, true
		l.labels[i] = int32(a)
		r.relabelled = true
	}
}

// queue adds row i to the rows waiting for all their distances, computing a full batch.
func (r *rowWork[T]) queue(i int, s *rowScratch[T]) {
	s.pending = append(s.pending, i)
	if len(s.pending) == fullBatch {
		r.fullRows(s.pending)
		s.pending = s.pending[:0]
	}
}

// elkanBatch settles the rows [lo, hi) by Elkan's bounds, queueing the rest in s.pending.
func (r *rowWork[T]) elkanBatch(lo, hi int, s *rowScratch[T]) {
	for i := lo; i < hi; i++ {
		if !r.elkan(i) {
			r.queue(i, s)
		}
	}
}

// elkan keeps an upper bound and one lower bound per center for every row. It reports whether
// the bounds settled the row.
func (r *rowWork[T]) elkan(i int) bool {
	t, l := r.t, r.t.l
	k := l.k
	a := int(l.labels[i])
	lo := t.lower[i*k : i*k+k]
	for j, m := range t.move {
		lo[j] = max(0, (lo[j]-m)*roundDown)
	}
	up := (t.upper[i] + t.move[a]) * roundUp
	t.upper[i] = up
	delta := r.delta(i)
	if proven(up, 2*t.half[a]-up, delta) {
		return true
	}
	tight := false
	for j := 0; j < k; j++ {
		if j == a || proven(up, max(lo[j], t.cc[a*k+j]-up), delta) {
			continue
		}
		if tight {
			return false
		}
		va := r.v(l.x.Row(i), a)
		up = r.upperOf(i, va, delta)
		lo[a] = r.lowerOf(i, va, delta)
		t.upper[i] = up
		tight = true
		if !proven(up, max(lo[j], t.cc[a*k+j]-up), delta) {
			return false
		}
	}
	return true
}
