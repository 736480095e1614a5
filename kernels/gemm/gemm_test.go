package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/fastmva/fastmva/kernels"
)

// runnable returns every micro-kernel this build and CPU can run, generic first.
func runnable[T Float]() []kernel[T] {
	var z T
	out := []kernel[T]{}
	add := func(k64 kernel[float64], k32 kernel[float32]) {
		if _, ok := any(z).(float64); ok {
			out = append(out, any(k64).(kernel[T]))
		} else {
			out = append(out, any(k32).(kernel[T]))
		}
	}
	add(genericKernel64, genericKernel32)
	if cpuAVX2() {
		add(simd64["avx2"], simd32["avx2"])
	}
	if cpuAVX512() {
		add(simd64["avx512"], simd32["avx512"])
	}
	return out
}

// withKernel runs f with kr installed as the kernel for T.
func withKernel[T Float](kr kernel[T], f func()) {
	p := kernelFor[T]()
	saved := *p
	*p = kr
	defer func() { *p = saved }()
	f()
}

func unitRoundoff[T Float]() float64 {
	var z T
	if _, ok := any(z).(float32); ok {
		return 0x1p-24
	}
	return 0x1p-53
}

// gamma is Higham's γ_n = n·u/(1 − n·u).
func gamma[T Float](n int) float64 {
	u := unitRoundoff[T]()
	return float64(n) * u / (1 - float64(n)*u)
}

const guard = 7777.5 // written around C; must survive

// testCase holds the operands with NaN-filled gaps around A and B (a read outside them
// would poison C) and guard values around and between C's rows.
type testCase[T Float] struct {
	tri                 Triangle
	ta, tb              bool
	m, n, k             int
	alpha, beta         T
	a, b, c             []T
	lda, ldb, ldc, cOff int
}

func newCase[T Float](rng *rand.Rand, tri Triangle, ta, tb bool, m, n, k int, alpha, beta T, gen func() T) *testCase[T] {
	tc := &testCase[T]{tri: tri, ta: ta, tb: tb, m: m, n: n, k: k, alpha: alpha, beta: beta}
	fill := func(rows, cols int) ([]T, int) {
		ld := cols + 1 + rng.IntN(3)
		buf := make([]T, 8+rows*ld+8)
		for i := range buf {
			buf[i] = T(math.NaN())
		}
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				buf[8+i*ld+j] = gen()
			}
		}
		return buf, ld
	}
	ar, ac := m, k
	if ta {
		ar, ac = k, m
	}
	br, bc := k, n
	if tb {
		br, bc = n, k
	}
	tc.a, tc.lda = fill(ar, ac)
	tc.b, tc.ldb = fill(br, bc)
	tc.ldc = n + 2
	tc.cOff = 5
	tc.c = make([]T, tc.cOff+m*tc.ldc+5)
	for i := range tc.c {
		tc.c[i] = guard
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			tc.c[tc.cOff+i*tc.ldc+j] = gen()
		}
	}
	return tc
}

func (tc *testCase[T]) run(ref bool, threads int) []T {
	c := append([]T(nil), tc.c...)
	a, b, cc := tc.a[8:], tc.b[8:], c[tc.cOff:]
	if ref {
		Reference(tc.tri, tc.ta, tc.tb, tc.m, tc.n, tc.k, tc.alpha, a, tc.lda, b, tc.ldb, tc.beta, cc, tc.ldc)
	} else {
		run(&problem[T]{m: tc.m, n: tc.n, k: tc.k, alpha: tc.alpha, beta: tc.beta,
			a: operand[T]{a, tc.lda, tc.ta}, b: operand[T]{b, tc.ldb, tc.tb}, c: cc, ldc: tc.ldc, tri: tc.tri}, threads)
	}
	return c
}

// check compares fast with ref element by element. Both compute Σ_p (α·a_ip)·b_pj + β·c_ij with
// at most k+3 roundings on any path (one for α·a, one per product or FMA, one per addition, one
// for β·c), so each is within γ_{k+3}·(|α||A||B| + |β||C|) of the exact value and they are within
// twice that of each other. NaN must match NaN, ±Inf must match exactly.
func (tc *testCase[T]) check(t *testing.T, label string, got, want []T) {
	t.Helper()
	bound := 2 * gamma[T](tc.k+3)
	abs := func(x T) float64 { return math.Abs(float64(x)) }
	for idx := range got {
		i, j := (idx-tc.cOff)/tc.ldc, (idx-tc.cOff)%tc.ldc
		inside := idx >= tc.cOff && i < tc.m && j < tc.n && j >= 0 && idx-tc.cOff >= 0
		if !inside || !tc.tri.in(i, j) {
			if got[idx] != tc.c[idx] && !(got[idx] != got[idx] && tc.c[idx] != tc.c[idx]) {
				t.Fatalf("%s: element %d outside the updated region changed: %v -> %v", label, idx, tc.c[idx], got[idx])
			}
			continue
		}
		g, w := float64(got[idx]), float64(want[idx])
		if math.IsNaN(w) || math.IsInf(w, 0) || math.IsNaN(g) || math.IsInf(g, 0) {
			if !(math.IsNaN(g) && math.IsNaN(w)) && g != w {
				t.Fatalf("%s: C[%d,%d] = %v, reference %v", label, i, j, g, w)
			}
			continue
		}
		var mag float64
		if tc.alpha != 0 {
			for p := 0; p < tc.k; p++ {
				var av, bv T
				if tc.ta {
					av = tc.a[8+p*tc.lda+i]
				} else {
					av = tc.a[8+i*tc.lda+p]
				}
				if tc.tb {
					bv = tc.b[8+j*tc.ldb+p]
				} else {
					bv = tc.b[8+p*tc.ldb+j]
				}
				mag += abs(tc.alpha) * abs(av) * abs(bv)
			}
		}
		if tc.beta != 0 {
			mag += abs(tc.beta) * abs(tc.c[idx])
		}
		if d := math.Abs(g - w); d > bound*mag {
			t.Fatalf("%s: C[%d,%d] = %v, reference %v: |Δ| = %g > %g", label, i, j, g, w, d, bound*mag)
		}
	}
}

// edgeSizes are 0..~3 tiles of extent tile, with the values on either side of each tile edge.
func edgeSizes(tile int) []int {
	s := []int{0, 1, 2, 3}
	for t := 1; t <= 3; t++ {
		s = append(s, t*tile-1, t*tile, t*tile+1)
	}
	return s
}

func testShapes[T Float](t *testing.T) {
	for _, kr := range runnable[T]() {
		withKernel(kr, func() {
			rng := rand.New(rand.NewPCG(1, uint64(kr.mr)))
			gen := func() T { return T(rng.Float64()*2 - 1) }
			ks := []int{0, 1, 2, 3, 4, 5, 7, 9, kr.kc - 1, kr.kc, kr.kc + 1}
			ms := append(edgeSizes(kr.mr), kr.mc+1)
			for _, m := range ms {
				for _, n := range edgeSizes(kr.nr) {
					for ki, k := range ks {
						if m > kr.mc && k > 9 {
							continue // the mc edge needs rows, not depth; keeps the test fast
						}
						// Every transpose combination and every triangle, rotating so the
						// product stays small; α/β special values rotate the same way.
						sel := m + 3*n + 7*ki
						ta, tb := sel&1 == 1, sel&2 == 2
						tri := Full
						if m == n {
							tri = Triangle(sel % 3)
						}
						alpha := []T{1, -0.75, 0, 2}[sel%4]
						beta := []T{0, 1, 0.5, -2, 1}[sel%5]
						tc := newCase(rng, tri, ta, tb, m, n, k, alpha, beta, gen)
						label := fmt.Sprintf("%s m=%d n=%d k=%d ta=%v tb=%v tri=%d α=%v β=%v", kr.name, m, n, k, ta, tb, tri, alpha, beta)
						tc.check(t, label, tc.run(false, 2), tc.run(true, 0))
					}
				}
			}
		})
	}
}

func TestShapesF64(t *testing.T) { testShapes[float64](t) }
func TestShapesF32(t *testing.T) { testShapes[float32](t) }

// testValues runs ill-conditioned inputs (entries spanning 2^±30 with cancelling signs) and
// inputs salted with NaN and ±Inf, on shapes that cross every blocking boundary.
func testValues[T Float](t *testing.T) {
	for _, kr := range runnable[T]() {
		withKernel(kr, func() {
			rng := rand.New(rand.NewPCG(2, 3))
			illcond := func() T {
				return T(math.Ldexp(rng.Float64()*2-1, rng.IntN(61)-30))
			}
			special := func() T {
				switch rng.IntN(200) {
				case 0:
					return T(math.NaN())
				case 1:
					return T(math.Inf(1))
				case 2:
					return T(math.Inf(-1))
				}
				return T(rng.Float64()*2 - 1)
			}
			for _, gen := range []func() T{illcond, special} {
				for _, shape := range [][3]int{{2*kr.mr + 3, 2*kr.nr + 5, kr.kc + 7}, {kr.mc + kr.mr + 1, 3*kr.nr - 1, 2*kr.kc + 1}} {
					for ti, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
						beta := []T{0, 1, 0.5, -1}[ti] // rotated, not crossed: keeps the test fast
						tc := newCase(rng, Full, tr[0], tr[1], shape[0], shape[1], shape[2], 1.5, beta, gen)
						label := fmt.Sprintf("%s %v tr=%v β=%v", kr.name, shape, tr, beta)
						tc.check(t, label, tc.run(false, 3), tc.run(true, 0))
					}
				}
			}
		})
	}
}

func TestValuesF64(t *testing.T) { testValues[float64](t) }
func TestValuesF32(t *testing.T) { testValues[float32](t) }

// TestThreadsBitwise: any thread count gives the same bits, for GEMM and both SYRK triangles.
func TestThreadsBitwise(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	gen := func() float64 { return rng.NormFloat64() }
	cases := []*testCase[float64]{
		newCase(rng, Full, false, false, 301, 517, 611, 1, 0.5, gen),
		newCase(rng, Full, true, true, 517, 97, 400, -1, 0, gen),
		newCase(rng, Upper, true, false, 260, 260, 1111, 1, 0, gen),
		newCase(rng, Lower, false, true, 260, 260, 801, 1, 1, gen),
	}
	for ci, tc := range cases {
		if tc.tri != Full { // SYRK: the same matrix on both sides
			tc.b, tc.ldb, tc.tb = tc.a, tc.lda, !tc.ta
		}
		want := tc.run(false, 1)
		for _, threads := range []int{2, 3, 4, 7} {
			got := tc.run(false, threads)
			for i := range want {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
					t.Fatalf("case %d: %d threads differ from 1 thread at %d: %v vs %v", ci, threads, i, got[i], want[i])
				}
			}
		}
	}
}

// TestBackendFollowsKernels: the GEMM backend is the one FASTMVA_KERNELS / kernels.Active() chose.
func TestBackendFollowsKernels(t *testing.T) {
	want := chooseBackend()
	if len(kernels.Supported()) > 1 && want != kernels.Active() {
		t.Fatalf("gemm chose %s, kernels chose %s", want, kernels.Active())
	}
	if Backend() != want {
		t.Fatalf("Backend() = %s, want %s", Backend(), want)
	}
	if cpuAVX512() && os.Getenv(kernels.EnvVar) == "" && Backend() != kernels.AVX512 {
		t.Fatalf("AVX-512 CPU without FASTMVA_KERNELS, but backend is %s", Backend())
	}
}

// TestInPlaceABitwise: reading A in place (thin products, α = 1) gives the same bits as packing
// it, for both orientations of A and shapes crossing the mr, mc and kc edges, and the in-place
// path is the one taken.
func TestInPlaceABitwise(t *testing.T) {
	testInPlaceA[float64](t)
	testInPlaceA[float32](t)
}

func testInPlaceA[T Float](t *testing.T) {
	for _, kr := range runnable[T]() {
		if kr.fnS == nil {
			continue
		}
		rng := rand.New(rand.NewPCG(6, uint64(kr.mr)))
		gen := func() T { return T(rng.NormFloat64()) }
		for _, shape := range [][3]int{{kr.mr, kr.nr, 5}, {3*kr.mr + 1, 2*kr.nr + 3, kr.kc + 9}, {kr.mc + kr.mr + 5, 4 * kr.nr, 2*kr.kc + 1}} {
			for _, ta := range []bool{false, true} {
				for _, beta := range []T{0, 1} {
					n := shape[1]
					if ta {
						n = min(n, directMaxPanelsTrans*kr.nr)
					}
					tc := newCase(rng, Full, ta, false, shape[0], n, shape[2], 1, beta, gen)
					if !readsAInPlace(&kr, &problem[T]{alpha: 1, a: operand[T]{trans: ta}}, n) {
						t.Fatalf("%s %v: the in-place path is not taken", kr.name, shape)
					}
					var direct, packed []T
					withKernel(kr, func() { direct = tc.run(false, 2) })
					noS := kr
					noS.fnS = nil
					withKernel(noS, func() { packed = tc.run(false, 2) })
					for i := range direct {
						if direct[i] != packed[i] && !(direct[i] != direct[i] && packed[i] != packed[i]) {
							t.Fatalf("%s %v ta=%v β=%v: in place %v, packed %v at %d", kr.name, shape, ta, beta, direct[i], packed[i], i)
						}
					}
					tc.check(t, fmt.Sprintf("%s %v ta=%v in place", kr.name, shape, ta), direct, tc.run(true, 0))
				}
			}
		}
	}
}
