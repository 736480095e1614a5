package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// LoosenBounds on the active backend gives the reference loop's bounds bit for bit and its
// verdicts, for every n from 0 to 64 (whole turns of eight rows and every partial one), on
// bounds near the edge of proving (both verdicts occur), −0 and zero lower bounds with centers
// that did not move, an infinite
// half-distance (a lone center) and labels over the whole table; nothing outside the slices is
// touched.
func TestLoosenBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	const k = 11
	own, other, twoHalf := make([]float64, k), make([]float64, k), make([]float64, k)
	for j := range own {
		own[j], other[j], twoHalf[j] = 0.05*rng.Float64(), 0.05*rng.Float64(), 0.5+1.5*rng.Float64()
	}
	twoHalf[k-1] = math.Inf(1)
	own[0], other[0] = 0, 0 // centers that did not move: a −0 lower bound stays −0 before the max
	other[1] = 0
	settledRows, failedRows := 0, 0
	for round := 0; round < 20; round++ {
		for n := 0; n <= 64; n++ {
			lg, labels := newGuarded(n, int32(-7))
			ug, upper := newGuarded(n, math.NaN())
			log, lower := newGuarded(n, math.NaN())
			xg, xn := newGuarded(n, math.NaN())
			for p := 0; p < n; p++ {
				labels[p] = int32(rng.IntN(k))
				upper[p] = 0.2 + rng.Float64()
				lower[p] = upper[p] + 0.3*rng.Float64() - 0.05
				switch rng.IntN(10) {
				case 0:
					lower[p] = 0
				case 1:
					lower[p] = math.Copysign(0, -1)
				}
				xn[p] = 5 * rng.Float64()
			}
			wantUp, wantLow := slices.Clone(upper), slices.Clone(lower)
			want := loosenBoundsGeneric(labels, wantUp, wantLow, xn, own, other, twoHalf, 3, 1e-6)
			got := LoosenBounds(labels, upper, lower, xn, own, other, twoHalf, 3, 1e-6)
			if got != want {
				t.Fatalf("n=%d: settled %064b, reference %064b", n, got, want)
			}
			for p := 0; p < n; p++ {
				if math.Float64bits(upper[p]) != math.Float64bits(wantUp[p]) || math.Float64bits(lower[p]) != math.Float64bits(wantLow[p]) {
					t.Fatalf("n=%d row %d: bounds (%v, %v), reference (%v, %v)", n, p, upper[p], lower[p], wantUp[p], wantLow[p])
				}
				if want>>p&1 == 1 {
					settledRows++
				} else {
					failedRows++
				}
			}
			if n < 64 && want>>n != 0 {
				t.Fatalf("n=%d: bits past the rows set: %064b", n, want)
			}
			lg.check(t, "labels")
			ug.check(t, "upper")
			log.check(t, "lower")
			xg.check(t, "xn")
		}
	}
	if settledRows < 1000 || failedRows < 1000 {
		t.Fatalf("the rows do not exercise both verdicts: %d settled, %d not", settledRows, failedRows)
	}
}

// The reference is what it says, on rows worked out by hand.
func TestLoosenBoundsReference(t *testing.T) {
	own, other, twoHalf := []float64{0.5, 0}, []float64{0.25, 1}, []float64{10, 0}
	labels := []int32{0, 0, 1}
	upper := []float64{1, 1, 1}
	lower := []float64{3, 1.5, 0.5}
	xn := []float64{0, 0, 0}
	settled := loosenBoundsGeneric(labels, upper, lower, xn, own, other, twoHalf, 0, 0)
	// Row 0: up = 1.5, low = 2.75, lb = max(2.75, 10 − 1.5) = 8.5 > 1.5: settled.
	// Row 1: up = 1.5, low = 1.25, lb = 8.5: settled by the half-distance.
	// Row 2: up = 1, low = max(0, −0.5) = 0, lb = max(0, 0 − 1) = 0: not.
	if settled != 0b011 {
		t.Fatalf("settled %03b", settled)
	}
	if math.Abs(upper[0]-1.5) > 1e-9 || math.Abs(lower[0]-2.75) > 1e-9 || lower[2] != 0 {
		t.Fatalf("bounds %v %v", upper, lower)
	}
}
