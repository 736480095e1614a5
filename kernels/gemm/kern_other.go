//go:build !amd64 || purego || noasm

package gemm

// Without assembly only the generic kernel exists.
func cpuAVX512() bool { return false }
func cpuAVX2() bool   { return false }
