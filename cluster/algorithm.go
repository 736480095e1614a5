package cluster

import "github.com/fastmva/fastmva/internal/dense"

// hamerlyMinWork is the k·d above which "auto" runs Hamerly rather than Lloyd on float32 data;
// float64 data take half of it (Lloyd's pass costs twice as much per distance there, the
// bounds' bookkeeping per row the same).
const hamerlyMinWork = 4096

// ChooseAlgorithm is what AlgoAuto runs for d features, k clusters and elements of elemBytes
// bytes (4 or 8):
//   - k < 8, or k·d < hamerlyMinWork (float32) or hamerlyMinWork/2 (float64): Lloyd. Its fused
//     kernel reads each row once per iteration and the distances are cheap next to that read;
//     the bound-based variants pay per row and iteration for their bounds, for the first passes
//     (where every center moves and nearly every row needs all its distances anyway) and for
//     re-forming the sums of every chunk where a label changed.
//   - otherwise Hamerly: one upper and one lower bound per row, checked in O(1), skip most rows
//     once the centers settle, and the rows left get all k values from the GEMM tile (batched).
//
// Measured on bench/kmeans's fit shapes (make_blobs, cluster_std 4, the same init; one thread's
// CPU time, medians of 3–7 interleaved runs on a shared machine at load 2–8, so ±10–15%; the
// bound-based fits with their Lloyd warm-up, triangle_warm.go):
//
//	n, d, k, dtype          Lloyd   Hamerly  Yinyang
//	65536, 3, 64, f32       82 ms   396 ms   932 ms
//	65536, 32, 64, f32      164 ms  248 ms   283 ms
//	65536, 32, 64, f64      259 ms  248 ms   316 ms
//	65536, 256, 64, f32     589 ms  442 ms   583 ms
//	65536, 256, 64, f64     1029 ms 590 ms   720 ms
//	10⁶, 32, 64, f32        4.78 s  4.76 s   8.93 s
//	10⁶, 32, 64, f64        7.88 s  5.67 s   9.97 s
//
// Yinyang (group bounds) skips far more rows than Hamerly once the centers settle (at d = 256,
// 100–1200 rows a pass get all their values against Hamerly's 1000–3000), but keeping t = k/10
// bounds per row costs more than it saves at k = 64, and at d ≤ 32 its local filter's single
// distances cost more than the tile's; it is not chosen. Elkan (1.1–1.3× Lloyd's time at
// d = 256, 3–7× at d ≤ 32) keeps k bounds per row, O(n·k) memory traffic every iteration; not
// chosen either. Both remain available explicitly; docs/kmeans-algorithms.md has the details.
func ChooseAlgorithm(d, k, elemBytes int) Algorithm {
	work := hamerlyMinWork
	if elemBytes >= 8 {
		work /= 2
	}
	if k < 8 || k*d < work {
		return AlgoLloyd
	}
	return AlgoHamerly
}

func resolveAlgorithm(a Algorithm, d, k, elemBytes int) Algorithm {
	if a == AlgoAuto {
		return ChooseAlgorithm(d, k, elemBytes)
	}
	return a
}

// elemBytes is the size of T in bytes.
func elemBytes[T dense.Float]() int {
	var zero T
	if _, ok := any(zero).(float32); ok {
		return 4
	}
	return 8
}
