//go:build amd64 && !purego && !noasm

package gemm

import "unsafe"

//go:noescape
func copyRows128(dst, src unsafe.Pointer, rows, ldsrc int)

//go:noescape
func copyRows16(dst, src unsafe.Pointer, rows, ldsrc, width int)
