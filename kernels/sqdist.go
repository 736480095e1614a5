package kernels

import "math"

// SqDistF64 returns ‖a − b‖² over len(a) in float64, for inertia, center shifts and the
// distances that rank rows for empty clusters, where accuracy beats speed. The sum is the one
// sqDistGeneric spells out, on every backend bit for bit.
func SqDistF64(a, b []float64) float64 { return sqDist(a, b) }

// SqDistF32 is SqDistF64 for float32 values: each term and the sum in float64.
func SqDistF32(a, b []float32) float64 { return sqDist(a, b) }

// sqDistSums is the number of float64 partial sums of SqDist: two AVX-512 or four AVX2
// registers of them, so both add the same terms in the same order; sixteen chains also hide the
// latency of the additions.
const sqDistSums = 16

// sqDist runs the active backend's whole blocks of sqDistSums values (sqDist16 reports false on
// the generic backend) and the reference loop on the rest. The calls are static so that the
// sums stay on the stack: silhouette and the bounds call this for every pair.
func sqDist[T Float](a, b []T) float64 {
	b = b[:len(a)]
	var s [sqDistSums]float64
	m := len(a) &^ (sqDistSums - 1)
	if m > 0 && !sqDist16(a[:m], b[:m], &s) {
		m = 0
	}
	sqDistFrom(a, b, m, &s)
	return foldSqDist(&s)
}

// sqDist16 runs sqDist16F32 or sqDist16F64.
func sqDist16[T Float](a, b []T, s *[sqDistSums]float64) bool {
	switch a := any(a).(type) {
	case []float32:
		return sqDist16F32(a, any(b).([]float32), s)
	default:
		return sqDist16F64(any(a).([]float64), any(b).([]float64), s)
	}
}

// sqDistGeneric is the reference of SqDistF32/F64: the difference of a[i] and b[i] in float64,
// squared and added by one fused multiply-add into partial sum i mod 16 in index order, then
// the sixteen sums folded pairwise (foldSqDist).
func sqDistGeneric[T Float](a, b []T) float64 {
	b = b[:len(a)]
	var s [sqDistSums]float64
	sqDistFrom(a, b, 0, &s)
	return foldSqDist(&s)
}

// sqDistFrom adds the terms from index m on (m a multiple of sqDistSums) into s.
func sqDistFrom[T Float](a, b []T, m int, s *[sqDistSums]float64) {
	for i := m; i < len(a); i++ {
		t := float64(a[i]) - float64(b[i])
		s[i%sqDistSums] = math.FMA(t, t, s[i%sqDistSums])
	}
}

// foldSqDist adds the partial sums pairwise: s[j] += s[j+h] for h = 8, 4, 2, 1.
func foldSqDist(s *[sqDistSums]float64) float64 {
	for h := sqDistSums / 2; h >= 1; h /= 2 {
		for j := 0; j < h; j++ {
			s[j] += s[j+h]
		}
	}
	return s[0]
}
