package kernels

import "math"

// SqDistF64 returns ‖a − b‖² over len(a) in float64, for inertia, center shifts and the
// distances that rank rows for empty clusters, where accuracy beats speed. The sum is the one
// sqDistGeneric spells out, on every backend bit for bit.
func SqDistF64(a, b []float64) float64 { return sqDist(a, b) }

// SqDistF32 is SqDistF64 for float32 values: each term and the sum in float64.
func SqDistF32(a, b []float32) float64 { return sqDist(a, b) }

// SqDistRowsF64 writes out[i] = SqDistF64(x_i, c_{labels[i]}) for the n rows x_i of x (row
// stride ldx), c holding k×d centers contiguously and labels[i] in [0, k): a row's distance to
// its own center, for inertia and for ranking rows, in one call per block of rows.
func SqDistRowsF64(x []float64, ldx, n, d int, c []float64, labels []int32, out []float64) {
	sqDistRows(x, ldx, n, d, c, labels, out)
}

// SqDistRowsF32 is SqDistRowsF64 for float32 values (SqDistF32's sums).
func SqDistRowsF32(x []float32, ldx, n, d int, c []float32, labels []int32, out []float64) {
	sqDistRows(x, ldx, n, d, c, labels, out)
}

// SqDistAtF64 writes out[i] = SqDistF64(x_r, c_{labels[i]}) for r = rows[i], i < len(rows): the
// distances of scattered rows of x (row stride ldx) to their own centers, read where they lie.
// labels[i] and out[i] belong to the i-th listed row; each out[i] equals SqDistRowsF64's for that
// row, bit for bit.
func SqDistAtF64(x []float64, ldx int, rows []int32, d int, c []float64, labels []int32, out []float64) {
	sqDistAt(x, ldx, rows, d, c, labels, out)
}

// SqDistAtF32 is SqDistAtF64 for float32 values (SqDistF32's sums).
func SqDistAtF32(x []float32, ldx int, rows []int32, d int, c []float32, labels []int32, out []float64) {
	sqDistAt(x, ldx, rows, d, c, labels, out)
}

// sqDistSums is the number of float64 partial sums of SqDist: two AVX-512 or four AVX2
// registers of them, so both add the same terms in the same order; sixteen chains also hide the
// latency of the additions.
const sqDistSums = 16

// sqDist is one row of sqDistRows. The call is static and its arguments do not escape, so a
// distance allocates nothing: silhouette and the triangle bounds call it for every pair.
func sqDist[T Float](a, b []T) float64 {
	if len(a) == 0 {
		return 0
	}
	b = b[:len(a)]
	var label [1]int32
	var out [1]float64
	if !sqDistRowsSIMD(a, len(a), 1, len(a), b, label[:], out[:], nil) {
		return sqDistGeneric(a, b)
	}
	return out[0]
}

// sqDistRows checks the shapes (the assembly trusts them), then runs the active backend's
// assembly or the reference loop.
func sqDistRows[T Float](x []T, ldx, n, d int, c []T, labels []int32, out []float64) {
	if n <= 0 {
		return
	}
	_ = x[(n-1)*ldx+d-1]
	labels, out = labels[:n], out[:n]
	for _, j := range labels {
		_ = c[int(j)*d+d-1] // a label names a whole center
	}
	if d > 0 && sqDistRowsSIMD(x, ldx, n, d, c, labels, out, nil) {
		return
	}
	for i, j := range labels {
		out[i] = sqDistGeneric(x[i*ldx:i*ldx+d], c[int(j)*d:int(j)*d+d])
	}
}

// sqDistAt checks that every listed row and named center lies inside x and c (the assembly
// trusts them), then runs the active backend's assembly or the reference loop.
func sqDistAt[T Float](x []T, ldx int, rows []int32, d int, c []T, labels []int32, out []float64) {
	n := len(rows)
	if n == 0 {
		return
	}
	labels, out = labels[:n], out[:n]
	if d <= 0 { // empty rows: every distance is the empty sum
		clear(out)
		return
	}
	for i, r := range rows {
		if r < 0 {
			panic("kernels: negative row index")
		}
		_ = x[int(r)*ldx+d-1]
		_ = c[int(labels[i])*d+d-1] // a label names a whole center
	}
	if sqDistRowsSIMD(x, ldx, n, d, c, labels, out, rows) {
		return
	}
	for i, r := range rows {
		j := int(labels[i])
		out[i] = sqDistGeneric(x[int(r)*ldx:int(r)*ldx+d], c[j*d:j*d+d])
	}
}

// sqDistGeneric is the reference of SqDistF32/F64: the difference of a[i] and b[i] in float64,
// squared and added by one fused multiply-add into partial sum i mod 16 in index order, then
// the sixteen sums folded pairwise: s[j] += s[j+h] for h = 8, 4, 2, 1.
func sqDistGeneric[T Float](a, b []T) float64 {
	b = b[:len(a)]
	var s [sqDistSums]float64
	for i := range a {
		t := float64(a[i]) - float64(b[i])
		s[i%sqDistSums] = math.FMA(t, t, s[i%sqDistSums])
	}
	for h := sqDistSums / 2; h >= 1; h /= 2 {
		for j := 0; j < h; j++ {
			s[j] += s[j+h]
		}
	}
	return s[0]
}
