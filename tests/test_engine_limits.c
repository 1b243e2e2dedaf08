/* Engine tests: hostile and broken peers on virtual time: setup timeouts,
 * limits, the review's bugs (RFC 2661 §4.4, §5.8, §7.1, §7.2, Appendix A). */
#include "test_engine_harness.h"

#include "decoder/avpval.h"

/* ---- a peer played by hand ---- */

static const uint8_t ver10[2] = {1, 0};

/* An SCCRQ with Assigned Tunnel ID rid (and, if given, a Challenge). */
static size_t
raw_sccrq(uint8_t *buf, size_t cap, uint16_t rid, const uint8_t *ver,
          const char *host)
{
	struct l2tp_builder b;
	int n;

	l2tp_build_control(&b, buf, cap, 0, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_SCCRQ);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_PROTOCOL_VERSION, ver, 2);
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 3);
	l2tp_build_u32(&b, true, L2TP_AVP_BEARER_CAP, 3);
	l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, host ? host : "hostile");
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, rid);
	n = l2tp_build_end(&b);
	cr_assert_gt(n, 0);
	return (size_t)n;
}

static size_t
raw_zlb(uint8_t *buf, size_t cap, uint16_t tunnel, uint16_t ns, uint16_t nr)
{
	struct l2tp_builder b;
	int n;

	l2tp_build_control(&b, buf, cap, tunnel, 0, ns, nr);
	n = l2tp_build_end(&b);
	cr_assert_eq(n, 12);
	return 12;
}

/* Feed one datagram to the LNS from addr and collect what it sends. */
static void
to_lns(struct net *n, const struct l2tp_addr *from, const uint8_t *p,
       size_t len)
{
	cr_assert_eq(l2tp_engine_input(n->e[LNS], from, p, len, n->now), 0);
	net_flush(n);
}

/* The last datagram the LNS sent of a type, parsed. */
static struct l2tp_msg *
lns_last(struct net *n, int type)
{
	static struct l2tp_msg m;
	size_t k = sent_count(n, LNS, type);
	const struct sent *s;

	cr_assert_gt(k, 0, "the LNS sent no message of type %d", type);
	s = sent_nth(n, LNS, type, k - 1);
	cr_assert_eq(l2tp_parse(s->data, s->len, s->len, L2TP_UDP, NULL, &m),
	             0);
	return &m;
}

static void
result_of(const struct l2tp_msg *m, uint16_t *res, uint16_t *err, char *msg,
          size_t cap)
{
	const struct l2tp_avp *a = l2tp_find_avp(m, 0, L2TP_AVP_RESULT_CODE);
	struct l2tp_value v;

	cr_assert_not_null(a);
	cr_assert_eq(l2tp_avp_value(a, &v), 0);
	*res = v.result;
	*err = v.has_error ? v.error : 0;
	msg[0] = 0;
	if (v.has_message)
		snprintf(msg, cap, "%.*s", (int)v.b.len, (const char *)v.b.p);
}

/* The LNS deaf-mute LAC: the LAC engine is not used, its sends dropped. */
static void
lns_alone(struct net *n, const struct l2tp_engine_config *cb)
{
	net_init(n, NULL, cb);
	n->filter = lac_deaf;
}

/* A half-open tunnel on the LNS: SCCRQ, its SCCRP acked, no SCCCN. */
static uint16_t
half_open(struct net *n, const struct l2tp_addr *from, uint16_t rid)
{
	uint8_t buf[256];
	size_t len = raw_sccrq(buf, sizeof(buf), rid, ver10, NULL);
	struct l2tp_msg *m;
	uint16_t lid = 0;

	to_lns(n, from, buf, len);
	m = lns_last(n, L2TP_SCCRP);
	cr_assert(l2tp_avp_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &lid));
	len = raw_zlb(buf, sizeof(buf), lid, 1, 1);
	to_lns(n, from, buf, len);
	return lid;
}

static struct l2tp_tunnel_info
tinfo(struct net *n, int side, uint16_t lid)
{
	struct l2tp_tunnel_info ti;

	cr_assert_eq(l2tp_engine_tunnel_info(n->e[side], lid, &ti), 0);
	return ti;
}

static struct l2tp_engine_stats
stats(struct net *n, int side)
{
	struct l2tp_engine_stats st;

	l2tp_engine_stats(n->e[side], &st);
	return st;
}

/* ---- setup timeouts ---- */

/* A peer that acks our SCCRP and never sends SCCCN: cleared at the setup
 * timeout with a StopCCN that says so and in which state. */
Test(engine_limits, half_open_tunnel_cleared_at_setup_timeout)
{
	struct net n;
	struct l2tp_engine_config cb;
	uint16_t lid, res, err;
	char msg[80];

	l2tp_engine_config_default(&cb);
	cb.setup_ms = 5000;
	lns_alone(&n, &cb);
	n.now = 1000;
	lid = half_open(&n, &n.addr[LAC], 77);
	cr_assert_eq(l2tp_engine_expiry(n.e[LNS]), 6000);
	net_run(&n, 5999);
	cr_assert_eq(tinfo(&n, LNS, lid).state, L2TP_TS_WAIT_CTL_CONN);
	cr_assert_eq(sent_count(&n, LNS, L2TP_STOPCCN), 0);
	net_run(&n, 6000);
	cr_assert_eq(tinfo(&n, LNS, lid).state, L2TP_TS_CLOSING);
	cr_assert(tinfo(&n, LNS, lid).setup_timed_out);
	cr_assert_eq(tinfo(&n, LNS, lid).setup_timeout_state,
	             L2TP_TS_WAIT_CTL_CONN);
	result_of(lns_last(&n, L2TP_STOPCCN), &res, &err, msg, sizeof(msg));
	cr_assert_eq(res, 2);
	cr_assert_eq(err, 6);
	cr_assert(strstr(msg, "setup timed out in wait-ctl-conn"), "%s", msg);
	cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_TIMER,
	                           "setup timed out in wait-ctl-conn"));
	cr_assert_eq(stats(&n, LNS).setup_timeouts_tunnel, 1);
	/* The StopCCN is never acked: the tunnel is gone after its cycle. */
	net_run(&n, 6000 + 40000);
	cr_assert_eq(stats(&n, LNS).tunnels, 0);
	net_free(&n);
}

/* An established tunnel is never timed out, whatever its age. */
Test(engine_limits, established_tunnel_not_timed_out)
{
	struct l2tp_engine_config c;
	struct net n;

	l2tp_engine_config_default(&c);
	c.setup_ms = 5000;
	c.hello_ms = 0;
	net_init(&n, &c, &c);
	net_open(&n);
	net_run(&n, 100000);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	cr_assert_eq(l2tp_engine_expiry(n.e[LNS]), UINT64_MAX);
	net_free(&n);
}

static enum verdict
drop_type(struct net *n, const struct sent *s)
{
	return s->type == n->fcount ? DROP : PASS;
}

/* An ICRQ whose ICRP is acked but never followed by an ICCN: the LNS
 * clears the call at the setup timeout with a CDN saying so. */
Test(engine_limits, half_open_call_cleared_at_setup_timeout)
{
	struct l2tp_engine_config c;
	struct net n;
	uint16_t tid, sid, res, err;
	uint16_t ids[4];
	char msg[80];

	l2tp_engine_config_default(&c);
	c.setup_ms = 5000;
	c.hello_ms = 0;
	net_init(&n, &c, &c);
	tid = net_open(&n);
	n.now = 10000;
	n.filter = drop_type;
	n.fcount = L2TP_ICCN;
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, NULL, n.now, &sid),
	             0);
	net_flush(&n);
	cr_assert_eq(l2tp_engine_session_ids(n.e[LNS], 0, ids, 4), 1);
	net_run(&n, 14999);
	cr_assert_eq(sent_count(&n, LNS, L2TP_CDN), 0);
	net_run(&n, 15000);
	cr_assert_eq(sent_count(&n, LNS, L2TP_CDN), 1);
	result_of(lns_last(&n, L2TP_CDN), &res, &err, msg, sizeof(msg));
	cr_assert_eq(res, 2);
	cr_assert_eq(err, 6);
	cr_assert(strstr(msg, "setup timed out in wait-connect"), "%s", msg);
	cr_assert_eq(l2tp_engine_session_ids(n.e[LNS], 0, ids, 4), 0);
	cr_assert_eq(stats(&n, LNS).setup_timeouts_session, 1);
	net_free(&n);
}

/* A LAC whose ICRQ is never answered clears it with CDN result 10. */
Test(engine_limits, lac_call_unanswered_result_10)
{
	struct l2tp_engine_config c;
	struct net n;
	uint16_t tid, sid;
	struct l2tp_session_info ended;
	const struct l2tp_event *ev;

	l2tp_engine_config_default(&c);
	c.setup_ms = 5000;
	c.hello_ms = 0;
	net_init(&n, &c, &c);
	tid = net_open(&n);
	n.now = 10000;
	n.filter = drop_type;
	n.fcount = L2TP_ICRP;
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, NULL, n.now, &sid),
	             0);
	net_run(&n, 14999);
	cr_assert_eq(sent_count(&n, LAC, L2TP_CDN), 0);
	net_run(&n, 15000);
	ev = ev_find(&n, LAC, L2TP_EV_CDN, "setup timed out in wait-reply");
	cr_assert_not_null(ev);
	cr_assert_eq(ev->result, 10);
	cr_assert_eq(l2tp_engine_ended_sessions(n.e[LAC], &ended, 1), 1);
	cr_assert(ended.setup_timed_out);
	net_free(&n);
}

/* Step mode: a held message stops the tunnel's setup clock; it resumes
 * where it stopped when the last held item goes. */
Test(engine_limits, held_messages_stop_the_setup_clock)
{
	struct l2tp_engine_config cb;
	struct net n;
	uint8_t buf[256];
	size_t len;
	unsigned ids[8];
	uint16_t lid;

	l2tp_engine_config_default(&cb);
	cb.setup_ms = 5000;
	cb.mode = L2TP_MODE_STEP;
	lns_alone(&n, &cb);
	n.now = 1000;
	len = raw_sccrq(buf, sizeof(buf), 77, ver10, NULL);
	to_lns(&n, &n.addr[LAC], buf, len);
	cr_assert_eq(l2tp_engine_held_ids(n.e[LNS], 0, ids, 8), 1);
	/* Processed at 1000: the tunnel starts, its SCCRP is held. */
	cr_assert_eq(l2tp_engine_held_release(n.e[LNS], ids[0], n.now), 0);
	net_flush(&n);
	lid = net_tid(&n, LNS);
	net_run(&n, 30000);
	cr_assert_gt(l2tp_engine_held_ids(n.e[LNS], 0, ids, 8), 0);
	cr_assert(!tinfo(&n, LNS, lid).setup_timed_out);
	cr_assert_eq(l2tp_engine_expiry(n.e[LNS]), UINT64_MAX);
	/* Let go at 30000: 5000 ms were left, so it times out at 35000. */
	while (l2tp_engine_held_ids(n.e[LNS], 0, ids, 8) > 0)
		cr_assert_eq(l2tp_engine_held_drop(n.e[LNS], ids[0], n.now), 0);
	cr_assert_eq(l2tp_engine_expiry(n.e[LNS]), 35000);
	net_run(&n, 34999);
	cr_assert(!tinfo(&n, LNS, lid).setup_timed_out);
	net_run(&n, 35000);
	cr_assert(tinfo(&n, LNS, lid).setup_timed_out);
	net_free(&n);
}

/* ---- limits ---- */

/* Many SCCRQs with distinct ids from one address: the per-peer cap holds,
 * each refusal is a StopCCN result 2 error 4 sent once, the events are
 * rate-limited, and another address still gets its tunnel. */
Test(engine_limits, tunnels_per_peer_cap)
{
	struct l2tp_engine_config cb;
	struct net n;
	uint8_t buf[256];
	struct l2tp_addr other;
	struct l2tp_engine_stats st;
	uint16_t res, err;
	char msg[80];
	size_t len, refusals = 0;

	l2tp_engine_config_default(&cb);
	cb.max_tunnels_per_peer = 8;
	lns_alone(&n, &cb);
	for (uint16_t rid = 1; rid <= 40; rid++) {
		len = raw_sccrq(buf, sizeof(buf), rid, ver10, NULL);
		to_lns(&n, &n.addr[LAC], buf, len);
	}
	st = stats(&n, LNS);
	cr_assert_eq(st.tunnels, 8);
	cr_assert_eq(st.refused_tunnels_peer, 32);
	cr_assert_eq(sent_count(&n, LNS, L2TP_STOPCCN), 32);
	result_of(lns_last(&n, L2TP_STOPCCN), &res, &err, msg, sizeof(msg));
	cr_assert_eq(res, 2);
	cr_assert_eq(err, 4);
	cr_assert_eq(sent_nth(&n, LNS, L2TP_STOPCCN, 31)->tunnel, 40);
	/* At most a few refusal events a second; the rest counted. */
	refusals = ev_count(&n, LNS, L2TP_EV_REFUSED);
	cr_assert_eq(refusals, 5);
	cr_assert_eq(st.events_suppressed, 27);
	n.now += 1000;
	len = raw_sccrq(buf, sizeof(buf), 41, ver10, NULL);
	to_lns(&n, &n.addr[LAC], buf, len);
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_REFUSED, "27 more refusals not shown"));
	/* Another address is not held back. */
	h_addr(&other, 3, 1701);
	len = raw_sccrq(buf, sizeof(buf), 500, ver10, NULL);
	to_lns(&n, &other, buf, len);
	cr_assert_eq(stats(&n, LNS).tunnels, 9);
	cr_assert_eq(l2tp_engine_tunnel_ids(n.e[LNS], NULL, 0), 9);
	net_free(&n);
}

Test(engine_limits, tunnels_in_all_cap)
{
	struct l2tp_engine_config cb;
	struct net n;
	uint8_t buf[256];
	struct l2tp_addr a;
	uint16_t lid = 0;

	l2tp_engine_config_default(&cb);
	cb.max_tunnels = 3;
	lns_alone(&n, &cb);
	for (uint8_t i = 0; i < 5; i++) {
		h_addr(&a, (uint8_t)(10 + i), 1701);
		to_lns(&n, &a, buf,
		       raw_sccrq(buf, sizeof(buf), 9, ver10, NULL));
	}
	cr_assert_eq(stats(&n, LNS).tunnels, 3);
	cr_assert_eq(stats(&n, LNS).refused_tunnels_total, 2);
	/* The operator's own tunnels meet the same cap. */
	cr_assert_eq(l2tp_engine_tunnel_open(n.e[LNS], &n.addr[LAC],
	                                     L2TP_ROLE_LNS, n.now, &lid),
	             L2TP_E_LIMIT);
	net_free(&n);
}

/* ICRQs beyond sessions-per-tunnel get a CDN result 4; no session kept. */
Test(engine_limits, sessions_per_tunnel_cap)
{
	struct l2tp_engine_config ca, cb;
	struct net n;
	uint16_t tid, sid, ids[8];
	const struct sent *s;
	uint16_t res, err;
	char msg[80];
	struct l2tp_msg m;

	l2tp_engine_config_default(&ca);
	cb = ca;
	cb.max_sessions_per_tunnel = 2;
	net_init(&n, &ca, &cb);
	tid = net_open(&n);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(
		    l2tp_engine_call_open(n.e[LAC], tid, NULL, n.now, &sid), 0);
	net_run(&n, n.now + 1000);
	cr_assert_eq(l2tp_engine_session_ids(n.e[LNS], 0, ids, 8), 2);
	cr_assert_eq(l2tp_engine_session_ids(n.e[LAC], 0, ids, 8), 2);
	cr_assert_eq(stats(&n, LNS).refused_sessions_tunnel, 1);
	s = sent_nth(&n, LNS, L2TP_CDN, 0);
	cr_assert_not_null(s);
	cr_assert_eq(l2tp_parse(s->data, s->len, s->len, L2TP_UDP, NULL, &m),
	             0);
	result_of(&m, &res, &err, msg, sizeof(msg));
	cr_assert_eq(res, 4);
	cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_REFUSED, "ICRQ"));
	cr_assert_not_null(ev_find(&n, LAC, L2TP_EV_CDN, "result 4"));
	/* The operator's calls meet the caps too. */
	cr_assert_eq(l2tp_engine_call_open(n.e[LNS], net_tid(&n, LNS), NULL,
	                                   n.now, &sid),
	             L2TP_E_LIMIT);
	net_free(&n);
}

/* Messages queued ahead of a gap: bounded by the window we advertised,
 * not by the config of later, and by a total over all tunnels. */
Test(engine_limits, out_of_order_bounded_by_advertised_window)
{
	struct l2tp_engine_config ca, cb;
	struct net n;
	uint16_t tid;
	struct l2tp_craft c = {.msg_type = L2TP_HELLO, .set_ns = true};
	uint16_t nr;

	l2tp_engine_config_default(&ca);
	ca.hello_ms = 0;
	cb = ca;
	cb.rx_window = 4;
	cb.max_out_of_order = 2;
	net_init(&n, &ca, &cb);
	tid = net_open(&n);
	nr = net_info(&n, LNS).nr;
	cb.rx_window = 64;
	cb.random = l2tp_engine_config(n.e[LNS])->random;
	cb.random_ctx = l2tp_engine_config(n.e[LNS])->random_ctx;
	cr_assert_eq(l2tp_engine_set_config(n.e[LNS], &cb), 0);
	/* Ns nr+10: inside 64, outside the 4 we advertised. */
	c.ns = (uint16_t)(nr + 10);
	cr_assert_eq(l2tp_engine_send_craft(n.e[LAC], tid, NULL, &c, n.now), 0);
	net_flush(&n);
	cr_assert_eq(net_info(&n, LNS).out_of_window, 1);
	cr_assert_eq(net_info(&n, LNS).out_of_order_queued, 0);
	cr_assert_eq(net_info(&n, LNS).rx_window, 4);
	/* Three early ones inside the window: the total cap takes two. */
	for (uint16_t k = 1; k <= 3; k++) {
		c.ns = (uint16_t)(nr + k);
		cr_assert_eq(
		    l2tp_engine_send_craft(n.e[LAC], tid, NULL, &c, n.now), 0);
	}
	net_flush(&n);
	cr_assert_eq(net_info(&n, LNS).out_of_order_queued, 2);
	cr_assert_eq(stats(&n, LNS).refused_out_of_order, 1);
	net_free(&n);
}

/* Step mode holds at most max_held items; beyond, as if lost. */
Test(engine_limits, held_messages_capped)
{
	struct l2tp_engine_config cb;
	struct net n;
	uint8_t buf[256];
	struct l2tp_addr a;

	l2tp_engine_config_default(&cb);
	cb.mode = L2TP_MODE_STEP;
	cb.max_held = 3;
	lns_alone(&n, &cb);
	for (uint8_t i = 0; i < 5; i++) {
		h_addr(&a, (uint8_t)(20 + i), 1701);
		to_lns(&n, &a, buf,
		       raw_sccrq(buf, sizeof(buf), 5, ver10, NULL));
	}
	cr_assert_eq(l2tp_engine_held_ids(n.e[LNS], 0, NULL, 0), 3);
	cr_assert_eq(stats(&n, LNS).refused_held, 2);
	net_free(&n);
}

/* With ids drawn from a random source that repeats itself, every id after
 * the first comes from the free-id pool: distinct, O(1), reusable. */
Test(engine_limits, id_allocation_near_full)
{
	struct l2tp_engine_config c;
	struct net n;
	static uint16_t ids[3000];
	uint16_t lid;

	l2tp_engine_config_default(&c);
	c.max_tunnels = 0;
	net_init(&n, &c, NULL);
	n.rng[LAC].fixed = 7;
	for (int i = 0; i < 3000; i++)
		cr_assert_eq(l2tp_engine_tunnel_open(n.e[LAC], &n.addr[LNS],
		                                     L2TP_ROLE_LAC, 0, &ids[i]),
		             0);
	cr_assert_eq(l2tp_engine_tunnel_ids(n.e[LAC], NULL, 0), 3000);
	for (int i = 0; i < 3000; i++) {
		struct l2tp_tunnel_info ti;

		cr_assert_eq(l2tp_engine_tunnel_info(n.e[LAC], ids[i], &ti), 0);
		cr_assert_eq(ti.local_id, ids[i]);
	}
	/* Freed ids go back to the pool. */
	cr_assert_eq(l2tp_engine_tunnel_close(n.e[LAC], ids[5], 1, -1, NULL, 0),
	             0);
	cr_assert_eq(l2tp_engine_tunnel_open(n.e[LAC], &n.addr[LNS],
	                                     L2TP_ROLE_LAC, 0, &lid),
	             0);
	cr_assert_neq(lid, 0);
	net_free(&n);
}

/* ---- the review's bugs ---- */

static bool
sccrq_has_challenge(struct net *n)
{
	const struct sent *s = sent_nth(n, LAC, L2TP_SCCRQ, 0);
	struct l2tp_msg m;

	cr_assert_not_null(s);
	cr_assert_eq(l2tp_parse(s->data, s->len, s->len, L2TP_UDP, NULL, &m),
	             0);
	return l2tp_find_avp(&m, 0, L2TP_AVP_CHALLENGE) != NULL;
}

/* A challenge only when a secret may apply to this peer. */
Test(engine_limits, challenge_only_when_a_secret_applies)
{
	struct net n;
	struct l2tp_addr elsewhere;

	h_addr(&elsewhere, 9, 1701);
	net_init(&n, NULL, NULL);
	n.filter = lac_deaf;
	cr_assert_eq(l2tp_engine_set_secret_addr(n.e[LAC], &elsewhere, "other"),
	             0);
	net_open(&n);
	cr_assert(!sccrq_has_challenge(&n), "secret of another address");
	net_free(&n);

	net_init(&n, NULL, NULL);
	n.filter = lac_deaf;
	cr_assert_eq(l2tp_engine_set_secret_addr(n.e[LAC], &n.addr[LNS], "s"),
	             0);
	net_open(&n);
	cr_assert(sccrq_has_challenge(&n), "secret of this address");
	net_free(&n);

	/* Bound to a host name: the peer's is not known before SCCRP. */
	net_init(&n, NULL, NULL);
	n.filter = lac_deaf;
	cr_assert_eq(l2tp_engine_set_secret_host(n.e[LAC], "lns-host", "s"), 0);
	net_open(&n);
	cr_assert(sccrq_has_challenge(&n), "secret of a host name");
	net_free(&n);
}

/* The SCCRP's Host Name picks the secret that opens its hidden AVPs. */
Test(engine_limits, host_secret_opens_hidden_sccrp)
{
	struct l2tp_engine_config cb;
	struct net n;

	l2tp_engine_config_default(&cb);
	snprintf(cb.host_name, sizeof(cb.host_name), "lns-host");
	cb.hide_avps = true;
	net_init(&n, NULL, &cb);
	cr_assert_eq(l2tp_engine_set_secret_host(n.e[LAC], "lns-host", "hs"),
	             0);
	cr_assert_eq(l2tp_engine_set_secret_default(n.e[LNS], "hs"), 0);
	net_open(&n);
	cr_assert_null(ev_find(&n, LAC, L2TP_EV_HIDDEN, NULL));
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	cr_assert(net_info(&n, LAC).authenticated);
	net_free(&n);
}

/* An SCCCN answering our challenge with a 15-byte Challenge Response,
 * plain or hidden: StopCCN result 4 naming it. */
static void
short_response(bool hidden)
{
	struct l2tp_engine_config cb;
	struct net n;
	struct l2tp_builder b;
	uint8_t buf[256], resp[15] = {0}, rv[16] = {1, 2, 3};
	uint16_t lid, res, err;
	char msg[80];
	int len;

	l2tp_engine_config_default(&cb);
	lns_alone(&n, &cb);
	cr_assert_eq(l2tp_engine_set_secret_default(n.e[LNS], "sec"), 0);
	to_lns(&n, &n.addr[LAC], buf,
	       raw_sccrq(buf, sizeof(buf), 77, ver10, NULL));
	cr_assert_not_null(
	    l2tp_find_avp(lns_last(&n, L2TP_SCCRP), 0, L2TP_AVP_CHALLENGE));
	lid = net_tid(&n, LNS);
	l2tp_build_control(&b, buf, sizeof(buf), lid, 0, 1, 1);
	l2tp_build_msg_type(&b, L2TP_SCCCN);
	if (hidden) {
		l2tp_build_random_vector(&b, rv, sizeof(rv), "sec");
		l2tp_build_hidden(&b, true, 0, L2TP_AVP_CHALLENGE_RESPONSE,
		                  resp, sizeof(resp), NULL, 0);
	} else {
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CHALLENGE_RESPONSE,
		               resp, sizeof(resp));
	}
	len = l2tp_build_end(&b);
	cr_assert_gt(len, 0);
	to_lns(&n, &n.addr[LAC], buf, (size_t)len);
	cr_assert_eq(sent_count(&n, LNS, L2TP_STOPCCN), 1);
	result_of(lns_last(&n, L2TP_STOPCCN), &res, &err, msg, sizeof(msg));
	cr_assert_eq(res, 4);
	cr_assert(strstr(msg, "Challenge Response"), "%s", msg);
	cr_assert_eq(tinfo(&n, LNS, lid).state, L2TP_TS_CLOSING);
	net_free(&n);
}

Test(engine_limits, short_challenge_response_stops_tunnel)
{
	short_response(false);
}

Test(engine_limits, short_hidden_challenge_response_stops_tunnel)
{
	short_response(true);
}

/* A bad header stays a counted drop: nothing answered. */
Test(engine_limits, bad_header_is_a_counted_drop)
{
	struct net n;
	uint8_t junk[12] = {0xc8, 0x02, 0x00, 0x40}; /* Length 64 > 12 */

	lns_alone(&n, NULL);
	to_lns(&n, &n.addr[LAC], junk, sizeof(junk));
	cr_assert_eq(stats(&n, LNS).bad_in, 1);
	cr_assert_eq(n.nlog, 0);
	net_free(&n);
}

/* Several messages timing out together are one loss event: ssthresh is
 * halved once and only the oldest goes again (cwnd 1). */
static enum verdict
drop_hellos_when(struct net *n, const struct sent *s)
{
	return n->fcount && s->from == LAC && s->type == L2TP_HELLO ? DROP
	                                                            : PASS;
}

Test(engine_limits, one_loss_event_halves_once)
{
	struct l2tp_engine_config ca, cb;
	struct net n;
	uint16_t tid;
	struct l2tp_craft c = {.msg_type = L2TP_HELLO, .reliable = true};
	size_t before;

	l2tp_engine_config_default(&ca);
	ca.hello_ms = 0;
	cb = ca;
	cb.rx_window = 16;
	net_init(&n, &ca, &cb);
	n.filter = drop_hellos_when;
	tid = net_open(&n);
	/* Slow start: one more per ack; SCCRQ and SCCCN took it to 3. */
	for (int i = 0; i < 8; i++) {
		cr_assert_eq(
		    l2tp_engine_send_craft(n.e[LAC], tid, NULL, &c, n.now), 0);
		net_run(&n, n.now + 200);
	}
	cr_assert_eq(net_info(&n, LAC).cwnd, 11, "cwnd %u",
	             net_info(&n, LAC).cwnd);
	n.fcount = 1;
	for (int i = 0; i < 6; i++)
		cr_assert_eq(
		    l2tp_engine_send_craft(n.e[LAC], tid, NULL, &c, n.now), 0);
	net_flush(&n);
	cr_assert_eq(net_info(&n, LAC).unacked, 6);
	before = sent_count(&n, LAC, L2TP_HELLO);
	net_run(&n, n.now + 999);
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), before);
	net_run(&n, n.now + 1);
	cr_assert_eq(net_info(&n, LAC).ssthresh, 5);
	cr_assert_eq(net_info(&n, LAC).cwnd, 1);
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), before + 1);
	net_free(&n);
}

/* §4.4.2: with result 5 the Error Code is the highest version spoken. */
Test(engine_limits, result_5_names_highest_version)
{
	static const uint8_t v20[2] = {2, 0};
	struct net n;
	uint8_t buf[256];
	uint16_t res, err;
	char msg[80];

	lns_alone(&n, NULL);
	to_lns(&n, &n.addr[LAC], buf,
	       raw_sccrq(buf, sizeof(buf), 7, v20, NULL));
	result_of(lns_last(&n, L2TP_STOPCCN), &res, &err, msg, sizeof(msg));
	cr_assert_eq(res, 5);
	cr_assert_eq(err, 0x0100);
	net_free(&n);
}

/* §4.4.3: a StopCCN sent before the peer knew our id has Tunnel ID 0 and
 * names the tunnel by its Assigned Tunnel ID. */
Test(engine_limits, stopccn_with_tunnel_id_0_matched)
{
	struct net n;
	struct l2tp_builder b;
	uint8_t buf[256];
	uint16_t lid;
	int len;

	lns_alone(&n, NULL);
	lid = half_open(&n, &n.addr[LAC], 77);
	l2tp_build_control(&b, buf, sizeof(buf), 0, 0, 1, 1);
	l2tp_build_msg_type(&b, L2TP_STOPCCN);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 77);
	l2tp_build_result(&b, 1, -1, NULL);
	len = l2tp_build_end(&b);
	to_lns(&n, &n.addr[LAC], buf, (size_t)len);
	cr_assert_eq(tinfo(&n, LNS, lid).state, L2TP_TS_CLOSING);
	cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_STOPCCN, "peer sent"));
	/* Another peer cannot stop it by guessing the id. */
	net_free(&n);

	lns_alone(&n, NULL);
	lid = half_open(&n, &n.addr[LAC], 77);
	{
		struct l2tp_addr other;

		h_addr(&other, 3, 1701);
		to_lns(&n, &other, buf, (size_t)len);
	}
	cr_assert_eq(tinfo(&n, LNS, lid).state, L2TP_TS_WAIT_CTL_CONN);
	net_free(&n);
}

/* ---- what a real LAC/LNS also checks ---- */

/* §4.4.3: a call's Framing Type must be one its sender announced. */
Test(engine_limits, framing_type_outside_capabilities)
{
	struct l2tp_engine_config ca;
	struct l2tp_call_params p;
	struct net n;
	uint16_t tid, sid;
	const struct l2tp_event *ev;

	l2tp_engine_config_default(&ca);
	ca.framing_cap = 1; /* sync only */
	net_init(&n, &ca, NULL);
	tid = net_open(&n);
	l2tp_call_params_default(&p);
	p.framing_type = 2; /* async */
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, &p, n.now, &sid), 0);
	net_run(&n, n.now + 1000);
	ev = ev_find(&n, LNS, L2TP_EV_CDN, "Framing Type 2");
	cr_assert_not_null(ev);
	cr_assert_eq(ev->result, 2);
	cr_assert_eq(ev->error, 3);
	net_free(&n);
}

/* §6.9: no OCRQ to a LAC that announced no Bearer Capabilities. */
Test(engine_limits, no_ocrq_without_bearer_capabilities)
{
	struct l2tp_engine_config ca;
	struct net n;
	uint16_t sid;

	l2tp_engine_config_default(&ca);
	ca.bearer_cap = 0;
	net_init(&n, &ca, NULL);
	net_open(&n);
	cr_assert_eq(l2tp_engine_call_open(n.e[LNS], net_tid(&n, LNS), NULL,
	                                   n.now, &sid),
	             L2TP_E_STATE);
	cr_assert_eq(sent_count(&n, LNS, L2TP_OCRQ), 0);
	net_free(&n);
}

/* Any message from the peer, data included, puts the Hello off. */
Test(engine_limits, data_message_resets_hello)
{
	struct l2tp_engine_config c, ca;
	struct net n;
	struct l2tp_builder b;
	uint8_t buf[64], ppp[4] = {0xff, 0x03, 0xc0, 0x21};
	int len;

	l2tp_engine_config_default(&ca);
	ca.hello_ms = 0;
	l2tp_engine_config_default(&c);
	c.hello_ms = 10000;
	net_init(&n, &ca, &c);
	net_open(&n);
	net_run(&n, 1000);
	cr_assert_eq(l2tp_engine_expiry(n.e[LNS]), 10000);
	n.now = 5000;
	l2tp_build_data(&b, buf, sizeof(buf), 2, net_tid(&n, LNS), 1, 0, 0, 0,
	                ppp, sizeof(ppp));
	len = l2tp_build_end(&b);
	cr_assert_gt(len, 0);
	l2tp_engine_input(n.e[LNS], &n.addr[LAC], buf, (size_t)len, n.now);
	cr_assert_eq(l2tp_engine_expiry(n.e[LNS]), 15000);
	net_run(&n, 14999);
	cr_assert_eq(net_info(&n, LNS).hellos_out, 0);
	net_run(&n, 15000);
	cr_assert_eq(net_info(&n, LNS).hellos_out, 1);
	net_free(&n);
}

/* §7.2, idle + SCCRP: send StopCCN.  An SCCRP for no tunnel of ours is
 * answered (result 2 error 1) with the Ns the peer expects. */
Test(engine_limits, sccrp_for_unknown_tunnel_answered)
{
	struct net n;
	struct l2tp_builder b;
	uint8_t buf[256];
	struct l2tp_msg *m;
	const struct sent *s;
	uint16_t res, err;
	char msg[80];
	int len;

	lns_alone(&n, NULL);
	l2tp_build_control(&b, buf, sizeof(buf), 4242, 0, 0, 1);
	l2tp_build_msg_type(&b, L2TP_SCCRP);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_PROTOCOL_VERSION, ver10, 2);
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 3);
	l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "stale");
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 99);
	len = l2tp_build_end(&b);
	to_lns(&n, &n.addr[LAC], buf, (size_t)len);
	m = lns_last(&n, L2TP_STOPCCN);
	s = sent_nth(&n, LNS, L2TP_STOPCCN, 0);
	cr_assert_eq(s->tunnel, 99);
	cr_assert_eq(s->ns, 1);
	cr_assert_eq(s->nr, 1);
	result_of(m, &res, &err, msg, sizeof(msg));
	cr_assert_eq(res, 2);
	cr_assert_eq(err, 1);
	cr_assert_eq(stats(&n, LNS).tunnels, 0);
	/* An SCCCN for no tunnel is only dropped (§7.2: clean up). */
	l2tp_build_control(&b, buf, sizeof(buf), 4242, 0, 1, 1);
	l2tp_build_msg_type(&b, L2TP_SCCCN);
	len = l2tp_build_end(&b);
	to_lns(&n, &n.addr[LAC], buf, (size_t)len);
	cr_assert_eq(sent_count(&n, LNS, L2TP_STOPCCN), 1);
	net_free(&n);
}
