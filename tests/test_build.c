/* Tests of the L2TP builder: parse(build(m)) == m for every header form,
 * message type and AVP of the table (RFC 2661 §3.1, §4.1, §4.4, §6; RFC 3931
 * §3-4). */
#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/l2tp.h"
#include "decoder/proto.h"
#include "decoder/rd.h"
#include "tests/testlib.h"

static struct l2tp_msg M;
static uint8_t buf[4096];
static uint8_t scratch[65536];

static void
dump(const struct l2tp_msg *m)
{
	for (size_t i = 0; i < m->nproblems; i++)
		cr_log_info("  %s: %s", l2tp_fault_name(m->problems[i].kind),
		            m->problems[i].what);
}

static void
parse(size_t n)
{
	int rc = l2tp_parse(buf, n, n, M.transport, NULL, &M);

	dump(&M);
	cr_assert_eq(rc, 0);
}

/* What a sample value of an AVP decodes to. */
struct sample {
	uint8_t v[64];
	size_t len;
	uint64_t u;
};

/*
 * A value of a length the table allows, filled so that each kind has
 * something to check; strings are printable.
 */
static void
make_sample(const struct l2tp_avp_info *ai, struct sample *s)
{
	size_t len = ai->min_len == ai->max_len ? ai->min_len
	             : (size_t)ai->min_len + 5 <= ai->max_len
	                 ? (size_t)ai->min_len + 5
	                 : ai->max_len;

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < len; i++)
		s->v[i] = (uint8_t)('A' + i);
	s->len = len;
	switch (ai->kind) {
	case L2TP_V_U16:
	case L2TP_V_PROXY_TYPE:
		tl_u16(s->v, 0x1234);
		s->u = 0x1234;
		break;
	case L2TP_V_MSGTYPE:
		tl_u16(s->v, L2TP_HELLO);
		s->u = L2TP_HELLO;
		break;
	case L2TP_V_U32:
	case L2TP_V_FRAMING:
	case L2TP_V_BEARER:
		tl_u32(s->v, 0x12345673u);
		s->u = 0x12345673u;
		break;
	case L2TP_V_U64:
		if (len == 8) {
			tl_u32(s->v, 0x01020304u);
			tl_u32(s->v + 4, 0x05060708u);
			s->u = 0x0102030405060708ull;
		} else {
			tl_u32(s->v, 0x01020304u);
			s->u = 0x01020304u;
		}
		break;
	case L2TP_V_PROTOVER:
		s->v[0] = 1;
		s->v[1] = 0;
		s->u = 1;
		break;
	case L2TP_V_RESULT:
		tl_u16(s->v, 2);
		tl_u16(s->v + 2, 6);
		s->u = 2;
		break;
	case L2TP_V_Q931:
		tl_u16(s->v, 16);
		s->v[2] = 0x5a;
		s->u = 16;
		break;
	case L2TP_V_CALL_ERRORS:
	case L2TP_V_ACCM:
		s->v[0] = s->v[1] = 0;
		break;
	case L2TP_V_PPP_DISC:
		tl_u16(s->v, 3);
		tl_u16(s->v + 2, 0xc021);
		s->v[4] = 1;
		s->u = 3;
		break;
	default:
		break;
	}
}

static void
check_value(const struct l2tp_avp_info *ai, const struct l2tp_avp *a,
            const struct sample *s)
{
	struct l2tp_value v;
	int rc = l2tp_avp_value(a, &v);

	cr_assert_eq(rc, 0, "%s: value rc %d", ai->name, rc);
	cr_assert_eq(v.kind, ai->kind, "%s", ai->name);
	switch (ai->kind) {
	case L2TP_V_U16:
	case L2TP_V_U32:
	case L2TP_V_U64:
	case L2TP_V_MSGTYPE:
	case L2TP_V_FRAMING:
	case L2TP_V_BEARER:
	case L2TP_V_PROXY_TYPE:
	case L2TP_V_PROTOVER:
	case L2TP_V_PPP_DISC:
	case L2TP_V_Q931:
		cr_assert_eq(v.u, s->u, "%s: %llu", ai->name,
		             (unsigned long long)v.u);
		break;
	case L2TP_V_RESULT:
		cr_assert_eq(v.result, 2);
		cr_assert(v.has_error);
		cr_assert_eq(v.error, 6);
		cr_assert(v.has_message);
		cr_assert_eq(v.b.len, s->len - 4);
		break;
	case L2TP_V_CALL_ERRORS:
		cr_assert_eq(v.errs[0], 0x43444546u);
		cr_assert_eq(v.errs[5], 0x5758595au);
		break;
	case L2TP_V_ACCM:
		cr_assert_eq(v.send_accm, 0x43444546u);
		cr_assert_eq(v.recv_accm, 0x4748494au);
		break;
	default:
		cr_assert_eq(v.b.len, s->len, "%s", ai->name);
		if (s->len)
			cr_assert(memcmp(v.b.p, s->v, s->len) == 0);
		break;
	}
	if (ai->kind == L2TP_V_PROTOVER)
		cr_assert_eq(v.rev, 0);
	if (ai->kind == L2TP_V_Q931)
		cr_assert_eq(v.q931_msg, 0x5a);
	if (ai->kind == L2TP_V_PPP_DISC) {
		cr_assert_eq(v.ppp_proto, 0xc021);
		cr_assert_eq(v.ppp_dir, 1);
	}
}

/* The first message type an AVP may appear in (HELLO for "any"). */
static int
home_msg(const struct l2tp_avp_info *ai)
{
	if (ai->in_msgs == 0xffffffffu)
		return L2TP_HELLO;
	for (int t = 1; t < 32; t++)
		if (ai->in_msgs & (1u << t))
			return t;
	return L2TP_HELLO;
}

/*
 * Every AVP of the table, built plain and (when it may be) hidden, parses
 * back to the same vendor, type, flags, length and value, and its typed
 * value is the one encoded.
 */
Test(build, every_avp_of_the_table)
{
	size_t n;
	const struct l2tp_avp_info *t = l2tp_avp_table(&n);
	size_t checked = 0, hidden = 0;

	cr_assert_gt(n, 80);
	for (size_t i = 0; i < n; i++) {
		const struct l2tp_avp_info *ai = &t[i];
		bool m = ai->mrule != L2TP_M_CLEAR;
		struct l2tp_builder b;
		struct sample s;
		int len;

		if (ai->vendor == 0 && ai->type == L2TP_AVP_MESSAGE_TYPE)
			continue; /* the first AVP of every message below */
		make_sample(ai, &s);
		for (int hide = 0; hide < 2; hide++) {
			const char *sec[] = {TL_SECRET};

			if (hide && !ai->hideable)
				continue;
			l2tp_build_control(&b, buf, sizeof(buf), 1, 2, 3, 4);
			l2tp_build_msg_type(&b, (uint16_t)home_msg(ai));
			if (hide) {
				l2tp_build_random_vector(&b, tl_rv, 16,
				                         TL_SECRET);
				l2tp_build_hidden(&b, m, ai->vendor, ai->type,
				                  s.v, s.len,
				                  (const uint8_t *)"xyz", 3);
			} else {
				l2tp_build_avp(&b, m, false, ai->vendor,
				               ai->type, s.v, s.len);
			}
			len = l2tp_build_end(&b);
			cr_assert_gt(len, 0, "%s", ai->name);
			M.transport = L2TP_UDP;
			parse((size_t)len);
			cr_assert_eq(M.navps, 2u + (unsigned)hide, "%s",
			             ai->name);
			{
				const struct l2tp_avp *a = &M.avps[1 + hide];
				size_t vl = hide ? 2 + s.len + 3 : s.len;

				cr_assert_eq(a->vendor, ai->vendor);
				cr_assert_eq(a->type, ai->type);
				cr_assert_eq(a->m, m, "%s", ai->name);
				cr_assert_eq(a->h, (bool)hide, "%s", ai->name);
				cr_assert_eq(a->rsvd, 0);
				cr_assert_eq(a->len, 6 + vl, "%s", ai->name);
				cr_assert_eq(a->value.len, vl);
				if (!hide && s.len)
					cr_assert(memcmp(a->value.p, s.v,
					                 s.len) == 0);
				if (hide) {
					cr_assert_eq(
					    l2tp_avp_value(
					        a, &(struct l2tp_value){0}),
					    -L2TP_FAULT_UNSUPPORTED);
					cr_assert_eq(
					    l2tp_unhide(&M, sec, 1, scratch,
					                sizeof(scratch)),
					    1, "%s", ai->name);
					cr_assert(a->decrypted);
					cr_assert_eq(a->secret_idx, 0);
					cr_assert_eq(a->plain.len, s.len);
					hidden++;
				}
				check_value(ai, a, &s);
			}
			/* no decoding fault: only RFC notes (e.g. the
			 * message then lacks its mandatory AVPs) */
			for (size_t k = 0; k < M.nproblems; k++)
				cr_assert_eq(M.problems[k].kind, L2TP_FAULT_RFC,
				             "%s: %s", ai->name,
				             M.problems[k].what);
			checked++;
		}
	}
	cr_assert_gt(checked, 100);
	cr_assert_gt(hidden, 30);
}

/* A sample of an IETF AVP, for building messages from the table. */
static void
add_sample(struct l2tp_builder *b, uint16_t type)
{
	const struct l2tp_avp_info *ai = l2tp_avp_info(0, type);
	struct sample s;

	cr_assert_not_null(ai);
	make_sample(ai, &s);
	l2tp_build_avp(b, ai->mrule != L2TP_M_CLEAR, false, 0, type, s.v,
	               s.len);
}

/*
 * Every message type of the table, built with its mandatory AVPs, parses
 * back to the same type with no problem at all: the mandatory-AVP table
 * and the "may carry" table agree.  Without each mandatory AVP in turn,
 * the parser names the missing one.
 */
Test(build, every_message_type)
{
	size_t n;
	const struct l2tp_msg_info *t = l2tp_msg_table(&n);

	cr_assert_geq(n, 17);
	for (size_t i = 0; i < n; i++) {
		uint64_t req = l2tp_msg_required(t[i].type);

		for (int drop = -1; drop < 64; drop++) {
			struct l2tp_builder b;
			int len;
			char want[96];
			char nb[32];

			if (drop >= 0 && !(req & ((uint64_t)1 << drop)))
				continue;
			l2tp_build_control(&b, buf, sizeof(buf), 7,
			                   t[i].session_scope ? 9 : 0, 100,
			                   200);
			l2tp_build_msg_type(&b, t[i].type);
			for (uint16_t a = 1; a < 64; a++)
				if ((req & ((uint64_t)1 << a)) && a != drop)
					add_sample(&b, a);
			len = l2tp_build_end(&b);
			cr_assert_gt(len, 0);
			M.transport = L2TP_UDP;
			parse((size_t)len);
			cr_assert_eq(M.msg_type, t[i].type);
			cr_assert_eq(M.tunnel, 7);
			cr_assert_eq(M.ns, 100);
			cr_assert_eq(M.nr, 200);
			if (drop < 0) {
				cr_assert_eq(M.fault, L2TP_FAULT_NONE, "%s",
				             t[i].name);
				continue;
			}
			snprintf(
			    want, sizeof(want),
			    "%s without the mandatory %s AVP", t[i].name,
			    l2tp_avp_name(0, (uint16_t)drop, nb, sizeof(nb)));
			cr_assert_eq(M.fault, L2TP_FAULT_RFC);
			cr_assert_str_eq(M.problems[0].what, want);
		}
	}
}

/* Header fields, every form (RFC 2661 §3.1, RFC 3931 §3.2.1, §4.1). */
Test(build, header_round_trip)
{
	static const uint16_t ids[] = {0, 1, 0x7fff, 0x8000, 0xffff};
	static const uint8_t cookie[8] = {9, 8, 7, 6, 5, 4, 3, 2};
	static const uint8_t pl[5] = {0xff, 0x03, 0xc0, 0x21, 0x09};
	struct l2tp_builder b;
	int len;

	for (size_t i = 0; i < 5; i++)
		for (size_t j = 0; j < 5; j++) {
			l2tp_build_control(&b, buf, sizeof(buf), ids[i], ids[j],
			                   ids[j], ids[i]);
			len = l2tp_build_end(&b);
			cr_assert_eq(len, 12);
			M.transport = L2TP_UDP;
			parse(12);
			cr_assert_eq(M.fault, L2TP_FAULT_NONE);
			cr_assert_eq(M.flags, 0xc802);
			cr_assert_eq(M.length, 12);
			cr_assert_eq(M.tunnel, ids[i]);
			cr_assert_eq(M.session, ids[j]);
			cr_assert_eq(M.ns, ids[j]);
			cr_assert_eq(M.nr, ids[i]);
			cr_assert_eq(M.msg_type, L2TP_MSG_ZLB);
		}
	/* v2 data: every combination of L, S, O, P and offsets 0..3 */
	for (unsigned f = 0; f < 16; f++)
		for (uint16_t off = 0; off < 4; off++) {
			uint16_t fl = 2 | (f & 1 ? L2TP_F_L : 0) |
			              (f & 2 ? L2TP_F_S : 0) |
			              (f & 4 ? L2TP_F_O : 0) |
			              (f & 8 ? L2TP_F_P : 0);

			if (!(fl & L2TP_F_O) && off)
				continue;
			l2tp_build_data(&b, buf, sizeof(buf), fl, 0x1234,
			                0x5678, 0xabcd, 0x0102, off, pl,
			                sizeof(pl));
			len = l2tp_build_end(&b);
			cr_assert_gt(len, 0);
			M.transport = L2TP_UDP;
			parse((size_t)len);
			cr_assert_eq(M.fault, L2TP_FAULT_NONE, "flags %04x",
			             fl);
			cr_assert_eq(M.flags, fl);
			cr_assert(!M.control);
			cr_assert_eq(M.has_length, (fl & L2TP_F_L) != 0);
			cr_assert_eq(M.has_seq, (fl & L2TP_F_S) != 0);
			cr_assert_eq(M.has_offset, (fl & L2TP_F_O) != 0);
			cr_assert_eq(M.priority, (fl & L2TP_F_P) != 0);
			if (fl & L2TP_F_L)
				cr_assert_eq(M.length, (uint16_t)len);
			if (fl & L2TP_F_S) {
				cr_assert_eq(M.ns, 0xabcd);
				cr_assert_eq(M.nr, 0x0102);
			}
			cr_assert_eq(M.offset_size, off);
			cr_assert_eq(M.tunnel, 0x1234);
			cr_assert_eq(M.session, 0x5678);
			cr_assert_eq(M.payload.len, sizeof(pl));
			cr_assert(memcmp(M.payload.p, pl, sizeof(pl)) == 0);
		}
	/* v3 control over UDP and IP */
	for (int tr = 0; tr < 2; tr++) {
		l2tp_build_v3_control(&b, buf, sizeof(buf),
		                      (enum l2tp_transport)tr, 0xdeadbeefu,
		                      0xffff, 0);
		l2tp_build_msg_type(&b, L2TP_HELLO);
		len = l2tp_build_end(&b);
		cr_assert_eq(len, tr ? 24 : 20);
		M.transport = (enum l2tp_transport)tr;
		parse((size_t)len);
		cr_assert_eq(M.fault, L2TP_FAULT_NONE);
		cr_assert_eq(M.version, 3);
		cr_assert_eq(M.length, 20);
		cr_assert_eq(M.tunnel, 0xdeadbeefu);
		cr_assert_eq(M.ns, 0xffff);
		cr_assert_eq(M.nr, 0);
		cr_assert_eq(M.msg_type, L2TP_HELLO);
	}
	/* v3 data: cookies 0, 4, 8, sublayer on and off, S bit */
	for (int tr = 0; tr < 2; tr++)
		for (size_t cl = 0; cl <= 8; cl += 4)
			for (int sub = 0; sub < 3; sub++) {
				struct l2tp_parse_opts o = {
				    .v3_cookie_len = (uint8_t)cl,
				    .v3_no_sublayer = sub == 0};

				l2tp_build_v3_data(&b, buf, sizeof(buf),
				                   (enum l2tp_transport)tr,
				                   0x00abcdefu, cookie, cl,
				                   sub != 0, sub == 2, 0x123456,
				                   pl, sizeof(pl));
				len = l2tp_build_end(&b);
				cr_assert_eq((size_t)len, (tr ? 4u : 8u) + cl +
				                              (sub ? 4u : 0u) +
				                              sizeof(pl));
				cr_assert_eq(
				    l2tp_parse(buf, (size_t)len, (size_t)len,
				               (enum l2tp_transport)tr, &o, &M),
				    0);
				cr_assert_eq(M.fault, L2TP_FAULT_NONE);
				cr_assert_eq(M.version, 3);
				cr_assert(!M.control);
				cr_assert_eq(M.session, 0x00abcdefu);
				cr_assert_eq(M.cookie.len, cl);
				if (cl)
					cr_assert(memcmp(M.cookie.p, cookie,
					                 cl) == 0);
				cr_assert_eq(M.has_sublayer, sub != 0);
				cr_assert_eq(M.sublayer_s, sub == 2);
				if (sub)
					cr_assert_eq(M.sublayer_seq, 0x123456);
				cr_assert_eq(M.payload.len, sizeof(pl));
			}
}

/* The builder writes the bytes the RFC describes (hand-written here). */
Test(build, known_bytes)
{
	static const uint8_t hello[] = {
	    0xc8, 0x02, 0x00, 0x14, 0x12, 0x34, 0x56, 0x78, 0xff, 0xfe,
	    0x00, 0x01, 0x80, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06};
	static const uint8_t stop[] = {
	    0xc8, 0x02, 0x00, 0x24, 0x00, 0x07, 0x00, 0x00, 0x00,
	    0x02, 0x00, 0x03, 0x80, 0x08, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x04, 0x80, 0x10, 0x00, 0x00, 0x00, 0x01, 0x00,
	    0x02, 0x00, 0x06, 'a',  'b',  'c',  'd',  'e',  'f'};
	static const uint8_t v3ip[] = {0, 0, 0, 0, 0xc8, 0x03, 0x00, 0x0c,
	                               0, 0, 0, 9, 0,    1,    0,    2};
	struct l2tp_builder b;

	l2tp_build_control(&b, buf, sizeof(buf), 0x1234, 0x5678, 0xfffe, 1);
	l2tp_build_msg_type(&b, L2TP_HELLO);
	cr_assert_eq(l2tp_build_end(&b), (int)sizeof(hello));
	cr_assert(memcmp(buf, hello, sizeof(hello)) == 0);

	l2tp_build_control(&b, buf, sizeof(buf), 7, 0, 2, 3);
	l2tp_build_msg_type(&b, L2TP_STOPCCN);
	l2tp_build_result(&b, 2, 6, "abcdef");
	cr_assert_eq(l2tp_build_end(&b), (int)sizeof(stop));
	cr_assert(memcmp(buf, stop, sizeof(stop)) == 0);

	l2tp_build_v3_control(&b, buf, sizeof(buf), L2TP_IP, 9, 1, 2);
	cr_assert_eq(l2tp_build_end(&b), (int)sizeof(v3ip));
	cr_assert(memcmp(buf, v3ip, sizeof(v3ip)) == 0);
}

/* Result Code forms: result only, with error, with message (§4.4.2). */
Test(build, result_code_forms)
{
	struct l2tp_builder b;
	struct l2tp_value v;
	int len;

	for (int form = 0; form < 4; form++) {
		l2tp_build_control(&b, buf, sizeof(buf), 1, 0, 0, 0);
		l2tp_build_msg_type(&b, L2TP_STOPCCN);
		l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 1);
		l2tp_build_result(
		    &b, 4, form == 0 ? -1 : 7,
		    form >= 2 ? (form == 2 ? "x" : "not authorized") : NULL);
		len = l2tp_build_end(&b);
		M.transport = L2TP_UDP;
		parse((size_t)len);
		cr_assert_eq(M.fault, L2TP_FAULT_NONE);
		cr_assert_eq(l2tp_avp_value(&M.avps[2], &v), 0);
		cr_assert_eq(v.result, 4);
		cr_assert_eq(v.has_error, form != 0);
		if (form)
			cr_assert_eq(v.error, 7);
		cr_assert_eq(v.has_message, form >= 2);
		if (form == 3) {
			cr_assert_eq(v.b.len, 14);
			cr_assert(memcmp(v.b.p, "not authorized", 14) == 0);
		}
	}
	/* A message with no error code gets error 0 before it. */
	l2tp_build_control(&b, buf, sizeof(buf), 1, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_STOPCCN);
	l2tp_build_result(&b, 1, -1, "bye");
	len = l2tp_build_end(&b);
	parse((size_t)len);
	cr_assert_eq(l2tp_avp_value(&M.avps[1], &v), 0);
	cr_assert(v.has_error && v.error == 0 && v.has_message);
}

/* Errors are sticky: no room, oversized AVPs, hiding without a vector. */
Test(build, errors)
{
	struct l2tp_builder b;
	uint8_t small[16], big[1100];

	memset(big, 'a', sizeof(big));
	l2tp_build_control(&b, small, sizeof(small), 1, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_HELLO);
	cr_assert_eq(l2tp_build_end(&b), -1);
	l2tp_build_u16(&b, true, 9, 1);
	cr_assert_eq(l2tp_build_end(&b), -1, "sticky");

	l2tp_build_control(&b, buf, sizeof(buf), 1, 0, 0, 0);
	l2tp_build_avp(&b, true, false, 0, 7, big, 1018);
	cr_assert_eq(l2tp_build_end(&b), -1, "value > 1017 bytes");
	l2tp_build_control(&b, buf, sizeof(buf), 1, 0, 0, 0);
	l2tp_build_avp(&b, true, false, 0, 7, big, 1017);
	cr_assert_eq(l2tp_build_end(&b), 12 + 1023);

	l2tp_build_control(&b, buf, sizeof(buf), 1, 0, 0, 0);
	l2tp_build_hidden(&b, true, 0, 9, "\0\1", 2, NULL, 0);
	cr_assert_eq(l2tp_build_end(&b), -1, "hidden with no vector");
	l2tp_build_control(&b, buf, sizeof(buf), 1, 0, 0, 0);
	l2tp_build_random_vector(&b, tl_rv, 16, TL_SECRET);
	l2tp_build_hidden(&b, true, 0, 7, big, 1016, NULL, 0);
	cr_assert_eq(l2tp_build_end(&b), -1, "hidden value > 1015 bytes");

	/* a long message text is cut to fit one AVP */
	l2tp_build_control(&b, buf, sizeof(buf), 1, 0, 0, 0);
	big[sizeof(big) - 1] = 0;
	l2tp_build_result(&b, 2, 0, (const char *)big);
	cr_assert_eq(l2tp_build_end(&b), 12 + 1023);
	/* Length set by hand is kept */
	l2tp_build_control(&b, buf, sizeof(buf), 1, 0, 0, 0);
	l2tp_build_set_length(&b, 999);
	cr_assert_eq(l2tp_build_end(&b), 12);
	cr_assert_eq(buf[2] << 8 | buf[3], 999);
}

/* A Random Vector longer than 16 bytes is used whole (RFC 2661 §4.4.3). */
Test(build, long_random_vector)
{
	uint8_t rv[40];
	const char *sec[] = {TL_SECRET};
	struct l2tp_builder b;
	int len;

	for (size_t i = 0; i < sizeof(rv); i++)
		rv[i] = (uint8_t)(i * 7);
	l2tp_build_control(&b, buf, sizeof(buf), 1, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_ICRP);
	l2tp_build_random_vector(&b, rv, sizeof(rv), TL_SECRET);
	memset(rv, 0, sizeof(rv)); /* the builder must not need it now */
	l2tp_build_hidden(&b, true, 0, L2TP_AVP_ASSIGNED_SESSION_ID, "\1\2", 2,
	                  NULL, 0);
	len = l2tp_build_end(&b);
	M.transport = L2TP_UDP;
	parse((size_t)len);
	cr_assert_eq(M.avps[1].value.len, 40);
	cr_assert_eq(l2tp_unhide(&M, sec, 1, scratch, sizeof(scratch)), 1);
	cr_assert_eq(M.avps[2].plain.len, 2);
	cr_assert_eq(M.avps[2].plain.p[1], 2);
}

/* build(parse(x)) == x for every real xl2tpd packet, byte for byte. */
Test(build, rebuild_xl2tpd_capture)
{
	char path[4096], eb[PCAP_ERRBUF_SIZE];
	const char *src = getenv("TESTDATA"); /* tests/data */
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *pc;
	int frames = 0;
	static uint8_t orig[2048];

	snprintf(path, sizeof(path), "%s/xl2tpd-auth.pcap",
	         src ? src : TESTDATA);
	pc = pcap_open_offline(path, eb);
	cr_assert_not_null(pc, "%s", eb);
	while (pcap_next_ex(pc, &h, &d) == 1) {
		/* Ethernet 14, IPv4 20 (no options in this file), UDP 8 */
		size_t n = h->caplen - 42;
		struct l2tp_builder b;

		cr_assert_gt(h->caplen, 42);
		memcpy(orig, d + 42, n);
		cr_assert_eq(l2tp_parse(orig, n, n, L2TP_UDP, NULL, &M), 0);
		l2tp_build_header(&b, buf, sizeof(buf), M.flags,
		                  (uint16_t)M.tunnel, (uint16_t)M.session, M.ns,
		                  M.nr, 0);
		for (size_t i = 0; i < M.navps; i++)
			l2tp_build_avp(&b, M.avps[i].m, M.avps[i].h,
			               M.avps[i].vendor, M.avps[i].type,
			               M.avps[i].value.p, M.avps[i].value.len);
		cr_assert_eq(l2tp_build_end(&b), (int)n);
		cr_assert(memcmp(buf, orig, n) == 0, "frame %d", frames + 1);
		frames++;
	}
	pcap_close(pc);
	cr_assert_eq(frames, 13);
}
