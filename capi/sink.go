package main

/*
#include <stdlib.h>
#include "cluster_internal.h"
*/
import "C"

import (
	"math"
	"runtime/cgo"
	"unsafe"

	"github.com/fastmva/fastmva/cluster"
	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
)

// sinkWriter is what a live fmva_sink's handle points to.
type sinkWriter interface {
	write(m *C.fmva_matrix) error
	reject(err error)
}

// sink receives a preprocessing callback's result, converted to the cluster source's type T.
type sink[T dense.Float] struct {
	rows     int
	out      dense.Matrix[T]
	written  bool
	rejected error // the last write's failure, reported with FMVA_ECALLBACK if the call fails
}

func (s *sink[T]) write(m *C.fmva_matrix) error {
	sh, err := checkMatrix(m, "the preprocessing output")
	if err != nil {
		return err
	}
	if sh.rows != s.rows {
		return invalid("the preprocessing output has %d rows; it must keep the %d rows (samples) of its input", sh.rows, s.rows)
	}
	var zero T
	if err := reserve("the preprocessing output", float64(sh.rows)*float64(sh.cols)*float64(unsafe.Sizeof(zero))); err != nil {
		return err
	}
	out := make([]T, sh.rows*sh.cols)
	if sh.dtype == C.FMVA_F32 {
		err = convertRows(view[float32](sh), out)
	} else {
		err = convertRows(view[float64](sh), out)
	}
	if err != nil {
		return err
	}
	s.out = dense.Matrix[T]{Data: out, Rows: sh.rows, Cols: sh.cols, Stride: sh.cols}
	s.written, s.rejected = true, nil
	return nil
}

// convertRows copies m into out (contiguous) converting each value, and refuses NaN and ±Inf
// — also the ones a float64 → float32 conversion would create.
func convertRows[S, T dense.Float](m dense.Matrix[S], out []T) error {
	for i := 0; i < m.Rows; i++ {
		dst := out[i*m.Cols : (i+1)*m.Cols]
		for j, v := range m.Row(i) {
			t := T(v)
			if f := float64(t); math.IsNaN(f) || math.IsInf(f, 0) {
				return invalid("the preprocessing output has %v at row %d, column %d (value %v): only finite values can be clustered", f, i, j, float64(v))
			}
			dst[j] = t
		}
	}
	return nil
}

//export fmvago_sink_write
func fmvago_sink_write(s *C.struct_fmva_sink, m *C.fmva_matrix, ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		if s == nil || s.magic != C.FASTMVA_SINK_MAGIC {
			return invalid("sink is not a live fmva_sink: pass the one your preprocessing callback received, during that call")
		}
		w := cgo.Handle(s.handle).Value().(sinkWriter)
		err := w.write(m)
		if err != nil {
			w.reject(err)
		}
		return err
	})
}

func (s *sink[T]) reject(err error) { s.rejected = err }

// userPreprocessor wraps a C preprocessing callback as a cluster.Preprocessor: its input is
// described in C memory (the data are the caller's X or a C-allocated masked copy, see
// cInputAlloc), its output comes back through a sink.
func userPreprocessor[T dense.Float](fn C.fmva_preprocess_fn, user unsafe.Pointer) cluster.Preprocessor[T] {
	return func(in dense.Matrix[T]) (dense.Matrix[T], error) {
		mat := (*C.fmva_matrix)(C.calloc(1, C.sizeof_fmva_matrix))
		cs := (*C.struct_fmva_sink)(C.calloc(1, C.sizeof_struct_fmva_sink))
		if mat == nil || cs == nil {
			C.free(unsafe.Pointer(mat))
			C.free(unsafe.Pointer(cs))
			return dense.Matrix[T]{}, fault.NoMemory("no memory for the preprocessing callback's arguments")
		}
		var zero T
		mat.data = unsafe.Pointer(&in.Data[0])
		mat.dtype = C.FMVA_F64
		if _, ok := any(zero).(float32); ok {
			mat.dtype = C.FMVA_F32
		}
		mat.rows, mat.cols, mat.stride = C.int64_t(in.Rows), C.int64_t(in.Cols), C.int64_t(in.Stride)
		s := &sink[T]{rows: in.Rows}
		h := cgo.NewHandle(sinkWriter(s))
		cs.magic, cs.handle = C.FASTMVA_SINK_MAGIC, C.uintptr_t(h)
		rc := C.fastmva_internal_call_preprocess(fn, user, mat, cs)
		cs.magic = 0 // a sink kept by the callback is dead from now on
		h.Delete()
		C.free(unsafe.Pointer(mat))
		C.free(unsafe.Pointer(cs))
		switch {
		case rc != 0 && s.rejected != nil:
			return dense.Matrix[T]{}, fault.Callback("the preprocessing callback returned %d after fmva_sink_write refused its result: %v", int(rc), s.rejected)
		case rc != 0:
			return dense.Matrix[T]{}, fault.Callback("the preprocessing callback returned %d", int(rc))
		case !s.written && s.rejected != nil:
			return dense.Matrix[T]{}, fault.Callback("fmva_sink_write refused the preprocessing result: %v", s.rejected)
		case !s.written:
			return dense.Matrix[T]{}, fault.Callback("the preprocessing callback returned 0 without writing its result with fmva_sink_write")
		}
		return s.out, nil
	}
}

// cInputAlloc gives the masked copy handed to a C callback a home in C memory: a Go pointer may
// not be stored in the fmva_matrix the callback receives.
func cInputAlloc[T dense.Float](n int) ([]T, func(), error) {
	var zero T
	if err := reserve("the masked cluster source", float64(n)*float64(unsafe.Sizeof(zero))); err != nil {
		return nil, nil, err
	}
	p := C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof(zero)))
	if p == nil {
		return nil, nil, fault.NoMemory("no memory for the masked cluster source (%d values)", n)
	}
	return unsafe.Slice((*T)(p), n), func() { C.free(p) }, nil
}
