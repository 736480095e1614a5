//go:build !amd64 || purego || noasm

package kernels

// Without assembly the reference loop runs.
func widenSIMD(dst []float64, src []float32) bool { return false }

// Without assembly the reference loop runs.
func narrowShiftedSIMD(dst []float32, src []float64, ldx, n, d int, shift []float64) bool {
	return false
}

// Without assembly the caller narrows and sums apart.
func narrowShiftedNormsSIMD(dst []float32, src []float64, ldx, n, d int, shift, norms []float64) bool {
	return false
}
