/* The one IP address type and its one text form (RFC 5952 for IPv6). */
#ifndef L2TP_ADDR_H
#define L2TP_ADDR_H

#include <stddef.h>
#include <stdint.h>

#include "decoder/sink.h"

/* An IP address: from a frame, a peer, a PPP option. */
struct l2tp_ipaddr {
	uint8_t family; /* 4 or 6; 0 when there is none */
	uint8_t a[16];  /* network order; IPv4 in the first 4 bytes */
};

/* Room for the longest text and its NUL: "ffff:...:ffff" (39) and
 * "::ffff:255.255.255.255" (22) fit in 46, "[...]:65535" in 54. */
#define L2TP_IPADDR_STRLEN 46
#define L2TP_IPPORT_STRLEN 54

/*
 * The text of an address of `family` (4 or 6) whose bytes are a[0..4) or
 * a[0..16), network order: IPv4 dotted decimal; IPv6 as RFC 5952 §4
 * says: lowercase hex, leading zeros of each group dropped, the longest
 * run of two or more zero groups as "::" (the first on a tie), and an
 * IPv4-mapped address (::ffff:0:0/96) ending in dotted decimal (§5).
 * Another family gives "?".  buf holds L2TP_IPADDR_STRLEN bytes; the text
 * is NUL-terminated; returns its length.
 */
size_t l2tp_ip_fmt(char *buf, unsigned family, const uint8_t *a);

/* "192.0.2.1:1701" or "[2001:db8::1]:1701" (RFC 5952 §6); "?" for another
 * family.  buf holds L2TP_IPPORT_STRLEN bytes; returns the length. */
size_t l2tp_ip_port_fmt(char *buf, unsigned family, const uint8_t *a,
                        uint16_t port);

/* l2tp_ip_fmt into buf of len bytes (cut to fit), "-" for family 0; returns
 * buf. */
const char *l2tp_ipaddr_str(const struct l2tp_ipaddr *a, char *buf, size_t len);

/* The same text into a sink ("?" for another family). */
void l2tp_sink_ip(struct l2tp_sink *s, unsigned family, const uint8_t *a);
void l2tp_sink_ipaddr(struct l2tp_sink *s, const struct l2tp_ipaddr *a);

#endif
