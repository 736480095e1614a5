package kernels

import (
	"fmt"
	"os"

	"github.com/klauspost/cpuid/v2"
)

// Backend names one implementation family of the kernels.
type Backend string

const (
	Generic Backend = "generic"
	AVX2    Backend = "avx2"
	AVX512  Backend = "avx512"
)

// EnvVar forces a backend when set to generic, avx2 or avx512. It is read once, when the
// package loads, so each backend's tests run in their own process.
const EnvVar = "FASTMVA_KERNELS"

var (
	active       Backend
	selectionErr error
)

func init() {
	active, selectionErr = selectBackend(os.Getenv(EnvVar), supported())
	install(active)
}

// Active reports the backend chosen at load time.
func Active() Backend { return active }

// SelectionError reports why the requested FASTMVA_KERNELS value could not be honoured
// (the generic backend is used instead), or nil.
func SelectionError() error { return selectionErr }

// Supported reports which backends this CPU and this build can run, best first.
func Supported() []Backend { return supported() }

// CPUName and CPUFeatures describe the processor as cpuid saw it.
func CPUName() string { return cpuid.CPU.BrandName }

func CPUFeatures() []string { return cpuid.CPU.FeatureSet() }

// supported lists the backends that have an implementation in this build and whose
// instructions the CPU has, best first. Generic is always last.
func supported() []Backend {
	var out []Backend
	for _, b := range compiledBackends {
		if cpuHas(b) {
			out = append(out, b)
		}
	}
	return append(out, Generic)
}

func cpuHas(b Backend) bool {
	switch b {
	case AVX512:
		return cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512DQ, cpuid.AVX512VL, cpuid.AVX2, cpuid.FMA3)
	case AVX2:
		return cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3)
	}
	return b == Generic
}

// selectBackend picks the requested backend if given and available, else the best available.
func selectBackend(requested string, avail []Backend) (Backend, error) {
	if requested == "" {
		return avail[0], nil
	}
	for _, b := range avail {
		if string(b) == requested {
			return b, nil
		}
	}
	return Generic, fmt.Errorf("%s=%q is not available here (available: %v); using generic", EnvVar, requested, avail)
}
