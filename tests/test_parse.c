/* Tests of the L2TP parser: valid packets, every truncation, malformed and
 * unsupported cases (RFC 2661 §3.1, §4.1, §4.4; RFC 3931 §3-4). */
#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/l2tp.h"
#include "decoder/proto.h"
#include "decoder/rd.h"
#include "tests/testlib.h"

static struct l2tp_msg M;

static bool
has_problem(const struct l2tp_msg *m, enum l2tp_fault k, const char *sub)
{
	for (size_t i = 0; i < m->nproblems; i++)
		if (m->problems[i].kind == k &&
		    (sub == NULL || strstr(m->problems[i].what, sub) != NULL))
			return true;
	return false;
}

static void
dump_problems(const struct l2tp_msg *m)
{
	for (size_t i = 0; i < m->nproblems; i++)
		cr_log_info("  %s: %s", l2tp_fault_name(m->problems[i].kind),
		            m->problems[i].what);
}

static int
parse_exact(const uint8_t *b, size_t cap, size_t wire, enum l2tp_transport tr,
            uint8_t cookie, struct l2tp_msg *m)
{
	/*
	 * An exactly sized copy, so a sanitizer sees any read past it; it
	 * lives until the next call, as the views in *m point into it.
	 */
	static uint8_t *c;
	struct l2tp_parse_opts o = {.v3_cookie_len = cookie};
	int rc;

	free(c);
	c = malloc(cap ? cap : 1);
	cr_assert_not_null(c);
	if (cap)
		memcpy(c, b, cap);
	rc = l2tp_parse(c, cap, wire, tr, &o, m);
	/* Every view must lie inside the buffer. */
	for (size_t i = 0; i < m->navps; i++) {
		cr_assert(m->avps[i].raw.p >= c &&
		          m->avps[i].raw.p + m->avps[i].raw.len <= c + cap);
	}
	if (m->payload.len)
		cr_assert(m->payload.p >= c &&
		          m->payload.p + m->payload.len <= c + cap);
	return rc;
}

static struct tl_pkt set[64];

Test(parse, valid_set_decodes_clean)
{
	int n = tl_valid_set(set, 64);

	cr_assert_gt(n, 30, "the valid set builds (%d)", n);
	for (int i = 0; i < n; i++) {
		struct tl_pkt *p = &set[i];
		int rc =
		    parse_exact(p->b, p->len, p->len, p->tr, p->cookie_len, &M);

		if (M.fault != L2TP_FAULT_NONE)
			dump_problems(&M);
		cr_assert_eq(rc, 0, "%s: rc %d", p->name, rc);
		cr_assert_eq(M.fault, L2TP_FAULT_NONE, "%s: %s", p->name,
		             M.nproblems ? M.problems[0].what : "");
		cr_assert_eq(M.version, p->version, "%s", p->name);
		cr_assert_eq(M.control, p->control, "%s", p->name);
		if (p->control) {
			cr_assert_eq(M.msg_type, p->msg_type, "%s: type %d",
			             p->name, M.msg_type);
			cr_assert_eq(M.navps, p->navps, "%s: %zu AVPs", p->name,
			             M.navps);
		} else {
			cr_assert_gt(M.payload.len, 0, "%s", p->name);
		}
	}
}

/*
 * The rule: every valid packet, cut at every shorter capture length
 * with its wire length kept, fails cleanly as truncated (and as nothing
 * worse: no malformed finding may come from a capture cut short).
 */
Test(parse, every_truncation_is_truncated)
{
	int n = tl_valid_set(set, 64);
	size_t cuts = 0;

	for (int i = 0; i < n; i++) {
		struct tl_pkt *p = &set[i];

		for (size_t cap = 0; cap < p->len; cap++) {
			int rc = parse_exact(p->b, cap, p->len, p->tr,
			                     p->cookie_len, &M);

			if (M.fault != L2TP_FAULT_TRUNCATED)
				dump_problems(&M);
			cr_assert(rc == 0 || rc == -L2TP_FAULT_TRUNCATED,
			          "%s cut at %zu: rc %d", p->name, cap, rc);
			cr_assert_eq(M.fault, L2TP_FAULT_TRUNCATED,
			             "%s cut at %zu: fault %s", p->name, cap,
			             l2tp_fault_name(M.fault));
			cr_assert(!has_problem(&M, L2TP_FAULT_MALFORMED, NULL),
			          "%s cut at %zu: malformed", p->name, cap);
			cr_assert(has_problem(&M, L2TP_FAULT_TRUNCATED,
			                      "capture ends"),
			          "%s cut at %zu", p->name, cap);
			cuts++;
		}
	}
	cr_assert_gt(cuts, 1500, "%zu cuts", cuts);
}

/* ---- The real xl2tpd capture: header fields read by hand ---- */

struct cap_pkt {
	uint8_t b[1600];
	size_t len;
};

static int
read_lab(const char *path, struct cap_pkt *out, int max)
{
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, eb);
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = 0;

	cr_assert_not_null(pc, "%s: %s", path, eb);
	cr_assert_eq(pcap_datalink(pc), DLT_EN10MB);
	while (n < max && pcap_next_ex(pc, &h, &d) == 1) {
		struct rd r;
		uint8_t vihl, proto;
		uint16_t et, ulen;

		rd_init(&r, d, h->caplen);
		if (rd_skip(&r, 12) < 0 || rd_u16(&r, &et) < 0 || et != 0x0800)
			continue;
		if (rd_u8(&r, &vihl) < 0 || rd_skip(&r, 8) < 0 ||
		    rd_u8(&r, &proto) < 0 || proto != 17 ||
		    rd_skip(&r, (size_t)(vihl & 15) * 4 - 10) < 0 ||
		    rd_skip(&r, 4) < 0 || rd_u16(&r, &ulen) < 0 ||
		    rd_skip(&r, 2) < 0 || ulen < 8 || r.left < ulen - 8u)
			continue;
		out[n].len = ulen - 8u;
		memcpy(out[n].b, r.p, out[n].len);
		n++;
	}
	pcap_close(pc);
	return n;
}

static struct cap_pkt lab[32];

Test(parse, xl2tpd_auth_capture)
{
	/* SCCRQ(0,0) SCCRP(0,1) SCCCN(1,1) ICRQ(2,1) ZLB(1,2) ICRP(1,3)
	 * ICCN(3,2) ZLB(2,3) ZLB(2,4) CDN(4,2) ZLB(2,5) StopCCN(5,2) ZLB,
	 * as tcpdump shows the file */
	static const struct {
		int type;
		uint16_t ns, nr;
	} want[] = {{1, 0, 0},  {2, 0, 1},  {3, 1, 1},  {10, 2, 1}, {-1, 1, 2},
	            {11, 1, 3}, {12, 3, 2}, {-1, 2, 3}, {-1, 2, 4}, {14, 4, 2},
	            {-1, 2, 5}, {4, 5, 2},  {-1, 2, 6}};
	char path[4096];
	const char *src = getenv("TESTDATA"); /* tests/data */
	int n;

	snprintf(path, sizeof(path), "%s/xl2tpd-auth.pcap",
	         src ? src : TESTDATA);
	n = read_lab(path, lab, 32);

	cr_assert_eq(n, 13);
	for (int i = 0; i < n; i++) {
		int rc = parse_exact(lab[i].b, lab[i].len, lab[i].len, L2TP_UDP,
		                     0, &M);

		dump_problems(&M);
		cr_assert_eq(rc, 0);
		cr_assert_eq(M.fault, L2TP_FAULT_NONE, "frame %d", i + 1);
		cr_assert_eq(M.flags, 0xc802, "frame %d", i + 1);
		cr_assert_eq(M.length, lab[i].len);
		cr_assert_eq(M.msg_type, want[i].type, "frame %d", i + 1);
		cr_assert_eq(M.ns, want[i].ns, "frame %d", i + 1);
		cr_assert_eq(M.nr, want[i].nr, "frame %d", i + 1);
		/* and every truncation of the real packets too */
		for (size_t cap = 0; cap < lab[i].len; cap++) {
			parse_exact(lab[i].b, cap, lab[i].len, L2TP_UDP, 0, &M);
			cr_assert_eq(M.fault, L2TP_FAULT_TRUNCATED);
		}
	}
	/* SCCRQ: Host Name "lac.lab", Assigned Tunnel ID, Challenge */
	parse_exact(lab[0].b, lab[0].len, lab[0].len, L2TP_UDP, 0, &M);
	{
		const struct l2tp_avp *a = l2tp_find_avp(&M, 0, 7);

		cr_assert_not_null(a);
		cr_assert_eq(a->value.len, 7);
		cr_assert(memcmp(a->value.p, "lac.lab", 7) == 0);
		cr_assert(a->m && !a->h);
		cr_assert_eq(M.tunnel, 0);
		cr_assert_eq(M.session, 0);
		a = l2tp_find_avp(&M, 0, L2TP_AVP_CHALLENGE);
		cr_assert_not_null(a);
		cr_assert_eq(a->value.len, 16);
		cr_assert_eq(a->value.p[0], 0xdc);
	}
	/* StopCCN: result 1 "Goodbye!" */
	parse_exact(lab[11].b, lab[11].len, lab[11].len, L2TP_UDP, 0, &M);
	{
		const struct l2tp_avp *a = l2tp_find_avp(&M, 0, 1);
		struct l2tp_value v;

		cr_assert_not_null(a);
		cr_assert_eq(l2tp_avp_value(a, &v), 0);
		cr_assert_eq(v.result, 1);
		cr_assert(v.has_message);
		cr_assert_eq(v.b.len, 8);
		cr_assert(memcmp(v.b.p, "Goodbye!", 8) == 0);
	}
}

/* ---- Hand-written bytes: the parser against the RFC, not the builder ---- */

Test(parse, hand_written_v2_header_fields)
{
	/* T L S ver 2, Length 20, tunnel 0x1234, session 0x5678, Ns 0xfffe,
	 * Nr 0x0001, one AVP: M, len 8, vendor 0, type 0, value 3 (SCCCN) */
	static const uint8_t scccn[] = {
	    0xc8, 0x02, 0x00, 0x14, 0x12, 0x34, 0x56, 0x78, 0xff, 0xfe,
	    0x00, 0x01, 0x80, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03};
	/* data: L O P, Length 14, tunnel 1, session 2, Offset Size 2, pad,
	 * then 2 payload bytes */
	static const uint8_t data[] = {0x43, 0x02, 0x00, 0x0e, 0x00,
	                               0x01, 0x00, 0x02, 0x00, 0x02,
	                               0xaa, 0xbb, 0xff, 0x03};

	cr_assert_eq(
	    parse_exact(scccn, sizeof(scccn), sizeof(scccn), L2TP_UDP, 0, &M),
	    0);
	cr_assert_eq(M.fault, L2TP_FAULT_NONE);
	cr_assert(M.control && M.has_length && M.has_seq && !M.has_offset);
	cr_assert_eq(M.length, 20);
	cr_assert_eq(M.tunnel, 0x1234);
	cr_assert_eq(M.session, 0x5678);
	cr_assert_eq(M.ns, 0xfffe);
	cr_assert_eq(M.nr, 1);
	cr_assert_eq(M.hdr_len, 12);
	cr_assert_eq(M.msg_type, L2TP_SCCCN);
	cr_assert_eq(M.avps[0].len, 8);

	cr_assert_eq(
	    parse_exact(data, sizeof(data), sizeof(data), L2TP_UDP, 0, &M), 0);
	cr_assert_eq(M.fault, L2TP_FAULT_NONE);
	cr_assert(!M.control && M.has_length && !M.has_seq && M.has_offset &&
	          M.priority);
	cr_assert_eq(M.offset_size, 2);
	cr_assert_eq(M.hdr_len, 12);
	cr_assert_eq(M.payload.len, 2);
	cr_assert_eq(M.payload.p[0], 0xff);
}

Test(parse, hand_written_v3)
{
	/* over IP: session 0, T L S ver 3, Length 20 (not counting the
	 * session word), CCID 0xa1b2c3d4, Ns 5, Nr 6, Message Type HELLO */
	static const uint8_t ipctl[] = {0,    0,    0,    0,    0xc8, 0x03,
	                                0x00, 0x14, 0xa1, 0xb2, 0xc3, 0xd4,
	                                0x00, 0x05, 0x00, 0x06, 0x80, 0x08,
	                                0x00, 0x00, 0x00, 0x00, 0x00, 0x06};
	/* over UDP data: 0x0003, reserved, session 0x0bb8, sublayer with S
	 * and seq 0x000102, payload */
	static const uint8_t udpdata[] = {0x00, 0x03, 0x00, 0x00, 0x00,
	                                  0x00, 0x0b, 0xb8, 0x40, 0x00,
	                                  0x01, 0x02, 0xca, 0xfe};
	/* over IP data: session 7, 4-byte cookie, sublayer, payload */
	static const uint8_t ipdata[] = {0, 0, 0, 7, 1, 2,   3,
	                                 4, 0, 0, 0, 0, 0xee};

	cr_assert_eq(
	    parse_exact(ipctl, sizeof(ipctl), sizeof(ipctl), L2TP_IP, 0, &M),
	    0);
	cr_assert_eq(M.fault, L2TP_FAULT_NONE);
	cr_assert_eq(M.version, 3);
	cr_assert(M.control);
	cr_assert_eq(M.tunnel, 0xa1b2c3d4u);
	cr_assert_eq(M.ns, 5);
	cr_assert_eq(M.nr, 6);
	cr_assert_eq(M.hdr_len, 16);
	cr_assert_eq(M.msg_type, L2TP_HELLO);

	cr_assert_eq(parse_exact(udpdata, sizeof(udpdata), sizeof(udpdata),
	                         L2TP_UDP, 0, &M),
	             0);
	cr_assert_eq(M.fault, L2TP_FAULT_NONE);
	cr_assert(!M.control);
	cr_assert_eq(M.session, 0x0bb8);
	cr_assert(M.has_sublayer && M.sublayer_s);
	cr_assert_eq(M.sublayer_seq, 0x102);
	cr_assert_eq(M.payload.len, 2);

	cr_assert_eq(
	    parse_exact(ipdata, sizeof(ipdata), sizeof(ipdata), L2TP_IP, 4, &M),
	    0);
	cr_assert_eq(M.fault, L2TP_FAULT_NONE);
	cr_assert_eq(M.session, 7);
	cr_assert_eq(M.cookie.len, 4);
	cr_assert_eq(M.cookie.p[3], 4);
	cr_assert_eq(M.payload.len, 1);
	/* the same bytes read with the wrong cookie length differ, and an
	 * impossible cookie length is refused */
	parse_exact(ipdata, sizeof(ipdata), sizeof(ipdata), L2TP_IP, 8, &M);
	cr_assert_eq(M.cookie.len, 8);
	cr_assert_eq(
	    parse_exact(ipdata, sizeof(ipdata), sizeof(ipdata), L2TP_IP, 5, &M),
	    -L2TP_FAULT_UNSUPPORTED);
	cr_assert(has_problem(&M, L2TP_FAULT_UNSUPPORTED, "cookie length 5"));
}

/* ---- Malformed, unsupported and RFC cases, table-driven ---- */

struct bad {
	const char *name;
	void (*make)(struct l2tp_builder *b, uint8_t *buf, size_t cap);
	enum l2tp_transport tr;
	uint8_t cookie;
	int rc;               /* expected l2tp_parse return */
	enum l2tp_fault kind; /* a problem of this kind ... */
	const char *what;     /* ... whose text holds this */
	int msg_type;         /* expected msg_type, or 99 to skip */
	long wire_delta;      /* wire length = built length + this */
};

static void
hdr(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_control(b, buf, cap, 1, 0, 0, 0);
}

#define AVPLEN(n)                                                              \
	static void mk_avplen##n(struct l2tp_builder *b, uint8_t *buf,         \
	                         size_t cap)                                   \
	{                                                                      \
		hdr(b, buf, cap);                                              \
		l2tp_build_msg_type(b, L2TP_HELLO);                            \
		l2tp_build_avp_raw(b, 0x8000 | n, 0, 7, "abcdef", 6);          \
	}
AVPLEN(0)
AVPLEN(1)
AVPLEN(2)
AVPLEN(3)
AVPLEN(4)
AVPLEN(5)

static void
mk_past_end(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_HELLO);
	l2tp_build_avp_raw(b, 0x8000 | 40, 0, 7, "lac.lab", 7);
}

static void
mk_stray(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_HELLO);
	l2tp_build_avp_raw(b, 0x8000 | 0, 0, 0, NULL, 0);
	b->len -= 2; /* 4 stray bytes */
}

static void
mk_len_big(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_HELLO);
	l2tp_build_set_length(b, 200);
}

static void
mk_len_small(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_HELLO);
	l2tp_build_set_length(b, 8);
}

static void
mk_len_short_of_wire(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_HELLO);
	l2tp_build_str(b, false, L2TP_AVP_VENDOR_NAME, "trailing");
	l2tp_build_set_length(b, 20);
}

static void
mk_no_l(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_header(b, buf, cap, L2TP_F_T | L2TP_F_S | 2, 1, 0, 0, 0, 0);
	l2tp_build_msg_type(b, L2TP_HELLO);
}

static void
mk_no_s(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_header(b, buf, cap, L2TP_F_T | L2TP_F_L | 2, 1, 0, 0, 0, 0);
	l2tp_build_msg_type(b, L2TP_HELLO);
}

static void
mk_no_ls(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_header(b, buf, cap, L2TP_F_T | 2, 1, 0, 0, 0, 0);
	l2tp_build_msg_type(b, L2TP_HELLO);
}

static void
mk_ctl_o(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_header(b, buf, cap,
	                  L2TP_F_T | L2TP_F_L | L2TP_F_S | L2TP_F_O | 2, 1, 0,
	                  0, 0, 0);
	l2tp_build_msg_type(b, L2TP_HELLO);
}

static void
mk_hidden_no_rv(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	uint8_t c[4] = {0x12, 0x34, 0x56, 0x78};

	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_ICRP);
	l2tp_build_avp(b, true, true, 0, L2TP_AVP_ASSIGNED_SESSION_ID, c, 4);
}

static void
mk_hidden_short(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_ICRP);
	l2tp_build_random_vector(b, tl_rv, 16, TL_SECRET);
	l2tp_build_avp(b, true, true, 0, L2TP_AVP_ASSIGNED_SESSION_ID, "x", 1);
}

static void
mk_mt_second(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_u16(b, true, L2TP_AVP_ASSIGNED_SESSION_ID, 5);
	l2tp_build_msg_type(b, L2TP_ICRP);
}

static void
mk_mt_hidden(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	uint8_t t[2] = {0, 6};

	hdr(b, buf, cap);
	l2tp_build_random_vector(b, tl_rv, 16, TL_SECRET);
	l2tp_build_hidden(b, true, 0, L2TP_AVP_MESSAGE_TYPE, t, 2, NULL, 0);
}

static void
mk_mt_missing(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_str(b, true, L2TP_AVP_HOST_NAME, "lac.lab");
}

static void
mk_mt_len3(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_avp(b, true, false, 0, 0, "\0\0\6", 3);
}

static void
mk_mt_unknown(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, 99);
}

static void
mk_rsvd_hdr(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_header(b, buf, cap,
	                  L2TP_F_T | L2TP_F_L | L2TP_F_S | 0x0010 | 2, 1, 0, 0,
	                  0, 0);
	l2tp_build_msg_type(b, L2TP_HELLO);
}

static void
mk_rsvd_avp(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_HELLO);
	l2tp_build_avp_raw(b, 0x0400 | 10, 0, 8, "abcd", 4);
}

static void
mk_rsvd_avp_m(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_HELLO);
	l2tp_build_avp_raw(b, 0x8000 | 0x1000 | 10, 0, 8, "abcd", 4);
}

static void
mk_fixed_wrong(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_ICRP);
	l2tp_build_avp(b, true, false, 0, L2TP_AVP_ASSIGNED_SESSION_ID, "abc",
	               3);
}

static void
mk_unknown_m(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_HELLO);
	l2tp_build_avp(b, true, false, 0, 99, "zz", 2);
}

static void
mk_unknown_vendor_m(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_HELLO);
	l2tp_build_avp(b, true, false, 4874, 12, "zz", 2);
}

static void
mk_too_many(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_HELLO);
	for (int i = 0; i < L2TP_MAX_AVPS + 3; i++)
		l2tp_build_avp(b, false, false, 0, 8, NULL, 0);
}

static void
mk_missing_required(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_SCCRQ);
	l2tp_build_str(b, true, L2TP_AVP_HOST_NAME, "lac.lab");
	l2tp_build_u32(b, true, L2TP_AVP_FRAMING_CAP, 3);
	l2tp_build_u16(b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 5);
}

static void
mk_m_clear(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_ICRP);
	l2tp_build_u16(b, false, L2TP_AVP_ASSIGNED_SESSION_ID, 5);
}

static void
mk_m_set(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_HELLO);
	l2tp_build_str(b, true, L2TP_AVP_VENDOR_NAME, "x");
}

static void
mk_not_hideable(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_SCCRQ);
	l2tp_build_random_vector(b, tl_rv, 16, TL_SECRET);
	l2tp_build_hidden(b, true, 0, L2TP_AVP_HOST_NAME, "lac", 3, NULL, 0);
}

static void
mk_zero_tid(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_STOPCCN);
	l2tp_build_u16(b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 0);
	l2tp_build_result(b, 1, -1, NULL);
}

static void
mk_wrong_msg(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_HELLO);
	l2tp_build_u32(b, true, L2TP_AVP_CALL_SERIAL, 1);
}

static void
mk_hello_sid(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_control(b, buf, cap, 1, 9, 0, 0);
	l2tp_build_msg_type(b, L2TP_HELLO);
}

static void
mk_protover(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	hdr(b, buf, cap);
	l2tp_build_msg_type(b, L2TP_SCCRQ);
	l2tp_build_avp(b, true, false, 0, 2, "\1\1", 2);
}

static void
mk_l2f(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_header(b, buf, cap, 0x0001, 1, 1, 0, 0, 0);
}

static void
mk_ver9(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_header(b, buf, cap, 0xc809, 1, 1, 0, 0, 0);
}

static void
mk_offset_past(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_data(b, buf, cap, L2TP_F_L | L2TP_F_O | 2, 1, 2, 0, 0, 6,
	                (const uint8_t *)"pp", 2);
	l2tp_build_set_length(b, 12);
}

static void
mk_offset_wire(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_data(b, buf, cap, L2TP_F_O | 2, 1, 2, 0, 0, 0, NULL, 0);
	buf[7] = 40; /* Offset Size 40 in an 8-byte datagram */
}

static void
mk_v3_ip_no_ls(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_v3_control(b, buf, cap, L2TP_IP, 1, 0, 0);
	l2tp_build_msg_type(b, L2TP_HELLO);
	buf[4] = 0x80; /* T only */
}

static void
mk_v3_ip_len_big(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_v3_control(b, buf, cap, L2TP_IP, 1, 0, 0);
	l2tp_build_msg_type(b, L2TP_HELLO);
	l2tp_build_set_length(b, 24); /* counts the session word: a lie */
}

static void
mk_v3_rsvd(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_v3_control(b, buf, cap, L2TP_UDP, 1, 0, 0);
	l2tp_build_msg_type(b, L2TP_HELLO);
	buf[1] |= 0x10;
}

static void
mk_v3_data_rsvd(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_v3_data(b, buf, cap, L2TP_UDP, 9, NULL, 0, true, false, 0,
	                   (const uint8_t *)"x", 1);
	buf[3] = 1;
}

static void
mk_v3_data_sid0(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	l2tp_build_v3_data(b, buf, cap, L2TP_UDP, 0, NULL, 0, true, false, 0,
	                   (const uint8_t *)"x", 1);
}

static void
mk_v3_data_short_cookie(struct l2tp_builder *b, uint8_t *buf, size_t cap)
{
	/* 8-byte cookie expected, datagram ends after 6 */
	l2tp_build_v3_data(b, buf, cap, L2TP_IP, 9, (const uint8_t *)"abcdef",
	                   6, false, false, 0, NULL, 0);
}

#define SKIP 99
static const struct bad bads[] = {
    {"AVP length 0", mk_avplen0, 0, 0, 0, L2TP_FAULT_MALFORMED, "length 0 < 6",
     L2TP_HELLO, 0},
    {"AVP length 1", mk_avplen1, 0, 0, 0, L2TP_FAULT_MALFORMED, "length 1 < 6",
     L2TP_HELLO, 0},
    {"AVP length 2", mk_avplen2, 0, 0, 0, L2TP_FAULT_MALFORMED, "length 2 < 6",
     L2TP_HELLO, 0},
    {"AVP length 3", mk_avplen3, 0, 0, 0, L2TP_FAULT_MALFORMED, "length 3 < 6",
     L2TP_HELLO, 0},
    {"AVP length 4", mk_avplen4, 0, 0, 0, L2TP_FAULT_MALFORMED, "length 4 < 6",
     L2TP_HELLO, 0},
    {"AVP length 5", mk_avplen5, 0, 0, 0, L2TP_FAULT_MALFORMED, "length 5 < 6",
     L2TP_HELLO, 0},
    {"AVP past the end", mk_past_end, 0, 0, 0, L2TP_FAULT_MALFORMED,
     "past the end", L2TP_HELLO, 0},
    {"stray bytes", mk_stray, 0, 0, 0, L2TP_FAULT_MALFORMED, "4 stray bytes",
     L2TP_HELLO, 0},
    {"Length > datagram", mk_len_big, 0, 0, 0, L2TP_FAULT_MALFORMED,
     "larger than the 20-byte datagram", L2TP_HELLO, 0},
    {"Length > datagram, capture cut", mk_len_big, 0, 0, 0,
     L2TP_FAULT_MALFORMED, "Length field 200", SKIP, 0},
    {"Length < header", mk_len_small, 0, 0, -L2TP_FAULT_MALFORMED,
     L2TP_FAULT_MALFORMED, "shorter than the 12-byte header", SKIP, 0},
    {"Length < datagram", mk_len_short_of_wire, 0, 0, 0, L2TP_FAULT_RFC,
     "14 bytes after the end", L2TP_HELLO, 0},
    {"no L bit", mk_no_l, 0, 0, 0, L2TP_FAULT_MALFORMED, "without the L bit",
     L2TP_HELLO, 0},
    {"no S bit", mk_no_s, 0, 0, 0, L2TP_FAULT_MALFORMED, "without the S bit",
     L2TP_HELLO, 0},
    {"no L and S bits", mk_no_ls, 0, 0, 0, L2TP_FAULT_MALFORMED,
     "without the L and S bits", L2TP_HELLO, 0},
    {"control with O", mk_ctl_o, 0, 0, 0, L2TP_FAULT_RFC, "with the O bit",
     L2TP_HELLO, 0},
    {"hidden without RV", mk_hidden_no_rv, 0, 0, 0, L2TP_FAULT_MALFORMED,
     "no Random Vector", L2TP_ICRP, 0},
    {"hidden too short", mk_hidden_short, 0, 0, 0, L2TP_FAULT_MALFORMED,
     "cannot hold the 2-byte", L2TP_ICRP, 0},
    {"Message Type second", mk_mt_second, 0, 0, 0, L2TP_FAULT_MALFORMED,
     "Message Type (ICRP) is AVP 1, must be the first", L2TP_MSG_NONE, 0},
    {"Message Type hidden", mk_mt_hidden, 0, 0, 0, L2TP_FAULT_MALFORMED,
     "Message Type is hidden", L2TP_MSG_NONE, 0},
    {"Message Type missing", mk_mt_missing, 0, 0, 0, L2TP_FAULT_MALFORMED,
     "no Message Type AVP", L2TP_MSG_NONE, 0},
    {"Message Type length 3", mk_mt_len3, 0, 0, 0, L2TP_FAULT_MALFORMED,
     "Message Type: value length 3, must be 2", L2TP_MSG_NONE, 0},
    {"unknown Message Type", mk_mt_unknown, 0, 0, 0, L2TP_FAULT_UNSUPPORTED,
     "unknown message type 99", 99, 0},
    {"reserved header bit", mk_rsvd_hdr, 0, 0, 0, L2TP_FAULT_RFC,
     "reserved header bits 0x0010", L2TP_HELLO, 0},
    {"reserved AVP bits M=0", mk_rsvd_avp, 0, 0, 0, L2TP_FAULT_RFC,
     "reserved AVP bits 0x1", L2TP_HELLO, 0},
    {"reserved AVP bits M=1", mk_rsvd_avp_m, 0, 0, 0, L2TP_FAULT_UNSUPPORTED,
     "reserved AVP bits 0x4 set with M=1", L2TP_HELLO, 0},
    {"fixed length wrong", mk_fixed_wrong, 0, 0, 0, L2TP_FAULT_MALFORMED,
     "Assigned Session ID: value length 3, must be 2", L2TP_ICRP, 0},
    {"unknown M=1 AVP", mk_unknown_m, 0, 0, 0, L2TP_FAULT_UNSUPPORTED,
     "unknown mandatory AVP AVP-#99", L2TP_HELLO, 0},
    {"unknown vendor M=1", mk_unknown_vendor_m, 0, 0, 0, L2TP_FAULT_UNSUPPORTED,
     "vendor 4874 type 12", L2TP_HELLO, 0},
    {"more AVPs than the table", mk_too_many, 0, 0, 0, L2TP_FAULT_UNSUPPORTED,
     "more than 128 AVPs", L2TP_HELLO, 0},
    {"mandatory AVP missing", mk_missing_required, 0, 0, 0, L2TP_FAULT_RFC,
     "SCCRQ without the mandatory Protocol Version AVP", L2TP_SCCRQ, 0},
    {"M clear where RFC says 1", mk_m_clear, 0, 0, 0, L2TP_FAULT_RFC,
     "M bit clear", L2TP_ICRP, 0},
    {"M set where RFC says 0", mk_m_set, 0, 0, 0, L2TP_FAULT_RFC, "M bit set",
     L2TP_HELLO, 0},
    {"hidden Host Name", mk_not_hideable, 0, 0, 0, L2TP_FAULT_RFC,
     "Host Name: must not be hidden", L2TP_SCCRQ, 0},
    {"Assigned Tunnel ID 0", mk_zero_tid, 0, 0, 0, L2TP_FAULT_RFC,
     "Assigned Tunnel ID: 0, must be non-zero", L2TP_STOPCCN, 0},
    {"AVP in the wrong message", mk_wrong_msg, 0, 0, 0, L2TP_FAULT_RFC,
     "Call Serial Number is not an AVP of HELLO", L2TP_HELLO, 0},
    {"Protocol Version 1.1", mk_protover, 0, 0, 0, L2TP_FAULT_RFC,
     "Protocol Version 1.1", L2TP_SCCRQ, 0},
    {"HELLO with a Session ID", mk_hello_sid, 0, 0, 0, L2TP_FAULT_RFC,
     "HELLO with Session ID 9 in the header, must be 0", L2TP_HELLO, 0},
    {"L2F", mk_l2f, 0, 0, -L2TP_FAULT_UNSUPPORTED, L2TP_FAULT_UNSUPPORTED,
     "L2F", SKIP, 0},
    {"version 9", mk_ver9, 0, 0, -L2TP_FAULT_UNSUPPORTED,
     L2TP_FAULT_UNSUPPORTED, "unknown version 9", SKIP, 0},
    {"Offset past Length", mk_offset_past, 0, 0, -L2TP_FAULT_MALFORMED,
     L2TP_FAULT_MALFORMED, "Offset Size 6 runs past the Length 12", SKIP, 0},
    {"Offset past datagram", mk_offset_wire, 0, 0, -L2TP_FAULT_MALFORMED,
     L2TP_FAULT_MALFORMED, "too short for the offset padding", SKIP, 0},
    {"v3 over IP without L and S", mk_v3_ip_no_ls, L2TP_IP, 0, 0,
     L2TP_FAULT_MALFORMED, "without the L and S bits", L2TP_HELLO, 0},
    {"v3 over IP Length lie", mk_v3_ip_len_big, L2TP_IP, 0, 0,
     L2TP_FAULT_MALFORMED, "Length field 24 is larger", L2TP_HELLO, 0},
    {"v3 reserved bits", mk_v3_rsvd, 0, 0, 0, L2TP_FAULT_RFC,
     "reserved L2TPv3 header bits 0x0010", L2TP_HELLO, 0},
    {"v3 data reserved", mk_v3_data_rsvd, 0, 0, 0, L2TP_FAULT_RFC,
     "reserved L2TPv3 data header bits", SKIP, 0},
    {"v3 data session 0", mk_v3_data_sid0, 0, 0, 0, L2TP_FAULT_RFC,
     "reserved Session ID 0", SKIP, 0},
    {"v3 data short cookie", mk_v3_data_short_cookie, L2TP_IP, 8,
     -L2TP_FAULT_MALFORMED, L2TP_FAULT_MALFORMED,
     "too short for the L2TPv3 cookie", SKIP, 0},
};

Test(parse, bad_cases)
{
	static uint8_t buf[4096];

	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *c = &bads[i];
		struct l2tp_builder b;
		int n, rc;
		size_t cap;

		memset(buf, 0, sizeof(buf));
		c->make(&b, buf, sizeof(buf));
		n = l2tp_build_end(&b);
		cr_assert_gt(n, 0, "%s builds", c->name);
		cap = (size_t)n;
		/* The "capture cut" variant: 16 of the 20 bytes captured. */
		if (strstr(c->name, "capture cut"))
			cap = 16;
		rc = parse_exact(buf, cap, (size_t)n, c->tr, c->cookie, &M);
		dump_problems(&M);
		cr_assert_eq(rc, c->rc, "%s: rc %d", c->name, rc);
		cr_assert(has_problem(&M, c->kind, c->what),
		          "%s: no %s problem with \"%s\"", c->name,
		          l2tp_fault_name(c->kind), c->what);
		/* Both can be true; truncated is then the worst. */
		cr_assert_eq(
		    M.fault,
		    strstr(c->name, "capture cut") ? L2TP_FAULT_TRUNCATED
		                                   : c->kind,
		    "%s: worst is %s", c->name, l2tp_fault_name(M.fault));
		if (c->msg_type != SKIP)
			cr_assert_eq(M.msg_type, c->msg_type, "%s: type %d",
			             c->name, M.msg_type);
		/* and every shorter capture of a bad packet ends cleanly */
		for (size_t k = 0; k < cap; k++) {
			parse_exact(buf, k, (size_t)n, c->tr, c->cookie, &M);
			cr_assert_neq(M.fault, L2TP_FAULT_NONE, "%s cut at %zu",
			              c->name, k);
		}
	}
}

Test(parse, too_many_avps_keeps_the_first_128)
{
	static uint8_t buf[4096];
	struct l2tp_builder b;
	int n;

	mk_too_many(&b, buf, sizeof(buf));
	n = l2tp_build_end(&b);
	parse_exact(buf, (size_t)n, (size_t)n, L2TP_UDP, 0, &M);
	cr_assert_eq(M.navps, L2TP_MAX_AVPS);
	cr_assert(M.avps_cut);
	/* cut: no "mandatory AVP missing" guess from a partial list */
	cr_assert(!has_problem(&M, L2TP_FAULT_RFC, "without the mandatory"));
}

Test(parse, problems_overflow_is_counted)
{
	static uint8_t buf[4096];
	struct l2tp_builder b;
	int n;

	hdr(&b, buf, sizeof(buf));
	l2tp_build_msg_type(&b, L2TP_HELLO);
	for (int i = 0; i < 20; i++)
		l2tp_build_avp(&b, true, false, 0, (uint16_t)(200 + i), NULL,
		               0);
	n = l2tp_build_end(&b);
	parse_exact(buf, (size_t)n, (size_t)n, L2TP_UDP, 0, &M);
	cr_assert_eq(M.nproblems, L2TP_MAX_PROBLEMS);
	cr_assert_eq(M.problems_dropped, 20 - L2TP_MAX_PROBLEMS);
	cr_assert_eq(M.fault, L2TP_FAULT_UNSUPPORTED);
}

/* RFC notes never crowd out a worse problem. */
Test(parse, worse_problems_push_out_notes)
{
	struct l2tp_msg *m = &M;

	memset(m, 0, sizeof(*m));
	for (int i = 0; i < L2TP_MAX_PROBLEMS + 4; i++)
		l2tp_problem(m, L2TP_FAULT_RFC, -1, "note %d", i);
	l2tp_problem(m, L2TP_FAULT_MALFORMED, -1, "bad");
	l2tp_problem(m, L2TP_FAULT_UNSUPPORTED, -1, "odd");
	l2tp_problem(m, L2TP_FAULT_RFC, -1, "late note");
	cr_assert_eq(m->nproblems, L2TP_MAX_PROBLEMS);
	cr_assert_eq(m->problems_dropped, 7);
	cr_assert_eq(m->fault, L2TP_FAULT_MALFORMED);
	cr_assert_str_eq(m->problems[0].what, "note 0");
	cr_assert_str_eq(m->problems[L2TP_MAX_PROBLEMS - 2].what, "bad");
	cr_assert_str_eq(m->problems[L2TP_MAX_PROBLEMS - 1].what, "odd");
}

Test(parse, fault_names)
{
	cr_assert_str_eq(l2tp_fault_name(L2TP_FAULT_TRUNCATED), "truncated");
	cr_assert_str_eq(l2tp_fault_name(L2TP_FAULT_MALFORMED), "malformed");
	cr_assert_str_eq(l2tp_fault_name(L2TP_FAULT_UNSUPPORTED),
	                 "unsupported");
	cr_assert_str_eq(l2tp_fault_name(L2TP_FAULT_NONE), "ok");
}

/* Truncated outranks malformed outranks unsupported outranks RFC. */
Test(parse, worst_fault_wins)
{
	struct l2tp_msg *m = &M;

	memset(m, 0, sizeof(*m));
	l2tp_problem(m, L2TP_FAULT_RFC, -1, "a");
	cr_assert_eq(m->fault, L2TP_FAULT_RFC);
	l2tp_problem(m, L2TP_FAULT_UNSUPPORTED, -1, "b");
	cr_assert_eq(m->fault, L2TP_FAULT_UNSUPPORTED);
	l2tp_problem(m, L2TP_FAULT_MALFORMED, -1, "c");
	l2tp_problem(m, L2TP_FAULT_RFC, -1, "d");
	cr_assert_eq(m->fault, L2TP_FAULT_MALFORMED);
	l2tp_problem(m, L2TP_FAULT_TRUNCATED, -1, "e %d", 5);
	cr_assert_eq(m->fault, L2TP_FAULT_TRUNCATED);
	cr_assert_str_eq(m->problems[4].what, "e 5");
}
