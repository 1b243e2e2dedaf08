/* PPP control packets read with the bounded cursor (RFC 1661 §5-6, RFC 1334
 * §2, RFC 1994 §4) and ICMP echo in IPv4/IPv6 (RFC 791, 792, 8200, 4443). */
#include <string.h>

#include "decoder/ppp_read.h"

const char *
l2tp_ppp_read_strerror(int err)
{
	switch (err) {
	case L2TP_PPP_R_OK:
		return "ok";
	case L2TP_PPP_R_SHORT:
		return "shorter than its header";
	case L2TP_PPP_R_LENGTH:
		return "Length field contradicts the payload";
	case L2TP_PPP_R_OPTLEN:
		return "option of Length 0 or 1";
	case L2TP_PPP_R_OPTPAST:
		return "option runs past the packet";
	case L2TP_PPP_R_STRAY:
		return "stray byte after the options";
	case L2TP_PPP_R_FIELD:
		return "a field runs past Length";
	case L2TP_PPP_R_NOFRAME:
		return "no PPP protocol field";
	case L2TP_PPP_R_NOTICMP:
		return "not an ICMP echo";
	case L2TP_PPP_R_CHECKSUM:
		return "bad checksum";
	}
	return "unknown error";
}

int
l2tp_ppp_read_frame(const uint8_t *p, size_t len, uint16_t *proto,
                    struct l2tp_bytes *payload)
{
	struct rd r;
	uint8_t a, c, b0;

	rd_init(&r, p, len);
	if (rd_peek8(&r, 0, &a) == 0 && rd_peek8(&r, 1, &c) == 0 && a == 0xff &&
	    c == 0x03)
		rd_skip(&r, 2);
	if (rd_u8(&r, &b0) < 0)
		return L2TP_PPP_R_NOFRAME;
	if (b0 & 1) {
		*proto = b0; /* PFC: an odd first byte is the whole field */
	} else {
		uint8_t b1;

		if (rd_u8(&r, &b1) < 0)
			return L2TP_PPP_R_NOFRAME;
		*proto = (uint16_t)(b0 << 8 | b1);
	}
	payload->p = r.p;
	payload->len = r.left;
	return 0;
}

int
l2tp_ppp_read_cp(const uint8_t *p, size_t len, struct l2tp_ppp_cp *out)
{
	struct rd r;

	memset(out, 0, sizeof(*out));
	rd_init(&r, p, len);
	if (rd_u8(&r, &out->code) < 0 || rd_u8(&r, &out->id) < 0 ||
	    rd_u16(&r, &out->length) < 0)
		return L2TP_PPP_R_SHORT;
	if (out->length < 4 || out->length > len)
		return L2TP_PPP_R_LENGTH;
	out->data.p = r.p;
	out->data.len = (size_t)out->length - 4;
	out->whole.p = p;
	out->whole.len = out->length;
	return 0;
}

int
l2tp_ppp_read_opt(struct rd *r, struct l2tp_ppp_opt *out)
{
	struct rd v;
	uint8_t t, l;

	if (r->left == 0)
		return 0;
	if (r->left == 1)
		return L2TP_PPP_R_STRAY;
	rd_peek8(r, 0, &t);
	rd_peek8(r, 1, &l);
	if (l < 2)
		return L2TP_PPP_R_OPTLEN;
	if (r->left < l)
		return L2TP_PPP_R_OPTPAST;
	if (rd_skip(r, 2) < 0 || rd_sub(r, (size_t)l - 2, &v) < 0)
		return L2TP_PPP_R_OPTPAST;
	out->type = t;
	out->len = l;
	out->val.p = v.p;
	out->val.len = v.left;
	return 1;
}

int
l2tp_ppp_read_opts_check(struct l2tp_bytes list)
{
	struct rd r;
	struct l2tp_ppp_opt o;
	int rc;

	rd_init(&r, list.p, list.len);
	while ((rc = l2tp_ppp_read_opt(&r, &o)) == 1)
		;
	return rc;
}

static int
counted(struct rd *r, struct l2tp_bytes *b)
{
	uint8_t n;
	struct rd s;

	if (rd_peek8(r, 0, &n) < 0 || r->left - 1 < n)
		return -1;
	rd_skip(r, 1);
	rd_sub(r, n, &s);
	b->p = s.p;
	b->len = s.left;
	return 0;
}

int
l2tp_ppp_read_pap(const struct l2tp_ppp_cp *cp, struct l2tp_bytes *name,
                  struct l2tp_bytes *password, struct l2tp_bytes *msg)
{
	struct rd r;

	memset(name, 0, sizeof(*name));
	memset(password, 0, sizeof(*password));
	memset(msg, 0, sizeof(*msg));
	rd_init(&r, cp->data.p, cp->data.len);
	if (cp->code == 1) {
		if (counted(&r, name) < 0 || counted(&r, password) < 0)
			return L2TP_PPP_R_FIELD;
		return 0;
	}
	/* Ack/Nak: Msg-Length and Message; some peers send nothing. */
	if (r.left > 0 && counted(&r, msg) < 0)
		return L2TP_PPP_R_FIELD;
	return 0;
}

int
l2tp_ppp_read_chap(const struct l2tp_ppp_cp *cp, struct l2tp_bytes *value,
                   struct l2tp_bytes *name, struct l2tp_bytes *msg)
{
	struct rd r;

	memset(value, 0, sizeof(*value));
	memset(name, 0, sizeof(*name));
	memset(msg, 0, sizeof(*msg));
	rd_init(&r, cp->data.p, cp->data.len);
	if (cp->code == 1 || cp->code == 2) {
		if (counted(&r, value) < 0)
			return L2TP_PPP_R_FIELD;
		name->p = r.p;
		name->len = r.left;
		return 0;
	}
	msg->p = r.p;
	msg->len = r.left;
	return 0;
}

uint32_t
l2tp_ppp_cksum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	struct rd r;
	uint16_t w;
	uint8_t b;

	rd_init(&r, p, len);
	while (rd_u16(&r, &w) == 0) {
		sum += w;
		sum = (sum & 0xffffu) + (sum >> 16);
	}
	if (rd_u8(&r, &b) == 0) {
		sum += (uint32_t)b << 8;
		sum = (sum & 0xffffu) + (sum >> 16);
	}
	return sum;
}

uint16_t
l2tp_ppp_cksum_fin(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)~sum;
}

static int
read_icmp(struct rd *r, uint8_t req_type, uint8_t rep_type,
          struct l2tp_ppp_echo *o)
{
	uint8_t type, code;
	uint16_t ck;

	if (rd_u8(r, &type) < 0 || rd_u8(r, &code) < 0 || rd_u16(r, &ck) < 0 ||
	    rd_u16(r, &o->ident) < 0 || rd_u16(r, &o->seq) < 0)
		return L2TP_PPP_R_SHORT;
	if ((type != req_type && type != rep_type) || code != 0)
		return L2TP_PPP_R_NOTICMP;
	o->request = type == req_type;
	o->data.p = r->p;
	o->data.len = r->left;
	return 0;
}

int
l2tp_ppp_read_echo(uint8_t family, const uint8_t *p, size_t len,
                   struct l2tp_ppp_echo *o)
{
	struct rd r, body;
	uint8_t vihl, b, proto;
	uint16_t tot, frag, w;
	size_t hl;
	int rc;

	memset(o, 0, sizeof(*o));
	o->family = family;
	rd_init(&r, p, len);
	if (family == 4) {
		if (rd_u8(&r, &vihl) < 0 || len < 20)
			return L2TP_PPP_R_SHORT;
		hl = (size_t)(vihl & 0x0f) * 4;
		if (vihl >> 4 != 4 || hl < 20 || hl > len)
			return L2TP_PPP_R_LENGTH;
		rd_u8(&r, &b);
		rd_u16(&r, &tot);
		if (tot < hl || tot > len)
			return L2TP_PPP_R_LENGTH;
		rd_u16(&r, &w);
		rd_u16(&r, &frag);
		rd_u8(&r, &o->ttl);
		rd_u8(&r, &proto);
		rd_skip(&r, 2);
		memcpy(o->src, r.p, 4);
		memcpy(o->dst, r.p + 4, 4);
		if (l2tp_ppp_cksum_fin(l2tp_ppp_cksum_add(0, p, hl)) != 0)
			return L2TP_PPP_R_CHECKSUM;
		if (proto != 1 || (frag & 0x3fffu) != 0)
			return L2TP_PPP_R_NOTICMP;
		rd_init(&body, p + hl, tot - hl);
		if (l2tp_ppp_cksum_fin(
		        l2tp_ppp_cksum_add(0, body.p, body.left)) != 0)
			return L2TP_PPP_R_CHECKSUM;
		o->whole.p = p;
		o->whole.len = tot;
		return read_icmp(&body, 8, 0, o);
	}
	if (rd_u8(&r, &vihl) < 0 || len < 40)
		return L2TP_PPP_R_SHORT;
	if (vihl >> 4 != 6)
		return L2TP_PPP_R_LENGTH;
	rd_skip(&r, 3);
	rd_u16(&r, &tot);
	rd_u8(&r, &proto);
	rd_u8(&r, &o->ttl);
	if (r.left - 32 < tot)
		return L2TP_PPP_R_LENGTH;
	memcpy(o->src, r.p, 16);
	memcpy(o->dst, r.p + 16, 16);
	rd_skip(&r, 32);
	if (proto != 58) /* extension headers: not an echo we read */
		return L2TP_PPP_R_NOTICMP;
	rd_init(&body, r.p, tot);
	{
		uint8_t ph[8] = {0, 0, (uint8_t)(tot >> 8), (uint8_t)tot, 0, 0,
		                 0, 58};
		uint32_t s = l2tp_ppp_cksum_add(0, o->src, 32);

		s = l2tp_ppp_cksum_add(s, ph, sizeof(ph));
		s = l2tp_ppp_cksum_add(s, body.p, body.left);
		if (l2tp_ppp_cksum_fin(s) != 0)
			return L2TP_PPP_R_CHECKSUM;
	}
	o->whole.p = p;
	o->whole.len = 40 + (size_t)tot;
	rc = read_icmp(&body, 128, 129, o);
	return rc;
}
