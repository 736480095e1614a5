package kernels

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// WidenF32 must equal the scalar conversion bit for bit for every length around the vector
// width and the 16-value step, special values included, without touching dst past len(src).
func TestWidenF32(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	specials := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		math.MaxFloat32, math.SmallestNonzeroFloat32, -1.5e-40}
	for n := 0; n <= 100; n++ {
		sg, src := newGuarded(n, float32(math.NaN()))
		for i := range src {
			src[i] = float32(rng.NormFloat64() * math.Exp2(float64(rng.IntN(60)-30)))
			if rng.IntN(8) == 0 {
				src[i] = specials[rng.IntN(len(specials))]
			}
		}
		dg, dst := newGuarded(n, math.NaN())
		WidenF32(dst, src)
		for i, v := range src {
			if math.Float64bits(dst[i]) != math.Float64bits(float64(v)) {
				t.Fatalf("n=%d i=%d: %v, want %v", n, i, dst[i], float64(v))
			}
		}
		sg.check(t, "src")
		dg.check(t, "dst")
	}
}

// NarrowShiftedF64 must equal float32(src − shift) bit for bit for every row length around the
// vector widths, strided rows, values where the difference cancels, overflows float32 or is NaN,
// without touching dst past its n·d values.
func TestNarrowShiftedF64(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	specials := []float64{0, math.Inf(1), math.NaN(), 1e39, 1 + 0x1p-30, 3e-45}
	for d := 0; d <= 21; d++ {
		for _, n := range []int{0, 1, 3} {
			ldx := d + rng.IntN(3)
			src := make([]float64, max(0, (n-1)*ldx+d))
			shift := make([]float64, d)
			for i := range src {
				src[i] = rng.NormFloat64() * math.Exp2(float64(rng.IntN(40)-20))
				if rng.IntN(7) == 0 {
					src[i] = specials[rng.IntN(len(specials))]
				}
			}
			for j := range shift {
				shift[j] = rng.NormFloat64()
				if rng.IntN(5) == 0 && len(src) > j {
					shift[j] = src[j] // exact cancellation in row 0
				}
			}
			dg, dst := newGuarded(n*d, float32(math.NaN()))
			NarrowShiftedF64(dst, src, ldx, n, d, shift)
			for i := 0; i < n; i++ {
				for j := 0; j < d; j++ {
					want := float32(src[i*ldx+j] - shift[j])
					if math.Float32bits(dst[i*d+j]) != math.Float32bits(want) {
						t.Fatalf("d=%d n=%d row %d col %d: %v, want %v", d, n, i, j, dst[i*d+j], want)
					}
				}
			}
			dg.check(t, "dst")
		}
	}
}

// NarrowShiftedNormsF64 must write NarrowShiftedF64's rows bit for bit and each row's squared
// norm less the shift within γ_d of the exact sum of the float64 differences' squares (any
// order of summation is within it), for every row length 0…48 (three of AVX-512's two-vector
// turns), strided rows, without touching dst or norms past their n·d and n values.
func TestNarrowShiftedNormsF64(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	for d := 0; d <= 3*16; d++ {
		for _, n := range []int{0, 1, 3, 5} {
			ldx := d + rng.IntN(3)
			src := make([]float64, max(0, (n-1)*ldx+d))
			shift := make([]float64, d)
			for i := range src {
				src[i] = rng.NormFloat64()*math.Exp2(float64(rng.IntN(20)-10)) + 100
			}
			for j := range shift {
				shift[j] = 100 + rng.NormFloat64()
			}
			dg, dst := newGuarded(n*d, float32(math.NaN()))
			ng, norms := newGuarded(n, math.NaN())
			NarrowShiftedNormsF64(dst, src, ldx, n, d, shift, norms)
			for i := 0; i < n; i++ {
				exact := new(big.Float).SetPrec(256)
				for j := 0; j < d; j++ {
					diff := src[i*ldx+j] - shift[j]
					want := float32(diff)
					if math.Float32bits(dst[i*d+j]) != math.Float32bits(want) {
						t.Fatalf("d=%d n=%d row %d col %d: %v, want %v", d, n, i, j, dst[i*d+j], want)
					}
					sq := new(big.Float).SetPrec(256).SetFloat64(diff)
					exact.Add(exact, sq.Mul(sq, sq))
				}
				ref, _ := exact.Float64()
				tol := float64(d+2) * 0x1p-53 * ref * 1.01
				if math.Abs(norms[i]-ref) > tol {
					t.Fatalf("d=%d n=%d row %d: norm %v, exact %v (tolerance %v)", d, n, i, norms[i], ref, tol)
				}
			}
			dg.check(t, "dst")
			ng.check(t, "norms")
		}
	}
}
