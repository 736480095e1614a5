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

// dotGeneric is the reference of Dot: Σ x[j]·y[j] in order.
func dotGeneric(x, y []float64) float64 {
	y = y[:len(x)]
	var s float64
	for j, v := range x {
		s += v * y[j]
	}
	return s
}

// axpyGeneric is the reference of Axpy: y[j] += alpha·x[j].
func axpyGeneric(alpha float64, x, y []float64) {
	y = y[:len(x)]
	for j, v := range x {
		y[j] += alpha * v
	}
}

// dotRowsGeneric is the reference of DotRows: one in-order dot product per row.
func dotRowsGeneric(a []float64, lda int, x, out []float64) {
	for i := range out {
		out[i] = dotGeneric(x, a[i*lda:i*lda+len(x)])
	}
}

// axpyRowsGeneric is the reference of AxpyRows: the rows' contributions summed in row order,
// then added to acc.
func axpyRowsGeneric(a []float64, lda, m int, x []float64, incX int, acc []float64) {
	for j := range acc {
		var s float64
		for i := 0; i < m; i++ {
			s += x[i*incX] * a[i*lda+j]
		}
		acc[j] += s
	}
}

// dot2Axpy2Generic is the reference of dot2Axpy2: the two dot products in order, and
// y[j] += x0·r0[j] + x1·r1[j].
func dot2Axpy2Generic(r0, r1, x, y []float64, x0, x1 float64) (float64, float64) {
	r1, x, y = r1[:len(r0)], x[:len(r0)], y[:len(r0)]
	var s0, s1 float64
	for j, v := range r0 {
		s0 += v * x[j]
		s1 += r1[j] * x[j]
		y[j] += x0*v + x1*r1[j]
	}
	return s0, s1
}

// symvChunks is the largest number of row chunks of Symv, and symvChunkRows the order per
// chunk: the count depends on n alone, so the partial vectors are always the same and are added
// in the same order whatever the threads. Each chunk costs a partial vector to clear and to add,
// which below a few hundred rows is as much as the product itself.
var symvBufs = sync.Pool{New: func() any { return new([]float64) }}

const (
	symvChunks    = 8
	symvChunkRows = 128
)

// Symv computes y = α·A·x for the symmetric n×n A stored in its upper (or lower) triangle,
// row-major with stride lda. Each stored row is read once: it gives the dot product for its own
// y entry and the axpy for the mirrored column; rows go in pairs, so the vectors x and y pass
// through the cache once for two rows. Rows are cut into symvChunks chunks of equal area, each
// with its own partial y, summed in chunk order: bitwise the same for any threads.
func Symv(upper bool, n int, alpha float64, a []float64, lda int, x, y []float64, threads int) {
	if n == 0 {
		return
	}
	nch := min(symvChunks, max(1, n/symvChunkRows))
	if n < 256 {
		nch = 1
	}
	tri := Lower
	if upper {
		tri = Upper
	}
	bounds := splitStrips(n, 2, nch, tri, false)
	parts := len(bounds) - 1
	y = y[:n]
	var buf []float64
	if parts == 1 {
		// One chunk sums straight into y: no partial vector to allocate.
		buf = y
		clear(buf)
	} else {
		// Recycled: the tridiagonal reduction calls Symv once per column, and fresh partial
		// vectors (256 KiB each call at n = 4096) were most of its garbage, which set the
		// process's peak memory before the collector caught up.
		pb := symvBufs.Get().(*[]float64)
		if cap(*pb) < parts*n {
			*pb = make([]float64, parts*n)
		}
		buf = (*pb)[:parts*n]
		clear(buf)
		defer func() { *pb = buf; symvBufs.Put(pb) }()
	}
	do := func(c int) {
		p := buf[c*n : (c+1)*n]
		i, hi := bounds[c], bounds[c+1]
		for ; i+1 < hi; i += 2 {
			x0, x1 := x[i], x[i+1]
			if upper {
				r0, r1 := a[i*lda+i:i*lda+n], a[(i+1)*lda+i+1:(i+1)*lda+n]
				// The 2×2 diagonal block enters the dots only; the pair's axpy covers j > i+1.
				s0, s1 := dot2Axpy2(r0[2:], r1[1:], x[i+2:n], p[i+2:n], x0, x1)
				p[i] += r0[0]*x0 + r0[1]*x1 + s0
				p[i+1] += r0[1]*x0 + r1[0]*x1 + s1
			} else {
				r0, r1 := a[i*lda:i*lda+i+1], a[(i+1)*lda:(i+1)*lda+i+2]
				s0, s1 := dot2Axpy2(r0[:i], r1[:i], x[:i], p[:i], x0, x1)
				p[i] += s0 + r0[i]*x0 + r1[i]*x1
				p[i+1] += s1 + r1[i]*x0 + r1[i+1]*x1
			}
		}
		if i < hi {
			if upper {
				row := a[i*lda+i : i*lda+n]
				s := row[0] * x[i]
				p[i] += s + dotAxpy(row[1:], x[i+1:n], p[i+1:n], x[i])
			} else {
				row := a[i*lda : i*lda+i+1]
				s := dotAxpy(row[:i], x[:i], p[:i], x[i])
				p[i] += s + row[i]*x[i]
			}
		}
	}
	if (threads <= 0 || threads > 1) && n >= 256 {
		var wg sync.WaitGroup
		for c := 0; c < parts; c++ {
			wg.Add(1)
			go func() { defer wg.Done(); do(c) }()
		}
		wg.Wait()
	} else {
		for c := 0; c < parts; c++ {
			do(c)
		}
	}
	if parts == 1 {
		for i, v := range y {
			y[i] = alpha * v
		}
		return
	}
	for i := range y {
		s := buf[i]
		for c := 1; c < parts; c++ {
			s += buf[c*n+i]
		}
		y[i] = alpha * s
	}
}
