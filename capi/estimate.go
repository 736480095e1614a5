package main

/*
#include "cluster_internal.h"
int fastmva_internal_call_progress(fmva_progress_fn fn, void *user, int64_t done, int64_t total);
*/
import "C"

import (
	"math"
	"unsafe"

	"github.com/fastmva/fastmva/cluster"
	"github.com/fastmva/fastmva/internal/dense"
)

var (
	estimateParamsV1Size = C.size_t(unsafe.Offsetof(C.fmva_estimate_params{}.progress_user) + unsafe.Sizeof(C.fmva_estimate_params{}.progress_user))
	estimateResultV1Size = C.size_t(unsafe.Offsetof(C.fmva_estimate_result{}.n_features) + unsafe.Sizeof(C.fmva_estimate_result{}.n_features))
)

func estimateParams(p *C.fmva_estimate_params) (cluster.EstimateParams, error) {
	var out cluster.EstimateParams
	km, err := kmeansOrDefault(p.kmeans)
	if err != nil {
		return out, err
	}
	km.Progress = nil // the estimate reports progress in fits, through its own callback
	out = cluster.EstimateParams{MaxClusters: int(p.max_clusters), NRef: int(p.n_ref),
		HyperSpyRules: p.hyperspy_rules != 0, KMeans: km}
	switch p.metric {
	case C.FMVA_METRIC_ELBOW:
		out.Metric = cluster.MetricElbow
	case C.FMVA_METRIC_SILHOUETTE:
		out.Metric = cluster.MetricSilhouette
	case C.FMVA_METRIC_GAP:
		out.Metric = cluster.MetricGap
	default:
		return out, invalid("params->metric=%d is not one of the FMVA_METRIC_* codes", int(p.metric))
	}
	switch p.gap_reference {
	case C.FMVA_GAP_LINE:
		out.Reference = cluster.GapLine
	case C.FMVA_GAP_UNIFORM:
		out.Reference = cluster.GapUniform
	default:
		return out, invalid("params->gap_reference=%d is not one of the FMVA_GAP_* codes", int(p.gap_reference))
	}
	if p.progress != nil {
		fn, user := p.progress, p.progress_user
		out.Progress = func(done, total int64) bool {
			return C.fastmva_internal_call_progress(fn, user, C.int64_t(done), C.int64_t(total)) == 0
		}
	}
	return out, nil
}

//export fmvago_estimate_number_of_clusters
func fmvago_estimate_number_of_clusters(X *C.fmva_matrix, p *C.fmva_estimate_params, r *C.fmva_estimate_result,
	ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		x, err := checkMatrix(X, "X")
		if err != nil {
			return err
		}
		switch {
		case p == nil:
			return invalid("params is NULL")
		case p.struct_size < estimateParamsV1Size:
			return invalid("params->struct_size=%d is too small (expected %d): fill params with fmva_estimate_params_init", p.struct_size, estimateParamsV1Size)
		case r == nil:
			return invalid("result is NULL")
		case r.struct_size < estimateResultV1Size:
			return invalid("result->struct_size=%d is too small (expected %d): fill result with fmva_estimate_result_init", r.struct_size, estimateResultV1Size)
		case p.max_clusters < 2:
			return invalid("params->max_clusters=%d must be at least 2", int(p.max_clusters))
		}
		params, err := estimateParams(p)
		if err != nil {
			return err
		}
		spec := sourceSpec{x: x, preprocessing: p.preprocessing, fn: p.preprocess, user: p.preprocess_user,
			navMask: p.navigation_mask, sigMk: p.signal_mask, km: params.KMeans, kmC: p.kmeans}
		elem := elemSize(x)
		need := preparedBytes(spec, elem) + kmeansFitBytes(x.rows, x.cols, params.MaxClusters, elem) + 16*float64(x.rows)
		if params.Metric == cluster.MetricGap && params.Reference == cluster.GapUniform && preparedBytes(spec, elem) == 0 {
			need += float64(x.rows) * float64(x.cols) * float64(elem) // the reference's own buffer
		}
		if err := reserve("estimate_number_of_clusters", need); err != nil {
			return err
		}
		if x.dtype == C.FMVA_F32 {
			return estimateTyped[float32](spec, params, r)
		}
		return estimateTyped[float64](spec, params, r)
	})
}

func estimateTyped[T dense.Float](spec sourceSpec, params cluster.EstimateParams, r *C.fmva_estimate_result) error {
	src, o, err := source[T](spec)
	if err != nil {
		return err
	}
	prep, err := cluster.Prepare(src, o)
	if err != nil {
		return err
	}
	defer prep.Release()
	r.n_features = C.int64_t(prep.Data.Cols)
	res, err := cluster.EstimateNumberOfClusters(prep, params)
	if err != nil {
		return err
	}
	kmax := params.MaxClusters
	copy(vec[float64](unsafe.Pointer(r.metric), kmax), res.Metric)
	copy(vec[float64](unsafe.Pointer(r.inertia), kmax), res.Inertia)
	if se := vec[float64](unsafe.Pointer(r.gap_std_error), kmax); se != nil {
		for i := range se {
			se[i] = math.NaN() // elbow and silhouette have no reference
		}
		copy(se, res.GapStdErr)
	}
	cand := vec[int32](unsafe.Pointer(r.candidates), kmax)
	for i, k := range res.Candidates {
		if cand != nil {
			cand[i] = int32(k)
		}
	}
	r.n_candidates, r.best_k = C.int32_t(len(res.Candidates)), C.int32_t(res.BestK)
	return nil
}
