//go:build !purego && !noasm

package kernels

import (
	"testing"
	"unsafe"
)

// PackLen(d) holds the streaming pass's scratch for every k ≤ 8, every head a row can have and
// every placement of the pack: otherwise lloydWide would fall back to the gathering tile without
// a word, and the tests above would check that tile instead. The sums' rows start on a line at
// the head, the head's own rows on a line, and nothing overlaps or leaves the pack.
func TestWideScratchFitsPackLen(t *testing.T) {
	testWideScratchFits(t, simdSet[float64, int64]{lanes: 8, rvs: 2, avx512: true})
	testWideScratchFits(t, simdSet[float32, int32]{lanes: 16, rvs: 2, avx512: true})
}

func testWideScratchFits[T Float, I lane](t *testing.T, s simdSet[T, I]) {
	var z T
	sz := int(unsafe.Sizeof(z))
	for d := wideMinD; d <= 1100; d++ {
		buf := make([]T, PackLen(d)+64/sz)
		for shift := 0; shift < 64/sz; shift++ {
			pack := buf[shift : shift+PackLen(d)]
			lo, hi := uintptr(unsafe.Pointer(&pack[0])), uintptr(unsafe.Pointer(&pack[len(pack)-1]))+uintptr(sz)
			for head := 0; head < 64/sz; head++ {
				win, dots, ws, ok := s.wideScratch(pack, smallKCenters, smallKStride(d), head)
				if !ok {
					t.Fatalf("%T d=%d head=%d: PackLen(d) is too short for the scratch", z, d, head)
				}
				a0 := uintptr(unsafe.Pointer(&ws.acc[0]))
				aEnd := a0 + uintptr(len(ws.acc))*8
				if (a0+uintptr(head*8))%64 != 0 || ws.st%8 != 0 {
					t.Fatalf("%T d=%d head=%d: acc[head] is %d bytes past a line", z, d, head, (a0+uintptr(head*8))%64)
				}
				winEnd := uintptr(unsafe.Pointer(&dots[len(dots)-1])) + uintptr(sz)
				if uintptr(unsafe.Pointer(&win[len(win)-1])) >= uintptr(unsafe.Pointer(&dots[0])) || a0 < winEnd || aEnd > hi {
					t.Fatalf("%T d=%d head=%d: acc overlaps the window or leaves the pack", z, d, head)
				}
				if head == 0 {
					if len(ws.hacc) != 0 {
						t.Fatalf("%T d=%d: head sums without a head", z, d)
					}
					continue
				}
				h0 := uintptr(unsafe.Pointer(&ws.hacc[0]))
				if h0%64 != 0 || h0 < aEnd || h0+uintptr(len(ws.hacc))*8 > hi || ws.hst <= head || h0 < lo {
					t.Fatalf("%T d=%d head=%d: head sums misplaced (%d past a line)", z, d, head, h0%64)
				}
			}
		}
	}
}
