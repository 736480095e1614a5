package parallel

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The second goroutine of a two-thread Run really runs chunks at the same time as the first:
// the first two chunks wait for each other (a missing helper fails the wait instead of hanging).
func TestTeamRunsChunksSideBySide(t *testing.T) {
	for round := 0; round < 50; round++ {
		var arrived atomic.Int32
		both := make(chan struct{})
		err := Run(Split(4*256, 256, 64), 2, func(i, _, _ int) error {
			if i > 1 {
				return nil
			}
			if arrived.Add(1) == 2 {
				close(both)
			}
			select {
			case <-both:
				return nil
			case <-time.After(10 * time.Second):
				t.Errorf("round %d: chunk %d waited for a second goroutine that never came", round, i)
				return nil
			}
		})
		require.NoError(t, err)
		if t.Failed() {
			return
		}
	}
}

// Once Run returns, no goroutine is still inside, or will later enter, its fn.
func TestTeamLeavesNothingRunningAfterRun(t *testing.T) {
	for round := 0; round < 200; round++ {
		var inside, calls atomic.Int32
		require.NoError(t, Run(Split(64*256, 256, 64), 2, func(_, _, _ int) error {
			inside.Add(1)
			defer inside.Add(-1)
			calls.Add(1)
			return nil
		}))
		require.Zero(t, inside.Load())
		require.EqualValues(t, 64, calls.Load())
		// Another job through the team: a late helper of the first would bump its count.
		require.NoError(t, Run(Split(64*256, 256, 64), 2, func(_, _, _ int) error { return nil }))
		require.EqualValues(t, 64, calls.Load())
	}
}

// A Run inside a Run's fn, and Runs from several goroutines at once, find the team busy and
// start their own goroutines: every chunk is still visited exactly once.
func TestTeamNestedAndConcurrentRuns(t *testing.T) {
	outer := Split(16*256, 256, 64)
	inner := Split(8*256, 256, 64)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; round < 20; round++ {
				visits := make([]atomic.Int32, outer.Count*inner.Count)
				err := Run(outer, 3, func(i, _, _ int) error {
					return Run(inner, 2, func(j, _, _ int) error {
						visits[i*inner.Count+j].Add(1)
						return nil
					})
				})
				if err != nil {
					t.Error(err)
					return
				}
				for v := range visits {
					if n := visits[v].Load(); n != 1 {
						t.Errorf("chunk pair %d visited %d times", v, n)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// More threads than processors: the extra helpers sleep instead of spinning, and still work.
func TestTeamMoreThreadsThanProcessors(t *testing.T) {
	var rows atomic.Int64
	for round := 0; round < 20; round++ {
		require.NoError(t, Run(Split(100_000, 256, 64), 9, func(_, lo, hi int) error {
			rows.Add(int64(hi - lo))
			return nil
		}))
	}
	require.EqualValues(t, 20*100_000, rows.Load())
}
