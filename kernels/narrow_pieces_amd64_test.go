//go:build amd64 && !purego && !noasm

package kernels

import (
	"fmt"
	"slices"
	"testing"
	"time"
	"unsafe"
)

// BenchmarkAccRegs sets the accumulations of the float32 rows-in-lanes pass against each other
// on the same labelled rows in cache (8192 rows of the narrow grid, labels from NearestF32):
// the padded sums in memory (accPadded, 32-row tiles), the register sums through a scratch of
// widened rows (accRegsF32*, where they serve) and the
// unit-weight register sums (accRegsUnit), in 128-row blocks. The cases run interleaved, round
// after round, so the shared machine's load falls on all alike; each reports its median and
// fastest pass in ns a row.
func BenchmarkAccRegs(b *testing.B) {
	const n = 8192
	for _, d := range []int{3, 10, 32} {
		x := streamRows[float32](n, d)
		for _, k := range []int{3, 8} {
			b.Run(fmt.Sprintf("d=%d/k=%d", d, k), func(b *testing.B) {
				c := slices.Clone(x[:k*d])
				cnorm := make([]float32, k)
				sqNormsGeneric(c, d, k, d, cnorm)
				labels := make([]int32, n)
				NearestF32(x, d, n, d, c, k, cnorm, labels, make([]float32, n))
				st := smallKStride(d)
				buf := make([]float64, k*st+8)
				off := int((64 - uintptr(unsafe.Pointer(&buf[0]))%64) % 64 / 8)
				acc := buf[off : off+k*st]
				type kase struct {
					name string
					run  func()
				}
				cases := []kase{{"padded", func() {
					for i := 0; i < n; i += 32 {
						accPaddedF32AVX512(&x[i*d], d, 32, d, &labels[i], nil, &acc[0], st, 8192)
					}
				}}}
				if d < 16 && k <= accRegsMaxK {
					cases = append(cases, kase{"scratch", func() {
						for i := 0; i < n; i += accRegsBlock {
							switch {
							case d < 4:
								accRegsF32NarrowAVX512(&x[i*d], d, accRegsBlock, d, k, &labels[i], nil, &acc[0])
							case d < 8:
								accRegsF32V1AVX512(&x[i*d], d, accRegsBlock, d, k, &labels[i], nil, &acc[0])
							default:
								accRegsF32V2AVX512(&x[i*d], d, accRegsBlock, d, k, &labels[i], nil, &acc[0])
							}
						}
					}})
				}
				if unitAccRegs(d, k, d) {
					cases = append(cases, kase{"unit", func() {
						for i := 0; i < n; i += accRegsBlock {
							accRegs(&x[i*d], d, accRegsBlock, d, k, &labels[i], nil, &acc[0], accRegsBlock*d*4+8192)
						}
					}})
				}
				times := make([][]float64, len(cases))
				for i := 0; i < b.N; i++ {
					for round := 0; round < 50; round++ {
						for ci, cs := range cases {
							s := time.Now()
							cs.run()
							times[ci] = append(times[ci], time.Since(s).Seconds()/n)
						}
					}
				}
				for ci, cs := range cases {
					t := times[ci]
					slices.Sort(t)
					b.Logf("%-8s median %5.2f ns/row, fastest %5.2f", cs.name, t[len(t)/2]*1e9, t[0]*1e9)
				}
			})
		}
	}
}

// BenchmarkTransposeOver sets transposeOverF32AVX512 against transposeF32AVX512 on 8192 rows
// in cache, 32-row tiles, interleaved as BenchmarkAccRegs (median and fastest, ns a row).
func BenchmarkTransposeOver(b *testing.B) {
	const n = 8192
	for _, d := range []int{10, 20} {
		b.Run(fmt.Sprintf("d=%d", d), func(b *testing.B) {
			x := streamRows[float32](n+1, d)
			var pack [smallKMaxD * maxTileRows]float32
			kernels := []struct {
				name string
				fn   func(x *float32, ldx, d int, pack *float32)
			}{{"masked", transposeF32AVX512}, {"over", transposeOverF32AVX512}}
			times := make([][]float64, len(kernels))
			for i := 0; i < b.N; i++ {
				for round := 0; round < 50; round++ {
					for ki, kn := range kernels {
						s := time.Now()
						for r := 0; r < n; r += 32 {
							kn.fn(&x[r*d], d, d, &pack[0])
						}
						times[ki] = append(times[ki], time.Since(s).Seconds()/n)
					}
				}
			}
			for ki, kn := range kernels {
				t := times[ki]
				slices.Sort(t)
				b.Logf("%-8s median %5.2f ns/row, fastest %5.2f", kn.name, t[len(t)/2]*1e9, t[0]*1e9)
			}
		})
	}
}
