// Package kernels holds fastmva's numeric inner loops: pure functions on slices, with no
// goroutines, no allocation and no hidden state except the choice of implementation made once
// when the package loads.
//
// Every operation has a reference loop written in plain Go (generic.go), always compiled; SIMD
// variants are checked against it. The exported functions dispatch through function variables
// set once by selectBackend (dispatch.go).
//
// Matrices are row-major: row i of an n×d matrix x with row stride ldx is x[i*ldx : i*ldx+d].
//
// # Assembly
//
// The amd64 variants (AVX2+FMA, AVX-512F/DQ/VL; float32 and float64) are Go assembly printed by
// the small generator in _gen (its own module, no dependencies, so nothing of it reaches users of
// the library). Why a generator of our own rather than hand-written files, avo, or
// GOEXPERIMENT=simd: the four variants of each operation differ only in register width,
// element size and lane masking, and the nearest-center tile is unrolled for every group size
// 1…8, so writing them by hand would mean ~3 500 near-identical lines to keep in step; avo
// would do it but adds a dependency and an API to learn for what is a few hundred lines of
// printing; GOEXPERIMENT=simd would leave a plain `go build` without SIMD at all. The output is
// ordinary Go assembly, committed, checked by go vet's asmdecl and readable on its own.
// Regenerate with `go generate ./kernels`.
//
// # The nearest-center tile
//
// Rows run along the vector lanes (AVX-512: 2 vectors of 8 float64 or 16 float32 rows; AVX2:
// one vector of 4 or 8): a gather loads feature f of those rows, each center's feature f is
// broadcast, and an FMA advances one dot product per lane. Up to 8 centers share each gathered
// vector, so for k ≤ 8 every row is read once and for larger k the tile (in L1/L2) is re-read
// once per group of 8 while 16 accumulators stay in registers. Because every lane holds a whole
// row, the argmin over centers is a lane-wise compare-and-blend, with no horizontal reduction,
// and ties keep the lowest index as the reference does. The fused Lloyd kernel runs the tile and
// then adds the same rows, still in cache, into the per-chunk sums.
package kernels

//go:generate sh -c "cd _gen && go run . -out .."
