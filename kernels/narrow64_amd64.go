//go:build !purego && !noasm

package kernels

import "unsafe"

// Narrow float64 rows in lanes for the few-center pass (see _gen/narrow64.go and
// _gen/sumrows.go): the labels of 8 contiguous rows at a time with a vertical minimum, then the
// rows added into the padded sums in row order, one block of rows (in L1) after the other.

// nearestNarrowF64D<d>AVX512: see genNearestNarrow64. n a positive multiple of 8 rows of d
// features, contiguous; c: k×d centers, 1 ≤ k ≤ 8; cn: their k norms; part: nil, or where each
// row's least value goes (NearestF64's part).
//
//go:noescape
func nearestNarrowF64D1AVX512(x *float64, n int, c *float64, k int, cn *float64, labels *int32, pf int, part *float64)

//go:noescape
func nearestNarrowF64D2AVX512(x *float64, n int, c *float64, k int, cn *float64, labels *int32, pf int, part *float64)

//go:noescape
func nearestNarrowF64D3AVX512(x *float64, n int, c *float64, k int, cn *float64, labels *int32, pf int, part *float64)

//go:noescape
func nearestNarrowF64D4AVX512(x *float64, n int, c *float64, k int, cn *float64, labels *int32, pf int, part *float64)

// sumRowsF64V<V>AVX512: see genSumRows. n labelled rows of 8(V−1) ≤ d < 8V features, w nil
// (unit weights) or n weights, acc the padded sums (stride smallKStride(d) = 8V).
//
//go:noescape
func sumRowsF64V1AVX512(x *float64, ldx, n, d int, labels *int32, w *float64, acc *float64, accStride, pf int)

//go:noescape
func sumRowsF64V2AVX512(x *float64, ldx, n, d int, labels *int32, w *float64, acc *float64, accStride, pf int)

//go:noescape
func sumRowsF64V3AVX512(x *float64, ldx, n, d int, labels *int32, w *float64, acc *float64, accStride, pf int)

//go:noescape
func sumRowsF64V4AVX512(x *float64, ldx, n, d int, labels *int32, w *float64, acc *float64, accStride, pf int)

//go:noescape
func sumRowsF64V5AVX512(x *float64, ldx, n, d int, labels *int32, w *float64, acc *float64, accStride, pf int)

//go:noescape
func sumRowsF64V6AVX512(x *float64, ldx, n, d int, labels *int32, w *float64, acc *float64, accStride, pf int)

//go:noescape
func sumRowsF64V7AVX512(x *float64, ldx, n, d int, labels *int32, w *float64, acc *float64, accStride, pf int)

//go:noescape
func sumRowsF64V8AVX512(x *float64, ldx, n, d int, labels *int32, w *float64, acc *float64, accStride, pf int)

//go:noescape
func sumRowsF64V9AVX512(x *float64, ldx, n, d int, labels *int32, w *float64, acc *float64, accStride, pf int)

// nearestRowsF64AVX512: see genNearestRows64. n a positive multiple of 8 rows of 1 ≤ d ≤ 64
// features at stride ldx; ct, cn: lloydSmallK's transposed centers and norms, 1 ≤ k ≤ 8;
// lanes: laneIndex; part: nil, or where each row's least value goes.
//
//go:noescape
func nearestRowsF64AVX512(x *float64, ldx, n, d int, ct *float64, k int, cn *float64, labels *int32, lanes *int32, pf int, part *float64)

// laneIndex is j in lane j: the labels nearestRowsF64AVX512 puts under its compare's mask.
var laneIndex = [8]int32{0, 1, 2, 3, 4, 5, 6, 7}

const (
	narrowF64MaxD  = 4   // the widest row nearestNarrowF64 takes
	narrowF64Block = 256 // rows labelled, then added, while they are in L1
)

// useNarrowF64 says whether float64 rows of d features at stride ldx take rows in lanes:
// contiguous rows of at most 4 features.
func useNarrowF64(d, ldx int) bool { return d <= narrowF64MaxD && ldx == d }

// rowLabeler labels a block of float64 rows with rows in lanes: contiguous rows of d ≤ 4
// features (narrow: nearestNarrowF64 with the centers c) or any rows (nearestRowsF64AVX512 with
// lloydSmallK's transposed centers ct and norms cn).
type rowLabeler struct {
	narrow       bool
	d, k         int
	c, cnorm, ct *float64 // c, cnorm: k×d centers and k norms (narrow); ct: transposed (not)
}

// label labels m rows (a multiple of 8) at x, stride ldx, prefetching pf bytes ahead; part,
// if not nil, gets their least values.
func (r *rowLabeler) label(x *float64, ldx, m int, labels *int32, pf int, part *float64) {
	if r.narrow {
		nearestNarrowF64(r.d, x, m, r.c, r.k, r.cnorm, labels, pf, part)
	} else {
		nearestRowsF64AVX512(x, ldx, m, r.d, r.ct, r.k, r.cnorm, labels, &laneIndex[0], pf, part)
	}
}

// lloydBlocksF64 is the few-center pass with rows in lanes: r labels a block of rows, then
// sumRows adds them (w nil or their weights) into the padded sums acc while they are in L1,
// prefetching the block after next — or, for unit weights, sumRegs (each center's sums in
// registers) where useSumRegs says so, else sumLanes (the centers along the lanes) for rows of
// up to sumLanesMaxD features: AMD Zen 5, 256 rows in L1, labels at random, ns a row, sumRows →
// sumRegs → sumLanes: d = 3 k = 3 2.0 → 1.05 → 1.15, k = 4 2.0 → 1.2 → 1.2, k = 8 2.1 → – → 1.3;
// d = 6 k = 4 2.7 → 1.9 → 1.5, k = 8 2.8 → – → 1.8; one iteration at d = 3, k = 8 on two threads,
// paired rounds: 0.81× the time at 65 536 rows, 0.78× at 10⁶. The last rows short of a group of
// 8 are labelled from a copy padded with zero rows, so that every row takes the same
// instructions (the kernel with centers in lanes differs from the reference on NaN values).
func lloydBlocksF64(x []float64, ldx, n, d int, w []float64, labels []int32, acc []float64, r *rowLabeler) {
	pf := narrowF64Block * ldx * 8 // one block of rows on
	regs := w == nil && useSumRegs(d, r.k)
	lanes := w == nil && !regs && d <= sumLanesMaxD
	add := func(i, m int) { // rows i…i+m−1, labelled
		switch {
		case regs:
			sumRegs(&x[i*ldx], ldx, m, d, r.k, &labels[i], &acc[0], 2*pf)
			return
		case lanes:
			sumLanes(&x[i*ldx], ldx, m, d, r.k, &labels[i], acc, 2*pf)
			return
		}
		var wi *float64
		if w != nil {
			wi = &w[i]
		}
		sumRows(&x[i*ldx], ldx, m, d, &labels[i], wi, &acc[0], 2*pf)
	}
	full := n &^ 7
	for i := 0; i < full; i += narrowF64Block {
		m := min(narrowF64Block, full-i)
		r.label(&x[i*ldx], ldx, m, &labels[i], pf, nil)
		add(i, m)
	}
	if full < n {
		var rows [8 * smallKMaxD]float64
		var lab [8]int32
		for i := full; i < n; i++ {
			copy(rows[(i-full)*d:], x[i*ldx:i*ldx+d])
		}
		r.label(&rows[0], d, 8, &lab[0], 0, nil)
		copy(labels[full:n], lab[:])
		add(full, n-full)
	}
}

// nearestNarrowF64 runs nearestNarrowF64D<d>.
func nearestNarrowF64(d int, x *float64, n int, c *float64, k int, cn *float64, labels *int32, pf int, part *float64) {
	switch d {
	case 1:
		nearestNarrowF64D1AVX512(x, n, c, k, cn, labels, pf, part)
	case 2:
		nearestNarrowF64D2AVX512(x, n, c, k, cn, labels, pf, part)
	case 3:
		nearestNarrowF64D3AVX512(x, n, c, k, cn, labels, pf, part)
	case 4:
		nearestNarrowF64D4AVX512(x, n, c, k, cn, labels, pf, part)
	default:
		panic("kernels: narrow rows of more than 4 features")
	}
}

// f64s is x as a float64 slice, for generic code that has checked T is float64 (nil stays nil).
func f64s[T any](x []T) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}

// sumRows runs sumRowsF64V<V>, V = d/8 + 1: the n labelled rows at x (w nil or their weights)
// added into the padded sums acc in row order. A switch, not a table of the nine functions: an
// indirect call makes the pointers escape, and the pass must not allocate (noalloc_test.go).
func sumRows(x *float64, ldx, n, d int, labels *int32, w *float64, acc *float64, pf int) {
	switch d/8 + 1 {
	case 1:
		sumRowsF64V1AVX512(x, ldx, n, d, labels, w, acc, smallKStride(d), pf)
	case 2:
		sumRowsF64V2AVX512(x, ldx, n, d, labels, w, acc, smallKStride(d), pf)
	case 3:
		sumRowsF64V3AVX512(x, ldx, n, d, labels, w, acc, smallKStride(d), pf)
	case 4:
		sumRowsF64V4AVX512(x, ldx, n, d, labels, w, acc, smallKStride(d), pf)
	case 5:
		sumRowsF64V5AVX512(x, ldx, n, d, labels, w, acc, smallKStride(d), pf)
	case 6:
		sumRowsF64V6AVX512(x, ldx, n, d, labels, w, acc, smallKStride(d), pf)
	case 7:
		sumRowsF64V7AVX512(x, ldx, n, d, labels, w, acc, smallKStride(d), pf)
	case 8:
		sumRowsF64V8AVX512(x, ldx, n, d, labels, w, acc, smallKStride(d), pf)
	case 9:
		sumRowsF64V9AVX512(x, ldx, n, d, labels, w, acc, smallKStride(d), pf)
	default:
		panic("kernels: sum rows of more than 64 features")
	}
}

// useRowsF64 says whether float64 rows of d features with k centers (other than the narrow
// contiguous ones) take rows in lanes (nearestRowsF64AVX512). Measured on the loaded machine,
// n = 65 536, CPU ms an iteration in the pass, centers in lanes → rows in lanes (medians of 2–3
// interleaved runs): d=6 k=3 0.42 → 0.35, d=8 k=3 0.56 → 0.45, d=10 k=3 0.47 → 0.47; but d=6
// k=8 0.43 → 0.48, d=8 k=8 0.51 → 0.53, d=10 k=8 0.50 → 0.60, d=32 k=3 1.13 → 1.36 (against
// the transposed tile), k=8 1.10 → 1.96: with more centers the FMAs of rows in lanes grow (k·d
// per 8 rows) while centers in lanes pay d a row whatever k, and wider rows add a transposed
// block and a vector of sums each. On AMD Zen 4 (session 13, BenchmarkFewCentersGridF64, two
// threads, best iteration, two rounds) d=10 k=3 took 0.215–0.224 → 0.163–0.166 ms at 65 536
// rows and 3.22–3.23 → 3.10–3.26 at 10⁶, so d < 16 takes rows in lanes at k ≤ 3 (d=10 k=8
// 0.218–0.223 → 0.229: not there; d=32 k=3 0.515 → 0.405–0.411 at 65 536 rows but 10.0–10.4 →
// 11.1–12.1 at 10⁶: left on the transposed tile).
func useRowsF64(d, k int) bool { return d <= 8 && k <= 4 || d < 16 && k <= 3 }

// nearestRowsLanes labels float64 rows of few centers with rows in lanes (rowLabeler), giving
// each row's least value as well: NearestF64's labels and part bit for bit, the values being the
// nearest tile's (on a row whose values are all NaN the part is NaN, the reference's, where the
// gathering tile leaves +Inf). It reports false, doing nothing, unless the rows are float64 and
// smallKTakes. The caller has checked n > 0.
func (s simdSet[T, I]) nearestRowsLanes(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part []T) bool {
	if !s.is64() || !s.smallKTakes(d, k) {
		return false
	}
	checkMatrix(len(x), ldx, n, d)
	xs, cs, ns, ps := f64s(x), f64s(c[:k*d]), f64s(cnorm[:k]), f64s(part[:n])
	labels = labels[:n]
	var ct [smallKMaxD * smallKCenters]float64
	var cn [smallKCenters]float64
	r := rowLabeler{narrow: true, d: d, k: k, c: &cs[0], cnorm: &ns[0]}
	if !useNarrowF64(d, ldx) {
		centersInLanes(cs, ns, k, d, ct[:], &cn)
		r = rowLabeler{d: d, k: k, ct: &ct[0], cnorm: &cn[0]}
	}
	pf := narrowF64Block * ldx * 8
	full := n &^ 7
	for i := 0; i < full; i += narrowF64Block {
		m := min(narrowF64Block, full-i)
		r.label(&xs[i*ldx], ldx, m, &labels[i], pf, &ps[i])
	}
	if full < n {
		// The last rows from a copy padded with zero rows, as lloydBlocksF64 takes them.
		var rows [8 * smallKMaxD]float64
		var lab [8]int32
		var least [8]float64
		for i := full; i < n; i++ {
			copy(rows[(i-full)*d:], xs[i*ldx:i*ldx+d])
		}
		r.label(&rows[0], d, 8, &lab[0], 0, &least[0])
		copy(labels[full:], lab[:])
		copy(ps[full:], least[:])
	}
	return true
}

// nearestFew is the labels-only pass for few centers (k ≤ 8, d ≤ 64, AVX-512), reporting false
// where it does not apply: float64 rows of fewer than rowsLabelsMaxD features in lanes of their
// own (nearestRowsLanes), else the rows-in-lanes tiles where Lloyd's pass takes them
// (nearestTransposed). Before, those float64 rows went to the gathering tile.
//
// One thread, 65536 rows in cache, ms a call, gathering tile / rows in lanes (medians of 3
// rounds of 200): d = 3 k = 3 0.198 / 0.050, k = 8 0.266 / 0.103; d = 10 k = 3 0.401 / 0.160,
// k = 8 0.562 / 0.294. Through Python, predict on 10⁶ rows (two threads, medians of 9, two
// rounds): d = 3 k = 3 1.74–1.78 → 0.72–0.81, d = 10 k = 3 3.26–3.37 → 2.51–2.52, k = 8
// 4.44–4.58 → 2.97–2.99; 65536×10 k = 8 0.31–0.34 → 0.21–0.22. Wider rows stay where they were:
// at d = 32 rows in lanes were faster in cache (k = 3 0.45 against the transposed tile's 0.69,
// k = 8 0.78 against the gathering tile's 1.59) but slower from memory (predict on 10⁶ rows:
// k = 3 12.7–13.0 against 7.0–8.8, k = 8 15.0–16.7 against 13.1–13.5).
func (s simdSet[T, I]) nearestFew(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part []T) bool {
	return d < rowsLabelsMaxD && s.nearestRowsLanes(x, ldx, n, d, c, k, cnorm, labels, part) ||
		s.nearestTransposed(x, ldx, n, d, c, k, cnorm, labels, part)
}

// rowsLabelsMaxD bounds the float64 rows nearestFew gives rows in lanes: d < 16, where the
// transposed tiles take none.
const rowsLabelsMaxD = 16
