/* The part of libgpiod that junctiond's GPIO backend (FieldGPIO) uses, one API over libgpiod 1.6
 * (Debian 12, libgpiod.so.2) and 2.x (Debian 13 and current Raspberry Pi OS, libgpiod.so.3).
 *
 * Which library it wraps is decided when gpio_shim.c is compiled, by the gpiod.h that pkg-config
 * names (see gpio_shim.c): FieldGPIO calls only these functions, so it builds unchanged against
 * either. Every function that can fail returns NULL or -1 and leaves the cause in errno, as
 * libgpiod itself does. Nothing here allocates after a request is made: values and edges are read
 * into the caller's buffers. */
#ifndef JUNCTIOND_GPIO_SHIM_H
#define JUNCTIOND_GPIO_SHIM_H

#include <stddef.h>
#include <stdint.h>

/* Request options, or-ed together. */
#define JGPIO_ACTIVE_LOW 0x01
#define JGPIO_BIAS_DISABLE 0x02
#define JGPIO_BIAS_PULL_UP 0x04
#define JGPIO_BIAS_PULL_DOWN 0x08
#define JGPIO_OPEN_DRAIN 0x10
#define JGPIO_OPEN_SOURCE 0x20

/* The most lines one request holds: the kernel's limit in both of its GPIO interfaces. */
#define JGPIO_REQUEST_MAX_LINES 64
/* The most edges one read returns: the kernel queues 16 per line by default in both. */
#define JGPIO_EDGES_PER_READ 16

/* An open GPIO chip, with its kernel name (gpiochip0), label and line count. */
struct jgpio_chip;

/* Opens the chip with this kernel name (gpiochip0). */
struct jgpio_chip *jgpio_chip_open(const char *name);
/* Opens the chip a spec names: a number, a label, a kernel name or a /dev path, tried as
 * libgpiod 1.6's gpiod_chip_open_lookup does. NULL with errno ENOENT when no chip matches. */
struct jgpio_chip *jgpio_chip_lookup(const char *spec);
void jgpio_chip_close(struct jgpio_chip *chip);
const char *jgpio_chip_name(const struct jgpio_chip *chip);
const char *jgpio_chip_label(const struct jgpio_chip *chip);
unsigned int jgpio_chip_line_count(const struct jgpio_chip *chip);
/* The offset of the first line called `name`, or -1 with errno ENOENT when there is none. */
int jgpio_chip_find_line(struct jgpio_chip *chip, const char *name);
/* 1 when another consumer holds the line (its name copied into `consumer`, empty when it gave
 * none), 0 when the line is free, -1 on failure. */
int jgpio_line_consumer(struct jgpio_chip *chip, unsigned int offset, char *consumer, size_t size);

/* Every chip of the machine in /dev order. A chip that `next` returns belongs to the iterator and
 * is closed by the next call or by `free`. `next` returns NULL with errno 0 after the last chip,
 * and NULL with errno set when a chip cannot be opened. */
struct jgpio_chip_iter;
struct jgpio_chip_iter *jgpio_chip_iter_new(void);
struct jgpio_chip *jgpio_chip_iter_next(struct jgpio_chip_iter *iter);
void jgpio_chip_iter_free(struct jgpio_chip_iter *iter);

/* Lines of one chip held by this process; releasing the request frees them. */
struct jgpio_request;

/* Requests `count` lines as outputs, driven to `values` (logical levels, one per offset). */
struct jgpio_request *jgpio_request_outputs(struct jgpio_chip *chip, const char *consumer,
                                            const unsigned int *offsets, size_t count, int flags,
                                            const int *values);
/* Requests one line as an input with both-edge events, timestamped on CLOCK_MONOTONIC. */
struct jgpio_request *jgpio_request_edges(struct jgpio_chip *chip, const char *consumer,
                                          unsigned int offset, int flags);
void jgpio_request_release(struct jgpio_request *request);
/* Reads (or drives) every line of the request, logical levels in request order; 0 or -1. */
int jgpio_request_get_values(struct jgpio_request *request, int *values);
int jgpio_request_set_values(struct jgpio_request *request, const int *values);
/* The descriptor that polls readable when an edge waits (edge requests). */
int jgpio_request_fd(struct jgpio_request *request);

/* One edge: the kernel's timestamp and whether the line became active. */
struct jgpio_edge {
    uint64_t timestamp_ns;
    int rising;
};

/* Reads up to `max` (at most JGPIO_EDGES_PER_READ) waiting edges into `edges`; blocks when none
 * waits. Returns how many, or -1. */
int jgpio_request_read_edges(struct jgpio_request *request, struct jgpio_edge *edges, unsigned int max);

#endif
