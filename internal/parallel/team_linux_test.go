package parallel

import (
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Runs driven from a goroutine locked to its thread, as every call from C or Python is: with a
// helper per other processor (the caller polls without yielding), with more helpers than
// processors, and on one processor (the caller must yield for its helper to run at all), every
// chunk is done before Run returns, also when a helper's chunk outlasts the caller's poll. The
// caller is told apart from the helpers by its thread, to which it is locked.
func TestTeamCallerLockedToItsThread(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	caller := syscall.Gettid()
	for _, procs := range []int{runtime.GOMAXPROCS(0), 1} {
		runtime.GOMAXPROCS(procs)
		for _, threads := range []int{2, 3} {
			for round := 0; round < 10; round++ {
				var rows atomic.Int64
				var slowed atomic.Bool
				err := Run(Split(64*256, 256, 64), threads, func(_, lo, hi int) error {
					if syscall.Gettid() != caller && slowed.CompareAndSwap(false, true) {
						time.Sleep(2 * spinFor) // a helper's chunk outlasts the caller's poll
					}
					rows.Add(int64(hi - lo))
					return nil
				})
				require.NoError(t, err)
				require.EqualValues(t, 64*256, rows.Load(), "GOMAXPROCS %d, %d threads, round %d", procs, threads, round)
			}
		}
	}
}
