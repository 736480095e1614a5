// Package kernels holds fastmva's numeric inner loops: pure functions on slices, with no
// goroutines, no allocation (but for the centers' panels that NewCenterPanel* pack, once per
// call of a caller) and no hidden state except the choice of implementation made once when the
// package loads.
//
// Every operation has a reference loop written in plain Go (generic.go), always compiled; SIMD
// variants are checked against it. The exported functions dispatch through function variables
// set once by selectBackend (dispatch.go).
//
// Matrices are row-major: row i of an n×d matrix x with row stride ldx is x[i*ldx : i*ldx+d].
//
// # Assembly
//
// The amd64 variants (AVX2+FMA, AVX-512F/DQ/VL; float32 and float64) are Go assembly printed by
// the small generator in _gen (its own module, no dependencies, so nothing of it reaches users of
// the library). Why a generator of our own rather than hand-written files, avo, or
// GOEXPERIMENT=simd: the four variants of each operation differ only in register width,
// element size and lane masking, and the nearest-center tile is unrolled for every group size
// 1…8, so writing them by hand would mean ~3 500 near-identical lines to keep in step; avo
// would do it but adds a dependency and an API to learn for what is a few hundred lines of
// printing; GOEXPERIMENT=simd would leave a plain `go build` without SIMD at all. The output is
// ordinary Go assembly, committed, checked by go vet's asmdecl and readable on its own.
// Regenerate with `go generate ./kernels`.
//
// # The nearest-center tile
//
// Rows run along the vector lanes (AVX-512: 2 vectors of 8 float64 or 16 float32 rows; AVX2:
// one vector of 4 or 8): a gather loads feature f of those rows, each center's feature f is
// broadcast, and an FMA advances one dot product per lane. Up to 8 centers share each gathered
// vector, so for k ≤ 8 every row is read once and for larger k the tile (in L1/L2) is re-read
// once per group of 8 while 16 accumulators stay in registers. Because every lane holds a whole
// row, the argmin over centers is a lane-wise compare-and-blend, with no horizontal reduction,
// and ties keep the lowest index as the reference does. The fused Lloyd kernel runs the tile and
// then adds the same rows, still in cache, into the per-chunk sums.
//
// # Few centers: centers in lanes
//
// For k ≤ 8 on AVX-512 the fused Lloyd kernel turns the tile around (smallk_amd64.go,
// _gen/smallk.go): the k centers, transposed, fill the lanes of one vector, and each row is read
// in place, one feature at a time broadcast against it — no gather (slow on this machine kind,
// and with few centers each gathered vector fed few FMAs). Each (row, center) value still comes
// from a fused multiply-add per feature in feature order and cn − 2·dot in one rounding, the
// tile's exact instructions, so the labels are NearestF64/F32's bit for bit; the argmin is a
// horizontal minimum and the lowest equal lane. The rows are then added, row by row, into a
// padded, aligned copy of the sums on the stack (whole-vector updates that store-forward),
// which is the reference accumulation bit for bit. For float32 rows of 8 features and more
// (and contiguous narrower rows where it measured faster), and float64 rows of 16 and more with
// k ≤ 4, rows go back into lanes, but fed by plain loads and in-register transposes or permutes
// instead of gathers (transpose_amd64.go): the nearest tile then runs on that pack, the same
// instructions again. On one loaded core of the Xeon (AVX-512) these machines now have, one
// Lloyd iteration on 65 536 rows takes, as a fraction of the gathering tile's time: float32
// d=3 0.6–0.75, d=10 0.8–0.95, d=32 0.55–0.7; float64 d=3 0.55–0.7, d=10 0.7–0.9, d=32 0.35–0.8.
//
// Float64 rows of d ≤ 4 features, contiguous, and of d ≤ 8 with k ≤ 4 take rows in lanes of
// their own (narrow64_amd64.go, _gen/narrow64.go): 8 rows at a time put into lanes by permutes
// (or an 8×8 transpose), k chains of FMAs, and a vertical first strict minimum — the reference's
// comparison, NaN values included — then each block of rows added by a per-row kernel
// (_gen/sumrows.go). One iteration on 2 threads, medians of 5–7 interleaved runs with the
// machine at load 19–25 (cluster BenchmarkFewCentersGridF64), centers in lanes → rows in lanes:
// 65 536×3 k=3 0.44 → 0.23 ms, k=8 0.38 → 0.29; 10⁶×3 k=3 11.7 → 8.1, k=8 16.0 → 8.5. Of what
// is left at 65 536×3 the larger part is the sums' chains through memory (a load, an add and a
// store, about 10 cycles, per row of the same center), the labels the smaller. The labels-only
// pass (Nearest*, NearestPacked*) takes float64 rows of fewer than 16 features in lanes the same
// way, the kernels also storing each row's least value (nearestFew, narrow64_amd64.go).
//
// # Few centers, rows of a few hundred features: the streaming pass
//
// For k ≤ 8 and 64 < d ≤ 512 on AVX-512 every pass (LloydPacked*/Lloyd*, NearestPacked*/
// Nearest*, ValuesPacked*/Values*) takes the streaming pass (stream_amd64.go, _gen/stream.go):
// the rows read in place, four at a time, front to back, prefetched 8 KB ahead; the features
// along the lanes in 32-byte steps, each broadcast into both halves of a vector against two
// centers' steps, so ⌈k/2⌉ FMAs a step and row. This is the one place where a dot product is not
// one chain in feature order: each is eight (float32) or four (float64) lane chains added
// pairwise at the end, so its values differ from the other paths' in the last bits, and a
// near-tie can go the other way. Every pass over such a shape takes it, with or without the
// caller's scratch (the centers go on the stack without it), and cluster's bound-based fits take
// their values from Values* there (StreamOrder), so one fit, predict after it and every thread
// count compare the same numbers. The sums are the reference accumulation, bit for bit: each
// block of rows (about 16 KB) is added row by row into the padded sums right after its labels.
// On an Intel Xeon (Emerald Rapids), two threads, X of 64 MB from DRAM (BenchmarkStreamVsWindows,
// GB/s of X read): float64 k = 3 30–37 against the windowed pass's 26–32 at d = 256, 33–38 /
// 24–29 at d = 128; one Lloyd iteration of 65 536×256 float64 rows, k = 3, 4.5–6.7 → 3.1–3.9 ms
// (BenchmarkWideIteration).
//
// # Few centers, wide rows: streaming by windows
//
// For k ≤ 8 and d > 512 on AVX-512, given the caller's scratch (LloydPacked*, which cluster's
// Lloyd passes), the fused kernel streams (wide_amd64.go, _gen/wide.go): rows in lanes by tiles
// of 32 float32 / 16 float64 rows, the features in windows of 64, each window transposed in
// registers into an L1 scratch and run through k FMAs per feature with the dot products carried
// in registers from window to window (the same chain per row and center, so the same bits), the
// argmin in the last window, then the tile's rows added window by window into padded sums while
// they are in L2; the next window is prefetched into L2 as the current one is computed, and the
// next tile's as the sums are added. From DRAM it took 0.95–1.2× the time of a plain read of X
// on one thread of the Xeon (the gathering tile: 1.2–2.9×), see BenchmarkLloydWide; on Zen 4
// 1.5–2.2× (float64 d = 256 k = 3: 0.60 against 0.31–0.40 ns a row-feature, about the read and
// the pass's own time in L2 added up; docs/benchmarks-2026-11-30.md, session 17). Without the scratch the
// gathering tile runs. The labels-only pass (NearestPacked* with the scratch: a fit's last
// assignment, predict, k-means++'s distances, argmin_min) runs the same windows without the sums
// and takes part from the argmin's minima, the gathering tile's labels and part bit for bit; one
// thread, X from DRAM, loaded machine: 1.1–2.9× less time than the gathering tile, about a plain
// read of X (BenchmarkNearestWide). Fewer rows than a tile always go to the gathering tile.
//
// # Packed tiles and values
//
// With more than 8 centers the tile's rows would be gathered once per group of 8. The packed
// variants (LloydPacked*, NearestPacked*, ValuesPacked*) gather them once, in the first group,
// store them feature-major into caller scratch (PackLen(d)) and load them back with plain vector
// loads for every later group: the same FMAs in the same order, so the same bits, at 1.5–2.5×
// the speed for k = 64 on one core. The scratch comes from the caller because the assembly is
// reached through function values, through which the compiler moves any local array to the
// heap. Values* stores every cnorm_j − 2·x·c_j of the tile instead of the minimum — the exact
// numbers Nearest* compares, which is what lets the triangle-inequality k-means in package
// cluster reproduce Lloyd's labels bit for bit.
//
// # Exact distances to many centers
//
// CenterDists* (centerdist_amd64.go, _gen/centerdist.go; AVX-512) give √SqDist of every row and
// center, as KMeans.transform and the silhouette need them: the centers, widened and packed
// eight to a register (CenterPanel), and a row's sixteen partial sums of each center in sixteen
// registers, one center per lane, so the per-pair fold of SqDistRows becomes fifteen vertical
// additions for eight pairs, and each pair keeps SqDist's order of additions, bit for bit.
//
// # Candidate labels in float32
//
// NearestProductsMarginF32 (products_margin.go, _gen/margin.go; assembly for AVX-512 and
// 32 < k ≤ 64, MarginProductsFast) takes float32 products and a margin per row and labels only
// the rows whose least value lies more than the margin below every other, −1 the rest (ties,
// NaN, a value within the margin); NarrowShiftedF64 makes float64 rows float32, less a shift,
// for a float32 GEMM tile. The margin that makes such a label the float64 computation's is
// package cluster's (mixed.go), which labels the other rows in float64: this package only
// compares.
//
// # The 64-center tile
//
// NearestTile64F32 and LeastTwoTile64F32 (tile64.go, _gen/tile64.go; AVX-512 only, Tile64Fast)
// label float32 rows against at most 64 centers packed p-major (PackTile64F32): six rows ×
// 64 centers of products in 24 registers, then each row's argmin straight from them, so the
// products are never stored and read back (gemm.MulRows then NearestProductsF32, whose labels
// and minima they give bit for bit). The least-two variant also gives the least value of the
// other centers, for Hamerly's fresh bounds.
package kernels

//go:generate sh -c "cd _gen && go run . -out .."
