#ifndef MALLOC_COUNTER_H
#define MALLOC_COUNTER_H

/// The number of heap allocations (malloc, calloc, realloc, aligned variants) made by the process
/// so far, or 0 where counting is not supported. Linked only into raft-bench.
unsigned long long raft_bench_malloc_count(void);

/// Whether allocations are being counted on this platform.
int raft_bench_malloc_counting(void);

#endif
