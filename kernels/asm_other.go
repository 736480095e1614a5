//go:build !amd64 || purego || noasm

package kernels

// Without assembly the reference loops run.
func nearestProductsSIMD[T Float](prod []T, ld, n, k int, cnorm []T, labels []int32, part []T) bool {
	return false
}

func distancesSIMD[T Float](prod []float64, ldp, rows, cols int, cnorm, xnorm []float64, root bool, out []T, ldo int, stream bool) int {
	return 0
}

// streamOrder: no streaming pass without assembly.
func streamOrder(d, k int) bool { return false }

// No 64-center tile without assembly.
func tile64Fast() bool { return false }

func nearestTile64(x []float32, ldx, n, d int, panel, norm64 []float32, labels []int32, minima, second []float32) {
	panic("kernels: no 64-center tile without assembly")
}
