package main

/*
#include "fastmva.h"
*/
import "C"

import (
	"unsafe"

	"github.com/fastmva/fastmva/cluster"
)

// checkXY checks two matrices of the same dtype and width (named X and Y in messages).
func checkXY(X, Y *C.fmva_matrix, threads C.int32_t) (shape, shape, error) {
	s, err := checkMatrix(X, "X")
	if err != nil {
		return s, shape{}, err
	}
	y, err := checkMatrix(Y, "Y")
	if err != nil {
		return s, y, err
	}
	switch {
	case y.dtype != s.dtype:
		return s, y, invalid("Y has dtype code %d but X has %d: both must be the same", y.dtype, s.dtype)
	case y.cols != s.cols:
		return s, y, invalid("Incompatible dimension for X and Y matrices: X.shape[1] == %d while Y.shape[1] == %d", s.cols, y.cols)
	case threads < 0:
		return s, y, invalid("n_threads=%d is negative (0 means all cores)", int(threads))
	}
	return s, y, nil
}

//export fmvago_euclidean_distances
func fmvago_euclidean_distances(X, Y *C.fmva_matrix, squared, same, threads C.int32_t, out unsafe.Pointer,
	ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		s, y, err := checkXY(X, Y, threads)
		if err != nil {
			return err
		}
		if out == nil {
			return invalid("the distances output must not be NULL")
		}
		if same != 0 && (y.rows != s.rows || y.data != s.data || y.strid != s.strid) {
			return invalid("same_xy is set but Y is not X")
		}
		if err := reserve("euclidean distances", float64(y.rows)*float64(y.cols)*8); err != nil {
			return err
		}
		n := s.rows * y.rows
		if s.dtype == C.FMVA_F32 {
			return cluster.EuclideanDistances(view[float32](s), view[float32](y), squared != 0, same != 0, int(threads), vec[float32](out, n))
		}
		return cluster.EuclideanDistances(view[float64](s), view[float64](y), squared != 0, same != 0, int(threads), vec[float64](out, n))
	})
}

//export fmvago_pairwise_distances_argmin_min
func fmvago_pairwise_distances_argmin_min(X, Y *C.fmva_matrix, threads C.int32_t, argmin *C.int64_t, dist *C.double,
	ebuf *C.char, elen C.size_t) C.int {
	return guard(errBuf{ebuf, elen}, func() error {
		s, y, err := checkXY(X, Y, threads)
		if err != nil {
			return err
		}
		if argmin == nil || dist == nil {
			return invalid("the argmin and distance outputs must not be NULL")
		}
		arg := vec[int64](unsafe.Pointer(argmin), s.rows)
		d := vec[float64](unsafe.Pointer(dist), s.rows)
		if s.dtype == C.FMVA_F32 {
			return cluster.ArgminMin(view[float32](s), view[float32](y), int(threads), arg, d)
		}
		return cluster.ArgminMin(view[float64](s), view[float64](y), int(threads), arg, d)
	})
}
