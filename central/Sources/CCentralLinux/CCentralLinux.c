#define _GNU_SOURCE
#include "CCentralLinux.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

enum { batch_limit = 256 };

int central_receive_batch(int fd, unsigned char *buffers, size_t buffer_bytes, unsigned count,
                          struct sockaddr_in *sources, size_t *lengths, int *truncated) {
    struct mmsghdr messages[batch_limit];
    struct iovec vectors[batch_limit];
    if (count > batch_limit) count = batch_limit;
    memset(messages, 0, sizeof(struct mmsghdr) * count);
    for (unsigned i = 0; i < count; i++) {
        vectors[i].iov_base = buffers + i * buffer_bytes;
        vectors[i].iov_len = buffer_bytes;
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_name = &sources[i];
        messages[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
    }
    int received;
    do {
        received = recvmmsg(fd, messages, count, MSG_WAITFORONE, NULL);
    } while (received < 0 && errno == EINTR);
    for (int i = 0; i < received; i++) {
        lengths[i] = messages[i].msg_len;
        truncated[i] = (messages[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
    }
    return received;
}

int central_send_batch(int fd, const unsigned char *const *datagrams, const size_t *lengths, unsigned count,
                       const struct sockaddr_in *destination) {
    struct mmsghdr messages[batch_limit];
    struct iovec vectors[batch_limit];
    if (count > batch_limit) count = batch_limit;
    memset(messages, 0, sizeof(struct mmsghdr) * count);
    for (unsigned i = 0; i < count; i++) {
        vectors[i].iov_base = (void *)datagrams[i];
        vectors[i].iov_len = lengths[i];
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_name = (void *)destination;
        messages[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
    }
    int sent;
    do {
        sent = sendmmsg(fd, messages, count, 0);
    } while (sent < 0 && errno == EINTR);
    return sent;
}

int central_pin_thread(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof(set), &set);
}
