package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// ShiftedMoments adds to the sums already there exactly what its reference loop adds, bit for
// bit, for every d around the register widths and strips, padded row strides (NaN in the gap
// would show), without touching x, c, s1 or s2 outside their slices.
func TestShiftedMoments(t *testing.T) {
	testShiftedMoments(t, ShiftedMomentsF64)
	testShiftedMoments(t, ShiftedMomentsF32)
}

func testShiftedMoments[T Float](t *testing.T, moments func(x []T, ldx, n, d int, c, s1, s2 []float64)) {
	rng := rand.New(rand.NewPCG(25, 26))
	for _, d := range []int{1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 64, 100, 256} {
		for _, n := range []int{0, 1, 2, 7, 130} {
			ldx := d + rng.IntN(3)
			xg, x := matrix[T](rng, n, d, ldx, false)
			cg, c := newGuarded(d, math.NaN())
			g1, s1 := newGuarded(d, math.NaN())
			g2, s2 := newGuarded(d, math.NaN())
			for j := range c {
				c[j] = rng.NormFloat64()
				s1[j], s2[j] = rng.NormFloat64(), rng.Float64()
			}
			want1, want2 := slices.Clone(s1), slices.Clone(s2)
			shiftedMomentsGeneric(x, ldx, n, d, c, want1, want2)
			moments(x, ldx, n, d, c, s1, s2)
			for j := range s1 {
				if math.Float64bits(s1[j]) != math.Float64bits(want1[j]) || math.Float64bits(s2[j]) != math.Float64bits(want2[j]) {
					t.Fatalf("%T d=%d n=%d column %d: (%v, %v), reference (%v, %v)", x, d, n, j, s1[j], s2[j], want1[j], want2[j])
				}
			}
			xg.check(t, "x")
			cg.check(t, "c")
			g1.check(t, "s1")
			g2.check(t, "s2")
		}
	}
}

// The reference is what it says: the sums of the deviations from c and of their squares.
func TestShiftedMomentsReference(t *testing.T) {
	x := []float32{1, 2, 3, 4, 5, 6} // 3×2
	c := []float64{1, 10}
	s1, s2 := []float64{0.5, 0}, []float64{0, 1}
	shiftedMomentsGeneric(x, 2, 3, 2, c, s1, s2)
	if !slices.Equal(s1, []float64{0.5 + 0 + 2 + 4, -8 - 6 - 4}) || !slices.Equal(s2, []float64{0 + 4 + 16, 1 + 64 + 36 + 16}) {
		t.Fatalf("s1 %v s2 %v", s1, s2)
	}
}
