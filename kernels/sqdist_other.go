//go:build !amd64 || purego || noasm

package kernels

// Without assembly the reference loop runs.
func sqDist16F64(a, b []float64, s *[sqDistSums]float64) bool { return false }

func sqDist16F32(a, b []float32, s *[sqDistSums]float64) bool { return false }
