package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// A team of helper goroutines that outlive one Run and stay awake for a short while after it,
// so that the next Run — the next Lloyd iteration, a few microseconds of center update later —
// finds them running instead of waking a sleeping thread.
//
// Why: waking an idle core is slow on virtual machines whose idle vCPUs halt. Measured on the
// 2-vCPU Firecracker VM we benchmark on: a goroutine started while the other core idled began
// 130–270 µs later (p10–p90 of 300), and one Run of 64 chunks of 2 µs each took 151 µs on two
// threads against 143 µs on one, the second thread joining only when the work was gone. A
// Lloyd iteration of 65 536 narrow rows takes 100–250 µs. OpenMP runtimes, scikit-learn's,
// hide the same cost by spinning between parallel regions; so do these helpers, for at most
// spinFor.
//
// One Run at a time drives the team; a Run that finds it busy (a nested Run, or two callers at
// once) starts goroutines of its own as before. Which helper takes which chunk never changes a
// result: callers reduce per chunk, in chunk order.

// spinFor is how long an idle helper keeps polling for the next job before it sleeps. Long
// against the gap between two passes of a fit, short enough that an idle process goes quiet at
// once.
const spinFor = 500 * time.Microsecond

type team struct {
	drive   sync.Mutex // held by the Run using the team
	started int        // helpers started so far (drive held)

	jobs    atomic.Pointer[job] // the job on offer, nil between Runs
	gen     atomic.Uint64       // counts the jobs offered; a helper waits for it to move
	mu      sync.Mutex          // guards sleepers and pairs with wake
	wake    *sync.Cond
	sleeper int // helpers waiting on wake
}

var helpers = newTeam()

func newTeam() *team {
	t := &team{}
	t.wake = sync.NewCond(&t.mu)
	return t
}

// job is one Run's work offered to up to want helpers. state counts the helpers inside work,
// plus closed once the caller has done its own share: from then on no helper may join, and the
// last one to leave tells the caller.
type job struct {
	work  func()
	want  int64
	state atomic.Int64
	left  chan struct{} // one token from the last helper to leave after closed
}

const closed = 1 << 62

func (j *job) join() bool {
	for {
		s := j.state.Load()
		if s&closed != 0 || s >= j.want {
			return false
		}
		if j.state.CompareAndSwap(s, s+1) {
			return true
		}
	}
}

func (j *job) leave() {
	if j.state.Add(-1) == closed {
		j.left <- struct{}{}
	}
}

// close stops helpers joining and returns once those inside work have left: polling at first
// (they are usually a chunk away from done), then sleeping.
//
// The poll yields the processor only when there are more helpers than other processors (one of
// them may be waiting for this one). Otherwise yielding gives the processor to no one, and from
// a thread that entered Go from C — the library's callers, Python and C programs — it is far from
// free: such a goroutine is locked to its thread, and each runtime.Gosched made the scheduler
// hand the processor to another thread and back (stoplockedm, startlockedm: two futex wake-ups
// and context switches). A Lloyd iteration of 65 536×3 float32 rows, k = 3, on two threads took
// 0.17–0.26 ms through the C library against 0.08–0.12 ms in Go (perf of a C program:
// startlockedm under gosched_m); polling without the yield, 0.10–0.14 ms (65 536×10: 0.28–0.42 →
// 0.21–0.29 ms).
func (j *job) close() {
	if j.state.Or(closed) == 0 {
		return
	}
	yield := j.want > int64(otherProcessors())
	if !spinUntil(func() bool { return j.state.Load() == closed }, yield) {
		<-j.left
	}
}

// otherProcessors is how many processors there are besides the caller's: the helpers that can
// each have one of their own, which spin while idle and which the caller waits for without
// yielding.
func otherProcessors() int { return runtime.GOMAXPROCS(0) - 1 }

// spinUntil polls done for up to spinFor and reports whether done came true. With yield it lets
// any other goroutine waiting for a processor have it now and then (runtime.Gosched).
func spinUntil(done func() bool, yield bool) bool {
	start := time.Now()
	for i := 1; !done(); i++ {
		if i%64 == 0 {
			if time.Since(start) > spinFor {
				return false
			}
			if yield {
				runtime.Gosched()
			}
		}
	}
	return true
}

// run has work (which returns when no chunk is left) done by the caller and up to n helpers,
// and reports false, having done nothing, if the team is busy.
func (t *team) run(work func(), n int) bool {
	if !t.drive.TryLock() {
		return false
	}
	defer t.drive.Unlock()
	for ; t.started < n; t.started++ {
		// Only as many helpers spin as there are other processors to spin on.
		go t.help(t.gen.Load(), t.started < otherProcessors())
	}
	j := &job{work: work, want: int64(n), left: make(chan struct{}, 1)}
	t.jobs.Store(j)
	t.gen.Add(1)
	t.mu.Lock()
	if t.sleeper > 0 {
		t.wake.Broadcast()
	}
	t.mu.Unlock()
	work()
	j.close()
	t.jobs.Store(nil) // let go of the work's closure
	return true
}

// help is a helper's life: wait for a job other than the one it saw last, take part if there
// is room.
func (t *team) help(seen uint64, spin bool) {
	for {
		seen = t.await(seen, spin)
		if j := t.jobs.Load(); j != nil && j.join() {
			j.work()
			j.leave()
		}
	}
}

// await returns the job count once it differs from seen: polled for up to spinFor if spin,
// then asleep on wake.
func (t *team) await(seen uint64, spin bool) uint64 {
	if spin && spinUntil(func() bool { return t.gen.Load() != seen }, true) {
		return t.gen.Load()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sleeper++
	for t.gen.Load() == seen {
		t.wake.Wait()
	}
	t.sleeper--
	return t.gen.Load()
}
