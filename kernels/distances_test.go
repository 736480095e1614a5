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
