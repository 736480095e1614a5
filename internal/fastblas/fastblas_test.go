package fastblas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

var native gonum.Implementation

func randMat(rng *rand.Rand, rows, cols, ld int) []float64 {
	s := make([]float64, max(0, (rows-1)*ld+cols))
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	return s
}

// closeTo fails unless got and want agree within 2·γ_{k+3}·scale, where scale bounds
// |α|·Σ|a||b| + |β|·|c| for every element (both results are within γ_{k+3}·scale of the exact
// value; the kernels only regroup the sums and use FMA).
func closeTo(t *testing.T, label string, got, want []float64, k int, scale float64) {
	t.Helper()
	u := 0x1p-53 * float64(k+3)
	tol := 2 * u / (1 - u) * scale
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol {
			t.Fatalf("%s: element %d: %v vs gonum %v", label, i, got[i], want[i])
		}
	}
}

func maxAbs(s ...[]float64) float64 {
	m := 0.0
	for _, x := range s {
		for _, v := range x {
			m = max(m, math.Abs(v))
		}
	}
	return m
}

func TestRoutinesMatchGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	f := Float64{Threads: 2}
	trans := []blas.Transpose{blas.NoTrans, blas.Trans}
	uplos := []blas.Uplo{blas.Upper, blas.Lower}
	for _, sz := range [][3]int{{1, 1, 1}, {5, 7, 3}, {40, 33, 70}, {130, 61, 257}} {
		m, n, k := sz[0], sz[1], sz[2]
		for _, tA := range trans {
			for _, tB := range trans {
				ar, ac := m, k
				if tA == blas.Trans {
					ar, ac = k, m
				}
				br, bc := k, n
				if tB == blas.Trans {
					br, bc = n, k
				}
				a, b := randMat(rng, ar, ac, ac+1), randMat(rng, br, bc, bc+2)
				c := randMat(rng, m, n, n+3)
				got, want := append([]float64(nil), c...), append([]float64(nil), c...)
				f.Dgemm(tA, tB, m, n, k, 0.7, a, ac+1, b, bc+2, -0.3, got, n+3)
				native.Dgemm(tA, tB, m, n, k, 0.7, a, ac+1, b, bc+2, -0.3, want, n+3)
				closeTo(t, fmt.Sprintf("Dgemm %v %v %v", sz, tA, tB), got, want, k, 0.7*float64(k)*maxAbs(a)*maxAbs(b)+0.3*maxAbs(c))
			}
		}
		for _, ul := range uplos {
			for _, tA := range trans {
				r, c := n, k
				if tA == blas.Trans {
					r, c = k, n
				}
				a, b := randMat(rng, r, c, c+1), randMat(rng, r, c, c+1)
				cm := randMat(rng, n, n, n+1)
				got, want := append([]float64(nil), cm...), append([]float64(nil), cm...)
				f.Dsyrk(ul, tA, n, k, 1.1, a, c+1, 0.5, got, n+1)
				native.Dsyrk(ul, tA, n, k, 1.1, a, c+1, 0.5, want, n+1)
				closeTo(t, fmt.Sprintf("Dsyrk %v %v %v", sz, ul, tA), got, want, k, 1.1*float64(k)*maxAbs(a)*maxAbs(a)+0.5*maxAbs(cm))
				got, want = append([]float64(nil), cm...), append([]float64(nil), cm...)
				f.Dsyr2k(ul, tA, n, k, -0.9, a, c+1, b, c+1, 0, got, n+1)
				native.Dsyr2k(ul, tA, n, k, -0.9, a, c+1, b, c+1, 0, want, n+1)
				closeTo(t, fmt.Sprintf("Dsyr2k %v %v %v", sz, ul, tA), got, want, 2*k, 0.9*float64(2*k)*maxAbs(a, b)*maxAbs(a, b))
			}
		}
	}
}

func TestFloat32Routes(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	f := Float32{}
	const m, n, k = 70, 50, 90
	a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	for i := range a {
		a[i] = float32(rng.NormFloat64())
	}
	for i := range b {
		b[i] = float32(rng.NormFloat64())
	}
	want := make([]float32, m*n)
	f.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 0, c, n)
	native.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 0, want, n)
	for i := range c {
		if d := math.Abs(float64(c[i] - want[i])); d > 1e-4*math.Sqrt(k) {
			t.Fatalf("Sgemm element %d: %v vs %v", i, c[i], want[i])
		}
	}
}

func TestBadArgumentsPanic(t *testing.T) {
	f := Float64{}
	for name, call := range map[string]func(){
		"short c": func() {
			f.Dgemm(blas.NoTrans, blas.NoTrans, 20, 20, 20, 1, make([]float64, 400), 20, make([]float64, 400), 20, 0, make([]float64, 399), 20)
		},
		"bad lda": func() {
			f.Dgemm(blas.NoTrans, blas.NoTrans, 20, 20, 20, 1, make([]float64, 400), 19, make([]float64, 400), 20, 0, make([]float64, 400), 20)
		},
		"bad uplo": func() {
			f.Dsyrk(blas.All, blas.NoTrans, 20, 20, 1, make([]float64, 400), 20, 0, make([]float64, 400), 20)
		},
		"neg dim":   func() { f.Dsyr2k(blas.Upper, blas.NoTrans, -1, 20, 1, nil, 20, nil, 20, 0, nil, 20) },
		"bad trans": func() { f.Dgemm('x', blas.NoTrans, 1, 1, 1, 1, []float64{1}, 1, []float64{1}, 1, 0, []float64{1}, 1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			call()
		}()
	}
}

func TestUseInstalls(t *testing.T) {
	Use()
	if _, ok := blas64.Implementation().(Float64); !ok {
		t.Fatalf("blas64 implementation is %T after Use", blas64.Implementation())
	}
}

func TestDsymvMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	f := Float64{}
	for _, n := range []int{64, 65, 200, 515} {
		for _, ul := range []blas.Uplo{blas.Upper, blas.Lower} {
			lda := n + 3
			a, x, y := randMat(rng, n, n, lda), randMat(rng, 1, n, n), randMat(rng, 1, n, n)
			for _, beta := range []float64{0, 1, -0.5} {
				got, want := append([]float64(nil), y...), append([]float64(nil), y...)
				f.Dsymv(ul, n, 1.3, a, lda, x, 1, beta, got, 1)
				native.Dsymv(ul, n, 1.3, a, lda, x, 1, beta, want, 1)
				closeTo(t, fmt.Sprintf("Dsymv n=%d %c β=%v", n, ul, beta), got, want, n+1,
					1.3*float64(n)*maxAbs(a)*maxAbs(x)+0.5*maxAbs(y))
				// Strided x and y, as Dlatrd passes them (columns of row-major matrices).
				xs, ys := make([]float64, 3*n), make([]float64, 2*n)
				for i := 0; i < n; i++ {
					xs[3*i], ys[2*i] = x[i], y[i]
				}
				ys2 := append([]float64(nil), ys...)
				f.Dsymv(ul, n, 1.3, a, lda, xs, 3, beta, ys, 2)
				native.Dsymv(ul, n, 1.3, a, lda, xs, 3, beta, ys2, 2)
				closeTo(t, fmt.Sprintf("Dsymv strided n=%d %c β=%v", n, ul, beta), ys, ys2, n+1,
					1.3*float64(n)*maxAbs(a)*maxAbs(x)+0.5*maxAbs(y))
				closeTo(t, fmt.Sprintf("Dsymv n=%d %c β=%v", n, ul, beta), got, want, n+1,
					1.3*float64(n)*maxAbs(a)*maxAbs(x)+0.5*maxAbs(y))
			}
		}
	}
}

func TestDtrmmMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	f := Float64{Threads: 2}
	for _, sz := range [][2]int{{3, 5}, {40, 200}, {200, 40}, {97, 131}} {
		m, n := sz[0], sz[1]
		for _, s := range []blas.Side{blas.Left, blas.Right} {
			k := m
			if s == blas.Right {
				k = n
			}
			for _, ul := range []blas.Uplo{blas.Upper, blas.Lower} {
				for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
					for _, d := range []blas.Diag{blas.Unit, blas.NonUnit} {
						a, b := randMat(rng, k, k, k+2), randMat(rng, m, n, n+1)
						got, want := append([]float64(nil), b...), append([]float64(nil), b...)
						f.Dtrmm(s, ul, tA, d, m, n, 0.8, a, k+2, got, n+1)
						native.Dtrmm(s, ul, tA, d, m, n, 0.8, a, k+2, want, n+1)
						closeTo(t, fmt.Sprintf("Dtrmm %v %c %c %c %c", sz, s, ul, tA, d), got, want, k,
							0.8*float64(k)*maxAbs(a)*maxAbs(b))
					}
				}
			}
		}
	}
}

// TestDgemvMatchesGonum: both transposes, unit and strided vectors (as Dlatrd passes them),
// widths on both sides of the stack scratch, against gonum's loop within the dot-product bound.
func TestDgemvMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	f := Float64{}
	for _, sz := range [][2]int{{1, 1}, {7, 3}, {100, 31}, {33, 64}, {40, 65}, {9, 200}} {
		m, n := sz[0], sz[1]
		lda := n + 2
		a := randMat(rng, m, n, lda)
		for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			lx, ly := n, m
			if tA != blas.NoTrans {
				lx, ly = m, n
			}
			for _, inc := range [][2]int{{1, 1}, {3, 2}} {
				x, y := randMat(rng, 1, lx*inc[0], lx*inc[0]), randMat(rng, 1, ly*inc[1], ly*inc[1])
				for _, beta := range []float64{0, 1, -0.5} {
					got, want := append([]float64(nil), y...), append([]float64(nil), y...)
					f.Dgemv(tA, m, n, -0.7, a, lda, x, inc[0], beta, got, inc[1])
					native.Dgemv(tA, m, n, -0.7, a, lda, x, inc[0], beta, want, inc[1])
					closeTo(t, fmt.Sprintf("Dgemv %v %c inc %v β=%v", sz, tA, inc, beta), got, want, lx+1,
						0.7*float64(lx)*maxAbs(a)*maxAbs(x)+0.5*maxAbs(y))
				}
			}
		}
	}
}

// TestDnrm2: ordinary, strided, huge (the squares overflow), tiny (they underflow) and NaN
// inputs against gonum's scaled loop, within n·eps relative.
func TestDnrm2(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	f := Float64{}
	for _, scale := range []float64{1, 1e200, 1e-200, 1e-310} {
		for _, n := range []int{0, 1, 2, 7, 100} {
			for _, inc := range []int{1, 3} {
				x := make([]float64, max(1, (n-1)*inc+1))
				for i := range x {
					x[i] = rng.NormFloat64() * scale
				}
				got, want := f.Dnrm2(n, x, inc), native.Dnrm2(n, x, inc)
				if math.Abs(got-want) > float64(n+2)*0x1p-52*want {
					t.Fatalf("Dnrm2 n=%d inc=%d scale=%g: %v, want %v", n, inc, scale, got, want)
				}
			}
		}
	}
	x := []float64{1, math.NaN(), 2}
	if !math.IsNaN(f.Dnrm2(3, x, 1)) {
		t.Fatal("Dnrm2 lost a NaN")
	}
}
