package gemm

import (
	"math"

	"github.com/fastmva/fastmva/kernels"
)

// ProductsF64 writes out[t] = Σ_p x[p]·c[js[t]·ldc + p] over p = 0..len(x)−1 for each t: the
// products of one row with a few chosen rows of c, each bit for bit the product MulRows gives
// for that row and center (one chain over p in index order from zero: fused multiply-adds under
// the SIMD micro-kernels, s += x·b under the generic one). It serves a caller that needs the
// exact float64 products of a row with a few centers, where MulRows would run a whole tile of
// rows against every center; four chains go at once, so that their FMAs overlap.
func ProductsF64(x, c []float64, ldc int, js []int32, out []float64) {
	d := len(x)
	if len(out) < len(js) {
		panic("gemm: ProductsF64 out shorter than js")
	}
	for _, j := range js {
		if j < 0 || (d > 0 && int(j)*ldc+d > len(c)) {
			panic("gemm: ProductsF64 row outside c")
		}
	}
	fused := kern64.name != kernels.Generic
	for len(js) > 0 {
		m := min(len(js), 4)
		var rows [4][]float64
		for t := range rows {
			j := int(js[min(t, m-1)]) // short groups repeat their last row (its sums dropped)
			rows[t] = c[j*ldc : j*ldc+d : j*ldc+d]
		}
		s := productChains(x, rows, fused)
		copy(out[:m], s[:m])
		js, out = js[m:], out[m:]
	}
}

// productChains is four chains of x against the four rows (each of len(x) values).
func productChains(x []float64, rows [4][]float64, fused bool) [4]float64 {
	r0, r1, r2, r3 := rows[0][:len(x)], rows[1][:len(x)], rows[2][:len(x)], rows[3][:len(x)]
	var s0, s1, s2, s3 float64
	if fused {
		for p, v := range x {
			s0 = math.FMA(v, r0[p], s0)
			s1 = math.FMA(v, r1[p], s1)
			s2 = math.FMA(v, r2[p], s2)
			s3 = math.FMA(v, r3[p], s3)
		}
	} else {
		for p, v := range x {
			s0 += v * r0[p]
			s1 += v * r1[p]
			s2 += v * r2[p]
			s3 += v * r3[p]
		}
	}
	return [4]float64{s0, s1, s2, s3}
}
