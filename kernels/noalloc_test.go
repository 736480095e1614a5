package kernels

import "testing"

// Kernels never allocate (DESIGN.md): they run inside every iteration of every chunk, where
// garbage would turn into collector work proportional to the data. This fails, for instance,
// if a tile's scratch arrays are handed to assembly through a function value again, which makes
// the compiler move them to the heap.
func TestKernelsDoNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	const n, d, k = 100, 37, 19
	x64, c64 := make([]float64, n*d), make([]float64, k*d)
	x32, c32 := make([]float32, n*d), make([]float32, k*d)
	for i := range x64 {
		x64[i], x32[i] = float64(i%13), float32(i%13)
	}
	for i := range c64 {
		c64[i], c32[i] = float64(i%7), float32(i%7)
	}
	cn64, cn32 := make([]float64, k), make([]float32, k)
	lab := make([]int32, n)
	part64, part32 := make([]float64, n), make([]float32, n)
	sums, wsum := make([]float64, k*d), make([]float64, k)
	out64, out32 := make([]float64, n*k), make([]float32, n*k)
	pack64, pack32 := make([]float64, PackLen(d)), make([]float32, PackLen(d))
	narrowed := make([]float32, n*d)
	pack64W, pack32W := make([]float64, PackLen(2*d)), make([]float32, PackLen(2*d))
	calls := map[string]func(){
		"SqNorms": func() { SqNormsF64(c64, d, k, d, cn64); SqNormsF32(c32, d, k, d, cn32) },
		"Dot":     func() { DotF64(x64, x64); DotF32(x32, x32) },
		"Nearest": func() {
			NearestF64(x64, d, n, d, c64, k, cn64, lab, part64)
			NearestF32(x32, d, n, d, c32, k, cn32, lab, part32)
		},
		"NearestPack": func() {
			NearestPackedF64(x64, d, n, d, c64, k, cn64, lab, part64, pack64)
			NearestPackedF32(x32, d, n, d, c32, k, cn32, lab, part32, pack32)
		},
		"Accumulate": func() {
			AccumulateF64(x64, d, n, d, lab, nil, sums, wsum)
			AccumulateF32(x32, d, n, d, lab, nil, sums, wsum)
		},
		"Lloyd": func() {
			LloydF64(x64, d, n, d, c64, k, cn64, nil, lab, sums, wsum)
			LloydF32(x32, d, n, d, c32, k, cn32, nil, lab, sums, wsum)
		},
		"LloydFewCenters": func() { // k ≤ 8: the few-center passes on AVX-512 (both kinds, d=37)
			LloydF64(x64, d, n, d, c64, 8, cn64, nil, lab, sums, wsum)
			LloydF32(x32, d, n, d, c32, 3, cn32, x32[:n], lab, sums, wsum)
		},
		"NearestFewCenters": func() { // k ≤ 8, float64 d < 16: rows in lanes on AVX-512 (contiguous d=3, strided d=10)
			NearestF64(x64[:n*3], 3, n, 3, c64[:3*3], 3, cn64, lab, part64)
			NearestF64(x64[:(n/4-1)*12+10], 12, n/4, 10, c64[:8*10], 8, cn64, lab, part64)
		},
		"LloydWide": func() { // k ≤ 8, d > 64, scratch given: the streaming pass on AVX-512
			xw := x64[:n/2*(2*d)]
			LloydPackedF64(xw, 2*d, n/2, 2*d, c64[:3*2*d], 3, cn64, nil, lab, sums[:3*2*d], wsum, pack64W)
			LloydPackedF32(x32[:n/2*(2*d)], 2*d, n/2, 2*d, c32[:8*2*d], 8, cn32, x32[:n/2], lab, sums[:8*2*d], wsum, pack32W)
		},
		"NearestWide": func() { // k ≤ 8, d > 64, scratch given: the streaming pass without sums
			NearestPackedF64(x64[:n/2*(2*d)], 2*d, n/2, 2*d, c64[:3*2*d], 3, cn64, lab, part64, pack64W)
			NearestPackedF32(x32[:n/2*(2*d)], 2*d, n/2, 2*d, c32[:8*2*d], 8, cn32, lab, part32, pack32W)
		},
		"StreamWithoutScratch": func() { // k ≤ 8, 64 < d ≤ 512, no scratch: the streaming pass, centers on the stack
			xw := x64[:n/2*(2*d)]
			NearestF64(xw, 2*d, n/2, 2*d, c64[:3*2*d], 3, cn64, lab, part64)
			ValuesF32(x32[:n/2*(2*d)], 2*d, n/2, 2*d, c32[:8*2*d], 8, cn32, out32)
			LloydF64(xw, 2*d, n/2, 2*d, c64[:5*2*d], 5, cn64, nil, lab, sums[:5*2*d], wsum)
		},
		"LloydPacked": func() {
			LloydPackedF64(x64, d, n, d, c64, k, cn64, nil, lab, sums, wsum, pack64)
			LloydPackedF32(x32, d, n, d, c32, k, cn32, nil, lab, sums, wsum, pack32)
		},
		"NarrowShiftedNorms": func() { // fused on AVX2; elsewhere narrowed, then summed in batches
			NarrowShiftedNormsF64(narrowed, x64, d, n, d, c64[:d], part64)
		},
		"Values": func() { ValuesF64(x64, d, n, d, c64, k, cn64, out64); ValuesF32(x32, d, n, d, c32, k, cn32, out32) },
		"ValuesPacked": func() {
			ValuesPackedF64(x64, d, n, d, c64, k, cn64, out64, pack64)
			ValuesPackedF32(x32, d, n, d, c32, k, cn32, out32, pack32)
		},
	}
	for name, call := range calls {
		if a := testing.AllocsPerRun(20, call); a != 0 {
			t.Errorf("%s allocates %.1f times per call on backend %s", name, a, Active())
		}
	}
}
