package kernels

// Float is the element type of every kernel.
type Float interface{ float32 | float64 }

// dotGeneric returns Σ a[i]·b[i] over len(a), accumulated in T in index order.
func dotGeneric[T Float](a, b []T) T {
	b = b[:len(a)]
	var s T
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// sqNormsGeneric writes out[i] = Σ_j x[i*ldx+j]² for the n rows of width d.
func sqNormsGeneric[T Float](x []T, ldx, n, d int, out []T) {
	for i := 0; i < n; i++ {
		row := x[i*ldx : i*ldx+d]
		out[i] = dotGeneric(row, row)
	}
}

// nearestGeneric assigns each of the n rows of x (width d, stride ldx) to the nearest of the k
// centers c (k×d, contiguous) whose squared norms are cnorm. It writes labels[i] = argmin_j and
// part[i] = min_j (cnorm[j] − 2·x_i·c_j), the squared distance less ‖x_i‖². Ties go to the lowest
// index, as scikit-learn's. Computing ‖c‖² − 2x·c (not ‖x−c‖²) is what scikit-learn does too, so the
// same rounding decides near-ties.
func nearestGeneric[T Float](x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part []T) {
	for i := 0; i < n; i++ {
		row := x[i*ldx : i*ldx+d]
		best := cnorm[0] - 2*dotGeneric(row, c[:d])
		arg := int32(0)
		for j := 1; j < k; j++ {
			v := cnorm[j] - 2*dotGeneric(row, c[j*d:j*d+d])
			if v < best {
				best, arg = v, int32(j)
			}
		}
		labels[i], part[i] = arg, best
	}
}

// accumulateGeneric adds w_i·x_i into sums[labels[i]] (k×d float64, contiguous) and w_i into
// wsum[labels[i]] for the n rows, in row order. w == nil means unit weights. The sums are kept
// in float64 whatever T is, so float32 data loses nothing in the center update.
func accumulateGeneric[T Float](x []T, ldx, n, d int, labels []int32, w []T, sums, wsum []float64) {
	for i := 0; i < n; i++ {
		row := x[i*ldx : i*ldx+d]
		l := int(labels[i])
		dst := sums[l*d : l*d+d]
		if w == nil {
			for j, v := range row {
				dst[j] += float64(v)
			}
			wsum[l]++
			continue
		}
		wi := float64(w[i])
		for j, v := range row {
			dst[j] += wi * float64(v)
		}
		wsum[l] += wi
	}
}

// lloydGeneric is one Lloyd assignment pass: for each row in order, the nearest center exactly
// as nearestGeneric picks it (labels[i]), then w_i·x_i and w_i added into that center's sums and
// weight exactly as accumulateGeneric adds them. Fusing the two means each row is read from
// memory once per iteration, which is what bounds Lloyd for small k.
func lloydGeneric[T Float](x []T, ldx, n, d int, c []T, k int, cnorm []T, w []T, labels []int32, sums, wsum []float64, _ []T) {
	var part [1]T
	for i := 0; i < n; i++ {
		row := x[i*ldx : i*ldx+d]
		nearestGeneric(row, ldx, 1, d, c, k, cnorm, labels[i:i+1], part[:])
		var wi []T
		if w != nil {
			wi = w[i : i+1]
		}
		accumulateGeneric(row, ldx, 1, d, labels[i:i+1], wi, sums, wsum)
	}
}

// valuesGeneric writes out[i·k + j] = cnorm[j] − 2·x_i·c_j, the expression nearestGeneric
// minimises, for the n rows of x (width d, stride ldx) and the k centers c.
func valuesGeneric[T Float](x []T, ldx, n, d int, c []T, k int, cnorm []T, out []T, _ []T) {
	for i := 0; i < n; i++ {
		row := x[i*ldx : i*ldx+d]
		for j := 0; j < k; j++ {
			out[i*k+j] = cnorm[j] - 2*dotGeneric(row, c[j*d:j*d+d])
		}
	}
}
