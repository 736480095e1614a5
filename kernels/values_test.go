package kernels

import (
	"math/rand/v2"
	"testing"
)

type valuesFn[T Float] func(x []T, ldx, n, d int, c []T, k int, cnorm, out []T)

// valuesCase checks, for one shape with guards around every slice, that each value is within
// nearestTol of the reference's and that the argmin of every row's values (lowest j on ties) is
// exactly the active NearestF* label with its part bit for bit: the triangle-inequality k-means
// relies on the values being the very numbers nearest compares.
func valuesCase[T Float](t testing.TB, values valuesFn[T], nearest nearestFn[T], rng *rand.Rand, n, d, ldx, k int, exact bool) {
	t.Helper()
	gx, x := matrix[T](rng, n, d, ldx, exact)
	gc, c := matrix[T](rng, k, d, d, exact)
	gn, cnorm := newGuarded(k, nan[T]())
	sqNormsGeneric(c, d, k, d, cnorm)
	gv, out := newGuarded(n*k, nan[T]())
	values(x, ldx, n, d, c, k, cnorm, out)
	labels := make([]int32, n)
	part := make([]T, n)
	nearest(x, ldx, n, d, c, k, cnorm, labels, part)
	ref := make([]T, k)
	for i := 0; i < n; i++ {
		row := x[i*ldx : i*ldx+d]
		valuesGeneric(row, ldx, 1, d, c, k, cnorm, ref, nil)
		best := 0
		for j := 0; j < k; j++ {
			got := out[i*k+j]
			tol := nearestTol(row, c[j*d:j*d+d], cnorm[j])
			if diff := float64(got - ref[j]); !(diff <= tol && -diff <= tol) || (exact && !same(got, ref[j])) {
				t.Fatalf("n=%d d=%d k=%d row %d center %d: %v, reference %v (tolerance %g)", n, d, k, i, j, got, ref[j], tol)
			}
			if got < out[i*k+best] {
				best = j
			}
		}
		if int32(best) != labels[i] || !same(out[i*k+best], part[i]) {
			t.Fatalf("n=%d d=%d k=%d row %d: argmin of the values %d (%v), nearest %d (%v)", n, d, k, i, best, out[i*k+best], labels[i], part[i])
		}
	}
	for _, g := range []interface{ check(testing.TB, string) }{gx, gc, gn, gv} {
		g.check(t, "values")
	}
}

func testValues[T Float](t *testing.T, values valuesFn[T], nearest nearestFn[T]) {
	rng := rand.New(rand.NewPCG(11, 3))
	for _, exact := range []bool{true, false} {
		for _, d := range nearestDs {
			for _, k := range append(nearestKs, 63, 64, 65, 130) {
				for _, n := range nearestNs {
					valuesCase(t, values, nearest, rng, n, d, d+(n%3)*2, k, exact)
				}
			}
		}
	}
}

func TestValuesF64(t *testing.T) { testValues(t, ValuesF64, NearestF64) }
func TestValuesF32(t *testing.T) { testValues(t, ValuesF32, NearestF32) }

// With the scratch (PackLen), values and nearest take the streaming pass where it applies (AVX-512,
// k ≤ 8, d > 64, whole tiles; wide_amd64.go): its values must still be the reference's and the very
// numbers its labels come from.
func TestValuesPackedF64(t *testing.T) {
	testValuesPacked(t, ValuesPackedF64, NearestPackedF64)
}

func TestValuesPackedF32(t *testing.T) {
	testValuesPacked(t, ValuesPackedF32, NearestPackedF32)
}

func testValuesPacked[T Float](t *testing.T,
	values func(x []T, ldx, n, d int, c []T, k int, cnorm, out, pack []T),
	nearest func(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part, pack []T)) {
	rng := rand.New(rand.NewPCG(12, 5))
	for _, exact := range []bool{true, false} {
		for _, d := range []int{65, 96, 127, 128, 200, 256, 1024} {
			pack := make([]T, PackLen(d))
			withPack := func(x []T, ldx, n, d int, c []T, k int, cnorm, out []T) {
				values(x, ldx, n, d, c, k, cnorm, out, pack)
			}
			nearestPack := func(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part []T) {
				nearest(x, ldx, n, d, c, k, cnorm, labels, part, make([]T, PackLen(d)))
			}
			for _, k := range []int{1, 2, 3, 5, 8, 9} {
				for _, n := range []int{1, 31, 32, 33, 64, 100} {
					valuesCase(t, withPack, nearestPack, rng, n, d, d+(n%3)*2, k, exact)
				}
			}
		}
	}
}
