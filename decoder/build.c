/* L2TP message builder: header and AVP encoding (RFC 2661 §3.1, §4.1, §4.3). */
#include <string.h>

#include "decoder/l2tp.h"
#include "decoder/proto.h"

static void
put(struct l2tp_builder *b, const void *p, size_t n)
{
	if (b->err)
		return;
	if (b->cap - b->len < n) {
		b->err = -1;
		return;
	}
	if (n)
		memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static void
put16(struct l2tp_builder *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	put(b, x, 2);
}

static void
put32(struct l2tp_builder *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16),
	                (uint8_t)(v >> 8), (uint8_t)v};

	put(b, x, 4);
}

static void
begin(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap;
}

void
l2tp_build_header(struct l2tp_builder *b, uint8_t *buf, size_t cap,
                  uint16_t flags, uint16_t tunnel, uint16_t session,
                  uint16_t ns, uint16_t nr, uint16_t offset_size)
{
	begin(b, buf, cap);
	b->version = flags & L2TP_F_VER;
	b->control = (flags & L2TP_F_T) != 0;
	b->has_length = (flags & L2TP_F_L) != 0;
	put16(b, flags);
	b->len_off = 2;
	if (b->has_length)
		put16(b, 0); /* filled by l2tp_build_end() */
	put16(b, tunnel);
	put16(b, session);
	if (flags & L2TP_F_S) {
		put16(b, ns);
		put16(b, nr);
	}
	if (flags & L2TP_F_O) {
		put16(b, offset_size);
		for (uint16_t i = 0; i < offset_size; i++)
			put(b, "", 1);
	}
}

void
l2tp_build_control(struct l2tp_builder *b, uint8_t *buf, size_t cap,
                   uint16_t tunnel, uint16_t session, uint16_t ns, uint16_t nr)
{
	l2tp_build_header(b, buf, cap, L2TP_F_T | L2TP_F_L | L2TP_F_S | 2,
	                  tunnel, session, ns, nr, 0);
}

void
l2tp_build_data(struct l2tp_builder *b, uint8_t *buf, size_t cap,
                uint16_t flags, uint16_t tunnel, uint16_t session, uint16_t ns,
                uint16_t nr, uint16_t offset_size, const uint8_t *payload,
                size_t plen)
{
	l2tp_build_header(b, buf, cap, (uint16_t)(flags & ~L2TP_F_T), tunnel,
	                  session, ns, nr, offset_size);
	put(b, payload, plen);
}

void
l2tp_build_v3_control(struct l2tp_builder *b, uint8_t *buf, size_t cap,
                      enum l2tp_transport tr, uint32_t ccid, uint16_t ns,
                      uint16_t nr)
{
	begin(b, buf, cap);
	b->version = 3;
	b->control = true;
	b->has_length = true;
	if (tr == L2TP_IP) {
		/* Over IP, Length does not count the session 0 word. */
		put32(b, 0);
		b->len_base = 4;
	}
	b->len_off = b->len_base + 2;
	put16(b, L2TP_F_T | L2TP_F_L | L2TP_F_S | 3);
	put16(b, 0);
	put32(b, ccid);
	put16(b, ns);
	put16(b, nr);
}

void
l2tp_build_v3_data(struct l2tp_builder *b, uint8_t *buf, size_t cap,
                   enum l2tp_transport tr, uint32_t session,
                   const uint8_t *cookie, size_t cookie_len, bool sublayer,
                   bool seq_s, uint32_t seq, const uint8_t *payload,
                   size_t plen)
{
	begin(b, buf, cap);
	b->version = 3;
	if (tr == L2TP_UDP) {
		put16(b, 3);
		put16(b, 0);
	}
	put32(b, session);
	put(b, cookie, cookie_len);
	if (sublayer)
		put32(b, (seq_s ? 0x40000000u : 0) | (seq & 0xffffffu));
	put(b, payload, plen);
}

void
l2tp_build_avp_raw(struct l2tp_builder *b, uint16_t flags_len, uint16_t vendor,
                   uint16_t type, const void *val, size_t len)
{
	put16(b, flags_len);
	put16(b, vendor);
	put16(b, type);
	put(b, val, len);
}

void
l2tp_build_avp(struct l2tp_builder *b, bool m, bool h, uint16_t vendor,
               uint16_t type, const void *val, size_t len)
{
	if (len > L2TP_AVP_MAXLEN - L2TP_AVP_HDR) {
		b->err = -1;
		return;
	}
	l2tp_build_avp_raw(b,
	                   (uint16_t)((m ? L2TP_AVP_M : 0) |
	                              (h ? L2TP_AVP_H : 0) |
	                              (len + L2TP_AVP_HDR)),
	                   vendor, type, val, len);
}

void
l2tp_build_u16(struct l2tp_builder *b, bool m, uint16_t type, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	l2tp_build_avp(b, m, false, 0, type, x, 2);
}

void
l2tp_build_u32(struct l2tp_builder *b, bool m, uint16_t type, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16),
	                (uint8_t)(v >> 8), (uint8_t)v};

	l2tp_build_avp(b, m, false, 0, type, x, 4);
}

void
l2tp_build_u64(struct l2tp_builder *b, bool m, uint16_t type, uint64_t v)
{
	uint8_t x[8];

	for (int i = 0; i < 8; i++)
		x[i] = (uint8_t)(v >> (56 - 8 * i));
	l2tp_build_avp(b, m, false, 0, type, x, 8);
}

void
l2tp_build_str(struct l2tp_builder *b, bool m, uint16_t type, const char *s)
{
	l2tp_build_avp(b, m, false, 0, type, s, strlen(s));
}

void
l2tp_build_msg_type(struct l2tp_builder *b, uint16_t type)
{
	l2tp_build_u16(b, true, L2TP_AVP_MESSAGE_TYPE, type);
}

void
l2tp_build_result(struct l2tp_builder *b, uint16_t result, int error,
                  const char *message)
{
	uint8_t v[L2TP_AVP_MAXLEN];
	size_t n = 0, ml = message ? strlen(message) : 0;

	if (ml > sizeof(v) - 4 - L2TP_AVP_HDR)
		ml = sizeof(v) - 4 - L2TP_AVP_HDR;
	v[n++] = (uint8_t)(result >> 8);
	v[n++] = (uint8_t)result;
	/* A message needs an error code before it (RFC 2661 §4.4.2). */
	if (error >= 0 || message) {
		uint16_t e = error >= 0 ? (uint16_t)error : 0;

		v[n++] = (uint8_t)(e >> 8);
		v[n++] = (uint8_t)e;
	}
	if (ml) {
		memcpy(v + n, message, ml);
		n += ml;
	}
	l2tp_build_avp(b, true, false, 0, L2TP_AVP_RESULT_CODE, v, n);
}

void
l2tp_build_random_vector(struct l2tp_builder *b, const uint8_t *rv,
                         size_t rvlen, const char *secret)
{
	memcpy(b->rv, rv, rvlen < sizeof(b->rv) ? rvlen : sizeof(b->rv));
	b->secret = (const uint8_t *)secret;
	b->slen = secret ? strlen(secret) : 0;
	l2tp_build_avp(b, true, false, 0, L2TP_AVP_RANDOM_VECTOR, rv, rvlen);
	/*
	 * Hidden AVPs read the whole vector from the message being built, so
	 * a vector of any length works and the caller's copy may go away.
	 */
	if (b->err == 0) {
		b->rvlen = rvlen;
		b->rv_off = b->len - rvlen;
	}
}

void
l2tp_build_hidden(struct l2tp_builder *b, bool m, uint16_t vendor,
                  uint16_t type, const void *val, size_t len,
                  const uint8_t *padbytes, size_t pad)
{
	uint8_t c[L2TP_AVP_MAXLEN];

	if (b->err)
		return;
	if (len > L2TP_AVP_MAXLEN || pad > L2TP_AVP_MAXLEN ||
	    2 + len + pad > L2TP_AVP_MAXLEN - L2TP_AVP_HDR || b->rvlen == 0) {
		b->err = -1;
		return;
	}
	l2tp_hide(type, b->secret, b->slen, b->buf + b->rv_off, b->rvlen, val,
	          len, padbytes, pad, c);
	l2tp_build_avp(b, m, true, vendor, type, c, 2 + len + pad);
}

void
l2tp_build_set_length(struct l2tp_builder *b, uint16_t length)
{
	b->length_fixed = true;
	b->length_value = length;
}

int
l2tp_build_end(struct l2tp_builder *b)
{
	uint16_t len;

	if (b->err || b->len > 0xffff)
		return -1;
	if (b->has_length) {
		len = b->length_fixed ? b->length_value
		                      : (uint16_t)(b->len - b->len_base);
		b->buf[b->len_off] = (uint8_t)(len >> 8);
		b->buf[b->len_off + 1] = (uint8_t)len;
	}
	return (int)b->len;
}
