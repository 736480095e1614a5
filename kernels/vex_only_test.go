package kernels

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// legacySSE matches an instruction without the VEX/EVEX "V" prefix that names an xmm register.
var legacySSE = regexp.MustCompile(`^\s*([A-Z][A-Z0-9]*)\s.*\bX([0-9]|1[0-5])\b`)

// TestNoLegacySSEInVectorCode reads every assembly file of kernels and kernels/gemm and fails on
// a legacy-SSE instruction that touches an xmm register inside a function that uses ymm or zmm
// registers, before its VZEROUPPER. Such an instruction, run while the upper halves are dirty,
// costs a state transition on some cores: on the Zen 3 of session 27 one MOVQ AX, X9 per
// group of centers made the rows-in-lanes tile 10–35× slower. The VEX form (VMOVQ) costs
// nothing, so the generator must print it.
func TestNoLegacySSEInVectorCode(t *testing.T) {
	files, _ := filepath.Glob("*.s")
	more, _ := filepath.Glob(filepath.Join("gemm", "*.s"))
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no assembly files found next to the test")
	}
	checked := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, fn := range strings.Split(string(src), "\nTEXT ")[1:] {
			name, body, _ := strings.Cut(fn, "\n")
			if !regexp.MustCompile(`\b[YZ]([0-9]|[12][0-9]|3[01])\b`).MatchString(body) {
				continue
			}
			checked++
			for _, line := range strings.Split(body, "\n") {
				if strings.Contains(line, "VZEROUPPER") {
					break
				}
				code, _, _ := strings.Cut(line, "//")
				if m := legacySSE.FindStringSubmatch(code); m != nil && !strings.HasPrefix(m[1], "V") {
					t.Errorf("%s: %s: legacy SSE in vector code: %q", f, name, strings.TrimSpace(code))
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no function using ymm or zmm registers was checked")
	}
}
