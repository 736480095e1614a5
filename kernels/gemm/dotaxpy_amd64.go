//go:build amd64 && !purego && !noasm

package gemm

//go:noescape
func dotAxpyAVX512(r, x, y *float64, n int, xi float64) float64

// dotAxpy returns Σ r[j]·x[j] and adds xi·r[j] to y[j], for j < len(r).
func dotAxpy(r, x, y []float64, xi float64) float64 {
	n := len(r)
	x, y = x[:n], y[:n]
	var s float64
	m := 0
	if kern64.name == "avx512" {
		m = n &^ 15
		if m > 0 {
			s = dotAxpyAVX512(&r[0], &x[0], &y[0], m, xi)
		}
	}
	return s + dotAxpyGeneric(r[m:], x[m:], y[m:], xi)
}
