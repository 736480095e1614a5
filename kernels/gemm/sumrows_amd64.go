//go:build amd64 && !purego && !noasm

package gemm

// The kernels take whole chunks of eight registers of float64 columns: 64 columns on AVX-512,
// 32 on AVX2. The V4, V2 and V1 kernels take half, a quarter and an eighth of a chunk, for the
// columns past the last whole chunk.
//
//go:noescape
func sumRowsF64AVX512(x *float64, ldx int, rows *int32, m int, w *float64, sum *float64, chunks int)

//go:noescape
func sumRowsF32AVX512(x *float32, ldx int, rows *int32, m int, w *float32, sum *float64, chunks int)

//go:noescape
func sumRowsF64AVX512V4(x *float64, ldx int, rows *int32, m int, w *float64, sum *float64, chunks int)

//go:noescape
func sumRowsF32AVX512V4(x *float32, ldx int, rows *int32, m int, w *float32, sum *float64, chunks int)

//go:noescape
func sumRowsF64AVX512V2(x *float64, ldx int, rows *int32, m int, w *float64, sum *float64, chunks int)

//go:noescape
func sumRowsF32AVX512V2(x *float32, ldx int, rows *int32, m int, w *float32, sum *float64, chunks int)

//go:noescape
func sumRowsF64AVX512V1(x *float64, ldx int, rows *int32, m int, w *float64, sum *float64, chunks int)

//go:noescape
func sumRowsF32AVX512V1(x *float32, ldx int, rows *int32, m int, w *float32, sum *float64, chunks int)

//go:noescape
func sumRowsF64AVX2(x *float64, ldx int, rows *int32, m int, w *float64, sum *float64, chunks int)

//go:noescape
func sumRowsF32AVX2(x *float32, ldx int, rows *int32, m int, w *float32, sum *float64, chunks int)

//go:noescape
func sumRowsF64AVX2V4(x *float64, ldx int, rows *int32, m int, w *float64, sum *float64, chunks int)

//go:noescape
func sumRowsF32AVX2V4(x *float32, ldx int, rows *int32, m int, w *float32, sum *float64, chunks int)

//go:noescape
func sumRowsF64AVX2V2(x *float64, ldx int, rows *int32, m int, w *float64, sum *float64, chunks int)

//go:noescape
func sumRowsF32AVX2V2(x *float32, ldx int, rows *int32, m int, w *float32, sum *float64, chunks int)

//go:noescape
func sumRowsF64AVX2V1(x *float64, ldx int, rows *int32, m int, w *float64, sum *float64, chunks int)

//go:noescape
func sumRowsF32AVX2V1(x *float32, ldx int, rows *int32, m int, w *float32, sum *float64, chunks int)
