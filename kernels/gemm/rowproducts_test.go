package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// ProductsF64 must give, for every runnable kernel, MulRows' products of the row with the
// chosen centers bit for bit: every count of chosen rows across the groups of four (repeats
// and any order allowed), depths around the SIMD widths and a long one, a row stride past the
// depth (NaN in the gaps: a read past a row would poison a product) and mixed magnitudes, so
// that fused and unfused chains round differently and a wrong order would show.
func TestProductsF64EqualsMulRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 36))
	const n = 13
	for _, kr := range runnable[float64]() {
		withKernel(kr, func() {
			for _, depth := range []int{0, 1, 7, 8, 9, 33, 1024} {
				t.Run(fmt.Sprintf("%s/depth=%d", kr.name, depth), func(t *testing.T) {
					ldc := depth + 3
					c := make([]float64, n*ldc)
					for i := range c {
						c[i] = math.NaN()
					}
					for j := 0; j < n; j++ {
						for p := 0; p < depth; p++ {
							c[j*ldc+p] = rng.NormFloat64() * math.Exp2(float64(rng.IntN(40)-20))
						}
					}
					x := make([]float64, depth)
					for p := range x {
						x[p] = rng.NormFloat64() * math.Exp2(float64(rng.IntN(40)-20))
					}
					var p Panels[float64]
					p.Pack(c, ldc, n, depth)
					want := make([]float64, n)
					MulRows(&p, x, depth, 1, want, n, make([]float64, MulRowsScratch[float64](depth)))
					for count := 1; count <= 10; count++ {
						js := make([]int32, count)
						for q := range js {
							js[q] = int32(rng.IntN(n))
						}
						out := make([]float64, count+1)
						out[count] = -7 // guard
						ProductsF64(x, c, ldc, js, out)
						for q, j := range js {
							require.Equal(t, math.Float64bits(want[j]), math.Float64bits(out[q]), "count=%d: center %d: %v, MulRows %v", count, j, out[q], want[j])
						}
						require.Equal(t, -7.0, out[count], "count=%d: wrote past the chosen rows", count)
					}
				})
			}
		})
	}
}

// A chosen row outside c, or too few outputs, is a panic naming the problem, not a read or
// write out of bounds.
func TestProductsF64RejectsBadArguments(t *testing.T) {
	x, c := make([]float64, 4), make([]float64, 2*4)
	require.PanicsWithValue(t, "gemm: ProductsF64 row outside c", func() { ProductsF64(x, c, 4, []int32{2}, make([]float64, 1)) })
	require.PanicsWithValue(t, "gemm: ProductsF64 row outside c", func() { ProductsF64(x, c, 4, []int32{-1}, make([]float64, 1)) })
	require.PanicsWithValue(t, "gemm: ProductsF64 out shorter than js", func() { ProductsF64(x, c, 4, []int32{0, 1}, make([]float64, 1)) })
}
