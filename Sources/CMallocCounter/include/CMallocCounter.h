#ifndef C_MALLOC_COUNTER_H
#define C_MALLOC_COUNTER_H

/// Counts heap allocations made by any code in the process while counting is switched on.
///
/// Linking this target replaces malloc, calloc, realloc, reallocarray, free, posix_memalign,
/// aligned_alloc, memalign, valloc and pvalloc with wrappers that forward to glibc's own
/// allocator (`__libc_malloc` and friends) and count. Linked into junction-bench and the
/// JunctionRuntime tests (the tick allocation test); nothing shipped links it.

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

/// Resets the calling thread's own counts to zero and starts counting its allocations only,
/// so a measurement of one thread is not disturbed by the other threads of the process (and
/// several threads can measure at once). Independent of the process-wide counts above.
void malloc_counter_start_thread(void);

/// Stops counting the calling thread's allocations; its counts keep their values.
void malloc_counter_stop_thread(void);

/// Allocations the calling thread made since its `malloc_counter_start_thread`.
unsigned long long malloc_counter_thread_count(void);

/// Bytes the calling thread requested since its `malloc_counter_start_thread`.
unsigned long long malloc_counter_thread_bytes(void);

#endif
