package cluster

import (
	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
	"github.com/fastmva/fastmva/internal/offheap"
	"github.com/fastmva/fastmva/internal/parallel"
)

// Source is a cluster source as HyperSpy builds it: one row per navigation pixel, with
// optional masks where true means "not used" (HyperSpy's convention). NavMask drops pixels —
// they get no label, NaN distances and add to no signal; SigMask drops features of X only
// (never of the centers' source, as in HyperSpy).
type Source[T dense.Float] struct {
	X       dense.Matrix[T]
	NavMask []bool // len X.Rows, or nil
	SigMask []bool // len X.Cols, or nil
}

// Preprocessor is a user preprocessing step (HyperSpy's object with fit_transform). It
// receives the masked cluster source, valid only during the call, and returns a new matrix
// with the same number of rows and any number of columns, which becomes the library's own.
type Preprocessor[T dense.Float] func(in dense.Matrix[T]) (dense.Matrix[T], error)

// PrepareOptions says how to turn a Source into the data that is clustered.
type PrepareOptions[T dense.Float] struct {
	Kind    Preprocessing
	User    Preprocessor[T] // replaces Kind when set
	Threads int
	// UserInputAlloc, if set, provides the buffer into which the masked source is gathered
	// before it is handed to User, and a function that releases it after the call (the C API
	// needs that memory outside the Go heap, to hand it to a C callback).
	UserInputAlloc func(n int) ([]T, func(), error)
	// OffHeap puts the preprocessed copy (and a gap reference that cannot reuse it) outside the
	// Go heap; the caller must then call Prepared.Release when done. The C API does: a copy on
	// the heap would let the collector's target — twice the live heap — grow by a whole copy.
	OffHeap bool
}

// Prepared is the scaled cluster source: NKept × D' rows, Kept maps them back to pixels.
type Prepared[T dense.Float] struct {
	Data    dense.Matrix[T]
	Kept    []int // pixel index of each row of Data; nil when no pixel is masked
	NTotal  int   // pixels, masked ones included
	Owned   bool  // Data is a buffer of the library's (not the caller's), free to overwrite
	offHeap bool
	bufs    []func() // releases the off-heap buffers
}

// Release frees the off-heap buffers of p (PrepareOptions.OffHeap); Data is invalid after.
func (p *Prepared[T]) Release() {
	for _, free := range p.bufs {
		free()
	}
	p.bufs = nil
}

// buffer returns n elements of scratch that live as long as p: off the heap when asked for.
func (p *Prepared[T]) buffer(n int) ([]T, error) {
	if !p.offHeap {
		return make([]T, n), nil
	}
	b, err := offheap.Alloc[T](n)
	if err != nil {
		return nil, err
	}
	p.bufs = append(p.bufs, b.Free)
	return b.Data, nil
}

// Pixel returns the pixel index of prepared row i.
func (p *Prepared[T]) Pixel(i int) int {
	if p.Kept == nil {
		return i
	}
	return p.Kept[i]
}

// Prepare applies the masks and the preprocessing. Without masks or preprocessing it copies
// nothing: Data is a view of src.X. Only the kept part of X must be finite — masking bad pixels
// is what masks are for.
func Prepare[T dense.Float](src Source[T], o PrepareOptions[T]) (*Prepared[T], error) {
	p := &Prepared[T]{NTotal: src.X.Rows, offHeap: o.OffHeap}
	if err := p.prepare(src, o); err != nil {
		p.Release() // an off-heap copy made before the failure
		return nil, err
	}
	return p, nil
}

func (p *Prepared[T]) prepare(src Source[T], o PrepareOptions[T]) error {
	x := src.X
	if err := x.Validate("X"); err != nil {
		return err
	}
	if !o.Kind.valid() {
		return fault.Invalid("preprocessing=%d is not one of none, standard, minmax, norm", o.Kind)
	}
	kept, err := keptIndices(src.NavMask, x.Rows, "navigation_mask", "rows of X (pixels)")
	if err != nil {
		return err
	}
	cols, err := keptIndices(src.SigMask, x.Cols, "signal_mask", "columns of X (features)")
	if err != nil {
		return err
	}
	p.Kept = kept
	nRows, nCols := x.Rows, x.Cols
	if kept != nil {
		nRows = len(kept)
	}
	if cols != nil {
		nCols = len(cols)
	}
	masked := kept != nil || cols != nil
	switch {
	case o.User != nil && o.UserInputAlloc != nil && masked:
		buf, release, aerr := o.UserInputAlloc(nRows * nCols)
		if aerr != nil {
			return aerr
		}
		defer release()
		p.Data, err = gather(x, kept, cols, buf, o.Threads)
	case masked || (o.User == nil && o.Kind != PreprocessNone):
		// The built-in scalings work in place, so they need their own copy.
		var buf []T
		if buf, err = p.buffer(nRows * nCols); err != nil {
			return err
		}
		p.Data, err = gather(x, kept, cols, buf, o.Threads)
		p.Owned = true
	default:
		p.Data = x
	}
	if err != nil {
		return err
	}
	if err := dense.CheckFinite(p.Data, "X"); err != nil {
		if kept != nil || cols != nil {
			return fault.Invalid("%v (after the masks were applied)", err)
		}
		return err
	}
	if o.User != nil {
		out, err := o.User(p.Data)
		if err != nil {
			return err
		}
		if out.Rows != nRows {
			return fault.Callback("the preprocessing step returned %d rows for %d samples", out.Rows, nRows)
		}
		if err := out.Validate("preprocessing output"); err != nil {
			return fault.Callback("%v", err)
		}
		if err := dense.CheckFinite(out, "the preprocessing output"); err != nil {
			return fault.Callback("%v", err)
		}
		p.Data, p.Owned = out, true
		return nil
	}
	return Preprocess(p.Data, o.Kind, o.Threads)
}

// keptIndices returns the indices where mask is false, or nil when nothing is masked.
func keptIndices(mask []bool, n int, name, what string) ([]int, error) {
	if mask == nil {
		return nil, nil
	}
	if len(mask) != n {
		return nil, fault.Invalid("%s has %d values, but X has %d %s", name, len(mask), n, what)
	}
	var kept []int
	for i, m := range mask {
		if !m {
			kept = append(kept, i)
		}
	}
	switch {
	case len(kept) == 0:
		return nil, fault.Invalid("%s masks out all %d %s: nothing is left to cluster", name, n, what)
	case len(kept) == n:
		return nil, nil
	}
	return kept, nil
}

// gather copies the kept rows and columns of x (nil = all) into buf as a contiguous matrix.
func gather[T dense.Float](x dense.Matrix[T], rows, cols []int, buf []T, threads int) (dense.Matrix[T], error) {
	nr, nc := x.Rows, x.Cols
	if rows != nil {
		nr = len(rows)
	}
	if cols != nil {
		nc = len(cols)
	}
	out := dense.Matrix[T]{Data: buf[:nr*nc], Rows: nr, Cols: nc, Stride: nc}
	err := parallel.Run(rowChunks(nr), threads, func(_, lo, hi int) error {
		for i := lo; i < hi; i++ {
			src := i
			if rows != nil {
				src = rows[i]
			}
			in, dst := x.Row(src), out.Row(i)
			if cols == nil {
				copy(dst, in)
				continue
			}
			for j, c := range cols {
				dst[j] = in[c]
			}
		}
		return nil
	})
	return out, err
}
