package cluster

import "github.com/fastmva/fastmva/internal/dense"

// hamerlyMinWork is the k·d from which "auto" runs Hamerly rather than Lloyd, for either
// element type (float32 took twice it until Hamerly's full-path rows and chunk sums got cheaper;
// see the measurements below).
const hamerlyMinWork = 2048

// ChooseAlgorithm is what AlgoAuto runs for d features, k clusters and elements of elemBytes
// bytes (4 or 8; the rule is the same for both):
//   - k ≤ 8, or k·d < hamerlyMinWork: Lloyd. Its fused kernel reads each row once per iteration
//     and the distances are cheap next to that read; the bound-based variants pay per row and
//     iteration for their bounds, for the first passes (where every center moves and nearly
//     every row needs all its distances anyway) and for re-forming the sums of the centers
//     whose rows changed.
//   - otherwise Hamerly: one upper and one lower bound per row, checked in O(1), skip most rows
//     once the centers settle, and the rows left get all k values from the GEMM tile (batched).
//
// Measured on bench/kmeans's fit shapes (make_blobs, cluster_std 4, the same init; CPU time of
// a whole fit on 2 threads, medians of 3–5 interleaved runs on the shared machine at load 5–10,
// so ±15%; the bound-based fits with their Lloyd warm-up, triangle_warm.go), 2026-11-30:
//
//	n, d, k, dtype          Lloyd   Hamerly
//	65536, 32, 64, f32      168 ms  133 ms
//	65536, 256, 64, f32     555 ms  386 ms
//	10⁶, 32, 64, f32        4.65 s  3.52 s
//
// and at d = 3, k = 64 (k·d = 192) Lloyd stays far ahead (82 against 396 ms before these
// changes). The session-4 table (one thread's CPU time, load 2–8), before Hamerly's passes
// re-formed only the sums of the centers whose rows changed:
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
//
// At k = 8 (Hamerly's until 2026-12-01 from d = 256) Lloyd is ahead (Intel Xeon, Emerald Rapids,
// 2 vCPUs): 65 536 uniform float32 rows, 25 iterations, two threads, three alternating rounds:
// d = 256 Lloyd 70–86 ms, Hamerly 183–223; d = 128 46–47 against 93–126 (the streaming pass for
// k ≤ 8, kernels/stream_amd64.go, reads a row about as fast as memory gives it, and with eight
// centers Hamerly's bounds still send many rows to all their distances).
func ChooseAlgorithm(d, k, elemBytes int) Algorithm {
	if k <= 8 || k*d < hamerlyMinWork {
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
