#ifndef CCENTRAL_LINUX_H
#define CCENTRAL_LINUX_H

#include <stddef.h>
#include <netinet/in.h>

// recvmmsg, sendmmsg and sched_setaffinity need _GNU_SOURCE, which Swift's Glibc module is built without; these
// wrappers are compiled with it. The socket calls retry EINTR and return -1 with errno set on failure.

/// Receives up to `count` datagrams into `buffers` (`count` slots of `buffer_bytes`), waiting for the first one up
/// to the socket's receive timeout. Fills `sources`, `lengths` and `truncated` (1 when a datagram did not fit) per
/// datagram; returns how many arrived, or -1 (errno EAGAIN on timeout).
int central_receive_batch(int fd, unsigned char *buffers, size_t buffer_bytes, unsigned count,
                          struct sockaddr_in *sources, size_t *lengths, int *truncated);

/// Sends `count` datagrams (`datagrams[i]` of `lengths[i]` bytes) to one destination with one system call;
/// returns how many the kernel took, or -1.
int central_send_batch(int fd, const unsigned char *const *datagrams, const size_t *lengths, unsigned count,
                       const struct sockaddr_in *destination);

/// Pins the calling thread to `cpu`; returns 0, or -1 with errno set.
int central_pin_thread(int cpu);

#endif
