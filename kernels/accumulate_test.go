package kernels

import (
	"math/rand/v2"
	"slices"
	"testing"
)

type lloydFn[T Float] func(x []T, ldx, n, d int, c []T, k int, cnorm, w []T, labels []int32, sums, wsum []float64)

func weights[T Float](rng *rand.Rand, n int, unit bool) []T {
	if unit {
		return nil
	}
	w := make([]T, n)
	for i := range w {
		w[i] = T(rng.Float64() * 3)
	}
	return w
}

// Accumulate does the reference's operations element by element in the same row order, so it
// must match bit for bit (sums start non-zero so the additions round).
func testAccumulate[T Float](t *testing.T, acc func(x []T, ldx, n, d int, labels []int32, w []T, sums, wsum []float64)) {
	rng := rand.New(rand.NewPCG(10, 10))
	for _, d := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 48} {
		for _, n := range []int{0, 1, 2, 7, 33} {
			for _, unit := range []bool{true, false} {
				const k = 5
				ldx := d + n%3
				_, x := matrix[T](rng, n, d, ldx, false)
				labels := make([]int32, n)
				for i := range labels {
					labels[i] = int32(rng.IntN(k))
				}
				w := weights[T](rng, n, unit)
				gs, sums := newGuarded(k*d, 0.5)
				gw, wsum := newGuarded(k, 0.25)
				want, wantW := slices.Clone(sums), slices.Clone(wsum)
				acc(x, ldx, n, d, labels, w, sums, wsum)
				accumulateGeneric(x, ldx, n, d, labels, w, want, wantW)
				if !slices.Equal(sums, want) || !slices.Equal(wsum, wantW) {
					t.Fatalf("d=%d n=%d unit=%v: sums differ from the reference", d, n, unit)
				}
				gs.check(t, "sums")
				gw.check(t, "wsum")
			}
		}
	}
}

func TestAccumulateF64(t *testing.T) { testAccumulate(t, AccumulateF64) }
func TestAccumulateF32(t *testing.T) { testAccumulate(t, AccumulateF32) }

// lloydCase checks the fused kernel against the reference pass: labels as checkNearest allows,
// and sums equal bit for bit to the reference accumulation of the labels the kernel chose (so a
// legitimate near-tie difference in a label does not fail the sums).
func lloydCase[T Float](t testing.TB, lloyd lloydFn[T], rng *rand.Rand, n, d, ldx, k int, exact, unit bool) {
	t.Helper()
	gx, x := matrix[T](rng, n, d, ldx, exact)
	_, c := matrix[T](rng, k, d, d, exact)
	cnorm := make([]T, k)
	sqNormsGeneric(c, d, k, d, cnorm)
	w := weights[T](rng, n, unit)
	gl, labels := newGuarded(n, int32(-7))
	gs, sums := newGuarded(k*d, 0.5)
	gw, wsum := newGuarded(k, 0.25)
	want, wantW := slices.Clone(sums), slices.Clone(wsum)
	lloyd(x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum)
	for i := 0; i < n; i++ {
		row := x[i*ldx : i*ldx+d]
		var ref [1]int32
		var p [1]T
		nearestGeneric(row, d, 1, d, c, k, cnorm, ref[:], p[:])
		got := cnorm[labels[i]] - 2*dotGeneric(row, c[int(labels[i])*d:int(labels[i])*d+d])
		if err := checkNearest(row, c, k, cnorm, labels[i], got, exact); err != nil {
			t.Fatalf("n=%d d=%d k=%d row %d: %v", n, d, k, i, err)
		}
	}
	accumulateGeneric(x, ldx, n, d, labels, w, want, wantW)
	if !slices.Equal(sums, want) || !slices.Equal(wsum, wantW) {
		t.Fatalf("n=%d d=%d k=%d: sums differ from the reference accumulation", n, d, k)
	}
	gx.check(t, "x")
	gl.check(t, "labels")
	gs.check(t, "sums")
	gw.check(t, "wsum")
}

func testLloyd[T Float](t *testing.T, lloyd lloydFn[T]) {
	rng := rand.New(rand.NewPCG(11, 11))
	for _, exact := range []bool{true, false} {
		for _, d := range []int{1, 3, 10, 17} {
			for _, k := range []int{1, 3, 8, 9, 17} {
				for _, n := range nearestNs {
					lloydCase(t, lloyd, rng, n, d, d+n%2, k, exact, n%2 == 0)
				}
			}
		}
	}
}

func TestLloydF64(t *testing.T) { testLloyd(t, LloydF64) }
func TestLloydF32(t *testing.T) { testLloyd(t, LloydF32) }

// With exact data the fused kernel and the reference pass must agree completely, labels and
// sums, which also pins the fused reference to its two halves.
func TestLloydGenericIsNearestThenAccumulate(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	const n, d, k = 50, 4, 6
	_, x := matrix[float64](rng, n, d, d, true)
	_, c := matrix[float64](rng, k, d, d, true)
	cnorm := make([]float64, k)
	sqNormsGeneric(c, d, k, d, cnorm)
	l1, l2 := make([]int32, n), make([]int32, n)
	s1, s2 := make([]float64, k*d), make([]float64, k*d)
	w1, w2 := make([]float64, k), make([]float64, k)
	lloydGeneric(x, d, n, d, c, k, cnorm, nil, l1, s1, w1)
	nearestGeneric(x, d, n, d, c, k, cnorm, l2, make([]float64, n))
	accumulateGeneric(x, d, n, d, l2, nil, s2, w2)
	if !slices.Equal(l1, l2) || !slices.Equal(s1, s2) || !slices.Equal(w1, w2) {
		t.Fatal("lloydGeneric differs from nearestGeneric followed by accumulateGeneric")
	}
}
