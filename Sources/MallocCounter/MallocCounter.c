// Counts heap allocations for raft-bench's "allocations per operation" figure, the way Go's
// runtime.MemStats.Mallocs does for etcd. On Linux (glibc) the executable's own definitions of
// malloc and friends take precedence over libc's, so every allocation of the process, the Swift
// runtime's included, passes through here and on to glibc's implementation.
#include "MallocCounter.h"
#include <stddef.h>
#if defined(__linux__)
#include <features.h>
#endif

#if defined(__linux__) && defined(__GLIBC__)
#include <stdatomic.h>
#include <stddef.h>
#include <errno.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *ptr);

static _Atomic unsigned long long allocations;

static inline void counted(void) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); }

void *malloc(size_t size) { counted(); return __libc_malloc(size); }
void *calloc(size_t count, size_t size) { counted(); return __libc_calloc(count, size); }
void *realloc(void *ptr, size_t size) { counted(); return __libc_realloc(ptr, size); }
void free(void *ptr) { __libc_free(ptr); }
void *memalign(size_t alignment, size_t size) { counted(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { counted(); return __libc_memalign(alignment, size); }
int posix_memalign(void **out, size_t alignment, size_t size) {
    counted();
    void *p = __libc_memalign(alignment, size);
    if (p == NULL) return ENOMEM;
    *out = p;
    return 0;
}

unsigned long long raft_bench_malloc_count(void) {
    return atomic_load_explicit(&allocations, memory_order_relaxed);
}
int raft_bench_malloc_counting(void) { return 1; }
#else
unsigned long long raft_bench_malloc_count(void) { return 0; }
int raft_bench_malloc_counting(void) { return 0; }
#endif
