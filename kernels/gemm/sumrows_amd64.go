//go:build amd64 && !purego && !noasm

package gemm

//go:noescape
func sumRowsF64AVX512(x *float64, ldx int, rows *int32, m int, w *float64, sum *float64, chunks int)

//go:noescape
func sumRowsF32AVX512(x *float32, ldx int, rows *int32, m int, w *float32, sum *float64, chunks int)

// The narrower kernels, for the columns past the last whole chunk: 32, 16 and 8 columns.
//
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

// sumRowsChunk is how many columns the widest SIMD kernel takes at a time.
const sumRowsChunk = 64

type sumRowsKernel[T Float] func(x *T, ldx int, rows *int32, m int, w *T, sum *float64, chunks int)

// sumRowsSIMD runs SumRows' kernels over the whole chunks of 64 columns, then over one chunk of
// 32, 16 and 8 of the columns left where they fit, and reports how many columns it did (none
// off AVX-512; fewer than 8 are left over). Indices are checked by SumRows.
func sumRowsSIMD[T Float](x []T, ldx int, rows []int32, w []T, sum []float64) int {
	if len(sum) < 8 || kernelFor[T]().name != "avx512" {
		return 0
	}
	var wp *T
	if w != nil {
		wp = &w[0]
	}
	var kern [4]sumRowsKernel[T] // 64, 32, 16 and 8 columns a chunk
	switch any(x).(type) {
	case []float64:
		kern = [4]sumRowsKernel[T]{
			any(sumRowsF64AVX512).(func(*T, int, *int32, int, *T, *float64, int)),
			any(sumRowsF64AVX512V4).(func(*T, int, *int32, int, *T, *float64, int)),
			any(sumRowsF64AVX512V2).(func(*T, int, *int32, int, *T, *float64, int)),
			any(sumRowsF64AVX512V1).(func(*T, int, *int32, int, *T, *float64, int)),
		}
	case []float32:
		kern = [4]sumRowsKernel[T]{
			any(sumRowsF32AVX512).(func(*T, int, *int32, int, *T, *float64, int)),
			any(sumRowsF32AVX512V4).(func(*T, int, *int32, int, *T, *float64, int)),
			any(sumRowsF32AVX512V2).(func(*T, int, *int32, int, *T, *float64, int)),
			any(sumRowsF32AVX512V1).(func(*T, int, *int32, int, *T, *float64, int)),
		}
	}
	done := 0
	if chunks := len(sum) / sumRowsChunk; chunks > 0 {
		kern[0](&x[0], ldx, &rows[0], len(rows), wp, &sum[0], chunks)
		done = chunks * sumRowsChunk
	}
	for i, width := range []int{32, 16, 8} {
		if len(sum)-done >= width {
			kern[i+1](&x[done], ldx, &rows[0], len(rows), wp, &sum[done], 1)
			done += width
		}
	}
	return done
}
