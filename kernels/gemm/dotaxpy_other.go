//go:build !amd64 || purego || noasm

package gemm

func dotAxpy(r, x, y []float64, xi float64) float64 { return dotAxpyGeneric(r, x, y, xi) }
