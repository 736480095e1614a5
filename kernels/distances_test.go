package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// DistancesF64/F32 are bit for bit the reference loop on every backend, for every tail of the
// columns (whole vectors in assembly, the rest in Go), with products whose expansion falls
// below zero (clipped to +0), to exactly zero, and above; NaN fills the gaps between the rows of
// the products (never read) and guards surround every slice (never written).
func TestDistancesMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for cols := 0; cols <= 3*8+1; cols++ {
		for _, rows := range []int{1, 3, 10} {
			for _, root := range []bool{false, true} {
				name := fmt.Sprintf("cols=%d/rows=%d/root=%v", cols, rows, root)
				t.Run("f64/"+name, func(t *testing.T) { distancesCase(t, DistancesF64, rng, rows, cols, root) })
				t.Run("f32/"+name, func(t *testing.T) { distancesCase(t, DistancesF32, rng, rows, cols, root) })
			}
		}
	}
}

func distancesCase[T Float](t *testing.T, fn func([]float64, int, int, int, []float64, []float64, bool, []T, int), rng *rand.Rand, rows, cols int, root bool) {
	nan := math.NaN()
	ldp, ldo := cols+1, cols+2
	gp, prod := newGuarded[float64]((rows-1)*ldp+cols, nan)
	gc, cnorm := newGuarded[float64](cols, nan)
	gx, xnorm := newGuarded[float64](rows, nan)
	gout, out := newGuarded[T]((rows-1)*ldo+cols, T(-1))
	for j := range cnorm {
		cnorm[j] = float64(rng.IntN(4))
	}
	for r := range xnorm {
		xnorm[r] = float64(rng.IntN(4))
	}
	for r := 0; r < rows; r++ {
		for j := 0; j < cols; j++ {
			switch rng.IntN(3) {
			case 0: // exactly ‖x‖² + ‖c‖² over 2: the expansion is 0
				prod[r*ldp+j] = (xnorm[r] + cnorm[j]) / 2
			default:
				prod[r*ldp+j] = rng.NormFloat64() * 3
			}
		}
	}
	want := make([]T, len(out))
	copy(want, out)
	distancesGeneric(prod, ldp, rows, cols, cnorm, xnorm, root, want, ldo)
	fn(prod, ldp, rows, cols, cnorm, xnorm, root, out, ldo)
	for i := range out {
		if !same(out[i], want[i]) {
			t.Fatalf("out[%d] = %v, reference %v (backend %s)", i, out[i], want[i], Active())
		}
	}
	gp.check(t, "prod")
	gc.check(t, "cnorm")
	gx.check(t, "xnorm")
	gout.check(t, "out")
}

// The root of DistancesF64/F32 (an estimate checked exactly on AVX-512, see _gen/sqrt.go) is
// math.Sqrt bit for bit: on squares of random doubles and their neighbours (roots that are
// doubles), on the squares of midpoints between neighbouring doubles and their neighbours (the
// hardest roundings), on powers of two and their neighbours (an ulp that halves below y), on
// values spread over every exponent, and on the values the estimate leaves to VSQRTPD (0, tiny
// and subnormal, huge, +Inf, NaN), placed in vectors with ordinary values.
func TestDistancesRootIsSqrt(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	var vals []float64
	near := func(v float64) {
		for _, w := range []float64{v, math.Nextafter(v, 0), math.Nextafter(v, math.Inf(1))} {
			vals = append(vals, w, math.Nextafter(w, 0), math.Nextafter(w, math.Inf(1)))
		}
	}
	for i := 0; i < 20000; i++ {
		y := math.Ldexp(1+rng.Float64(), rng.IntN(200)-100)
		near(y * y)
		mid := y + (math.Nextafter(y, math.Inf(1))-y)/2 // exact: one bit more than y
		near(mid * mid)
		vals = append(vals, math.Ldexp(rng.Float64(), rng.IntN(2000)-1000))
	}
	for e := -1074; e <= 1023; e++ {
		near(math.Ldexp(1, e))
	}
	for _, v := range []float64{0, math.SmallestNonzeroFloat64, 1e-300, 1e300, math.MaxFloat64, math.Inf(1), math.NaN()} {
		for i := 0; i < 9; i++ { // v alone in a vector of ordinary values, and whole vectors of it
			vals = append(vals, 2+float64(i), v)
		}
		vals = append(vals, v, v, v, v, v, v, v, v)
	}
	cols := len(vals)
	zeros := make([]float64, cols)
	out := make([]float64, cols)
	out32 := make([]float32, cols)
	// The values are the column norms, with xnorm = 0 and prod = 0: s = 0 + (c − 2·0) = c.
	DistancesF64(zeros, cols, 1, cols, vals, []float64{0}, true, out, cols)
	DistancesF32(zeros, cols, 1, cols, vals, []float64{0}, true, out32, cols)
	for j, v := range vals {
		if !(v > 0) { // the clip: NaN too
			v = 0
		}
		want := math.Sqrt(v)
		// float32 output: the root of the value rounded to float32, correctly rounded
		// (scikit-learn's order), which the float64 root of that float32 value is.
		want32 := float32(math.Sqrt(float64(float32(v))))
		if !same(out[j], want) || !same(out32[j], want32) {
			t.Fatalf("root of %v (%#x) = %v / %v, math.Sqrt %v (backend %s)", vals[j], math.Float64bits(vals[j]), out[j], out32[j], want, Active())
		}
	}
}

// DistancesStreamF64/F32 give DistancesF64/F32's values, written only where those are, whatever
// out's alignment (every shift within a line) and row stride (rows a whole number of lines
// long, split alike, or not, split each on its own), with columns before the first aligned line
// and after the last whole vector.
func TestDistancesStreamMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(45, 46))
	for _, cols := range []int{1, 7, 8, 9, 16, 17, 33, 64, 67} {
		for _, ldo := range []int{cols, cols + 3, (cols + 15) / 16 * 16} {
			for shift := 0; shift < 16; shift++ {
				for _, root := range []bool{false, true} {
					name := fmt.Sprintf("cols=%d/ldo=%d/shift=%d/root=%v", cols, ldo, shift, root)
					streamCase(t, "f64/"+name, DistancesStreamF64, rng, cols, ldo, shift%8, root)
					streamCase(t, "f32/"+name, DistancesStreamF32, rng, cols, ldo, shift, root)
				}
			}
		}
	}
}

func streamCase[T Float](t *testing.T, name string, fn func([]float64, int, int, int, []float64, []float64, bool, []T, int), rng *rand.Rand, cols, ldo, shift int, root bool) {
	const rows = 5
	prod := make([]float64, rows*cols)
	cnorm := make([]float64, cols)
	xnorm := make([]float64, rows)
	for i := range prod {
		prod[i] = rng.NormFloat64() * 3
	}
	for j := range cnorm {
		cnorm[j] = float64(rng.IntN(8))
	}
	for r := range xnorm {
		xnorm[r] = float64(rng.IntN(8))
	}
	g, buf := newGuarded[T](shift+rows*ldo, T(-1))
	out := buf[shift:]
	want := make([]T, len(buf))
	copy(want, buf)
	distancesGeneric(prod, cols, rows, cols, cnorm, xnorm, root, want[shift:], ldo)
	fn(prod, cols, rows, cols, cnorm, xnorm, root, out[:(rows-1)*ldo+cols], ldo)
	for i := range buf {
		if !same(buf[i], want[i]) {
			t.Fatalf("%s: out[%d] = %v, reference %v (backend %s)", name, i-shift, buf[i], want[i], Active())
		}
	}
	g.check(t, name)
}
