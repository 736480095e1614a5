package decomp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// symFromSpectrum returns Q·diag(lam)·Qᵀ for a random orthogonal Q (QR of a Gaussian matrix).
func symFromSpectrum(rng *rand.Rand, lam []float64) []float64 {
	n := len(lam)
	g := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			g.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(g)
	var q mat.Dense
	qr.QTo(&q)
	var ql, a mat.Dense
	ql.Apply(func(i, j int, v float64) float64 { return v * lam[j] }, &q)
	a.Mul(&ql, q.T())
	out := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			out[i*n+j] = (a.At(i, j) + a.At(j, i)) / 2
		}
	}
	return out
}

func randomSym(rng *rand.Rand, n int) []float64 {
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			v := rng.NormFloat64()
			a[i*n+j], a[j*n+i] = v, v
		}
	}
	return a
}

// checkEig verifies ‖A·V − V·Λ‖_F/‖A‖_F and ‖VᵀV − I‖_F ≤ 100·n·eps, ascending order, and the
// eigenvalues against gonum's EigenSym within 100·n·eps·‖A‖.
func checkEig(t *testing.T, label string, n int, a []float64) {
	t.Helper()
	orig := append([]float64(nil), a...)
	w := make([]float64, n)
	v := make([]float64, n*n)
	if err := EigSym(n, a, n, w, v, n, 2); err != nil {
		t.Fatal(err)
	}
	A := mat.NewDense(n, n, orig)
	V := mat.NewDense(n, n, v)
	var av, vl mat.Dense
	av.Mul(A, V)
	vl.Apply(func(i, j int, x float64) float64 { return x * w[j] }, V)
	av.Sub(&av, &vl)
	normA := mat.Norm(A, 2)
	if normA == 0 {
		normA = 1
	}
	bound := 100 * float64(n) * eps
	if r := mat.Norm(&av, 2) / normA; r > bound {
		t.Errorf("%s: residual ‖AV−VΛ‖/‖A‖ = %g > %g", label, r, bound)
	}
	var vtv mat.Dense
	vtv.Mul(V.T(), V)
	for i := 0; i < n; i++ {
		vtv.Set(i, i, vtv.At(i, i)-1)
	}
	if o := mat.Norm(&vtv, 2); o > bound {
		t.Errorf("%s: orthogonality ‖VᵀV−I‖ = %g > %g", label, o, bound)
	}
	var es mat.EigenSym
	if !es.Factorize(mat.NewSymDense(n, orig), false) {
		t.Fatal("gonum EigenSym failed")
	}
	ref := es.Values(nil)
	for i := range w {
		if i > 0 && w[i] < w[i-1] {
			t.Fatalf("%s: eigenvalues not ascending at %d", label, i)
		}
		if math.Abs(w[i]-ref[i]) > bound*normA {
			t.Fatalf("%s: λ[%d] = %v, gonum %v", label, i, w[i], ref[i])
		}
	}
}

func TestEigSymRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 5, 31, 32, 33, 64, 100, 300} {
		checkEig(t, fmt.Sprintf("random n=%d", n), n, randomSym(rng, n))
	}
}

func TestEigSymClustered(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{40, 150, 290} {
		lam := make([]float64, n)
		for i := range lam {
			switch i % 3 {
			case 0:
				lam[i] = 1 // many exactly equal
			case 1:
				lam[i] = 2 + 1e-13*float64(i) // many nearly equal
			default:
				lam[i] = rng.NormFloat64()
			}
		}
		checkEig(t, fmt.Sprintf("clustered n=%d", n), n, symFromSpectrum(rng, lam))
	}
}

func TestEigSymRankDeficient(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{50, 200} {
		// XᵀX for X with n/4 rows: rank n/4, the rest of the spectrum is zero.
		r := n / 4
		x := make([]float64, r*n)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		a := make([]float64, n*n)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				var s float64
				for p := 0; p < r; p++ {
					s += x[p*n+i] * x[p*n+j]
				}
				a[i*n+j] = s
			}
		}
		checkEig(t, fmt.Sprintf("rank %d of %d", r, n), n, a)
		checkEig(t, fmt.Sprintf("zero n=%d", n), n, make([]float64, n*n))
	}
}

// TestTridiagonalSpecial runs the divide and conquer on tridiagonals that stress deflation:
// a split (zero off-diagonal), the Wilkinson matrix W21+ (pairs of nearly equal eigenvalues),
// and a constant diagonal (every eigenvalue in a tight band).
func TestTridiagonalSpecial(t *testing.T) {
	for name, de := range map[string][2][]float64{
		"split":     {seq(100, func(i int) float64 { return float64(i % 7) }), seq(99, func(i int) float64 { return float64((i % 5) % 2) })},
		"wilkinson": {seq(121, func(i int) float64 { return math.Abs(float64(i - 60)) }), seq(120, func(int) float64 { return 1 })},
		"constant":  {seq(90, func(int) float64 { return 3 }), seq(89, func(int) float64 { return 1e-9 })},
	} {
		d, e := de[0], de[1]
		n := len(d)
		a := make([]float64, n*n)
		for i := 0; i < n; i++ {
			a[i*n+i] = d[i]
			if i+1 < n {
				a[i*n+i+1], a[(i+1)*n+i] = e[i], e[i]
			}
		}
		checkEig(t, name, n, a)
	}
}

func seq(n int, f func(int) float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = f(i)
	}
	return s
}

func TestEigSymThreadsBitwise(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n = 300
	a := randomSym(rng, n)
	var ref []float64
	for _, threads := range []int{1, 2, 5} {
		b := append([]float64(nil), a...)
		w, v := make([]float64, n), make([]float64, n*n)
		if err := EigSym(n, b, n, w, v, n, threads); err != nil {
			t.Fatal(err)
		}
		got := append(w, v...)
		if ref == nil {
			ref = got
			continue
		}
		for i := range ref {
			if math.Float64bits(ref[i]) != math.Float64bits(got[i]) {
				t.Fatalf("%d threads differ from 1 thread at %d", threads, i)
			}
		}
	}
}

// TestEigSymPoisonedScratch reruns random, clustered and split problems with every recycled
// scratch buffer filled with NaN when handed out: any read of a stale entry would poison the
// result.
func TestEigSymPoisonedScratch(t *testing.T) {
	scratchPoison = true
	defer func() { scratchPoison = false }()
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{33, 100, 257} {
		checkEig(t, fmt.Sprintf("poisoned random n=%d", n), n, randomSym(rng, n))
	}
	lam := make([]float64, 150)
	for i := range lam {
		lam[i] = float64(i % 4)
	}
	checkEig(t, "poisoned clustered", 150, symFromSpectrum(rng, lam))
}

// TestEigSymStridedVectors: vectors written with a stride wider than n (copied from the solver's
// own matrix) are bitwise those written in place at stride n, and the gaps are left alone.
func TestEigSymStridedVectors(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	const n, ldv = 150, 157
	a := randomSym(rng, n)
	w1, v1 := make([]float64, n), make([]float64, n*n)
	if err := EigSym(n, append([]float64(nil), a...), n, w1, v1, n, 2); err != nil {
		t.Fatal(err)
	}
	w2, v2 := make([]float64, n), make([]float64, (n-1)*ldv+n)
	for i := range v2 {
		v2[i] = 7.5
	}
	if err := EigSym(n, append([]float64(nil), a...), n, w2, v2, ldv, 2); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if w1[i] != w2[i] {
			t.Fatalf("eigenvalue %d: %v in place, %v strided", i, w1[i], w2[i])
		}
		for j := 0; j < ldv && i*ldv+j < len(v2); j++ {
			got := v2[i*ldv+j]
			if j >= n {
				if got != 7.5 {
					t.Fatalf("gap (%d, %d) overwritten: %v", i, j, got)
				}
				continue
			}
			if got != v1[i*n+j] {
				t.Fatalf("vector element (%d, %d): %v in place, %v strided", i, j, v1[i*n+j], got)
			}
		}
	}
	checkEig(t, "strided source", n, a)
}
