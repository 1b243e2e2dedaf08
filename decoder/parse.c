/* L2TP header and AVP parser (RFC 2661 §3.1, §4.1; RFC 3931 §4.1, §4.2). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decoder/l2tp.h"
#include "decoder/proto.h"
#include "decoder/rd.h"

const char *
l2tp_fault_name(enum l2tp_fault k)
{
	switch (k) {
	case L2TP_FAULT_NONE:
		return "ok";
	case L2TP_FAULT_TRUNCATED:
		return "truncated";
	case L2TP_FAULT_MALFORMED:
		return "malformed";
	case L2TP_FAULT_UNSUPPORTED:
		return "unsupported";
	case L2TP_FAULT_RFC:
		return "rfc";
	}
	return "unknown";
}

/* Truncated and malformed outrank unsupported; RFC notes rank lowest. */
static int
fault_rank(enum l2tp_fault k)
{
	switch (k) {
	case L2TP_FAULT_TRUNCATED:
		return 4;
	case L2TP_FAULT_MALFORMED:
		return 3;
	case L2TP_FAULT_UNSUPPORTED:
		return 2;
	case L2TP_FAULT_RFC:
		return 1;
	default:
		return 0;
	}
}

void
l2tp_problem(struct l2tp_msg *m, enum l2tp_fault kind, int avp, const char *fmt,
             ...)
{
	va_list ap;
	struct l2tp_problem *p;

	if (fault_rank(kind) > fault_rank(m->fault))
		m->fault = kind;
	if (m->nproblems == L2TP_MAX_PROBLEMS) {
		/*
		 * Full: a worse problem pushes out the last of the least
		 * serious ones, so RFC notes never hide a malformation.
		 */
		size_t low = L2TP_MAX_PROBLEMS;

		m->problems_dropped++;
		for (size_t i = 0; i < L2TP_MAX_PROBLEMS; i++)
			if (fault_rank(m->problems[i].kind) <
			        fault_rank(kind) &&
			    (low == L2TP_MAX_PROBLEMS ||
			     fault_rank(m->problems[i].kind) <=
			         fault_rank(m->problems[low].kind)))
				low = i;
		if (low == L2TP_MAX_PROBLEMS)
			return;
		memmove(&m->problems[low], &m->problems[low + 1],
		        (L2TP_MAX_PROBLEMS - 1 - low) * sizeof(m->problems[0]));
		m->nproblems--;
	}
	p = &m->problems[m->nproblems++];
	p->kind = kind;
	p->avp = avp;
	va_start(ap, fmt);
	vsnprintf(p->what, sizeof(p->what), fmt, ap);
	va_end(ap);
}

/*
 * Bytes missing at offset `at`, `need` wanted.  When the real datagram holds
 * them but the capture stopped short, the packet is truncated; when the
 * datagram itself is too short for them, it contradicts itself (malformed).
 * Overflow-safe: `at` and `need` are bounded by 64 KiB + header sizes.
 */
static int
short_by(struct l2tp_msg *m, size_t at, size_t need, const char *what)
{
	if (m->wire_len > m->whole.len && at + need > m->whole.len &&
	    at + need <= m->wire_len) {
		l2tp_problem(m, L2TP_FAULT_TRUNCATED, -1,
		             "capture ends at byte %zu of %zu, inside the %s",
		             m->whole.len, m->wire_len, what);
		return -L2TP_FAULT_TRUNCATED;
	}
	l2tp_problem(
	    m, L2TP_FAULT_MALFORMED, -1,
	    "datagram of %zu bytes too short for the %s (%zu bytes at %zu)",
	    m->wire_len, what, need, at);
	return -L2TP_FAULT_MALFORMED;
}

bool
l2tp_msg_is_zlb(const struct l2tp_msg *m)
{
	size_t wire = m->wire_len;

	if (!m->control || m->msg_type != L2TP_MSG_ZLB || m->navps > 0)
		return false;
	if (m->has_length) {
		size_t total =
		    (size_t)m->length + (m->transport == L2TP_IP ? 4u : 0u);

		if (total < wire)
			wire = total;
	}
	return wire <= m->hdr_len;
}

const struct l2tp_avp *
l2tp_find_avp(const struct l2tp_msg *m, uint16_t vendor, uint16_t type)
{
	for (size_t i = 0; i < m->navps; i++)
		if (m->avps[i].vendor == vendor && m->avps[i].type == type)
			return &m->avps[i];
	return NULL;
}

/* The AVP's name for a problem text; only computed when one is found. */
#define AVP_NAME(a, nb) l2tp_avp_name((a)->vendor, (a)->type, nb, sizeof(nb))

static bool
all_zero(struct l2tp_bytes b)
{
	struct rd r;
	uint8_t v;

	rd_init(&r, b.p, b.len);
	while (rd_u8(&r, &v) == 0)
		if (v != 0)
			return false;
	return true;
}

/*
 * Per-AVP checks the table can make on the wire form (RFC 2661 §4.1, §4.3,
 * §4.4): reserved bits, hiding, length bounds, M-bit rule, hide rule,
 * non-zero values.
 */
static const struct l2tp_avp_info *
check_avp(struct l2tp_msg *m, size_t idx, bool seen_rv)
{
	const struct l2tp_avp *a = &m->avps[idx];
	const struct l2tp_avp_info *ai = l2tp_avp_info(a->vendor, a->type);
	bool mtype = a->vendor == 0 && a->type == L2TP_AVP_MESSAGE_TYPE;
	char nb[32];
	int i = (int)idx;

	if (a->rsvd) {
		/* §4.1: such an AVP is to be treated as unrecognised. */
		if (a->m)
			l2tp_problem(
			    m, L2TP_FAULT_UNSUPPORTED, i,
			    "%s: reserved AVP bits 0x%x set with M=1: to be "
			    "treated as an unknown mandatory AVP",
			    AVP_NAME(a, nb), a->rsvd);
		else
			l2tp_problem(
			    m, L2TP_FAULT_RFC, i,
			    "%s: reserved AVP bits 0x%x set: to be treated "
			    "as unrecognised (M=0: ignored)",
			    AVP_NAME(a, nb), a->rsvd);
	}
	if (a->h) {
		if (mtype)
			l2tp_problem(m, L2TP_FAULT_MALFORMED, i,
			             "Message Type is hidden");
		else if (!seen_rv)
			l2tp_problem(
			    m, L2TP_FAULT_MALFORMED, i,
			    "%s: hidden AVP with no Random Vector before it",
			    AVP_NAME(a, nb));
		if (a->value.len < 2)
			l2tp_problem(
			    m, L2TP_FAULT_MALFORMED, i,
			    "%s: hidden value of %zu bytes cannot hold the "
			    "2-byte original length",
			    AVP_NAME(a, nb), a->value.len);
	}
	if (ai == NULL) {
		if (a->m && !a->rsvd)
			l2tp_problem(
			    m, L2TP_FAULT_UNSUPPORTED, i,
			    "unknown mandatory AVP %s (vendor %u type %u)",
			    AVP_NAME(a, nb), a->vendor, a->type);
		return NULL;
	}
	if (!a->h &&
	    (a->value.len < ai->min_len || a->value.len > ai->max_len)) {
		if (ai->min_len == ai->max_len)
			l2tp_problem(m, L2TP_FAULT_MALFORMED, i,
			             "%s: value length %zu, must be %u",
			             ai->name, a->value.len, ai->min_len);
		else
			l2tp_problem(m, L2TP_FAULT_MALFORMED, i,
			             "%s: value length %zu, must be %u..%u",
			             ai->name, a->value.len, ai->min_len,
			             ai->max_len);
	} else if (a->h && a->value.len >= 2 &&
	           a->value.len - 2 < ai->min_len) {
		/* The hidden form is 2 + value + padding. */
		l2tp_problem(
		    m, L2TP_FAULT_MALFORMED, i,
		    "%s: hidden value of %zu bytes is too short for a %u-byte "
		    "value",
		    ai->name, a->value.len, ai->min_len);
	}
	if (!mtype && ai->mrule == L2TP_M_SET && !a->m)
		l2tp_problem(m, L2TP_FAULT_RFC, i,
		             "%s: M bit clear, RFC 2661 says 1", ai->name);
	else if (ai->mrule == L2TP_M_CLEAR && a->m)
		l2tp_problem(m, L2TP_FAULT_RFC, i,
		             "%s: M bit set, RFC 2661 says 0", ai->name);
	if (a->h && !ai->hideable && !mtype)
		l2tp_problem(m, L2TP_FAULT_RFC, i, "%s: must not be hidden",
		             ai->name);
	if (ai->nonzero && !a->h && a->value.len == ai->min_len &&
	    all_zero(a->value))
		l2tp_problem(m, L2TP_FAULT_RFC, i, "%s: 0, must be non-zero",
		             ai->name);
	if (m->version == 2 && a->vendor == 0 &&
	    a->type == L2TP_AVP_PROTOCOL_VERSION && !a->h &&
	    a->value.len == 2 && (a->value.p[0] != 1 || a->value.p[1] != 0))
		l2tp_problem(m, L2TP_FAULT_RFC, i,
		             "Protocol Version %u.%u, L2TPv2 is 1.0",
		             a->value.p[0], a->value.p[1]);
	return ai;
}

/*
 * Checks over the whole message once its AVPs are read (RFC 2661 §3.2,
 * §4.4.1, §6): the Message Type is first, readable and known; each AVP
 * belongs in this message; and, when every AVP was read, the mandatory ones
 * are all there.
 */
/*
 * `seen` is what the AVP loop gathered on the common path (Message Type
 * first, readable and known, L2TPv2): the AVP types present, and the "may
 * carry" checks already made; NULL otherwise.
 */
struct seen {
	const struct l2tp_msg_info *mi;
	uint64_t have;
};

static void
check_message(struct l2tp_msg *m, bool complete, const struct seen *sn)
{
	const struct l2tp_avp *a, *mt = NULL;
	const struct l2tp_msg_info *mi;
	char nb[32];
	uint64_t need, have = 0;
	size_t at = 0;

	if (m->navps == 0)
		return; /* ZLB */
	if (sn) {
		mi = sn->mi;
		have = sn->have;
		goto required;
	}
	m->msg_type = L2TP_MSG_NONE;
	for (size_t i = 0; i < m->navps; i++) {
		if (m->avps[i].vendor == 0 &&
		    m->avps[i].type == L2TP_AVP_MESSAGE_TYPE) {
			mt = &m->avps[i];
			at = i;
			break;
		}
	}
	if (mt == NULL) {
		if (complete)
			l2tp_problem(m, L2TP_FAULT_MALFORMED, 0,
			             "no Message Type AVP (first AVP is %s)",
			             AVP_NAME(&m->avps[0], nb));
		else
			l2tp_problem(m, L2TP_FAULT_MALFORMED, 0,
			             "first AVP is %s, not Message Type",
			             AVP_NAME(&m->avps[0], nb));
		return;
	}
	if (mt->h || mt->value.len != 2) {
		if (at != 0)
			l2tp_problem(
			    m, L2TP_FAULT_MALFORMED, (int)at,
			    "Message Type is AVP %zu, must be the first", at);
		return; /* the rest reported by check_avp */
	}
	if (at != 0) {
		/*
		 * Named in the text, but msg_type stays L2TP_MSG_NONE: a
		 * receiver must not act on it (§3.2: it comes first).
		 */
		char tb[16];

		l2tp_problem(m, L2TP_FAULT_MALFORMED, (int)at,
		             "Message Type (%s) is AVP %zu, must be the first",
		             l2tp_msg_name(mt->value.p[0] << 8 | mt->value.p[1],
		                           tb, sizeof(tb)),
		             at);
		return;
	}
	m->msg_type = mt->value.p[0] << 8 | mt->value.p[1];
	if ((mi = l2tp_msg_info(m->msg_type)) == NULL) {
		if (mt->m)
			l2tp_problem(
			    m, L2TP_FAULT_UNSUPPORTED, (int)at,
			    "unknown message type %d with the M bit set: the "
			    "tunnel is to be cleared",
			    m->msg_type);
		else
			l2tp_problem(
			    m, L2TP_FAULT_UNSUPPORTED, (int)at,
			    "unknown message type %d (M bit clear: to be "
			    "ignored)",
			    m->msg_type);
		return;
	}
	if (m->version != 2)
		return; /* the rules below are L2TPv2's */
	for (size_t i = 0; i < m->navps; i++) {
		const struct l2tp_avp_info *ai;

		a = &m->avps[i];
		if (a->vendor != 0)
			continue;
		if (a->type < 64)
			have |= (uint64_t)1 << a->type;
		if (i != at && (ai = l2tp_avp_info(0, a->type)) != NULL &&
		    !l2tp_avp_allowed_in(ai, m->msg_type))
			l2tp_problem(m, L2TP_FAULT_RFC, (int)i,
			             "%s is not an AVP of %s", ai->name,
			             mi->name);
	}
required:
	/* §6.5: a Hello belongs to the tunnel, not to a call. */
	if (mi->type == L2TP_HELLO && m->session != 0)
		l2tp_problem(
		    m, L2TP_FAULT_RFC, -1,
		    "HELLO with Session ID %u in the header, must be 0",
		    m->session);
	need = mi->required & ~have;
	if (!complete || need == 0)
		return;
	for (uint16_t t = 1; t < 64; t++)
		if (need & ((uint64_t)1 << t))
			l2tp_problem(m, L2TP_FAULT_RFC, -1,
			             "%s without the mandatory %s AVP",
			             mi->name,
			             l2tp_avp_name(0, t, nb, sizeof(nb)));
}

static void
parse_avps(struct l2tp_msg *m, struct rd *r, size_t wire_body)
{
	size_t idx = 0, off = m->hdr_len;
	bool seen_rv = false, complete = false;
	struct seen sn = {NULL, 0};

	m->msg_type = L2TP_MSG_ZLB;
	/*
	 * `wire_body` bytes belong to the AVPs; r holds the captured part of
	 * them.  Running out of captured bytes is truncation, running out of
	 * declared bytes is malformation.
	 */
	for (;;) {
		uint16_t fl, vendor, type, len;
		struct rd sub;
		struct l2tp_avp *a;
		const struct l2tp_avp_info *ai;

		if (wire_body == 0) {
			complete = true;
			break;
		}
		if (wire_body < L2TP_AVP_HDR) {
			l2tp_problem(m, L2TP_FAULT_MALFORMED, -1,
			             "%zu stray bytes after the last AVP",
			             wire_body);
			break;
		}
		if (r->left < L2TP_AVP_HDR) {
			short_by(m, off, L2TP_AVP_HDR, "AVP header");
			break;
		}
		rd_u16(r, &fl);
		rd_u16(r, &vendor);
		rd_u16(r, &type);
		len = fl & L2TP_AVP_LEN;
		if (len < L2TP_AVP_HDR) {
			l2tp_problem(
			    m, L2TP_FAULT_MALFORMED, (int)idx,
			    "AVP %zu (vendor %u type %u): length %u < 6", idx,
			    vendor, type, len);
			break;
		}
		if (len > wire_body) {
			l2tp_problem(
			    m, L2TP_FAULT_MALFORMED, (int)idx,
			    "AVP %zu (vendor %u type %u): length %u runs %zu "
			    "bytes past the end of the message",
			    idx, vendor, type, len, len - wire_body);
			break;
		}
		if (rd_sub(r, len - L2TP_AVP_HDR, &sub) < 0) {
			short_by(m, off, len, "AVP value");
			break;
		}
		if (idx == L2TP_MAX_AVPS) {
			m->avps_cut = true;
			l2tp_problem(
			    m, L2TP_FAULT_UNSUPPORTED, -1,
			    "more than %d AVPs; the rest are not shown",
			    L2TP_MAX_AVPS);
			break;
		}
		a = &m->avps[idx];
		a->vendor = vendor;
		a->type = type;
		a->len = len;
		a->m = (fl & L2TP_AVP_M) != 0;
		a->h = (fl & L2TP_AVP_H) != 0;
		a->rsvd = (uint8_t)((fl & L2TP_AVP_RSVD) >> 10);
		a->raw.p = sub.p - L2TP_AVP_HDR;
		a->raw.len = len;
		a->value.p = sub.p;
		a->value.len = sub.left;
		a->decrypted = false;
		a->secret_idx = -1;
		a->plain.p = NULL;
		a->plain.len = 0;
		m->navps = ++idx;
		ai = check_avp(m, idx - 1, seen_rv);
		if (idx == 1) {
			/* the common path: a readable, known Message Type */
			if (vendor == 0 && type == L2TP_AVP_MESSAGE_TYPE &&
			    !a->h && a->value.len == 2 && m->version == 2) {
				m->msg_type = sub.p[0] << 8 | sub.p[1];
				sn.mi = l2tp_msg_info(m->msg_type);
				m->msg_type = L2TP_MSG_ZLB;
			}
		} else if (sn.mi && vendor == 0) {
			if (type < 64)
				sn.have |= (uint64_t)1 << type;
			if (ai && !l2tp_avp_allowed_in(ai, sn.mi->type))
				l2tp_problem(m, L2TP_FAULT_RFC, (int)idx - 1,
				             "%s is not an AVP of %s", ai->name,
				             sn.mi->name);
		}
		if (vendor == 0 && type == L2TP_AVP_RANDOM_VECTOR)
			seen_rv = true;
		off += len;
		wire_body -= len;
	}
	if (sn.mi) {
		m->msg_type = sn.mi->type;
		check_message(m, complete, &sn);
	} else {
		check_message(m, complete, NULL);
	}
}

/* The part common to v2 and v3 once the header is read. */
static int
parse_body(struct l2tp_msg *m, struct rd *r, size_t wire_left)
{
	/*
	 * Length bounds the message; bytes after it are not L2TP.  Over IP
	 * the v3 Length does not count the 4-byte zero Session ID before it.
	 */
	size_t base = m->transport == L2TP_IP ? 4u : 0u;
	size_t total = m->length + base;
	const char *after = base ? " after the Session ID" : "";

	if (m->has_length) {
		if (total < m->hdr_len) {
			l2tp_problem(
			    m, L2TP_FAULT_MALFORMED, -1,
			    "Length field %u is shorter than the %zu-byte "
			    "header%s",
			    m->length, m->hdr_len - base, after);
			return -L2TP_FAULT_MALFORMED;
		}
		if (total > m->wire_len) {
			l2tp_problem(
			    m, L2TP_FAULT_MALFORMED, -1,
			    "Length field %u is larger than the %zu-byte "
			    "datagram%s",
			    m->length, m->wire_len - base, after);
			wire_left = m->wire_len - m->hdr_len;
		} else {
			if (total < m->wire_len)
				l2tp_problem(
				    m, L2TP_FAULT_RFC, -1,
				    "%zu bytes after the end given by Length",
				    m->wire_len - total);
			wire_left = total - m->hdr_len;
			if (r->left > wire_left)
				r->left = wire_left;
		}
	}
	if (m->control) {
		parse_avps(m, r, wire_left);
	} else {
		m->payload.p = r->p;
		m->payload.len = r->left;
		if (r->left < wire_left)
			short_by(m, m->whole.len, wire_left - r->left,
			         "payload");
	}
	return 0;
}

/* After the flags word of a v2 header. */
static int
parse_v2(struct l2tp_msg *m, struct rd *r)
{
	uint16_t f = m->flags, v16;
	size_t need = 6;

	m->has_length = (f & L2TP_F_L) != 0;
	m->has_seq = (f & L2TP_F_S) != 0;
	m->has_offset = (f & L2TP_F_O) != 0;
	m->priority = (f & L2TP_F_P) != 0;
	need += m->has_length ? 2 : 0;
	need += m->has_seq ? 4 : 0;
	need += m->has_offset ? 2 : 0;
	/* Compute the header length from the flags before reading. */
	if (r->left + 2 < need)
		return short_by(m, 0, need, "L2TPv2 header");
	if (m->has_length)
		rd_u16(r, &m->length);
	rd_u16(r, &v16);
	m->tunnel = v16;
	rd_u16(r, &v16);
	m->session = v16;
	if (m->has_seq) {
		rd_u16(r, &m->ns);
		rd_u16(r, &m->nr);
	}
	m->hdr_len = need;
	if (m->has_offset) {
		rd_u16(r, &m->offset_size);
		if (m->has_length && m->length >= need &&
		    m->length - need < m->offset_size) {
			l2tp_problem(m, L2TP_FAULT_MALFORMED, -1,
			             "Offset Size %u runs past the Length %u",
			             m->offset_size, m->length);
			return -L2TP_FAULT_MALFORMED;
		}
		if (rd_skip(r, m->offset_size) < 0)
			return short_by(m, need, m->offset_size,
			                "offset padding");
		m->hdr_len += m->offset_size;
	}
	if (f & L2TP_F_RSVD_V2)
		l2tp_problem(
		    m, L2TP_FAULT_RFC, -1,
		    "reserved header bits 0x%04x set (RFC 2661 says ignore; "
		    "xl2tpd drops such packets)",
		    f & L2TP_F_RSVD_V2);
	if (m->control) {
		if (!m->has_length || !m->has_seq) {
			l2tp_problem(m, L2TP_FAULT_MALFORMED, -1,
			             "control message without the %s bit%s",
			             !m->has_length && !m->has_seq ? "L and S"
			             : !m->has_length              ? "L"
			                                           : "S",
			             !m->has_length && !m->has_seq ? "s" : "");
		}
		if (m->has_offset || m->priority)
			l2tp_problem(m, L2TP_FAULT_RFC, -1,
			             "control message with the %s bit set",
			             m->has_offset ? "O" : "P");
	}
	return parse_body(m, r, m->wire_len - m->hdr_len);
}

/* v3 control header after the flags word (RFC 3931 §3.2.1). */
static int
parse_v3_control(struct l2tp_msg *m, struct rd *r, size_t base)
{
	m->has_length = (m->flags & L2TP_F_L) != 0;
	m->has_seq = (m->flags & L2TP_F_S) != 0;
	if (r->left < 10)
		return short_by(m, base, 12, "L2TPv3 control header");
	rd_u16(r, &m->length);
	rd_u32(r, &m->tunnel);
	rd_u16(r, &m->ns);
	rd_u16(r, &m->nr);
	m->hdr_len = base + 12;
	if (!m->has_length || !m->has_seq)
		l2tp_problem(m, L2TP_FAULT_MALFORMED, -1,
		             "L2TPv3 control message without the L and S bits");
	if (m->flags & L2TP_F_RSVD_V3)
		l2tp_problem(m, L2TP_FAULT_RFC, -1,
		             "reserved L2TPv3 header bits 0x%04x set",
		             m->flags & L2TP_F_RSVD_V3);
	m->has_length = true;
	m->has_seq = true;
	return parse_body(m, r, m->wire_len - m->hdr_len);
}

/* v3 data: Session ID, cookie, L2-specific sublayer (RFC 3931 §4.1, §4.6). */
static int
parse_v3_data(struct l2tp_msg *m, struct rd *r, const struct l2tp_parse_opts *o,
              size_t at)
{
	uint8_t clen = o ? o->v3_cookie_len : 0;
	uint32_t w;

	if (clen != 0 && clen != 4 && clen != 8) {
		l2tp_problem(m, L2TP_FAULT_UNSUPPORTED, -1,
		             "L2TPv3 cookie length %u (RFC 3931: 0, 4 or 8)",
		             clen);
		return -L2TP_FAULT_UNSUPPORTED;
	}
	if (clen) {
		struct rd c;

		if (rd_sub(r, clen, &c) < 0)
			return short_by(m, at, clen, "L2TPv3 cookie");
		m->cookie.p = c.p;
		m->cookie.len = clen;
		at += clen;
	}
	if (!o || !o->v3_no_sublayer) {
		if (rd_u32(r, &w) < 0)
			return short_by(m, at, 4, "L2-specific sublayer");
		m->has_sublayer = true;
		m->sublayer_s = (w & 0x40000000u) != 0;
		m->sublayer_seq = w & 0xffffffu;
		at += 4;
	}
	m->hdr_len = at;
	return parse_body(m, r, m->wire_len - m->hdr_len);
}

int
l2tp_parse(const uint8_t *buf, size_t caplen, size_t wire_len,
           enum l2tp_transport tr, const struct l2tp_parse_opts *opts,
           struct l2tp_msg *m)
{
	struct rd r;
	uint32_t sid;
	int rc;

	m->version = 0;
	m->flags = 0;
	m->control = m->has_length = m->has_seq = false;
	m->has_offset = m->priority = false;
	m->length = 0;
	m->tunnel = m->session = 0;
	m->ns = m->nr = m->offset_size = 0;
	m->hdr_len = 0;
	m->transport = tr;
	m->cookie.p = NULL;
	m->cookie.len = 0;
	m->has_sublayer = m->sublayer_s = false;
	m->sublayer_seq = 0;
	m->msg_type = L2TP_MSG_ZLB;
	m->navps = 0;
	m->avps_cut = false;
	m->payload.p = NULL;
	m->payload.len = 0;
	if (wire_len < caplen)
		wire_len = caplen;
	m->whole.p = buf;
	m->whole.len = caplen;
	m->wire_len = wire_len;
	m->fault = L2TP_FAULT_NONE;
	m->nproblems = 0;
	m->problems_dropped = 0;

	rd_init(&r, buf, caplen);
	if (tr == L2TP_IP) {
		if (rd_u32(&r, &sid) < 0)
			return short_by(m, 0, 4, "L2TPv3 session id");
		m->version = 3;
		if (sid != 0) {
			m->session = sid;
			rc = parse_v3_data(m, &r, opts, 4);
			return rc < 0 ? rc : 0;
		}
		if (rd_u16(&r, &m->flags) < 0)
			return short_by(m, 4, 2, "L2TPv3 control header");
		m->control = true;
		if ((m->flags & L2TP_F_VER) != 3 || !(m->flags & L2TP_F_T))
			l2tp_problem(m, L2TP_FAULT_MALFORMED, -1,
			             "L2TPv3 control over IP with flags 0x%04x",
			             m->flags);
		rc = parse_v3_control(m, &r, 4);
		return rc < 0 ? rc : 0;
	}

	if (rd_u16(&r, &m->flags) < 0)
		return short_by(m, 0, 2, "L2TP flags");
	m->version = m->flags & L2TP_F_VER;
	m->control = (m->flags & L2TP_F_T) != 0;
	switch (m->version) {
	case 2:
		rc = parse_v2(m, &r);
		break;
	case 3:
		if (m->control) {
			rc = parse_v3_control(m, &r, 0);
		} else {
			uint16_t rsvd;

			if (rd_u16(&r, &rsvd) < 0 || rd_u32(&r, &sid) < 0)
				return short_by(m, 2, 6, "L2TPv3 data header");
			m->session = sid;
			if ((m->flags & ~L2TP_F_VER) || rsvd)
				l2tp_problem(
				    m, L2TP_FAULT_RFC, -1,
				    "reserved L2TPv3 data header bits set "
				    "(0x%04x 0x%04x)",
				    m->flags & 0xfff0u, rsvd);
			if (sid == 0)
				l2tp_problem(
				    m, L2TP_FAULT_RFC, -1,
				    "L2TPv3 data with the reserved Session "
				    "ID 0");
			rc = parse_v3_data(m, &r, opts, 8);
		}
		break;
	case 1:
		l2tp_problem(m, L2TP_FAULT_UNSUPPORTED, -1,
		             "L2F (version 1), not L2TP");
		return -L2TP_FAULT_UNSUPPORTED;
	default:
		l2tp_problem(m, L2TP_FAULT_UNSUPPORTED, -1,
		             "unknown version %u (flags 0x%04x)", m->version,
		             m->flags);
		return -L2TP_FAULT_UNSUPPORTED;
	}
	return rc < 0 ? rc : 0;
}
