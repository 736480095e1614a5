package main

/*
#include "cluster_internal.h"
*/
import "C"

import (
	"unsafe"

	"github.com/fastmva/fastmva/cluster"
	"github.com/fastmva/fastmva/internal/dense"
)

// The v0.1 sizes of the cluster structs: a struct_size below them is not such a struct.
var (
	clusterParamsV1Size = C.size_t(unsafe.Offsetof(C.fmva_cluster_params{}.given_labels) + unsafe.Sizeof(C.fmva_cluster_params{}.given_labels))
	clusterResultV1Size = C.size_t(unsafe.Offsetof(C.fmva_cluster_result{}.n_iter) + unsafe.Sizeof(C.fmva_cluster_result{}.n_iter))
)

// sourceSpec is what both cluster functions read about the cluster source.
type sourceSpec struct {
	x              shape
	preprocessing  C.int32_t
	fn             C.fmva_preprocess_fn
	user           unsafe.Pointer
	navMask, sigMk *C.uint8_t
	km             cluster.KMeansParams
	kmC            *C.fmva_kmeans_params // nil: defaults
}

// kmeansOrDefault reads optional k-means params; sample weights have no place in HyperSpy's
// cluster analysis and are refused rather than silently ignored.
func kmeansOrDefault(p *C.fmva_kmeans_params) (cluster.KMeansParams, error) {
	if p == nil {
		return cluster.DefaultKMeansParams(), nil
	}
	km, err := kmeansParams(p)
	if err != nil {
		return km, err
	}
	if p.sample_weight != nil {
		return km, invalid("params->kmeans->sample_weight must be NULL: cluster analysis weighs every pixel equally")
	}
	return km, nil
}

func preprocessingKind(code C.int32_t, fn C.fmva_preprocess_fn) (cluster.Preprocessing, error) {
	switch code {
	case C.FMVA_PREPROCESS_NONE:
		return cluster.PreprocessNone, nil
	case C.FMVA_PREPROCESS_STANDARD:
		return cluster.PreprocessStandard, nil
	case C.FMVA_PREPROCESS_MINMAX:
		return cluster.PreprocessMinMax, nil
	case C.FMVA_PREPROCESS_NORM:
		return cluster.PreprocessNorm, nil
	case C.FMVA_PREPROCESS_CALLBACK:
		if fn == nil {
			return 0, invalid("params->preprocessing is FMVA_PREPROCESS_CALLBACK but params->preprocess is NULL")
		}
		return cluster.PreprocessNone, nil
	}
	return 0, invalid("params->preprocessing=%d is not one of the FMVA_PREPROCESS_* codes", int(code))
}

// masks copies the uint8 masks into []bool (any non-zero byte is true).
func masks(nav, sig *C.uint8_t, rows, cols int) (navMask, sigMask []bool) {
	conv := func(p *C.uint8_t, n int) []bool {
		if p == nil {
			return nil
		}
		out := make([]bool, n)
		for i, v := range unsafe.Slice((*uint8)(unsafe.Pointer(p)), n) {
			out[i] = v != 0
		}
		return out
	}
	return conv(nav, rows), conv(sig, cols)
}

// source builds the cluster.Source and PrepareOptions of a call on X of type T.
func source[T dense.Float](s sourceSpec) (cluster.Source[T], cluster.PrepareOptions[T], error) {
	kind, err := preprocessingKind(s.preprocessing, s.fn)
	if err != nil {
		return cluster.Source[T]{}, cluster.PrepareOptions[T]{}, err
	}
	nav, sig := masks(s.navMask, s.sigMk, s.x.rows, s.x.cols)
	src := cluster.Source[T]{X: view[T](s.x), NavMask: nav, SigMask: sig}
	// OffHeap: the preprocessed copy costs its size and no more (see internal/offheap).
	o := cluster.PrepareOptions[T]{Kind: kind, Threads: s.km.Threads, OffHeap: true}
	if s.preprocessing == C.FMVA_PREPROCESS_CALLBACK {
		o.User = userPreprocessor[T](s.fn, s.user)
		o.UserInputAlloc = cInputAlloc[T]
	}
	return src, o, nil
}

// preparedBytes estimates the copy Prepare makes: the masked or scaled source (a callback's
// output is checked when it arrives, in fmva_sink_write).
func preparedBytes(s sourceSpec, elem int) float64 {
	if s.navMask == nil && s.sigMk == nil && s.preprocessing == C.FMVA_PREPROCESS_NONE {
		return 0
	}
	return float64(s.x.rows) * float64(s.x.cols) * float64(elem)
}

//export fmvago_cluster_analysis
func fmvago_cluster_analysis(X, centers *C.fmva_matrix, p *C.fmva_cluster_params, r *C.fmva_cluster_result,
	ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		x, err := checkMatrix(X, "X")
		if err != nil {
			return err
		}
		c := x
		if centers != nil {
			if c, err = checkMatrix(centers, "source_for_centers"); err != nil {
				return err
			}
		}
		switch {
		case p == nil:
			return invalid("params is NULL")
		case p.struct_size < clusterParamsV1Size:
			return invalid("params->struct_size=%d is too small (expected %d): fill params with fmva_cluster_params_init", p.struct_size, clusterParamsV1Size)
		case r == nil:
			return invalid("result is NULL")
		case r.struct_size < clusterResultV1Size:
			return invalid("result->struct_size=%d is too small (expected %d): fill result with fmva_cluster_result_init", r.struct_size, clusterResultV1Size)
		case r.centroids != nil && r.centroids_capacity < 0:
			return invalid("result->centroids_capacity=%d is negative", int64(r.centroids_capacity))
		}
		km, err := kmeansOrDefault(p.kmeans)
		if err != nil {
			return err
		}
		km.K = int(p.n_clusters)
		order := cluster.LabelOrder(p.label_order)
		switch p.label_order {
		case C.FMVA_ORDER_SIZE, C.FMVA_ORDER_HYPERSPY, C.FMVA_ORDER_NONE:
		default:
			return invalid("params->label_order=%d is not one of the FMVA_ORDER_* codes", int(p.label_order))
		}
		spec := sourceSpec{x: x, preprocessing: p.preprocessing, fn: p.preprocess, user: p.preprocess_user,
			navMask: p.navigation_mask, sigMk: p.signal_mask, km: km, kmC: p.kmeans}
		if km.K < 1 || km.K > x.rows {
			return invalid("params->n_clusters=%d must be in [1, %d] (the rows of X)", km.K, x.rows)
		}
		need := preparedBytes(spec, elemSize(x)) + kmeansFitBytes(x.rows, x.cols, km.K, elemSize(x)) + 8*float64(x.rows)
		if err := reserve("cluster analysis", need); err != nil {
			return err
		}
		switch {
		case x.dtype == C.FMVA_F32 && c.dtype == C.FMVA_F32:
			return analysisTyped[float32, float32](spec, c, order, p.given_labels, r)
		case x.dtype == C.FMVA_F32:
			return analysisTyped[float32, float64](spec, c, order, p.given_labels, r)
		case c.dtype == C.FMVA_F32:
			return analysisTyped[float64, float32](spec, c, order, p.given_labels, r)
		}
		return analysisTyped[float64, float64](spec, c, order, p.given_labels, r)
	})
}

func analysisTyped[T, S dense.Float](spec sourceSpec, c shape, order cluster.LabelOrder, given *C.int32_t, r *C.fmva_cluster_result) error {
	src, prep, err := source[T](spec)
	if err != nil {
		return err
	}
	k, n, dc := spec.km.K, spec.x.rows, c.cols
	p := cluster.AnalysisParams[T]{Prepare: prep, KMeans: spec.km, Order: order,
		GivenLabels: vec[int32](unsafe.Pointer(given), n)}
	if spec.km.Init == cluster.InitGiven {
		ptr := spec.kmC.init_centers
		p.InitCenters = func(features int) ([]T, error) { return vec[T](ptr, k*features), nil }
	}
	out := cluster.AnalysisOutput{
		Labels:          vec[int32](unsafe.Pointer(r.labels), n),
		Sizes:           vec[int64](unsafe.Pointer(r.sizes), k),
		Distances:       vec[float64](unsafe.Pointer(r.distances), k*n),
		SumSignals:      vec[float64](unsafe.Pointer(r.sum_signals), k*dc),
		MeanSignals:     vec[float64](unsafe.Pointer(r.mean_signals), k*dc),
		CentroidSignals: vec[float64](unsafe.Pointer(r.centroid_signals), k*dc),
		CentroidPixels:  vec[int64](unsafe.Pointer(r.centroid_pixels), k),
		Centroids:       vec[float64](unsafe.Pointer(r.centroids), int(r.centroids_capacity)),
	}
	res, err := cluster.ClusterAnalysis(src, view[S](c), p, out)
	r.n_features = C.int64_t(res.Features)
	if err != nil {
		return err
	}
	r.inertia, r.n_iter = C.double(res.Inertia), C.int32_t(res.NIter)
	return nil
}
