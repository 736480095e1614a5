package main

import (
	"bufio"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/fastmva/fastmva/internal/fault"
)

// A Go out-of-memory is fatal (it cannot be recovered like a panic), so every export estimates
// what it will allocate and fails with FMVA_ENOMEM first when that cannot fit.

// available returns the bytes the library may allocate: the smaller of the memory limit set
// through fmva_set_memory_limit and the machine's MemAvailable.
func available() uint64 {
	avail := memAvailable()
	if lim := debug.SetMemoryLimit(-1); lim != math.MaxInt64 {
		avail = min(avail, uint64(lim))
	}
	return avail
}

// memAvailable reads MemAvailable from /proc/meminfo (unknown: no limit).
func memAvailable() uint64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return math.MaxUint64
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemAvailable:" {
			kb, err := strconv.ParseUint(fields[1], 10, 64)
			if err == nil {
				return kb * 1024
			}
		}
	}
	return math.MaxUint64
}

// Needs below this are not checked: reading /proc/meminfo costs more than small calls take.
const checkAbove = 64 << 20

// reserve fails with fault.ErrNoMemory when need bytes cannot fit.
func reserve(what string, need float64) error {
	if need < checkAbove {
		return nil
	}
	avail := available()
	if need > float64(avail) {
		return fault.NoMemory("%s needs about %.0f MiB of working memory, but only %.0f MiB are available",
			what, need/(1<<20), float64(avail)/(1<<20))
	}
	return nil
}
