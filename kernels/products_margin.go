package kernels

// Labels from float32 products that are only candidates: a caller with float64 rows can form
// the products x_i·c_j in float32 (a GEMM tile at twice the float64 rate) when it knows how far
// each value cnorm[j] − 2·p may be from the float64 computation's, a margin per row. Where the
// least value is more than the margin below every other value, its center is the float64
// computation's label too; elsewhere the caller labels the row again in float64. The bound that
// makes the margin safe is the caller's (cluster's mixed Lloyd pass derives it).

// NearestProductsMarginF32 writes, for each of the n rows of prod (as NearestProductsF32: row i
// at prod[i·ld:], k products, value cnorm[j] − 2·prod[i·ld+j] in one rounding), labels[i] =
// NearestProductsF32's label when every other value v_j satisfies v_j − m > margin[i] (m the
// least value, the difference rounded once to float32), and −1 otherwise: another value within
// the margin, a tie, or (k > 1) a NaN value or margin. It returns the number of rows labelled −1.
func NearestProductsMarginF32(prod []float32, ld, n, k int, cnorm, margin []float32, labels []int32) int {
	if !checkProducts(len(prod), ld, n, k, len(cnorm), len(labels), len(margin)) {
		return 0
	}
	if unsure, ok := nearestProductsMarginSIMD(prod, ld, n, k, cnorm, margin, labels); ok {
		return unsure
	}
	return nearestProductsMargin(prod, ld, n, k, cnorm, margin, labels)
}

// MarginProductsFast reports whether NearestProductsMarginF32 runs assembly for k centers on
// the active backend (32 < k ≤ 64, a multiple of 8 on AVX2: a row's values fit in four AVX-512
// registers or eight AVX2 ones); elsewhere
// it runs the reference loop, which costs more than the float32 products save.
func MarginProductsFast(k int) bool { return marginProductsFast(k) }

// nearestProductsMargin is the reference loop of NearestProductsMarginF32.
func nearestProductsMargin(prod []float32, ld, n, k int, cnorm, margin []float32, labels []int32) int {
	unsure := 0
	cnorm, labels, margin = cnorm[:k], labels[:n], margin[:n]
	for i := range labels {
		row := prod[i*ld : i*ld+k]
		best, arg := float32(cnorm[0]-2*row[0]), int32(0)
		for j := 1; j < k; j++ {
			if v := float32(cnorm[j] - 2*row[j]); v < best {
				best, arg = v, int32(j)
			}
		}
		near := 0
		for j := 0; j < k; j++ {
			if above := float32(float32(cnorm[j]-2*row[j]) - best); !(above > margin[i]) {
				near++
			}
		}
		if near > 1 {
			arg = -1
			unsure++
		}
		labels[i] = arg
	}
	return unsure
}
