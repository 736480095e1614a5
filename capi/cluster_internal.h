/* Private to libfastmva: the sink behind the public opaque fmva_sink, and the trampoline that
 * calls a preprocessing callback (Go cannot call a C function pointer directly). */
#ifndef FASTMVA_CLUSTER_INTERNAL_H
#define FASTMVA_CLUSTER_INTERNAL_H

#include <stdint.h>
#include "fastmva.h"

/* magic tells a live sink from a stale or foreign pointer; handle is a runtime/cgo.Handle to
 * the Go object that receives the copy. It lives in C memory, so no Go pointer crosses to C. */
struct fmva_sink {
    uint64_t magic;
    uintptr_t handle;
};

#define FASTMVA_SINK_MAGIC 0x666d76617369ULL /* "fmvasi" */

int fastmva_internal_call_preprocess(fmva_preprocess_fn fn, void *user, const fmva_matrix *in,
                                     fmva_sink *out);

#endif
