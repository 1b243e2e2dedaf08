/* PPP packets built for sending (RFC 1661 §5-6, RFC 1334 §2, RFC 1994 §4) and
 * ICMP echo in IPv4/IPv6 (RFC 791, 792, 8200, 4443). */
#include <string.h>

#include "decoder/ppp_build.h"
#include "decoder/ppp_read.h"

void
l2tp_ppp_build_init(struct l2tp_ppp_wr *w, uint8_t *buf, size_t cap)
{
	w->p = buf;
	w->cap = cap;
	w->len = 0;
	w->start = 0;
	w->over = false;
}

void
l2tp_ppp_build_bytes(struct l2tp_ppp_wr *w, const void *p, size_t n)
{
	if (w->over || w->cap - w->len < n) {
		w->over = true;
		return;
	}
	if (n)
		memcpy(w->p + w->len, p, n);
	w->len += n;
}

void
l2tp_ppp_build_u8(struct l2tp_ppp_wr *w, uint8_t v)
{
	l2tp_ppp_build_bytes(w, &v, 1);
}

void
l2tp_ppp_build_u16(struct l2tp_ppp_wr *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	l2tp_ppp_build_bytes(w, b, 2);
}

void
l2tp_ppp_build_u32(struct l2tp_ppp_wr *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16),
	                (uint8_t)(v >> 8), (uint8_t)v};

	l2tp_ppp_build_bytes(w, b, 4);
}

void
l2tp_ppp_build_cp(struct l2tp_ppp_wr *w, uint8_t code, uint8_t id)
{
	w->start = w->len;
	l2tp_ppp_build_u8(w, code);
	l2tp_ppp_build_u8(w, id);
	l2tp_ppp_build_u16(w, 0);
}

void
l2tp_ppp_build_opt(struct l2tp_ppp_wr *w, uint8_t type, const void *val,
                   size_t n)
{
	if (n > 253) {
		w->over = true;
		return;
	}
	l2tp_ppp_build_u8(w, type);
	l2tp_ppp_build_u8(w, (uint8_t)(n + 2));
	l2tp_ppp_build_bytes(w, val, n);
}

void
l2tp_ppp_build_opt16(struct l2tp_ppp_wr *w, uint8_t type, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	l2tp_ppp_build_opt(w, type, b, 2);
}

void
l2tp_ppp_build_opt32(struct l2tp_ppp_wr *w, uint8_t type, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16),
	                (uint8_t)(v >> 8), (uint8_t)v};

	l2tp_ppp_build_opt(w, type, b, 4);
}

int
l2tp_ppp_build_end(struct l2tp_ppp_wr *w)
{
	size_t n = w->len - w->start;

	if (w->over || n > 65535 || n < 4)
		return -1;
	w->p[w->start + 2] = (uint8_t)(n >> 8);
	w->p[w->start + 3] = (uint8_t)n;
	return (int)n;
}

void
l2tp_ppp_build_counted(struct l2tp_ppp_wr *w, const void *p, size_t n)
{
	if (n > 255)
		n = 255;
	l2tp_ppp_build_u8(w, (uint8_t)n);
	l2tp_ppp_build_bytes(w, p, n);
}

size_t
l2tp_ppp_build_frame_hdr(uint8_t *out, uint16_t proto, bool acfc, bool pfc)
{
	size_t n = 0;

	if (!acfc) {
		out[n++] = 0xff;
		out[n++] = 0x03;
	}
	/* PFC applies to protocols below 0x100 with an odd low byte only. */
	if (pfc && proto < 0x100 && (proto & 1)) {
		out[n++] = (uint8_t)proto;
	} else {
		out[n++] = (uint8_t)(proto >> 8);
		out[n++] = (uint8_t)proto;
	}
	return n;
}

int
l2tp_ppp_build_echo(const struct l2tp_ppp_echo_spec *s, uint8_t *buf,
                    size_t cap)
{
	struct l2tp_ppp_wr w;
	size_t hl = s->family == 4 ? 20 : 40;
	size_t il = 8 + s->len;
	uint8_t ttl = s->ttl ? s->ttl : 64;
	uint32_t sum;
	uint16_t ck;
	size_t icmp;

	if (s->len > 65535 - 8 - hl)
		return -1;
	l2tp_ppp_build_init(&w, buf, cap);
	if (s->family == 4) {
		l2tp_ppp_build_u8(&w, 0x45);
		l2tp_ppp_build_u8(&w, 0);
		l2tp_ppp_build_u16(&w, (uint16_t)(hl + il));
		l2tp_ppp_build_u16(&w, s->ip_id);
		l2tp_ppp_build_u16(&w, s->df ? 0x4000 : 0);
		l2tp_ppp_build_u8(&w, ttl);
		l2tp_ppp_build_u8(&w, 1);
		l2tp_ppp_build_u16(&w, 0);
		l2tp_ppp_build_bytes(&w, s->src, 4);
		l2tp_ppp_build_bytes(&w, s->dst, 4);
	} else {
		l2tp_ppp_build_u32(&w, 0x60000000u);
		l2tp_ppp_build_u16(&w, (uint16_t)il);
		l2tp_ppp_build_u8(&w, 58);
		l2tp_ppp_build_u8(&w, ttl);
		l2tp_ppp_build_bytes(&w, s->src, 16);
		l2tp_ppp_build_bytes(&w, s->dst, 16);
	}
	icmp = w.len;
	if (s->family == 4)
		l2tp_ppp_build_u8(&w, s->request ? 8 : 0);
	else
		l2tp_ppp_build_u8(&w, s->request ? 128 : 129);
	l2tp_ppp_build_u8(&w, 0);
	l2tp_ppp_build_u16(&w, 0);
	l2tp_ppp_build_u16(&w, s->ident);
	l2tp_ppp_build_u16(&w, s->seq);
	l2tp_ppp_build_bytes(&w, s->data, s->len);
	if (w.over)
		return -1;
	if (s->family == 4) {
		ck = l2tp_ppp_cksum_fin(l2tp_ppp_cksum_add(0, buf, 20));
		buf[10] = (uint8_t)(ck >> 8);
		buf[11] = (uint8_t)ck;
		sum = 0;
	} else {
		uint8_t ph[8] = {0, 0, (uint8_t)(il >> 8), (uint8_t)il, 0, 0,
		                 0, 58};

		sum = l2tp_ppp_cksum_add(0, buf + 8, 32);
		sum = l2tp_ppp_cksum_add(sum, ph, sizeof(ph));
	}
	ck = l2tp_ppp_cksum_fin(l2tp_ppp_cksum_add(sum, buf + icmp, il));
	buf[icmp + 2] = (uint8_t)(ck >> 8);
	buf[icmp + 3] = (uint8_t)ck;
	return (int)w.len;
}
