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

type sumRowsKernel[T Float] func(x *T, ldx int, rows *int32, m int, w *T, sum *float64, chunks int)

// sumRowsKernels are the kernels of one backend: whole chunks of chunk columns, then chunk/2,
// chunk/4 and chunk/8.
type sumRowsKernels[T Float] struct {
	chunk int
	kern  [4]sumRowsKernel[T]
}

// sumRowsFor is the kernel set of the backend gemm runs on (ok false: generic, none).
func sumRowsFor[T Float]() (ks sumRowsKernels[T], ok bool) {
	type f = func(*T, int, *int32, int, *T, *float64, int)
	var zero T
	f64 := any(zero) == any(float64(0))
	switch kernelFor[T]().name {
	case "avx512":
		ks.chunk = 64
		if f64 {
			ks.kern = [4]sumRowsKernel[T]{any(sumRowsF64AVX512).(f), any(sumRowsF64AVX512V4).(f), any(sumRowsF64AVX512V2).(f), any(sumRowsF64AVX512V1).(f)}
		} else {
			ks.kern = [4]sumRowsKernel[T]{any(sumRowsF32AVX512).(f), any(sumRowsF32AVX512V4).(f), any(sumRowsF32AVX512V2).(f), any(sumRowsF32AVX512V1).(f)}
		}
	case "avx2":
		ks.chunk = 32
		if f64 {
			ks.kern = [4]sumRowsKernel[T]{any(sumRowsF64AVX2).(f), any(sumRowsF64AVX2V4).(f), any(sumRowsF64AVX2V2).(f), any(sumRowsF64AVX2V1).(f)}
		} else {
			ks.kern = [4]sumRowsKernel[T]{any(sumRowsF32AVX2).(f), any(sumRowsF32AVX2V4).(f), any(sumRowsF32AVX2V2).(f), any(sumRowsF32AVX2V1).(f)}
		}
	default:
		return ks, false
	}
	return ks, true
}

// sumRowsSIMD runs SumRows' kernels over the whole chunks, then over one half, quarter and
// eighth of a chunk of the columns left where they fit, and reports how many columns it did
// (none on the generic backend; fewer than an eighth of a chunk are left over). Indices are
// checked by SumRows.
func sumRowsSIMD[T Float](x []T, ldx int, rows []int32, w []T, sum []float64) int {
	ks, ok := sumRowsFor[T]()
	if !ok || len(sum) < ks.chunk/8 {
		return 0
	}
	var wp *T
	if w != nil {
		wp = &w[0]
	}
	done := 0
	if chunks := len(sum) / ks.chunk; chunks > 0 {
		ks.kern[0](&x[0], ldx, &rows[0], len(rows), wp, &sum[0], chunks)
		done = chunks * ks.chunk
	}
	for i, width := range []int{ks.chunk / 2, ks.chunk / 4, ks.chunk / 8} {
		if len(sum)-done >= width {
			ks.kern[i+1](&x[done], ldx, &rows[0], len(rows), wp, &sum[done], 1)
			done += width
		}
	}
	return done
}
