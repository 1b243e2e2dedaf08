/* PPP control packets read with the bounded cursor: the LCP-format header, the
 * option walker, PAP, CHAP, IPv4/IPv6 ICMP echo (RFC 1661 §5-6, RFC 1334 §2,
 * RFC 1994 §4, RFC 792, RFC 4443). */
#ifndef L2TP_PPP_READ_H
#define L2TP_PPP_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decoder/l2tp.h"
#include "decoder/ppp.h"
#include "decoder/rd.h"

/*
 * Errors (negative).  Each names a way the packet contradicts itself; the
 * caller discards the packet (RFC 1661 §5: invalid packets are silently
 * discarded) and reports the name.
 */
enum l2tp_ppp_read_err {
	L2TP_PPP_R_OK = 0,
	L2TP_PPP_R_SHORT = -1,    /* fewer than 4 bytes: no header */
	L2TP_PPP_R_LENGTH = -2,   /* Length < 4 or larger than the payload */
	L2TP_PPP_R_OPTLEN = -3,   /* an option of Length 0 or 1 */
	L2TP_PPP_R_OPTPAST = -4,  /* an option runs past the packet */
	L2TP_PPP_R_STRAY = -5,    /* one byte left where an option begins */
	L2TP_PPP_R_FIELD = -6,    /* a counted field runs past Length */
	L2TP_PPP_R_NOFRAME = -7,  /* no protocol field */
	L2TP_PPP_R_NOTICMP = -8,  /* IP, but not an ICMP echo we read */
	L2TP_PPP_R_CHECKSUM = -9, /* an IP or ICMP checksum is wrong */
};

/* "Length field lies", ...; never NULL. */
const char *l2tp_ppp_read_strerror(int err);

/*
 * The PPP frame of a data message: optional 0xff 0x03, then a protocol of
 * two bytes or (odd first byte, RFC 1661 §6.5) one byte.  Returns 0 or
 * L2TP_PPP_R_NOFRAME.
 */
int l2tp_ppp_read_frame(const uint8_t *p, size_t len, uint16_t *proto,
                        struct l2tp_bytes *payload);

/* An LCP-format packet (LCP, NCPs, PAP, CHAP share it).  `data` is the
 * Length - 4 bytes after the header; bytes after Length are padding. */
struct l2tp_ppp_cp {
	uint8_t code, id;
	uint16_t length;
	struct l2tp_bytes data;
	struct l2tp_bytes whole; /* header and data, padding cut */
};

/* Returns 0, L2TP_PPP_R_SHORT, L2TP_PPP_R_LENGTH. */
int l2tp_ppp_read_cp(const uint8_t *p, size_t len, struct l2tp_ppp_cp *out);

/*
 * The option walker (RFC 1661 §6): start with rd_init over cp.data, then
 * call until it returns 0.  Returns 1 with *out filled, 0 at the end,
 * L2TP_PPP_R_OPTLEN, L2TP_PPP_R_OPTPAST, L2TP_PPP_R_STRAY.
 */
int l2tp_ppp_read_opt(struct rd *r, struct l2tp_ppp_opt *out);

/* Check a whole option list; returns 0 or the walker's first error. */
int l2tp_ppp_read_opts_check(struct l2tp_bytes list);

/* PAP (RFC 1334 §2.2): Authenticate-Request peer id and password;
 * Ack/Nak message (may be empty).  Returns 0 or L2TP_PPP_R_FIELD. */
int l2tp_ppp_read_pap(const struct l2tp_ppp_cp *cp, struct l2tp_bytes *name,
                      struct l2tp_bytes *password, struct l2tp_bytes *msg);

/* CHAP (RFC 1994 §4): Challenge/Response value and name; Success/Failure
 * message.  Returns 0 or L2TP_PPP_R_FIELD. */
int l2tp_ppp_read_chap(const struct l2tp_ppp_cp *cp, struct l2tp_bytes *value,
                       struct l2tp_bytes *name, struct l2tp_bytes *msg);

/* An ICMP (IPv4) or ICMPv6 (IPv6) echo request or reply. */
struct l2tp_ppp_echo {
	uint8_t family; /* 4 or 6 */
	uint8_t src[16], dst[16];
	uint8_t ttl;
	bool request; /* else reply */
	uint16_t ident, seq;
	struct l2tp_bytes data;  /* the echo payload */
	struct l2tp_bytes whole; /* the IP packet, to answer it */
};

/*
 * Read an IP packet (PPP protocol 0x0021 or 0x0057) as an echo.  Checks
 * the IPv4 header checksum and the ICMP / ICMPv6 checksum.  Returns 0,
 * L2TP_PPP_R_SHORT, L2TP_PPP_R_LENGTH, L2TP_PPP_R_NOTICMP (another
 * protocol, another ICMP type, a fragment), L2TP_PPP_R_CHECKSUM.
 */
int l2tp_ppp_read_echo(uint8_t family, const uint8_t *p, size_t len,
                       struct l2tp_ppp_echo *out);

/* The Internet checksum (RFC 1071) of `len` bytes added to `sum`, folded
 * and complemented by l2tp_ppp_cksum_fin. */
uint32_t l2tp_ppp_cksum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t l2tp_ppp_cksum_fin(uint32_t sum);

#endif
