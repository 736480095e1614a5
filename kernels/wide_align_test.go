package kernels

import (
	"math/rand/v2"
	"testing"
	"unsafe"
)

// The streaming pass starts its windows on cache lines when the rows are all the same distance
// past one (wideHead): that must change no bit. Rows at every distance past a line (NumPy's
// arrays start 16 bytes past one), strides of a whole number of lines and not, a few tiles and
// a tail, both weightings: labels and part NearestF64/F32's, sums the reference's.
func testWideMisaligned[T Float](t *testing.T, lloyd lloydPair[T], packed packedNearestFn[T]) {
	rng := rand.New(rand.NewPCG(65, 10))
	var z T
	per := 64 / int(unsafe.Sizeof(z)) // elements in a line
	for _, d := range []int{65, 128, 200, 256, 300, 1024} {
		for _, ldx := range []int{(d + per - 1) / per * per, d + 1} {
			for off := 0; off < per; off++ {
				for _, k := range []int{1, 3, 8} {
					n := 33 + 67*(off%2)
					exact, unit := (d+off)%2 == 0, (k+off)%2 == 0
					gx, x := matrixPastLine[T](rng, n, d, ldx, off, exact)
					lloydMatchesNearestOn(t, lloyd, rng, gx, x, n, d, ldx, k, exact, unit)
					nearestPackedOn(t, packed, lloyd.nearest, rng, gx, x, n, d, ldx, k, exact)
				}
			}
		}
	}
}

func TestWideMisalignedF64(t *testing.T) {
	testWideMisaligned(t, lloydPair[float64]{packedLloyd(t, LloydPackedF64), NearestF64}, NearestPackedF64)
}

func TestWideMisalignedF32(t *testing.T) {
	testWideMisaligned(t, lloydPair[float32]{packedLloyd(t, LloydPackedF32), NearestF32}, NearestPackedF32)
}

// matrixPastLine is matrix with x[0] off elements past a 64-byte line.
func matrixPastLine[T Float](rng *rand.Rand, n, d, ldx, off int, integer bool) (*guarded[T], []T) {
	var z T
	sz := int(unsafe.Sizeof(z))
	size := (n-1)*ldx + d
	g, buf := newGuarded(size+64/sz, nan[T]())
	i0 := (off - int(uintptr(unsafe.Pointer(&buf[0]))%64)/sz + 64/sz) % (64 / sz)
	x := buf[i0 : i0+size : i0+size]
	if got := int(uintptr(unsafe.Pointer(&x[0]))%64) / sz; got != off {
		panic("matrixPastLine: x is not where it was put")
	}
	fillRows(rng, x, n, d, ldx, integer)
	return g, x
}
