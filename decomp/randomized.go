package decomp

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/lapack/gonum"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fastblas"
	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// Truncated randomized SVD (Halko, Martinsson & Tropp 2011) with the subspace iteration run on
// the small side of B: Z ← orth(BᵀB·Z), starting from a seeded Gaussian q×l block
// (l = k + oversamples). After n iterations span(B·Z) = span((BBᵀ)ⁿ·B·Ω), the same subspace as
// the classic range finder with n power iterations, but every iteration is ONE pass over B
// (BᵀB·Z is accumulated block by block: T = Bb·Z, Z' += Bbᵀ·T while Bb is in cache) instead of
// two, and the normaliser (a Householder QR) acts on q×l instead of p×l. The final step is the
// exact SVD (exact.go) of the small p×l matrix C = B·Z: B·V = C·W_C, so U comes from C too.
//
// The products read B where it lies: kernels/gemm reads the A operand of thin products in
// place (no packed copy), so a pass costs the arithmetic and one stream of B, nothing else.
//
// float32 data: the iteration products and C run in float32 (they only steer a subspace, and C's
// error is eps32·s_max), the QR and the SVD of C in float64.

// powerChunks is the fixed number of row chunks of an iteration: each has its own accumulator,
// reduced in chunk order, so the result does not depend on the number of threads.
func powerChunks(p int) parallel.Chunks { return parallel.Split(p, 1024, 16) }

// gramTimes returns BᵀB·z for z (q×l, stride l) as float64.
func gramTimes[T dense.Float](b tall[T], z []float64, l int, threads int) ([]float64, error) {
	zt := make([]T, len(z))
	for i, v := range z {
		zt[i] = T(v)
	}
	ch := powerChunks(b.p)
	acc := make([][]T, ch.Count)
	sub := max(64, min(512, (1<<18)/max(b.q, 1)))
	err := parallel.Run(ch, threads, func(c, lo, hi int) error {
		a := make([]T, b.q*l)
		t := make([]T, sub*l)
		for r := lo; r < hi; r += sub {
			bb := b.view(r, min(r+sub, hi))
			mulRight(bb, b.q, l, zt, l, t, l, 1)
			mulLeftAdd(bb, b.q, l, t, l, a, l, 1)
		}
		acc[c] = a
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]float64, b.q*l)
	for _, a := range acc {
		for i, v := range a {
			out[i] += float64(v)
		}
	}
	return out, nil
}

// orthonormalize replaces the q×l matrix z (stride l, q ≥ l) by the Q of its QR factorisation.
func orthonormalize(q, l int, z []float64) {
	fastblas.Use()
	var impl gonum.Implementation
	tau := make([]float64, l)
	work := make([]float64, 1)
	impl.Dgeqrf(q, l, z, l, tau, work, -1)
	impl.Dorgqr(q, l, l, z, l, tau, work[:1], -1)
	work = make([]float64, max(int(work[0]), l*64))
	impl.Dgeqrf(q, l, z, l, tau, work, len(work))
	impl.Dorgqr(q, l, l, z, l, tau, work, len(work))
}

// randomizedRange returns the orthonormal q×l basis Z of the subspace iteration
// (l = min(k+oversamples rounded up to tileCols, q)) and C = B·Z (p×l, float64, computed in T): everything the final
// Rayleigh–Ritz needs, so it never reads B again (C is p×l, small).
//
// adaptive (the "auto" iteration count): stop before iters once the k leading Ritz pairs of
// BᵀB on span(Z) have residuals ‖BᵀB·y − θ·y‖ ≤ ritzTol·θ_max — their vectors are then within
// ritzTol·θ_max/gap of the converged ones and their values within its square, so more passes
// would not change the result.
func randomizedRange[T dense.Float](b tall[T], k, oversamples, iters int, adaptive bool, seed uint64, threads int, step func() error) ([]float64, []float64, int, int, error) {
	// l is rounded up to a multiple of the GEMM micro-tile's width: the kernels compute whole
	// tiles anyway (a partial one costs as much, plus a copy), and the extra test vectors speed
	// up the convergence, so the adaptive count stops sooner.
	l := min((k+oversamples+tileCols-1)/tileCols*tileCols, b.q)
	rng := rand.New(rand.NewPCG(seed, 0x66_6d_76_61))
	z := make([]float64, b.q*l)
	for i := range z {
		z[i] = rng.NormFloat64()
	}
	orthonormalize(b.q, l, z)
	done := 0
	for it := 0; it < iters; it++ {
		acc, err := gramTimes(b, z, l, threads)
		if err != nil {
			return nil, nil, 0, 0, err
		}
		converged := false
		if adaptive {
			if converged, err = ritzConverged(b.q, l, min(k, l), z, acc, threads); err != nil {
				return nil, nil, 0, 0, err
			}
		}
		z = acc
		orthonormalize(b.q, l, z)
		if err := step(); err != nil {
			return nil, nil, 0, 0, err
		}
		done++
		if converged {
			break
		}
	}
	zt := make([]T, len(z))
	for i, v := range z {
		zt[i] = T(v)
	}
	ct := make([]T, b.p*l)
	mulRight(b.view(0, b.p), b.q, l, zt, l, ct, l, threads)
	if c, ok := any(ct).([]float64); ok {
		return z, c, l, done, step()
	}
	c := make([]float64, len(ct))
	for i, v := range ct {
		c[i] = float64(v)
	}
	return z, c, l, done, step()
}

// tileCols is the column width of the float64 AVX-512 GEMM tile (kernels/gemm: nr = 16).
const tileCols = 16

// ritzTol is the relative residual under which the adaptive iteration stops: a few hundred
// times the rounding level of BᵀB·Z itself (≈ √p·eps·θ_max), so it is reachable.
const ritzTol = 1e-11

// ritzConverged reports whether the k leading Ritz pairs of BᵀB on span(z) (z q×l orthonormal,
// acc = BᵀB·z) have residuals ≤ ritzTol·θ_max.
func ritzConverged(q, l, k int, z, acc []float64, threads int) (bool, error) {
	h := make([]float64, l*l)
	gemm.Gemm(true, false, l, l, q, 1, z, l, acc, l, 0, h, l, threads)
	theta, y, err := eigDesc(l, h, threads)
	if err != nil {
		return false, err
	}
	ay, zy := make([]float64, q*l), make([]float64, q*l)
	gemm.Gemm(false, false, q, l, l, 1, acc, l, y, l, 0, ay, l, threads)
	gemm.Gemm(false, false, q, l, l, 1, z, l, y, l, 0, zy, l, threads)
	top := math.Abs(theta[0])
	for j := 0; j < k; j++ {
		r := 0.0
		for i := 0; i < q; i++ {
			d := ay[i*l+j] - theta[j]*zy[i*l+j]
			r += d * d
		}
		if !(math.Sqrt(r) <= ritzTol*top) {
			return false, nil
		}
	}
	return true, nil
}
