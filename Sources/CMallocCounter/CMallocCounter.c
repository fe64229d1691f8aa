// Wraps glibc's allocator to count allocations for the benchmarks and the tick allocation test. Defining malloc and friends in
// the executable interposes them for every library in the process; each wrapper forwards to the
// __libc_* entry point glibc exports for exactly this purpose (no dlsym, which itself allocates).

#include "CMallocCounter.h"

#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void __libc_free(void *pointer);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

static atomic_int counting;
static atomic_ullong allocations;
static atomic_ullong frees;
static atomic_ullong bytes;
// One thread's own counts (malloc_counter_start_thread): local-exec thread-locals of the
// executable, so reaching them from inside malloc never allocates.
static _Thread_local int thread_counting;
static _Thread_local unsigned long long thread_allocations;
static _Thread_local unsigned long long thread_bytes;

static inline void count_allocation(size_t size) {
    if (thread_counting) {
        thread_allocations += 1;
        thread_bytes += size;
    }
    if (atomic_load_explicit(&counting, memory_order_relaxed)) {
        atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&bytes, size, memory_order_relaxed);
    }
}

void malloc_counter_start(void) {
    atomic_store(&allocations, 0);
    atomic_store(&frees, 0);
    atomic_store(&bytes, 0);
    atomic_store(&counting, 1);
}

void malloc_counter_stop(void) { atomic_store(&counting, 0); }

void malloc_counter_start_thread(void) {
    thread_allocations = 0;
    thread_bytes = 0;
    thread_counting = 1;
}

void malloc_counter_stop_thread(void) { thread_counting = 0; }

unsigned long long malloc_counter_thread_count(void) { return thread_allocations; }

unsigned long long malloc_counter_thread_bytes(void) { return thread_bytes; }

unsigned long long malloc_counter_count(void) { return atomic_load(&allocations); }

unsigned long long malloc_counter_frees(void) { return atomic_load(&frees); }

unsigned long long malloc_counter_bytes(void) { return atomic_load(&bytes); }

void *malloc(size_t size) {
    count_allocation(size);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    count_allocation(count * size);
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    if (size != 0) {
        count_allocation(size);
    } else if (pointer != NULL && atomic_load_explicit(&counting, memory_order_relaxed)) {
        atomic_fetch_add_explicit(&frees, 1, memory_order_relaxed);
    }
    return __libc_realloc(pointer, size);
}

void *reallocarray(void *pointer, size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(pointer, count * size);
}

void free(void *pointer) {
    if (pointer != NULL && atomic_load_explicit(&counting, memory_order_relaxed)) {
        atomic_fetch_add_explicit(&frees, 1, memory_order_relaxed);
    }
    __libc_free(pointer);
}

void *memalign(size_t alignment, size_t size) {
    count_allocation(size);
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    count_allocation(size);
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) {
        return EINVAL;
    }
    count_allocation(size);
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) {
        return ENOMEM;
    }
    *result = pointer;
    return 0;
}

void *valloc(size_t size) {
    count_allocation(size);
    return __libc_valloc(size);
}

void *pvalloc(size_t size) {
    count_allocation(size);
    return __libc_pvalloc(size);
}
