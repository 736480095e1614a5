package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/fastmva/fastmva/kernels"
	"github.com/stretchr/testify/require"
)

// MulRows' products are each one sum in index order from zero: with the SIMD kernels a chain of
// fused multiply-adds (math.FMA is the exactly rounded reference), with the generic kernel the
// plain loop, also when long rows are taken in several calls. Checked bitwise for every runnable
// kernel, every tail of m (whole and partial row panels), n (whole and partial column panels)
// and depth, with NaN in the gaps of X (a read past a row would poison a product) and guard
// values around out's rows (never written). With later rows in x after the m (all NaN), a
// partial last panel is read in place with them, which must not change the m rows' products.
func TestMulRowsIsTheOrderedSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, kr := range runnable[float64]() {
		withKernel(kr, func() {
			for _, depth := range []int{0, 1, 3, 8, 17, 64, 400, 700} {
				for _, m := range []int{1, kr.mr - 1, kr.mr, kr.mr + 1, 3*kr.mr + 2} {
					for _, n := range []int{1, kr.nr - 1, kr.nr, 2*kr.nr + 3, 4*kr.nr + 1} {
						if m <= 0 {
							continue
						}
						for _, later := range []int{0, kr.mr} {
							t.Run(fmt.Sprintf("%s/depth=%d/m=%d/n=%d/later=%d", kr.name, depth, m, n, later), func(t *testing.T) {
								mulRowsCase(t, rng, kr.name != "generic", m, n, depth, depth+2, later)
							})
						}
					}
				}
			}
		})
	}
}

// The cases above take both ways of prefetching the next panel: its rows at each step (few
// panels of B) and one range of lines spread over the calls (many).
func TestMulRowsCasesPrefetchBothWays(t *testing.T) {
	for _, kr := range runnable[float64]() {
		withKernel(kr, func() {
			kc := rowsDepth[float64]()
			require.False(t, linearPrefetch[float64](kr.mr, kr.nr, kr.nr, 400, 402, kc), kr.name)
			require.True(t, linearPrefetch[float64](kr.mr, kr.nr, 4*kr.nr+1, 400, 402, kc), kr.name)
			require.True(t, linearPrefetch[float64](kr.mr, kr.nr, 4*kr.nr+1, 17, 19, kc), kr.name)
		})
	}
}

// Rows 4 KB apart (512 float64) fall into one set of L1 each: MulRows copies them, panel by
// panel, to a stride that does not alias, and must still give the ordered sums bit for bit.
// Every kernel is made to take that walk here (by default only AVX-512's 12 rows do).
func TestMulRowsStagedIsTheOrderedSum(t *testing.T) {
	if kernelFor[float64]().mr == 12 {
		require.True(t, aliasesInL1[float64](512, 12), "a 4 KB stride must take the staged walk")
		require.False(t, aliasesInL1[float64](256, 12), "a 2 KB stride is read in place")
	}
	defer func(v int) { aliasRows = v }(aliasRows)
	aliasRows = 1
	rng := rand.New(rand.NewPCG(23, 24))
	for _, kr := range runnable[float64]() {
		withKernel(kr, func() {
			require.True(t, aliasesInL1[float64](512, kr.mr))
			for _, depth := range []int{1, 17, 400, 512} {
				for _, m := range []int{kr.mr, 3*kr.mr + 2} {
					for _, n := range []int{kr.nr - 1, 2*kr.nr + 3} {
						for _, later := range []int{0, kr.mr} {
							t.Run(fmt.Sprintf("%s/depth=%d/m=%d/n=%d/later=%d", kr.name, depth, m, n, later), func(t *testing.T) {
								mulRowsCase(t, rng, kr.name != "generic", m, n, depth, 512, later)
							})
						}
					}
				}
			}
		})
	}
}

func mulRowsCase(t *testing.T, rng *rand.Rand, fma bool, m, n, depth, ldx, later int) {
	const guardV = 7777.5
	ldo := n + 3
	x := make([]float64, (m+later)*ldx)
	for i := range x {
		x[i] = math.NaN()
	}
	for i := 0; i < m; i++ {
		for p := 0; p < depth; p++ {
			x[i*ldx+p] = rng.NormFloat64()
		}
	}
	b := make([]float64, n*depth)
	for i := range b {
		b[i] = rng.NormFloat64()
	}
	var pan Panels[float64]
	pan.Pack(b, depth, n, depth)
	out := make([]float64, m*ldo)
	for i := range out {
		out[i] = guardV
	}
	MulRows(&pan, x, ldx, m, out, ldo, make([]float64, MulRowsScratch[float64](depth)))
	for i := 0; i < m; i++ {
		for j := 0; j < ldo; j++ {
			got := out[i*ldo+j]
			if j >= n {
				if got != guardV {
					t.Fatalf("out[%d,%d] beyond n was written", i, j)
				}
				continue
			}
			var want float64
			for p := 0; p < depth; p++ {
				if fma {
					want = math.FMA(x[i*ldx+p], b[j*depth+p], want)
				} else {
					want += x[i*ldx+p] * b[j*depth+p]
				}
			}
			if got != want {
				t.Fatalf("out[%d,%d] = %v, ordered sum %v", i, j, got, want)
			}
		}
	}
}

// The installed kernel's products are bit for bit the dot products of the kernels package's
// tiles (same backend): ValuesF64/F32 with zero norms are −2·x·c, exactly. This is what lets the
// k-means GEMM tile give the fused kernel's labels. (Not at k ≤ 8 with a few hundred features on
// AVX-512, where Values takes the streaming pass's order of additions, kernels.StreamOrder:
// cluster's bound-based fits take their values from Values there.)
func TestMulRowsMatchesKernelsTiles(t *testing.T) {
	t.Run("f64", func(t *testing.T) { matchTiles[float64](t, kernels.ValuesF64) })
	t.Run("f32", func(t *testing.T) { matchTiles[float32](t, kernels.ValuesF32) })
}

func matchTiles[T Float](t *testing.T, values func(x []T, ldx, n, d int, c []T, k int, cnorm, out []T)) {
	rng := rand.New(rand.NewPCG(31, 32))
	for _, s := range []struct{ m, n, depth int }{{50, 64, 32}, {37, 19, 256}, {13, 70, 5}, {100, 9, 300}, {30, 40, 1100}} {
		x, c := make([]T, s.m*s.depth), make([]T, s.n*s.depth)
		for i := range x {
			x[i] = T(rng.Float64())
		}
		for i := range c {
			c[i] = T(rng.NormFloat64())
		}
		want := make([]T, s.m*s.n)
		values(x, s.depth, s.m, s.depth, c, s.n, make([]T, s.n), want)
		var pan Panels[T]
		pan.Pack(c, s.depth, s.n, s.depth)
		got := make([]T, s.m*s.n)
		MulRows(&pan, x, s.depth, s.m, got, s.n, make([]T, MulRowsScratch[T](s.depth)))
		for i, v := range got {
			if -2*v != want[i] {
				t.Fatalf("%v: product %d is %v, the tile's %v (backend %s)", s, i, -2*v, want[i], Backend())
			}
		}
	}
}

// Packing reuses its memory and MulRows allocates nothing: both run once per block or per
// iteration of k-means.
func TestMulRowsDoesNotAllocate(t *testing.T) {
	const m, n, depth = 40, 64, 33
	x, b := make([]float64, m*depth), make([]float64, n*depth)
	out := make([]float64, m*n)
	scr := make([]float64, MulRowsScratch[float64](depth))
	var p Panels[float64]
	p.Pack(b, depth, n, depth)
	if a := testing.AllocsPerRun(10, func() {
		p.Pack(b, depth, n, depth)
		MulRows(&p, x, depth, m, out, n, scr)
	}); a != 0 {
		t.Errorf("Pack+MulRows allocate %.1f times per call", a)
	}
}

// MulRowsAhead differs from MulRows only in what it asks the cache for: the same products bit
// for bit, float32 and float64, whole and partial panels, with the range ahead anywhere (in x,
// past its end, far away, shorter than what the calls would prefetch, or longer: then they ask
// at twice the rate, prefetchDouble).
func TestMulRowsAheadEqualsMulRows(t *testing.T) {
	t.Run("f64", func(t *testing.T) { mulRowsAheadCases[float64](t) })
	t.Run("f32", func(t *testing.T) { mulRowsAheadCases[float32](t) })
}

func mulRowsAheadCases[T Float](t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	far := make([]T, 1<<16)
	for _, s := range []struct{ m, n, depth int }{{192, 64, 32}, {37, 33, 17}, {25, 64, 300}, {1, 5, 3}} {
		ldx := s.depth + 1
		x := make([]T, s.m*ldx)
		b := make([]T, s.n*s.depth)
		for i := range x {
			x[i] = T(rng.NormFloat64())
		}
		for i := range b {
			b[i] = T(rng.NormFloat64())
		}
		var p Panels[T]
		p.Pack(b, s.depth, s.n, s.depth)
		scratch := make([]T, MulRowsScratch[T](s.depth))
		want := make([]T, s.m*s.n)
		MulRows(&p, x, ldx, s.m, want, s.n, scratch)
		end := uintptr(unsafe.Pointer(&x[len(x)-1])) + 8
		for _, ahead := range []struct {
			at  uintptr
			len int
		}{{uintptr(unsafe.Pointer(&x[0])), len(x)}, {end, 1 << 20}, {uintptr(unsafe.Pointer(&far[0])), 64}, {end, 0}} {
			got := make([]T, s.m*s.n)
			MulRowsAhead(&p, x, ldx, s.m, got, s.n, scratch, ahead.at, ahead.len)
			for i := range want {
				if math.Float64bits(float64(got[i])) != math.Float64bits(float64(want[i])) {
					t.Fatalf("m=%d n=%d depth=%d ahead len %d: product %d is %v, MulRows' %v", s.m, s.n, s.depth, ahead.len, i, got[i], want[i])
				}
			}
		}
	}
}
