package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// CenterDists gives the root of SqDist of every row and center, rounded once to T, bit for bit
// (centerDistsGeneric), for every d from 1 to 3 register blocks and k across whole and partial
// groups of eight, reading nothing outside x and writing nothing past each row's k values (the
// gap between k and ldo keeps its sentinel). Values are normal deviates around an offset of
// 1000, so the order of the additions shows in the low bits. The panel exists exactly where
// the backend is AVX-512.
func TestCenterDists(t *testing.T) {
	testCenterDists(t, CenterDistsF64)
	testCenterDists(t, CenterDistsF32)
}

func testCenterDists[T Float](t *testing.T, dists func(p *CenterPanel, x []T, ldx, n int, out []T, ldo int, scratch []float64)) {
	rng := rand.New(rand.NewPCG(41, 42))
	for d := 0; d <= 48; d++ {
		for _, k := range []int{1, 3, 7, 8, 9, 16, 20} {
			n := rng.IntN(5)
			ldx, ldo := d+rng.IntN(3), k+rng.IntN(3)
			xg, x := matrix[T](rng, n, d, ldx, false)
			c := make([]T, k*d)
			fillRows(rng, c, k, d, d, false)
			for i := range x {
				x[i] += 1000
			}
			for i := range c {
				c[i] += 1000
			}
			p := NewCenterPanel(c, d, k)
			if (p != nil) != (Active() == AVX512 && d > 0) {
				t.Fatalf("d=%d k=%d: panel %v on backend %s", d, k, p != nil, Active())
			}
			if p == nil {
				continue
			}
			size := 0
			if n > 0 {
				size = (n-1)*ldo + k
			}
			og, out := newGuarded(size, nan[T]())
			dists(p, x, ldx, n, out, ldo, make([]float64, p.ScratchLen(n)))
			want := make([]T, size)
			centerDistsGeneric(x, ldx, n, d, c, k, want, ldo)
			for r := 0; r < n; r++ {
				for j := 0; j < ldo && r*ldo+j < size; j++ {
					got, w := out[r*ldo+j], want[r*ldo+j]
					if j >= k {
						w = nan[T]() // the gap between rows is not written
					}
					if !same(got, w) {
						t.Fatalf("%T d=%d k=%d n=%d row %d center %d: %v, reference %v", x, d, k, n, r, j, got, w)
					}
				}
			}
			xg.check(t, "x")
			og.check(t, "out")
		}
	}
}

// CenterDistsWide keeps the roots in float64 (math.Sqrt of SqDist, bit for bit), and a panel of
// centers at a row stride (NewCenterPanelStrided: rows of a matrix as centers) is the same as one
// of their contiguous copy.
func TestCenterDistsWide(t *testing.T) {
	testCenterDistsWide[float64](t)
	testCenterDistsWide[float32](t)
}

func testCenterDistsWide[T Float](t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	for _, d := range []int{1, 3, 16, 17, 40} {
		for _, k := range []int{1, 8, 13, 256} {
			n, ldx, ldc := 1+rng.IntN(20), d+rng.IntN(3), d+1+rng.IntN(3)
			xg, x := matrix[T](rng, n, d, ldx, false)
			cg, c := matrix[T](rng, k, d, ldc, false)
			p := NewCenterPanelStrided(c, ldc, d, k)
			if p == nil {
				if Active() == AVX512 {
					t.Fatalf("no panel on %s", Active())
				}
				return
			}
			if got, want := len(p.panel)*8, PanelBytes(d, k); got != want {
				t.Fatalf("d=%d k=%d: panel of %d bytes, PanelBytes %d", d, k, got, want)
			}
			og, out := newGuarded(n*k, math.NaN())
			CenterDistsWide(p, x, ldx, n, out, k, make([]float64, p.ScratchLen(n)))
			for r := 0; r < n; r++ {
				for j := 0; j < k; j++ {
					want := math.Sqrt(sqDistGeneric(x[r*ldx:r*ldx+d], c[j*ldc:j*ldc+d]))
					if math.Float64bits(out[r*k+j]) != math.Float64bits(want) {
						t.Fatalf("%T d=%d k=%d row %d center %d: %v, reference %v", x, d, k, r, j, out[r*k+j], want)
					}
				}
			}
			xg.check(t, "x")
			cg.check(t, "c")
			og.check(t, "out")
		}
	}
}
