/* Tests of echo through the session: ICMP over IPCP's addresses and ICMPv6
 * over IPv6CP's link-local addresses, both ways, timed, refused with a reason.
 */
#include "test_ppp_harness.h"

static const uint8_t sub_addr[4] = {10, 10, 10, 1};
static const uint8_t srv_addr[4] = {10, 201, 1, 1};

/* Carry one frame by hand from end i to the other after `ms`. */
static void
carry(struct ppair *pr, int i, uint16_t proto, uint64_t ms)
{
	const struct pframe *f = ph_last(pr, i, proto, -1);

	cr_assert_not_null(f);
	pr->now += ms;
	ph_feed(pr, !i, proto, f->data, f->len);
}

Test(ppp_icmp, ping_both_ways_ipv4_timed)
{
	struct ppair *pr = ph_new();
	const struct pevent *e;
	uint16_t seq = 99;
	struct l2tp_ppp_info s, v;

	ph_up(pr);
	pr->wired = false;
	cr_assert_eq(
	    l2tp_ppp_ping(pr->e[SUB].l, 4, srv_addr, 56, false, pr->now, &seq),
	    0);
	cr_assert_eq(seq, 0);
	carry(pr, SUB, L2TP_PPP_IP, 12);
	cr_assert_not_null(ph_find(pr, SRV, L2TP_PPP_EV_PINGED,
	                           "echo request from 10.10.10.1 seq 0"));
	carry(pr, SRV, L2TP_PPP_IP, 13);
	e = ph_find(pr, SUB, L2TP_PPP_EV_PING, NULL);
	cr_assert_not_null(e);
	cr_assert_eq(e->ev.rtt_ms, 25);
	cr_assert_eq(e->ev.seq, 0);
	cr_assert_eq(e->ev.ttl, 64);
	cr_assert_eq(e->ev.bytes, 64);
	cr_assert_str_eq(
	    e->text, "64 bytes from 10.201.1.1: icmp_seq=0 ttl=64 time=25 ms");
	/* and the other way, with DF */
	pr->wired = true;
	cr_assert_eq(
	    l2tp_ppp_ping(pr->e[SRV].l, 4, sub_addr, 1000, true, pr->now, &seq),
	    0);
	ph_deliver(pr);
	e = ph_find(pr, SRV, L2TP_PPP_EV_PING, NULL);
	cr_assert_not_null(e);
	cr_assert_eq(e->ev.bytes, 1008);
	cr_assert_eq(ph_last(pr, SRV, L2TP_PPP_IP, -1)->data[6], 0x40,
	             "DF set");
	ph_info(pr, SUB, &s);
	ph_info(pr, SRV, &v);
	cr_assert_eq(s.pings_sent, 1);
	cr_assert_eq(s.pings_received, 1);
	cr_assert_eq(s.pings_answered, 1);
	cr_assert_eq(v.pings_answered, 1);
	ph_free(pr);
}

Test(ppp_icmp, ping_both_ways_ipv6_link_local)
{
	struct ppair *pr = ph_new();
	struct l2tp_ppp_info s, v;
	uint8_t dst[16] = {0xfe, 0x80};
	const struct pevent *e;

	ph_up(pr);
	ph_info(pr, SUB, &s);
	ph_info(pr, SRV, &v);
	memcpy(dst + 8, s.ifid_peer, 8);
	cr_assert_eq(
	    l2tp_ppp_ping(pr->e[SUB].l, 6, dst, 32, false, pr->now, NULL), 0);
	ph_deliver(pr);
	cr_assert_eq(ph_last(pr, SUB, L2TP_PPP_IPV6, -1)->len, 40 + 8 + 32);
	e = ph_find(pr, SUB, L2TP_PPP_EV_PING, NULL);
	cr_assert_not_null(e);
	cr_assert_eq(e->ev.bytes, 40);
	cr_assert(strstr(e->text, "from fe80::"));
	memcpy(dst + 8, v.ifid_peer, 8);
	cr_assert_eq(
	    l2tp_ppp_ping(pr->e[SRV].l, 6, dst, 8, false, pr->now, NULL), 0);
	ph_deliver(pr);
	cr_assert_not_null(ph_find(pr, SRV, L2TP_PPP_EV_PING, NULL));
	ph_free(pr);
}

Test(ppp_icmp, ping_refused_with_reason)
{
	struct ppair *pr = ph_new();
	uint16_t seq;

	pr->wired = false;
	ph_make(pr, SUB);
	cr_assert_str_eq(l2tp_ppp_ping_why(pr->e[SUB].l, 4),
	                 "the PPP link is dead");
	ph_start(pr);
	cr_assert_eq(
	    l2tp_ppp_ping(pr->e[SUB].l, 4, srv_addr, 56, false, 0, &seq),
	    L2TP_PPP_E_STATE);
	cr_assert_str_eq(l2tp_ppp_ping_why(pr->e[SUB].l, 4), "IPCP is initial");
	cr_assert_eq(
	    l2tp_ppp_ping(pr->e[SUB].l, 4, srv_addr, 4, false, 0, &seq),
	    L2TP_PPP_E_INVAL);
	cr_assert_eq(
	    l2tp_ppp_ping(pr->e[SUB].l, 5, srv_addr, 56, false, 0, &seq),
	    L2TP_PPP_E_INVAL);
	ph_free(pr);
	pr = ph_new();
	ph_up(pr);
	cr_assert_eq(l2tp_ppp_ping(pr->e[SUB].l, 4, srv_addr, 1460, false,
	                           pr->now, &seq),
	             L2TP_PPP_E_TOOBIG);
	ph_free(pr);
}

Test(ppp_icmp, bad_checksum_and_other_destination)
{
	struct ppair *pr = ph_new();
	const struct pframe *f;
	uint8_t b[128];
	size_t n;

	ph_up(pr);
	pr->wired = false;
	cr_assert_eq(
	    l2tp_ppp_ping(pr->e[SUB].l, 4, srv_addr, 16, false, pr->now, NULL),
	    0);
	f = ph_last(pr, SUB, L2TP_PPP_IP, -1);
	n = f->len;
	memcpy(b, f->data, n);
	b[n - 1] ^= 0xff; /* the ICMP checksum no longer holds */
	ph_feed(pr, SRV, L2TP_PPP_IP, b, n);
	cr_assert_not_null(ph_find(pr, SRV, L2TP_PPP_EV_BAD, "bad checksum"));
	cr_assert_eq(ph_sent(pr, SRV, L2TP_PPP_IP, -1), 0);
	/* to an address that is not ours: not answered */
	cr_assert_eq(l2tp_ppp_ping(pr->e[SUB].l, 4,
	                           (const uint8_t[]){8, 8, 8, 8}, 16, false,
	                           pr->now, NULL),
	             0);
	carry(pr, SUB, L2TP_PPP_IP, 1);
	cr_assert_eq(ph_sent(pr, SRV, L2TP_PPP_IP, -1), 0);
	cr_assert_null(ph_find(pr, SRV, L2TP_PPP_EV_PINGED, NULL));
	ph_free(pr);
}
