package cluster

import "github.com/fastmva/fastmva/internal/parallel"

// Rows are processed in chunks of at least minChunkRows (enough work per goroutine hand-off)
// and at most maxChunks of them: per-chunk partial sums cost maxChunks·k·d float64 of memory
// and one reduction pass per iteration, which must stay small next to the n·k·d of the
// distances. Both numbers are independent of the thread count, which keeps results identical.
const (
	minChunkRows = 256
	maxChunks    = 64
	blockRows    = 128 // rows per kernel call inside a chunk: keeps a block's scratch in L1/L2
)

func rowChunks(n int) parallel.Chunks { return parallel.Split(n, minChunkRows, maxChunks) }

// minChunkElems is the least a chunk of an assigner's passes (Lloyd's iterations, the bound-based
// ones, predict) holds, in values: narrow rows take chunks of more rows. Each chunk costs about
// a microsecond of its own on two threads (its scratch, its calls, its labels compared, the
// claim on the shared counter), against about 1.5 ns a row at 65 536×3 k = 3 float32. One
// iteration on two threads, medians of five interleaved runs: 65 536×3 k = 3 float32 with 64
// chunks of 1024 rows 117 µs, with 13 chunks of 5461 rows 108 µs; 65 536×10, 64 chunks against 41
// chunks of 1638 rows, 252 against 228 µs.
const minChunkElems = 16384

// assignChunks is the partition of an assigner's passes over n rows of d features.
func assignChunks(n, d int) parallel.Chunks {
	return parallel.Split(n, max(minChunkRows, minChunkElems/max(d, 1)), maxChunks)
}
