package main

/*
#include "fastmva.h"
*/
import "C"

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/fastmva/fastmva/cluster"
	"github.com/fastmva/fastmva/internal/dense"
)

// Mini-batch models live in a Go registry; C holds only their id (Go memory may not be kept by
// C). Each entry has its own lock, so calls on one model are serialized while different models
// run in parallel.

type mbEntry struct {
	mu    sync.Mutex
	dtype int
	cols  int
	k     int
	m     any // *cluster.MiniBatch[float32] or [float64]
}

var (
	mbModels sync.Map // uint64 → *mbEntry
	mbNextID atomic.Uint64
)

func mbLookup(id C.uint64_t) (*mbEntry, error) {
	if id == 0 {
		return nil, invalid("model is NULL")
	}
	e, ok := mbModels.Load(uint64(id))
	if !ok {
		return nil, invalid("model was freed or is not a fmva_minibatch")
	}
	return e.(*mbEntry), nil
}

var minibatchParamsV1Size = C.size_t(unsafe.Offsetof(C.fmva_minibatch_params{}.init_centers) + unsafe.Sizeof(C.fmva_minibatch_params{}.init_centers))

func minibatchParams(p *C.fmva_minibatch_params) (cluster.MiniBatchParams, error) {
	if p == nil {
		return cluster.MiniBatchParams{}, invalid("params is NULL")
	}
	if p.struct_size < minibatchParamsV1Size {
		return cluster.MiniBatchParams{}, invalid("params->struct_size=%d is too small (expected %d): fill params with fmva_minibatch_params_init", p.struct_size, minibatchParamsV1Size)
	}
	out := cluster.MiniBatchParams{
		K: int(p.n_clusters), NInit: int(p.n_init), MaxIter: int(p.max_iter), BatchSize: int(p.batch_size),
		Tol: float64(p.tol), MaxNoImprovement: int(p.max_no_improvement), InitSize: int(p.init_size),
		ReassignmentRatio: float64(p.reassignment_ratio), Seed: uint64(p.seed), Threads: int(p.n_threads),
	}
	if out.MaxNoImprovement < 0 {
		out.MaxNoImprovement = -1
	}
	init, err := initMethod(int(p.init), p.init_centers != nil)
	if err != nil {
		return out, err
	}
	out.Init = init
	if p.n_threads < 0 {
		return out, invalid("params->n_threads=%d is negative (0 means all cores)", int(p.n_threads))
	}
	if p.init_size < 0 || p.init_size > 1<<31 {
		return out, invalid("params->init_size=%d must be in [0, 2^31]", int64(p.init_size))
	}
	return out, nil
}

//export fmvago_minibatch_create
func fmvago_minibatch_create(dtype C.int32_t, cols C.int64_t, p *C.fmva_minibatch_params, id *C.uint64_t,
	ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		params, err := minibatchParams(p)
		if err != nil {
			return err
		}
		if dtype != C.FMVA_F32 && dtype != C.FMVA_F64 {
			return invalid("dtype code %d; expected FMVA_F32 (%d) or FMVA_F64 (%d)", int(dtype), C.FMVA_F32, C.FMVA_F64)
		}
		if cols < 1 || cols > 1<<31 {
			return invalid("n_features=%d must be in [1, 2^31]", int64(cols))
		}
		if params.K < 1 {
			return invalid("n_clusters=%d must be at least 1", params.K)
		}
		e := &mbEntry{dtype: int(dtype), cols: int(cols), k: params.K}
		n := params.K * int(cols)
		if dtype == C.FMVA_F32 {
			e.m, err = cluster.NewMiniBatch(int(cols), params, vec[float32](p.init_centers, n))
		} else {
			e.m, err = cluster.NewMiniBatch(int(cols), params, vec[float64](p.init_centers, n))
		}
		if err != nil {
			return err
		}
		next := mbNextID.Add(1)
		mbModels.Store(next, e)
		*id = C.uint64_t(next)
		return nil
	})
}

//export fmvago_minibatch_free
func fmvago_minibatch_free(id C.uint64_t, ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		e, err := mbLookup(id)
		if err != nil {
			return err
		}
		e.mu.Lock() // wait for a call in progress on another thread
		mbModels.Delete(uint64(id))
		e.mu.Unlock()
		return nil
	})
}

// withModel runs body on the locked model after checking X against it.
func withModel(id C.uint64_t, X *C.fmva_matrix, body func(e *mbEntry, s shape) error) error {
	e, err := mbLookup(id)
	if err != nil {
		return err
	}
	var s shape
	if X != nil {
		if s, err = checkMatrix(X, "X"); err != nil {
			return err
		}
		if s.dtype != e.dtype {
			return invalid("X has dtype code %d but the model was created for %d", s.dtype, e.dtype)
		}
		if s.cols != e.cols {
			return invalid("X has %d features, but the model has %d", s.cols, e.cols)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return body(e, s)
}

//export fmvago_minibatch_partial_fit
func fmvago_minibatch_partial_fit(id C.uint64_t, X *C.fmva_matrix, w unsafe.Pointer, ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		if X == nil {
			return invalid("X is NULL")
		}
		return withModel(id, X, func(e *mbEntry, s shape) error {
			if m, ok := e.m.(*cluster.MiniBatch[float32]); ok {
				return m.PartialFit(view[float32](s), vec[float32](w, s.rows))
			}
			return e.m.(*cluster.MiniBatch[float64]).PartialFit(view[float64](s), vec[float64](w, s.rows))
		})
	})
}

//export fmvago_minibatch_fit
func fmvago_minibatch_fit(id C.uint64_t, X *C.fmva_matrix, w unsafe.Pointer, nSteps *C.int64_t, nIter *C.int32_t,
	ewa *C.double, ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		if X == nil {
			return invalid("X is NULL")
		}
		return withModel(id, X, func(e *mbEntry, s shape) error {
			if err := reserve("mini-batch k-means", float64(s.rows)*16); err != nil {
				return err
			}
			var res *cluster.MiniBatchResult
			var err error
			if m, ok := e.m.(*cluster.MiniBatch[float32]); ok {
				res, err = m.Fit(view[float32](s), vec[float32](w, s.rows))
			} else {
				res, err = e.m.(*cluster.MiniBatch[float64]).Fit(view[float64](s), vec[float64](w, s.rows))
			}
			if err != nil {
				return err
			}
			if nSteps != nil {
				*nSteps = C.int64_t(res.Steps)
			}
			if nIter != nil {
				*nIter = C.int32_t(res.NIter)
			}
			if ewa != nil {
				*ewa = C.double(res.EWA)
			}
			return nil
		})
	})
}

//export fmvago_minibatch_predict
func fmvago_minibatch_predict(id C.uint64_t, X *C.fmva_matrix, w unsafe.Pointer, labels *C.int32_t, inertia *C.double,
	ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		if X == nil {
			return invalid("X is NULL")
		}
		if labels == nil {
			return invalid("the labels output must not be NULL")
		}
		return withModel(id, X, func(e *mbEntry, s shape) error {
			out := vec[int32](unsafe.Pointer(labels), s.rows)
			var in float64
			var err error
			if m, ok := e.m.(*cluster.MiniBatch[float32]); ok {
				in, err = predictModel(m, view[float32](s), vec[float32](w, s.rows), e, out)
			} else {
				in, err = predictModel(e.m.(*cluster.MiniBatch[float64]), view[float64](s), vec[float64](w, s.rows), e, out)
			}
			if err == nil && inertia != nil {
				*inertia = C.double(in)
			}
			return err
		})
	})
}

func predictModel[T dense.Float](m *cluster.MiniBatch[T], x dense.Matrix[T], w []T, e *mbEntry, labels []int32) (float64, error) {
	c, _ := m.Centers()
	if c == nil {
		return 0, invalid("the model has no centers yet: call fmva_minibatch_partial_fit or fmva_minibatch_fit first")
	}
	return cluster.Predict(x, dense.Matrix[T]{Data: c, Rows: e.k, Cols: e.cols, Stride: e.cols}, w, 0, labels)
}

//export fmvago_minibatch_state
func fmvago_minibatch_state(id C.uint64_t, centers unsafe.Pointer, counts *C.double, nSteps *C.int64_t,
	ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		return withModel(id, nil, func(e *mbEntry, _ shape) error {
			var cnt []float64
			var steps int64
			var ready bool
			if m, ok := e.m.(*cluster.MiniBatch[float32]); ok {
				c, k := m.Centers()
				ready, cnt, steps = c != nil, k, m.Steps()
				copy(vec[float32](centers, e.k*e.cols), c)
			} else {
				m := e.m.(*cluster.MiniBatch[float64])
				c, k := m.Centers()
				ready, cnt, steps = c != nil, k, m.Steps()
				copy(vec[float64](centers, e.k*e.cols), c)
			}
			if !ready {
				return invalid("the model has no centers yet: call fmva_minibatch_partial_fit or fmva_minibatch_fit first")
			}
			copy(vec[float64](unsafe.Pointer(counts), e.k), cnt)
			if nSteps != nil {
				*nSteps = C.int64_t(steps)
			}
			return nil
		})
	})
}

//export fmvago_minibatch_set_state
func fmvago_minibatch_set_state(id C.uint64_t, centers unsafe.Pointer, counts *C.double, nSteps C.int64_t,
	ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		if centers == nil {
			return invalid("centers is NULL")
		}
		if nSteps < 0 {
			return invalid("n_steps=%d is negative", int64(nSteps))
		}
		return withModel(id, nil, func(e *mbEntry, _ shape) error {
			cnt := vec[float64](unsafe.Pointer(counts), e.k)
			if m, ok := e.m.(*cluster.MiniBatch[float32]); ok {
				return m.SetState(vec[float32](centers, e.k*e.cols), cnt, int64(nSteps))
			}
			return e.m.(*cluster.MiniBatch[float64]).SetState(vec[float64](centers, e.k*e.cols), cnt, int64(nSteps))
		})
	})
}
