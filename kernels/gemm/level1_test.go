package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLevel1: Dot, Axpy and dotAxpy against their generic references for every length 0..80
// (every mask width of the tails), with guard values after y that must not change. The sums may
// be added in another order, so they agree within (n+1)·eps·Σ|x·y|; an updated y[j] = y[j] + a·x[j]
// is one FMA or a rounded product and sum, so the two agree within eps·(|y[j]| + |a·x[j]|).
func TestLevel1(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	const guard = 4
	for n := 0; n <= 80; n++ {
		x, r := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i], r[i] = rng.NormFloat64(), rng.NormFloat64()
		}
		y := make([]float64, n+guard)
		for i := range y {
			y[i] = rng.NormFloat64()
		}
		for i := n; i < len(y); i++ {
			y[i] = 12345
		}
		var mag float64
		for i := range x {
			mag += math.Abs(x[i] * y[i])
		}
		tol := float64(n+1) * 0x1p-52 * mag
		if got, want := Dot(x, y), dotGeneric(x, y[:n]); math.Abs(got-want) > tol {
			t.Fatalf("Dot n=%d: %v, want %v", n, got, want)
		}
		ya, yb := append([]float64(nil), y...), append([]float64(nil), y...)
		Axpy(-0.75, x, ya)
		axpyGeneric(-0.75, x, yb[:n])
		checkClose(t, "Axpy", n, ya, yb, y, x, -0.75)
		// With alpha = 1 each update is one rounded sum on every backend: bit for bit (the
		// k-means fold of chunk sums relies on it).
		ya, yb = append([]float64(nil), y...), append([]float64(nil), y...)
		Axpy(1, x, ya)
		axpyGeneric(1, x, yb[:n])
		for i := range ya {
			if math.Float64bits(ya[i]) != math.Float64bits(yb[i]) {
				t.Fatalf("Axpy(1) n=%d: y[%d] = %v, want %v", n, i, ya[i], yb[i])
			}
		}

		ya, yb = append([]float64(nil), y...), append([]float64(nil), y...)
		var mr float64
		for i := range x {
			mr += math.Abs(r[i] * x[i])
		}
		got := dotAxpy(r, x, ya, 1.5)
		want := dotAxpyGeneric(r, x, yb[:n], 1.5)
		if math.Abs(got-want) > float64(n+1)*0x1p-52*mr {
			t.Fatalf("dotAxpy n=%d: %v, want %v", n, got, want)
		}
		checkClose(t, "dotAxpy", n, ya, yb, y, r, 1.5)

		// dot2Axpy2 with rows r and x: y gains 1.5·r + 0.5·x (two roundings either way).
		ya, yb = append([]float64(nil), y...), append([]float64(nil), y...)
		g0, g1 := dot2Axpy2(r, x, x, ya, 1.5, 0.5)
		w0, w1 := dot2Axpy2Generic(r, x, x, yb[:n], 1.5, 0.5)
		var mxx float64
		for i := range x {
			mxx += x[i] * x[i]
		}
		if math.Abs(g0-w0) > float64(n+1)*0x1p-52*mr || math.Abs(g1-w1) > float64(n+1)*0x1p-52*mxx {
			t.Fatalf("dot2Axpy2 n=%d: %v, %v, want %v, %v", n, g0, g1, w0, w1)
		}
		for i := range ya {
			if i >= n {
				if ya[i] != 12345 {
					t.Fatalf("dot2Axpy2 n=%d: guard %d overwritten", n, i)
				}
				continue
			}
			if d := math.Abs(ya[i] - yb[i]); d > 0x1p-51*(math.Abs(y[i])+math.Abs(1.5*r[i])+math.Abs(0.5*x[i])) {
				t.Fatalf("dot2Axpy2 n=%d: y[%d] = %v, want %v", n, i, ya[i], yb[i])
			}
		}
	}
}

func checkClose(t *testing.T, name string, n int, got, want, y0, x []float64, a float64) {
	t.Helper()
	for i := range got {
		if i >= n {
			if got[i] != 12345 {
				t.Fatalf("%s n=%d: guard %d overwritten", name, n, i)
			}
			continue
		}
		if d := math.Abs(got[i] - want[i]); d > 0x1p-52*(math.Abs(y0[i])+math.Abs(a*x[i])) {
			t.Fatalf("%s n=%d: y[%d] = %v, want %v", name, n, i, got[i], want[i])
		}
	}
}

// TestRows: DotRows and AxpyRows against their references for widths 0..70 (narrow kernels,
// every mask, and the wide path), strided x, within the dot-product bound; a guard after acc.
func TestRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for n := 0; n <= 70; n++ {
		for _, m := range []int{1, 2, 7} {
			lda := n + 3
			a := make([]float64, m*lda)
			for i := range a {
				a[i] = rng.NormFloat64()
			}
			x := make([]float64, max(n, 2*m))
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			got, want := make([]float64, m), make([]float64, m)
			DotRows(a, lda, x[:n], got)
			dotRowsGeneric(a, lda, x[:n], want)
			for i := range got {
				var mag float64
				for j := 0; j < n; j++ {
					mag += math.Abs(a[i*lda+j] * x[j])
				}
				if math.Abs(got[i]-want[i]) > float64(n+1)*0x1p-52*mag {
					t.Fatalf("DotRows n=%d m=%d: out[%d] = %v, want %v", n, m, i, got[i], want[i])
				}
			}
			acc := make([]float64, n+1)
			for i := range acc {
				acc[i] = rng.NormFloat64()
			}
			acc[n] = 12345
			ref := append([]float64(nil), acc...)
			AxpyRows(a, lda, m, x, 2, acc[:n])
			axpyRowsGeneric(a, lda, m, x, 2, ref[:n])
			for j := 0; j < n; j++ {
				mag := math.Abs(ref[j])
				for i := 0; i < m; i++ {
					mag += math.Abs(x[2*i] * a[i*lda+j])
				}
				if math.Abs(acc[j]-ref[j]) > float64(m+2)*0x1p-52*mag {
					t.Fatalf("AxpyRows n=%d m=%d: acc[%d] = %v, want %v", n, m, j, acc[j], ref[j])
				}
			}
			if acc[n] != 12345 {
				t.Fatalf("AxpyRows n=%d m=%d wrote past acc", n, m)
			}
		}
	}
}
