package kernels

import (
	"math/rand/v2"
	"slices"
	"testing"
)

type lloydPair[T Float] struct {
	lloyd   lloydFn[T]
	nearest nearestFn[T]
}

// The fused pass for few centers (AVX-512: centers along the lanes) must give exactly the labels
// NearestF64/F32 give, ties included — the lowest index — not merely labels within the error
// bound: its values are claimed to be the nearest tile's bit for bit, and Lloyd, its final
// assignment and the bound-based algorithms must agree on every row. Its sums must be the
// reference accumulation of those labels, bit for bit. The same holds for the rows-in-lanes
// tiles that take whole 32-row tiles of wider float32 rows. Shapes: every row count over three
// 32-row tiles and a tail, k over 1…8 (one vector of center lanes), d across the chunks of the
// sums, the 16-feature blocks of the transposition and the 64-feature limit of the path,
// strided rows, both weightings, integer data (many exact ties) and normal data.
func testLloydMatchesNearest[T Float](t *testing.T, p lloydPair[T]) {
	rng := rand.New(rand.NewPCG(21, 21))
	type shape struct{ n, d, k int }
	var shapes []shape
	for n := 0; n <= 3*32+1; n++ {
		shapes = append(shapes, shape{n, 3, 8}, shape{n, 10, 3}, shape{n, 24, 8})
	}
	for _, d := range []int{1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65} {
		for k := 1; k <= 8; k++ {
			shapes = append(shapes, shape{17 + d%5, d, k}, shape{64 + d%7, d, k})
		}
	}
	for i, s := range shapes {
		for _, exact := range []bool{true, false} {
			ldx := s.d + (i%2)*3
			gx, x := matrix[T](rng, s.n, s.d, ldx, exact)
			_, c := matrix[T](rng, s.k, s.d, s.d, exact)
			cnorm := make([]T, s.k)
			sqNormsGeneric(c, s.d, s.k, s.d, cnorm)
			w := weights[T](rng, s.n, i%3 == 0)
			gl, labels := newGuarded(s.n, int32(-7))
			gs, sums := newGuarded(s.k*s.d, 0.5)
			gw, wsum := newGuarded(s.k, 0.25)
			want, wantW := slices.Clone(sums), slices.Clone(wsum)
			p.lloyd(x, ldx, s.n, s.d, c, s.k, cnorm, w, labels, sums, wsum)
			ref := make([]int32, s.n)
			p.nearest(x, ldx, s.n, s.d, c, s.k, cnorm, ref, make([]T, s.n))
			if !slices.Equal(labels, ref) {
				t.Fatalf("n=%d d=%d k=%d ldx=%d exact=%v: labels differ from Nearest's", s.n, s.d, s.k, ldx, exact)
			}
			accumulateGeneric(x, ldx, s.n, s.d, labels, w, want, wantW)
			if !slices.Equal(sums, want) || !slices.Equal(wsum, wantW) {
				t.Fatalf("n=%d d=%d k=%d: sums differ from the reference accumulation", s.n, s.d, s.k)
			}
			gx.check(t, "x")
			gl.check(t, "labels")
			gs.check(t, "sums")
			gw.check(t, "wsum")
		}
	}
}

func TestLloydF64MatchesNearest(t *testing.T) {
	testLloydMatchesNearest(t, lloydPair[float64]{LloydF64, NearestF64})
}

func TestLloydF32MatchesNearest(t *testing.T) {
	testLloydMatchesNearest(t, lloydPair[float32]{LloydF32, NearestF32})
}
