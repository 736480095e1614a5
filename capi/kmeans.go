package main

/*
#include "fastmva.h"
int fastmva_internal_call_progress(fmva_progress_fn fn, void *user, int64_t done, int64_t total);
*/
import "C"

import (
	"math"
	"unsafe"

	"github.com/fastmva/fastmva/cluster"
	"github.com/fastmva/fastmva/internal/dense"
)

// The fields every caller has had since version 0.1; a struct_size below this is not a
// fmva_kmeans_params (an uninitialised struct, or another struct passed by mistake).
var kmeansParamsV1Size = C.size_t(unsafe.Offsetof(C.fmva_kmeans_params{}.progress_user) + unsafe.Sizeof(C.fmva_kmeans_params{}.progress_user))

// initMethod translates an FMVA_INIT_* code (shared by k-means and mini-batch k-means);
// hasCenters says whether the caller passed init_centers.
func initMethod(code int, hasCenters bool) (cluster.Init, error) {
	switch code {
	case C.FMVA_INIT_KMEANSPP:
		return cluster.InitKMeansPP, nil
	case C.FMVA_INIT_RANDOM:
		return cluster.InitRandom, nil
	case C.FMVA_INIT_ARRAY:
		if !hasCenters {
			return cluster.InitGiven, invalid("params->init is FMVA_INIT_ARRAY but params->init_centers is NULL")
		}
		return cluster.InitGiven, nil
	}
	return 0, invalid("params->init=%d is not one of FMVA_INIT_KMEANSPP, FMVA_INIT_RANDOM, FMVA_INIT_ARRAY", code)
}

func kmeansParams(p *C.fmva_kmeans_params) (cluster.KMeansParams, error) {
	if p == nil {
		return cluster.KMeansParams{}, invalid("params is NULL")
	}
	if p.struct_size < kmeansParamsV1Size {
		return cluster.KMeansParams{}, invalid("params->struct_size=%d is too small (expected %d): fill params with fmva_kmeans_params_init", p.struct_size, kmeansParamsV1Size)
	}
	out := cluster.KMeansParams{
		K: int(p.n_clusters), NInit: int(p.n_init), MaxIter: int(p.max_iter), Tol: float64(p.tol),
		Seed: uint64(p.seed), Threads: int(p.n_threads),
	}
	init, err := initMethod(int(p.init), p.init_centers != nil)
	if err != nil {
		return out, err
	}
	out.Init = init
	algo, ok := kmeansAlgorithms[p.algorithm]
	if !ok {
		return out, invalid("params->algorithm=%d is not one of FMVA_KMEANS_LLOYD, FMVA_KMEANS_ELKAN, FMVA_KMEANS_HAMERLY, FMVA_KMEANS_AUTO, FMVA_KMEANS_YINYANG", int(p.algorithm))
	}
	out.Algorithm = algo
	if p.n_threads < 0 {
		return out, invalid("params->n_threads=%d is negative (0 means all cores)", int(p.n_threads))
	}
	if p.progress != nil {
		fn, user := p.progress, p.progress_user
		out.Progress = func(done, total int64) bool {
			return C.fastmva_internal_call_progress(fn, user, C.int64_t(done), C.int64_t(total)) == 0
		}
	}
	return out, nil
}

var kmeansAlgorithms = map[C.int32_t]cluster.Algorithm{
	C.FMVA_KMEANS_LLOYD: cluster.AlgoLloyd, C.FMVA_KMEANS_ELKAN: cluster.AlgoElkan,
	C.FMVA_KMEANS_HAMERLY: cluster.AlgoHamerly, C.FMVA_KMEANS_AUTO: cluster.AlgoAuto,
	C.FMVA_KMEANS_YINYANG: cluster.AlgoYinyang,
}

// kmeansFitBytes estimates the working memory of a fit: labels, per-row scratch, k-means++
// candidate distances, per-chunk center sums.
func kmeansFitBytes(rows, cols, k, elem int) float64 {
	trials := 2 + math.Log(float64(k))
	return float64(rows)*(8+float64(elem)+8*(trials+2)) + 64*float64(k)*float64(cols)*8*2
}

//export fmvago_kmeans_fit
func fmvago_kmeans_fit(X *C.fmva_matrix, p *C.fmva_kmeans_params, centers unsafe.Pointer,
	labels *C.int32_t, inertia *C.double, nIter *C.int32_t, ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		s, err := checkMatrix(X, "X")
		if err != nil {
			return err
		}
		params, err := kmeansParams(p)
		if err != nil {
			return err
		}
		if centers == nil || labels == nil {
			return invalid("the centers and labels outputs must not be NULL")
		}
		if params.K < 1 {
			return invalid("n_clusters=%d must be at least 1", params.K)
		}
		if params.K > s.rows {
			return invalid("n_samples=%d should be >= n_clusters=%d", s.rows, params.K)
		}
		need := kmeansFitBytes(s.rows, s.cols, params.K, elemSize(s))
		switch params.Algorithm {
		case cluster.AlgoElkan:
			need += float64(s.rows) * float64(params.K) * 8 // its lower bounds
		case cluster.AlgoYinyang:
			need += float64(s.rows) * float64(cluster.YinyangGroups(params.K)) * 8 // its group bounds
		}
		if err := reserve("k-means", need); err != nil {
			return err
		}
		if s.dtype == C.FMVA_F32 {
			return fitTyped[float32](s, p, params, centers, labels, inertia, nIter)
		}
		return fitTyped[float64](s, p, params, centers, labels, inertia, nIter)
	})
}

func elemSize(s shape) int {
	if s.dtype == C.FMVA_F32 {
		return 4
	}
	return 8
}

func fitTyped[T dense.Float](s shape, p *C.fmva_kmeans_params, params cluster.KMeansParams,
	centers unsafe.Pointer, labels *C.int32_t, inertia *C.double, nIter *C.int32_t) error {
	x := view[T](s)
	w := vec[T](p.sample_weight, s.rows)
	init := vec[T](p.init_centers, params.K*s.cols)
	res, err := cluster.FitKMeansInto(x, w, init, params, vec[int32](unsafe.Pointer(labels), s.rows))
	if err != nil {
		return err
	}
	copy(vec[T](centers, params.K*s.cols), res.Centers)
	if inertia != nil {
		*inertia = C.double(res.Inertia)
	}
	if nIter != nil {
		*nIter = C.int32_t(res.NIter)
	}
	return nil
}

func checkPair(X, centers *C.fmva_matrix) (shape, shape, error) {
	s, err := checkMatrix(X, "X")
	if err != nil {
		return s, shape{}, err
	}
	c, err := checkMatrix(centers, "centers")
	if err != nil {
		return s, c, err
	}
	if c.dtype != s.dtype {
		return s, c, invalid("centers have dtype code %d but X has %d: both must be the same", c.dtype, s.dtype)
	}
	if c.cols != s.cols {
		return s, c, invalid("X has %d features, but the centers have %d", s.cols, c.cols)
	}
	return s, c, nil
}

//export fmvago_kmeans_predict
func fmvago_kmeans_predict(X, centers *C.fmva_matrix, w unsafe.Pointer, threads C.int32_t,
	labels *C.int32_t, inertia *C.double, ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		s, c, err := checkPair(X, centers)
		if err != nil {
			return err
		}
		if labels == nil {
			return invalid("the labels output must not be NULL")
		}
		if threads < 0 {
			return invalid("n_threads=%d is negative (0 means all cores)", int(threads))
		}
		if err := reserve("k-means predict", float64(s.rows)*16); err != nil {
			return err
		}
		out := vec[int32](unsafe.Pointer(labels), s.rows)
		if s.dtype == C.FMVA_F32 {
			return predictInto(view[float32](s), view[float32](c), vec[float32](w, s.rows), int(threads), out, inertia)
		}
		return predictInto(view[float64](s), view[float64](c), vec[float64](w, s.rows), int(threads), out, inertia)
	})
}

// predictInto labels X's rows into out and, where inertia is not NULL, writes the inertia (the
// labels alone cost one distance pass less).
func predictInto[T dense.Float](x, c dense.Matrix[T], w []T, threads int, out []int32, inertia *C.double) error {
	if inertia == nil {
		return cluster.PredictLabels(x, c, w, threads, out)
	}
	in, err := cluster.Predict(x, c, w, threads, out)
	if err == nil {
		*inertia = C.double(in)
	}
	return err
}

//export fmvago_kmeans_transform
func fmvago_kmeans_transform(X, centers *C.fmva_matrix, threads C.int32_t, out unsafe.Pointer,
	ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		s, c, err := checkPair(X, centers)
		if err != nil {
			return err
		}
		if out == nil {
			return invalid("the distances output must not be NULL")
		}
		if threads < 0 {
			return invalid("n_threads=%d is negative (0 means all cores)", int(threads))
		}
		if s.dtype == C.FMVA_F32 {
			return cluster.Transform(view[float32](s), view[float32](c), int(threads), vec[float32](out, s.rows*c.rows))
		}
		return cluster.Transform(view[float64](s), view[float64](c), int(threads), vec[float64](out, s.rows*c.rows))
	})
}
