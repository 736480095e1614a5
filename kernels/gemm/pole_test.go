package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPoleKernels: PoleSums, PoleQuotients and PoleRatios against their references for every
// length 0..40, with the origin one of the poles (as the secular equation has it) and a guard
// after out/p. Each term is one division (and a product) either way, so terms agree to a few
// ulps and sums within (n+2)·eps of the sum of magnitudes.
func TestPoleKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for n := 0; n <= 40; n++ {
		d, z := make([]float64, n), make([]float64, n)
		for i := range d {
			d[i] = float64(i) + rng.Float64()*0.5
			z[i] = rng.NormFloat64()
		}
		o, tau := 0.0, 0.3
		if n > 0 {
			o = d[n/2]
		}
		s, ds := PoleSums(d, z, o, tau)
		ws, wds := poleSumsGeneric(d, z, o, tau)
		var ms float64
		for i := range d {
			ms += math.Abs(z[i] * z[i] / ((d[i] - o) - tau))
		}
		tol := float64(n+2) * 0x1p-52
		if math.Abs(s-ws) > tol*ms || math.Abs(ds-wds) > tol*wds {
			t.Fatalf("PoleSums n=%d: %v %v, want %v %v", n, s, ds, ws, wds)
		}

		out, ref := make([]float64, n+1), make([]float64, n+1)
		out[n], ref[n] = 12345, 12345
		ss := PoleQuotients(d, z, o, tau, out[:n])
		wss := poleQuotientsGeneric(d, z, o, tau, ref[:n])
		if math.Abs(ss-wss) > tol*wss || out[n] != 12345 {
			t.Fatalf("PoleQuotients n=%d: Σ %v, want %v (guard %v)", n, ss, wss, out[n])
		}
		for i := 0; i < n; i++ {
			if math.Abs(out[i]-ref[i]) > 0x1p-51*math.Abs(ref[i]) {
				t.Fatalf("PoleQuotients n=%d: out[%d] = %v, want %v", n, i, out[i], ref[i])
			}
		}

		p, q := make([]float64, n+1), make([]float64, n+1)
		for i := 0; i < n; i++ {
			p[i] = rng.NormFloat64()
			q[i] = p[i]
		}
		p[n], q[n] = 12345, 12345
		c := -1.25
		PoleRatios(d, o, tau, c, p[:n])
		poleRatiosGeneric(d, o, tau, c, q[:n])
		for i := 0; i <= n; i++ {
			if math.Abs(p[i]-q[i]) > 0x1p-50*math.Abs(q[i]) {
				t.Fatalf("PoleRatios n=%d: p[%d] = %v, want %v", n, i, p[i], q[i])
			}
		}
	}
}
