package gemm

// SumRows adds the rows of x listed in rows into sum, in the order listed: for each r of rows
// in turn, sum[j] += float64(x[r·ldx+j]), or with weights += float64(w[r])·float64(x[r·ldx+j])
// (the product rounded, then the sum), for j < len(sum). Every element of sum gets its additions
// in the order of rows, so when rows lists the rows of one k-means center in row order, sum is
// bit for bit that center's sum added row by row (kernels.Accumulate*): what changes is that
// each piece of sum stays in registers across the rows (AVX-512) instead of being loaded and
// stored once per row.
func SumRows[T Float](x []T, ldx int, rows []int32, w []T, sum []float64) {
	d := len(sum)
	if len(rows) == 0 || d == 0 {
		return
	}
	hi := int32(-1)
	for _, r := range rows {
		if r < 0 {
			panic("gemm: SumRows row index negative")
		}
		hi = max(hi, r)
	}
	if (hi > 0 && ldx < d) || int(hi)*ldx+d > len(x) || (w != nil && int(hi) >= len(w)) {
		panic("gemm: SumRows rows do not fit x")
	}
	done := sumRowsSIMD(x, ldx, rows, w, sum)
	sumRowsGeneric(x[done:], ldx, rows, w, sum[done:])
}

// sumRowsGeneric is SumRows in plain Go (also the columns the SIMD kernels leave).
func sumRowsGeneric[T Float](x []T, ldx int, rows []int32, w []T, sum []float64) {
	if len(sum) == 0 {
		return
	}
	for _, r := range rows {
		row := x[int(r)*ldx : int(r)*ldx+len(sum)]
		if w == nil {
			for j, v := range row {
				sum[j] += float64(v)
			}
			continue
		}
		wr := float64(w[r])
		for j, v := range row {
			sum[j] += wr * float64(v)
		}
	}
}

// sumRowsSIMD runs SumRows' kernels of the installed backend (kernel.sumRows) over the whole
// chunks, then over one half, quarter and eighth of a chunk of the columns left where they fit,
// and reports how many columns it did (none where the backend has none, as the generic one; fewer than an eighth of a
// chunk are left over). Indices are checked by SumRows.
func sumRowsSIMD[T Float](x []T, ldx int, rows []int32, w []T, sum []float64) int {
	kr := kernelFor[T]()
	chunk := kr.sumChunk
	if chunk == 0 || len(sum) < chunk/8 {
		return 0
	}
	var wp *T
	if w != nil {
		wp = &w[0]
	}
	done := 0
	if chunks := len(sum) / chunk; chunks > 0 {
		kr.sumRows[0](&x[0], ldx, &rows[0], len(rows), wp, &sum[0], chunks)
		done = chunks * chunk
	}
	for i, width := range []int{chunk / 2, chunk / 4, chunk / 8} {
		if len(sum)-done >= width {
			kr.sumRows[i+1](&x[done], ldx, &rows[0], len(rows), wp, &sum[done], 1)
			done += width
		}
	}
	return done
}
