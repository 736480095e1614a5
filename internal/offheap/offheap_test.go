//go:build unix

package offheap

import (
	"runtime"
	"runtime/metrics"
	"testing"
)

func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func TestAllocIsZeroedUsableAndOutsideTheHeap(t *testing.T) {
	runtime.GC()
	before := heapObjects()
	const n = 8 << 20 // 64 MiB of float64
	b, err := Alloc[float64](n)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Data) != n {
		t.Fatalf("len %d, want %d", len(b.Data), n)
	}
	for i := range b.Data {
		if b.Data[i] != 0 {
			t.Fatalf("element %d is %v, want 0", i, b.Data[i])
		}
		b.Data[i] = float64(i)
	}
	if b.Data[n-1] != n-1 {
		t.Fatal("last element not written")
	}
	if grown := heapObjects() - before; grown > n {
		t.Fatalf("the Go heap grew by %d bytes for a %d-byte off-heap buffer", grown, 8*n)
	}
	b.Free()
	b.Free() // a second Free is harmless
	if b.Data != nil {
		t.Fatal("Data kept after Free")
	}
}

func TestEmptyAlloc(t *testing.T) {
	b, err := Alloc[float32](0)
	if err != nil || len(b.Data) != 0 {
		t.Fatalf("Alloc(0) = %v, %v", b, err)
	}
	b.Free()
}
