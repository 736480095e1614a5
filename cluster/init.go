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
	p := candidates[T]{x: x, xnorm: xnorm, w: w, o: o, chunks: chunks, threads: threads, pack: pack}
	if _, err := p.potentials(x.Row(first), 1, nil, [][]float64{closest}); err != nil {
		return err
	}

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
		pot := s
		for t := range ids {
			target := rng.Float64() * pot
			ids[t] = min(sort.SearchFloat64s(cum, target), n-1)
		}
		for t, id := range ids {
			copy(ys[t*d:(t+1)*d], x.Row(id))
		}
		pots, err := p.potentials(ys, trials, closest, cand)
		if err != nil {
			return err
		}
		bestT := 0
		for t, v := range pots {
			if v < pots[bestT] {
				bestT = t
			}
		}
		closest, cand[bestT] = cand[bestT], closest
		copy(centers[c*d:(c+1)*d], x.Row(ids[bestT]))
	}
	return nil
}

// candidates is what k-means++ needs to weigh its candidates in one read of X: the rows, their
// squared norms, the weights (nil: unit), and the kernels' scratch per chunk.
type candidates[T dense.Float] struct {
	x       dense.Matrix[T]
	xnorm   []T
	w       []T
	o       ops[T]
	chunks  parallel.Chunks
	threads int
	pack    []T // nil or PackLen(d) elements a chunk
}

// potentials writes, for each of the m rows y_t of ys, out[t][i] = min(closest[i], D²(x_i, y_t))
// (closest nil: D² alone), D² = max(0, ‖x_i‖² − 2x_i·y_t + ‖y_t‖²) as scikit-learn expands it, and
// returns each candidate's potential Σ w_i·out[t][i], added in row order within a block, then
// block by block and chunk by chunk (the same for any thread count). All m candidates in one read
// of x: each value is the one nearest compares (the values kernel's), so the distances are those
// of one call per candidate, bit for bit. One pass per candidate, and the minima and potentials
// in a serial loop after it, took 44% of a default fit at 65 536×256 float32, k = 16 (the passes)
// and a fifth of one at 200 000×3 float64, k = 64 (the loop).
func (p candidates[T]) potentials(ys []T, m int, closest []float64, out [][]float64) ([]float64, error) {
	d := p.x.Cols
	ynorm := make([]T, m)
	p.o.sqNorms(ys, d, m, d, ynorm)
	pl := kernels.PackLen(d)
	part := make([]float64, p.chunks.Count*m) // per chunk and candidate
	err := parallel.Run(p.chunks, p.threads, func(ci, lo, hi int) error {
		vals := make([]T, blockRows*m)
		var cp []T
		if p.pack != nil {
			cp = p.pack[ci*pl : (ci+1)*pl]
		}
		for b := lo; b < hi; b += blockRows {
			e := min(b+blockRows, hi)
			p.o.values(p.x.Data[b*p.x.Stride:], p.x.Stride, e-b, d, ys, m, ynorm, vals[:(e-b)*m], cp)
			var wb []T
			if p.w != nil {
				wb = p.w[b:e]
			}
			for t := 0; t < m; t++ {
				dst := out[t][b:e]
				for i := range dst {
					dst[i] = max(0, float64(p.xnorm[b+i]+vals[i*m+t]))
				}
				if closest != nil {
					// Branch-free: which of the two is smaller is a coin toss for a candidate
					// far from most rows, and a branch on it cost more than the rest of the loop.
					for i, c := range closest[b:e] {
						dst[i] = min(dst[i], c)
					}
				}
				part[ci*m+t] += weightedSum(dst, wb)
			}
		}
		return nil
	})
	pots := make([]float64, m)
	for ci := 0; ci < p.chunks.Count; ci++ {
		for t := range pots {
			pots[t] += part[ci*m+t]
		}
	}
	return pots, err
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

// weightedSum is Σ w[i]·v[i] (w nil: Σ v[i]), in order. (Four interleaved partial sums were
// within the noise of this at 200 000×3 and 10⁶×5, once the minima went branch-free.)
func weightedSum[T dense.Float](v []float64, w []T) float64 {
	var s float64
	if w == nil {
		for _, x := range v {
			s += x
		}
		return s
	}
	w = w[:len(v)]
	for i, x := range v {
		s += float64(w[i]) * x
	}
	return s
}
