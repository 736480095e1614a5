package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// nearestTol bounds how far a SIMD value of cnorm_j − 2·x·c_j may be from the reference's.
// Each implementation computes dot_j within γ(d)·s_j of the exact value (s_j = Σ|x_f·c_jf|),
// 2·dot_j exactly, and the subtraction with one rounding, so it is within
// u·(|cnorm_j| + 2·s_j) + 2·γ(d)·s_j·(1+u) ≤ u·|cnorm_j| + 2·γ(d+1)·s_j of the exact value;
// two implementations are within twice that of each other.
func nearestTol[T Float](row, cj []T, cnorm T) float64 {
	var s float64
	for f := range row {
		s += math.Abs(float64(row[f]) * float64(cj[f]))
	}
	return 2 * (unitRoundoff[T]()*math.Abs(float64(cnorm)) + 2*gamma[T](len(row)+1)*s)
}

// checkNearest compares one row's label and part with the reference's. Labels must be equal,
// except where the reference's values of the two labels are within the sum of their error
// bounds (then either answer is right to working precision); exact says the data make every
// value exact, so nothing may differ at all.
func checkNearest[T Float](row, c []T, k int, cnorm []T, gotL int32, gotP T, exact bool) error {
	d := len(row)
	val := func(j int32) (T, float64) {
		cj := c[int(j)*d : int(j)*d+d]
		return cnorm[j] - 2*dotGeneric(row, cj), nearestTol(row, cj, cnorm[j])
	}
	var wantL [1]int32
	var wantP [1]T
	nearestGeneric(row, d, 1, d, c, k, cnorm, wantL[:], wantP[:])
	if exact {
		if gotL != wantL[0] || !same(gotP, wantP[0]) {
			return fmt.Errorf("label %d part %v, reference %d %v (exact data)", gotL, gotP, wantL[0], wantP[0])
		}
		return nil
	}
	if gotL < 0 || int(gotL) >= k {
		return fmt.Errorf("label %d out of range", gotL)
	}
	refGot, tolGot := val(gotL)
	_, tolWant := val(wantL[0])
	if gotL != wantL[0] && !(float64(refGot-wantP[0]) <= tolGot+tolWant) {
		return fmt.Errorf("label %d, reference %d with a gap %g beyond the error bound %g",
			gotL, wantL[0], refGot-wantP[0], tolGot+tolWant)
	}
	if diff := math.Abs(float64(gotP - refGot)); !(diff <= tolGot) {
		return fmt.Errorf("part %v, reference %v for label %d: differ by %g > %g", gotP, refGot, gotL, diff, tolGot)
	}
	return nil
}

type nearestFn[T Float] func(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part []T)

// nearestCase runs one shape with guards around every slice and checks every row.
func nearestCase[T Float](t testing.TB, nearest nearestFn[T], rng *rand.Rand, n, d, ldx, k int, exact bool) {
	t.Helper()
	gx, x := matrix[T](rng, n, d, ldx, exact)
	gc, c := matrix[T](rng, k, d, d, exact)
	gn, cnorm := newGuarded(k, nan[T]())
	sqNormsGeneric(c, d, k, d, cnorm)
	gl, labels := newGuarded(n, int32(-7))
	gp, part := newGuarded(n, nan[T]())
	nearest(x, ldx, n, d, c, k, cnorm, labels, part)
	for i := 0; i < n; i++ {
		if err := checkNearest(x[i*ldx:i*ldx+d], c, k, cnorm, labels[i], part[i], exact); err != nil {
			t.Fatalf("n=%d d=%d ldx=%d k=%d row %d: %v", n, d, ldx, k, i, err)
		}
	}
	for _, g := range []interface{ check(testing.TB, string) }{gx, gc, gn, gp} {
		g.check(t, "nearest input/part")
	}
	gl.check(t, "labels")
}

// Shapes: n over every tail of the widest tile (32 rows) and more, k over every group size of
// the tile (1…8) and past two full groups, d over empty, tiny, and past the vector widths.
var (
	nearestNs = []int{0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 70}
	nearestDs = []int{0, 1, 2, 3, 5, 10, 17, 33}
	nearestKs = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 17, 19}
)

func testNearest[T Float](t *testing.T, nearest nearestFn[T]) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, exact := range []bool{true, false} {
		for _, d := range nearestDs {
			for _, k := range nearestKs {
				for _, n := range nearestNs {
					nearestCase(t, nearest, rng, n, d, d+(n%3)*2, k, exact)
				}
			}
		}
	}
}

func TestNearestF64(t *testing.T) { testNearest(t, NearestF64) }
func TestNearestF32(t *testing.T) { testNearest(t, NearestF32) }

// Exactly tied centers (duplicates) must go to the lowest index, in every lane and group.
func testNearestTies[T Float](t *testing.T, nearest nearestFn[T]) {
	const n, d, k = 40, 3, 20
	x := make([]T, n*d)
	c := make([]T, k*d)
	for j := 0; j < k; j++ {
		for f := 0; f < d; f++ {
			c[j*d+f] = T((j / 4) + f) // centers 4m … 4m+3 are equal
		}
	}
	for i := 0; i < n; i++ {
		copy(x[i*d:i*d+d], c[(i%k)*d:(i%k)*d+d])
	}
	cnorm := make([]T, k)
	sqNormsGeneric(c, d, k, d, cnorm)
	labels := make([]int32, n)
	part := make([]T, n)
	nearest(x, d, n, d, c, k, cnorm, labels, part)
	for i, l := range labels {
		if want := int32((i % k) / 4 * 4); l != want {
			t.Fatalf("row %d: label %d, want the lowest tied index %d", i, l, want)
		}
	}
}

func TestNearestTiesF64(t *testing.T) { testNearestTies(t, NearestF64) }
func TestNearestTiesF32(t *testing.T) { testNearestTies(t, NearestF32) }
