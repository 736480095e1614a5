package cluster

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
)

// The preprocessed copy and the uniform gap reference live outside the Go heap when
// PrepareOptions.OffHeap is set (the C API sets it): on the heap, the copy alone would make the
// heap's peak at least the input's size, and the collector's target twice that.
func TestOffHeapCopyKeepsTheGoHeapSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a 32 MiB input")
	}
	const n, d = 1 << 16, 128 // from collectRows on, the estimate collects after each fit
	rng := rand.New(rand.NewPCG(3, 4))
	data := make([]float32, n*d)
	for i := range data {
		data[i] = float32(rng.NormFloat64())
	}
	x := dense.Matrix[float32]{Data: data, Rows: n, Cols: d, Stride: d}
	input := float64(n * d * 4)
	for _, ref := range []GapReference{GapLine, GapUniform} {
		p := EstimateParams{MaxClusters: 3, Metric: MetricGap, NRef: 1, Reference: ref, KMeans: DefaultKMeansParams()}
		p.KMeans.MaxIter = 5 // the memory, not the convergence, is under test
		runtime.GC()
		mem := startMemWatch()
		prep, err := Prepare(Source[float32]{X: x}, PrepareOptions[float32]{Kind: PreprocessNorm, OffHeap: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := EstimateNumberOfClusters(prep, p); err != nil {
			t.Fatal(err)
		}
		prep.Release()
		_, heap, _ := mem.stop()
		// k-means scratch is ≈ 170 B per row (the input is 512 B per row); a copy on the
		// heap would add 1.0.
		if heap/input > 0.95 {
			t.Errorf("reference %d: the Go heap peaked at %.2f× the input", ref, heap/input)
		}
		if len(prep.bufs) != 0 {
			t.Errorf("reference %d: buffers kept after Release", ref)
		}
	}
}
