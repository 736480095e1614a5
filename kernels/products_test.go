package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// NearestProducts must give, bit for bit, the reference loop's labels and minima on every
// backend: its values are single roundings of cnorm − 2·p, so there is no accuracy slack to
// allow. Ties are forced by repeating values (the lowest index must win), the products' row
// stride exceeds k, and every slice is guarded (a value read past the products or norms would
// be −Inf and win; a stray write would change a sentinel).
func TestNearestProductsMatchesReference(t *testing.T) {
	t.Run("f64", func(t *testing.T) { nearestProductsCases[float64](t, NearestProductsF64) })
	t.Run("f32", func(t *testing.T) { nearestProductsCases[float32](t, NearestProductsF32) })
}

func nearestProductsCases[T Float](t *testing.T, fn func([]T, int, int, int, []T, []int32, []T)) {
	rng := rand.New(rand.NewPCG(11, 12))
	// Every k up to three float32 vectors and one, then the AVX-512 sweep's 64-lane masks: a
	// whole mask, one and a half, several with a partial last one.
	ks := []int{56, 64, 72, 80, 96, 128, 136, 200, 208}
	for k := 1; k <= 3*16+1; k++ {
		ks = append(ks, k)
	}
	for _, k := range ks {
		for _, n := range []int{1, 2, 7, 33} {
			for _, draw := range []productsDraw{drawSpread, drawTies, drawSpecials} {
				t.Run(fmt.Sprintf("k=%d/n=%d/draw=%d", k, n, draw), func(t *testing.T) {
					nearestProductsCase(t, fn, rng, n, k, k+rng.IntN(3), draw)
				})
			}
		}
	}
}

// productsDraw is how a case draws its products and norms.
type productsDraw int

const (
	drawSpread   productsDraw = iota // normal values: ties by chance only
	drawTies                         // few distinct values: many exact ties, the lowest index must win
	drawSpecials                     // NaN, ±Inf, ±0 among them: the reference's strict < from v_0 decides
)

func nearestProductsCase[T Float](t *testing.T, fn func([]T, int, int, int, []T, []int32, []T), rng *rand.Rand, n, k, ld int, how productsDraw) {
	// A value read past the products or norms must win the minimum, where a NaN would be passed
	// over: +Inf products and −Inf norms make it −Inf.
	inf := T(math.Inf(1))
	nan := T(math.NaN())
	gp, prod := newGuarded[T]((n-1)*ld+k, inf)
	gc, cnorm := newGuarded[T](k, -inf)
	gl, labels := newGuarded[int32](n, -7)
	gq, part := newGuarded[T](n, nan)
	specials := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1, 2}
	draw := func() T {
		switch how {
		case drawTies:
			return T(rng.IntN(4))
		case drawSpecials:
			if rng.IntN(3) == 0 {
				return T(specials[rng.IntN(len(specials))])
			}
			return T(rng.IntN(3))
		}
		return T(rng.NormFloat64() * 10)
	}
	for j := range cnorm {
		cnorm[j] = T(math.Abs(float64(draw())))
	}
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			prod[i*ld+j] = draw()
		}
		for j := k; j < ld && i+1 < n; j++ {
			prod[i*ld+j] = inf // the gap between rows is never read
		}
	}
	fn(prod, ld, n, k, cnorm, labels, part)
	wantL, wantP := make([]int32, n), make([]T, n)
	nearestProducts(prod, ld, n, k, cnorm, wantL, wantP)
	for i := 0; i < n; i++ {
		if labels[i] != wantL[i] || !same(part[i], wantP[i]) {
			t.Fatalf("row %d: label %d part %v, reference %d %v (backend %s)", i, labels[i], part[i], wantL[i], wantP[i], Active())
		}
	}
	gp.check(t, "products")
	gc.check(t, "cnorm")
	gl.check(t, "labels")
	gq.check(t, "part")
}

// Given the products NearestF64's tile forms (its values with zero norms are −2·x·c exactly),
// NearestProducts returns NearestF64's own labels and minima: the property the GEMM-tile
// callers rely on.
func TestNearestProductsEqualsNearest(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, s := range []struct{ n, d, k int }{{40, 3, 8}, {70, 33, 16}, {50, 64, 64}, {9, 17, 24}} {
		x, c := make([]float64, s.n*s.d), make([]float64, s.k*s.d)
		for i := range x {
			x[i] = float64(rng.IntN(5)) + rng.Float64()
		}
		for i := range c {
			c[i] = float64(rng.IntN(5)) + rng.Float64()
		}
		copy(c[s.d:2*s.d], c[:s.d]) // two equal centers: a tie on every row
		zero, cnorm := make([]float64, s.k), make([]float64, s.k)
		SqNormsF64(c, s.d, s.k, s.d, cnorm)
		vals := make([]float64, s.n*s.k)
		ValuesF64(x, s.d, s.n, s.d, c, s.k, zero, vals)
		prod := make([]float64, s.n*s.k)
		for i, v := range vals {
			prod[i] = v / -2
		}
		gotL, wantL := make([]int32, s.n), make([]int32, s.n)
		gotP, wantP := make([]float64, s.n), make([]float64, s.n)
		NearestProductsF64(prod, s.k, s.n, s.k, cnorm, gotL, gotP)
		NearestF64(x, s.d, s.n, s.d, c, s.k, cnorm, wantL, wantP)
		for i := range gotL {
			if gotL[i] != wantL[i] || gotP[i] != wantP[i] {
				t.Fatalf("%v row %d: label %d part %v, NearestF64 %d %v", s, i, gotL[i], gotP[i], wantL[i], wantP[i])
			}
		}
	}
}

// The new kernels never allocate either (see TestKernelsDoNotAllocate).
func TestProductKernelsDoNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	const n, k = 50, 64
	prod, cnorm, xnorm := make([]float64, n*k), make([]float64, k), make([]float64, n)
	prod32, cnorm32 := make([]float32, n*k), make([]float32, k)
	lab, part, part32 := make([]int32, n), make([]float64, n), make([]float32, n)
	out, out32 := make([]float64, n*k), make([]float32, n*k)
	calls := map[string]func(){
		"NearestProducts": func() {
			NearestProductsF64(prod, k, n, k, cnorm, lab, part)
			NearestProductsF32(prod32, k, n, k, cnorm32, lab, part32)
		},
		"Distances": func() {
			DistancesF64(prod, k, n, k-1, cnorm, xnorm, true, out, k)
			DistancesF32(prod, k, n, k, cnorm, xnorm, false, out32, k)
		},
	}
	for name, call := range calls {
		if a := testing.AllocsPerRun(20, call); a != 0 {
			t.Errorf("%s allocates %.1f times per call on backend %s", name, a, Active())
		}
	}
}
