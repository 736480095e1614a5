package cluster

import (
	"math"

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
// tile's label is a. (For float32 rows the narrowing is exact and the float64 computation's
// products too; the bound holds as it stands.) The margin passed to kernels.NearestProductsMarginF32 is that sum with
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

// mixedCenters are the centers of the mixed labels in float32, packed, with what the margins
// need.
type mixedCenters struct {
	panels gemm.Panels[float32]
	c32    []float32 // the centers narrowed (packed into panels)
	cn32   []float32 // their squared norms, rounded to float32
	cmax2  float64   // the largest squared norm of a center
	alpha  float64   // 2·(float32 bound + float64 bound) per unit of ‖x‖² + ‖c‖²
	usable bool      // the centers set last allow the mixed labels
}

func newMixedCenters(d, k int) mixedCenters {
	u, U := 0x1p-24, 0x1p-53
	fd := float64(d)
	return mixedCenters{c32: make([]float32, k*d), cn32: make([]float32, k), alpha: 2 * ((1.02*fd+6)*u + (3*fd+10)*U)}
}

// set narrows and packs the k centers c (d values each, contiguous; squared norms cn) and
// decides whether they allow the mixed labels.
func (m *mixedCenters) set(c, cn []float64, d, k int) {
	m.cmax2 = 0
	m.usable = true
	for j, v := range cn[:k] {
		if !(v < mixedNormLimit) { // also NaN
			m.usable = false
		}
		m.cmax2 = max(m.cmax2, v)
		m.cn32[j] = float32(v)
	}
	if !m.usable {
		return
	}
	kernels.NarrowF64(m.c32, c[:k*d])
	m.panels.Pack(m.c32, d, k, d)
}

// margin is the margin of a row whose squared norm is at most xn (+Inf from mixedNormLimit, and
// for NaN).
func (m *mixedCenters) margin(xn float64) float32 {
	if !(xn < mixedNormLimit) {
		return float32(math.Inf(1))
	}
	return float32((m.alpha*(xn+m.cmax2) + 0x1p-78) * (1 + 0x1p-19))
}

// labelFromProducts labels the n rows whose float32 products are prod (k per row) and squared
// norms xn (float64, within a few float64 roundings): labels[i] = the float64 computation's
// label, or −1 where the products do not prove it. It returns how many rows are −1.
func labelFromProducts(m *mixedCenters, prod []float32, n, k int, xn []float64, margin []float32, labels []int32) int {
	for i, v := range xn[:n] {
		margin[i] = m.margin(v)
	}
	return kernels.NearestProductsMarginF32(prod, k, n, k, m.cn32, margin[:n], labels[:n])
}

// narrowRows writes the n rows of x (row stride ldx, d values) to dst as float32, d apart.
func narrowRows(dst []float32, x []float64, ldx, n, d int) {
	if ldx == d {
		kernels.NarrowF64(dst, x[:n*d])
		return
	}
	for i := 0; i < n; i++ {
		kernels.NarrowF64(dst[i*d:(i+1)*d], x[i*ldx:i*ldx+d])
	}
}
