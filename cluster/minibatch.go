package cluster

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels"
)

// MiniBatchParams are the options of MiniBatchKMeans (scikit-learn's names in comments).
type MiniBatchParams struct {
	K                 int     // n_clusters
	Init              Init    // init
	NInit             int     // n_init: inits tried on the init subsample, scored on a validation sample
	MaxIter           int     // max_iter: passes over the data (fit)
	BatchSize         int     // batch_size
	Tol               float64 // tol, relative to the mean per-feature variance (fit); 0 = off
	MaxNoImprovement  int     // max_no_improvement; < 0 means None (never stop on it)
	InitSize          int     // init_size; 0 = scikit-learn's default 3·batch (at least 3·k)
	ReassignmentRatio float64 // reassignment_ratio
	Seed              uint64  // random_state
	Threads           int     // 0 = all cores
}

// DefaultMiniBatchParams returns scikit-learn's defaults.
func DefaultMiniBatchParams() MiniBatchParams {
	return MiniBatchParams{K: 8, Init: InitKMeansPP, NInit: 1, MaxIter: 100, BatchSize: 1024,
		MaxNoImprovement: 10, ReassignmentRatio: 0.01}
}

// MiniBatch is a mini-batch k-means model that learns from a stream of batches (PartialFit) or
// from a whole matrix (Fit), with scikit-learn's MiniBatchKMeans semantics: per-center
// weight sums give each center its learning rate 1/count, and centers whose count falls below
// reassignment_ratio × the largest are moved onto random rows of the batch every 10·k samples.
// A model is not safe for concurrent use.
type MiniBatch[T dense.Float] struct {
	p       MiniBatchParams
	d       int
	rng     *rand.Rand
	o       ops[T]
	centers []T
	counts  []float64
	batch   int // the batch size the reassignment schedule counts in
	since   int // samples seen since the last reassignment
	steps   int64
	ready   bool // centers initialised

	// scratch of a step
	labels []int32
	part   []T
	pack   []T // per chunk: the kernels' scratch where usePack says so
	cnorm  []T
	sums   []float64
	wsum   []float64
}

// NewMiniBatch returns an empty model for rows of d features. init (K×d) is used when
// p.Init == InitGiven.
func NewMiniBatch[T dense.Float](d int, p MiniBatchParams, init []T) (*MiniBatch[T], error) {
	switch {
	case d < 1:
		return nil, fault.Invalid("n_features=%d must be at least 1", d)
	case p.K < 1:
		return nil, fault.Invalid("n_clusters=%d must be at least 1", p.K)
	case p.BatchSize < 1:
		return nil, fault.Invalid("batch_size=%d must be at least 1", p.BatchSize)
	case p.MaxIter < 1:
		return nil, fault.Invalid("max_iter=%d must be at least 1", p.MaxIter)
	case p.NInit < 1:
		return nil, fault.Invalid("n_init=%d must be at least 1", p.NInit)
	case p.InitSize < 0:
		return nil, fault.Invalid("init_size=%d must be at least 1 (or 0 for the default)", p.InitSize)
	case !(p.Tol >= 0):
		return nil, fault.Invalid("tol=%v must be a non-negative number", p.Tol)
	case !(p.ReassignmentRatio >= 0) || math.IsInf(p.ReassignmentRatio, 0):
		return nil, fault.Invalid("reassignment_ratio=%v must be a finite number >= 0", p.ReassignmentRatio)
	case p.Init < InitKMeansPP || p.Init > InitGiven:
		return nil, fault.Invalid("init=%d is not a known initialisation", p.Init)
	case p.Init == InitGiven && len(init) != p.K*d:
		return nil, fault.Invalid("init centers have %d values, expected n_clusters×n_features = %d×%d", len(init), p.K, d)
	}
	m := &MiniBatch[T]{p: p, d: d, o: opsFor[T](), rng: rand.New(rand.NewPCG(p.Seed, 0x3a1b_a7c4_0dd5_eed5)),
		centers: make([]T, p.K*d), counts: make([]float64, p.K), cnorm: make([]T, p.K),
		sums: make([]float64, p.K*d), wsum: make([]float64, p.K)}
	if p.Init == InitGiven {
		if err := dense.CheckFiniteVec(init, "init centers"); err != nil {
			return nil, err
		}
		copy(m.centers, init)
	}
	return m, nil
}

// Centers returns the model's K×d centers (nil before the first batch) and per-center weight
// sums; the slices are the model's own.
func (m *MiniBatch[T]) Centers() ([]T, []float64) {
	if !m.ready {
		return nil, m.counts
	}
	return m.centers, m.counts
}

// Steps is the number of mini-batch steps taken.
func (m *MiniBatch[T]) Steps() int64 { return m.steps }

// SetState replaces the centers and weight sums (counts nil: zeros), e.g. to continue a model
// saved elsewhere; the model counts as initialised.
func (m *MiniBatch[T]) SetState(centers []T, counts []float64, steps int64) error {
	if len(centers) != m.p.K*m.d {
		return fault.Invalid("centers have %d values, expected %d×%d", len(centers), m.p.K, m.d)
	}
	if counts != nil && len(counts) != m.p.K {
		return fault.Invalid("counts have %d values, expected %d", len(counts), m.p.K)
	}
	if err := dense.CheckFiniteVec(centers, "centers"); err != nil {
		return err
	}
	copy(m.centers, centers)
	clear(m.counts)
	for j, c := range counts {
		if !(c >= 0) || math.IsInf(c, 0) {
			return fault.Invalid("counts[%d]=%v must be a finite number >= 0", j, c)
		}
		m.counts[j] = c
	}
	m.steps, m.ready = steps, true
	if m.batch == 0 {
		m.batch = m.p.BatchSize
	}
	return nil
}

func (m *MiniBatch[T]) checkBatch(x dense.Matrix[T], w []T) error {
	if err := x.Validate("X"); err != nil {
		return err
	}
	if x.Cols != m.d {
		return fault.Invalid("X has %d features, but the model has %d", x.Cols, m.d)
	}
	if err := dense.CheckFinite(x, "X"); err != nil {
		return err
	}
	return checkBatchWeights(w, x.Rows)
}

// checkBatchWeights checks a batch's weights: one per row, finite, non-negative.
func checkBatchWeights[T dense.Float](w []T, rows int) error {
	if w == nil {
		return nil
	}
	if len(w) != rows {
		return fault.Invalid("sample_weight has %d values for %d samples", len(w), rows)
	}
	if err := dense.CheckFiniteVec(w, "sample_weight"); err != nil {
		return err
	}
	for i, v := range w {
		if v < 0 {
			return fault.Invalid("sample_weight[%d]=%v is negative", i, v)
		}
	}
	return nil
}

// initSize is scikit-learn's _init_size for a fit on n rows.
func (m *MiniBatch[T]) initSize(n int) int {
	batch := min(m.p.BatchSize, n)
	s := m.p.InitSize
	if s == 0 {
		s = 3 * batch
		if s < m.p.K {
			s = 3 * m.p.K
		}
	} else if s < m.p.K {
		s = 3 * m.p.K
	}
	return min(s, n)
}

// initCenters draws initial centers from a subsample of size rows of x (drawn with
// replacement, as scikit-learn's init_size), or takes the given ones.
func (m *MiniBatch[T]) initCenters(x dense.Matrix[T], w []T, size int, out []T) error {
	if m.p.Init == InitGiven {
		copy(out, m.centers)
		return nil
	}
	sub, subW := x, w
	if size < x.Rows {
		sub, subW = gatherRows(x, w, size, func() int { return m.rng.IntN(x.Rows) })
	}
	if m.p.Init == InitRandom {
		randomInit(sub, subW, m.p.K, m.rng, out)
		return nil
	}
	return kmeansPlusPlus(sub, subW, m.p.K, m.p.Threads, m.rng, out)
}

// gatherRows copies n rows of x chosen by next() (and their weights) into a new matrix.
func gatherRows[T dense.Float](x dense.Matrix[T], w []T, n int, next func() int) (dense.Matrix[T], []T) {
	d := x.Cols
	out := make([]T, n*d)
	var ow []T
	if w != nil {
		ow = make([]T, n)
	}
	for r := 0; r < n; r++ {
		i := next()
		copy(out[r*d:r*d+d], x.Row(i))
		if w != nil {
			ow[r] = w[i]
		}
	}
	return dense.Matrix[T]{Data: out, Rows: n, Cols: d, Stride: d}, ow
}

// PartialFit updates the model with one batch, as scikit-learn's partial_fit: the first batch
// also initialises the centers (from an init_size subsample of it) and fixes the batch size the
// reassignment schedule counts in.
func (m *MiniBatch[T]) PartialFit(x dense.Matrix[T], w []T) error {
	if err := m.checkBatch(x, w); err != nil {
		return err
	}
	if !m.ready {
		if x.Rows < m.p.K {
			return fault.Invalid("n_samples=%d should be >= n_clusters=%d", x.Rows, m.p.K)
		}
		m.batch = min(m.p.BatchSize, x.Rows)
		if err := m.initCenters(x, w, m.initSize(x.Rows), m.centers); err != nil {
			return err
		}
		clear(m.counts)
		m.since = 0
		m.ready = true
	}
	_, err := m.step(x, w, m.reassignDue())
	m.steps++
	return err
}

// reassignDue is scikit-learn's _random_reassign: every 10·k samples, or whenever a center
// has never received any weight.
func (m *MiniBatch[T]) reassignDue() bool {
	m.since += m.batch
	zero := false
	for _, c := range m.counts {
		zero = zero || c == 0
	}
	if zero || m.since >= 10*m.p.K {
		m.since = 0
		return true
	}
	return false
}

// step assigns the batch to the current centers, moves each center to the weighted mean of
// its old position (weight: its count) and its new rows, and reassigns starved centers. It
// returns the batch's inertia before the update.
func (m *MiniBatch[T]) step(x dense.Matrix[T], w []T, reassign bool) (float64, error) {
	k, d, n := m.p.K, m.d, x.Rows
	if cap(m.labels) < n {
		m.labels, m.part = make([]int32, n), make([]T, n)
	}
	labels := m.labels[:n]
	m.o.sqNorms(m.centers, d, k, d, m.cnorm)
	chunks := rowChunks(n)
	pl := kernels.PackLen(d)
	if usePack(n, d, k) && len(m.pack) < chunks.Count*pl {
		m.pack = make([]T, chunks.Count*pl)
	}
	err := parallel.Run(chunks, m.p.Threads, func(ci, lo, hi int) error {
		var pack []T
		if usePack(n, d, k) {
			pack = m.pack[ci*pl : (ci+1)*pl]
		}
		m.o.nearestPacked(x.Data[lo*x.Stride:], x.Stride, hi-lo, d, m.centers, k, m.cnorm, labels[lo:hi], m.part[lo:hi], pack)
		return nil
	})
	if err != nil {
		return 0, err
	}
	inertia, err := weightedInertia(x, w, m.centers, labels, m.o, chunks, m.p.Threads)
	if err != nil {
		return 0, err
	}
	clear(m.sums)
	clear(m.wsum)
	m.o.accumulate(x.Data, x.Stride, n, d, labels, w, m.sums, m.wsum)
	for j := 0; j < k; j++ {
		if m.wsum[j] <= 0 {
			continue
		}
		c := m.centers[j*d : j*d+d]
		total := m.counts[j] + m.wsum[j]
		for f := range c {
			c[f] = T((float64(c[f])*m.counts[j] + m.sums[j*d+f]) / total)
		}
		m.counts[j] = total
	}
	if reassign && m.p.ReassignmentRatio > 0 {
		m.reassign(x)
	}
	return inertia, nil
}

// reassign moves the centers whose count is below reassignment_ratio × the largest count onto
// distinct rows of the batch drawn uniformly (at most half the batch's rows of them, the
// lowest counts first), then gives them the smallest count of the others so they are not moved
// again at once — scikit-learn's rule, including that side effect on their learning rate.
func (m *MiniBatch[T]) reassign(x dense.Matrix[T]) {
	k, d := m.p.K, m.d
	most := 0.0
	for _, c := range m.counts {
		most = max(most, c)
	}
	var move []int
	for j, c := range m.counts {
		if c < m.p.ReassignmentRatio*most {
			move = append(move, j)
		}
	}
	if limit := x.Rows / 2; len(move) > limit {
		sort.SliceStable(move, func(a, b int) bool { return m.counts[move[a]] < m.counts[move[b]] })
		move = move[:limit]
		sort.Ints(move)
	}
	if len(move) == 0 {
		return
	}
	rows := m.rng.Perm(x.Rows)[:len(move)]
	moved := make([]bool, k)
	for r, j := range move {
		copy(m.centers[j*d:j*d+d], x.Row(rows[r]))
		moved[j] = true
	}
	least := math.Inf(1)
	for j, c := range m.counts {
		if !moved[j] {
			least = min(least, c)
		}
	}
	if math.IsInf(least, 1) {
		return // every center moved (reassignment_ratio > 1): leave the counts
	}
	for _, j := range move {
		m.counts[j] = least
	}
}
