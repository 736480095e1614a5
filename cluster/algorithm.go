package cluster

// hamerlyMinWork is the k·d above which "auto" runs Hamerly rather than Lloyd.
const hamerlyMinWork = 4096

// ChooseAlgorithm is what AlgoAuto runs for d features and k clusters:
//   - k < 8 or k·d < hamerlyMinWork: Lloyd. Its fused kernel reads each row once per iteration
//     and the distances are cheap next to that read; the bound-based variants read their bounds
//     every iteration and every row of each chunk where a label changed (to re-form its sums),
//     and for k=64, d=32 on bench/kmeans's blobs Hamerly still loses to Lloyd (≈1.3–1.5×).
//   - otherwise Hamerly: one upper and one lower bound per row, checked in O(1), skip most rows
//     once the centers settle, and the rows left get all k distances from the same tile kernel
//     as Lloyd (batched), which is nearly as cheap per distance as Elkan's single distances.
//
// Elkan is never chosen: its k lower bounds per row must be loosened every iteration (O(n·k)
// memory traffic), and on bench/kmeans's shapes that cost more than the distances it saves
// over Hamerly. It remains available explicitly.
func ChooseAlgorithm(d, k int) Algorithm {
	if k < 8 || k*d < hamerlyMinWork {
		return AlgoLloyd
	}
	return AlgoHamerly
}

func resolveAlgorithm(a Algorithm, d, k int) Algorithm {
	if a == AlgoAuto {
		return ChooseAlgorithm(d, k)
	}
	return a
}
