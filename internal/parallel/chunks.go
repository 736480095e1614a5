// Package parallel runs work over fixed-size chunks of rows on a bounded number of goroutines.
//
// The partition into chunks depends only on the problem size, never on the thread count, and
// callers reduce per-chunk results in chunk order: that is what makes every result bitwise
// identical for any number of threads. A panic in a worker is recovered and returned as an
// error, so it can never take down the host process.
package parallel

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/fastmva/fastmva/internal/fault"
)

// Chunks is a partition of rows [0, N) into Count chunks of Size rows (the last may be shorter).
type Chunks struct {
	N, Size, Count int
}

// Split partitions n rows into chunks of at least minSize rows and at most maxCount chunks.
func Split(n, minSize, maxCount int) Chunks {
	if n <= 0 {
		return Chunks{N: 0, Size: 1, Count: 0}
	}
	size := max(minSize, (n+maxCount-1)/maxCount)
	return Chunks{N: n, Size: size, Count: (n + size - 1) / size}
}

// Bounds returns the rows [lo, hi) of chunk c.
func (c Chunks) Bounds(i int) (lo, hi int) {
	lo = i * c.Size
	return lo, min(lo+c.Size, c.N)
}

// Threads turns a requested thread count (0 or less = all cores) into an actual one.
func Threads(requested int) int {
	if requested <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return requested
}

var injectWorkerPanic atomic.Bool

// InjectWorkerPanic makes the worker that runs chunk 0 panic, so tests can check that a panic
// deep inside a parallel loop comes back as an error and leaves the host alive.
func InjectWorkerPanic(on bool) { injectWorkerPanic.Store(on) }

// Run calls fn(chunk, lo, hi) for every chunk, on at most threads goroutines (the caller's
// goroutine is one of them). It returns the error of the lowest-numbered failing chunk; a panic
// becomes a fault.ErrInternal error carrying the panic value and stack.
func Run(c Chunks, threads int, fn func(chunk, lo, hi int) error) error {
	if c.Count == 0 {
		return nil
	}
	threads = min(Threads(threads), c.Count)
	errs := make([]error, c.Count)
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= c.Count {
				return
			}
			errs[i] = runOne(c, i, fn)
		}
	}
	if threads == 1 {
		work()
	} else if !helpers.run(work, threads-1) {
		var wg sync.WaitGroup
		for t := 1; t < threads; t++ {
			wg.Add(1)
			go func() { defer wg.Done(); work() }()
		}
		work()
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func runOne(c Chunks, i int, fn func(chunk, lo, hi int) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fault.Internal("panic in worker (chunk %d): %v\n%s", i, r, debug.Stack())
		}
	}()
	if i == 0 && injectWorkerPanic.Load() {
		panic(fmt.Sprintf("injected worker panic (%s)", "FASTMVA_TEST_PANIC_IN_WORKER"))
	}
	lo, hi := c.Bounds(i)
	return fn(i, lo, hi)
}
