/* UDP sockets for the shell's engines: bind, send, receive, addresses both ways (RFC 2661 §8.1, UDP port 1701). */
#ifndef L2TP_CLI_SOCK_H
#define L2TP_CLI_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/engine.h"

/* Text to an address ("127.0.0.1", "::1"); returns 0 or -1. */
int sock_parse_addr(const char *s, uint16_t port, struct l2tp_addr *a);
/* An address as text ("127.0.0.1" or "[::1]" with port when asked). */
const char *sock_addr_str(const struct l2tp_addr *a, char *buf, size_t len);

/*
 * A non-blocking UDP socket bound to a (port 0: any free port); *bound
 * gets the address really bound.  Returns the descriptor or -errno
 * (-EADDRINUSE, -EACCES, -EADDRNOTAVAIL, ...).
 */
int sock_open(const struct l2tp_addr *a, struct l2tp_addr *bound);

/* Send one datagram; returns 0 or -errno. */
int sock_send(int fd, const struct l2tp_addr *to, const uint8_t *buf,
    size_t len);

/* Receive one datagram; returns its length, -EAGAIN when none, -errno. */
ssize_t sock_recv(int fd, uint8_t *buf, size_t cap, struct l2tp_addr *from);

#endif
