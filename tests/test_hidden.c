/* Tests of hidden AVPs and tunnel authentication digests: known answers, round
 * trips, wrong secrets, the real xl2tpd exchange (RFC 2661 §4.3, §4.4.3,
 * §5.1.1). */
#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/l2tp.h"
#include "decoder/proto.h"
#include "tests/testlib.h"

static struct l2tp_msg M;
static uint8_t scratch[65536];

static const uint8_t *const SEC = (const uint8_t *)TL_SECRET;
#define SLEN (sizeof(TL_SECRET) - 1)

static void
unhex(const char *h, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		cr_assert_eq(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static bool
has_problem(const struct l2tp_msg *m, enum l2tp_fault k, const char *sub)
{
	for (size_t i = 0; i < m->nproblems; i++)
		if (m->problems[i].kind == k &&
		    strstr(m->problems[i].what, sub) != NULL)
			return true;
	return false;
}

/*
 * Known answers computed outside this code base, with Python's hashlib:
 * b1 = md5(b'\x00\x09' + secret + rv), c = p ^ b for the 2-byte length and
 * value; the long one spans three 16-byte blocks with bi = md5(secret +
 * c(i-1)).
 */
Test(hidden, keystream_known_answers)
{
	uint8_t out[64], want[64];

	l2tp_hide(9, SEC, SLEN, tl_rv, 16, (const uint8_t *)"\x12\x34", 2, NULL,
	          0, out);
	unhex("11c9c53f", want, 4);
	cr_assert(memcmp(out, want, 4) == 0);

	l2tp_hide(22, SEC, SLEN, tl_rv, 16,
	          (const uint8_t *)"5550199-a-long-number", 21,
	          (const uint8_t *)"PADPADPADPA", 11, out);
	unhex("7f981fcd6a2f384605a55d73790c0a2acb44ec85ed0cedbfa2db2ee15c46"
	      "319110cf",
	      want, 34);
	cr_assert(memcmp(out, want, 34) == 0);
	cr_assert_eq(l2tp_unhide_value(22, SEC, SLEN, tl_rv, 16, want, 34, out),
	             21);
	cr_assert(memcmp(out, "5550199-a-long-number", 21) == 0);
}

/* Hide then unhide: value lengths 0..40, paddings across block edges. */
Test(hidden, round_trip_lengths_and_padding)
{
	static const size_t pads[] = {0, 1, 2, 13, 14, 16, 17, 30, 33};
	uint8_t val[40], pad[40], c[128], p[128];

	for (size_t i = 0; i < sizeof(val); i++) {
		val[i] = (uint8_t)(0xa0 + i);
		pad[i] = (uint8_t)(0x11 * i);
	}
	for (size_t len = 0; len <= 40; len++)
		for (size_t k = 0; k < sizeof(pads) / sizeof(pads[0]); k++) {
			size_t pl = pads[k], cl = 2 + len + pl;
			int n;

			l2tp_hide((uint16_t)(len + 1), SEC, SLEN, tl_rv, 16,
			          val, len, pad, pl, c);
			/* the length field is hidden too */
			if (len)
				cr_assert(memcmp(c + 2, val, len) != 0 ||
				          len < 2);
			n = l2tp_unhide_value((uint16_t)(len + 1), SEC, SLEN,
			                      tl_rv, 16, c, cl, p);
			cr_assert_eq(n, (int)len, "len %zu pad %zu", len, pl);
			cr_assert(len == 0 || memcmp(p, val, len) == 0);
			/* in place, cipher and plain in one buffer */
			memcpy(p, c, cl);
			n = l2tp_unhide_value((uint16_t)(len + 1), SEC, SLEN,
			                      tl_rv, 16, p, cl, p);
			cr_assert_eq(n, (int)len);
			cr_assert(len == 0 || memcmp(p, val, len) == 0);
			/* another type gives another keystream */
			n = l2tp_unhide_value((uint16_t)(len + 2), SEC, SLEN,
			                      tl_rv, 16, c, cl, p);
			cr_assert(n != (int)len ||
			          (len && memcmp(p, val, len) != 0) ||
			          len == 0);
		}
	/* hiding in place: out == val */
	memcpy(p + 2, val, 20);
	l2tp_hide(5, SEC, SLEN, tl_rv, 16, p + 2, 20, NULL, 0, p);
	l2tp_hide(5, SEC, SLEN, tl_rv, 16, val, 20, NULL, 0, c);
	cr_assert(memcmp(p, c, 22) == 0);
}

Test(hidden, misfit_lengths)
{
	uint8_t c[8] = {0}, p[8];

	/* fewer than 2 bytes: no length field */
	cr_assert_eq(l2tp_unhide_value(9, SEC, SLEN, tl_rv, 16, c, 1, p), -1);
	cr_assert_eq(l2tp_unhide_value(9, SEC, SLEN, tl_rv, 16, c, 0, p), -1);
	/* a recovered length of 5 in 4 bytes: does not fit */
	l2tp_hide(9, SEC, SLEN, tl_rv, 16, (const uint8_t *)"abcde", 5, NULL, 0,
	          c);
	cr_assert_eq(l2tp_unhide_value(9, SEC, SLEN, tl_rv, 16, c, 6, p), -1);
	cr_assert_eq(l2tp_unhide_value(9, SEC, SLEN, tl_rv, 16, c, 7, p), 5);
}

static struct tl_pkt set[64];

static struct tl_pkt *
find_pkt(const char *name)
{
	int n = tl_valid_set(set, 64);

	for (int i = 0; i < n; i++)
		if (strcmp(set[i].name, name) == 0)
			return &set[i];
	cr_assert_fail("no packet %s", name);
	return NULL;
}

/* A whole message: two Random Vectors, each hidden AVP uses the latest. */
Test(hidden, unhide_message)
{
	struct tl_pkt *p = find_pkt("ICRQ hidden");
	const char *one[] = {TL_SECRET};
	const char *two[] = {"not-it", TL_SECRET};
	struct l2tp_value v;

	cr_assert_eq(l2tp_parse(p->b, p->len, p->len, L2TP_UDP, NULL, &M), 0);
	cr_assert_eq(M.fault, L2TP_FAULT_NONE);
	cr_assert_eq(l2tp_unhide(&M, NULL, 0, scratch, sizeof(scratch)), 0);
	cr_assert_eq(l2tp_avp_value(&M.avps[2], &v), -L2TP_FAULT_UNSUPPORTED);
	cr_assert_eq(l2tp_unhide(&M, one, 1, scratch, sizeof(scratch)), 4);
	cr_assert_eq(M.fault, L2TP_FAULT_NONE);
	cr_assert_eq(l2tp_avp_value(&M.avps[2], &v), 0);
	cr_assert_eq(v.u, 303);
	cr_assert_eq(l2tp_avp_value(&M.avps[3], &v), 0);
	cr_assert_eq(v.u, 9, "padding removed");
	cr_assert_eq(M.avps[5].plain.len, 21, "second vector used");
	cr_assert(memcmp(M.avps[5].plain.p, "5550199-a-long-number", 21) == 0);
	cr_assert_eq(M.avps[6].vendor, L2TP_VENDOR_BBF);
	cr_assert_eq(M.avps[6].plain.len, 14);
	/* again: already open, nothing more to do */
	cr_assert_eq(l2tp_unhide(&M, one, 1, scratch, sizeof(scratch)), 0);

	l2tp_parse(p->b, p->len, p->len, L2TP_UDP, NULL, &M);
	cr_assert_eq(l2tp_unhide(&M, two, 2, scratch, sizeof(scratch)), 4);
	for (int i = 2; i < 7; i++)
		if (M.avps[i].h)
			cr_assert_eq(M.avps[i].secret_idx, 1);
}

/*
 * A wrong secret: every hidden AVP is named, "wrong secret?", as
 * unsupported (the packet itself is fine).  A misfit almost always shows;
 * one that happens to fit the table is possible in principle, so the count
 * is checked against the hidden AVPs that did not open.
 */
Test(hidden, wrong_secret)
{
	struct tl_pkt *p = find_pkt("ICRQ hidden");
	const char *bad[] = {"wrong-secret-42"};
	int opened;
	size_t wrong = 0;

	l2tp_parse(p->b, p->len, p->len, L2TP_UDP, NULL, &M);
	opened = l2tp_unhide(&M, bad, 1, scratch, sizeof(scratch));
	cr_assert_eq(opened, 0);
	for (size_t i = 0; i < M.nproblems; i++)
		if (strstr(M.problems[i].what, "(wrong secret?)")) {
			cr_assert_eq(M.problems[i].kind,
			             L2TP_FAULT_UNSUPPORTED);
			wrong++;
		}
	cr_assert_eq(wrong, 4);
	cr_assert(has_problem(
	    &M, L2TP_FAULT_UNSUPPORTED,
	    "Assigned Session ID: hidden value opens with none of 1 secret "
	    "(wrong secret?)"));
	cr_assert(has_problem(&M, L2TP_FAULT_UNSUPPORTED,
	                      "Agent-Circuit-Id: hidden value"));
}

/* A length that fits the AVP but not the table is a misfit too. */
Test(hidden, table_bounds_misfit)
{
	uint8_t buf[256];
	struct l2tp_builder b;
	const char *one[] = {TL_SECRET};
	int n;

	l2tp_build_control(&b, buf, sizeof(buf), 1, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_ICRP);
	l2tp_build_random_vector(&b, tl_rv, 16, TL_SECRET);
	l2tp_build_hidden(&b, true, 0, L2TP_AVP_ASSIGNED_SESSION_ID, "abc", 3,
	                  NULL, 0);
	n = l2tp_build_end(&b);
	l2tp_parse(buf, (size_t)n, (size_t)n, L2TP_UDP, NULL, &M);
	cr_assert_eq(l2tp_unhide(&M, one, 1, scratch, sizeof(scratch)), 0);
	cr_assert(has_problem(&M, L2TP_FAULT_UNSUPPORTED, "wrong secret?"));
}

/* No Random Vector before it: the parser says so and nothing opens. */
Test(hidden, no_random_vector)
{
	uint8_t buf[256];
	struct l2tp_builder b;
	const char *one[] = {TL_SECRET};
	int n;

	l2tp_build_control(&b, buf, sizeof(buf), 1, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_ICRP);
	l2tp_build_avp(&b, true, true, 0, L2TP_AVP_ASSIGNED_SESSION_ID,
	               "\x11\x22\x33\x44", 4);
	l2tp_build_random_vector(&b, tl_rv, 16, TL_SECRET);
	n = l2tp_build_end(&b);
	l2tp_parse(buf, (size_t)n, (size_t)n, L2TP_UDP, NULL, &M);
	cr_assert(has_problem(&M, L2TP_FAULT_MALFORMED, "no Random Vector"));
	cr_assert_eq(l2tp_unhide(&M, one, 1, scratch, sizeof(scratch)), 0);
	cr_assert(!M.avps[1].decrypted);
}

/* Scratch too small: stops without writing past it. */
Test(hidden, small_scratch)
{
	struct tl_pkt *p = find_pkt("ICRQ hidden");
	const char *one[] = {TL_SECRET};
	uint8_t *tiny = malloc(5);

	cr_assert_not_null(tiny);
	l2tp_parse(p->b, p->len, p->len, L2TP_UDP, NULL, &M);
	cr_assert_eq(l2tp_unhide(&M, one, 1, tiny, 5), 1);
	free(tiny);
}

/* ---- The real xl2tpd exchange, read with libpcap ---- */

struct lab {
	uint8_t b[1600];
	size_t len;
};

static int
read_lab(const char *name, struct lab *out, int max)
{
	char path[4096], eb[PCAP_ERRBUF_SIZE];
	const char *src = getenv("TESTDATA"); /* tests/data */
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *pc;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s", src ? src : TESTDATA, name);
	pc = pcap_open_offline(path, eb);
	cr_assert_not_null(pc, "%s", eb);
	while (n < max && pcap_next_ex(pc, &h, &d) == 1) {
		/* Ethernet, IPv4 without options, UDP: 42 bytes */
		cr_assert_gt(h->caplen, 42);
		out[n].len = h->caplen - 42;
		memcpy(out[n].b, d + 42, out[n].len);
		n++;
	}
	pcap_close(pc);
	return n;
}

static struct lab lab[16];
static struct l2tp_msg M2;

static const struct l2tp_avp *
avp(const struct l2tp_msg *m, uint16_t type)
{
	const struct l2tp_avp *a = l2tp_find_avp(m, 0, type);

	cr_assert_not_null(a, "AVP %u", type);
	return a;
}

Test(hidden, xl2tpd_challenge_responses)
{
	uint8_t r[16];
	int n = read_lab("xl2tpd-auth.pcap", lab, 16);
	const struct l2tp_avp *ch, *cr;

	cr_assert_eq(n, 13);
	/* frame 1 SCCRQ carries the LAC's challenge; frame 2 SCCRP answers
	 * it with ID 2 and carries the LNS's; frame 3 SCCCN answers that
	 * with ID 3 */
	l2tp_parse(lab[0].b, lab[0].len, lab[0].len, L2TP_UDP, NULL, &M);
	l2tp_parse(lab[1].b, lab[1].len, lab[1].len, L2TP_UDP, NULL, &M2);
	cr_assert_eq(M.msg_type, L2TP_SCCRQ);
	cr_assert_eq(M2.msg_type, L2TP_SCCRP);
	ch = avp(&M, L2TP_AVP_CHALLENGE);
	cr = avp(&M2, L2TP_AVP_CHALLENGE_RESPONSE);
	l2tp_chap_response(L2TP_SCCRP, SEC, SLEN, ch->value.p, ch->value.len,
	                   r);
	cr_assert_eq(cr->value.len, 16);
	cr_assert(memcmp(r, cr->value.p, 16) == 0, "SCCRP response");
	/* the wrong ID or secret does not match */
	l2tp_chap_response(L2TP_SCCCN, SEC, SLEN, ch->value.p, ch->value.len,
	                   r);
	cr_assert(memcmp(r, cr->value.p, 16) != 0);

	ch = avp(&M2, L2TP_AVP_CHALLENGE);
	l2tp_parse(lab[2].b, lab[2].len, lab[2].len, L2TP_UDP, NULL, &M);
	cr_assert_eq(M.msg_type, L2TP_SCCCN);
	cr = avp(&M, L2TP_AVP_CHALLENGE_RESPONSE);
	l2tp_chap_response(L2TP_SCCCN, SEC, SLEN, ch->value.p, ch->value.len,
	                   r);
	cr_assert(memcmp(r, cr->value.p, 16) == 0, "SCCCN response");
	/* and the known answer, checked with Python's hashlib */
	{
		uint8_t want[16];

		unhex("f69990678b1a766d3ddb35e3544c3088", want, 16);
		cr_assert(memcmp(r, want, 16) == 0);
	}
}

/* In the bad-secret capture the LNS answered with the right secret; the
 * LAC, holding "wrong-secret-42", computed another digest and gave up. */
Test(hidden, xl2tpd_bad_secret_capture)
{
	uint8_t r[16];
	int n = read_lab("xl2tpd-badsecret.pcap", lab, 16);
	const struct l2tp_avp *ch, *cr;

	cr_assert_eq(n, 5);
	l2tp_parse(lab[0].b, lab[0].len, lab[0].len, L2TP_UDP, NULL, &M);
	l2tp_parse(lab[1].b, lab[1].len, lab[1].len, L2TP_UDP, NULL, &M2);
	ch = avp(&M, L2TP_AVP_CHALLENGE);
	cr = avp(&M2, L2TP_AVP_CHALLENGE_RESPONSE);
	l2tp_chap_response(2, SEC, SLEN, ch->value.p, ch->value.len, r);
	cr_assert(memcmp(r, cr->value.p, 16) == 0);
	l2tp_chap_response(2, (const uint8_t *)"wrong-secret-42", 15,
	                   ch->value.p, ch->value.len, r);
	cr_assert(memcmp(r, cr->value.p, 16) != 0);
	/* the StopCCN says why */
	l2tp_parse(lab[3].b, lab[3].len, lab[3].len, L2TP_UDP, NULL, &M);
	{
		struct l2tp_value v;

		cr_assert_eq(M.msg_type, L2TP_STOPCCN);
		cr_assert_eq(l2tp_avp_value(avp(&M, 1), &v), 0);
		cr_assert_eq(v.result, 2);
		cr_assert_eq(v.error, 6);
		cr_assert(v.has_message);
	}
}
