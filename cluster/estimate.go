package cluster

import (
	"errors"
	"math"
	"runtime"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
)

// Metric is the criterion of EstimateNumberOfClusters.
type Metric int

const (
	MetricElbow      Metric = iota // ln W(k), HyperSpy's elbow rule
	MetricSilhouette               // silhouette score, k = 2…max
	MetricGap                      // gap statistic, k = 1…max
)

// EstimateParams are the options of EstimateNumberOfClusters.
type EstimateParams struct {
	MaxClusters int
	Metric      Metric
	NRef        int          // gap: number of reference fits (HyperSpy's n_ref)
	Reference   GapReference // gap: null distribution
	// HyperSpyRules applies HyperSpy's quirks where they can change the answer: the 1e-30 clip
	// of ln W before the elbow rule, and the silhouette peak list with its wrap-around.
	HyperSpyRules bool
	KMeans        KMeansParams // every fit's options; K is set per fit and Progress is not used
	// Progress, if set, is called on the calling goroutine with the fits done out of all
	// (silhouette evaluations count as fits), after each fit and between Lloyd iterations and
	// silhouette row groups; returning false cancels the estimate.
	Progress func(done, total int64) bool
}

// EstimateResult holds the curves, indexed by k−1 for k = 1…MaxClusters.
type EstimateResult struct {
	Metric     []float64 // the chosen metric; NaN where undefined (silhouette at k = 1)
	Inertia    []float64 // W(k): the data's within-cluster sum of squares about the member means
	RefLogW    []float64 // gap: mean ln W of the references
	GapStdErr  []float64 // gap: √(1 + 1/n_ref) · std of the references' ln W
	BestK      int
	Candidates []int // silhouette: the peaks (HyperSpy returns this list); otherwise [BestK]
}

// errStop is what a tick returns when the progress callback asked to stop.
var errStop = errors.New("stopped by the progress callback")

// EstimateNumberOfClusters is HyperSpy's estimate_number_of_clusters with k-means, over all k
// in one call: each k-means fit runs in parallel over row chunks, fit k of reference r is seeded
// from (KMeans.Seed, k, r), so the whole result is fixed by the seed whatever the thread count.
// Memory is O(n·(k-means scratch)) plus, for the uniform gap reference only, one n×D'
// reference buffer — which reuses prep.Data when the library owns it (prep.Data is then
// overwritten). Nothing n×n is built: W comes from member means, the silhouette from running
// sums per row, the line reference from a single column.
func EstimateNumberOfClusters[T dense.Float](prep *Prepared[T], p EstimateParams) (*EstimateResult, error) {
	x := prep.Data
	if err := checkEstimate(x, p); err != nil {
		return nil, err
	}
	kmax := p.MaxClusters
	r := &EstimateResult{
		Metric: nanSlice(kmax), Inertia: make([]float64, kmax),
	}
	run := &fitRunner{p: p, collect: x.Rows >= collectRows}
	run.total = int64(kmax - 1) // data fits for k ≥ 2
	switch p.Metric {
	case MetricSilhouette:
		run.total += int64(kmax - 1)
	case MetricGap:
		run.total += int64(kmax-1) * int64(p.NRef)
	}

	// The data: every k first, so the uniform reference may reuse the buffer afterwards.
	var sil []float64
	for k := 1; k <= kmax; k++ {
		labels, err := fitLabels(run, x, k, 0, p.KMeans.Tol)
		if err != nil {
			return nil, err
		}
		if r.Inertia[k-1], err = withinSS(x, labels, k, p.KMeans.Threads); err != nil {
			return nil, err
		}
		if p.Metric == MetricSilhouette && k >= 2 {
			s, err := silhouette(x, labels, k, p.KMeans.Threads, run.tick)
			if err != nil {
				return nil, run.cancelled(err)
			}
			r.Metric[k-1] = s
			sil = append(sil, s)
			if err := run.step(); err != nil {
				return nil, err
			}
		}
	}
	logW := make([]float64, kmax)
	for i, w := range r.Inertia {
		logW[i] = math.Log(w)
	}
	switch p.Metric {
	case MetricElbow:
		copy(r.Metric, logW)
		r.BestK = elbowPosition(logW, p.HyperSpyRules) + 1
		r.Candidates = []int{r.BestK}
	case MetricSilhouette:
		r.BestK, r.Candidates = silhouetteChoice(sil, p.HyperSpyRules)
	case MetricGap:
		if err := gapStatistic(prep, p, run, logW, r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// gapStatistic fits the references and fills the gap curve and choice.
func gapStatistic[T dense.Float](prep *Prepared[T], p EstimateParams, run *fitRunner, logW []float64, r *EstimateResult) error {
	x, kmax, threads := prep.Data, p.MaxClusters, p.KMeans.Threads
	lo, hi, err := bounds(x, threads)
	if err != nil {
		return err
	}
	refLogW := make([][]float64, kmax) // [k−1][ref]
	for k := range refLogW {
		refLogW[k] = make([]float64, p.NRef)
	}
	if p.Reference == GapLine {
		line := lineReference(lo, hi, x.Rows)
		for k := 1; k <= kmax; k++ {
			for ref := 1; ref <= p.NRef; ref++ {
				w, err := fitW(run, line, k, ref, p.KMeans.Tol/float64(x.Cols))
				if err != nil {
					return err
				}
				refLogW[k-1][ref-1] = math.Log(w)
			}
		}
	} else {
		buf := x.Data
		if !prep.Owned || x.Stride != x.Cols {
			if buf, err = prep.buffer(x.Rows * x.Cols); err != nil { // released with prep
				return err
			}
		}
		for ref := 1; ref <= p.NRef; ref++ {
			m, err := uniformReference(lo, hi, x.Rows, fitSeed(p.KMeans.Seed, 0, ref), buf, threads)
			if err != nil {
				return err
			}
			for k := 1; k <= kmax; k++ {
				w, err := fitW(run, m, k, ref, p.KMeans.Tol)
				if err != nil {
					return err
				}
				refLogW[k-1][ref-1] = math.Log(w)
			}
		}
	}
	gap := make([]float64, kmax)
	r.RefLogW, r.GapStdErr = make([]float64, kmax), make([]float64, kmax)
	for k := 0; k < kmax; k++ {
		mean, std := meanStd(refLogW[k])
		r.RefLogW[k] = mean
		r.GapStdErr[k] = math.Sqrt(1+1/float64(p.NRef)) * std
		gap[k] = mean - logW[k]
	}
	copy(r.Metric, gap)
	if p.Reference == GapLine {
		r.BestK = gapChoiceHyperSpy(gap, r.GapStdErr)
	} else {
		r.BestK = gapChoiceTibshirani(gap, r.GapStdErr)
	}
	r.Candidates = []int{r.BestK}
	return nil
}

func checkEstimate[T dense.Float](x dense.Matrix[T], p EstimateParams) error {
	switch {
	case p.Metric < MetricElbow || p.Metric > MetricGap:
		return fault.Invalid("metric=%d is not one of elbow, silhouette, gap", p.Metric)
	case p.MaxClusters < 2:
		return fault.Invalid("max_clusters=%d must be at least 2", p.MaxClusters)
	case p.MaxClusters > x.Rows:
		return fault.Invalid("max_clusters=%d is more than the %d samples left to cluster", p.MaxClusters, x.Rows)
	case p.Metric == MetricSilhouette && p.MaxClusters > x.Rows-1:
		return fault.Invalid("max_clusters=%d: the silhouette needs fewer clusters than the %d samples", p.MaxClusters, x.Rows)
	case p.Metric == MetricGap && p.NRef < 1:
		return fault.Invalid("n_ref=%d must be at least 1", p.NRef)
	case p.Metric == MetricGap && !p.Reference.valid():
		return fault.Invalid("gap reference=%d is not one of line, uniform", p.Reference)
	}
	km := p.KMeans
	if km.Init == InitGiven {
		return fault.Invalid("init=InitGiven cannot be used to estimate the number of clusters: there is one fit per k")
	}
	km.K = 1
	_, err := validateKMeans(x, nil, nil, km, nil)
	return err
}

func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}

// From this many rows on, a collection runs after every fit. Each fit leaves O(n) garbage
// (k-means++ candidates, labels, per-row scratch); the Go collector would let it pile up
// until the heap doubles, and when the heap holds an n×d preprocessed copy or reference that
// is a whole extra copy of the input. A collection of a heap of a few large pointer-free
// buffers takes well under a millisecond, against seconds per fit at this size.
const collectRows = 1 << 16

// fitRunner counts fits for the progress callback and seeds each fit.
type fitRunner struct {
	p           EstimateParams
	done, total int64
	collect     bool
}

// tick reports progress; false means the callback asked to stop.
func (r *fitRunner) tick() bool { return r.p.Progress == nil || r.p.Progress(r.done, r.total) }

// step counts one finished fit or silhouette evaluation.
func (r *fitRunner) step() error {
	if r.collect {
		runtime.GC()
	}
	r.done++
	if !r.tick() {
		return r.cancelled(errStop)
	}
	return nil
}

func (r *fitRunner) cancelled(err error) error {
	if errors.Is(err, errStop) {
		return fault.Cancelled("estimate_number_of_clusters cancelled by the progress callback after %d of %d steps", r.done, r.total)
	}
	return err
}

// fitLabels clusters x into k clusters, seeded from (seed, k, ref) — ref 0 is the data.
// k = 1 needs no fit: every row is in the one cluster.
func fitLabels[T dense.Float](r *fitRunner, x dense.Matrix[T], k, ref int, tol float64) ([]int32, error) {
	if k == 1 {
		return make([]int32, x.Rows), nil
	}
	km := r.p.KMeans
	km.K, km.Tol, km.Seed = k, tol, fitSeed(km.Seed, k, ref)
	km.Progress = func(int64, int64) bool { return r.tick() }
	res, err := FitKMeans(x, nil, nil, km)
	if err != nil {
		return nil, err // a cancelled fit is already fault.ErrCancelled
	}
	return res.Labels, r.step()
}

// fitW returns the within-cluster sum of squares of a k-means fit of x.
func fitW[T dense.Float](r *fitRunner, x dense.Matrix[T], k, ref int, tol float64) (float64, error) {
	labels, err := fitLabels(r, x, k, ref, tol)
	if err != nil {
		return 0, err
	}
	return withinSS(x, labels, k, r.p.KMeans.Threads)
}

// fitSeed derives the seed of one fit (splitmix64 finaliser), so that fits are independent of
// the order they run in and each reference gets its own random starts.
func fitSeed(seed uint64, k, ref int) uint64 {
	z := seed ^ (uint64(k)<<32 | uint64(ref)) ^ 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
