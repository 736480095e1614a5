package kernels

// Nearest from precomputed products: the second half of NearestF64 for callers that computed the
// dot products x_i·c_j themselves (a packed GEMM tile for many centers), so they only pick the
// minimum. Given the very dot products NearestF64 forms, the labels and minima are its own: the
// value compared is cnorm[j] − 2·p in one rounding (2·p is exact), as in every backend's tile.

// NearestProductsF64 writes, for each of the n rows of prod (row i at prod[i·ld:], k values,
// prod[i·ld+j] = x_i·c_j), labels[i] = argmin_j (cnorm[j] − 2·prod[i·ld+j]), the lowest j on
// ties, and part[i] = that minimum.
func NearestProductsF64(prod []float64, ld, n, k int, cnorm []float64, labels []int32, part []float64) {
	if checkProducts(len(prod), ld, n, k, len(cnorm), len(labels), len(part)) && !nearestProductsSIMD(prod, ld, n, k, cnorm, labels, part) {
		nearestProducts(prod, ld, n, k, cnorm, labels, part)
	}
}

// NearestProductsF32 is NearestProductsF64 for float32, computed in float32.
func NearestProductsF32(prod []float32, ld, n, k int, cnorm []float32, labels []int32, part []float32) {
	if checkProducts(len(prod), ld, n, k, len(cnorm), len(labels), len(part)) && !nearestProductsSIMD(prod, ld, n, k, cnorm, labels, part) {
		nearestProducts(prod, ld, n, k, cnorm, labels, part)
	}
}

// checkProducts panics, as the reference loop's slicing would, unless the n×k products with row
// stride ld, the k norms and the n outputs fit their slices; it reports whether there is work.
func checkProducts(size, ld, n, k, ncnorm, nlabels, npart int) bool {
	if n <= 0 {
		return false
	}
	if k <= 0 || ld < k || (n-1)*ld+k > size || ncnorm < k || nlabels < n || npart < n {
		panic("kernels: products do not fit their slices")
	}
	return true
}

func nearestProducts[T Float](prod []T, ld, n, k int, cnorm []T, labels []int32, part []T) {
	if n <= 0 {
		return
	}
	cnorm, labels, part = cnorm[:k], labels[:n], part[:n]
	for i := range labels {
		row := prod[i*ld : i*ld+k]
		cn := cnorm[:len(row)]
		best, arg := cn[0]-2*row[0], int32(0)
		for j := 1; j < len(row); j++ {
			if v := cn[j] - 2*row[j]; v < best {
				best, arg = v, int32(j)
			}
		}
		labels[i], part[i] = arg, best
	}
}
