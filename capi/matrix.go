package main

/*
#include "fastmva.h"
*/
import "C"

import (
	"unsafe"

	"github.com/fastmva/fastmva/internal/dense"
)

// shape is a checked fmva_matrix: the dtype and sizes are valid and the data pointer non-NULL.
type shape struct {
	data              unsafe.Pointer
	dtype             int
	rows, cols, strid int
}

func checkMatrix(m *C.fmva_matrix, name string) (shape, error) {
	if m == nil {
		return shape{}, invalid("%s is NULL", name)
	}
	s := shape{data: unsafe.Pointer(m.data), dtype: int(m.dtype), rows: int(m.rows), cols: int(m.cols), strid: int(m.stride)}
	switch {
	case s.dtype != C.FMVA_F32 && s.dtype != C.FMVA_F64:
		return s, invalid("%s has dtype code %d; expected FMVA_F32 (%d) or FMVA_F64 (%d)", name, s.dtype, C.FMVA_F32, C.FMVA_F64)
	case s.rows <= 0:
		return s, invalid("%s has %d rows: at least 1 sample is needed", name, s.rows)
	case s.cols <= 0:
		return s, invalid("%s has %d columns: at least 1 feature is needed", name, s.cols)
	case s.strid < s.cols:
		return s, invalid("%s has row stride %d, smaller than its %d columns", name, s.strid, s.cols)
	case s.data == nil:
		return s, invalid("%s->data is NULL", name)
	case s.strid > maxBytes/8 || s.rows-1 > (maxBytes/8-s.strid)/s.strid:
		// (rows-1)*stride+cols elements must be addressable: sizes from garbage memory would
		// otherwise overflow into a negative slice length (a panic) or a wild view.
		return s, invalid("%s is %d rows × stride %d: larger than any buffer can be", name, s.rows, s.strid)
	}
	return s, nil
}

// maxBytes bounds the size of any caller buffer (the largest Go slice of bytes).
const maxBytes = 1<<62 - 1

// elems is the number of elements the caller's buffer must hold.
func (s shape) elems() int { return (s.rows-1)*s.strid + s.cols }

// view returns a Go view of caller memory; it must not outlive the call.
func view[T dense.Float](s shape) dense.Matrix[T] {
	return dense.Matrix[T]{Data: unsafe.Slice((*T)(s.data), s.elems()), Rows: s.rows, Cols: s.cols, Stride: s.strid}
}

// vec views n elements of caller memory (nil pointer → nil slice).
func vec[T any](p unsafe.Pointer, n int) []T {
	if p == nil {
		return nil
	}
	return unsafe.Slice((*T)(p), n)
}
