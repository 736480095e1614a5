package cluster

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/stretchr/testify/require"
)

func toF32(x dense.Matrix[float64]) dense.Matrix[float32] {
	out := make([]float32, len(x.Data))
	for i, v := range x.Data {
		out[i] = float32(v)
	}
	return dense.Matrix[float32]{Data: out, Rows: x.Rows, Cols: x.Cols, Stride: x.Stride}
}

// rowsAsInit returns k rows of x drawn without replacement: a start away from the truth, so
// the fits iterate (and clusters merge, empty and get relocated on some of the cases).
func rowsAsInit[T dense.Float](x dense.Matrix[T], k int, seed uint64) []T {
	rng := rand.New(rand.NewPCG(seed, 2))
	out := make([]T, 0, k*x.Cols)
	for _, i := range rng.Perm(x.Rows)[:k] {
		out = append(out, x.Row(i)...)
	}
	return out
}

// fitWith runs FitKMeans from init with the given algorithm and thread count.
func fitWith[T dense.Float](t *testing.T, x dense.Matrix[T], init []T, k int, algo Algorithm, threads int) *KMeansResult[T] {
	return fitWeighted(t, x, nil, init, k, algo, threads)
}

// fitWeighted is fitWith with weights w (nil: unit weights).
func fitWeighted[T dense.Float](t *testing.T, x dense.Matrix[T], w, init []T, k int, algo Algorithm, threads int) *KMeansResult[T] {
	p := DefaultKMeansParams()
	p.MaxIter = maxIterForTests
	p.K, p.Init, p.Algorithm, p.Threads = k, InitGiven, algo, threads
	res, err := FitKMeans(x, w, init, p)
	require.NoError(t, err)
	return res
}

// triangleAlgorithms are the bound-based assignments, each of which must give Lloyd's result.
var triangleAlgorithms = []Algorithm{AlgoHamerly, AlgoElkan, AlgoYinyang}

// sameFit requires the results to be identical bit for bit: labels, centers, inertia, n_iter.
func sameFit[T dense.Float](t *testing.T, want, got *KMeansResult[T], what string) {
	require.Equal(t, want.Labels, got.Labels, what)
	require.Equal(t, want.NIter, got.NIter, what)
	require.Equal(t, want.Centers, got.Centers, what)
	require.Equal(t, want.Inertia, got.Inertia, what)
}

// maxIterForTests keeps uniform data (which converges slowly) quick; a fit cut short ends with
// the same final assignment, so it is compared just as well.
const maxIterForTests = 40

// withoutWarmUp runs f with the bound-based fits using their bounds from the first pass (no
// Lloyd passes first): on the small test fits the warm-up could otherwise cover every pass.
func withoutWarmUp(f func()) {
	triangleWarmUp = false
	defer func() { triangleWarmUp = true }()
	f()
}

func checkTriangle[T dense.Float](t *testing.T, x dense.Matrix[T], k int, seed uint64) {
	checkTriangleOnce(t, x, k, seed)
	withoutWarmUp(func() { checkTriangleOnce(t, x, k, seed) })
}

func checkTriangleOnce[T dense.Float](t *testing.T, x dense.Matrix[T], k int, seed uint64) {
	init := rowsAsInit(x, k, seed)
	lloyd := fitWith(t, x, init, k, AlgoLloyd, 0)
	for _, algo := range triangleAlgorithms {
		what := fmt.Sprintf("algorithm %d, n=%d d=%d k=%d %T", algo, x.Rows, x.Cols, k, x.Data[0])
		sameFit(t, lloyd, fitWith(t, x, init, k, algo, 1), what)
		sameFit(t, lloyd, fitWith(t, x, init, k, algo, 2), what+", 2 threads")
		sameFit(t, lloyd, fitWith(t, x, init, k, algo, 3), what+", 3 threads")
	}
}

// Hamerly and Elkan only skip what their bounds prove Lloyd would not change, so from the same
// init they give Lloyd's result exactly: labels, centers, inertia and iteration count.
func TestTriangleEqualsLloydOnBlobs(t *testing.T) {
	cases := []struct{ n, d, k int }{
		{100000, 2, 8}, {20000, 3, 64}, {20000, 10, 2}, {6000, 32, 64}, {4000, 128, 16},
		{640, 512, 64}, {2000, 512, 3},
	}
	for i, c := range cases {
		t.Run(fmt.Sprintf("n%d_d%d_k%d", c.n, c.d, c.k), func(t *testing.T) {
			x, _ := blobs(max(c.n/raceShrink, 4*c.k), c.d, c.k, uint64(i+1))
			checkTriangle(t, x, c.k, uint64(i))
			checkTriangle(t, toF32(x), c.k, uint64(i))
		})
	}
}

// Uniform data has no separation at all: many rows sit near a boundary, so the slack and the
// fall-back to Lloyd's kernel for ambiguous rows decide. The result must still be Lloyd's.
func TestTriangleEqualsLloydOnUniform(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, c := range []struct{ n, d, k int }{{10000, 4, 16}, {2000, 64, 32}} {
		c.n /= raceShrink
		data := make([]float64, c.n*c.d)
		for i := range data {
			data[i] = rng.Float64() + 100 // far from the origin: cancellation in ‖c‖² − 2x·c
		}
		x := dense.Matrix[float64]{Data: data, Rows: c.n, Cols: c.d, Stride: c.d}
		t.Run(fmt.Sprintf("n%d_d%d_k%d", c.n, c.d, c.k), func(t *testing.T) {
			checkTriangle(t, x, c.k, 3)
			checkTriangle(t, toF32(x), c.k, 3)
		})
	}
}

// Weights change the means, hence the centers' paths and the bounds' moves; the chunk sums the
// bound-based passes keep or re-form must still be Lloyd's bits, for any thread count.
func TestTriangleEqualsLloydWithWeights(t *testing.T) {
	for i, c := range []struct{ n, d, k int }{{20000, 3, 64}, {4000, 32, 64}, {1000, 256, 32}} {
		x, _ := blobs(max(c.n/raceShrink, 4*c.k), c.d, c.k, uint64(i+11))
		rng := rand.New(rand.NewPCG(uint64(i), 5))
		w := make([]float64, x.Rows)
		for j := range w {
			w[j] = 0.25 + 2*rng.Float64()
			if j%17 == 0 {
				w[j] = 0 // rows that count for nothing still get labels
			}
		}
		x32, w32 := toF32(x), make([]float32, len(w))
		for j, v := range w {
			w32[j] = float32(v)
		}
		t.Run(fmt.Sprintf("n%d_d%d_k%d", c.n, c.d, c.k), func(t *testing.T) {
			checkWeighted(t, x, w, c.k, uint64(i))
			checkWeighted(t, x32, w32, c.k, uint64(i))
		})
	}
}

func checkWeighted[T dense.Float](t *testing.T, x dense.Matrix[T], w []T, k int, seed uint64) {
	checkWeightedOnce(t, x, w, k, seed)
	withoutWarmUp(func() { checkWeightedOnce(t, x, w, k, seed) })
}

func checkWeightedOnce[T dense.Float](t *testing.T, x dense.Matrix[T], w []T, k int, seed uint64) {
	init := rowsAsInit(x, k, seed)
	lloyd := fitWeighted(t, x, w, init, k, AlgoLloyd, 0)
	for _, algo := range triangleAlgorithms {
		for _, threads := range []int{1, 2, 3} {
			what := fmt.Sprintf("algorithm %d, weighted, d=%d k=%d %T, %d threads", algo, x.Cols, k, x.Data[0], threads)
			sameFit(t, lloyd, fitWeighted(t, x, w, init, k, algo, threads), what)
		}
	}
}

// The groups Yinyang forms are a partition of the centers (every center in exactly one group,
// members listed in index order), whatever the number of centers.
func TestYinyangGroupsPartitionTheCenters(t *testing.T) {
	for _, k := range []int{1, 2, 5, 15, 64, 301} {
		x, _ := blobs(4*k, 7, k, uint64(k))
		init := rowsAsInit(x, k, 1)
		var g yinyangGroups
		g.form(init, k, x.Cols)
		require.Equal(t, yinyangGroupCount(k), g.count)
		seen := make([]int, k)
		for q, m := range g.members {
			for p, j := range m {
				require.Equal(t, q, g.of[j])
				if p > 0 {
					require.Less(t, m[p-1], j)
				}
				seen[j]++
			}
		}
		for j, c := range seen {
			require.Equal(t, 1, c, "center %d of %d", j, k)
		}
	}
}

func TestAutoAlgorithm(t *testing.T) {
	require.Equal(t, AlgoLloyd, ChooseAlgorithm(256, 3, 4))
	require.Equal(t, AlgoLloyd, ChooseAlgorithm(256, 8, 4))
	require.Equal(t, AlgoHamerly, ChooseAlgorithm(256, 9, 8))
	require.Equal(t, AlgoHamerly, ChooseAlgorithm(32, 64, 4))
	require.Equal(t, AlgoHamerly, ChooseAlgorithm(32, 64, 8))
	require.Equal(t, AlgoLloyd, ChooseAlgorithm(16, 64, 8))
	require.Equal(t, AlgoLloyd, ChooseAlgorithm(16, 64, 4))
	require.Equal(t, AlgoLloyd, ChooseAlgorithm(3, 64, 4))
	require.Equal(t, AlgoHamerly, ChooseAlgorithm(256, 64, 4))
	x, _ := blobs(2000, 128, 40, 4)
	init := rowsAsInit(x, 40, 1)
	sameFit(t, fitWith(t, x, init, 40, AlgoLloyd, 0), fitWith(t, x, init, 40, AlgoAuto, 0), "auto")
}

// Every restart's first pass counts as a change, as in Lloyd's (whose previous labels are
// none), even when its labels equal those the previous restart ended with. Started next to
// converged centers (moved by far less than the blobs' spread but more than the tolerance),
// every restart of Lloyd takes two iterations: the first keeps the labels and moves the centers
// back, the second finds nothing changed. A bound-based restart must not stop after one.
func TestTriangleRestartCountsFirstPassAsChange(t *testing.T) {
	x, truth := blobs(3000, 8, 16, 21)
	init := fitWith(t, x, truth, 16, AlgoLloyd, 0).Centers
	for i := range init {
		init[i] += 0.1
	}
	progress := func(algo Algorithm) []int64 {
		var done []int64
		p := DefaultKMeansParams()
		p.K, p.Init, p.Algorithm, p.NInit = 16, InitGiven, algo, 3
		p.Progress = func(d, _ int64) bool { done = append(done, d); return true }
		_, err := FitKMeans(x, nil, init, p)
		require.NoError(t, err)
		return done
	}
	want := progress(AlgoLloyd)
	require.Equal(t, []int64{1, 2, 301, 302, 601, 602}, want, "the set-up: two iterations a restart")
	withoutWarmUp(func() {
		for _, algo := range triangleAlgorithms {
			require.Equal(t, want, progress(algo), "algorithm %d", algo)
		}
	})
}

// A pass in which one center moves much farther than every other (the first passes without the
// warm-up: centers drawn from the rows cross to other blobs) gives the rows not labelled by it a
// lower bound from their distance to that center (topMoverSettle). The fit must still be
// Lloyd's, bit for bit, on any thread count, and the path must have settled rows.
func TestHamerlyTopMoverEqualsLloyd(t *testing.T) {
	before := topMoverSettled.Load()
	const k = 16
	x, _ := blobs(max(4000/raceShrink, 8*k), 128, k, 3)
	withoutWarmUp(func() {
		for seed := uint64(0); seed < 3; seed++ {
			init := rowsAsInit(x, k, seed)
			lloyd := fitWith(t, x, init, k, AlgoLloyd, 0)
			x32, init32 := toF32(x), rowsAsInit(toF32(x), k, seed)
			lloyd32 := fitWith(t, x32, init32, k, AlgoLloyd, 0)
			for _, threads := range []int{1, 2} {
				what := fmt.Sprintf("seed %d, %d threads", seed, threads)
				sameFit(t, lloyd, fitWith(t, x, init, k, AlgoHamerly, threads), what)
				sameFit(t, lloyd32, fitWith(t, x32, init32, k, AlgoHamerly, threads), what+", float32")
			}
		}
	})
	require.Greater(t, topMoverSettled.Load(), before, "no row was settled by the top mover's distance")
}
