package gemm

import (
	"fmt"
	"os"
	"slices"

	"github.com/fastmva/fastmva/kernels"
)

// Float is the element type of the kernels.
type Float interface{ float32 | float64 }

// kernel is one micro-kernel and the cache blocking tuned for it. fn computes
// C[i·ldc+j] += Σ_p a[p·mr+i]·b[p·nr+j] for i < mr, j < nr, p < k, each sum in p order
// starting from zero and added to C once.
type kernel[T Float] struct {
	name       kernels.Backend
	mr, nr     int
	mc, kc, nc int
	fn         func(k int, a, b, c *T, ldc int)
	// fnS is fn reading A where it lies (element (i, p) of the tile at a[i·ars+p·acs]) instead
	// of from a packed panel, with the same arithmetic in the same order. mode&sumsMask says
	// what becomes of the sums: addSums is fn's C += Σ (Gemm's thin products), storeSums C = Σ
	// and carrySums C = Σ with each sum's chain starting from C's value (rows.go's blocks of
	// rows, their depth taken in pieces with the chains unbroken); prefetchNext, with acs = 1,
	// prefetches the next mr rows (a + mr·ars), the next call's when rows are walked panel by
	// panel (a hint: the generic kernel ignores it).
	fnS func(k int, a, b, c *T, ldc, ars, acs, mode int)
	// sumRows are SumRows' kernels (sumrows.go), none on the generic backend: sumRows[0] takes
	// whole chunks of sumChunk columns, sumRows[1…3] one half, quarter and eighth of a chunk.
	sumRows  [4]sumRowsKernel[T]
	sumChunk int
}

// sumRowsKernel adds the listed rows into chunks of sums (see _gen/sumrows.go).
type sumRowsKernel[T Float] func(x *T, ldx int, rows *int32, m int, w *T, sum *float64, chunks int)

// The modes of fnS: one of the first three, optionally | prefetchNext, and with it optionally
// | prefetchAt | δ<<prefetchShift or | prefetchLinear | δ<<prefetchShift (and optionally
// | prefetchDouble).
const (
	addSums        = 0 // C += Σ, Σ from zero
	storeSums      = 1 // C = Σ, C not read
	carrySums      = 2 // C = Σ, each sum starting from C's value
	sumsMask       = 3
	prefetchNext   = 4  // with acs = 1: prefetch the next mr rows meanwhile
	prefetchAt     = 8  // with prefetchNext: prefetch the mr rows at a + δ bytes (stride ars) instead
	prefetchLinear = 16 // with prefetchNext: prefetch linearBytes from a + δ bytes on per four steps instead
	prefetchDouble = 32 // with prefetchLinear: twice linearBytes per four steps
	prefetchShift  = 8
)

var (
	kern64 = genericKernel64
	kern32 = genericKernel32
)

// simdKernels is filled by kern_amd64.go when assembly is compiled in: backend → kernels.
var simd64 = map[kernels.Backend]kernel[float64]{}
var simd32 = map[kernels.Backend]kernel[float32]{}

func init() {
	b := chooseBackend()
	if k, ok := simd64[b]; ok {
		kern64 = k
	}
	if k, ok := simd32[b]; ok {
		kern32 = k
	}
	tuneFromEnv(&kern64.mc, &kern64.kc, &kern64.nc)
	tuneFromEnv(&kern32.mc, &kern32.kc, &kern32.nc)
}

// tuneFromEnv lets bench/linalg sweep the cache blocking without rebuilding:
// FASTMVA_GEMM_BLOCKING=mc,kc,nc (multiples of the tile are enforced).
func tuneFromEnv(mc, kc, nc *int) {
	var m, k, n int
	if _, err := fmt.Sscanf(os.Getenv("FASTMVA_GEMM_BLOCKING"), "%d,%d,%d", &m, &k, &n); err == nil && m > 0 && k > 0 && n > 0 {
		*mc, *kc, *nc = m, k, n
	}
}

// Backend reports the micro-kernel family in use.
func Backend() kernels.Backend { return kern64.name }

// chooseBackend follows kernels.Active(). While the kernels package has no SIMD backend compiled
// in (its seam is filled in by another branch), kernels.Active() is always generic; then the same
// rule is applied here: FASTMVA_KERNELS if set and runnable, else the best the CPU supports.
func chooseBackend() kernels.Backend {
	if len(kernels.Supported()) > 1 {
		return kernels.Active()
	}
	avail := []kernels.Backend{}
	if cpuAVX512() {
		avail = append(avail, kernels.AVX512)
	}
	if cpuAVX2() {
		avail = append(avail, kernels.AVX2)
	}
	avail = append(avail, kernels.Generic)
	req := kernels.Backend(os.Getenv(kernels.EnvVar))
	if req == "" {
		return avail[0]
	}
	if slices.Contains(avail, req) {
		return req
	}
	return kernels.Generic
}

// kernelFor returns the installed kernel for T.
func kernelFor[T Float]() *kernel[T] {
	var z T
	switch any(z).(type) {
	case float64:
		return any(&kern64).(*kernel[T])
	default:
		return any(&kern32).(*kernel[T])
	}
}
