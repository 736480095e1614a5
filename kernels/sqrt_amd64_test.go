//go:build amd64 && !purego && !noasm

package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The AVX-512 root keeps its estimate only where an exact check proves it the correctly rounded
// root, and takes VSQRTPD for the vector otherwise (_gen/sqrt.go). The estimate is always right
// on its own (TestDistancesRootIsSqrt), so no ordinary input reaches the fallback; here each
// lane of the estimate is moved one ulp up (caught by the check's lower bound, e > −y·u⁻) or
// down (its upper bound, e ≤ y·u⁺), one lane at a time, and every root must still be math.Sqrt's:
// a check that let either through would leave that lane an ulp off.
func TestSqrtCheckSendsWrongEstimatesToVSQRTPD(t *testing.T) {
	if !cpuHas(AVX512) {
		t.Skip("the checked root is AVX-512 code; this CPU has no AVX-512")
	}
	rng := rand.New(rand.NewPCG(45, 46))
	var vals []float64
	for i := 0; i < 4000; i++ {
		y := math.Ldexp(1+rng.Float64(), rng.IntN(800)-400)
		up := math.Nextafter(y, math.Inf(1))
		mid := y + (up-y)/2 // exact: one bit more than y
		vals = append(vals, y*y, mid*mid, math.Nextafter(mid*mid, 0), math.Ldexp(rng.Float64()+0.5, rng.IntN(1600)-800))
	}
	for e := -880; e <= 1023; e += 7 { // powers of two, where the ulp below y halves
		vals = append(vals, math.Ldexp(1, e), math.Nextafter(math.Ldexp(1, e), 0))
	}
	vals = vals[:len(vals)/8*8]
	check := func(nudge [8]int64) {
		got := append([]float64(nil), vals...)
		sqrtNudgedAVX512(&got[0], len(got), &nudge[0])
		for i, v := range vals {
			if want := math.Sqrt(v); got[i] != want {
				t.Fatalf("nudge %v: root of %v (%#x) = %v (%#x), math.Sqrt %v (%#x)", nudge, v,
					math.Float64bits(v), got[i], math.Float64bits(got[i]), want, math.Float64bits(want))
			}
		}
	}
	check([8]int64{}) // the estimate alone
	for lane := 0; lane < 8; lane++ {
		for _, ulps := range []int64{1, -1, 2, -2} {
			var nudge [8]int64
			nudge[lane] = ulps
			check(nudge)
		}
	}
}
