package decomp

import (
	"math"
	"sort"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// Solver chooses how the singular triplets are computed.
type Solver int

const (
	SolverAuto       Solver = iota // randomized when k ≤ min(n, m)/10 and max(n, m) > 500, else exact
	SolverExact                    // Gram + EigSym + Rayleigh–Ritz polish (exact.go)
	SolverRandomized               // Halko subspace iteration (randomized.go)
)

// Flip selects the sign convention: the entry of largest magnitude of each column of the chosen
// side is made positive (the first one on ties), the other side following.
type Flip int

const (
	FlipNone     Flip = iota
	FlipLoadings      // on U (HyperSpy's svd_flip of the decomposed orientation when it is X)
	FlipFactors       // on V (scikit-learn's PCA/TruncatedSVD svd_flip(u_based_decision=False))
)

// Params of SVD. The zero value is an exact SVD of everything, no centring, no sign flip.
type Params struct {
	Components       int    // k; 0 = min(rows, cols) of the kept data
	Solver           Solver //
	Centre           Centre //
	Poisson          bool   // Keenan–Kotula scaling (see prepare)
	NavMask, SigMask []bool // true = row / column excluded; nil = none
	Ddof             int    // explained variance = s²/(kept rows − Ddof)
	Flip             Flip
	Oversamples      int    // randomized: l = k + Oversamples (≤ 0: 10), rounded up to a multiple of 16
	PowerIters       int    // randomized: < 0 = auto: up to 8 if k < min/10, else 5 (autoIters), fewer once the Ritz pairs converged
	Seed             uint64 // randomized: the Gaussian test matrix
	Threads          int    // ≤ 0: GOMAXPROCS; results do not depend on it
	// Progress, if set, is called between steps with (done, total); false stops the work
	// (fault.ErrCancelled).
	Progress func(done, total int64) bool
}

// Output is where SVD writes; a nil slice skips that output. Rows of the masked-out input rows
// (columns) are NaN in Loadings (Factors), as in HyperSpy.
type Output[T dense.Float] struct {
	Loadings []T // N×k, stride LdL: left singular vectors of the prepared data (× √aG under Poisson)
	LdL      int
	Factors  []T // M×k, stride LdF: right singular vectors (× √bH under Poisson)
	LdF      int
	S        []float64 // k singular values, descending
	ExplVar  []float64 // k: s²/(kept rows − Ddof)
	Mean     []float64 // N (CentreSignal) or M (CentreNavigation) means removed
}

// Info describes a finished SVD.
type Info struct {
	Components    int
	Rows, Cols    int     // kept by the masks
	TotalVariance float64 // ‖prepared X‖²_F/(Rows − Ddof): the denominator of explained-variance ratios
	Randomized    bool
	PowerIters    int // randomized: the power iterations run
}

// autoIters is the most power iterations the auto count runs: scikit-learn's counts (7 when
// k < q/10, else 4) plus one. Each of our iterations is one pass over X where scikit-learn's
// takes two, so the extra one costs half of one of theirs, and it keeps the accuracy at least
// theirs whatever the random start: with equal counts the two span the same Krylov subspace in
// exact arithmetic and their errors differ only by the luck of the test matrix (measured on
// the bench data, 16384×4096 k = 20, three seeds each: 0.9–2.1e-9·s₁ at 7 iterations vs
// scikit-learn's 0.8–1.1e-9; 1.1–2.5e-10 at 8). Converged pairs stop sooner (ritzConverged).
func autoIters(k, q int) int {
	if 10*k < q {
		return 8
	}
	return 5
}

type progress struct {
	fn          func(done, total int64) bool
	done, total int64
}

func (p *progress) step() error {
	p.done++
	if p.fn != nil && !p.fn(p.done, max(p.total, p.done)) {
		return fault.Cancelled("SVD cancelled by the progress callback after step %d of %d", p.done, max(p.total, p.done))
	}
	return nil
}

// SVD decomposes x (N×M, navigation × signal) as HyperSpy's svd_pca and scikit-learn's PCA need:
// x' = U·diag(s)·Vᵀ for the prepared x' (masks, Poisson scaling, centring), the first k triplets.
func SVD[T dense.Float](x dense.Matrix[T], p Params, out Output[T]) (Info, error) {
	var info Info
	if err := x.Validate("X"); err != nil {
		return info, err
	}
	switch {
	case p.NavMask != nil && len(p.NavMask) < x.Rows:
		return info, fault.Invalid("navigation mask has %d entries, X has %d rows", len(p.NavMask), x.Rows)
	case p.SigMask != nil && len(p.SigMask) < x.Cols:
		return info, fault.Invalid("signal mask has %d entries, X has %d columns", len(p.SigMask), x.Cols)
	case p.Components < 0:
		return info, fault.Invalid("number of components %d is negative", p.Components)
	case p.Poisson && p.Centre != CentreNone:
		return info, fault.Invalid("Poisson normalisation is only defined without centring (as in HyperSpy)")
	}
	// NaN and ±Inf: when the SVD runs on a view of X, the check rides on a sum the solver forms
	// anyway (‖X‖² or the Gram matrix's trace, non-finite iff X has such an entry or its square
	// overflows), and X is scanned for the offending entry only then. A prepared copy (masks,
	// scaling, centring) is checked first, over all of X, masked entries included.
	viewed := !needsCopy(p.NavMask, p.SigMask, p.Poisson, p.Centre)
	if !viewed {
		if err := dense.CheckFinite(x, "X"); err != nil {
			return info, err
		}
	}
	pr, err := prepare(x, p.NavMask, p.SigMask, p.Poisson, p.Centre)
	if err != nil {
		return info, err
	}
	b := orient(pr.x)
	k := p.Components
	if k == 0 {
		k = b.q
	}
	if k > b.q {
		return info, fault.Invalid("%d components requested, but the data (%d×%d after masks) has at most %d", k, pr.x.Rows, pr.x.Cols, b.q)
	}
	info = Info{Components: k, Rows: pr.x.Rows, Cols: pr.x.Cols}
	denom := float64(pr.x.Rows - p.Ddof)
	if denom <= 0 {
		denom = math.NaN() // as NumPy: variance of too few samples
	}
	random := p.Solver == SolverRandomized || (p.Solver == SolverAuto && 10*k <= b.q && b.p > 500)
	info.Randomized = random
	threads := parallel.Threads(p.Threads)
	br := int64(blockRows(b.q))
	blocks := (int64(b.p) + br - 1) / br
	pg := &progress{fn: p.Progress}

	var s, w []float64
	var ldw int
	var sumSq float64
	// The long side is B·W/s, written straight into the caller's buffer; randomized, it is
	// C·W_C/s from the p×l matrix C = B·Z (cb, wc) instead of another pass over B.
	var cb tall[float64]
	var wc []float64
	if random {
		over, iters := p.Oversamples, p.PowerIters
		if over <= 0 {
			over = 10
		}
		adaptive := iters < 0
		if adaptive {
			iters = autoIters(k, b.q)
		}
		pg.total = int64(iters) + 3
		if sumSq, err = sumSquares(pr.x, threads); err == nil {
			err = checkSum(sumSq, x)
		}
		if err != nil {
			return info, err
		}
		var z, c []float64
		var l int
		z, c, l, info.PowerIters, err = randomizedRange(b, k, over, iters, adaptive, p.Seed, threads, pg.step)
		if err == nil {
			cb = tall[float64]{x: dense.Matrix[float64]{Data: c, Rows: b.p, Cols: l, Stride: l}, p: b.p, q: l}
			s, wc, _, err = exactSVD(cb, threads, pg.step, func(float64) error { return nil })
		}
		if err == nil {
			w, ldw = make([]float64, b.q*l), l
			gemm.Gemm(false, false, b.q, l, l, 1, z, l, wc, l, 0, w, l, threads)
			_, wc = sortTriplets(s, wc, l, l, k)
		}
	} else {
		pg.total = 2 // the Gram matrix in one product (float64) or by blocks (float32), the eigensolver
		if !isF64[T]() {
			pg.total = blocks + 1
		}
		s, w, sumSq, err = exactSVD(b, threads, pg.step, func(trace float64) error { return checkSum(trace, x) })
		ldw = b.q
	}
	if err != nil {
		return info, err
	}
	info.TotalVariance = sumSq / denom
	s, w = sortTriplets(s, w, ldw, b.q, k)

	loadLong := !b.trans
	longOut, ldLong, shortOut, ldShort := out.Loadings, out.LdL, out.Factors, out.LdF
	if !loadLong {
		longOut, ldLong, shortOut, ldShort = out.Factors, out.LdF, out.Loadings, out.LdL
	}
	flipLong := (p.Flip == FlipLoadings) == loadLong && p.Flip != FlipNone
	if longOut == nil && flipLong {
		longOut, ldLong = make([]T, b.p*k), k
	}
	if longOut != nil {
		if random {
			err = writeLongVia(cb, wc, k, s, longOut, ldLong, threads)
		} else {
			err = writeLong(b, w, k, k, s, longOut, ldLong, threads)
		}
		if err != nil {
			return info, err
		}
	}
	if p.Flip != FlipNone {
		flipSigns(b, w, k, longOut, ldLong, flipLong)
	}
	if shortOut != nil {
		for r := 0; r < b.q; r++ {
			for j := 0; j < k; j++ {
				shortOut[r*ldShort+j] = T(w[r*k+j])
			}
		}
	}
	finishSide(out.Loadings, out.LdL, k, pr.rows, x.Rows, pr.rootA)
	finishSide(out.Factors, out.LdF, k, pr.cols, x.Cols, pr.rootB)
	for j := 0; j < k; j++ {
		if out.S != nil {
			out.S[j] = s[j]
		}
		if out.ExplVar != nil {
			out.ExplVar[j] = s[j] * s[j] / denom
		}
	}
	if out.Mean != nil && pr.mean != nil {
		idx, n := pr.rows, x.Rows
		if p.Centre == CentreNavigation {
			idx, n = pr.cols, x.Cols
		}
		expandVec(out.Mean, pr.mean, idx, n)
	}
	return info, nil
}

// writeLongVia writes U = C·W_C·diag(1/s) (C p×l float64, W_C l×k) into out converted to T.
func writeLongVia[T dense.Float](c tall[float64], wc []float64, k int, s []float64, out []T, ldo int, threads int) error {
	if o, ok := any(out).([]float64); ok {
		return writeLong(c, wc, k, k, s, o, ldo, threads)
	}
	tmp := make([]float64, c.p*k)
	if err := writeLong(c, wc, k, k, s, tmp, k, threads); err != nil {
		return err
	}
	for i := 0; i < c.p; i++ {
		for j := 0; j < k; j++ {
			out[i*ldo+j] = T(tmp[i*k+j])
		}
	}
	return nil
}

// sortTriplets orders the values descending (the polish may leave a refined value a rounding
// above its neighbour across a level boundary) and returns the first k with W_k (q×k, stride k).
func sortTriplets(s, w []float64, ldw, q, k int) ([]float64, []float64) {
	perm := make([]int, len(s))
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(a, b int) bool { return s[perm[a]] > s[perm[b]] })
	if ldw == k && sort.IntsAreSorted(perm) {
		return s[:k], w // already in order: no q×k copy (q×q for a full SVD)
	}
	sk, wk := make([]float64, k), make([]float64, q*k)
	for j := 0; j < k; j++ {
		sk[j] = s[perm[j]]
		for r := 0; r < q; r++ {
			wk[r*k+j] = w[r*ldw+perm[j]]
		}
	}
	return sk, wk
}

// flipSigns makes the largest-magnitude entry of each column of the chosen side positive: the
// long side when onLong (U of B, in long, stride ld), else the short side (w, q×k).
func flipSigns[T dense.Float](b tall[T], w []float64, k int, long []T, ld int, onLong bool) {
	for j := 0; j < k; j++ {
		best, sign := -1.0, 1.0
		if onLong {
			for i := 0; i < b.p; i++ {
				if v := float64(long[i*ld+j]); math.Abs(v) > best {
					best, sign = math.Abs(v), math.Copysign(1, v)
				}
			}
		} else {
			for r := 0; r < b.q; r++ {
				if v := w[r*k+j]; math.Abs(v) > best {
					best, sign = math.Abs(v), math.Copysign(1, v)
				}
			}
		}
		if sign > 0 {
			continue
		}
		for r := 0; r < b.q; r++ {
			w[r*k+j] = -w[r*k+j]
		}
		if long != nil {
			for i := 0; i < b.p; i++ {
				long[i*ld+j] = -long[i*ld+j]
			}
		}
	}
}

// finishSide scales the compact rows of out (the first len(idx) rows) by root (Poisson) and
// spreads them to their input rows idx, NaN in the rows the mask excluded.
func finishSide[T dense.Float](out []T, ld, k int, idx []int, n int, root []float64) {
	if out == nil {
		return
	}
	m := count(idx, n)
	if root != nil {
		for i := 0; i < m; i++ {
			for j := 0; j < k; j++ {
				out[i*ld+j] = T(float64(out[i*ld+j]) * root[i])
			}
		}
	}
	if idx == nil {
		return
	}
	// From the last kept row down: idx[i] ≥ i, so a row is moved before it is overwritten.
	dst := n - 1
	for i := m - 1; i >= -1; i-- {
		target := -1
		if i >= 0 {
			target = idx[i]
		}
		for ; dst > target; dst-- {
			for j := 0; j < k; j++ {
				out[dst*ld+j] = T(math.NaN())
			}
		}
		if i >= 0 {
			copy(out[dst*ld:dst*ld+k], out[i*ld:i*ld+k])
			dst--
		}
	}
}

func expandVec(out, v []float64, idx []int, n int) {
	if idx == nil {
		copy(out, v)
		return
	}
	for i := range out[:n] {
		out[i] = math.NaN()
	}
	for i, r := range idx {
		out[r] = v[i]
	}
}

// checkSum turns a non-finite ‖X‖² (or Gram trace) into the error naming X's first NaN or
// ±Inf entry, or, when every entry is finite, into the overflow it then is (entries beyond
// ≈1e154 in magnitude: the Gram products would be infinite too).
func checkSum[T dense.Float](sum float64, x dense.Matrix[T]) error {
	if !math.IsNaN(sum) && !math.IsInf(sum, 0) {
		return nil
	}
	if err := dense.CheckFinite(x, "X"); err != nil {
		return err
	}
	return fault.Invalid("the sum of squares of X overflows float64 (entries too large to square): scale the data")
}

// sumSquares is ‖x‖²_F in float64, by fixed chunks reduced in order (thread-independent).
func sumSquares[T dense.Float](x dense.Matrix[T], threads int) (float64, error) {
	ch := parallel.Split(x.Rows, 256, 64)
	part := make([]float64, ch.Count)
	err := parallel.Run(ch, threads, func(c, lo, hi int) error {
		acc := 0.0
		if xf, ok := any(x.Data).([]float64); ok {
			// float64: the SIMD row norms, a few rows at a time (memory-bound either way).
			var norms [64]float64
			for i := lo; i < hi; i += len(norms) {
				n := min(len(norms), hi-i)
				kernels.SqNormsF64(xf[i*x.Stride:], x.Stride, n, x.Cols, norms[:n])
				for _, v := range norms[:n] {
					acc += v
				}
			}
			part[c] = acc
			return nil
		}
		for i := lo; i < hi; i++ {
			for _, v := range x.Row(i) {
				acc += float64(v) * float64(v)
			}
		}
		part[c] = acc
		return nil
	})
	total := 0.0
	for _, v := range part {
		total += v
	}
	return total, err
}
