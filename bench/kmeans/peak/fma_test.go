package main

import "testing"

// The probe must run on the CPU it is on: a 512-bit loop on a CPU without AVX-512 killed the
// whole benchmark (session 26, an AVX2-only Zen 3). The loops chosen must run and count what
// they did.
func TestProbeLoopsRunHere(t *testing.T) {
	lanes64 := vectorBits / 64
	if got, want := fmaLoopF64(1000), 1000*12*lanes64*2; got != want {
		t.Errorf("fmaLoopF64(1000) counted %d flops, want %d", got, want)
	}
	if got, want := fmaLoopF32(1000), 1000*12*2*lanes64*2; got != want {
		t.Errorf("fmaLoopF32(1000) counted %d flops, want %d", got, want)
	}
	x := make([]float64, 640)
	for i := range x {
		x[i] = float64(i % 7)
	}
	var want float64
	for _, v := range x {
		want += v
	}
	if got := readLoop(&x[0], len(x)); got != want {
		t.Errorf("readLoop summed %v, want %v", got, want)
	}
	if f := measure(1, 8, 1, 1000); f["peak_f64_gfs"].(float64) <= 0 || f["bandwidth_gbs"].(float64) <= 0 {
		t.Errorf("measure gave %v", f)
	}
}
