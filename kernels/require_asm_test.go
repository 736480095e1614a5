//go:build amd64 && !purego && !noasm

package kernels

import (
	"os"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// The speed targets are set for a CPU with AVX-512 (issue 4 names Zen 4; the benchmark machine is
// an AVX-512 Xeon): if it has AVX-512 but the default choice is something else, the dispatch is
// broken and every benchmark silently measures the wrong code. Forcing a backend through
// FASTMVA_KERNELS is the one legitimate reason to differ.
func TestRequireAssembly(t *testing.T) {
	if v := os.Getenv(EnvVar); v != "" {
		t.Skipf("%s=%s forces the backend", EnvVar, v)
	}
	want := Generic
	switch {
	case cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512DQ, cpuid.AVX512VL, cpuid.AVX2, cpuid.FMA3):
		want = AVX512
	case cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3):
		want = AVX2
	}
	if Active() != want {
		t.Fatalf("CPU %q supports %s but the default backend is %s", CPUName(), want, Active())
	}
	if want == Generic {
		t.Skip("this CPU has neither AVX2+FMA nor AVX-512: nothing to require")
	}
}
