//go:build amd64 && !purego && !noasm

package gemm

import "unsafe"

//go:noescape
func sumRowsF64AVX512(x *float64, ldx int, rows *int32, m int, w *float64, sum *float64, chunks int)

//go:noescape
func sumRowsF32AVX512(x *float32, ldx int, rows *int32, m int, w *float32, sum *float64, chunks int)

// sumRowsChunk is how many columns the SIMD kernels take at a time.
const sumRowsChunk = 64

// sumRowsSIMD runs SumRows' kernel over the whole chunks of columns and reports how many
// columns it did (none off AVX-512). Indices are checked by SumRows.
func sumRowsSIMD[T Float](x []T, ldx int, rows []int32, w []T, sum []float64) int {
	chunks := len(sum) / sumRowsChunk
	if chunks == 0 || kernelFor[T]().name != "avx512" {
		return 0
	}
	var wp *T
	if w != nil {
		wp = &w[0]
	}
	switch xs := any(x).(type) {
	case []float64:
		sumRowsF64AVX512(&xs[0], ldx, &rows[0], len(rows), (*float64)(unsafe.Pointer(wp)), &sum[0], chunks)
	case []float32:
		sumRowsF32AVX512(&xs[0], ldx, &rows[0], len(rows), (*float32)(unsafe.Pointer(wp)), &sum[0], chunks)
	}
	return chunks * sumRowsChunk
}
