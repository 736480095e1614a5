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
