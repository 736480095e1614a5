package gemm

import "sync"

// dotAxpyGeneric is the reference of dotAxpy: Σ r[j]·x[j] in order, and y[j] += xi·r[j].
func dotAxpyGeneric(r, x, y []float64, xi float64) float64 {
	x, y = x[:len(r)], y[:len(r)]
	var s float64
	for j, v := range r {
		s += v * x[j]
		y[j] += v * xi
	}
	return s
}

// symvChunks is the number of row chunks of Symv: fixed (it depends on nothing), so the
// partial vectors are always the same and are added in the same order.
const symvChunks = 8

// Symv computes y = α·A·x for the symmetric n×n A stored in its upper (or lower) triangle,
// row-major with stride lda. Each stored row is read once: it gives the dot product for its own
// y entry and the axpy for the mirrored column. Rows are cut into symvChunks chunks of equal
// area, each with its own partial y, summed in chunk order: bitwise the same for any threads.
func Symv(upper bool, n int, alpha float64, a []float64, lda int, x, y []float64, threads int) {
	if n == 0 {
		return
	}
	nch := symvChunks
	if n < 128 {
		nch = 1
	}
	bounds := splitStrips(n, 1, nch, map[bool]Triangle{true: Upper, false: Lower}[upper], false)
	parts := make([][]float64, len(bounds)-1)
	do := func(c int) {
		p := make([]float64, n)
		for i := bounds[c]; i < bounds[c+1]; i++ {
			if upper {
				row := a[i*lda+i : i*lda+n]
				// The diagonal enters the dot only; the axpy covers j > i.
				s := row[0] * x[i]
				p[i] += s + dotAxpy(row[1:], x[i+1:n], p[i+1:n], x[i])
			} else {
				row := a[i*lda : i*lda+i+1]
				s := dotAxpy(row[:i], x[:i], p[:i], x[i])
				p[i] += s + row[i]*x[i]
			}
		}
		parts[c] = p
	}
	if (threads <= 0 || threads > 1) && n >= 256 {
		var wg sync.WaitGroup
		for c := range parts {
			wg.Add(1)
			go func() { defer wg.Done(); do(c) }()
		}
		wg.Wait()
	} else {
		for c := range parts {
			do(c)
		}
	}
	for i := 0; i < n; i++ {
		var s float64
		for _, p := range parts {
			s += p[i]
		}
		y[i] = alpha * s
	}
}
