//go:build !amd64 || purego || noasm

package gemm

import "unsafe"

// copyRows128 copies rows rows of 128 bytes, src rows ldsrc bytes apart, into consecutive rows
// of dst.
func copyRows128(dst, src unsafe.Pointer, rows, ldsrc int) {
	for r := 0; r < rows; r++ {
		d := unsafe.Slice((*byte)(unsafe.Add(dst, r*128)), 128)
		copy(d, unsafe.Slice((*byte)(unsafe.Add(src, r*ldsrc)), 128))
	}
}

// copyRows16 copies rows rows of width bytes, src rows ldsrc bytes apart, into consecutive
// rows of dst.
func copyRows16(dst, src unsafe.Pointer, rows, ldsrc, width int) {
	for r := 0; r < rows; r++ {
		d := unsafe.Slice((*byte)(unsafe.Add(dst, r*width)), width)
		copy(d, unsafe.Slice((*byte)(unsafe.Add(src, r*ldsrc)), width))
	}
}
