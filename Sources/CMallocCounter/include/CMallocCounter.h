#ifndef C_MALLOC_COUNTER_H
#define C_MALLOC_COUNTER_H

/// Counts heap allocations made by any code in the process while counting is switched on.
///
/// Linking this target replaces malloc, calloc, realloc, reallocarray, free, posix_memalign,
/// aligned_alloc, memalign, valloc and pvalloc with wrappers that forward to glibc's own
/// allocator (`__libc_malloc` and friends) and count. Only the benchmark links it.

/// Resets the counts to zero and starts counting (from any thread).
void malloc_counter_start(void);

/// Stops counting; the counts keep their values.
void malloc_counter_stop(void);

/// Allocations (malloc, calloc, realloc with a non-zero size, and the aligned forms) counted
/// since the last `malloc_counter_start`.
unsigned long long malloc_counter_count(void);

/// Frees of non-null pointers counted since the last `malloc_counter_start`.
unsigned long long malloc_counter_frees(void);

/// Bytes requested by the counted allocations.
unsigned long long malloc_counter_bytes(void);

#endif
