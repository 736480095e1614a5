// Package cluster holds fastmva's clustering algorithms: k-means (initialisation, Lloyd),
// and later preprocessing, cluster signals and the metrics that choose the number of clusters.
// Pure Go: it knows nothing of cgo or Python. Parallel loops run over fixed chunks reduced in
// chunk order, so results do not depend on the thread count.
package cluster

import (
	"math"
	"math/rand/v2"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
)

// Init selects how k-means chooses its first centers.
type Init int

const (
	InitKMeansPP Init = iota // greedy k-means++
	InitRandom               // k distinct rows, drawn with probability ∝ sample weight
	InitGiven                // the caller's centers
)

// Algorithm selects how the assignment step of k-means is done. All give Lloyd's result.
type Algorithm int

const (
	AlgoLloyd   Algorithm = iota // every distance, by the fused Lloyd kernel
	AlgoElkan                    // Elkan: one upper and k lower bounds per row
	AlgoHamerly                  // Hamerly: one upper and one lower bound per row
	AlgoAuto                     // ChooseAlgorithm's pick
	AlgoYinyang                  // Yinyang: one upper bound and one lower bound per group of centers
)

// KMeansParams are the options of FitKMeans (scikit-learn's KMeans names in comments).
type KMeansParams struct {
	K       int     // n_clusters
	Init    Init    // init
	NInit   int     // n_init: restarts, the lowest inertia wins
	MaxIter int     // max_iter
	Tol     float64 // tol, relative to the mean per-feature variance
	Seed    uint64  // random_state
	Threads int     // 0 = all cores
	// Algorithm of the assignment step (algorithm); the zero value is Lloyd.
	Algorithm Algorithm
	// Progress, if set, is called on the caller's goroutine after every Lloyd iteration with the
	// iterations done so far and the most there can be; returning false cancels the fit.
	Progress func(done, total int64) bool
}

// DefaultKMeansParams returns scikit-learn's defaults (k = 8, k-means++, one restart).
func DefaultKMeansParams() KMeansParams {
	return KMeansParams{K: 8, Init: InitKMeansPP, NInit: 1, MaxIter: 300, Tol: 1e-4}
}

// KMeansResult is a fitted k-means model.
type KMeansResult[T dense.Float] struct {
	Centers []T     // K×d, row-major
	Labels  []int32 // one per row of X
	Inertia float64 // Σ w·‖x − center‖², in float64
	NIter   int     // Lloyd iterations of the kept restart
}

// FitKMeans clusters the rows of x. w (one weight per row) may be nil for unit weights; init
// holds the K×d initial centers when p.Init == InitGiven.
func FitKMeans[T dense.Float](x dense.Matrix[T], w, init []T, p KMeansParams) (*KMeansResult[T], error) {
	return FitKMeansInto(x, w, init, p, nil)
}

// FitKMeansInto is FitKMeans with the labels written into labels (x.Rows of them; nil: a
// slice of its own), which the result's Labels then is. On an error its contents are
// unspecified. With one restart the iterations label the rows there themselves, so a caller
// that owns the output (the C API) gets them without a fresh buffer and two copies: a
// 10⁶×32, k = 8 float32 fit from Python (nine in a row) took a median of about a thousand page
// faults before, a few dozen after (its time moved within the noise, ±5%).
func FitKMeansInto[T dense.Float](x dense.Matrix[T], w, init []T, p KMeansParams, labels []int32) (*KMeansResult[T], error) {
	if labels != nil && len(labels) != x.Rows {
		return nil, fault.Invalid("labels has %d elements for %d rows of X", len(labels), x.Rows)
	}
	algo := resolveAlgorithm(p.Algorithm, x.Cols, p.K, elemBytes[T]())
	var norms []float64 // a bound-based fit's ‖x_i‖², taken with the variance (meanVariance)
	if (algo == AlgoHamerly || algo == AlgoElkan || algo == AlgoYinyang) && p.K >= 1 && p.K <= x.Rows {
		norms = make([]float64, x.Rows)
	}
	variance, err := validateKMeans(x, w, init, p, norms)
	if err != nil {
		return nil, err
	}
	tol := 0.0 // scikit-learn's tolerance, relative to the mean per-feature variance
	if p.Tol != 0 {
		tol = p.Tol * variance
	}
	var own []int32 // the labels buffer the iterations may use as one of their two
	if p.NInit == 1 {
		own = labels
	}
	run := newLloydOn(x, w, p.K, p.Threads, own)
	if algo != AlgoLloyd {
		if run.tri, err = newTriangle(run, algo, norms); err != nil {
			return nil, err
		}
	}
	rng := rand.New(rand.NewPCG(p.Seed, 0x5eed_f00d_cafe_b0ba))
	total := int64(p.MaxIter) * int64(p.NInit)
	var best *KMeansResult[T]
	var kept []int32 // the best restart's labels while later restarts run
	for r := 0; r < p.NInit; r++ {
		centers := make([]T, p.K*x.Cols)
		switch p.Init {
		case InitGiven:
			copy(centers, init)
		case InitRandom:
			randomInit(x, w, p.K, rng, centers)
		default:
			if err := kmeansPlusPlus(x, w, p.K, p.Threads, rng, centers); err != nil {
				return nil, err
			}
		}
		progress := func(it int) bool {
			return p.Progress == nil || p.Progress(int64(r*p.MaxIter+it), total)
		}
		res, err := run.fit(centers, p.MaxIter, tol, progress)
		if err != nil {
			return nil, err
		}
		// scikit-learn's rule: a lower inertia replaces the best run only if its clustering is
		// another one; the same partition with a rounding-level lower inertia keeps the first.
		if best == nil || (res.Inertia < best.Inertia && !sameClustering(res.Labels, best.Labels, p.K)) {
			best = res
			if r+1 < p.NInit { // res.Labels is the iterations' buffer, which the next restart reuses
				kept = append(kept[:0], res.Labels...)
				best.Labels = kept
			}
		}
	}
	if labels == nil {
		labels = make([]int32, x.Rows)
	}
	if &labels[0] != &best.Labels[0] {
		copy(labels, best.Labels)
	}
	best.Labels = labels
	return best, nil
}

// validateKMeans checks the data and the parameters of a fit and returns the mean per-feature
// variance of X (meanVariance), whose pass over X also tells whether X is finite.
func validateKMeans[T dense.Float](x dense.Matrix[T], w, init []T, p KMeansParams, norms []float64) (float64, error) {
	if err := x.Validate("X"); err != nil {
		return 0, err
	}
	switch {
	case p.K < 1:
		return 0, fault.Invalid("n_clusters=%d must be at least 1", p.K)
	case p.K > x.Rows:
		return 0, fault.Invalid("n_samples=%d should be >= n_clusters=%d", x.Rows, p.K)
	case p.NInit < 1:
		return 0, fault.Invalid("n_init=%d must be at least 1", p.NInit)
	case p.MaxIter < 1:
		return 0, fault.Invalid("max_iter=%d must be at least 1", p.MaxIter)
	case !(p.Tol >= 0):
		return 0, fault.Invalid("tol=%v must be a non-negative number", p.Tol)
	case p.Algorithm < AlgoLloyd || p.Algorithm > AlgoYinyang:
		return 0, fault.Invalid("algorithm=%d is not a known k-means algorithm", p.Algorithm)
	case p.Init < InitKMeansPP || p.Init > InitGiven:
		return 0, fault.Invalid("init=%d is not a known initialisation", p.Init)
	case w != nil && len(w) != x.Rows:
		return 0, fault.Invalid("sample_weight has %d values for %d samples", len(w), x.Rows)
	case p.Init == InitGiven && len(init) != p.K*x.Cols:
		return 0, fault.Invalid("init centers have %d values, expected n_clusters×n_features = %d×%d",
			len(init), p.K, x.Cols)
	}
	variance, err := meanVariance(x, p.Threads, norms)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(variance) || math.IsInf(variance, 0) {
		// A NaN or ±Inf in X (or squares beyond float64): the scan names the first one.
		if err := dense.CheckFinite(x, "X"); err != nil {
			return 0, err
		}
	}
	if w != nil {
		if err := checkWeights(w, p); err != nil {
			return 0, err
		}
	}
	if p.Init == InitGiven {
		if err := dense.CheckFiniteVec(init, "init centers"); err != nil {
			return 0, err
		}
	}
	return variance, nil
}

// checkWeights refuses what would make the weighted draws or means undefined: non-finite or
// negative weights, weights that are all zero, and (init "random" draws k distinct rows with
// probability ∝ weight) fewer than k rows of positive weight.
func checkWeights[T dense.Float](w []T, p KMeansParams) error {
	if err := dense.CheckFiniteVec(w, "sample_weight"); err != nil {
		return err
	}
	positive := 0
	for i, v := range w {
		if v < 0 {
			return fault.Invalid("sample_weight[%d]=%v is negative", i, v)
		}
		if v > 0 {
			positive++
		}
	}
	switch {
	case positive == 0:
		return fault.Invalid("sample_weight must contain at least one non-zero number")
	case p.Init == InitRandom && positive < p.K:
		return fault.Invalid("init=random draws n_clusters=%d distinct samples of positive weight, "+
			"but sample_weight has only %d non-zero values", p.K, positive)
	}
	return nil
}

// sameClustering reports whether b is a relabelling of a: every label of a maps to one label
// of b (scikit-learn's _is_same_clustering).
func sameClustering(a, b []int32, k int) bool {
	mapping := make([]int32, k)
	for i := range mapping {
		mapping[i] = -1
	}
	for i, la := range a {
		switch m := mapping[la]; {
		case m == -1:
			mapping[la] = b[i]
		case m != b[i]:
			return false
		}
	}
	return true
}
