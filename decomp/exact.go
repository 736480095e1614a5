package decomp

import (
	"math"
	"runtime/debug"
	"sort"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/parallel"
)

// The exact thin SVD of B (p×q, p ≥ q) is the Gram route with a Rayleigh–Ritz polish.
//
//  1. G = BᵀB (SYRK, float64 accumulation) and G = W·Λ·Wᵀ (EigSym): s_j = √λ_j, V = W.
//     G carries an absolute error of about c·eps·s_max², so λ_j, and with it s_j, is exact to
//     c·eps·s_max²/(2·s_j): fine for the large values, useless below √eps·s_max.
//  2. Polish: for the tail S of values below refineBelow·s_max, the columns W_S still span the
//     small singular subspace of B closely (their angle error is eps·s_max²/λ_gap, and
//     Rayleigh–Ritz values are quadratic in it). So Y = B·W_S is formed (its error is eps·s_max
//     in absolute terms, from the GEMM) and the small SVD of Y comes from its own Gram YᵀY,
//     whose error is now c·eps·‖Y‖² ≤ c·eps·(refineBelow·s_max)². Recursing on the tail of that
//     tail brings every singular value to an absolute error of a small multiple of eps·s_max,
//     like a QR-based LAPACK SVD, at the cost of one extra pass over B per level, done only when
//     such small values exist.
//
// The documented floor: values below floorRatio·s_max are not resolved further (they are at
// the rounding level of B·W itself); above it each s_j is within about 1e3·eps·s_max of the
// exact value (tests: 1e-9·s_max against LAPACK on graded and rank-deficient spectra).
const (
	refineBelow = 1e-4
	floorRatio  = 1e3 * 0x1p-52 // 1000·eps
)

// polishOff disables the polish; tests use it to show the plain Gram route's floor.
var polishOff bool

// blockRows is the number of rows of B converted or multiplied per block: enough for GEMM
// efficiency, small enough for the block and its products to stay in cache-friendly sizes.
func blockRows(q int) int { return max(256, min(8192, (1<<20)/max(q, 1))) }

// gram returns BᵀB (q×q, upper triangle filled, stride q) accumulated in float64.
func gram[T dense.Float](b tall[T], threads int, step func() error) ([]float64, error) {
	g := make([]float64, b.q*b.q)
	if isF64[T]() {
		v := b.view(0, b.p)
		gramAdd(block[float64]{data: asF64(v.data), ld: v.ld, trans: v.trans, rows: v.rows}, b.q, g, threads)
		return g, step()
	}
	br := blockRows(b.q)
	buf := make([]float64, br*b.q)
	for lo := 0; lo < b.p; lo += br {
		hi := min(lo+br, b.p)
		gramAdd(b.widen(lo, hi, buf), b.q, g, threads)
		if err := step(); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// eigDesc computes the eigen-decomposition of the symmetric t×t matrix g (upper triangle,
// overwritten): values descending, vectors as the columns of the returned t×t matrix.
func eigDesc(t int, g []float64, threads int) ([]float64, []float64, error) {
	lam, vec := make([]float64, t), make([]float64, t*t)
	if err := EigSym(t, g, t, lam, vec, t, threads); err != nil {
		return nil, nil, err
	}
	for i := 0; i < t/2; i++ {
		lam[i], lam[t-1-i] = lam[t-1-i], lam[i]
	}
	for r := 0; r < t; r++ {
		row := vec[r*t : (r+1)*t]
		for i := 0; i < t/2; i++ {
			row[i], row[t-1-i] = row[t-1-i], row[i]
		}
	}
	return lam, vec, nil
}

func sqrtClip(lam []float64) []float64 {
	s := make([]float64, len(lam))
	for i, v := range lam {
		s[i] = math.Sqrt(max(v, 0))
	}
	return s
}

// forBlocks calls fn with consecutive blocks of B's rows as float64 (in place for float64
// data, widened into a scratch buffer for float32), in row order.
func forBlocks[T dense.Float](b tall[T], br int, fn func(lo, hi int, bb block[float64]) error) error {
	var buf []float64
	if !isF64[T]() {
		buf = make([]float64, min(br, b.p)*b.q)
	}
	for lo := 0; lo < b.p; lo += br {
		hi := min(lo+br, b.p)
		var bb block[float64]
		if buf == nil {
			v := b.view(lo, hi)
			bb = block[float64]{data: asF64(v.data), ld: v.ld, trans: v.trans, rows: v.rows}
		} else {
			bb = b.widen(lo, hi, buf)
		}
		if err := fn(lo, hi, bb); err != nil {
			return err
		}
	}
	return nil
}

// rayleighRitz returns the singular values (descending) and right singular vectors (q×t,
// stride t) of B restricted to the span of the orthonormal columns of w (q×t, stride t):
// the SVD of B·w through the Gram matrix of B·w, accumulated block by block (B·w itself, p×t,
// is never stored).
func rayleighRitz[T dense.Float](b tall[T], w []float64, t int, threads int, step func() error) ([]float64, []float64, error) {
	g := make([]float64, t*t)
	br := blockRows(max(b.q, t))
	y := make([]float64, min(br, b.p)*t)
	err := forBlocks(b, br, func(lo, hi int, bb block[float64]) error {
		mulRight(bb, b.q, t, w, t, y, t, threads)
		gramAdd(block[float64]{data: y, ld: t, rows: hi - lo}, t, g, threads)
		return step()
	})
	if err != nil {
		return nil, nil, err
	}
	lam, z, err := eigDesc(t, g, threads)
	if err != nil {
		return nil, nil, err
	}
	wz := make([]float64, b.q*t)
	mulRight(block[float64]{data: w, ld: t, rows: b.q}, t, t, z, t, wz, t, threads)
	return sqrtClip(lam), wz, nil
}

// polish refines the tail of (s, w) in place, where w is q×t with stride ldw and s is
// descending; sTop is the largest singular value of B (the scale of the floor).
func polish[T dense.Float](b tall[T], w []float64, ldw, t int, s []float64, sTop float64, threads int, step func() error) error {
	for t > 0 && s[0] > 0 && !polishOff {
		if refineBelow*s[0] <= floorRatio*sTop {
			return nil // the tail is at the rounding level of B·W: nothing left to resolve
		}
		lo := sort.Search(t, func(j int) bool { return s[j] < refineBelow*s[0] })
		if lo == t {
			return nil
		}
		n := t - lo
		sub := make([]float64, b.q*n)
		for r := 0; r < b.q; r++ {
			copy(sub[r*n:(r+1)*n], w[r*ldw+lo:r*ldw+t])
		}
		sNew, wNew, err := rayleighRitz(b, sub, n, threads, step)
		if err != nil {
			return err
		}
		for r := 0; r < b.q; r++ {
			copy(w[r*ldw+lo:r*ldw+t], wNew[r*n:(r+1)*n])
		}
		copy(s[lo:t], sNew)
		w, t, s = w[lo:], n, s[lo:t]
	}
	return nil
}

// exactSVD returns all q singular values of B (descending), its right singular vectors (q×q,
// stride q) and ‖B‖²_F (the trace of the Gram matrix, for the total variance). checkTrace
// vets the trace before the eigensolver runs (a NaN or ±Inf in B makes it non-finite).
func exactSVD[T dense.Float](b tall[T], threads int, step func() error, checkTrace func(float64) error) ([]float64, []float64, float64, error) {
	g, err := gram(b, threads, step)
	if err != nil {
		return nil, nil, 0, err
	}
	trace := 0.0
	for i := 0; i < b.q; i++ {
		trace += g[i*b.q+i]
	}
	if err := checkTrace(trace); err != nil {
		return nil, nil, 0, err
	}
	lam, w, err := eigDesc(b.q, g, threads)
	if err != nil {
		return nil, nil, 0, err
	}
	// The Gram matrix and the eigensolver's q×q scratch are garbage now: collect them and hand
	// their pages back before the outputs' GEMM, so the caller's outputs, first written below,
	// do not stack on top of pages the process no longer needs (the peak memory is then the
	// larger of the eigensolver's live data and the outputs, not their sum). Small orders skip
	// it: their scratch is small and a collection would cost more than the whole solve.
	if b.q >= gcMergeOrder {
		debug.FreeOSMemory()
	}
	if err := step(); err != nil {
		return nil, nil, 0, err
	}
	s := sqrtClip(lam)
	if err := polish(b, w, b.q, b.q, s, s[0], threads, step); err != nil {
		return nil, nil, 0, err
	}
	return s, w, trace, nil
}

// writeLong writes the first k left singular vectors of B, U = B·W_k·diag(1/s), into out (p×k,
// stride ldo) with one GEMM in T straight into the caller's buffer (for float32 the product is
// a float32 one: U then carries an absolute error of about eps32·s_max per column, the
// precision float32 storage of U·S has anyway; s and W, which need it, came from float64). A
// zero singular value gets a zero column (its left vector is any unit vector orthogonal to
// the others; zeros keep U·S = B·V exact).
func writeLong[T dense.Float](b tall[T], w []float64, ldw, k int, s []float64, out []T, ldo int, threads int) error {
	wk, same := any(w).([]T)
	if !same || ldw != k {
		wk = make([]T, b.q*k)
		for r := 0; r < b.q; r++ {
			for j := 0; j < k; j++ {
				wk[r*k+j] = T(w[r*ldw+j])
			}
		}
	}
	mulRight(b.view(0, b.p), b.q, k, wk, k, out, ldo, threads)
	inv := make([]T, k)
	for j := range inv {
		if s[j] > 0 {
			inv[j] = T(1 / s[j])
		}
	}
	return parallel.Run(parallel.Split(b.p, 1024, 64), threads, func(_, lo, hi int) error {
		for i := lo; i < hi; i++ {
			row := out[i*ldo : i*ldo+k]
			for j := range row {
				row[j] *= inv[j]
			}
		}
		return nil
	})
}
