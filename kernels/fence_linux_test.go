package kernels

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"unsafe"
)

// fenced returns a slice of n elements whose first element starts a page and whose last ends
// the next-to-last page of a mapping, with an inaccessible page on either side: an out-of-bounds
// read there faults (the test process dies) even when the value read would have landed in a
// lane the kernel ignores, which guard values cannot detect.
func fenced[T Float | ~int32](t testing.TB, n int, atEnd bool) []T {
	t.Helper()
	page := syscall.Getpagesize()
	var z T
	size := int(unsafe.Sizeof(z))
	body := (n*size + page - 1) / page * page
	mem, err := syscall.Mmap(-1, 0, body+2*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Munmap(mem) })
	if err := syscall.Mprotect(mem[:page], syscall.PROT_NONE); err != nil {
		t.Skipf("mprotect: %v", err)
	}
	if err := syscall.Mprotect(mem[page+body:], syscall.PROT_NONE); err != nil {
		t.Skipf("mprotect: %v", err)
	}
	start := page
	if atEnd {
		start = page + body - n*size
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&mem[start])), n)
}

func testFenced[T Float](t *testing.T, nearest nearestFn[T], lloyd func(x []T, ldx, n, d int, c []T, k int, cnorm, w []T, labels []int32, sums, wsum []float64)) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, atEnd := range []bool{false, true} {
		for _, n := range []int{1, 3, 9, 17, 33} {
			for _, d := range []int{1, 3, 13} {
				const k = 5
				ldx := d + 2
				size := (n-1)*ldx + d
				x := fenced[T](t, size, atEnd)
				for i := range x {
					x[i] = T(rng.IntN(5))
				}
				c := fenced[T](t, k*d, atEnd)
				for i := range c {
					c[i] = T(rng.IntN(5))
				}
				cnorm := fenced[T](t, k, atEnd)
				sqNormsGeneric(c, d, k, d, cnorm)
				labels := fenced[int32](t, n, atEnd)
				part := fenced[T](t, n, atEnd)
				nearest(x, ldx, n, d, c, k, cnorm, labels, part)
				w := fenced[T](t, n, atEnd)
				sums := fenced[float64](t, k*d, atEnd)
				wsum := fenced[float64](t, k, atEnd)
				lloyd(x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum)
				for i := 0; i < n; i++ {
					if err := checkNearest(x[i*ldx:i*ldx+d], c, k, cnorm, labels[i], part[i], true); err != nil {
						t.Fatalf("n=%d d=%d: %v", n, d, err)
					}
				}
			}
		}
	}
}

func TestFencedF64(t *testing.T) { testFenced(t, NearestF64, LloydF64) }
func TestFencedF32(t *testing.T) { testFenced(t, NearestF32, LloydF32) }
