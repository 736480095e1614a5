//go:build !amd64 || purego || noasm

package kernels

// Without assembly the reference loop runs.
func nearestProductsSIMD[T Float](prod []T, ld, n, k int, cnorm []T, labels []int32, part []T) bool {
	return false
}
