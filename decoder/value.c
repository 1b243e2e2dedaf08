/* AVP values both ways: wire bytes to a typed value and back, and the text
 * an operator types to wire bytes (RFC 2661 §4.4; RFC 3931 §5.4; RFC 3145). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decoder/proto.h"
#include "decoder/rd.h"

int
l2tp_avp_value(const struct l2tp_avp *a, struct l2tp_value *v)
{
	const struct l2tp_avp_info *ai = l2tp_avp_info(a->vendor, a->type);
	struct l2tp_bytes d = l2tp_avp_data(a);
	struct rd r;
	uint16_t u16;
	uint32_t u32;
	uint8_t u8;

	memset(v, 0, sizeof(*v));
	v->kind = ai ? ai->kind : L2TP_V_BYTES;
	v->b = d;
	if (a->h && !a->decrypted) {
		v->kind = L2TP_V_BYTES;
		return -L2TP_FAULT_UNSUPPORTED;
	}
	if (ai && (d.len < ai->min_len || d.len > ai->max_len))
		goto bad;
	rd_init(&r, d.p, d.len);
	switch (v->kind) {
	case L2TP_V_BYTES:
	case L2TP_V_STRING:
		return 0;
	case L2TP_V_EMPTY:
		return d.len == 0 ? 0 : -L2TP_FAULT_MALFORMED;
	case L2TP_V_U16:
	case L2TP_V_MSGTYPE:
	case L2TP_V_PROXY_TYPE:
		if (d.len != 2 || rd_u16(&r, &u16) < 0)
			break;
		v->u = u16;
		return 0;
	case L2TP_V_U32:
	case L2TP_V_FRAMING:
	case L2TP_V_BEARER:
		if (d.len != 4 || rd_u32(&r, &u32) < 0)
			break;
		v->u = u32;
		return 0;
	case L2TP_V_U64:
		/* Some rate AVPs come as 32 or 64 bits. */
		if (d.len == 4 && rd_u32(&r, &u32) == 0) {
			v->u = u32;
			return 0;
		}
		if (d.len != 8 || rd_u64(&r, &v->u) < 0)
			break;
		return 0;
	case L2TP_V_PROTOVER:
		if (d.len != 2 || rd_u8(&r, &u8) < 0 || rd_u8(&r, &v->rev) < 0)
			break;
		v->u = u8;
		return 0;
	case L2TP_V_RESULT:
		if (rd_u16(&r, &v->result) < 0)
			break;
		if (r.left == 1)
			break;
		if (r.left >= 2) {
			rd_u16(&r, &v->error);
			v->has_error = true;
		}
		if (r.left > 0) {
			v->has_message = true;
			v->b.p = r.p;
			v->b.len = r.left;
		} else {
			v->b.len = 0;
		}
		return 0;
	case L2TP_V_Q931:
		if (rd_u16(&r, &u16) < 0 || rd_u8(&r, &v->q931_msg) < 0)
			break;
		v->u = u16;
		v->b.p = r.p;
		v->b.len = r.left;
		return 0;
	case L2TP_V_CALL_ERRORS:
		if (d.len != 26 || rd_u16(&r, &u16) < 0)
			break;
		for (int i = 0; i < 6; i++)
			rd_u32(&r, &v->errs[i]);
		return 0;
	case L2TP_V_ACCM:
		if (d.len != 10 || rd_u16(&r, &u16) < 0)
			break;
		rd_u32(&r, &v->send_accm);
		rd_u32(&r, &v->recv_accm);
		return 0;
	case L2TP_V_PPP_DISC:
		/* RFC 3145: code(2), protocol(2), direction(1), message */
		if (rd_u16(&r, &u16) < 0 || rd_u16(&r, &v->ppp_proto) < 0 ||
		    rd_u8(&r, &v->ppp_dir) < 0)
			break;
		v->u = u16;
		v->b.p = r.p;
		v->b.len = r.left;
		return 0;
	}
bad:
	memset(v, 0, sizeof(*v));
	v->kind = L2TP_V_BYTES;
	v->b = d;
	return -L2TP_FAULT_MALFORMED;
}

static void
put_be(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

/* Bytes the value of this kind takes on the wire. */
static size_t
value_len(const struct l2tp_avp_info *ai, const struct l2tp_value *v)
{
	switch (v->kind) {
	case L2TP_V_EMPTY:
		return 0;
	case L2TP_V_U16:
	case L2TP_V_MSGTYPE:
	case L2TP_V_PROXY_TYPE:
	case L2TP_V_PROTOVER:
		return 2;
	case L2TP_V_U32:
	case L2TP_V_FRAMING:
	case L2TP_V_BEARER:
		return 4;
	case L2TP_V_U64:
		return ai && ai->max_len == 4 ? 4 : 8;
	case L2TP_V_RESULT:
		return v->has_error || v->has_message ? 4 + v->b.len : 2;
	case L2TP_V_Q931:
		return 3 + v->b.len;
	case L2TP_V_CALL_ERRORS:
		return 26;
	case L2TP_V_ACCM:
		return 10;
	case L2TP_V_PPP_DISC:
		return 5 + v->b.len;
	case L2TP_V_BYTES:
	case L2TP_V_STRING:
		break;
	}
	return v->b.len;
}

long
l2tp_avp_value_encode(const struct l2tp_avp_info *ai,
                      const struct l2tp_value *v, uint8_t *out, size_t cap)
{
	size_t n = value_len(ai, v);

	if (n > cap)
		return L2TP_ENC_BIG;
	switch (v->kind) {
	case L2TP_V_EMPTY:
		break;
	case L2TP_V_U16:
	case L2TP_V_MSGTYPE:
	case L2TP_V_PROXY_TYPE:
	case L2TP_V_U32:
	case L2TP_V_FRAMING:
	case L2TP_V_BEARER:
	case L2TP_V_U64:
		put_be(out, v->u, n);
		break;
	case L2TP_V_PROTOVER:
		out[0] = (uint8_t)v->u;
		out[1] = v->rev;
		break;
	case L2TP_V_RESULT:
		put_be(out, v->result, 2);
		if (n > 2) {
			/* a message needs the error code before it (§4.4.2) */
			put_be(out + 2, v->has_error ? v->error : 0, 2);
			if (v->b.len)
				memmove(out + 4, v->b.p, v->b.len);
		}
		break;
	case L2TP_V_Q931:
		put_be(out, v->u, 2);
		out[2] = v->q931_msg;
		if (v->b.len)
			memmove(out + 3, v->b.p, v->b.len);
		break;
	case L2TP_V_CALL_ERRORS:
		put_be(out, 0, 2);
		for (int i = 0; i < 6; i++)
			put_be(out + 2 + 4 * i, v->errs[i], 4);
		break;
	case L2TP_V_ACCM:
		put_be(out, 0, 2);
		put_be(out + 2, v->send_accm, 4);
		put_be(out + 6, v->recv_accm, 4);
		break;
	case L2TP_V_PPP_DISC:
		put_be(out, v->u, 2);
		put_be(out + 2, v->ppp_proto, 2);
		out[4] = v->ppp_dir;
		if (v->b.len)
			memmove(out + 5, v->b.p, v->b.len);
		break;
	case L2TP_V_BYTES:
	case L2TP_V_STRING:
		if (n)
			memmove(out, v->b.p, n);
		break;
	}
	return (long)n;
}

static int
parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *e;

	errno = 0;
	if (*s == '\0' || *s == '-')
		return -1;
	*v = strtoull(s, &e, 0);
	return errno || *e || *v > max ? -1 : 0;
}

static int
hexbytes(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(s);

	if (n % 2)
		return L2TP_ENC_HEX;
	if (n / 2 > cap)
		return L2TP_ENC_BIG;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return L2TP_ENC_HEX;
	for (size_t i = 0; i < n; i += 2) {
		char d[3] = {s[i], s[i + 1], '\0'};

		out[i / 2] = (uint8_t)strtoul(d, NULL, 16);
	}
	*len = n / 2;
	return 0;
}

long
l2tp_avp_encode_text(const struct l2tp_avp_info *ai, const char *s,
                     uint8_t *out, size_t cap)
{
	struct l2tp_value v;
	uint64_t x, w;
	unsigned a, b;
	char *comma;
	size_t n;
	int rc;

	memset(&v, 0, sizeof(v));
	v.kind = ai->kind;
	switch (ai->kind) {
	case L2TP_V_U16:
	case L2TP_V_MSGTYPE:
	case L2TP_V_PROXY_TYPE:
		if (parse_u64(s, 0xffff, &v.u) < 0)
			return L2TP_ENC_NUMBER;
		break;
	case L2TP_V_U32:
	case L2TP_V_FRAMING:
	case L2TP_V_BEARER:
		if (parse_u64(s, 0xffffffffu, &v.u) < 0)
			return L2TP_ENC_NUMBER;
		break;
	case L2TP_V_U64:
		if (parse_u64(s, UINT64_MAX, &v.u) < 0)
			return L2TP_ENC_NUMBER;
		break;
	case L2TP_V_STRING:
		v.b.p = (const uint8_t *)s;
		v.b.len = strlen(s);
		break;
	case L2TP_V_PROTOVER: {
		/* MAJOR.MINOR, each 0..255 */
		char *e;

		errno = 0;
		a = (unsigned)strtoul(s, &e, 10);
		if (e == s || *e != '.' || a > 255)
			return L2TP_ENC_VERSION;
		s = e + 1;
		b = (unsigned)strtoul(s, &e, 10);
		if (e == s || b > 255 || errno)
			return L2TP_ENC_VERSION;
		v.u = a;
		v.rev = (uint8_t)b;
		break;
	}
	case L2TP_V_RESULT:
		/* CODE[,ERROR[,MESSAGE]] */
		if (parse_u64(s, 0xffff, &x) == 0) {
			v.result = (uint16_t)x;
			break;
		}
		x = strtoull(s, &comma, 10);
		if (comma == s || *comma != ',' || x > 0xffff)
			return L2TP_ENC_RESULT;
		s = comma + 1;
		w = strtoull(s, &comma, 10);
		if (comma == s || w > 0xffff || (*comma && *comma != ','))
			return L2TP_ENC_RESULT;
		v.result = (uint16_t)x;
		v.has_error = true;
		v.error = (uint16_t)w;
		if (*comma == ',') {
			v.has_message = true;
			v.b.p = (const uint8_t *)comma + 1;
			v.b.len = strlen(comma + 1);
		}
		break;
	case L2TP_V_EMPTY:
		if (*s)
			return L2TP_ENC_EMPTY;
		break;
	default:
		/* Bytes (and the structured kinds, as their wire bytes): 0x
		 * hex, or the text itself. */
		v.kind = L2TP_V_BYTES;
		if (strncasecmp(s, "0x", 2) == 0) {
			if ((rc = hexbytes(s + 2, out, cap, &n)) < 0)
				return rc;
			v.b.p = out;
			v.b.len = n;
		} else {
			v.b.p = (const uint8_t *)s;
			v.b.len = strlen(s);
		}
		break;
	}
	return l2tp_avp_value_encode(ai, &v, out, cap);
}
