/* UDP transport for the engine: IPv4 and IPv6 sockets on loopback or any
 * address (RFC 2661 §8.1). */
#ifndef L2TP_CLI_UDP_H
#define L2TP_CLI_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

/*
 * One nonblocking UDP socket; the caller's poll loop owns `fd`.  This is
 * the only code in l2tpsh that touches sockets.
 */
struct udp_sock {
	int fd;                 /* -1 when closed */
	struct l2tp_addr local; /* the address and port really bound */
};

/*
 * Parse "127.0.0.1", "::1", "[::1]:1701" or "127.0.0.1:1701" into *out;
 * `port` is used when the text names none.  Returns 0, or -1 with a
 * message in err (what is wrong and what is expected).
 */
int udp_parse_addr(const char *text, uint16_t port, struct l2tp_addr *out,
                   char *err, size_t errlen);

/* "127.0.0.1:1701" or "[::1]:1701"; returns buf. */
const char *udp_addr_str(const struct l2tp_addr *a, char *buf, size_t len);

/*
 * Open and bind a socket to `bind` (port 0: an ephemeral port, as a LAC
 * uses).  Returns 0, or a negative errno with a message in err ("address
 * in use", "no permission", ...).
 */
int udp_open(struct udp_sock *s, const struct l2tp_addr *bind, char *err,
             size_t errlen);

/*
 * Receive one datagram without blocking.  Returns its length, 0 when
 * nothing is waiting (or a datagram of another family was skipped), or a
 * negative errno.  Datagrams longer than cap are cut (*truncated set).
 */
long udp_recv(struct udp_sock *s, uint8_t *buf, size_t cap,
              struct l2tp_addr *from, int *truncated);

/* Send one datagram.  Returns 0 or a negative errno. */
int udp_send(struct udp_sock *s, const struct l2tp_addr *to, const uint8_t *p,
             size_t len);

void udp_close(struct udp_sock *s);

#endif
