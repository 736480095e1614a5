package kernels

// compiledBackends lists the SIMD backends built into this binary, best first.
var compiledBackends []Backend

// installers maps a backend to the function that points the kernel variables at it.
var installers = map[Backend]func(){}

// register adds a SIMD backend. Variant files (build-tagged per GOARCH) call it from a
// package-level variable initialiser — `var _ = register(AVX2, installAVX2)` — because those run
// before any init function, so the backend is known when init in dispatch.go makes its choice.
// Register the best backend first.
func register(b Backend, installer func()) bool {
	compiledBackends = append(compiledBackends, b)
	installers[b] = installer
	return true
}

// install points every kernel variable at backend b. The generic loops are the package
// defaults, so installing Generic changes nothing.
func install(b Backend) {
	if f, ok := installers[b]; ok {
		f()
	}
}
