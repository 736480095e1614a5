package decomp

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
)

// orthoCols returns an m×r matrix with orthonormal columns (thin QR of a Gaussian matrix).
func orthoCols(rng *rand.Rand, m, r int) *mat.Dense {
	g := make([]float64, m*r)
	for i := range g {
		g[i] = rng.NormFloat64()
	}
	orthonormalize(m, r, g)
	return mat.NewDense(m, r, g)
}

// withSpectrum returns A = P·diag(s)·Qᵀ (m×n) with random orthonormal P, Q, and Q.
func withSpectrum(rng *rand.Rand, m, n int, s []float64) ([]float64, *mat.Dense) {
	r := len(s)
	p, q := orthoCols(rng, m, r), orthoCols(rng, n, r)
	var ps, a mat.Dense
	ps.Apply(func(i, j int, v float64) float64 { return v * s[j] }, p)
	a.Mul(&ps, q.T())
	return append([]float64(nil), a.RawMatrix().Data...), q
}

func svdOf(t *testing.T, m, n int, a []float64, p Params) ([]float64, []float64, []float64) {
	t.Helper()
	k := p.Components
	if k == 0 {
		k = min(m, n)
	}
	o := Output[float64]{Loadings: make([]float64, m*k), LdL: k, Factors: make([]float64, n*k), LdF: k, S: make([]float64, k)}
	if _, err := SVD(dense.Matrix[float64]{Data: a, Rows: m, Cols: n, Stride: n}, p, o); err != nil {
		t.Fatal(err)
	}
	return o.S, o.Loadings, o.Factors
}

// graded is a spectrum spanning 1 … 1e-15 (log-spaced) followed by exact zeros.
func graded(r, zeros int) []float64 {
	s := make([]float64, r+zeros)
	for i := 0; i < r; i++ {
		s[i] = math.Pow(10, -15*float64(i)/float64(r-1))
	}
	return s
}

// TestSingularValuesGraded: every singular value of a spectrum from 1 down to 1e-15 (and exact
// zeros) is within 1e-9·s_max of the truth — the polished Gram route has no √eps floor — for
// tall and wide shapes; and the plain Gram route's √eps floor is real (shown with the polish off).
func TestSingularValuesGraded(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sh := range [][2]int{{600, 80}, {80, 600}, {300, 300}} {
		m, n := sh[0], sh[1]
		want := graded(min(m, n)-10, 10)
		a, _ := withSpectrum(rng, m, n, want)
		got, _, _ := svdOf(t, m, n, append([]float64(nil), a...), Params{Solver: SolverExact})
		worst := 0.0
		for i := range want {
			worst = max(worst, math.Abs(got[i]-want[i]))
		}
		t.Logf("%d×%d: max |s − s_true| = %.2g·s_max", m, n, worst)
		if worst > 1e-9 {
			t.Errorf("%d×%d: singular values off by %g·s_max (bound 1e-9)", m, n, worst)
		}
		if m == 600 {
			polishOff = true
			raw, _, _ := svdOf(t, m, n, append([]float64(nil), a...), Params{Solver: SolverExact})
			polishOff = false
			rawWorst := 0.0
			for i := range want {
				rawWorst = max(rawWorst, math.Abs(raw[i]-want[i]))
			}
			t.Logf("without the polish: max error %.2g·s_max", rawWorst)
			if rawWorst < 1e-10 || rawWorst > 1e-6 {
				t.Errorf("the plain Gram route's floor should be ≈ √eps·s_max, got %g", rawWorst)
			}
		}
	}
}

// subspaceSin returns the sine of the largest principal angle between span(a) and span(b)
// (both n×r with orthonormal columns): ‖(I − a·aᵀ)·b‖₂.
func subspaceSin(a, b *mat.Dense) float64 {
	var ab, proj, res mat.Dense
	ab.Mul(a.T(), b)
	proj.Mul(a, &ab)
	res.Sub(b, &proj)
	return mat.Norm(&res, 2)
}

// TestSubspacesAndSigns: components separated by a spectral gap span the true subspaces to
// 1e-8 (both sides), the reconstruction error is at rounding level, and the signs follow the
// requested convention.
func TestSubspacesAndSigns(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m, n := 500, 60
	want := []float64{10, 5, 2, 1, 0.5}
	for i := 0; i < 20; i++ {
		want = append(want, 1e-3*(1-float64(i)/40)) // a cluster after the gap
	}
	a, q := withSpectrum(rng, m, n, want)
	A := mat.NewDense(m, n, append([]float64(nil), a...))
	for _, flip := range []Flip{FlipLoadings, FlipFactors} {
		s, u, v := svdOf(t, m, n, append([]float64(nil), a...), Params{Solver: SolverExact, Flip: flip})
		V := mat.NewDense(n, n, v)
		for _, r := range []int{1, 2, 3, 4, 5, 25} {
			if sn := subspaceSin(mat.DenseCopyOf(q.Slice(0, n, 0, r)), mat.DenseCopyOf(V.Slice(0, n, 0, r))); sn > 1e-8 {
				t.Errorf("first %d right vectors: sin angle %g > 1e-8", r, sn)
			}
		}
		U := mat.NewDense(m, n, u)
		var us, rec mat.Dense
		us.Apply(func(i, j int, x float64) float64 { return x * s[j] }, U)
		rec.Mul(&us, V.T())
		rec.Sub(&rec, A)
		r := mat.Norm(&rec, 2) / s[0]
		t.Logf("flip %d: reconstruction ‖A − U·S·Vᵀ‖/‖A‖ = %.2g", flip, r)
		if r > 1e-13 {
			t.Errorf("reconstruction error %g", r)
		}
		side, rows := U, m
		if flip == FlipFactors {
			side, rows = V, n
		}
		for j := 0; j < 5; j++ {
			best := 0.0
			for i := 0; i < rows; i++ {
				if math.Abs(side.At(i, j)) > math.Abs(best) {
					best = side.At(i, j)
				}
			}
			if best <= 0 {
				t.Errorf("flip %d: column %d has its largest entry negative", flip, j)
			}
		}
	}
}

// TestRankDeficient: dead channels (zero columns) and per-pixel centring (each row minus its
// mean: rank drops by one) against gonum's LAPACK-style SVD of the prepared matrix.
func TestRankDeficient(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	m, n, rank := 400, 50, 12
	a, _ := withSpectrum(rng, m, n, graded(rank, 0)[:rank])
	for i := 0; i < m; i++ {
		a[i*n+3], a[i*n+17], a[i*n+40] = 0, 0, 0
		for j := 0; j < n; j++ {
			a[i*n+j] += 5 // an offset the per-pixel centring removes
		}
		a[i*n+3], a[i*n+17], a[i*n+40] = 0, 0, 0
	}
	for _, c := range []Centre{CentreNone, CentreSignal, CentreNavigation} {
		ref := mat.NewDense(m, n, append([]float64(nil), a...))
		for i := 0; i < m && c != CentreNone; i++ {
			row := ref.RawRowView(i)
			if c == CentreSignal {
				mu := 0.0
				for _, v := range row {
					mu += v / float64(n)
				}
				for j := range row {
					row[j] -= mu
				}
			}
		}
		if c == CentreNavigation {
			for j := 0; j < n; j++ {
				mu := 0.0
				for i := 0; i < m; i++ {
					mu += ref.At(i, j) / float64(m)
				}
				for i := 0; i < m; i++ {
					ref.Set(i, j, ref.At(i, j)-mu)
				}
			}
		}
		var sv mat.SVD
		sv.Factorize(ref, mat.SVDThin)
		want := sv.Values(nil)
		got, _, _ := svdOf(t, m, n, append([]float64(nil), a...), Params{Centre: c})
		worst := 0.0
		for i := range want {
			worst = max(worst, math.Abs(got[i]-want[i])/want[0])
		}
		t.Logf("centre %d: max |s − s_lapack| = %.2g·s_max", c, worst)
		if worst > 1e-9 {
			t.Errorf("centre %d: off by %g·s_max", c, worst)
		}
	}
}

// TestFloat32: float32 data, float64 accumulation: every value within 1e-4·s_max of the
// float64 decomposition of the same (float32-representable) data, zeros included.
func TestFloat32(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, sh := range [][2]int{{700, 90}, {90, 700}} {
		m, n := sh[0], sh[1]
		a, _ := withSpectrum(rng, m, n, graded(60, 20))
		a32 := make([]float32, len(a))
		for i, v := range a {
			a32[i] = float32(v)
			a[i] = float64(a32[i])
		}
		want, _, _ := svdOf(t, m, n, a, Params{})
		k := min(m, n)
		o := Output[float32]{Loadings: make([]float32, m*k), LdL: k, Factors: make([]float32, n*k), LdF: k, S: make([]float64, k)}
		if _, err := SVD(dense.Matrix[float32]{Data: a32, Rows: m, Cols: n, Stride: n}, Params{}, o); err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for i := range want {
			worst = max(worst, math.Abs(o.S[i]-want[i])/want[0])
		}
		t.Logf("%d×%d float32: max error %.2g·s_max", m, n, worst)
		if worst > 1e-4 {
			t.Errorf("%d×%d float32: off by %g·s_max", m, n, worst)
		}
	}
}

// TestRandomized: on a decaying spectrum the randomized top-k agrees with the exact values,
// is reproducible from its seed and independent of the thread count.
func TestRandomized(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	m, n := 2000, 300
	spec := make([]float64, n)
	for i := range spec {
		spec[i] = math.Pow(0.8, float64(i))
	}
	a, _ := withSpectrum(rng, m, n, spec)
	run := func(threads int) []float64 {
		s, _, _ := svdOf(t, m, n, append([]float64(nil), a...), Params{Components: 10, Solver: SolverRandomized, Seed: 42, PowerIters: -1, Threads: threads, Flip: FlipLoadings})
		return s
	}
	s1, s2 := run(1), run(3)
	for i := range s1 {
		if s1[i] != s2[i] {
			t.Fatalf("thread count changed s[%d]: %v vs %v", i, s1[i], s2[i])
		}
		if e := math.Abs(s1[i] - spec[i]); e > 1e-9 {
			t.Errorf("s[%d] = %v, want %v", i, s1[i], spec[i])
		}
	}
}

// TestMasksPoissonMatchDirect: masks + Keenan–Kotula scaling give the decomposition of the
// hand-prepared matrix, with NaN rows where the masks excluded data, empty pixels and dead
// channels giving no NaN.
func TestMasksPoissonMatchDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	m, n := 120, 40
	a := make([]float64, m*n)
	for i := range a {
		a[i] = float64(rng.IntN(20))
	}
	for j := 0; j < n; j++ {
		a[5*n+j] = 0 // an empty pixel
	}
	for i := 0; i < m; i++ {
		a[i*n+7] = 0 // a dead channel
	}
	nav, sig := make([]bool, m), make([]bool, n)
	nav[3], nav[50], sig[0], sig[33] = true, true, true, true
	k := 6
	o := Output[float64]{Loadings: make([]float64, m*k), LdL: k, Factors: make([]float64, n*k), LdF: k, S: make([]float64, k)}
	if _, err := SVD(dense.Matrix[float64]{Data: a, Rows: m, Cols: n, Stride: n}, Params{Components: k, Poisson: true, NavMask: nav, SigMask: sig, Flip: FlipLoadings}, o); err != nil {
		t.Fatal(err)
	}
	rows, cols := kept(nav, m), kept(sig, n)
	ref := mat.NewDense(len(rows), len(cols), nil)
	ra, rb := make([]float64, len(rows)), make([]float64, len(cols))
	for i, r := range rows {
		for j, c := range cols {
			ra[i] += a[r*n+c]
			rb[j] += a[r*n+c]
		}
	}
	for i, r := range rows {
		for j, c := range cols {
			ref.Set(i, j, a[r*n+c]/math.Sqrt(max(ra[i], 1)*max(rb[j], 1)))
		}
	}
	var sv mat.SVD
	sv.Factorize(ref, mat.SVDThin)
	want := sv.Values(nil)
	for j := 0; j < k; j++ {
		if math.Abs(o.S[j]-want[j]) > 1e-12*want[0] {
			t.Errorf("s[%d] = %v, want %v", j, o.S[j], want[j])
		}
	}
	for i := 0; i < m; i++ {
		for j := 0; j < k; j++ {
			if nan := math.IsNaN(o.Loadings[i*k+j]); nan != nav[i] {
				t.Fatalf("loadings[%d,%d] NaN=%v, masked=%v", i, j, nan, nav[i])
			}
		}
	}
	for i := 0; i < n; i++ {
		if nan := math.IsNaN(o.Factors[i*k]); nan != sig[i] {
			t.Fatalf("factors[%d] NaN=%v, masked=%v", i, nan, sig[i])
		}
	}
}

// TestCancel: a progress callback returning false stops the SVD with ErrCancelled.
func TestCancel(t *testing.T) {
	a := make([]float64, 300*20)
	for i := range a {
		a[i] = float64(i % 7)
	}
	for _, solver := range []Solver{SolverExact, SolverRandomized} {
		calls := 0
		_, err := SVD(dense.Matrix[float64]{Data: a, Rows: 300, Cols: 20, Stride: 20},
			Params{Components: 2, Solver: solver, Progress: func(done, total int64) bool { calls++; return false }},
			Output[float64]{S: make([]float64, 2)})
		if !errors.Is(err, fault.ErrCancelled) || calls != 1 {
			t.Errorf("solver %d: err %v after %d calls, want cancelled after 1", solver, err, calls)
		}
	}
}

func ExampleSVD() {
	x := []float64{3, 0, 0, 4, 0, 0}
	s := make([]float64, 2)
	_, err := SVD(dense.Matrix[float64]{Data: x, Rows: 3, Cols: 2, Stride: 2}, Params{}, Output[float64]{S: s})
	fmt.Println(s, err)
	// Output: [4 3] <nil>
}

// TestRandomizedAdaptive: the auto iteration count stops once the leading Ritz pairs have
// converged — with the values of the full count — and runs the full count when they do not.
func TestRandomizedAdaptive(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	m, n := 3000, 200
	fast := make([]float64, n)
	for i := range fast {
		fast[i] = math.Pow(0.5, float64(i))
	}
	flat := make([]float64, n)
	for i := range flat {
		flat[i] = 1 - 0.001*float64(i)
	}
	for _, c := range []struct {
		name      string
		spec      []float64
		earlyStop bool
	}{{"fast decay", fast, true}, {"flat", flat, false}} {
		a, _ := withSpectrum(rng, m, n, c.spec)
		run := func(iters int) ([]float64, Info) {
			s := make([]float64, 10)
			info, err := SVD(dense.Matrix[float64]{Data: a, Rows: m, Cols: n, Stride: n},
				Params{Components: 10, Solver: SolverRandomized, PowerIters: iters, Seed: 1}, Output[float64]{S: s})
			if err != nil {
				t.Fatal(err)
			}
			return s, info
		}
		sAuto, info := run(-1)
		maxIters := autoIters(10, n)
		sFull, full := run(maxIters)
		t.Logf("%s: auto ran %d of %d power iterations", c.name, info.PowerIters, full.PowerIters)
		if (info.PowerIters < maxIters) != c.earlyStop {
			t.Errorf("%s: auto ran %d iterations, early stop expected: %v", c.name, info.PowerIters, c.earlyStop)
		}
		for i := range sAuto {
			if c.earlyStop && math.Abs(sAuto[i]-sFull[i]) > 1e-13*sFull[0] {
				t.Errorf("%s: s[%d] = %v after the early stop, %v after %d iterations", c.name, i, sAuto[i], sFull[i], maxIters)
			}
		}
	}
}
