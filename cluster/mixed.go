package cluster

import (
	"math"
	"unsafe"

	"github.com/fastmva/fastmva/kernels"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// Mixed-precision labels: the products x·c_j in float32 (rows and centers narrowed, or float32
// already; a GEMM tile at twice the float64 rate), kept only where they prove the label the
// float64 computation gives, and the float64 computation for the other rows. Lloyd's pass on
// float64 rows (lloyd_mixed.go) and pairwise_distances_argmin_min (distances_mixed.go) use them;
// their labels, and so the sums, centers and fits, are the float64 ones bit for bit: only the
// time changes.
//
// The proof (for no shift; mixedCenters adds the shift of float64 rows). Write v_j = ‖c_j‖² − 2x·c_j (exact), w_j for the float32 value cn32_j − 2·p̂_j
// the products give, u_j for the float64 tile's value, and u, U for the units of roundoff of
// float32 and float64 (2⁻²⁴, 2⁻⁵³). Narrowing x and c_j costs each element a relative u (plus
// 2⁻¹⁵⁰ where it underflows); a dot product of d terms in any order errs by at most
// γ_d·Σ|x_i·c_ji| ≤ γ_d·‖x‖·‖c_j‖ with γ_d = d·u/(1 − d·u); the norm, narrowed, by u·‖c_j‖²
// more; the value's own rounding by u·(‖c_j‖² + 2‖x‖‖c_j‖). With 2‖x‖‖c_j‖ ≤ ‖x‖² + ‖c_j‖²
// and d ≤ 2¹⁴ (d·u ≤ 2⁻¹⁰ keeps γ_d ≤ 1.001·d·u; useMixed takes d ≤ mixedMaxWidth):
//
//	|w_j − v_j| ≤ ((1.02·d + 6)·u)·(‖x‖² + ‖c_j‖²) + tiny,   |u_j − v_j| ≤ ((3·d + 10)·U)·(‖x‖² + ‖c_j‖²)
//
// (the second as generous: the float64 tile rounds x·c_j's d terms and the value once). So if
// the least float32 value w_a lies below every other w_j by more than the sum of the four
// bounds, v_a < v_j, and the float64 values keep that order: u_a < u_j strictly, the float64
// tile's label is a. (For float32 rows the narrowing is exact, and so are the float64
// computation's products; the bound holds as it stands.) The margin passed to
// kernels.NearestProductsMarginF32 is that sum with ‖c_j‖² ≤ the largest center norm, enlarged
// by 2⁻¹⁹ (the norms' own rounding, the margin's and the comparison's rounding to float32) plus
// 2⁻⁷⁸ (what underflow can add); a row with a value within it, a tie or a NaN, or with
// ‖x‖² ≥ 2⁶⁰ (margin +Inf: no overflow in float32 can then pass), is labelled again in float64.
// Centers with a norm ≥ 2⁶⁰ or not finite leave the whole pass to float64.
//
// On uniform rows (bench/kmeans's) at d = 32, k = 64, one row in 1900 (10⁶ rows) or 8900 (65536)
// is labelled again. Rows far from the origin next to their spread (a large common offset) make
// wide margins and many unsure rows; a call then gives up the mixed labels after its first
// block with more than a quarter unsure, so such data costs one block labelled twice per chunk.

// mixedNormLimit is the squared norm from which a row or center is left to the float64 tile.
const mixedNormLimit = 0x1p60

// mixedCenters are the centers of the mixed labels in float32, packed, with what the margins
// need. With a shift (float64 rows), the rows and centers are narrowed less the centers' mean μ:
// the values ‖c_j − μ‖² − 2(x − μ)·(c_j − μ) differ from v_j by ‖x‖² − ‖x − μ‖², the same for
// every j of a row, so the order and the gaps are v_j's, while the float32 bound shrinks to
// (1.02·d + 6)·u·(‖x − μ‖² + ‖c_j − μ‖²) (the shift's own rounding in float64 is far inside the
// 6·u). Rows far from the origin next to their spread (spectra of counts) then keep margins on
// the scale of that spread. The float64 bound stays in the unshifted norms, ‖x‖ ≤ ‖x − μ‖ + ‖μ‖.
type mixedCenters struct {
	panels  gemm.Panels[float32]
	c32     []float32 // the centers (less shift) narrowed, packed into panels
	cn32    []float32 // their squared norms, rounded to float32
	cmax2   float64   // the largest squared norm of a center (less shift)
	cmaxRaw float64   // the largest squared norm of a center
	shift   []float64 // μ, or nil: no shift
	muNorm  float64   // ‖μ‖, rounded up
	alpha32 float64   // the float32 bound per unit of ‖x‖² + ‖c‖² (of the shifted vectors)
	alpha64 float64   // the float64 bound per unit of ‖x‖² + ‖c‖²
	usable  bool      // the centers set last allow the mixed labels
	c64     []float64 // the centers set last, as given (read by resolveFew during the pass)
	cn64    []float64 // their squared norms, as given
}

// newMixedCenters makes room for k centers of d values; shifted says whether rows and centers
// are narrowed less the centers' mean (float64 rows, narrowed anyway).
func newMixedCenters(d, k int, shifted bool) mixedCenters {
	fd := float64(d)
	m := mixedCenters{c32: make([]float32, k*d), cn32: make([]float32, k),
		alpha32: (1.02*fd + 6) * 0x1p-24, alpha64: (3*fd + 10) * 0x1p-53}
	if shifted {
		m.shift = make([]float64, d)
	}
	return m
}

// set narrows and packs the k centers c (d values each, contiguous; squared norms cn) and
// decides whether they allow the mixed labels.
func (m *mixedCenters) set(c, cn []float64, d, k int) {
	m.c64, m.cn64 = c[:k*d], cn[:k]
	m.cmaxRaw = 0
	m.usable = true
	for _, v := range cn[:k] {
		if !(v < mixedNormLimit) { // also NaN
			m.usable = false
		}
		m.cmaxRaw = max(m.cmaxRaw, v)
	}
	if !m.usable {
		return
	}
	if m.shift == nil {
		m.cmax2 = m.cmaxRaw
		for j, v := range cn[:k] {
			m.cn32[j] = float32(v)
		}
		for i, v := range c[:k*d] { // float32 rows' centers, widened: exact
			m.c32[i] = float32(v)
		}
		m.panels.Pack(m.c32, d, k, d)
		return
	}
	clear(m.shift)
	for j := 0; j < k; j++ {
		for f, v := range c[j*d : (j+1)*d] {
			m.shift[f] += v
		}
	}
	var mu2 float64
	for f := range m.shift {
		m.shift[f] /= float64(k)
		mu2 += m.shift[f] * m.shift[f]
	}
	m.muNorm = math.Sqrt(mu2) * (1 + 0x1p-40)
	kernels.NarrowShiftedF64(m.c32, c, d, k, d, m.shift)
	shifted := make([]float64, k)
	zero := make([]int32, k)
	kernels.SqDistRowsF64(c, d, k, d, m.shift, zero, shifted) // ‖c_j − μ‖²
	m.cmax2 = 0
	for j, v := range shifted {
		m.cmax2 = max(m.cmax2, v)
		m.cn32[j] = float32(v)
	}
	m.panels.Pack(m.c32, d, k, d)
}

// margin is the margin of a row whose squared norm (less the shift) is at most xn (+Inf from
// mixedNormLimit, and for NaN).
func (m *mixedCenters) margin(xn float64) float32 {
	if !(xn < mixedNormLimit) {
		return float32(math.Inf(1))
	}
	raw := xn
	if m.shift != nil {
		r := math.Sqrt(xn) + m.muNorm
		raw = r * r * (1 + 0x1p-40)
	}
	return float32((2*m.alpha32*(xn+m.cmax2) + 2*m.alpha64*(raw+m.cmaxRaw) + 0x1p-78) * (1 + 0x1p-19))
}

// products gives labelFromProducts what it needs for a block of n float64 rows of x (row stride
// ldx, d values): the rows narrowed into rows, narrowedStride(d) apart, less the shift (the
// centers were set with one), their products with the k centers into prod (k a row; mul is
// MulRows' scratch) and ‖x − μ‖² in float64 into xn, from the same pass as the narrowing (its
// sum's order is the kernel's: the margin allows for any). The next n rows of x (a hint, even
// past x's end) are on their way from memory while the tile runs.
func (m *mixedCenters) products(rows, prod, mul []float32, x []float64, ldx, n, d, k int, xn []float64) {
	ld := narrowedStride(d)
	if ld == d {
		kernels.NarrowShiftedNormsF64(rows, x, ldx, n, d, m.shift, xn)
	} else {
		for i := 0; i < n; i++ {
			kernels.NarrowShiftedNormsF64(rows[i*ld:], x[i*ldx:], ldx, 1, d, m.shift, xn[i:])
		}
	}
	next := uintptr(unsafe.Pointer(&x[0])) + uintptr(n*ldx*8)
	gemm.MulRowsAhead(&m.panels, rows, ld, n, prod, k, mul, next, n*ldx*8)
}

// narrowedStride is the row stride of the narrowed rows products writes: d, or more where d
// float32 values a row would alias in L1 (d = 1024). At that stride MulRows would copy every
// panel once more into its stage, whose prefetch is of the next rows of the copy, already in
// cache, and not of the next float64 rows still in memory: the narrowing then waited on them
// (a fifth of a Lloyd iteration's CPU time at 16384×1024, k = 64, perf samples).
func narrowedStride(d int) int { return gemm.InPlaceStride[float32](d) }

// narrowedLen is the length of the scratch products needs for n rows of d values.
func narrowedLen(n, d int) int { return (n-1)*narrowedStride(d) + d }

// labelFromProducts labels the n rows whose float32 products are prod (k per row) and squared
// norms xn (float64, less the shift if any, within a few float64 roundings): labels[i] = the
// float64 computation's label, or −1 where the products do not prove it. It returns how many
// rows are −1.
func labelFromProducts(m *mixedCenters, prod []float32, n, k int, xn []float64, margin []float32, labels []int32) int {
	for i, v := range xn[:n] {
		margin[i] = m.margin(v)
	}
	return kernels.NearestProductsMarginF32(prod, k, n, k, m.cn32, margin[:n], labels[:n])
}

// fewCandidates is the most candidates resolveFew takes: two groups of four product chains,
// d FMA latencies each, at d = 1024 about a sixth of the FMA work one row costs in the float64
// tile (a whole micro-tile of rows against every center; an estimate, not a measurement).
const fewCandidates = 8

// resolveFew labels a row the float32 products left unsure (prod its k products, margin its
// margin, xi its float64 values; cand and exact are scratch of fewCandidates) from its
// candidates: the centers whose float32 value lies within the margin of the least, compared as
// NearestProductsMarginF32 compares (the float32 difference against the margin). By the bound
// above every other center's float64 value lies strictly above the least one's, so the float64
// computation's label — its first strict minimum — is the candidates' first strict minimum of
// the same values, cnorm − 2·p in float64 with the products bit for bit the float64 tile's and
// the nearest tile's (gemm.ProductsF64). ok is false, and the row is left to the caller's
// float64 computation, with more than fewCandidates candidates, an infinite margin or a NaN
// value.
func (m *mixedCenters) resolveFew(prod []float32, margin float32, xi []float64, cand []int32, exact []float64) (int32, bool) {
	if !(margin < float32(math.Inf(1))) {
		return 0, false
	}
	best := float32(math.Inf(1))
	for j, p := range prod {
		v := float32(m.cn32[j] - 2*p)
		if v != v {
			return 0, false
		}
		best = min(best, v)
	}
	cand = cand[:0]
	for j, p := range prod {
		if above := float32(float32(m.cn32[j]-2*p) - best); !(above > margin) {
			if len(cand) == fewCandidates {
				return 0, false
			}
			cand = append(cand, int32(j))
		}
	}
	exact = exact[:len(cand)]
	gemm.ProductsF64(xi, m.c64, len(xi), cand, exact)
	arg, low := cand[0], m.cn64[cand[0]]-2*exact[0]
	for t, j := range cand[1:] {
		if v := m.cn64[j] - 2*exact[t+1]; v < low {
			arg, low = j, v
		}
	}
	return arg, true
}
