package decomp

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
)

// TestNonFiniteRejected: a NaN or ±Inf anywhere in X is refused with a message naming it and its
// place, by both solvers, in float32 and float64, whether the SVD runs on X itself (the check
// rides on ‖X‖² or the Gram trace) or on a prepared copy (checked first); finite entries whose
// squares overflow are refused as such, not decomposed into garbage.
func TestNonFiniteRejected(t *testing.T) {
	testNonFinite[float64](t)
	testNonFinite[float32](t)
}

func testNonFinite[T dense.Float](t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const m, n = 700, 40
	for _, solver := range []Solver{SolverExact, SolverRandomized} {
		for _, centre := range []Centre{CentreNone, CentreNavigation} {
			for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64} {
				x := make([]T, m*n)
				for i := range x {
					x[i] = T(rng.NormFloat64())
				}
				i, j := rng.IntN(m), rng.IntN(n)
				want := fmt.Sprintf("row %d, column %d", i, j)
				if bad == math.MaxFloat64 {
					if _, f32 := any(x).([]float32); f32 || centre != CentreNone {
						// float32: not representable (it would be +Inf). Centring subtracts the
						// huge column mean: what is left may or may not overflow.
						continue
					}
					x[i*n+j] = T(bad)
					want = "overflows"
				} else {
					x[i*n+j] = T(bad)
				}
				p := Params{Components: 3, Solver: solver, Centre: centre, PowerIters: 2}
				o := Output[T]{S: make([]float64, 3)}
				_, err := SVD(dense.Matrix[T]{Data: x, Rows: m, Cols: n, Stride: n}, p, o)
				label := fmt.Sprintf("%T solver %d centre %d value %v", x[0], solver, centre, bad)
				if !errors.Is(err, fault.ErrInvalid) || !strings.Contains(err.Error(), want) {
					t.Fatalf("%s: error %v, want an invalid-argument error mentioning %q", label, err, want)
				}
			}
		}
	}
}
