package cluster

import (
	"bytes"
	"unsafe"
)

// labelsEqual reports whether a and b hold the same labels. It compares their bytes with
// bytes.Equal, which runs vector-wide, where slices.Equal compares one int32 at a time: at
// 65 536 rows, d=3, k=3 the element loop was a tenth of an iteration.
func labelsEqual(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 {
		return true
	}
	return bytes.Equal(unsafe.Slice((*byte)(unsafe.Pointer(&a[0])), 4*len(a)),
		unsafe.Slice((*byte)(unsafe.Pointer(&b[0])), 4*len(b)))
}
