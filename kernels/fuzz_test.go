package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// FuzzKernels drives the active backend and the reference loops with the same shapes and
// values and fails on any difference beyond the stated bounds. The seeds run in every plain
// `go test`; `go test -fuzz FuzzKernels ./kernels` searches further.
func FuzzKernels(f *testing.F) {
	f.Add(uint8(5), uint8(3), uint8(8), uint8(0), uint64(1), false)
	f.Add(uint8(33), uint8(17), uint8(19), uint8(2), uint64(2), true)
	f.Add(uint8(1), uint8(1), uint8(1), uint8(0), uint64(3), false)
	f.Add(uint8(70), uint8(64), uint8(9), uint8(5), uint64(4), true)
	f.Add(uint8(0), uint8(0), uint8(3), uint8(0), uint64(5), false)
	f.Fuzz(func(t *testing.T, n, d, k, pad uint8, seed uint64, exact bool) {
		rng := rand.New(rand.NewPCG(seed, 0))
		nn, dd, kk, ldx := int(n)%80, int(d)%70, 1+int(k)%24, int(d)%70+int(pad)%5
		nearestCase(t, NearestF64, rng, nn, dd, ldx, kk, exact)
		nearestCase(t, NearestF32, rng, nn, dd, ldx, kk, exact)
		lloydCase(t, LloydF64, rng, nn, dd, ldx, kk, exact, seed%2 == 0)
		lloydCase(t, LloydF32, rng, nn, dd, ldx, kk, exact, seed%2 == 1)
		valuesCase(t, ValuesF64, NearestF64, rng, nn, dd, ldx, kk, exact)
		valuesCase(t, ValuesF32, NearestF32, rng, nn, dd, ldx, kk, exact)
		centerDistsCase(t, CenterDistsF64, rng, nn, dd, ldx, kk)
		centerDistsCase(t, CenterDistsF32, rng, nn, dd, ldx, kk)
		marginFuzzCase(t, rng, nn, 33+int(k)%32, int(pad)%3)
		narrowFuzzCase(t, rng, nn, dd, ldx)
		_, a := matrix[float64](rng, 1, int(n)+int(d), 0, false)
		_, b := matrix[float64](rng, 1, len(a), 0, false)
		if diff := math.Abs(DotF64(a, b) - dotGeneric(a, b)); !(diff <= dotBound(a, b)) {
			t.Fatalf("dot of length %d differs by %g", len(a), diff)
		}
	})
}

// centerDistsCase compares CenterDists (where the backend has its panel) with the reference
// roots bit for bit, on n rows at stride ldx against k centers.
func centerDistsCase[T Float](t *testing.T, dists func(p *CenterPanel, x []T, ldx, n int, out []T, ldo int, scratch []float64), rng *rand.Rand, n, d, ldx, k int) {
	_, x := matrix[T](rng, n, d, ldx, false)
	_, c := matrix[T](rng, k, d, d, false)
	p := NewCenterPanel(c, d, k)
	if p == nil {
		return
	}
	out, want := make([]T, n*k), make([]T, n*k)
	dists(p, x, ldx, n, out, k, make([]float64, p.ScratchLen(n)))
	centerDistsGeneric(x, ldx, n, d, c, k, want, k)
	for i := range out {
		if !same(out[i], want[i]) {
			t.Fatalf("%T CenterDists n=%d d=%d k=%d value %d: %v, reference %v", x, n, d, k, i, out[i], want[i])
		}
	}
}

// marginFuzzCase compares NearestProductsMarginF32 with its reference loop on n rows of k (33…64,
// the assembly's range) products at stride k + pad, margins about the values' spread.
func marginFuzzCase(t *testing.T, rng *rand.Rand, n, k, pad int) {
	if n == 0 {
		return
	}
	ld := k + pad
	prod, cnorm, margin := make([]float32, (n-1)*ld+k), make([]float32, k), make([]float32, n)
	for i := range prod {
		prod[i] = float32(rng.NormFloat64())
	}
	for j := range cnorm {
		cnorm[j] = float32(rng.Float64() * 4)
	}
	for i := range margin {
		margin[i] = float32(rng.ExpFloat64() * 0.05)
	}
	got, want := make([]int32, n), make([]int32, n)
	u := NearestProductsMarginF32(prod, ld, n, k, cnorm, margin, got)
	if wu := nearestProductsMargin(prod, ld, n, k, cnorm, margin, want); u != wu {
		t.Fatalf("NearestProductsMarginF32 n=%d k=%d: %d rows unsure, reference %d", n, k, u, wu)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("NearestProductsMarginF32 n=%d k=%d row %d: label %d, reference %d", n, k, i, got[i], want[i])
		}
	}
}

// narrowFuzzCase compares NarrowShiftedF64 and NarrowShiftedNormsF64 with the scalar conversion
// of each difference, bit for bit, on n rows of d values at stride ldx, and the fused pass's
// norms with SqDistF64's within γ_d twice (two orders of summation, each within γ_d of the
// exact sum; where a square overflows, both infinite).
func narrowFuzzCase(t *testing.T, rng *rand.Rand, n, d, ldx int) {
	src, shift, dst := make([]float64, max(0, (n-1)*ldx+d)), make([]float64, d), make([]float32, n*d)
	for i := range src {
		src[i] = rng.NormFloat64() * math.Exp2(float64(rng.IntN(300)-150))
	}
	for j := range shift {
		shift[j] = rng.NormFloat64() * math.Exp2(float64(rng.IntN(300)-150))
	}
	fused, norms := make([]float32, n*d), make([]float64, n)
	NarrowShiftedF64(dst, src, ldx, n, d, shift)
	NarrowShiftedNormsF64(fused, src, ldx, n, d, shift, norms)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			want := float32(src[i*ldx+j] - shift[j])
			if math.Float32bits(dst[i*d+j]) != math.Float32bits(want) {
				t.Fatalf("NarrowShiftedF64 n=%d d=%d row %d col %d: %v, want %v", n, d, i, j, dst[i*d+j], want)
			}
			if math.Float32bits(fused[i*d+j]) != math.Float32bits(want) {
				t.Fatalf("NarrowShiftedNormsF64 n=%d d=%d row %d col %d: %v, want %v", n, d, i, j, fused[i*d+j], want)
			}
		}
		ref := SqDistF64(src[i*ldx:i*ldx+d], shift)
		if math.IsInf(ref, 1) != math.IsInf(norms[i], 1) || math.Abs(norms[i]-ref) > 2*float64(d+2)*0x1p-53*ref*1.01+0x1p-1000 {
			t.Fatalf("NarrowShiftedNormsF64 n=%d d=%d row %d: norm %v, SqDistF64 %v", n, d, i, norms[i], ref)
		}
	}
}
