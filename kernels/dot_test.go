package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// maxLen covers 3 × (widest vector: 16 float32 lanes) × (unroll: 4 accumulators), so every
// path through the vector, single-vector and scalar-tail loops is met several times.
const maxLen = 3 * 16 * 4

// dotBound is how far two dot products of a and b may be apart: each is within γ(n)·Σ|a_i·b_i|
// of the exact value whatever the order of summation, so they are within twice that of each
// other.
func dotBound[T Float](a, b []T) float64 {
	var s float64
	for i := range a {
		s += math.Abs(float64(a[i]) * float64(b[i]))
	}
	return 2 * gamma[T](len(a)) * s
}

func testDot[T Float](t *testing.T, dot func(a, b []T) T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for n := 0; n <= maxLen; n++ {
		ga, a := matrix[T](rng, 1, n, n, false)
		gb, b := matrix[T](rng, 1, n, n, false)
		if n == 0 {
			a, b = a[:0], b[:0]
		}
		got, want := dot(a, b), dotGeneric(a, b)
		if diff := math.Abs(float64(got) - float64(want)); !(diff <= dotBound(a, b)) {
			t.Fatalf("n=%d: dot = %v, reference %v, differ by %g > bound %g", n, got, want, diff, dotBound(a, b))
		}
		ga.check(t, "a")
		gb.check(t, "b")
	}
}

func TestDotF64(t *testing.T) { testDot(t, DotF64) }
func TestDotF32(t *testing.T) { testDot(t, DotF32) }

func testSqNorms[T Float](t *testing.T, sqNorms func(x []T, ldx, n, d int, out []T)) {
	rng := rand.New(rand.NewPCG(8, 8))
	for _, d := range []int{0, 1, 3, 7, 16, 31, 64, 65} {
		for _, pad := range []int{0, 3} {
			for n := 0; n <= 9; n++ {
				gx, x := matrix[T](rng, n, d, d+pad, false)
				gout, out := newGuarded(n, nan[T]())
				want := make([]T, n)
				sqNorms(x, d+pad, n, d, out)
				sqNormsGeneric(x, d+pad, n, d, want)
				for i := range want {
					row := x[i*(d+pad) : i*(d+pad)+d]
					if diff := math.Abs(float64(out[i] - want[i])); !(diff <= dotBound(row, row)) {
						t.Fatalf("d=%d n=%d row %d: %v, reference %v", d, n, i, out[i], want[i])
					}
				}
				gx.check(t, "x")
				gout.check(t, "out")
			}
		}
	}
}

func TestSqNormsF64(t *testing.T) { testSqNorms(t, SqNormsF64) }
func TestSqNormsF32(t *testing.T) { testSqNorms(t, SqNormsF32) }
