package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/kernels"
	"github.com/stretchr/testify/require"
)

// k-means++ weighs all its candidates in one read of X (candidates.potentials): each row's D² to
// each candidate must be the one a nearest pass to that candidate alone gives, bit for bit (so
// the draws do not depend on how many candidates share the pass), the minima with the current
// distances exact, the potentials Σ w·D² to a sum's rounding, and all of it the same on one
// thread as on two.
func TestCandidatePotentials(t *testing.T) {
	for _, s := range []struct{ n, d, m int }{{1000, 3, 6}, {999, 32, 4}, {1003, 100, 3}, {517, 256, 8}, {40, 5, 1}} {
		for _, weighted := range []bool{false, true} {
			name := fmt.Sprintf("n=%d/d=%d/m=%d/weighted=%v", s.n, s.d, s.m, weighted)
			t.Run("f64/"+name, func(t *testing.T) { candidatePotentials[float64](t, s.n, s.d, s.m, weighted) })
			t.Run("f32/"+name, func(t *testing.T) { candidatePotentials[float32](t, s.n, s.d, s.m, weighted) })
		}
	}
}

func candidatePotentials[T dense.Float](t *testing.T, n, d, m int, weighted bool) {
	rng := rand.New(rand.NewPCG(uint64(n), uint64(d*m)))
	x := dense.Matrix[T]{Data: make([]T, n*d), Rows: n, Cols: d, Stride: d}
	for i := range x.Data {
		x.Data[i] = T(rng.NormFloat64())
	}
	var w []T
	if weighted {
		w = make([]T, n)
		for i := range w {
			w[i] = T(0.5 + rng.Float64())
		}
	}
	ys := make([]T, 0, m*d)
	for range m {
		ys = append(ys, x.Row(rng.IntN(n))...)
	}
	closest := make([]float64, n)
	for i := range closest {
		closest[i] = 2 * float64(d) * rng.Float64()
	}
	o := opsFor[T]()
	xnorm := make([]T, n)
	o.sqNorms(x.Data, d, n, d, xnorm)

	run := func(threads int) ([]float64, [][]float64) {
		chunks := rowChunks(n)
		p := candidates[T]{x: x, xnorm: xnorm, w: w, o: o, chunks: chunks, threads: threads, pack: make([]T, chunks.Count*kernels.PackLen(d))}
		out := make([][]float64, m)
		for j := range out {
			out[j] = make([]float64, n)
		}
		pots, err := p.potentials(ys, m, closest, out)
		require.NoError(t, err)
		return pots, out
	}
	pots, out := run(2)
	pots1, out1 := run(1)
	require.Equal(t, pots, pots1, "potentials, one thread against two")
	require.Equal(t, out, out1, "distances, one thread against two")

	labels, part, ynorm := make([]int32, n), make([]T, n), make([]T, 1)
	for j := 0; j < m; j++ {
		y := ys[j*d : (j+1)*d]
		o.sqNorms(y, d, 1, d, ynorm)
		o.nearestPacked(x.Data, d, n, d, y, 1, ynorm, labels, part, make([]T, kernels.PackLen(d)))
		var want float64
		for i := 0; i < n; i++ {
			v := min(closest[i], max(0, float64(xnorm[i]+part[i])))
			require.Equal(t, math.Float64bits(v), math.Float64bits(out[j][i]), "candidate %d, row %d", j, i)
			if w != nil {
				v *= float64(w[i])
			}
			want += v
		}
		require.InEpsilon(t, want, pots[j], 1e-12, "candidate %d's potential", j)
	}
}
