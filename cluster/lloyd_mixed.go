package cluster

import (
	"math"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/fastmva/fastmva/kernels"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// The mixed-precision labels of Lloyd's GEMM-tile pass for float64 rows: the products x·c_j in
// float32 (the narrowed rows against the narrowed centers, a GEMM tile at twice the float64
// rate), kept only where they prove the float64 tile's label, and the float64 tile for the
// rest. The labels, and so the sums, the centers and every fit, are the float64 pass's bit for
// bit; only the time changes.
//
// The proof. Write v_j = ‖c_j‖² − 2x·c_j (exact), w_j for the float32 value cn32_j − 2·p̂_j
// the products give, u_j for the float64 tile's value, and u, U for the units of roundoff of
// float32 and float64 (2⁻²⁴, 2⁻⁵³). Narrowing x and c_j costs each element a relative u (plus
// 2⁻¹⁵⁰ where it underflows); a dot product of d terms in any order errs by at most
// γ_d·Σ|x_i·c_ji| ≤ γ_d·‖x‖·‖c_j‖ with γ_d = d·u/(1 − d·u); the norm, narrowed, by u·‖c_j‖²
// more; the value's own rounding by u·(‖c_j‖² + 2‖x‖‖c_j‖). With 2‖x‖‖c_j‖ ≤ ‖x‖² + ‖c_j‖²
// and d ≤ mixedMaxFeatures:
//
//	|w_j − v_j| ≤ ((1.02·d + 6)·u)·(‖x‖² + ‖c_j‖²) + tiny,   |u_j − v_j| ≤ ((3·d + 10)·U)·(‖x‖² + ‖c_j‖²)
//
// (the second as generous: the float64 tile rounds x·c_j's d terms and the value once). So if
// the least float32 value w_a lies below every other w_j by more than the sum of the four
// bounds, v_a < v_j, and the float64 values keep that order: u_a < u_j strictly, the float64
// tile's label is a. The margin passed to kernels.NearestProductsMarginF32 is that sum with
// ‖c_j‖² ≤ the largest center norm, enlarged by 2⁻¹⁹ (the norms' own rounding, the margin's
// and the comparison's rounding to float32) plus 2⁻⁷⁸ (what underflow can add); a row with a
// value within it, a tie or a NaN, or with ‖x‖² ≥ 2⁶⁰ (margin +Inf: no overflow in float32
// can then pass), is labelled again by the float64 tile. Centers with a norm ≥ 2⁶⁰ or not
// finite leave the whole pass to the float64 tile.
//
// On uniform rows (bench/kmeans's) at d = 32, k = 64, one row in 1900 (10⁶ rows) or 8900 (65536)
// is labelled again. Rows far from the origin next to their spread (a large common offset) make
// wide margins and many unsure rows; a call then gives up the mixed labels after its first
// block with more than a quarter unsure, so such data costs one block labelled twice per chunk.

// mixedMaxFeatures bounds d for the mixed labels (d·u ≤ 2⁻¹⁰ keeps γ_d ≤ 1.001·d·u).
const mixedMaxFeatures = 1 << 14

// mixedNormLimit is the squared norm from which a row or center is left to the float64 tile.
const mixedNormLimit = 0x1p60

// useMixed is the rule for the mixed labels on float64 rows: where NearestProductsMarginF32
// runs assembly (AVX-512, 32 < k ≤ 64) and d ≤ mixedMaxFeatures. BenchmarkMixedLabels (AMD
// Zen 4, two threads, one Lloyd iteration, five interleaved runs): 65536×32, k = 64: 3.46–3.64
// ms on the float64 tile, 2.37–2.57 mixed; 10⁶×32: 48.2–50.8 against 35.1–39.2.
func useMixed(d, k int) bool { return kernels.MarginProductsFast(k) && d <= mixedMaxFeatures }

// mixedAssign holds the float32 centers of the mixed labels and their workers' scratch.
type mixedAssign struct {
	panels  gemm.Panels[float32]
	c32     []float32 // the centers narrowed (packed into panels)
	cn32    []float32 // their squared norms, rounded to float32
	cmax2   float64   // the largest squared norm of a center
	alpha   float64   // 2·(float32 bound + float64 bound) per unit of ‖x‖² + ‖c‖²
	usable  bool      // the centers packed last allow the mixed labels
	block   int
	scratch sync.Pool // *mixedScratch
	// rows and again count the rows given to label and those it left unsure (for tests and
	// measurements: one addition per block).
	rows, again atomic.Int64
}

// mixedScratch is one worker's scratch for a block of rows.
type mixedScratch struct {
	rows   []float32 // the block narrowed
	prod   []float32 // its products with the centers
	mul    []float32 // MulRows' scratch
	xn     []float64 // the rows' squared norms
	margin []float32
	unsure []int32   // the rows labelled −1, block-relative
	again  []float64 // those rows gathered for the float64 tile
	lab    []int32
}

func newMixedAssign(d, k, block int) *mixedAssign {
	u, U := 0x1p-24, 0x1p-53
	fd := float64(d)
	return &mixedAssign{
		c32:   make([]float32, k*d),
		cn32:  make([]float32, k),
		alpha: 2 * ((1.02*fd+6)*u + (3*fd+10)*U),
		block: block,
	}
}

// pack narrows and packs the centers and decides whether this pass may use them.
func (m *mixedAssign) pack(centers []float64, d, k int) {
	cn := make([]float64, k)
	kernels.SqNormsF64(centers, d, k, d, cn)
	m.cmax2 = 0
	m.usable = true
	for j, v := range cn {
		if !(v < mixedNormLimit) { // also NaN
			m.usable = false
		}
		m.cmax2 = max(m.cmax2, v)
		m.cn32[j] = float32(v)
	}
	if !m.usable {
		return
	}
	kernels.NarrowF64(m.c32, centers[:k*d])
	m.panels.Pack(m.c32, d, k, d)
}

func (m *mixedAssign) getScratch(d, k int) *mixedScratch {
	if s, ok := m.scratch.Get().(*mixedScratch); ok {
		return s
	}
	b := m.block
	return &mixedScratch{
		rows: make([]float32, b*d), prod: make([]float32, b*k), mul: make([]float32, gemm.MulRowsScratch[float32](d)),
		xn: make([]float64, b), margin: make([]float32, b), unsure: make([]int32, b),
		again: make([]float64, b*d), lab: make([]int32, b),
	}
}

// label labels the n ≤ block rows of x (row stride ldx) from the float32 products and returns
// the rows it could not (labelled −1), listed in s.unsure[:count] and gathered in s.again.
func (m *mixedAssign) label(s *mixedScratch, x []float64, ldx, n, d, k int, labels []int32) int {
	if ldx == d {
		kernels.NarrowF64(s.rows, x[:n*d])
	} else {
		for i := 0; i < n; i++ {
			kernels.NarrowF64(s.rows[i*d:(i+1)*d], x[i*ldx:i*ldx+d])
		}
	}
	// The next block of rows (a hint, even past x's end) is on its way while the tile runs.
	next := uintptr(unsafe.Pointer(&x[0])) + uintptr(n*ldx*8)
	gemm.MulRowsAhead(&m.panels, s.rows, d, n, s.prod, k, s.mul, next, n*ldx*8)
	kernels.SqNormsF64(x, ldx, n, d, s.xn)
	for i, xn := range s.xn[:n] {
		mg := math.Inf(1)
		if xn < mixedNormLimit {
			mg = (m.alpha*(xn+m.cmax2) + 0x1p-78) * (1 + 0x1p-19)
		}
		s.margin[i] = float32(mg)
	}
	m.rows.Add(int64(n))
	if kernels.NearestProductsMarginF32(s.prod, k, n, k, m.cn32, s.margin[:n], labels[:n]) == 0 {
		return 0
	}
	count := 0
	for i, l := range labels[:n] {
		if l < 0 {
			copy(s.again[count*d:(count+1)*d], x[i*ldx:i*ldx+d])
			s.unsure[count] = int32(i)
			count++
		}
	}
	m.again.Add(int64(count))
	return count
}
