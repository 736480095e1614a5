//go:build !amd64 || purego || noasm

package kernels

func marginProductsFast(k int) bool { return false }

// Without assembly the reference loop runs.
func nearestProductsMarginSIMD(prod []float32, ld, n, k int, cnorm, margin []float32, labels []int32) (int, bool) {
	return 0, false
}
