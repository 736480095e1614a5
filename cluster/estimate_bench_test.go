package cluster

import (
	"bufio"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/parallel"
)

// Run alone, in a fresh process, for the memory figures to mean something:
//
//	go test ./cluster -run '^$' -bench EstimateGap -benchtime 1x
//
// FASTMVA_BENCH_MIB sets the input size (float32, 64 columns; default 256 MiB);
// FASTMVA_BENCH_UNIFORM=1 adds the uniform-box reference, whose reference fits on
// structureless data run to many more Lloyd iterations (minutes at 256 MiB).
//
// The input lives outside the Go heap, as a C or NumPy caller's does: inside it, it would
// raise the collector's target and let garbage grow with it, which no real caller sees.

func benchInput(b *testing.B) dense.Matrix[float32] {
	mib := 256
	if v := os.Getenv("FASTMVA_BENCH_MIB"); v != "" {
		mib, _ = strconv.Atoi(v)
	}
	const d = 64
	n := mib << 20 / (4 * d)
	mem, err := syscall.Mmap(-1, 0, n*d*4, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = syscall.Munmap(mem) })
	x := unsafe.Slice((*float32)(unsafe.Pointer(&mem[0])), n*d)
	centers := make([]float32, 5*d)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range centers {
		centers[i] = float32(rng.Float64()*20 - 10)
	}
	_ = parallel.Run(rowChunks(n), 0, func(ci, lo, hi int) error {
		r := rand.New(rand.NewPCG(7, uint64(ci)))
		for i := lo; i < hi; i++ {
			c := r.IntN(5)
			for j := 0; j < d; j++ {
				x[i*d+j] = centers[c*d+j] + float32(r.NormFloat64())
			}
		}
		return nil
	})
	return dense.Matrix[float32]{Data: x, Rows: n, Cols: d, Stride: d}
}

func BenchmarkEstimateGap(b *testing.B) {
	x := benchInput(b)
	input := float64(len(x.Data) * 4)
	for _, tc := range []struct {
		name string
		kind Preprocessing
		ref  GapReference
	}{
		{"line/none", PreprocessNone, GapLine},
		{"line/norm", PreprocessNorm, GapLine},
		{"uniform/none", PreprocessNone, GapUniform},
		{"uniform/norm", PreprocessNorm, GapUniform},
	} {
		if tc.ref == GapUniform && os.Getenv("FASTMVA_BENCH_UNIFORM") != "1" {
			continue
		}
		b.Run(tc.name, func(b *testing.B) {
			p := EstimateParams{MaxClusters: 10, Metric: MetricGap, NRef: 4, Reference: tc.ref, KMeans: DefaultKMeansParams()}
			p.KMeans.Seed = 1
			var best int
			for b.Loop() {
				runtime.GC()
				debug.FreeOSMemory()
				mem := startMemWatch()
				// OffHeap, as the C API asks: the copy and the reference outside the Go heap.
				prep, err := Prepare(Source[float32]{X: x}, PrepareOptions[float32]{Kind: tc.kind, OffHeap: true})
				if err != nil {
					b.Fatal(err)
				}
				r, err := EstimateNumberOfClusters(prep, p)
				prep.Release()
				if err != nil {
					b.Fatal(err)
				}
				best = r.BestK
				rss, heap, total := mem.stop()
				b.ReportMetric(rss/input, "peakRSSgrowth/input")
				b.ReportMetric(heap/input, "peakGoHeap/input")
				b.ReportMetric(total/input, "peakGoMapped/input")
			}
			b.ReportMetric(float64(best), "best_k")
		})
	}
}

// memWatch samples the Go runtime's memory classes every few milliseconds and reads the
// kernel's peak RSS (VmHWM, reset through /proc/self/clear_refs) around a call.
type memWatch struct {
	base, baseHeap      float64
	baseTotal           float64
	done                chan struct{}
	wg                  sync.WaitGroup
	peakHeap, peakTotal float64
}

func startMemWatch() *memWatch {
	if f, err := os.OpenFile("/proc/self/clear_refs", os.O_WRONLY, 0); err == nil {
		_, _ = f.WriteString("5") // reset VmHWM to the current RSS
		f.Close()
	}
	m := &memWatch{base: procStatus("VmRSS:"), done: make(chan struct{})}
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	metrics.Read(samples)
	m.baseHeap = float64(samples[0].Value.Uint64())
	m.baseTotal = float64(samples[1].Value.Uint64() - samples[2].Value.Uint64())
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(samples)
			m.peakHeap = max(m.peakHeap, float64(samples[0].Value.Uint64()))
			m.peakTotal = max(m.peakTotal, float64(samples[1].Value.Uint64()-samples[2].Value.Uint64()))
			select {
			case <-m.done:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

// stop returns the growth over the call of the peak RSS and of the Go heap peaks (heap
// objects, and all memory mapped by the runtime less what it returned to the OS).
func (m *memWatch) stop() (rss, heap, total float64) {
	close(m.done)
	m.wg.Wait()
	return procStatus("VmHWM:") - m.base, m.peakHeap - m.baseHeap, m.peakTotal - m.baseTotal
}

// procStatus reads a kB field of /proc/self/status, in bytes (0 where there is none).
func procStatus(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb * 1024
		}
	}
	return 0
}
