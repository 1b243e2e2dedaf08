/* Tests of IPCP with DNS (RFC 1332, RFC 1877) and IPv6CP (RFC 5072): pool
 * addresses, DNS, interface identifiers, one NCP rejected, none left. */
#include "test_ppp_harness.h"

static const uint8_t sub_addr[4] = {10, 10, 10, 1};
static const uint8_t srv_addr[4] = {10, 201, 1, 1};
static const uint8_t dns[4] = {10, 201, 1, 53};

Test(ppp_ncp, ipcp_address_from_pool_and_dns)
{
	struct ppair *pr = ph_new();
	struct l2tp_ppp_info s, v;
	const struct pframe *f = NULL;

	ph_up(pr);
	ph_info(pr, SUB, &s);
	ph_info(pr, SRV, &v);
	cr_assert_eq(s.ipcp_state, L2TP_PPP_OPENED);
	cr_assert(memcmp(s.ip_local, sub_addr, 4) == 0);
	cr_assert(memcmp(s.ip_peer, srv_addr, 4) == 0);
	cr_assert(memcmp(s.dns[0], dns, 4) == 0);
	cr_assert(memcmp(s.dns[1], "\0\0\0\0", 4) == 0);
	cr_assert(memcmp(v.ip_local, srv_addr, 4) == 0);
	cr_assert(memcmp(v.ip_peer, sub_addr, 4) == 0);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_UP,
	                           "IPCP opened: 10.10.10.1, peer 10.201.1.1, "
	                           "DNS 10.201.1.53"));
	/* The subscriber's first request asked 0.0.0.0 for all three. */
	for (size_t i = 0; i < pr->e[SUB].nsent; i++)
		if (pr->e[SUB].sent[i].proto == L2TP_PPP_IPCP &&
		    pr->e[SUB].sent[i].data[0] == 1) {
			f = &pr->e[SUB].sent[i];
			break;
		}
	{
		static const uint8_t want[] = {3, 6, 0, 0,   0, 0, 129, 6, 0,
		                               0, 0, 0, 131, 6, 0, 0,   0, 0};

		cr_assert_not_null(f);
		cr_assert_eq(f->len, 4 + sizeof(want));
		cr_assert(memcmp(f->data + 4, want, sizeof(want)) == 0);
	}
	/* The server Naked the address and DNS, Rejected DNS 2. */
	cr_assert_geq(ph_sent(pr, SRV, L2TP_PPP_IPCP, 3), 1);
	cr_assert_geq(ph_sent(pr, SRV, L2TP_PPP_IPCP, 4), 1);
	cr_assert_eq(l2tp_ppp_pool_used(pr->pool), 1);
	ph_free(pr);
}

Test(ppp_ncp, second_session_gets_the_next_address_and_free_gives_back)
{
	struct ppair *a = ph_new(), *b;
	struct l2tp_ppp_info s;

	ph_up(a);
	b = ph_new();
	l2tp_ppp_pool_free(b->pool);
	b->pool = NULL;
	b->cfg[SRV].pool = a->pool; /* one pool for both servers' sessions */
	ph_up(b);
	ph_info(b, SUB, &s);
	cr_assert_eq(s.ip_local[3], 2);
	cr_assert_eq(l2tp_ppp_pool_used(a->pool), 2);
	l2tp_ppp_free(b->e[SRV].l);
	b->e[SRV].l = NULL;
	cr_assert_eq(l2tp_ppp_pool_used(a->pool), 1);
	ph_free(b);
	ph_free(a);
}

Test(ppp_ncp, pool_exhausted)
{
	struct ppair *pr = ph_new();
	static const uint8_t p30[4] = {10, 9, 9, 0};
	uint8_t x[4];
	struct l2tp_ppp_info s;

	l2tp_ppp_pool_free(pr->pool);
	pr->pool = l2tp_ppp_pool_new(p30, 30, NULL);
	pr->cfg[SRV].pool = pr->pool;
	cr_assert_eq(l2tp_ppp_pool_take(pr->pool, x), 0);
	cr_assert_eq(l2tp_ppp_pool_take(pr->pool, x), 0);
	cr_assert_eq(l2tp_ppp_pool_take(pr->pool, x), L2TP_PPP_E_STATE);
	ph_make(pr, -1);
	ph_start(pr);
	ph_run_until(pr, 5000);
	cr_assert_not_null(
	    ph_find(pr, SRV, L2TP_PPP_EV_GIVE_UP, "address pool is exhausted"));
	ph_info(pr, SUB, &s);
	cr_assert(memcmp(s.ip_local, "\0\0\0\0", 4) == 0);
	cr_assert_not_null(l2tp_ppp_ping_why(pr->e[SUB].l, 4));
	ph_free(pr);
}

Test(ppp_ncp, ipv6cp_interface_identifiers)
{
	struct ppair *pr = ph_new();
	struct l2tp_ppp_info s, v;
	char want[80];

	ph_up(pr);
	ph_info(pr, SUB, &s);
	ph_info(pr, SRV, &v);
	cr_assert_eq(s.ipv6cp_state, L2TP_PPP_OPENED);
	cr_assert(memcmp(s.ifid_local, v.ifid_peer, 8) == 0);
	cr_assert(memcmp(s.ifid_peer, v.ifid_local, 8) == 0);
	cr_assert(memcmp(s.ifid_local, s.ifid_peer, 8) != 0);
	cr_assert(memcmp(s.ifid_local, "\0\0\0\0\0\0\0\0", 8) != 0);
	snprintf(want, sizeof(want), "IPv6CP opened: fe80::%x:",
	         s.ifid_local[0] << 8 | s.ifid_local[1]);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_UP, want), "%s", want);
	ph_free(pr);
}

/* A subscriber in the network phase with a played server. */
static struct ppair *
network(void)
{
	struct ppair *pr = ph_new();
	const struct pframe *f;
	uint8_t b[64];

	pr->wired = false;
	pr->cfg[SUB].echo_interval_ms = 0;
	ph_make(pr, SUB);
	ph_start(pr);
	ph_feed(pr, SUB, L2TP_PPP_LCP, b, ph_cp(b, 1, 1, NULL, 0));
	f = ph_last(pr, SUB, L2TP_PPP_LCP, 1);
	memcpy(b, f->data, f->len);
	b[0] = 2;
	ph_feed(pr, SUB, L2TP_PPP_LCP, b, f->len);
	return pr;
}

Test(ppp_ncp, ipv6cp_equal_or_zero_identifier_naked)
{
	struct ppair *pr = network();
	const struct pframe *f = ph_last(pr, SUB, L2TP_PPP_IPV6CP, 1);
	uint8_t o[10] = {1, 10}, b[32];
	const struct pframe *r;

	cr_assert_not_null(f, "IPv6CP request in the network phase");
	memcpy(o + 2, f->data + 6, 8); /* our own identifier */
	ph_feed(pr, SUB, L2TP_PPP_IPV6CP, b, ph_cp(b, 1, 9, o, 10));
	r = ph_last(pr, SUB, L2TP_PPP_IPV6CP, 3);
	cr_assert_not_null(r);
	cr_assert(memcmp(r->data + 6, f->data + 6, 8) != 0);
	cr_assert(memcmp(r->data + 6, "\0\0\0\0\0\0\0\0", 8) != 0);
	memset(o + 2, 0, 8);
	ph_feed(pr, SUB, L2TP_PPP_IPV6CP, b, ph_cp(b, 1, 10, o, 10));
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_IPV6CP, 3), 2);
	ph_free(pr);
}

Test(ppp_ncp, protocol_reject_of_ipcp_leaves_ipv6cp_running)
{
	struct ppair *pr = ph_new();
	struct l2tp_ppp_info s, v;

	pr->cfg[SRV].ipcp = false; /* as a Cisco LNS to an IPv6-only user */
	ph_up(pr);
	ph_info(pr, SUB, &s);
	ph_info(pr, SRV, &v);
	cr_assert_geq(ph_sent(pr, SRV, L2TP_PPP_LCP, 8), 1);
	cr_assert_eq(s.ipcp_state, L2TP_PPP_STOPPED);
	cr_assert_eq(s.ipv6cp_state, L2TP_PPP_OPENED);
	cr_assert_eq(v.ipv6cp_state, L2TP_PPP_OPENED);
	cr_assert_eq(s.lcp_state, L2TP_PPP_OPENED);
	cr_assert_eq(s.proto_rejects_in, 1);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_REJECT,
	                           "peer Protocol-Rejected IPCP: it will not "
	                           "run IPv4"));
	cr_assert_str_eq(l2tp_ppp_ping_why(pr->e[SUB].l, 4), "IPCP is stopped");
	cr_assert_null(l2tp_ppp_ping_why(pr->e[SUB].l, 6));
	ph_free(pr);
}

Test(ppp_ncp, no_ncp_left_closes_the_link)
{
	struct ppair *pr = ph_new();

	pr->cfg[SRV].ipcp = false;
	pr->cfg[SRV].ipv6cp = false;
	ph_make(pr, -1);
	ph_start(pr);
	ph_run_until(pr, 10000);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_DEAD,
	                           "no network protocol is running"));
	ph_free(pr);
}

Test(ppp_ncp, unknown_ncp_code_code_rejected)
{
	struct ppair *pr = network();
	static const uint8_t p[] = {9, 1, 0, 4};
	const struct pframe *f;

	ph_feed(pr, SUB, L2TP_PPP_IPCP, p, 4);
	f = ph_last(pr, SUB, L2TP_PPP_IPCP, 7);
	cr_assert_not_null(f);
	cr_assert(memcmp(f->data + 4, p, 4) == 0);
	ph_free(pr);
}

Test(ppp_ncp, ncp_before_network_phase_discarded)
{
	struct ppair *pr = ph_new();
	uint8_t b[16];

	pr->wired = false;
	ph_make(pr, SUB);
	ph_start(pr);
	ph_feed(pr, SUB, L2TP_PPP_IPCP, b, ph_cp(b, 1, 1, NULL, 0));
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_IPCP, -1), 0);
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_LCP, 8), 0);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_BAD, "IPCP packet"));
	ph_free(pr);
}

Test(ppp_ncp, ipcp_restart_timer_and_max_configure)
{
	struct ppair *pr = network();
	struct l2tp_ppp_info in;

	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_IPCP, 1), 1);
	ph_run_until(pr, 2999);
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_IPCP, 1), 1);
	ph_run_until(pr, 3000);
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_IPCP, 1), 2);
	ph_run_until(pr, 29999);
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_IPCP, 1), 10);
	cr_assert_null(ph_find(pr, SUB, L2TP_PPP_EV_GIVE_UP, NULL));
	ph_run_until(pr, 30000);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_GIVE_UP,
	                           "IPCP: no answer to 10 Configure-Requests"));
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_GIVE_UP, "IPv6CP: no answer to 10"));
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_DOWN, "IPCP finished"));
	/* Both NCPs gave up, nothing is left to carry: LCP closes, and its
	 * Down takes the NCPs from Stopped to Starting (tls/1). */
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.ipcp_state, L2TP_PPP_STARTING);
	cr_assert_eq(in.lcp_state, L2TP_PPP_CLOSING);
	cr_assert_str_eq(in.reason, "no network protocol is running");
	cr_assert_not_null(ph_last(pr, SUB, L2TP_PPP_LCP, 5));
	ph_free(pr);
}
