package gemm

// Rational sums over poles d[i] shifted by an origin o and an offset τ, δ_i = (d[i] − o) − τ,
// computed in that order (the origin is a nearby pole, so d[i] − o is exact and δ_i keeps its
// relative accuracy). They are the inner loops of the secular equation of divide-and-conquer
// eigensolvers: one division per term, which SIMD makes eight times wider.

// PoleSums returns Σ z[i]²/δ_i and Σ (z[i]/δ_i)² over i < len(d) (z at least as long).
func PoleSums(d, z []float64, o, tau float64) (s, ds float64) {
	z = z[:len(d)]
	if len(d) == 0 {
		return 0, 0
	}
	if FastLevel1() {
		return poleSumsAVX512(&d[0], &z[0], len(d), o, tau)
	}
	return poleSumsGeneric(d, z, o, tau)
}

// PoleQuotients sets out[i] = z[i]/δ_i for i < len(d) and returns Σ out[i]².
func PoleQuotients(d, z []float64, o, tau float64, out []float64) float64 {
	z, out = z[:len(d)], out[:len(d)]
	if len(d) == 0 {
		return 0
	}
	if FastLevel1() {
		return poleQuotientsAVX512(&d[0], &z[0], len(d), o, tau, &out[0])
	}
	return poleQuotientsGeneric(d, z, o, tau, out)
}

// PoleRatios multiplies p[i] by δ_i/(d[i] − c) for i < len(d).
func PoleRatios(d []float64, o, tau, c float64, p []float64) {
	p = p[:len(d)]
	if len(d) == 0 {
		return
	}
	if FastLevel1() {
		poleRatiosAVX512(&d[0], len(d), o, tau, c, &p[0])
		return
	}
	poleRatiosGeneric(d, o, tau, c, p)
}

func poleSumsGeneric(d, z []float64, o, tau float64) (s, ds float64) {
	for i, v := range d {
		t := z[i] / ((v - o) - tau)
		s += z[i] * t
		ds += t * t
	}
	return s, ds
}

func poleQuotientsGeneric(d, z []float64, o, tau float64, out []float64) float64 {
	var ss float64
	for i, v := range d {
		t := z[i] / ((v - o) - tau)
		out[i] = t
		ss += t * t
	}
	return ss
}

func poleRatiosGeneric(d []float64, o, tau, c float64, p []float64) {
	for i, v := range d {
		p[i] *= ((v - o) - tau) / (v - c)
	}
}
