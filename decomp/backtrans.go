package decomp

import "github.com/fastmva/fastmva/kernels/gemm"

// applyQ overwrites the m×nc matrix c (stride ldc) with Q·c, where Q = H(0)···H(k−1) and
// H(i) = I − τᵢ·vᵢ·vᵢᵀ with vᵢ[i] = 1, vᵢ[r] = 0 for r < i and vᵢ[r] = v[r·ldv+i] for r > i:
// the QR form Dgeqrf and Dsytrd(Lower) leave. It is Dormqr(Left, NoTrans) with every flop on
// the GEMM kernels: each block of nb reflectors is copied into a dense panel V (explicit zeros
// and ones), its triangular factor T comes from the Gram matrix VᵀV, and c ← c − V·(T·(Vᵀ·c))
// is three GEMMs. A wider block than gonum's (32) halves the passes over c, and no Dtrmm or
// Dlarft level-2 loop remains. The result does not depend on threads.
func applyQ(m, nc, k int, v []float64, ldv int, tau []float64, c []float64, ldc int, nb, threads int) {
	if m == 0 || nc == 0 || k == 0 {
		return
	}
	nb = min(nb, k)
	// Scratch with stale values: each block writes all it reads (the panel copy fills its
	// zeros and ones, the GEMMs have β = 0, T is cleared).
	vd := getScratch(m * nb)
	g := getScratch(nb * nb)
	t := getScratch(nb * nb)
	w := getScratch(nb * nc)
	w2 := getScratch(nb * nc)
	defer func() {
		for _, b := range [][]float64{vd, g, t, w, w2} {
			putScratch(b)
		}
	}()
	for j0 := (k - 1) / nb * nb; j0 >= 0; j0 -= nb {
		kb := min(nb, k-j0)
		rows := m - j0
		vp := vd[:rows*kb]
		for r := 0; r < rows; r++ {
			dst := vp[r*kb : (r+1)*kb]
			if r < kb {
				clear(dst[r:])
				dst[r] = 1
				copy(dst[:r], v[(j0+r)*ldv+j0:(j0+r)*ldv+j0+r])
			} else {
				copy(dst, v[(j0+r)*ldv+j0:(j0+r)*ldv+j0+kb])
			}
		}
		gp, tp := g[:kb*kb], t[:kb*kb]
		gemm.Gemm(true, false, kb, kb, rows, 1, vp, kb, vp, kb, 0, gp, kb, threads)
		// Forward, column-wise T: T[:i, i] = −τᵢ·T[:i, :i]·(Vᵀ·vᵢ)[:i], T[i, i] = τᵢ. T is kept
		// transposed (row i of tp is column i of T), so each column is one AxpyRows over the
		// rows already built, and (Vᵀvᵢ)[:i] is row i of the symmetric Gram matrix.
		clear(tp)
		for i := 0; i < kb; i++ {
			ti := tau[j0+i]
			row := tp[i*kb : (i+1)*kb]
			if i > 0 {
				gemm.AxpyRows(tp, kb, i, gp[i*kb:i*kb+i], 1, row[:i])
				for r := range row[:i] {
					row[r] *= -ti
				}
			}
			row[i] = ti
		}
		cs := c[j0*ldc:]
		wp, w2p := w[:kb*nc], w2[:kb*nc]
		gemm.Gemm(true, false, kb, nc, rows, 1, vp, kb, cs, ldc, 0, wp, nc, threads)
		gemm.Gemm(true, false, kb, nc, kb, 1, tp, kb, wp, nc, 0, w2p, nc, threads)
		gemm.Gemm(false, false, rows, nc, kb, -1, vp, kb, w2p, nc, 1, cs, ldc, threads)
	}
}
