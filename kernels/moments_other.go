//go:build !amd64 || purego || noasm

package kernels

// Without assembly the reference loop runs on every column.
func shiftedMomentsSIMD[T Float](x []T, ldx, n, d int, c, s1, s2 []float64) int { return 0 }
