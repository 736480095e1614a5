package cluster

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels"
)

// kmeansPlusPlus fills centers (k×d) by greedy k-means++ as scikit-learn's _kmeans_plusplus:
// the first center is a row drawn with probability ∝ weight; each next one is the best of
// 2+⌊ln k⌋ candidates drawn ∝ weight·D², best meaning the lowest resulting potential Σ w·D².
func kmeansPlusPlus[T dense.Float](x dense.Matrix[T], w []T, k, threads int, rng *rand.Rand, centers []T) error {
	n, d := x.Rows, x.Cols
	o := opsFor[T]()
	chunks := rowChunks(n)
	xnorm := make([]T, n)
	if err := parallel.Run(chunks, threads, func(_, lo, hi int) error {
		o.sqNorms(x.Data[lo*x.Stride:], x.Stride, hi-lo, d, xnorm[lo:hi])
		return nil
	}); err != nil {
		return err
	}
	weight := func(i int) float64 {
		if w == nil {
			return 1
		}
		return float64(w[i])
	}
	trials := 2 + int(math.Log(float64(k)))

	first := drawWeighted(n, weight, rng)
	copy(centers[:d], x.Row(first))
	closest := make([]float64, n)
	var pack []T // per chunk: the kernels' scratch (the streaming pass at d > 64, the values' block), reused by every call
	if n >= 32 {
		pack = make([]T, chunks.Count*kernels.PackLen(d))
	}
	if err := sqDistancesTo(x, xnorm, x.Row(first), 1, o, chunks, threads, pack, [][]float64{closest}); err != nil {
		return err
	}
	pot := weightedSum(closest, weight)

	cand := make([][]float64, trials)
	for t := range cand {
		cand[t] = make([]float64, n)
	}
	cum := make([]float64, n)
	ids := make([]int, trials)
	ys := make([]T, trials*d) // the candidates' rows
	for c := 1; c < k; c++ {
		var s float64
		for i, v := range closest {
			s += weight(i) * v
			cum[i] = s
		}
		for t := range ids {
			target := rng.Float64() * pot
			ids[t] = min(sort.SearchFloat64s(cum, target), n-1)
		}
		for t, id := range ids {
			copy(ys[t*d:(t+1)*d], x.Row(id))
		}
		if err := sqDistancesTo(x, xnorm, ys, trials, o, chunks, threads, pack, cand); err != nil {
			return err
		}
		bestT, bestPot := -1, math.Inf(1)
		for t := range ids {
			var p float64
			for i, v := range cand[t] {
				if closest[i] < v {
					v = closest[i]
				}
				cand[t][i] = v
				p += weight(i) * v
			}
			if p < bestPot {
				bestT, bestPot = t, p
			}
		}
		pot = bestPot
		closest, cand[bestT] = cand[bestT], closest
		copy(centers[c*d:(c+1)*d], x.Row(ids[bestT]))
	}
	return nil
}

// sqDistancesTo writes out[t][i] = max(0, ‖x_i‖² − 2x_i·y_t + ‖y_t‖²), the expansion scikit-learn
// uses, for the m rows y_t of ys, in one read of x: each value is the one nearest compares (the
// values kernel's), so the distances are those of one call per y_t, bit for bit. k-means++ takes
// its 2 + ln k candidates this way: at 65 536×256 float32, k = 16, a default fit spent 44% of its
// time in the candidates' passes over X, one per candidate. pack is nil or PackLen(d) elements of
// scratch per chunk.
func sqDistancesTo[T dense.Float](x dense.Matrix[T], xnorm []T, ys []T, m int, o ops[T], chunks parallel.Chunks, threads int, pack []T, out [][]float64) error {
	d := x.Cols
	ynorm := make([]T, m)
	o.sqNorms(ys, d, m, d, ynorm)
	pl := kernels.PackLen(d)
	return parallel.Run(chunks, threads, func(ci, lo, hi int) error {
		vals := make([]T, blockRows*m)
		var cp []T
		if pack != nil {
			cp = pack[ci*pl : (ci+1)*pl]
		}
		for b := lo; b < hi; b += blockRows {
			e := min(b+blockRows, hi)
			o.values(x.Data[b*x.Stride:], x.Stride, e-b, d, ys, m, ynorm, vals[:(e-b)*m], cp)
			for t := 0; t < m; t++ {
				for i := b; i < e; i++ {
					out[t][i] = max(0, float64(xnorm[i]+vals[(i-b)*m+t]))
				}
			}
		}
		return nil
	})
}

func weightedSum(v []float64, weight func(int) float64) float64 {
	var s float64
	for i, x := range v {
		s += weight(i) * x
	}
	return s
}

// drawWeighted returns an index in [0, n) drawn with probability ∝ weight(i).
func drawWeighted(n int, weight func(int) float64, rng *rand.Rand) int {
	var total float64
	for i := 0; i < n; i++ {
		total += weight(i)
	}
	target := rng.Float64() * total
	var s float64
	for i := 0; i < n; i++ {
		s += weight(i)
		if s > target {
			return i
		}
	}
	return n - 1
}

// randomInit fills centers with k distinct rows drawn without replacement with probability
// ∝ weight (uniformly without weights), as scikit-learn's init="random".
func randomInit[T dense.Float](x dense.Matrix[T], w []T, k int, rng *rand.Rand, centers []T) {
	n, d := x.Rows, x.Cols
	if w == nil {
		// Partial Fisher–Yates over an index table: O(n) memory, k draws.
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		for c := 0; c < k; c++ {
			j := c + rng.IntN(n-c)
			idx[c], idx[j] = idx[j], idx[c]
			copy(centers[c*d:(c+1)*d], x.Row(idx[c]))
		}
		return
	}
	taken := make([]bool, n)
	for c := 0; c < k; c++ {
		weight := func(i int) float64 {
			if taken[i] {
				return 0
			}
			return float64(w[i])
		}
		i := drawWeighted(n, weight, rng)
		taken[i] = true
		copy(centers[c*d:(c+1)*d], x.Row(i))
	}
}
