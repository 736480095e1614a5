package decomp

import (
	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// tall is the matrix an SVD works on, B = X or B = Xᵀ, oriented so that B is p×q with p ≥ q:
// the Gram matrix BᵀB is the small q×q one, whatever the shape of the caller's X.
type tall[T dense.Float] struct {
	x     dense.Matrix[T]
	trans bool // B = Xᵀ (X is wide)
	p, q  int
}

func orient[T dense.Float](x dense.Matrix[T]) tall[T] {
	if x.Rows >= x.Cols {
		return tall[T]{x: x, p: x.Rows, q: x.Cols}
	}
	return tall[T]{x: x, trans: true, p: x.Cols, q: x.Rows}
}

// block is rows [lo, hi) of B viewed in place, without a copy: the b×q block Bb itself
// (row-major, stride ld) when !trans, or Bbᵀ (q×b, stride ld) when trans.
type block[T dense.Float] struct {
	data  []T
	ld    int
	trans bool
	rows  int // b
}

func (b tall[T]) view(lo, hi int) block[T] {
	s := b.x.Stride
	if !b.trans {
		return block[T]{data: b.x.Data[lo*s:], ld: s, rows: hi - lo}
	}
	return block[T]{data: b.x.Data[lo:], ld: s, trans: true, rows: hi - lo}
}

// widen copies rows [lo, hi) of B into buf as float64, in the same layout as view (stride b
// when trans, q otherwise), so the same products apply. buf holds at least (hi−lo)·q elements.
func (b tall[T]) widen(lo, hi int, buf []float64) block[float64] {
	n := hi - lo
	s := b.x.Stride
	if !b.trans {
		for i := 0; i < n; i++ {
			src := b.x.Data[(lo+i)*s : (lo+i)*s+b.q]
			dst := buf[i*b.q : (i+1)*b.q]
			for j, v := range src {
				dst[j] = float64(v)
			}
		}
		return block[float64]{data: buf, ld: b.q, rows: n}
	}
	for r := 0; r < b.q; r++ {
		src := b.x.Data[r*s+lo : r*s+hi]
		dst := buf[r*n : (r+1)*n]
		for j, v := range src {
			dst[j] = float64(v)
		}
	}
	return block[float64]{data: buf, ld: n, trans: true, rows: n}
}

// gramAdd adds BbᵀBb to the upper triangle of the q×q matrix g (stride q).
func gramAdd[T dense.Float](bb block[T], q int, g []T, threads int) {
	// Bb = stored block (b×q): BbᵀBb is Syrk's trans form; stored Bbᵀ (q×b): its A·Aᵀ form.
	gemm.Syrk(gemm.Upper, !bb.trans, q, bb.rows, 1, bb.data, bb.ld, 1, g, q, threads)
}

// mulRight sets Y = Bb·W for the q×t matrix w (stride ldw); y is b×t with stride ldy.
func mulRight[T dense.Float](bb block[T], q, t int, w []T, ldw int, y []T, ldy int, threads int) {
	gemm.Gemm(bb.trans, false, bb.rows, t, q, 1, bb.data, bb.ld, w, ldw, 0, y, ldy, threads)
}

// mulLeftAdd adds Bbᵀ·Y to the q×t matrix z (stride ldz); y is b×t with stride ldy.
func mulLeftAdd[T dense.Float](bb block[T], q, t int, y []T, ldy int, z []T, ldz int, threads int) {
	gemm.Gemm(!bb.trans, false, q, t, bb.rows, 1, bb.data, bb.ld, y, ldy, 1, z, ldz, threads)
}

// isF64 reports whether T is float64 (the products then run on the caller's data directly).
func isF64[T dense.Float]() bool {
	var z T
	_, ok := any(z).(float64)
	return ok
}

// asF64 reinterprets a []T known to be []float64.
func asF64[T dense.Float](s []T) []float64 { return any(s).([]float64) }
