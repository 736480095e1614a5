package main

/*
#include "fastmva.h"
int fastmva_internal_call_progress(fmva_progress_fn fn, void *user, int64_t done, int64_t total);
*/
import "C"

import (
	"unsafe"

	"github.com/fastmva/fastmva/decomp"
	"github.com/fastmva/fastmva/internal/dense"
)

// The fields of version 0.1; a smaller struct_size is not one of these structs.
var (
	svdParamsV1Size = C.size_t(unsafe.Offsetof(C.fmva_svd_params{}.progress_user) + unsafe.Sizeof(C.fmva_svd_params{}.progress_user))
	svdResultV1Size = C.size_t(unsafe.Offsetof(C.fmva_svd_result{}.total_variance) + unsafe.Sizeof(C.fmva_svd_result{}.total_variance))
)

func svdParams(p *C.fmva_svd_params, rows, cols int) (decomp.Params, error) {
	var out decomp.Params
	if p == nil {
		return out, invalid("params is NULL")
	}
	if p.struct_size < svdParamsV1Size {
		return out, invalid("params->struct_size=%d is too small (expected %d): fill params with fmva_svd_params_init", p.struct_size, svdParamsV1Size)
	}
	out = decomp.Params{Components: int(p.n_components), Poisson: p.poisson != 0, Ddof: int(p.ddof),
		Oversamples: int(p.n_oversamples), PowerIters: int(p.n_power_iter), Seed: uint64(p.seed), Threads: int(p.n_threads)}
	switch p.solver {
	case C.FMVA_SVD_AUTO, C.FMVA_SVD_EXACT, C.FMVA_SVD_RANDOMIZED:
		out.Solver = decomp.Solver(p.solver) // the codes are decomp's
	default:
		return out, invalid("params->solver=%d is not one of the FMVA_SVD_* codes", int(p.solver))
	}
	switch p.centre {
	case C.FMVA_CENTRE_NONE, C.FMVA_CENTRE_SIGNAL, C.FMVA_CENTRE_NAVIGATION:
		out.Centre = decomp.Centre(p.centre)
	default:
		return out, invalid("params->centre=%d is not one of the FMVA_CENTRE_* codes", int(p.centre))
	}
	switch p.flip {
	case C.FMVA_FLIP_NONE, C.FMVA_FLIP_LOADINGS, C.FMVA_FLIP_FACTORS:
		out.Flip = decomp.Flip(p.flip)
	default:
		return out, invalid("params->flip=%d is not one of the FMVA_FLIP_* codes", int(p.flip))
	}
	switch {
	case p.n_components < 0:
		return out, invalid("params->n_components=%d is negative (0 means all)", int(p.n_components))
	case p.n_threads < 0:
		return out, invalid("params->n_threads=%d is negative (0 means all cores)", int(p.n_threads))
	case p.ddof < 0:
		return out, invalid("params->ddof=%d is negative", int(p.ddof))
	}
	out.NavMask, out.SigMask = masks(p.navigation_mask, p.signal_mask, rows, cols)
	if p.progress != nil {
		fn, user := p.progress, p.progress_user
		out.Progress = func(done, total int64) bool {
			return C.fastmva_internal_call_progress(fn, user, C.int64_t(done), C.int64_t(total)) == 0
		}
	}
	return out, nil
}

// svdBytes estimates the working memory: the Gram matrix, its eigenvectors and the
// eigensolver's scratch (q² doubles each), a copy of the data when it is prepared, float32's
// float64 row block, the randomized solver's per-chunk accumulators.
func svdBytes(s shape, p decomp.Params) float64 {
	q := float64(min(s.rows, s.cols))
	b := 6 * q * q * 8
	if p.Poisson || p.Centre != decomp.CentreNone || p.NavMask != nil || p.SigMask != nil {
		b += float64(s.rows) * float64(s.cols) * float64(elemSize(s))
	}
	return b + 8<<20 + 17*q*float64(p.Components+20)*8
}

//export fmvago_svd
func fmvago_svd(X *C.fmva_matrix, p *C.fmva_svd_params, r *C.fmva_svd_result, ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		s, err := checkMatrix(X, "X")
		if err != nil {
			return err
		}
		params, err := svdParams(p, s.rows, s.cols)
		if err != nil {
			return err
		}
		if r == nil {
			return invalid("result is NULL")
		}
		if r.struct_size < svdResultV1Size {
			return invalid("result->struct_size=%d is too small (expected %d): fill result with fmva_svd_result_init", r.struct_size, svdResultV1Size)
		}
		if err := reserve("SVD", svdBytes(s, params)); err != nil {
			return err
		}
		var info decomp.Info
		if s.dtype == C.FMVA_F32 {
			info, err = svdTyped[float32](s, params, r)
		} else {
			info, err = svdTyped[float64](s, params, r)
		}
		if err != nil {
			return err
		}
		r.n_components = C.int32_t(info.Components)
		r.randomized = 0
		if info.Randomized {
			r.randomized = 1
		}
		r.n_rows, r.n_cols = C.int64_t(info.Rows), C.int64_t(info.Cols)
		r.total_variance = C.double(info.TotalVariance)
		if r.struct_size >= svdResultV1Size+C.size_t(unsafe.Sizeof(r.n_power_iter)) {
			r.n_power_iter = C.int32_t(info.PowerIters)
		}
		return nil
	})
}

func svdTyped[T dense.Float](s shape, p decomp.Params, r *C.fmva_svd_result) (decomp.Info, error) {
	// k is known before the call only when given; otherwise it is min of the kept shape, which
	// the outputs must be sized for (the header says so).
	k := p.Components
	if k == 0 {
		k = min(keptCount(p.NavMask, s.rows), keptCount(p.SigMask, s.cols))
	}
	out := decomp.Output[T]{
		Loadings: vec[T](r.loadings, s.rows*k), LdL: k,
		Factors: vec[T](r.factors, s.cols*k), LdF: k,
		S:       vec[float64](unsafe.Pointer(r.singular_values), k),
		ExplVar: vec[float64](unsafe.Pointer(r.explained_variance), k),
	}
	if r.mean != nil {
		n := s.rows
		if p.Centre == decomp.CentreNavigation {
			n = s.cols
		}
		out.Mean = vec[float64](unsafe.Pointer(r.mean), n)
	}
	return decomp.SVD(view[T](s), p, out)
}

func keptCount(mask []bool, n int) int {
	c := n
	for _, m := range mask {
		if m {
			c--
		}
	}
	return c
}
