/* gpio_shim.h over libgpiod 1.6 or 2.x, whichever gpiod.h the build finds (pkg-config's libgpiod:
 * Debian's 1.6 by default, 2.x with PKG_CONFIG_PATH pointing at its prefix).
 *
 * Only 1.6's header defines GPIOD_LINE_BULK_MAX_LINES (2.x has no line bulks), so that macro picks
 * the implementation: no build flag can disagree with the header actually included. The library
 * linked is the one the same pkg-config file names, and libgpiod.so.2 lacks 2.x's symbols (and
 * libgpiod.so.3 1.6's), so a mismatch fails at link time rather than at run time.
 *
 * The two APIs differ in shape, not in what the kernel does: 1.6 hands out line objects owned by
 * their chip and requests them (alone or as a bulk); 2.x builds a settings object and a line
 * config, and a request object owns the lines. The chip's name and label, the line's consumer and
 * the edge events are read through separate info and buffer objects in 2.x. Each difference is
 * commented where it is bridged. */
#include "gpio_shim.h"

#include <errno.h>
#include <gpiod.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef GPIOD_LINE_BULK_MAX_LINES
#define JGPIO_V1 1
#else
#define JGPIO_V1 0
#endif

static void copy_string(char *target, size_t size, const char *source) {
    if (size == 0) return;
    snprintf(target, size, "%s", source ? source : "");
}

#if JGPIO_V1

/* ---- libgpiod 1.6: chips and lines are library objects; a request is a bulk of lines. ---- */

struct jgpio_chip {
    struct gpiod_chip *chip;
};

struct jgpio_chip_iter {
    struct gpiod_chip_iter *iter;
    struct jgpio_chip current;
};

struct jgpio_request {
    /* 1.6 requests lines through a bulk that lives as long as the request (~0.5 kB). */
    struct gpiod_line_bulk bulk;
};

static struct jgpio_chip *wrap(struct gpiod_chip *chip) {
    if (!chip) return NULL;
    struct jgpio_chip *wrapped = malloc(sizeof *wrapped);
    if (!wrapped) {
        gpiod_chip_close(chip);
        errno = ENOMEM;
        return NULL;
    }
    wrapped->chip = chip;
    return wrapped;
}

struct jgpio_chip *jgpio_chip_open(const char *name) { return wrap(gpiod_chip_open_by_name(name)); }

struct jgpio_chip *jgpio_chip_lookup(const char *spec) { return wrap(gpiod_chip_open_lookup(spec)); }

void jgpio_chip_close(struct jgpio_chip *chip) {
    gpiod_chip_close(chip->chip);
    free(chip);
}

const char *jgpio_chip_name(const struct jgpio_chip *chip) { return gpiod_chip_name(chip->chip); }
const char *jgpio_chip_label(const struct jgpio_chip *chip) { return gpiod_chip_label(chip->chip); }
unsigned int jgpio_chip_line_count(const struct jgpio_chip *chip) { return gpiod_chip_num_lines(chip->chip); }

int jgpio_chip_find_line(struct jgpio_chip *chip, const char *name) {
    struct gpiod_line *line = gpiod_chip_find_line(chip->chip, name);
    return line ? (int)gpiod_line_offset(line) : -1;
}

int jgpio_line_consumer(struct jgpio_chip *chip, unsigned int offset, char *consumer, size_t size) {
    struct gpiod_line *line = gpiod_chip_get_line(chip->chip, offset);
    /* 1.6 caches line info in the line object: refresh it to see the current holder. */
    if (!line || gpiod_line_update(line) != 0) return -1;
    if (!gpiod_line_is_used(line)) return 0;
    copy_string(consumer, size, gpiod_line_consumer(line));
    return 1;
}

struct jgpio_chip_iter *jgpio_chip_iter_new(void) {
    struct gpiod_chip_iter *iter = gpiod_chip_iter_new();
    if (!iter) return NULL;
    struct jgpio_chip_iter *wrapped = calloc(1, sizeof *wrapped);
    if (!wrapped) {
        gpiod_chip_iter_free(iter);
        errno = ENOMEM;
        return NULL;
    }
    wrapped->iter = iter;
    return wrapped;
}

struct jgpio_chip *jgpio_chip_iter_next(struct jgpio_chip_iter *iter) {
    /* 1.6's iterator opened every chip up front and closes the previous one here. */
    iter->current.chip = gpiod_chip_iter_next(iter->iter);
    if (!iter->current.chip) {
        errno = 0;
        return NULL;
    }
    return &iter->current;
}

void jgpio_chip_iter_free(struct jgpio_chip_iter *iter) {
    gpiod_chip_iter_free(iter->iter);
    free(iter);
}

static int v1_flags(int flags) {
    int result = 0;
    if (flags & JGPIO_ACTIVE_LOW) result |= GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW;
    if (flags & JGPIO_BIAS_DISABLE) result |= GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE;
    if (flags & JGPIO_BIAS_PULL_UP) result |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP;
    if (flags & JGPIO_BIAS_PULL_DOWN) result |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
    if (flags & JGPIO_OPEN_DRAIN) result |= GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN;
    if (flags & JGPIO_OPEN_SOURCE) result |= GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE;
    return result;
}

/* A request whose bulk holds `count` lines of the chip, not yet requested. */
static struct jgpio_request *v1_bulk(struct jgpio_chip *chip, const unsigned int *offsets, size_t count) {
    if (count == 0 || count > GPIOD_LINE_BULK_MAX_LINES) {
        errno = EINVAL;
        return NULL;
    }
    struct jgpio_request *request = malloc(sizeof *request);
    if (!request) {
        errno = ENOMEM;
        return NULL;
    }
    gpiod_line_bulk_init(&request->bulk);
    for (size_t index = 0; index < count; index++) {
        struct gpiod_line *line = gpiod_chip_get_line(chip->chip, offsets[index]);
        if (!line) {
            free(request);
            return NULL;
        }
        gpiod_line_bulk_add(&request->bulk, line);
    }
    return request;
}

struct jgpio_request *jgpio_request_outputs(struct jgpio_chip *chip, const char *consumer,
                                            const unsigned int *offsets, size_t count, int flags,
                                            const int *values) {
    struct jgpio_request *request = v1_bulk(chip, offsets, count);
    if (!request) return NULL;
    if (gpiod_line_request_bulk_output_flags(&request->bulk, consumer, v1_flags(flags), values) != 0) {
        int code = errno;
        free(request);
        errno = code;
        return NULL;
    }
    return request;
}

struct jgpio_request *jgpio_request_edges(struct jgpio_chip *chip, const char *consumer, unsigned int offset,
                                          int flags) {
    struct jgpio_request *request = v1_bulk(chip, &offset, 1);
    if (!request) return NULL;
    if (gpiod_line_request_bulk_both_edges_events_flags(&request->bulk, consumer, v1_flags(flags)) != 0) {
        int code = errno;
        free(request);
        errno = code;
        return NULL;
    }
    return request;
}

void jgpio_request_release(struct jgpio_request *request) {
    gpiod_line_release_bulk(&request->bulk);
    free(request);
}

int jgpio_request_get_values(struct jgpio_request *request, int *values) {
    return gpiod_line_get_value_bulk(&request->bulk, values);
}

int jgpio_request_set_values(struct jgpio_request *request, const int *values) {
    /* 1.6 takes the values as a non-const pointer but only reads them. */
    return gpiod_line_set_value_bulk(&request->bulk, (int *)values);
}

int jgpio_request_fd(struct jgpio_request *request) {
    return gpiod_line_event_get_fd(gpiod_line_bulk_get_line(&request->bulk, 0));
}

int jgpio_request_read_edges(struct jgpio_request *request, struct jgpio_edge *edges, unsigned int max) {
    /* 1.6 fills its own event structs (a timespec each): read onto the stack, then convert. */
    struct gpiod_line_event events[JGPIO_EDGES_PER_READ];
    if (max > JGPIO_EDGES_PER_READ) max = JGPIO_EDGES_PER_READ;
    int count = gpiod_line_event_read_multiple(gpiod_line_bulk_get_line(&request->bulk, 0), events, max);
    for (int index = 0; index < count; index++) {
        edges[index].timestamp_ns = (uint64_t)events[index].ts.tv_sec * 1000000000u + (uint64_t)events[index].ts.tv_nsec;
        edges[index].rising = events[index].event_type == GPIOD_LINE_EVENT_RISING_EDGE;
    }
    return count;
}

#else

/* ---- libgpiod 2.x: a request object owns its lines, configured through settings objects. ---- */

#include <dirent.h>

/* 2.x takes and returns values as enum gpiod_line_value (-1 error, 0 inactive, 1 active), the
 * same numbers as 1.6's ints: the caller's int buffers are passed through without a copy. */
_Static_assert(sizeof(enum gpiod_line_value) == sizeof(int), "enum gpiod_line_value is an int");

struct jgpio_chip {
    struct gpiod_chip *chip;
    /* 2.x has no gpiod_chip_name/label: they come from an info object, kept with the chip. */
    struct gpiod_chip_info *info;
};

struct jgpio_chip_iter {
    /* 2.x has no chip iterator: scan /dev for chip devices as its own tools do. */
    struct dirent **entries;
    int count;
    int next;
    struct jgpio_chip *current;
};

struct jgpio_request {
    struct gpiod_line_request *request;
    /* 2.x reads edges into a buffer object; made once with the request so reads do not allocate. */
    struct gpiod_edge_event_buffer *events;
};

static struct jgpio_chip *open_path(const char *path) {
    struct gpiod_chip *chip = gpiod_chip_open(path);
    if (!chip) return NULL;
    struct gpiod_chip_info *info = gpiod_chip_get_info(chip);
    struct jgpio_chip *wrapped = info ? malloc(sizeof *wrapped) : NULL;
    if (!wrapped) {
        int code = info ? ENOMEM : errno;
        if (info) gpiod_chip_info_free(info);
        gpiod_chip_close(chip);
        errno = code;
        return NULL;
    }
    wrapped->chip = chip;
    wrapped->info = info;
    return wrapped;
}

/* 2.x opens chips by path only; 1.6 also took a kernel name. */
struct jgpio_chip *jgpio_chip_open(const char *name) {
    char path[64];
    if (snprintf(path, sizeof path, "/dev/%s", name) >= (int)sizeof path) {
        errno = ENOENT;
        return NULL;
    }
    return open_path(path);
}

static bool is_number(const char *text) {
    if (!*text) return false;
    for (; *text; text++) {
        if (*text < '0' || *text > '9') return false;
    }
    return true;
}

/* 2.x dropped gpiod_chip_open_lookup: this is 1.6's order (a number; else a label; else a /dev
 * path or a kernel name), so a junction file resolves to the same chip with either library. */
struct jgpio_chip *jgpio_chip_lookup(const char *spec) {
    if (is_number(spec)) {
        char name[32];
        snprintf(name, sizeof name, "gpiochip%s", spec);
        return jgpio_chip_open(name);
    }
    /* As in 1.6, a label scan that fails (a chip this user cannot open) falls through to the
     * name and path, whose own error then says why. */
    struct jgpio_chip_iter *iter = jgpio_chip_iter_new();
    struct jgpio_chip *chip = NULL;
    while (iter && (chip = jgpio_chip_iter_next(iter)) && strcmp(jgpio_chip_label(chip), spec) != 0) {
    }
    /* Reopen the match: the iterator closes what it returned. */
    struct jgpio_chip *found = chip ? open_path(gpiod_chip_get_path(chip->chip)) : NULL;
    int code = errno;
    if (iter) jgpio_chip_iter_free(iter);
    if (chip) {
        errno = code;
        return found;
    }
    return strncmp(spec, "/dev/", 5) == 0 ? open_path(spec) : jgpio_chip_open(spec);
}

void jgpio_chip_close(struct jgpio_chip *chip) {
    if (!chip) return;
    gpiod_chip_info_free(chip->info);
    gpiod_chip_close(chip->chip);
    free(chip);
}

const char *jgpio_chip_name(const struct jgpio_chip *chip) { return gpiod_chip_info_get_name(chip->info); }
const char *jgpio_chip_label(const struct jgpio_chip *chip) { return gpiod_chip_info_get_label(chip->info); }
unsigned int jgpio_chip_line_count(const struct jgpio_chip *chip) {
    return (unsigned int)gpiod_chip_info_get_num_lines(chip->info);
}

int jgpio_chip_find_line(struct jgpio_chip *chip, const char *name) {
    return gpiod_chip_get_line_offset_from_name(chip->chip, name);
}

int jgpio_line_consumer(struct jgpio_chip *chip, unsigned int offset, char *consumer, size_t size) {
    /* 2.x returns a fresh info snapshot per call (1.6 needed gpiod_line_update). */
    struct gpiod_line_info *info = gpiod_chip_get_line_info(chip->chip, offset);
    if (!info) return -1;
    int used = gpiod_line_info_is_used(info) ? 1 : 0;
    if (used) copy_string(consumer, size, gpiod_line_info_get_consumer(info));
    gpiod_line_info_free(info);
    return used;
}

static int chip_entry(const struct dirent *entry) {
    char path[300];
    snprintf(path, sizeof path, "/dev/%s", entry->d_name);
    return gpiod_is_gpiochip_device(path);
}

struct jgpio_chip_iter *jgpio_chip_iter_new(void) {
    struct jgpio_chip_iter *iter = calloc(1, sizeof *iter);
    if (!iter) {
        errno = ENOMEM;
        return NULL;
    }
    /* alphasort, as 1.6's iterator: a line name found on two chips resolves to the same one. */
    iter->count = scandir("/dev", &iter->entries, chip_entry, alphasort);
    if (iter->count < 0) {
        int code = errno;
        free(iter);
        errno = code;
        return NULL;
    }
    return iter;
}

struct jgpio_chip *jgpio_chip_iter_next(struct jgpio_chip_iter *iter) {
    jgpio_chip_close(iter->current);
    iter->current = NULL;
    if (iter->next >= iter->count) {
        errno = 0;
        return NULL;
    }
    char path[300];
    snprintf(path, sizeof path, "/dev/%s", iter->entries[iter->next++]->d_name);
    iter->current = open_path(path);
    return iter->current;
}

void jgpio_chip_iter_free(struct jgpio_chip_iter *iter) {
    jgpio_chip_close(iter->current);
    for (int index = 0; index < iter->count; index++) free(iter->entries[index]);
    free(iter->entries);
    free(iter);
}

/* 1.6's request flags become the fields of a 2.x settings object. */
static void apply_flags(struct gpiod_line_settings *settings, int flags) {
    gpiod_line_settings_set_active_low(settings, (flags & JGPIO_ACTIVE_LOW) != 0);
    if (flags & JGPIO_BIAS_DISABLE) gpiod_line_settings_set_bias(settings, GPIOD_LINE_BIAS_DISABLED);
    if (flags & JGPIO_BIAS_PULL_UP) gpiod_line_settings_set_bias(settings, GPIOD_LINE_BIAS_PULL_UP);
    if (flags & JGPIO_BIAS_PULL_DOWN) gpiod_line_settings_set_bias(settings, GPIOD_LINE_BIAS_PULL_DOWN);
    if (flags & JGPIO_OPEN_DRAIN) gpiod_line_settings_set_drive(settings, GPIOD_LINE_DRIVE_OPEN_DRAIN);
    if (flags & JGPIO_OPEN_SOURCE) gpiod_line_settings_set_drive(settings, GPIOD_LINE_DRIVE_OPEN_SOURCE);
}

/* Requests `offsets` with `settings` (and `values` for outputs): the settings, line config and
 * request config objects of 2.x live only for the call. */
static struct jgpio_request *request_lines(struct jgpio_chip *chip, const char *consumer,
                                           const unsigned int *offsets, size_t count,
                                           struct gpiod_line_settings *settings, const int *values,
                                           bool edges) {
    struct jgpio_request *request = calloc(1, sizeof *request);
    struct gpiod_line_config *lines = gpiod_line_config_new();
    struct gpiod_request_config *config = gpiod_request_config_new();
    int code = ENOMEM;
    if (!request || !lines || !config) goto out;
    if (count == 0 || count > JGPIO_REQUEST_MAX_LINES) {
        code = EINVAL;
        goto out;
    }
    gpiod_request_config_set_consumer(config, consumer);
    if (gpiod_line_config_add_line_settings(lines, offsets, count, settings) != 0
        || (values && gpiod_line_config_set_output_values(lines, (const enum gpiod_line_value *)values, count) != 0)) {
        code = errno;
        goto out;
    }
    if (edges && !(request->events = gpiod_edge_event_buffer_new(JGPIO_EDGES_PER_READ))) {
        code = errno;
        goto out;
    }
    request->request = gpiod_chip_request_lines(chip->chip, config, lines);
    code = errno;
out:
    gpiod_request_config_free(config);
    gpiod_line_config_free(lines);
    gpiod_line_settings_free(settings);
    if (request && !request->request) {
        gpiod_edge_event_buffer_free(request->events);
        free(request);
        request = NULL;
        errno = code;
    }
    return request;
}

struct jgpio_request *jgpio_request_outputs(struct jgpio_chip *chip, const char *consumer,
                                            const unsigned int *offsets, size_t count, int flags,
                                            const int *values) {
    struct gpiod_line_settings *settings = gpiod_line_settings_new();
    if (!settings) return NULL;
    gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_OUTPUT);
    apply_flags(settings, flags);
    return request_lines(chip, consumer, offsets, count, settings, values, false);
}

struct jgpio_request *jgpio_request_edges(struct jgpio_chip *chip, const char *consumer, unsigned int offset,
                                          int flags) {
    struct gpiod_line_settings *settings = gpiod_line_settings_new();
    if (!settings) return NULL;
    gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_INPUT);
    gpiod_line_settings_set_edge_detection(settings, GPIOD_LINE_EDGE_BOTH);
    /* The default, named because the event thread compares these stamps with CLOCK_MONOTONIC
     * (1.6 had no choice: the kernel's v1 interface stamps on it). */
    gpiod_line_settings_set_event_clock(settings, GPIOD_LINE_CLOCK_MONOTONIC);
    apply_flags(settings, flags);
    return request_lines(chip, consumer, &offset, 1, settings, NULL, true);
}

void jgpio_request_release(struct jgpio_request *request) {
    gpiod_line_request_release(request->request);
    gpiod_edge_event_buffer_free(request->events);
    free(request);
}

int jgpio_request_get_values(struct jgpio_request *request, int *values) {
    return gpiod_line_request_get_values(request->request, (enum gpiod_line_value *)values);
}

int jgpio_request_set_values(struct jgpio_request *request, const int *values) {
    return gpiod_line_request_set_values(request->request, (const enum gpiod_line_value *)values);
}

int jgpio_request_fd(struct jgpio_request *request) { return gpiod_line_request_get_fd(request->request); }

int jgpio_request_read_edges(struct jgpio_request *request, struct jgpio_edge *edges, unsigned int max) {
    if (max > JGPIO_EDGES_PER_READ) max = JGPIO_EDGES_PER_READ;
    int count = gpiod_line_request_read_edge_events(request->request, request->events, max);
    for (int index = 0; index < count; index++) {
        struct gpiod_edge_event *event = gpiod_edge_event_buffer_get_event(request->events, (unsigned long)index);
        edges[index].timestamp_ns = gpiod_edge_event_get_timestamp_ns(event);
        edges[index].rising = gpiod_edge_event_get_event_type(event) == GPIOD_EDGE_EVENT_RISING_EDGE;
    }
    return count;
}

#endif
