//go:build !purego && !noasm

package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The labels-only passes take the rows-in-lanes tiles where Lloyd's few-center pass does
// (nearestTransposed), and float64 rows in lanes of their own elsewhere (nearestRowsLanes):
// their labels and minima must be the gathering tile's (nearestP) bit for bit, at every width
// the tiles serve (deinterleaved, partial and whole 16×16 or 8×8 blocks), strided and
// contiguous rows, every k up to 8, row counts around the tile and its groups of 8, and a row
// holding a NaN; the rest of the rows go through nearestP. Guards catch a read or write past
// any slice.
func TestNearestTransposedEqualsTile(t *testing.T) {
	if Active() != AVX512 {
		t.Skip("AVX-512 kernels")
	}
	t.Run("f32", func(t *testing.T) {
		nearestTransposedCases(t, simdSet[float32, int32]{avx512: true, lanes: 16, rvs: 2})
	})
	t.Run("f64", func(t *testing.T) {
		nearestTransposedCases(t, simdSet[float64, int64]{avx512: true, lanes: 8, rvs: 2})
	})
}

func nearestTransposedCases[T Float, I lane](t *testing.T, s simdSet[T, I]) {
	labelers := []struct {
		name string
		run  func(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part []T) bool
	}{{"transposed", s.nearestTransposed}, {"rows in lanes", s.nearestRowsLanes}}
	for _, l := range labelers {
		t.Run(l.name, func(t *testing.T) { nearestLabelerCases(t, s, l.run, l.name == "transposed" || s.is64()) })
	}
}

// nearestLabelerCases runs every shape through one labels-only path (run), where it reports
// taking the shape; some shape must be taken if want.
func nearestLabelerCases[T Float, I lane](t *testing.T, s simdSet[T, I], run func(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part []T) bool, want bool) {
	rng := rand.New(rand.NewPCG(7, 8))
	taken := 0
	for _, d := range []int{1, 3, 4, 5, 7, 8, 10, 16, 17, 20, 32, 33, 48, 64} {
		for k := 1; k <= smallKCenters; k++ {
			for _, n := range []int{1, 7, 9, 31, 32, 33, 100, 300} {
				for _, gap := range []int{0, 3} {
					ldx := d + gap
					name := fmt.Sprintf("d=%d/k=%d/n=%d/ldx=%d", d, k, n, ldx)
					gx, x := newGuarded[T]((n-1)*ldx+d, T(1e30))
					for i := range x {
						x[i] = T(rng.NormFloat64())
					}
					if n > 5 {
						x[5*ldx+d-1] = T(math.NaN())
					}
					gc, c := newGuarded[T](k*d, T(1e30))
					for i := range c {
						c[i] = T(rng.NormFloat64())
					}
					if k > 1 {
						copy(c[d:2*d], c[:d]) // two equal centers: ties on every row
					}
					cnorm := make([]T, k)
					sqNormsGeneric(c, d, k, d, cnorm)
					gl, labels := newGuarded[int32](n, -7)
					gp, part := newGuarded[T](n, T(-1e30))
					if !run(x, ldx, n, d, c, k, cnorm, labels, part) {
						continue
					}
					taken++
					wantL, wantP := make([]int32, n), make([]T, n)
					s.nearestP(x, ldx, n, d, c, k, cnorm, wantL, wantP, nil)
					for i := 0; i < n; i++ {
						if i == 5 && labels[i] == wantL[i] && !finite(part[i]) && !finite(wantP[i]) {
							// The NaN row: the reference's least value is NaN (its first value
							// stands, as in rows in lanes), the gathering tile's +Inf (its
							// minimum starts there); predict's check takes either as not finite.
							continue
						}
						if labels[i] != wantL[i] || !same(part[i], wantP[i]) {
							t.Fatalf("%s row %d: label %d part %v, the gathering tile %d %v", name, i, labels[i], part[i], wantL[i], wantP[i])
						}
					}
					gx.check(t, name+" x")
					gc.check(t, name+" c")
					gl.check(t, name+" labels")
					gp.check(t, name+" part")
				}
			}
		}
	}
	if taken == 0 && want {
		t.Fatal("the path took none of the shapes")
	}
}

func finite[T Float](v T) bool { return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) }
