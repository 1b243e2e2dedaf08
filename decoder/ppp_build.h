/* PPP packets built for sending: LCP-format packets with options, PAP, CHAP,
 * frame headers, IPv4/IPv6 ICMP echo (RFC 1661 §5-6, RFC 1334, RFC 1994, RFC
 * 792, RFC 4443). */
#ifndef L2TP_PPP_BUILD_H
#define L2TP_PPP_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A writer over the caller's buffer.  Writes past `cap` set `over` and
 * write nothing; check it once at the end (l2tp_ppp_build_end returns -1).
 */
struct l2tp_ppp_wr {
	uint8_t *p;
	size_t cap, len;
	size_t start; /* where the open packet's header begins */
	bool over;
};

void l2tp_ppp_build_init(struct l2tp_ppp_wr *w, uint8_t *buf, size_t cap);
void l2tp_ppp_build_u8(struct l2tp_ppp_wr *w, uint8_t v);
void l2tp_ppp_build_u16(struct l2tp_ppp_wr *w, uint16_t v);
void l2tp_ppp_build_u32(struct l2tp_ppp_wr *w, uint32_t v);
void l2tp_ppp_build_bytes(struct l2tp_ppp_wr *w, const void *p, size_t n);

/* Begin an LCP-format packet (code, id, Length patched by _end). */
void l2tp_ppp_build_cp(struct l2tp_ppp_wr *w, uint8_t code, uint8_t id);
/* One option: type, Length (2 + n), value. */
void l2tp_ppp_build_opt(struct l2tp_ppp_wr *w, uint8_t type, const void *val,
                        size_t n);
void l2tp_ppp_build_opt16(struct l2tp_ppp_wr *w, uint8_t type, uint16_t v);
void l2tp_ppp_build_opt32(struct l2tp_ppp_wr *w, uint8_t type, uint32_t v);
/* Patch Length; returns the packet's length, or -1 when it did not fit
 * (or is longer than 65535). */
int l2tp_ppp_build_end(struct l2tp_ppp_wr *w);

/* A one-byte-counted field (PAP peer id / password / message, CHAP
 * value). n above 255 is cut to 255. */
void l2tp_ppp_build_counted(struct l2tp_ppp_wr *w, const void *p, size_t n);

/* The PPP frame header: 0xff 0x03 unless acfc, the protocol in one byte
 * when pfc and it can be (RFC 1661 §6.5-6.6).  Returns bytes written
 * (at most 4). */
size_t l2tp_ppp_build_frame_hdr(uint8_t *out, uint16_t proto, bool acfc,
                                bool pfc);

/*
 * An echo request or reply in an IP packet: IPv4 (family 4, ICMP type 8/0,
 * header checksum, DF when asked) or IPv6 (family 6, ICMPv6 128/129, the
 * pseudo-header checksum).  `data` is the echo payload.  Returns the
 * packet length, or -1 when it does not fit in cap or in 65535 bytes.
 */
struct l2tp_ppp_echo_spec {
	uint8_t family;
	const uint8_t *src, *dst; /* 4 or 16 bytes */
	bool request;
	uint16_t ident, seq;
	uint8_t ttl;    /* 0: 64 */
	bool df;        /* IPv4 only */
	uint16_t ip_id; /* IPv4 identification */
	const uint8_t *data;
	size_t len;
};

int l2tp_ppp_build_echo(const struct l2tp_ppp_echo_spec *s, uint8_t *buf,
                        size_t cap);

#endif
