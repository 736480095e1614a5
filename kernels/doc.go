// Package kernels holds fastmva's numeric inner loops: pure functions on slices, with no
// goroutines, no allocation and no hidden state except the choice of implementation made once
// when the package loads.
//
// Every operation has a reference loop written in plain Go (the *_generic.go files), always
// compiled; SIMD variants are checked against it. The exported functions dispatch through
// function variables set once by selectBackend (dispatch.go).
//
// Matrices are row-major: row i of an n×d matrix x with row stride ldx is x[i*ldx : i*ldx+d].
package kernels
