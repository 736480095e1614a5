package cluster

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
	"github.com/fastmva/fastmva/kernels"
	"github.com/stretchr/testify/require"
)

// hyperspyBlobs is the setup of HyperSpy's TestClusterEstimate: 3×100 points in 4 dimensions
// around (−1,−1,1,1), (1,−1,−1,−1), (−1,1,1,−1) with standard deviation 0.05, shuffled.
func hyperspyBlobs(seed uint64) dense.Matrix[float64] {
	centers := [3][4]float64{{-1, -1, 1, 1}, {1, -1, -1, -1}, {-1, 1, 1, -1}}
	rng := rand.New(rand.NewPCG(seed, 3))
	x := make([]float64, 0, 300*4)
	for c := range 3 {
		for range 100 {
			for j := range 4 {
				x = append(x, centers[c][j]+0.05*rng.NormFloat64())
			}
		}
	}
	rng.Shuffle(300, func(i, j int) {
		for f := range 4 {
			x[i*4+f], x[j*4+f] = x[j*4+f], x[i*4+f]
		}
	})
	return dense.Matrix[float64]{Data: x, Rows: 300, Cols: 4, Stride: 4}
}

func estimate(t *testing.T, x dense.Matrix[float64], kind Preprocessing, p EstimateParams) *EstimateResult {
	prep, err := Prepare(Source[float64]{X: x}, PrepareOptions[float64]{Kind: kind, Threads: p.KMeans.Threads})
	require.NoError(t, err)
	r, err := EstimateNumberOfClusters(prep, p)
	require.NoError(t, err)
	return r
}

func estimateParams(metric Metric, maxClusters int) EstimateParams {
	p := EstimateParams{MaxClusters: maxClusters, Metric: metric, NRef: 4, KMeans: DefaultKMeansParams()}
	p.KMeans.Seed = 11
	return p
}

func TestEstimateFindsHyperSpysThreeBlobs(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		x := hyperspyBlobs(seed)
		for _, tc := range []struct {
			name     string
			metric   Metric
			ref      GapReference
			hyperspy bool
		}{
			{"elbow", MetricElbow, 0, false},
			{"elbow/hyperspy", MetricElbow, 0, true},
			{"silhouette", MetricSilhouette, 0, false},
			{"silhouette/hyperspy", MetricSilhouette, 0, true},
			{"gap/line", MetricGap, GapLine, false},
			{"gap/uniform", MetricGap, GapUniform, false},
		} {
			p := estimateParams(tc.metric, 6)
			p.Reference, p.HyperSpyRules = tc.ref, tc.hyperspy
			r := estimate(t, x, PreprocessNorm, p)
			require.Equal(t, 3, r.BestK, "%s, seed %d: metric %v", tc.name, seed, r.Metric)
			if tc.metric == MetricSilhouette {
				require.True(t, math.IsNaN(r.Metric[0]), "no silhouette for k = 1")
				require.Equal(t, 3, r.Candidates[0])
			}
		}
	}
}

// naiveW is HyperSpy's _distances_within_cluster(summed=True) written out: per cluster, half
// the mean over members of the summed squared distances to all members.
func naiveW(x dense.Matrix[float64], labels []int32, k int) float64 {
	var total float64
	for c := int32(0); c < int32(k); c++ {
		var members []int
		for i, l := range labels {
			if l == c {
				members = append(members, i)
			}
		}
		for _, i := range members {
			var s float64
			for _, j := range members {
				for f := 0; f < x.Cols; f++ {
					d := x.Row(i)[f] - x.Row(j)[f]
					s += d * d
				}
			}
			total += s / float64(len(members)) / 2
		}
	}
	return total
}

func TestWithinSSEqualsPairwiseForm(t *testing.T) {
	x, _ := blobs(500, 6, 4, 21)
	rng := rand.New(rand.NewPCG(5, 5))
	labels := make([]int32, x.Rows)
	for i := range labels {
		labels[i] = int32(rng.IntN(4))
	}
	w, err := withinSS(x, labels, 4, 2)
	require.NoError(t, err)
	require.InDelta(t, naiveW(x, labels, 4), w, 1e-9*w)
}

// naiveSilhouette is scikit-learn's silhouette_samples/mean written out with the whole
// distance matrix.
func naiveSilhouette(x dense.Matrix[float64], labels []int32, k int) float64 {
	n := x.Rows
	dist := make([][]float64, n)
	for i := range dist {
		dist[i] = make([]float64, n)
		for j := range dist[i] {
			var s float64
			for f := 0; f < x.Cols; f++ {
				d := x.Row(i)[f] - x.Row(j)[f]
				s += d * d
			}
			dist[i][j] = math.Sqrt(s)
		}
	}
	var total float64
	for i := 0; i < n; i++ {
		sum := make([]float64, k)
		cnt := make([]float64, k)
		for j := 0; j < n; j++ {
			sum[labels[j]] += dist[i][j]
			cnt[labels[j]]++
		}
		own := labels[i]
		if cnt[own] == 1 {
			continue
		}
		a := sum[own] / (cnt[own] - 1)
		b := math.Inf(1)
		for c := range sum {
			if int32(c) != own && cnt[c] > 0 {
				b = math.Min(b, sum[c]/cnt[c])
			}
		}
		total += (b - a) / math.Max(a, b)
	}
	return total / float64(n)
}

func TestSilhouetteMatchesNaive(t *testing.T) {
	x, _ := blobs(700, 5, 3, 8)
	rng := rand.New(rand.NewPCG(9, 9))
	for _, k := range []int{2, 3, 5} {
		labels := make([]int32, x.Rows)
		for i := range labels {
			labels[i] = int32(i % 3 % k) // the true blobs…
			if rng.IntN(5) == 0 {
				labels[i] = int32(rng.IntN(k)) // …with noise, and a singleton or empty cluster at times
			}
		}
		labels[7] = int32(k - 1)
		one, err := silhouette(x, labels, k, 1, nil)
		require.NoError(t, err)
		four, err := silhouette(x, labels, k, 4, nil)
		require.NoError(t, err)
		require.Equal(t, one, four, "thread count changed the score")
		require.InDelta(t, naiveSilhouette(x, labels, k), one, 1e-12)
	}
	labels := make([]int32, x.Rows)
	s, err := silhouette(x, labels, 2, 1, nil)
	require.NoError(t, err)
	require.True(t, math.IsNaN(s), "one non-empty cluster: undefined")
}

// The silhouette against panels of rows (AVX-512) gives the score of a sqDist per pair, bit for
// bit: float64 and float32, rows at a stride past their features, a last column block shorter
// than silCols, and d on either side of a register block.
func TestSilhouettePanelsEqualPairs(t *testing.T) {
	for _, d := range []int{5, 40} {
		x64, _ := blobs(700, d, 3, uint64(d))
		strided := dense.Matrix[float64]{Data: make([]float64, 700*(d+3)), Rows: 700, Cols: d, Stride: d + 3}
		for i := 0; i < 700; i++ {
			copy(strided.Row(i), x64.Row(i))
		}
		labels := make([]int32, 700)
		for i := range labels {
			labels[i] = int32(i % 3)
		}
		silhouettePanelsEqualPairs(t, strided, labels)
		silhouettePanelsEqualPairs(t, toF32(x64), labels)
	}
}

func silhouettePanelsEqualPairs[T dense.Float](t *testing.T, x dense.Matrix[T], labels []int32) {
	if kernels.Active() == kernels.AVX512 {
		require.NotNil(t, silhouettePanels(x), "no panels on AVX-512")
	}
	panels, err := silhouette(x, labels, 3, 2, nil)
	require.NoError(t, err)
	silhouetteUsesPanels = false
	defer func() { silhouetteUsesPanels = true }()
	pairs, err := silhouette(x, labels, 3, 2, nil)
	require.NoError(t, err)
	require.Equal(t, math.Float64bits(pairs), math.Float64bits(panels), "d=%d %T", x.Cols, x.Data)
}

func TestElbowRule(t *testing.T) {
	// The point farthest from the chord between the first and last points.
	require.Equal(t, 2, elbowPosition([]float64{10, 8, 2, 1.5, 1.2, 1}, false))
	// HyperSpy clips at 1e-30, which makes every negative ln W equal.
	curve := []float64{5, 4, -0.5, -0.8, -1, -3}
	require.Equal(t, 2, elbowPosition(curve, false))
	// (Values checked against HyperSpy's estimate_elbow_position with log=False.)
	require.Equal(t, 1, elbowPosition([]float64{4, 1, 0.5, 0.2, -3, -6}, true))
	require.Equal(t, 3, elbowPosition([]float64{4, 1, 0.5, 0.2, -3, -6}, false))
}

func TestSilhouetteChoiceRules(t *testing.T) {
	s := []float64{0.5, 0.7, 0.4, 0.6, 0.3} // k = 2…6: peaks at 3 and 5
	best, cand := silhouetteChoice(s, true)
	require.Equal(t, []int{3, 5}, cand)
	require.Equal(t, 3, best)
	best, cand = silhouetteChoice(s, false)
	require.Equal(t, []int{3, 5}, cand)
	require.Equal(t, 3, best)
	// HyperSpy compares s[0] with the last score (Python's s[-1]), so k = 2 is no peak here,
	// and it is not put first either, as it does not beat the peak at k = 4.
	s = []float64{0.7, 0.5, 0.8, 0.4, 0.95}
	best, cand = silhouetteChoice(s, true)
	require.Equal(t, []int{4}, cand)
	require.Equal(t, 4, best)
	best, cand = silhouetteChoice(s, false)
	require.Equal(t, []int{2, 4}, cand)
	require.Equal(t, 6, best, "the highest score")
	// k = 2 goes first when it beats every peak.
	best, cand = silhouetteChoice([]float64{0.9, 0.5, 0.6, 0.4, 0.3}, true)
	require.Equal(t, []int{2, 4}, cand)
	require.Equal(t, 2, best)
}

func TestGapChoiceRules(t *testing.T) {
	gap := []float64{0.1, 0.5, 1.5, 1.4, 1.45}
	se := []float64{0, 0.1, 0.1, 0.1, 0.1}
	require.Equal(t, 3, gapChoiceHyperSpy(gap, se))
	require.Equal(t, 3, gapChoiceTibshirani(gap, se))
	// k = 1 qualifies: only the classic rule may pick it.
	gap = []float64{2, 1, 0.5, 0.3}
	se = []float64{0, 0, 0, 0}
	require.Equal(t, 1, gapChoiceTibshirani(gap, se))
	require.Equal(t, 2, gapChoiceHyperSpy(gap, se))
	// Rising all the way: HyperSpy falls back to 2, the classic rule to the largest gap.
	gap = []float64{0, 1, 2, 3}
	require.Equal(t, 2, gapChoiceHyperSpy(gap, se))
	require.Equal(t, 4, gapChoiceTibshirani(gap, se))
}

func TestLineReferenceEqualsFullLine(t *testing.T) {
	// W of the 1-column reference equals W of HyperSpy's n×d linspace matrix for equal labels.
	lo, hi := []float64{-1, 0, 2}, []float64{3, 0, 7}
	n := 50
	full := make([]float64, n*3)
	for i := 0; i < n; i++ {
		for j := range lo {
			full[i*3+j] = lo[j] + (hi[j]-lo[j])*float64(i)/float64(n-1)
		}
	}
	fm := dense.Matrix[float64]{Data: full, Rows: n, Cols: 3, Stride: 3}
	line := lineReference(lo, hi, n)
	labels := make([]int32, n)
	for i := range labels {
		labels[i] = int32(i * 3 / n)
	}
	wl, err := withinSS(line, labels, 3, 1)
	require.NoError(t, err)
	wf, err := withinSS(fm, labels, 3, 1)
	require.NoError(t, err)
	require.InDelta(t, wf, wl, 1e-12*wf)
}

func TestEstimateIsThreadIndependent(t *testing.T) {
	x, _ := blobs(1500, 6, 5, 17)
	for _, tc := range []struct {
		metric Metric
		ref    GapReference
		want   int
	}{
		{MetricElbow, 0, 5},
		{MetricGap, GapUniform, 5},
		// HyperSpy's line reference stops at the first k whose gap does not grow by more than
		// the error: here k = 2, as merging 5 blobs into 3 gains less than the line's ln(9/4).
		{MetricGap, GapLine, 2},
	} {
		run := func(threads int) *EstimateResult {
			p := estimateParams(tc.metric, 7)
			p.Reference, p.KMeans.Threads = tc.ref, threads
			return estimate(t, x, PreprocessStandard, p)
		}
		a, b := run(1), run(3)
		require.Equal(t, a, b)
		require.Equal(t, tc.want, a.BestK, "metric %d reference %d: %v", tc.metric, tc.ref, a.Metric)
	}
}

func TestEstimateCancels(t *testing.T) {
	x := hyperspyBlobs(1)
	for _, m := range []Metric{MetricElbow, MetricSilhouette, MetricGap} {
		p := estimateParams(m, 6)
		calls := 0
		p.Progress = func(done, total int64) bool {
			calls++
			require.LessOrEqual(t, done, total)
			return done < 2
		}
		prep, err := Prepare(Source[float64]{X: x}, PrepareOptions[float64]{})
		require.NoError(t, err)
		_, err = EstimateNumberOfClusters(prep, p)
		require.ErrorIs(t, err, fault.ErrCancelled, "metric %d", m)
		require.Positive(t, calls)
	}
}

func TestEstimateNamesBadArguments(t *testing.T) {
	x := hyperspyBlobs(1)
	prep, err := Prepare(Source[float64]{X: x}, PrepareOptions[float64]{})
	require.NoError(t, err)
	for _, tc := range []struct {
		edit func(*EstimateParams)
		msg  string
	}{
		{func(p *EstimateParams) { p.MaxClusters = 1 }, "max_clusters=1"},
		{func(p *EstimateParams) { p.MaxClusters = 301 }, "max_clusters=301"},
		{func(p *EstimateParams) { p.Metric, p.MaxClusters = MetricSilhouette, 300 }, "max_clusters=300"},
		{func(p *EstimateParams) { p.NRef = 0 }, "n_ref=0"},
		{func(p *EstimateParams) { p.Reference = 5 }, "reference=5"},
		{func(p *EstimateParams) { p.Metric = 9 }, "metric=9"},
		{func(p *EstimateParams) { p.KMeans.Init = InitGiven }, "init=InitGiven"},
		{func(p *EstimateParams) { p.KMeans.MaxIter = 0 }, "max_iter=0"},
	} {
		p := estimateParams(MetricGap, 6)
		tc.edit(&p)
		_, err := EstimateNumberOfClusters(prep, p)
		require.ErrorIs(t, err, fault.ErrInvalid)
		require.Contains(t, err.Error(), tc.msg)
	}
}

// TestNoQuadraticMemory checks that the memory a whole estimate allocates — every fit, every
// silhouette pass, every reference — grows linearly with n: doubling n must not quadruple it.
// (HyperSpy's within-cluster distances are n_c×n_c matrices; scikit-learn's silhouette holds
// chunk×n blocks.) At these sizes one n×n float64 matrix would outweigh all the O(n) scratch
// of the ~45 fits, so the ratio would approach 4. Cumulative allocation bounds the peak.
func TestNoQuadraticMemory(t *testing.T) {
	allocated := func(n int, m Metric, ref GapReference) uint64 {
		x, _ := blobs(n, 2, 3, 4)
		p := estimateParams(m, 4)
		p.Reference = ref
		prep, err := Prepare(Source[float64]{X: x}, PrepareOptions[float64]{Kind: PreprocessStandard})
		require.NoError(t, err)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err = EstimateNumberOfClusters(prep, p)
		require.NoError(t, err)
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	for _, m := range []Metric{MetricElbow, MetricSilhouette, MetricGap} {
		for _, ref := range []GapReference{GapLine, GapUniform} {
			small, large := allocated(1000, m, ref), allocated(2000, m, ref)
			require.Less(t, float64(large), 2.5*float64(small), "metric %d reference %d: %d then %d bytes", m, ref, small, large)
		}
	}
}
