//go:build !amd64 || purego || noasm

package kernels

// Without assembly the reference loop runs.
func sqDistRowsSIMD[T Float](x []T, ldx, n, d int, c []T, labels []int32, out []float64, rows []int32) bool {
	return false
}
