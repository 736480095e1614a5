package cluster

import (
	"math"
	"sort"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
)

// MiniBatchResult is what Fit reports besides the model's centers.
type MiniBatchResult struct {
	Steps   int64   // n_steps_: mini-batch steps taken
	NIter   int     // n_iter_: passes over the data, ⌈steps·batch / n⌉
	EWA     float64 // the smoothed mean batch inertia when the fit stopped (inertia_ without labels)
	Weights float64 // Σ sample_weight
}

// Fit learns the model from the whole matrix x as scikit-learn's MiniBatchKMeans.fit: n_init
// initialisations on init_size-row subsamples, the one with the lowest inertia on a validation
// subsample kept; then ⌊max_iter·n / batch⌋ steps on batches drawn with replacement with
// probability ∝ sample_weight (and unit weights in the step), stopping early when the centers
// move less than tol (tol > 0) or when the exponentially weighted average of the mean batch
// inertia has not improved for max_no_improvement steps. The model's previous state is
// replaced.
func (m *MiniBatch[T]) Fit(x dense.Matrix[T], w []T) (*MiniBatchResult, error) {
	if err := m.checkBatch(x, w); err != nil {
		return nil, err
	}
	n, k, d := x.Rows, m.p.K, m.d
	if n < k {
		return nil, fault.Invalid("n_samples=%d should be >= n_clusters=%d", n, k)
	}
	tol, err := scaledTolerance(x, m.p.Tol, m.p.Threads)
	if err != nil {
		return nil, err
	}
	m.batch = min(m.p.BatchSize, n)
	size := m.initSize(n)
	valid, validW := gatherRows(x, w, size, func() int { return m.rng.IntN(n) })
	given := m.p.Init == InitGiven
	best, cand := make([]T, k*d), make([]T, k*d)
	bestInertia := math.Inf(1)
	validLabels := make([]int32, size)
	for r := 0; r < m.p.NInit; r++ {
		if err := m.initCenters(x, w, size, cand); err != nil {
			return nil, err
		}
		cm := dense.Matrix[T]{Data: cand, Rows: k, Cols: d, Stride: d}
		in, err := Predict(valid, cm, validW, m.p.Threads, validLabels)
		if err != nil {
			return nil, err
		}
		if in < bestInertia || r == 0 {
			bestInertia = in
			best, cand = cand, best
		}
		if given {
			break
		}
	}
	copy(m.centers, best)
	clear(m.counts)
	m.since, m.steps, m.ready = 0, 0, true

	var total float64
	var cum []float64 // cumulative weights, for draws ∝ sample_weight
	if w != nil {
		cum = make([]float64, n)
		for i, v := range w {
			total += float64(v)
			cum[i] = total
		}
	} else {
		total = float64(n)
	}
	if !(total > 0) {
		return nil, fault.Invalid("sample_weight sums to %v: at least one weight must be positive", total)
	}
	draw := func() int { return m.rng.IntN(n) }
	if w != nil {
		draw = func() int { return min(sort.SearchFloat64s(cum, m.rng.Float64()*total), n-1) }
	}
	nSteps := int64(m.p.MaxIter) * int64(n) / int64(m.batch)
	prev := make([]T, k*d)
	stop := earlyStop{batch: m.batch, n: n, tol: tol, maxNoImprovement: m.p.MaxNoImprovement}
	res := &MiniBatchResult{Weights: total}
	batch := dense.Matrix[T]{Data: make([]T, m.batch*d), Rows: m.batch, Cols: d, Stride: d}
	for i := int64(0); i < nSteps; i++ {
		for r := 0; r < m.batch; r++ {
			copy(batch.Data[r*d:r*d+d], x.Row(draw()))
		}
		if tol > 0 {
			copy(prev, m.centers)
		}
		reassign := m.reassignDue()
		inertia, err := m.step(batch, nil, reassign)
		if err != nil {
			return nil, err
		}
		m.steps++
		var shift float64
		if tol > 0 {
			for j := 0; j < k; j++ {
				shift += m.o.sqDist(m.centers[j*d:j*d+d], prev[j*d:j*d+d])
			}
		}
		if stop.converged(i, inertia, shift) {
			break
		}
	}
	res.Steps = m.steps
	res.NIter = int(math.Ceil(float64(m.steps) * float64(m.batch) / float64(n)))
	res.EWA = stop.ewa
	return res, nil
}

// earlyStop is scikit-learn's _mini_batch_convergence.
type earlyStop struct {
	batch, n         int
	tol              float64
	maxNoImprovement int
	ewa, ewaMin      float64
	haveEWA, haveMin bool
	noImprovement    int
}

// converged takes step i's batch inertia (before its update) and the squared center shift.
func (s *earlyStop) converged(i int64, inertia, shift float64) bool {
	mean := inertia / float64(s.batch)
	if i == 0 {
		return false // the first step's inertia is that of the initialisation
	}
	if !s.haveEWA {
		s.ewa, s.haveEWA = mean, true
	} else {
		alpha := min(float64(s.batch)*2/float64(s.n+1), 1)
		s.ewa = s.ewa*(1-alpha) + mean*alpha
	}
	if s.tol > 0 && shift <= s.tol {
		return true
	}
	if !s.haveMin || s.ewa < s.ewaMin {
		s.noImprovement, s.ewaMin, s.haveMin = 0, s.ewa, true
	} else {
		s.noImprovement++
	}
	return s.maxNoImprovement >= 0 && s.noImprovement >= s.maxNoImprovement
}
