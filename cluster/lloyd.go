package cluster

import (
	"math"
	"slices"
	"sync"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels"
)

// lloyd holds the data and scratch of Lloyd iterations on one matrix, reused across restarts.
type lloyd[T dense.Float] struct {
	x       dense.Matrix[T]
	w       []T
	k       int
	threads int
	ops     ops[T]
	chunks  parallel.Chunks

	labels    []int32
	oldLabels []int32 // the labels before the last fused pass: assign swaps the two buffers
	// unlabelled: no pass has labelled the rows since the fit (re)started, so the next fused
	// pass changes every label whatever the buffers hold.
	unlabelled  bool
	changed     []bool     // per chunk: did the fused pass change a label (see labelsChanged)
	sums, wsums []float64  // per chunk: k×d weighted sums and k weights (bound-based assignments; newTriangle makes them)
	fold        *chunkFold // the plain assignment's sums, added up as the chunks finish
	cnorm       []T
	pack        []T            // per chunk: scratch of the packed tile (k > 8) or of the wide pass (d > 64)
	tri         *triangle[T]   // set: Hamerly or Elkan assignments instead of the fused kernel
	gemm        *gemmAssign[T] // set: ops.nearest/lloyd run on the GEMM tile (useGemmTile)
	// minima, if set (a bound-based fit on the GEMM tile, see triangle.warmUpper): per row, the
	// least value ‖c_j‖² − 2x·c_j of the last fused pass, which the GEMM tile computes anyway;
	// leftMinima says whether the last pass wrote them (not where the mixed labels took it).
	minima     []T
	leftMinima bool
}

func newLloyd[T dense.Float](x dense.Matrix[T], w []T, k, threads int) *lloyd[T] {
	return newLloydOn(x, w, k, threads, nil)
}

// newLloydOn is newLloyd with labels (x.Rows long; nil: a slice of its own) as the first of
// its two labels buffers: after a pass the labels are in l.labels, which may be either.
func newLloydOn[T dense.Float](x dense.Matrix[T], w []T, k, threads int, labels []int32) *lloyd[T] {
	l := newAssigner(x, w, k, threads, labels)
	c := l.chunks
	l.oldLabels = make([]int32, x.Rows)
	l.changed = make([]bool, c.Count)
	l.fold = newChunkFold(k, x.Cols, c.Count)
	return l
}

// newAssigner is newLloyd without the scratch of the iterations (the sums, the previous labels):
// enough for labelsAndInertia, all that Predict runs; a prediction of one row
// at d = 1024, k = 8 would otherwise clear 64 KB of sums it never uses.
// labels, if not nil, is where the labels go (x.Rows of them); nil: a slice of its own.
func newAssigner[T dense.Float](x dense.Matrix[T], w []T, k, threads int, labels []int32) *lloyd[T] {
	c := assignChunks(x.Rows, x.Cols)
	if labels == nil {
		labels = make([]int32, x.Rows)
	}
	var pack []T
	if usePack(x.Rows, x.Cols, k) {
		pack = make([]T, c.Count*kernels.PackLen(x.Cols))
	}
	o := opsFor[T]()
	var g *gemmAssign[T]
	if useGemmTile(x.Cols, k) {
		g = newGemmAssign[T](x.Cols, k)
		o.nearest, o.lloyd = g.nearest, g.lloyd // the same labels and sums, bit for bit
	}
	return &lloyd[T]{pack: pack, gemm: g,
		x: x, w: w, k: k, threads: threads, ops: o, chunks: c,
		labels: labels[:x.Rows],
		cnorm:  make([]T, k),
	}
}

// fit runs Lloyd's algorithm from centers (updated in place) as scikit-learn's
// _kmeans_single_lloyd does: stop when the labels no longer change (strict convergence) or when
// Σ‖Δcenter‖² ≤ tol; without strict convergence, one last assignment to the final centers.
func (l *lloyd[T]) fit(centers []T, maxIter int, tol float64, progress func(iter int) bool) (*KMeansResult[T], error) {
	l.unlabelled = true
	newCenters := make([]T, len(centers))
	strict := false
	iter := 0
	if l.tri != nil {
		l.tri.restart()
	}
	for iter < maxIter {
		if err := l.assignIteration(centers); err != nil {
			return nil, err
		}
		shift := l.updateCenters(centers, newCenters)
		centers, newCenters = newCenters, centers
		iter++
		if !progress(iter) {
			return nil, fault.Cancelled("k-means cancelled by the progress callback after %d iterations", iter)
		}
		if !l.labelsChanged() {
			strict = true
			break
		}
		if shift <= tol {
			break
		}
	}
	var inertia float64
	var err error
	switch {
	case strict: // the labels stand; only the inertia to the last centers is left
		inertia, err = l.inertia(centers)
	case l.tri != nil && l.tri.started && !l.tri.warm:
		// The last centers moved by at most tol: their bounds settle nearly every row, and
		// the bound-based pass gives Lloyd's labels (its sums are left unused). At 65536×32,
		// k = 64 float32 (Hamerly, 41 iterations) the labelling pass it replaces took 1.9 of
		// the fit's 37 ms. (Without bounds yet, as right after the warm-up, the pass would
		// compute every row's values and bounds: Lloyd's labelling costs less.)
		if err = l.tri.assign(centers); err == nil {
			inertia, err = l.inertia(centers)
		}
	default:
		inertia, err = l.labelsAndInertia(centers, true)
	}
	if err != nil {
		return nil, err
	}
	// Labels is l.labels itself, which the next fit on l writes over (FitKMeansInto keeps it).
	return &KMeansResult[T]{Centers: slices.Clone(centers), Labels: l.labels, Inertia: inertia, NIter: iter}, nil
}

// labelsChanged reports whether this iteration's assignment changed any label: some chunk's
// changed flag is set. The fused pass sets them comparing its labels with oldLabels, the labels
// before it (see assign); a bound-based pass sets them as it relabels rows (triangle.assign).
func (l *lloyd[T]) labelsChanged() bool {
	return slices.Contains(l.changed, true)
}

// assignIteration is the assignment step of one iteration: labels and per-chunk sums.
func (l *lloyd[T]) assignIteration(centers []T) error {
	if l.tri != nil {
		return l.tri.assign(centers)
	}
	return l.assign(centers)
}

// usePack reports whether the kernels' scratch pays for n rows, d features and k centers: the
// packed tile (k > 8), the streaming pass for few centers and wide rows (d > 64), and only from
// a tile of rows (the widest backend's, 32), which the streaming pass needs: predicting a few
// rows must not allocate and clear PackLen(d) elements per chunk.
func usePack(n, d, k int) bool { return n >= 32 && (k > 8 || d > 64) }

// chunkPack is chunk ci's scratch for the packed tile or the wide pass (nil where usePack says no).
func (l *lloyd[T]) chunkPack(ci int) []T {
	if l.pack == nil {
		return nil
	}
	m := kernels.PackLen(l.x.Cols)
	return l.pack[ci*m : (ci+1)*m]
}

// assign sets l.labels to the nearest center of every row and adds up the weighted sums of the
// rows of each cluster (l.fold).
func (l *lloyd[T]) assign(centers []T) error {
	x, k, d := l.x, l.k, l.x.Cols
	// The labels before this pass become oldLabels, and the pass writes over the older buffer:
	// comparing needs no copy of the labels (a pass over them at every iteration that took
	// 2–3% of one at 10⁶×10, k = 3 float32).
	l.labels, l.oldLabels = l.oldLabels, l.labels
	unlabelled := l.unlabelled
	l.unlabelled = false
	l.prepareCenters(centers)
	// The minima come with the float64 tile's labels at no cost, but asking for them would keep
	// the mixed labels (float32 products, useMixed) from the pass: at 65536×256, k = 64 on blob
	// data a warm-up pass of a Hamerly fit then took 22–24 ms against Lloyd's 15–20. They
	// serve only to find the farthest rows if a cluster empties (triangle.farthest), which
	// otherwise scans X once; so where the mixed labels run, the pass leaves none.
	l.leftMinima = l.minima != nil && l.gemm != nil && !l.gemm.mixedServes()
	l.fold.start()
	err := parallel.Run(l.chunks, l.threads, func(ci, lo, hi int) error {
		xc := x.Data[lo*x.Stride:]
		// The fused kernel blocks the chunk into cache-sized tiles itself and adds the rows in
		// row order into this chunk's own sums, so adding the chunks' sums up in chunk order
		// (l.fold) gives the same bits for any thread count.
		var w []T
		if l.w != nil {
			w = l.w[lo:hi]
		}
		buf, sums, wsums := l.fold.buffer(ci)
		if l.leftMinima {
			l.gemm.rows(xc, x.Stride, hi-lo, d, k, l.cnorm, l.labels[lo:hi], l.minima[lo:hi], w, sums, wsums, true)
		} else {
			l.ops.lloyd(xc, x.Stride, hi-lo, d, centers, k, l.cnorm, w, l.labels[lo:hi], sums, wsums, l.chunkPack(ci))
		}
		l.fold.done(ci, buf)
		// Compare with the previous labels while the chunk is still in cache and on every
		// thread: a serial pass over all labels cost a fifth of an iteration at d=3.
		l.changed[ci] = unlabelled || !labelsEqual(l.labels[lo:hi], l.oldLabels[lo:hi])
		return nil
	})
	l.fold.finish()
	return err
}

// prepareCenters computes the centers' squared norms and packs them for the GEMM tile, if any
// (newAssigner pointed ops.nearest/lloyd at it).
func (l *lloyd[T]) prepareCenters(centers []T) {
	l.ops.sqNorms(centers, l.x.Cols, l.k, l.x.Cols, l.cnorm)
	if l.gemm != nil {
		l.gemm.pack(centers, l.cnorm, l.x.Cols, l.k)
	}
}

// nearestRows sets the labels of rows lo…hi of chunk ci to their nearest centers (l.cnorm and
// the GEMM tile's centers prepared by the caller), and part[:hi−lo] to their minima of
// ‖c_j‖² − 2x·c_j.
func (l *lloyd[T]) nearestRows(centers []T, ci, lo, hi int, part []T) {
	x, d := l.x, l.x.Cols
	xc := x.Data[lo*x.Stride:]
	if l.gemm != nil {
		l.ops.nearest(xc, x.Stride, hi-lo, d, centers, l.k, l.cnorm, l.labels[lo:hi], part[:hi-lo])
		return
	}
	// With the scratch: the streaming pass at k ≤ 8, d > 64, as lloyd's.
	l.ops.nearestPacked(xc, x.Stride, hi-lo, d, centers, l.k, l.cnorm, l.labels[lo:hi], part[:hi-lo], l.chunkPack(ci))
}

// labelsAndInertia sets l.labels to the nearest center of every row (no sums) and returns the
// inertia to those centers (with inertia; 0 without), in one read of x: each span of rows gets
// its inertia right after its labels, while the rows are still in cache (a fit that stops on the
// tolerance, and every Predict, otherwise read x twice). Labels and inertia equal those of two
// passes bit for bit: a row's label does not depend on the rows called with it, and each chunk
// adds its rows' distances in the same order.
//
// The result is NaN or infinite if x holds a NaN or ±Inf (Predict checks x only then): such a
// row's distance to any center is NaN or infinite, whatever its label and (finite) weight; and
// without the inertia, each of its values ‖c‖² − 2x·c is, so its minimum is too.
func (l *lloyd[T]) labelsAndInertia(centers []T, inertia bool) (float64, error) {
	x, d := l.x, l.x.Cols
	l.prepareCenters(centers)
	span := inertiaSpan(d, elemBytes[T]())
	if !inertia {
		span = l.chunks.Size // nothing to take while the rows are in cache: a chunk per call
	}
	part := make([]float64, l.chunks.Count)
	// The minima of a span go into buffers the workers hand on (as gemmAssign's scratch): an
	// n-long slice, cleared at every call, took as long as the labels-only pass itself at 10⁶×3.
	size := min(span, l.chunks.Size)
	minima := sync.Pool{New: func() any { m := make([]T, size); return &m }}
	err := parallel.Run(l.chunks, l.threads, func(ci, lo, hi int) error {
		var s float64
		mp := minima.Get().(*[]T)
		defer minima.Put(mp)
		m := *mp
		for b := lo; b < hi; b += span {
			e := min(b+span, hi)
			l.nearestRows(centers, ci, b, e, m)
			switch {
			case inertia && !labelsInRange(l.labels[b:e], l.k):
				// A label no center has could only come from a NaN or ±Inf in x (and would
				// make sqDistRows panic).
				s = math.NaN()
			case inertia:
				s = addInertia(s, x, l.w, centers, l.labels, l.ops, b, e)
			case !dense.AllFinite(m[:e-b]):
				s = math.NaN()
			}
		}
		part[ci] = s
		return nil
	})
	if err != nil {
		return 0, err
	}
	return sumInertia(part)
}

// labelsInRange reports whether every label names one of k centers.
func labelsInRange(labels []int32, k int) bool {
	for _, j := range labels {
		if uint32(j) >= uint32(k) {
			return false
		}
	}
	return true
}

// inertiaSpan is the rows labelled before their inertia is taken: about 256 KB of them, so they
// are still in L2, in whole kernel blocks.
func inertiaSpan(d, bytes int) int {
	return max(1, (256<<10)/(d*bytes*blockRows)) * blockRows
}

// updateCenters takes the sums of the chunks added up in chunk order, moves empty clusters
// onto the points farthest from their centers, writes the means into next and returns
// Σ‖next − centers‖².
func (l *lloyd[T]) updateCenters(centers, next []T) float64 {
	k, d := l.k, l.x.Cols
	var sums, wsum []float64
	if l.tri == nil || l.tri.lloydPass { // Lloyd's own pass (also a triangle fit's warm-up) folds its sums
		if !l.fold.complete() {
			panic("cluster: center update after an incomplete assignment")
		}
		sums, wsum = l.fold.sums(), l.fold.weights()
	} else {
		sums, wsum = l.tri.reducedSums()
	}
	l.relocateEmpty(centers, sums, wsum)
	var shift float64
	for j := 0; j < k; j++ {
		src := sums[j*d : j*d+d]
		dst := next[j*d : j*d+d]
		inv := 1.0
		if wsum[j] > 0 {
			inv = 1 / wsum[j]
		}
		for f, v := range src {
			dst[f] = T(v * inv)
		}
		shift += l.ops.sqDist(dst, centers[j*d:j*d+d])
	}
	return shift
}

// relocateEmpty gives every cluster with zero weight the point farthest from its assigned
// center, largest distance first (scikit-learn's _relocate_empty_clusters; among exactly equal
// distances the lower row index goes first here, where scikit-learn's order is arbitrary).
// Like scikit-learn, the labels are left as they were: the next assignment settles them.
func (l *lloyd[T]) relocateEmpty(centers []T, sums, wsum []float64) {
	var empty []int
	for j, v := range wsum {
		if v == 0 {
			empty = append(empty, j)
		}
	}
	if len(empty) == 0 {
		return
	}
	d := l.x.Cols
	order := l.farthestFromCenters(centers, len(empty))
	for e, j := range empty {
		far := order[e]
		wf := 1.0
		if l.w != nil {
			wf = float64(l.w[far])
		}
		old := int(l.labels[far])
		row := l.x.Row(far)
		for f, v := range row {
			sums[old*d+f] -= wf * float64(v)
			sums[j*d+f] = wf * float64(v)
		}
		wsum[old] -= wf
		wsum[j] = wf
	}
}

// farthestFromCenters returns the m rows farthest from their centers (farthestRows of every
// row's sqDistRows distance); a bound-based fit finds them from its bounds when it can
// (triangle.farthest, the same rows).
func (l *lloyd[T]) farthestFromCenters(centers []T, m int) []int {
	if l.tri != nil {
		if order, ok := l.tri.farthest(centers, m); ok {
			return order
		}
	}
	x, d := l.x, l.x.Cols
	dist := make([]float64, x.Rows)
	// Per row, so the chunks may run on any thread; the error is a worker panic, re-raised.
	if err := parallel.Run(l.chunks, l.threads, func(_, lo, hi int) error {
		l.ops.sqDistRows(x.Data[lo*x.Stride:], x.Stride, hi-lo, d, centers, l.labels[lo:hi], dist[lo:hi])
		return nil
	}); err != nil {
		panic(err)
	}
	return farthestRows(dist, m)
}

// inertia returns Σ w·‖x − center(label)‖², computed in float64 and reduced in chunk order.
func (l *lloyd[T]) inertia(centers []T) (float64, error) {
	return weightedInertia(l.x, l.w, centers, l.labels, l.ops, l.chunks, l.threads)
}

func weightedInertia[T dense.Float](x dense.Matrix[T], w, centers []T, labels []int32, o ops[T], c parallel.Chunks, threads int) (float64, error) {
	part := make([]float64, c.Count)
	err := parallel.Run(c, threads, func(ci, lo, hi int) error {
		part[ci] = addInertia(0, x, w, centers, labels, o, lo, hi)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return sumInertia(part)
}

// addInertia adds w·‖x − center(label)‖² of rows lo…hi to s, in row order.
func addInertia[T dense.Float](s float64, x dense.Matrix[T], w, centers []T, labels []int32, o ops[T], lo, hi int) float64 {
	d := x.Cols
	var dist [blockRows]float64 // a block's distances, added in row order
	for b := lo; b < hi; b += blockRows {
		e := min(b+blockRows, hi)
		o.sqDistRows(x.Data[b*x.Stride:], x.Stride, e-b, d, centers, labels[b:e], dist[:e-b])
		for i, v := range dist[:e-b] {
			if w != nil {
				v *= float64(w[b+i])
			}
			s += v
		}
	}
	return s
}

// sumInertia adds the chunks' inertias in chunk order.
func sumInertia(part []float64) (float64, error) {
	var total float64
	for _, v := range part {
		total += v
	}
	if math.IsNaN(total) {
		return 0, fault.Internal("inertia is NaN")
	}
	return total, nil
}
