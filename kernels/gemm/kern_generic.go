package gemm

import "unsafe"

// The generic micro-kernel: a 4×4 tile whose sixteen sums live in locals, so the Go compiler
// keeps them in registers. It is the pure-Go path (purego/noasm builds, FASTMVA_KERNELS=generic)
// and what the SIMD kernels are compared with.
const genMR, genNR = 4, 4

var genericKernel64 = kernel[float64]{name: "generic", mr: genMR, nr: genNR, mc: 64, kc: 256, nc: 1024,
	fn: kernGeneric[float64], rows: kernRowsGeneric[float64]}
var genericKernel32 = kernel[float32]{name: "generic", mr: genMR, nr: genNR, mc: 64, kc: 256, nc: 1024,
	fn: kernGeneric[float32], rows: kernRowsGeneric[float32]}

func kernGeneric[T Float](k int, ap, bp, cp *T, ldc int) {
	a := unsafe.Slice(ap, k*genMR)
	b := unsafe.Slice(bp, k*genNR)
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 T
	for p := 0; p < k; p++ {
		av := a[p*genMR : p*genMR+4 : p*genMR+4]
		bv := b[p*genNR : p*genNR+4 : p*genNR+4]
		a0, a1, a2, a3 := av[0], av[1], av[2], av[3]
		b0, b1, b2, b3 := bv[0], bv[1], bv[2], bv[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	c := unsafe.Slice(cp, 3*ldc+4)
	addRow(c[0:4:4], c00, c01, c02, c03)
	addRow(c[ldc:ldc+4:ldc+4], c10, c11, c12, c13)
	addRow(c[2*ldc:2*ldc+4:2*ldc+4], c20, c21, c22, c23)
	addRow(c[3*ldc:3*ldc+4:3*ldc+4], c30, c31, c32, c33)
}

func addRow[T Float](c []T, x0, x1, x2, x3 T) {
	c[0] += x0
	c[1] += x1
	c[2] += x2
	c[3] += x3
}

// kernRowsGeneric is kernGeneric with A read in place (row i at a[i·lda:]), storing the tile.
func kernRowsGeneric[T Float](k int, ap *T, lda int, bp, cp *T, ldc int, more int) {
	a := unsafe.Slice(ap, 3*lda+k)
	b := unsafe.Slice(bp, k*genNR)
	c := unsafe.Slice(cp, 3*ldc+4)
	a0s, a1s, a2s, a3s := a[:k], a[lda:lda+k], a[2*lda:2*lda+k], a[3*lda:3*lda+k]
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 T
	if more != 0 {
		c00, c01, c02, c03 = c[0], c[1], c[2], c[3]
		c10, c11, c12, c13 = c[ldc], c[ldc+1], c[ldc+2], c[ldc+3]
		c20, c21, c22, c23 = c[2*ldc], c[2*ldc+1], c[2*ldc+2], c[2*ldc+3]
		c30, c31, c32, c33 = c[3*ldc], c[3*ldc+1], c[3*ldc+2], c[3*ldc+3]
	}
	for p := 0; p < k; p++ {
		bv := b[p*genNR : p*genNR+4 : p*genNR+4]
		a0, a1, a2, a3 := a0s[p], a1s[p], a2s[p], a3s[p]
		b0, b1, b2, b3 := bv[0], bv[1], bv[2], bv[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	setRow(c[0:4:4], c00, c01, c02, c03)
	setRow(c[ldc:ldc+4:ldc+4], c10, c11, c12, c13)
	setRow(c[2*ldc:2*ldc+4:2*ldc+4], c20, c21, c22, c23)
	setRow(c[3*ldc:3*ldc+4:3*ldc+4], c30, c31, c32, c33)
}

func setRow[T Float](c []T, x0, x1, x2, x3 T) {
	c[0], c[1], c[2], c[3] = x0, x1, x2, x3
}
