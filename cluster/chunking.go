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
