//go:build !amd64 || purego || noasm

package kernels

// Without assembly there is no panel kernel: NewCenterPanel returns nil.
func centerDistsAvailable() bool { return false }

func centerDistsSIMD[O Float](xs []float64, dpad, n int, p *CenterPanel, out []O, ldo int) {
	panic("kernels: CenterDists without its kernel")
}
