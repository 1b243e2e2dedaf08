/* Tests of LCP: options both ways, Nak and Reject, Max-Failure, magic loops,
 * echo keepalive, Protocol- and Code-Reject both ways, Terminate, renegotiation
 * and malformed packets (RFC 1661 §5-6). */
#include "test_ppp_harness.h"

#define LCP L2TP_PPP_LCP

/* One end alone; the test plays its peer. */
static struct ppair *
lone(int i)
{
	struct ppair *pr = ph_new();

	pr->wired = false;
	pr->cfg[i].echo_interval_ms = 0;
	ph_make(pr, i);
	ph_start(pr);
	return pr;
}

/* Ack our last Configure-Request as it is. */
static void
ack_ours(struct ppair *pr, int i)
{
	const struct pframe *f = ph_last(pr, i, LCP, 1);
	uint8_t b[256];

	cr_assert_not_null(f);
	memcpy(b, f->data, f->len);
	b[0] = 2;
	ph_feed(pr, i, LCP, b, f->len);
}

static const struct pframe *
peer_cr(struct ppair *pr, int i, uint8_t id, const uint8_t *opts, size_t n)
{
	uint8_t b[256];

	ph_feed(pr, i, LCP, b, ph_cp(b, 1, id, opts, n));
	return &pr->e[i].sent[pr->e[i].nsent - 1];
}

static uint32_t
our_magic(struct ppair *pr, int i)
{
	const struct pframe *f = ph_last(pr, i, LCP, 1);
	struct l2tp_ppp_cp cp;
	struct l2tp_ppp_opt o;
	struct rd r;

	cr_assert_eq(l2tp_ppp_read_cp(f->data, f->len, &cp), 0);
	rd_init(&r, cp.data.p, cp.data.len);
	while (l2tp_ppp_read_opt(&r, &o) == 1)
		if (o.type == 5)
			return (uint32_t)o.val.p[0] << 24 |
			       (uint32_t)o.val.p[1] << 16 |
			       (uint32_t)o.val.p[2] << 8 | o.val.p[3];
	return 0;
}

Test(ppp_lcp, options_each_way)
{
	struct ppair *pr = ph_new();
	struct l2tp_ppp_info s, v;

	pr->cfg[SRV].mru = 1462; /* as l2tpns asks */
	pr->cfg[SUB].mru = 1400;
	ph_up(pr);
	ph_info(pr, SUB, &s);
	ph_info(pr, SRV, &v);
	cr_assert_eq(s.lcp_state, L2TP_PPP_OPENED);
	cr_assert_eq(s.mru_local, 1400);
	cr_assert_eq(s.mru_peer, 1462);
	cr_assert_eq(v.mru_local, 1462);
	cr_assert_eq(v.mru_peer, 1400);
	cr_assert_neq(s.magic_local, 0);
	cr_assert_eq(s.magic_local, v.magic_peer);
	cr_assert_eq(v.magic_local, s.magic_peer);
	cr_assert_eq(s.auth_local.protocol, L2TP_PPP_CHAP);
	cr_assert_eq(s.auth_local.algorithm, 5);
	cr_assert_eq(v.auth_peer.protocol, L2TP_PPP_CHAP);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_UP,
	                           "LCP opened, MRU 1462, auth CHAP"));
	ph_free(pr);
}

Test(ppp_lcp, accm_pfc_acfc_acked)
{
	struct ppair *pr = lone(SUB);
	static const uint8_t o[] = {1, 4, 0x05, 0x78, 2, 6, 0, 0, 0, 0,
	                            5, 6, 1,    2,    3, 4, 7, 2, 8, 2};
	const struct pframe *f;
	struct l2tp_ppp_info in;

	f = peer_cr(pr, SUB, 7, o, sizeof(o));
	cr_assert_eq(f->data[0], 2, "answered with code %u", f->data[0]);
	cr_assert_eq(f->data[1], 7);
	cr_assert_eq(f->len, 4 + sizeof(o));
	cr_assert(memcmp(f->data + 4, o, sizeof(o)) == 0);
	ack_ours(pr, SUB);
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.lcp_state, L2TP_PPP_OPENED);
	cr_assert_eq(in.mru_peer, 1400);
	cr_assert_eq(in.accm_peer, 0);
	cr_assert_eq(in.magic_peer, 0x01020304);
	cr_assert(in.tx_pfc && in.tx_acfc);
	ph_free(pr);
}

Test(ppp_lcp, unknown_options_rejected_alone)
{
	struct ppair *pr = lone(SUB);
	static const uint8_t o[] = {1, 4,    0x05, 0xb4, 4, 4, 0xc0, 0x25, 99,
	                            3, 0xaa, 5,    6,    9, 9, 9,    9};
	static const uint8_t rej[] = {4, 4, 0xc0, 0x25, 99, 3, 0xaa};
	const struct pframe *f = peer_cr(pr, SUB, 1, o, sizeof(o));

	cr_assert_eq(f->data[0], 4);
	cr_assert_eq(f->len, 4 + sizeof(rej));
	cr_assert(memcmp(f->data + 4, rej, sizeof(rej)) == 0);
	ph_free(pr);
}

Test(ppp_lcp, mschapv2_naked_with_chap_md5)
{
	struct ppair *pr = lone(SUB);
	static const uint8_t ms[] = {3, 5, 0xc2, 0x23, 0x81};
	static const uint8_t md5[] = {3, 5, 0xc2, 0x23, 0x05};
	static const uint8_t pap[] = {3, 4, 0xc0, 0x23};
	const struct pframe *f = peer_cr(pr, SUB, 1, ms, sizeof(ms));

	cr_assert_eq(f->data[0], 3);
	cr_assert(f->len == 9 && memcmp(f->data + 4, md5, 5) == 0);
	f = peer_cr(pr, SUB, 2, pap, sizeof(pap));
	cr_assert_eq(f->data[0], 2);
	f = peer_cr(pr, SUB, 3, md5, sizeof(md5));
	cr_assert_eq(f->data[0], 2);
	ph_free(pr);
}

Test(ppp_lcp, auth_rejected_without_a_user)
{
	struct ppair *pr = ph_new();
	static const uint8_t md5[] = {3, 5, 0xc2, 0x23, 0x05};
	const struct pframe *f;

	pr->wired = false;
	pr->cfg[SUB].user[0] = '\0';
	ph_make(pr, SUB);
	ph_start(pr);
	f = peer_cr(pr, SUB, 1, md5, sizeof(md5));
	cr_assert_eq(f->data[0], 4);
	ph_free(pr);
}

Test(ppp_lcp, max_failure_turns_naks_into_reject)
{
	struct ppair *pr = lone(SUB);
	static const uint8_t o[] = {1, 4, 0, 64}; /* MRU 64: too small */
	const struct pframe *f;

	for (int i = 0; i < 5; i++) {
		f = peer_cr(pr, SUB, (uint8_t)i, o, sizeof(o));
		cr_assert_eq(f->data[0], 3, "answer %d code %u", i, f->data[0]);
		cr_assert_eq(f->data[6], 0x05);
		cr_assert_eq(f->data[7], 0xb4); /* our 1460 */
	}
	cr_assert_null(ph_find(pr, SUB, L2TP_PPP_EV_GIVE_UP, NULL));
	f = peer_cr(pr, SUB, 5, o, sizeof(o));
	cr_assert_eq(f->data[0], 4);
	cr_assert(f->len == 8 && memcmp(f->data + 4, o, 4) == 0);
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_GIVE_UP, "Max-Failure"));
	ph_free(pr);
}

Test(ppp_lcp, peer_naking_forever)
{
	struct ppair *pr = lone(SUB);
	static const uint8_t nak[] = {1, 4, 0x02, 0x00, 5, 6, 1, 1, 1, 1};
	uint8_t b[64];
	const struct pframe *f;

	for (int i = 0; i < 30 && !ph_find(pr, SUB, L2TP_PPP_EV_DEAD, NULL);
	     i++) {
		f = ph_last(pr, SUB, LCP, 1);
		if (pr->e[SUB].sent[pr->e[SUB].nsent - 1].data[0] == 5)
			break; /* closing */
		ph_feed(pr, SUB, LCP, b,
		        ph_cp(b, 3, f->data[1], nak, sizeof(nak)));
		if (i == 4) {
			/* The fifth Nak: we stop asking for MRU and magic. */
			f = ph_last(pr, SUB, LCP, 1);
			cr_assert_eq(f->len, 4, "request of %zu bytes", f->len);
		}
		if (i == 0) {
			f = ph_last(pr, SUB, LCP, 1);
			cr_assert_eq(f->data[6], 0x02, "MRU Nak taken");
		}
	}
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_GIVE_UP,
	                           "no longer asking for mru magic"));
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_GIVE_UP, "without agreement"));
	f = ph_last(pr, SUB, LCP, 5);
	cr_assert_not_null(f);
	cr_assert(memcmp(f->data + 4, "no LCP agreement after 10", 25) == 0);
	ph_run_until(pr, 10000);
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_DEAD, "no LCP agreement"));
	ph_free(pr);
}

Test(ppp_lcp, magic_loop_in_configure_request)
{
	struct ppair *pr = lone(SUB);

	for (int i = 0; i < 5; i++) {
		uint32_t m = our_magic(pr, SUB);
		uint8_t o[6] = {5,
		                6,
		                (uint8_t)(m >> 24),
		                (uint8_t)(m >> 16),
		                (uint8_t)(m >> 8),
		                (uint8_t)m};
		const struct pframe *f = peer_cr(pr, SUB, (uint8_t)i, o, 6);

		if (i < 4) {
			cr_assert_eq(f->data[0], 3);
			cr_assert(memcmp(f->data + 6, o + 2, 4) != 0);
		}
		/* our next request, sent when the timer runs, has a new
		 * magic of our own (RFC 1661 §6.4) */
		ph_run_until(pr, pr->now + 3000);
		if (i < 4)
			cr_assert_neq(our_magic(pr, SUB), m, "round %d", i);
	}
	cr_assert_eq(ph_count(pr, SUB, L2TP_PPP_EV_LOOP), 5);
	cr_assert_not_null(ph_last(pr, SUB, LCP, 5));
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_DOWN, NULL) ? (void *)1 : (void *)1);
	ph_run_until(pr, pr->now + 10000);
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_DEAD, "looped-back link"));
	ph_free(pr);
}

/* Up with a played peer: the peer asks for nothing. */
static struct ppair *
opened(void)
{
	struct ppair *pr = lone(SUB);
	const struct pframe *f = peer_cr(pr, SUB, 1, NULL, 0);

	cr_assert_eq(f->data[0], 2);
	ack_ours(pr, SUB);
	return pr;
}

Test(ppp_lcp, echo_with_our_magic_is_a_loop)
{
	struct ppair *pr = opened();
	uint32_t m = our_magic(pr, SUB);
	uint8_t d[4] = {(uint8_t)(m >> 24), (uint8_t)(m >> 16),
	                (uint8_t)(m >> 8), (uint8_t)m};
	uint8_t b[16];

	ph_feed(pr, SUB, LCP, b, ph_cp(b, 9, 3, d, 4));
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_LOOP, "Echo-Request"));
	/* still answered */
	cr_assert_eq(ph_last(pr, SUB, LCP, -1)->data[0], 10);
	ph_free(pr);
}

Test(ppp_lcp, echo_request_answered_with_our_magic_and_data)
{
	struct ppair *pr = opened();
	static const uint8_t d[] = {0, 0, 0, 0, 'h', 'i'};
	uint8_t b[16];
	const struct pframe *f;
	uint32_t m = our_magic(pr, SUB);

	ph_feed(pr, SUB, LCP, b, ph_cp(b, 9, 42, d, sizeof(d)));
	f = ph_last(pr, SUB, LCP, 10);
	cr_assert_not_null(f);
	cr_assert_eq(f->data[1], 42);
	cr_assert_eq(f->len, 10);
	cr_assert_eq((uint32_t)f->data[4] << 24 | (uint32_t)f->data[5] << 16 |
	                 (uint32_t)f->data[6] << 8 | f->data[7],
	             m);
	cr_assert(memcmp(f->data + 8, "hi", 2) == 0);
	ph_free(pr);
}

Test(ppp_lcp, echo_keepalive_interval_rtt_losses)
{
	struct ppair *pr = ph_new();
	struct l2tp_ppp_info in;
	const struct pframe *f;
	uint8_t b[16];
	uint64_t t0;

	pr->cfg[SRV].echo_interval_ms = 0;
	ph_up(pr);
	t0 = ph_find(pr, SUB, L2TP_PPP_EV_UP, "LCP opened")->ev.time_ms;
	ph_run_until(pr, t0 + 9999);
	cr_assert_eq(ph_sent(pr, SUB, LCP, 9), 0);
	ph_run_until(pr, t0 + 10000);
	cr_assert_eq(ph_sent(pr, SUB, LCP, 9), 1);
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.echo_sent, 1);
	cr_assert_eq(in.echo_received, 1);
	cr_assert_eq(in.echo_rtt_ms, 0);
	/* A slow peer: answered 37 ms later. */
	pr->wired = false;
	ph_run_until(pr, t0 + 20000);
	f = ph_last(pr, SUB, LCP, 9);
	pr->now += 37;
	b[0] = 10;
	b[1] = f->data[1];
	b[2] = 0;
	b[3] = 8;
	memset(b + 4, 0, 4); /* the server's magic does not matter here */
	ph_feed(pr, SUB, LCP, b, 8);
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.echo_received, 2);
	cr_assert_eq(in.echo_rtt_ms, 37);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_ECHO, "in 37 ms"));
	/* Then silence: a loss is counted when the next echo is due. */
	ph_run_until(pr, t0 + 30000);
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.echo_lost, 0);
	ph_run_until(pr, t0 + 39999);
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.echo_lost, 0);
	ph_run_until(pr, t0 + 40000);
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.echo_lost, 1);
	cr_assert_eq(in.echo_sent, 4);
	/* 5 in a row: the 30 s echo's loss at 40 s is the first; the fifth
	 * at 80 s closes the link with the reason. */
	ph_run_until(pr, t0 + 79999);
	cr_assert_eq(ph_sent(pr, SUB, LCP, 5), 0);
	ph_run_until(pr, t0 + 80000);
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.echo_lost, 5);
	f = ph_last(pr, SUB, LCP, 5);
	cr_assert_not_null(f);
	cr_assert(memcmp(f->data + 4, "the peer stopped answering LCP echoes",
	                 37) == 0);
	ph_run_until(pr, t0 + 86000);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_DEAD,
	                           "stopped answering LCP echoes (5"));
	ph_free(pr);
}

Test(ppp_lcp, protocol_reject_sent_for_unknown_protocol)
{
	struct ppair *pr = lone(SUB);
	static const uint8_t ccp[] = {1, 1, 0, 4};
	const struct pframe *f;

	/* Before LCP is opened: silently discarded (RFC 1661 §3.4). */
	ph_feed(pr, SUB, 0x80fd, ccp, 4);
	cr_assert_eq(ph_sent(pr, SUB, LCP, 8), 0);
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_BAD, "LCP is not opened"));
	peer_cr(pr, SUB, 1, NULL, 0);
	ack_ours(pr, SUB);
	ph_feed(pr, SUB, 0x80fd, ccp, 4);
	f = ph_last(pr, SUB, LCP, 8);
	cr_assert_not_null(f);
	cr_assert_eq(f->len, 10);
	cr_assert(f->data[4] == 0x80 && f->data[5] == 0xfd);
	cr_assert(memcmp(f->data + 6, ccp, 4) == 0);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_REJECT, "CCP"));
	ph_feed(pr, SUB, 0x4321, ccp, 4);
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_REJECT, "protocol 0x4321 is unknown"));
	ph_free(pr);
}

Test(ppp_lcp, code_reject_both_ways)
{
	struct ppair *pr = opened();
	static const uint8_t unk[] = {14, 9, 0, 6, 0xab, 0xcd};
	uint8_t b[32];
	const struct pframe *f;
	struct l2tp_ppp_info in;

	ph_feed(pr, SUB, LCP, unk, sizeof(unk));
	f = ph_last(pr, SUB, LCP, 7);
	cr_assert_not_null(f);
	cr_assert_eq(f->len, 4 + sizeof(unk));
	cr_assert(memcmp(f->data + 4, unk, sizeof(unk)) == 0);
	/* The peer Code-Rejects our Echo-Request: no more echoes, still up. */
	ph_feed(pr, SUB, LCP, b,
	        ph_cp(b, 7, 1, (const uint8_t[]){9, 1, 0, 8, 0, 0, 0, 0}, 8));
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.lcp_state, L2TP_PPP_OPENED);
	cr_assert_eq(in.code_rejects_in, 1);
	cr_assert_eq(l2tp_ppp_echo_now(pr->e[SUB].l, pr->now),
	             L2TP_PPP_E_STATE);
	/* Code-Reject of Configure-Request: LCP cannot run. */
	ph_feed(pr, SUB, LCP, b,
	        ph_cp(b, 7, 2, (const uint8_t[]){1, 1, 0, 4}, 4));
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.lcp_state, L2TP_PPP_STOPPING);
	cr_assert_not_null(ph_last(pr, SUB, LCP, 5));
	ph_free(pr);
}

Test(ppp_lcp, terminate_by_subscriber_reason_seen_by_server)
{
	struct ppair *pr = ph_new();

	ph_up(pr);
	cr_assert_eq(l2tp_ppp_close(pr->e[SUB].l, "user request", pr->now), 0);
	ph_deliver(pr);
	cr_assert(ph_find(pr, SUB, L2TP_PPP_EV_TERMINATE,
	                  "Terminate-Request sent: \"user request\"")
	              ->ev.ok);
	cr_assert_not_null(
	    ph_find(pr, SRV, L2TP_PPP_EV_TERMINATE, "\"user request\""));
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_DEAD, "user request"));
	ph_run_until(pr, pr->now + 3000);
	cr_assert_not_null(
	    ph_find(pr, SRV, L2TP_PPP_EV_DEAD, "terminated by the peer: user"));
	ph_free(pr);
}

Test(ppp_lcp, renegotiation_when_the_peer_restarts_lcp)
{
	struct ppair *pr = ph_new();
	uint8_t b[32];
	struct l2tp_ppp_info s, v;

	pr->cfg[SUB].echo_interval_ms = 0;
	pr->cfg[SRV].echo_interval_ms = 0;
	ph_up(pr);
	/* A Configure-Request in Opened, as from a server whose LCP began
	 * again: tld, scr, sca; everything is negotiated afresh. */
	ph_feed(pr, SUB, LCP, b,
	        ph_cp(b, 1, 200,
	              (const uint8_t[]){1, 4, 0x05, 0xb4, 3, 5, 0xc2, 0x23, 5},
	              9));
	ph_run_until(pr, pr->now + 20000);
	ph_info(pr, SUB, &s);
	ph_info(pr, SRV, &v);
	cr_assert_eq(s.phase, L2TP_PPP_NETWORK, "%s",
	             l2tp_ppp_phase_name(s.phase));
	cr_assert_eq(v.phase, L2TP_PPP_NETWORK);
	cr_assert_eq(s.ipcp_state, L2TP_PPP_OPENED);
	cr_assert_geq(ph_count(pr, SUB, L2TP_PPP_EV_AUTH), 2);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_DOWN, "LCP down"));
	ph_free(pr);
}

Test(ppp_lcp, malformed_packets_discarded_with_a_name)
{
	struct ppair *pr = lone(SUB);
	static const struct {
		const char *name;
		uint8_t b[16];
		size_t len;
		const char *why;
	} cases[] = {
	    {"Length larger", {1, 1, 0, 20, 1, 4, 5, 0}, 8, "Length field"},
	    {"Length under 4", {1, 1, 0, 3, 1, 4, 5, 0}, 8, "Length field"},
	    {"short header", {1, 1, 0}, 3, "shorter than its header"},
	    {"option length 0", {1, 1, 0, 8, 1, 0, 5, 0}, 8, "Length 0 or 1"},
	    {"option length 1", {1, 1, 0, 8, 1, 1, 5, 0}, 8, "Length 0 or 1"},
	    {"option past end", {1, 1, 0, 8, 1, 9, 5, 0}, 8, "past the packet"},
	    {"stray byte", {1, 1, 0, 9, 1, 4, 5, 0, 7}, 9, "stray byte"},
	    {"Nak option past end", {3, 1, 0, 8, 1, 9, 5, 0}, 8, "past the"},
	};
	size_t n0 = pr->e[SUB].nsent;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t nb = pr->e[SUB].nev;
		bool found = false;

		ph_feed(pr, SUB, LCP, cases[i].b, cases[i].len);
		for (size_t j = nb; j < pr->e[SUB].nev; j++)
			found |= pr->e[SUB].ev[j].ev.kind == L2TP_PPP_EV_BAD &&
			         strstr(pr->e[SUB].ev[j].text, cases[i].why);
		cr_expect(found, "%s: no BAD event naming \"%s\"",
		          cases[i].name, cases[i].why);
	}
	cr_assert_eq(pr->e[SUB].nsent, n0, "a malformed packet was answered");
	ph_free(pr);
}

Test(ppp_lcp, every_truncation_of_a_request_is_discarded)
{
	struct ppair *pr = lone(SUB);
	static const uint8_t cr[] = {1, 5, 0, 18, 1, 4, 5, 0xb4, 5,
	                             6, 1, 2, 3,  4, 7, 2, 8,    2};
	size_t n0 = pr->e[SUB].nsent;

	for (size_t n = 0; n < sizeof(cr); n++)
		ph_feed(pr, SUB, LCP, cr, n);
	cr_assert_eq(pr->e[SUB].nsent, n0);
	/* padding after Length is ignored */
	{
		uint8_t pad[sizeof(cr) + 3];

		memcpy(pad, cr, sizeof(cr));
		memset(pad + sizeof(cr), 0xee, 3);
		ph_feed(pr, SUB, LCP, pad, sizeof(pad));
		cr_assert_eq(ph_last(pr, SUB, LCP, -1)->data[0], 2);
		cr_assert_eq(ph_last(pr, SUB, LCP, -1)->len, sizeof(cr));
	}
	ph_free(pr);
}

Test(ppp_lcp, ack_that_does_not_echo_or_wrong_id)
{
	struct ppair *pr = lone(SUB);
	const struct pframe *f = ph_last(pr, SUB, LCP, 1);
	uint8_t b[64];
	struct l2tp_ppp_info in;

	memcpy(b, f->data, f->len);
	b[0] = 2;
	b[1] ^= 0x55;
	ph_feed(pr, SUB, LCP, b, f->len);
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_BAD, "our request is id"));
	b[1] ^= 0x55;
	b[f->len - 1] ^= 1;
	ph_feed(pr, SUB, LCP, b, f->len);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_BAD, "does not echo"));
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.lcp_state, L2TP_PPP_REQ_SENT);
	/* A Reject naming an option we did not send */
	ph_feed(pr, SUB, LCP, b,
	        ph_cp(b, 4, f->data[1], (const uint8_t[]){7, 2}, 2));
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_BAD, "did not request"));
	ph_free(pr);
}

Test(ppp_lcp, edited_request_is_what_the_ack_must_echo)
{
	struct ppair *pr = lone(SUB);
	const struct pframe *f = ph_last(pr, SUB, LCP, 1);
	uint8_t orig[64], ed[64], b[64];
	size_t on = f->len;
	struct l2tp_ppp_info in;
	static const uint8_t opts[] = {1, 4, 0x05, 0x78, 2, 6, 0, 0,
	                               0, 0, 5,    6,    9, 8, 7, 6};

	memcpy(orig, f->data, on);
	cr_assert_eq(l2tp_ppp_request_edited(pr->e[SUB].l, 0x8021, orig, on),
	             L2TP_PPP_E_STATE, "IPCP has no request out");
	cr_assert_eq(l2tp_ppp_request_edited(pr->e[SUB].l, 0x1234, orig, on),
	             L2TP_PPP_E_INVAL);
	/* MRU 1400, ACCM added, another magic: as an operator's edit. */
	ph_cp(ed, 1, orig[1], opts, sizeof(opts));
	cr_assert_eq(
	    l2tp_ppp_request_edited(pr->e[SUB].l, LCP, ed, 4 + sizeof(opts)),
	    0);
	memcpy(b, orig, on);
	b[0] = 2;
	ph_feed(pr, SUB, LCP, b, on); /* an Ack of the unedited one */
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_BAD, "does not echo"));
	memcpy(b, ed, 4 + sizeof(opts));
	b[0] = 2;
	ph_feed(pr, SUB, LCP, b, 4 + sizeof(opts));
	peer_cr(pr, SUB, 1, NULL, 0);
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.lcp_state, L2TP_PPP_OPENED);
	cr_assert_eq(in.mru_local, 1400);
	cr_assert_eq(in.magic_local, 0x09080706);
	ph_free(pr);
}
