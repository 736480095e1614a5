package cluster

import (
	"math"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
)

// AnalysisOutput holds the caller's buffers for ClusterAnalysis; a nil slice is not computed.
// Rows are in the order the LabelOrder gives; "pixels" are the rows of X, masked ones included.
type AnalysisOutput struct {
	Labels          []int32   // pixels: the cluster (output row) of each pixel, −1 if masked
	Sizes           []int64   // k: pixels per cluster
	Distances       []float64 // k×pixels: ‖scaled pixel − cluster mean‖, NaN at masked pixels
	SumSignals      []float64 // k×centers.Cols: Σ of the centers' source over each cluster
	MeanSignals     []float64 // k×centers.Cols: SumSignals / Sizes
	CentroidSignals []float64 // k×centers.Cols: the centers' source at CentroidPixels
	CentroidPixels  []int64   // k: the unmasked pixel with the smallest distance to each cluster mean
	Centroids       []float64 // k×D': the cluster means in the preprocessed space (D' known after preprocessing)
}

// AnalysisResult holds the scalar results of ClusterAnalysis.
type AnalysisResult struct {
	Features int     // D': columns of the preprocessed cluster source
	Inertia  float64 // k-means inertia (given labels: the within-cluster sum of squares)
	NIter    int     // Lloyd iterations of the kept restart
}

// AnalysisParams are the options of ClusterAnalysis besides the data.
type AnalysisParams[T dense.Float] struct {
	Prepare PrepareOptions[T]
	KMeans  KMeansParams
	Order   LabelOrder
	// InitCenters returns the k×D' initial centers, in the preprocessed space, when
	// KMeans.Init is InitGiven (D' is only known once preprocessing has run).
	InitCenters func(features int) ([]T, error)
	// GivenLabels, if set, are the clusters of the pixels (len X.Rows, values in [0, K) at
	// unmasked pixels; masked ones are ignored) found by an algorithm of the caller's — HyperSpy
	// accepts any object with fit and labels_. No k-means runs; the rest is the same.
	GivenLabels []int32
}

// ClusterAnalysis is HyperSpy's cluster_analysis with k-means: it masks and preprocesses the
// cluster source, clusters it, and derives from the labels the distances of every pixel to
// each cluster's mean (in the preprocessed space), and the sum, mean and centroid signals of
// the centers' source (any width; HyperSpy's source_for_centers, which defaults to the
// unmasked cluster source). The centroid signal of a cluster is the centers' source at the
// pixel nearest the cluster's mean in the preprocessed space — as in HyperSpy, even when
// the two sources differ. Memory: O(n + k·(D'+centers.Cols)) besides the preprocessed copy.
func ClusterAnalysis[T, C dense.Float](src Source[T], centers dense.Matrix[C], p AnalysisParams[T], out AnalysisOutput) (AnalysisResult, error) {
	var res AnalysisResult
	if err := checkAnalysisArgs(src, centers, p, out); err != nil {
		return res, err
	}
	k := p.KMeans.K
	prep, err := Prepare(src, p.Prepare)
	if err != nil {
		return res, err
	}
	defer prep.Release() // every output is the caller's buffer: nothing points into prep after
	x, n := prep.Data, prep.NTotal
	res.Features = x.Cols
	if out.Centroids != nil && len(out.Centroids) < k*x.Cols {
		return res, fault.Invalid("centroids has room for %d values, but n_clusters×features after preprocessing is %d×%d",
			len(out.Centroids), k, x.Cols)
	}
	fit, err := clusterLabels(prep, p)
	if err != nil {
		return res, err
	}
	res.Inertia, res.NIter = fit.Inertia, fit.NIter

	means, counts, err := memberMeans(x, fit.Labels, k, p.KMeans.Threads)
	if err != nil {
		return res, err
	}
	row := rowsOf(counts, p.Order)
	d := x.Cols
	rowMeans := make([]float64, k*d)
	for c := 0; c < k; c++ {
		copy(rowMeans[row[c]*d:row[c]*d+d], means[c*d:c*d+d])
	}
	labels := out.Labels
	if labels == nil {
		labels = make([]int32, n)
	}
	labels = labels[:n]
	for i := range labels {
		labels[i] = -1
	}
	for i, l := range fit.Labels {
		labels[prep.Pixel(i)] = int32(row[l])
	}
	if out.Distances != nil && prep.Kept != nil {
		for i := range out.Distances[:k*n] {
			out.Distances[i] = math.NaN()
		}
	}
	nearest, err := clusterDistances(prep, rowMeans, k, p.KMeans.Threads, out.Distances)
	if err != nil {
		return res, err
	}
	if err := centerSignals(centers, labels, k, p.KMeans.Threads, out); err != nil {
		return res, err
	}
	dc := centers.Cols
	for r := 0; r < k; r++ {
		px := prep.Pixel(nearest[r])
		if out.CentroidPixels != nil {
			out.CentroidPixels[r] = int64(px)
		}
		if out.CentroidSignals != nil {
			for j, v := range centers.Row(px) {
				out.CentroidSignals[r*dc+j] = float64(v)
			}
		}
	}
	if out.Centroids != nil {
		copy(out.Centroids, rowMeans)
	}
	return res, nil
}

// clusterLabels runs k-means on the prepared rows, or takes the caller's labels of them.
func clusterLabels[T dense.Float](prep *Prepared[T], p AnalysisParams[T]) (*KMeansResult[T], error) {
	x, k := prep.Data, p.KMeans.K
	if p.GivenLabels == nil {
		var init []T
		if p.KMeans.Init == InitGiven {
			if p.InitCenters == nil {
				return nil, fault.Invalid("init is InitGiven but no initial centers were given")
			}
			var err error
			if init, err = p.InitCenters(x.Cols); err != nil {
				return nil, err
			}
		}
		return FitKMeans(x, nil, init, p.KMeans)
	}
	if len(p.GivenLabels) != prep.NTotal {
		return nil, fault.Invalid("given labels has %d values, but X has %d rows (pixels)", len(p.GivenLabels), prep.NTotal)
	}
	labels := make([]int32, x.Rows)
	for i := range labels {
		l := p.GivenLabels[prep.Pixel(i)]
		if l < 0 || int(l) >= k {
			return nil, fault.Invalid("given labels[%d]=%d is not in [0, n_clusters=%d)", prep.Pixel(i), l, k)
		}
		labels[i] = l
	}
	w, err := withinSS(x, labels, k, p.KMeans.Threads)
	return &KMeansResult[T]{Labels: labels, Inertia: w}, err
}

// centerSignals fills the sizes, sum and mean signals of the clusters (labels are rows).
func centerSignals[C dense.Float](centers dense.Matrix[C], labels []int32, k, threads int, out AnalysisOutput) error {
	dc := centers.Cols
	sums := out.SumSignals
	if sums == nil {
		sums = make([]float64, k*dc)
	}
	counts := out.Sizes
	if counts == nil {
		counts = make([]int64, k)
	}
	if out.SumSignals == nil && out.MeanSignals == nil {
		clear(counts[:k])
		for _, l := range labels {
			if l >= 0 {
				counts[l]++
			}
		}
		return nil
	}
	if err := labelSums(centers, labels, k, threads, sums, counts); err != nil {
		return err
	}
	if out.MeanSignals != nil {
		for r := 0; r < k; r++ {
			inv := 1 / float64(counts[r])
			for j := 0; j < dc; j++ {
				out.MeanSignals[r*dc+j] = sums[r*dc+j] * inv
			}
		}
	}
	return nil
}

func checkAnalysisArgs[T, C dense.Float](src Source[T], centers dense.Matrix[C], p AnalysisParams[T], out AnalysisOutput) error {
	if err := src.X.Validate("X"); err != nil {
		return err
	}
	if err := centers.Validate("source_for_centers"); err != nil {
		return err
	}
	n, k, dc := src.X.Rows, p.KMeans.K, centers.Cols
	if centers.Rows != n {
		return fault.Invalid("source_for_centers has %d rows, but X has %d: both need one row per pixel", centers.Rows, n)
	}
	if !p.Order.valid() {
		return fault.Invalid("label_order=%d is not a known order", p.Order)
	}
	if k < 1 {
		return fault.Invalid("n_clusters=%d must be at least 1", k)
	}
	for _, b := range []struct {
		name string
		have int
		need int
	}{
		{"labels", lenOr(out.Labels), n},
		{"sizes", lenOr(out.Sizes), k},
		{"distances", lenOr(out.Distances), k * n},
		{"sum_signals", lenOr(out.SumSignals), k * dc},
		{"mean_signals", lenOr(out.MeanSignals), k * dc},
		{"centroid_signals", lenOr(out.CentroidSignals), k * dc},
		{"centroid_pixels", lenOr(out.CentroidPixels), k},
	} {
		if b.have >= 0 && b.have < b.need {
			return fault.Invalid("%s has room for %d values, %d are needed", b.name, b.have, b.need)
		}
	}
	return nil
}

// lenOr returns len(s), or −1 for a nil slice (an output that is not wanted).
func lenOr[E any](s []E) int {
	if s == nil {
		return -1
	}
	return len(s)
}
