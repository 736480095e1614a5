package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// nearestSkippingNaN is the SIMD tiles' rule for rows whose values hold NaN or ±Inf: the first
// center whose value is strictly below every earlier one, starting from +Inf with label 0, so
// a NaN value never wins (the generic reference starts from center 0's value instead, NaN
// included). Values as the tiles form them: a fused multiply-add per feature from zero, then
// cnorm − 2·dot; the test's finite data are small integers, so every finite step is exact in
// either precision and float64 FMAs give the tiles' bits.
func nearestSkippingNaN[T Float](row, c []T, k int, cnorm []T) (int32, T) {
	d := len(row)
	best, arg := T(math.Inf(1)), int32(0)
	for j := 0; j < k; j++ {
		var dot float64
		for f := 0; f < d; f++ {
			dot = math.FMA(float64(row[f]), float64(c[j*d+f]), dot)
		}
		v := T(math.FMA(dot, -2, float64(cnorm[j])))
		if v < best {
			best, arg = v, int32(j)
		}
	}
	return arg, best
}

// testNearestSpecial plants NaN and ±Inf among small integers in rows and centers, for every
// group size of the tile past one full group, on the narrow rows where the AVX-512 tile finds a
// group's minimum by a tree (treeArgmin in _gen/nearest.go): an Inf feature makes the values
// of some centers ±Inf and of others NaN (Inf·0), and a NaN must lose to a later finite value
// as it does one center after another.
//
// Only the rows-in-lanes tiles (k > 8 centers, SIMD backends) keep this rule: the generic
// reference and the few-center passes keep center 0's NaN, and their tests hold them to that.
func testNearestSpecial[T Float](t *testing.T, nearest nearestFn[T]) {
	if Active() == Generic {
		t.Skip("the generic backend is the reference, which keeps center 0's value, NaN included")
	}
	rng := rand.New(rand.NewPCG(4, 11))
	special := []T{T(math.Inf(1)), T(math.Inf(-1)), T(math.NaN()), 0}
	for _, d := range []int{1, 2, 3, 4, 5} {
		for _, k := range []int{9, 15, 16, 17, 24, 64} {
			const n = 70
			x := make([]T, n*d)
			c := make([]T, k*d)
			fillRows(rng, x, n, d, d, true)
			fillRows(rng, c, k, d, d, true)
			for i := range x {
				if rng.IntN(6) == 0 {
					x[i] = special[rng.IntN(len(special))]
				}
			}
			for i := range c {
				if rng.IntN(10) == 0 {
					c[i] = special[rng.IntN(len(special))]
				}
			}
			cnorm := make([]T, k)
			sqNormsGeneric(c, d, k, d, cnorm)
			labels := make([]int32, n)
			part := make([]T, n)
			nearest(x, d, n, d, c, k, cnorm, labels, part)
			for i := 0; i < n; i++ {
				wantL, wantP := nearestSkippingNaN(x[i*d:i*d+d], c, k, cnorm)
				if labels[i] != wantL || !same(part[i], wantP) {
					t.Fatalf("d=%d k=%d row %d %v: label %d part %v, want %d %v",
						d, k, i, x[i*d:i*d+d], labels[i], part[i], wantL, wantP)
				}
			}
		}
	}
}

func TestNearestSpecialF64(t *testing.T) { testNearestSpecial(t, NearestF64) }
func TestNearestSpecialF32(t *testing.T) { testNearestSpecial(t, NearestF32) }
