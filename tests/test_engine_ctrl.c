/* Engine tests: control connection, authentication, reliable delivery, Hello,
 * StopCCN (RFC 2661 §5.8, §7.2). */
#include "test_engine_harness.h"
#include "decoder/avpval.h"

/* ---- filters ---- */

struct dropper {
	int from, type; /* type -1 ZLB, -3 any */
	int left;       /* how many more to drop; < 0 = all */
	uint64_t after; /* only from this time on */
};

static enum verdict
drop_filter(struct net *n, const struct sent *s)
{
	struct dropper *d = n->fctx;

	if ((d->from >= 0 && s->from != d->from) ||
	    (d->type != -3 && s->type != d->type) || s->t < d->after)
		return PASS;
	if (d->left == 0)
		return PASS;
	if (d->left > 0)
		d->left--;
	return DROP;
}

static void
set_drop(struct net *n, struct dropper *d, int from, int type, int count)
{
	memset(d, 0, sizeof(*d));
	d->from = from;
	d->type = type;
	d->left = count;
	n->fctx = d;
	n->filter = drop_filter;
}

/*
 * The k-th send of `type` from `from` happens exactly at times[k]: at
 * times[k] - 1 there were only k sends.
 */
static void
expect_sends(struct net *n, int from, int type, const uint64_t *times, size_t k)
{
	for (size_t i = 1; i < k; i++) {
		net_run(n, times[i] - 1);
		cr_assert_eq(sent_count(n, from, type), i,
		             "send %zu of %d came before %llu ms", i + 1, type,
		             (unsigned long long)times[i]);
		net_run(n, times[i]);
		cr_assert_eq(sent_count(n, from, type), i + 1,
		             "send %zu of %d not at %llu ms", i + 1, type,
		             (unsigned long long)times[i]);
		cr_assert_eq(sent_nth(n, from, type, i)->t, times[i]);
	}
}

static void
secrets(struct net *n, const char *lac, const char *lns)
{
	if (lac)
		cr_assert_eq(l2tp_engine_set_secret_default(n->e[LAC], lac), 0);
	if (lns)
		cr_assert_eq(l2tp_engine_set_secret_default(n->e[LNS], lns), 0);
}

static void
challenge(struct net *n, int side, bool on)
{
	struct l2tp_engine_config c = *l2tp_engine_config(n->e[side]);

	c.challenge = on;
	cr_assert_eq(l2tp_engine_set_config(n->e[side], &c), 0);
}

/* ---- handshake ---- */

Test(engine_ctrl, handshake_no_auth)
{
	struct net n;
	struct l2tp_tunnel_info a, b;

	net_init(&n, NULL, NULL);
	net_open(&n);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	a = net_info(&n, LAC);
	b = net_info(&n, LNS);
	cr_assert_eq(a.remote_id, b.local_id);
	cr_assert_eq(b.remote_id, a.local_id);
	cr_assert_str_eq(a.peer_host, "lns-host");
	cr_assert_str_eq(b.peer_host, "lac-host");
	cr_assert_not(a.authenticated);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCRQ), 1);
	cr_assert_eq(sent_count(&n, LNS, L2TP_SCCRP), 1);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCCN), 1);
	/* The SCCCN is acknowledged by a ZLB after the configured delay. */
	cr_assert_eq(sent_count(&n, LNS, -1), 0);
	cr_assert_eq(l2tp_engine_expiry(n.e[LNS]), 100);
	net_run(&n, 99);
	cr_assert_eq(sent_count(&n, LNS, -1), 0);
	net_run(&n, 100);
	cr_assert_eq(sent_count(&n, LNS, -1), 1);
	cr_assert_eq(sent_nth(&n, LNS, -1, 0)->session, 0);
	a = net_info(&n, LAC);
	cr_assert_eq(a.unacked, 0);
	cr_assert_eq(a.ns, 2);
	cr_assert_eq(a.nr, 1);
	cr_assert_eq(a.peer_window, 4);
	/* The state names the shell shows. */
	cr_assert_not_null(
	    ev_find(&n, LAC, L2TP_EV_TUNNEL_STATE, "idle -> wait-ctl-reply"));
	cr_assert_not_null(ev_find(&n, LAC, L2TP_EV_TUNNEL_STATE,
	                           "wait-ctl-reply -> established"));
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_TUNNEL_STATE, "idle -> wait-ctl-conn"));
	cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_TUNNEL_STATE,
	                           "wait-ctl-conn -> established"));
	net_free(&n);
}

Test(engine_ctrl, not_listening_drops_sccrq)
{
	struct net n;

	net_init(&n, NULL, NULL);
	l2tp_engine_listen(n.e[LNS], false, L2TP_ROLE_LNS);
	net_open(&n);
	cr_assert_eq(net_state(&n, LNS), -1);
	cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_ANOMALY, "not listening"));
	net_free(&n);
}

static void
auth_case(bool lac_chal, bool lns_chal)
{
	struct net n;

	net_init(&n, NULL, NULL);
	secrets(&n, "s3cr3t", "s3cr3t");
	challenge(&n, LAC, lac_chal);
	challenge(&n, LNS, lns_chal);
	net_open(&n);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	cr_assert_eq(net_info(&n, LAC).authenticated, lac_chal);
	cr_assert_eq(net_info(&n, LNS).authenticated, lns_chal);
	cr_assert_eq(ev_find(&n, LAC, L2TP_EV_AUTH, "in SCCRP is right") !=
	                 NULL,
	             lac_chal);
	cr_assert_eq(ev_find(&n, LNS, L2TP_EV_AUTH, "in SCCCN is right") !=
	                 NULL,
	             lns_chal);
	cr_assert_null(ev_find(&n, LAC, L2TP_EV_STOPCCN, NULL));
	cr_assert_null(ev_find(&n, LNS, L2TP_EV_STOPCCN, NULL));
	net_free(&n);
}

Test(engine_ctrl, challenge_from_lac)
{
	auth_case(true, false);
}

Test(engine_ctrl, challenge_from_lns)
{
	auth_case(false, true);
}

Test(engine_ctrl, challenge_both_ways)
{
	auth_case(true, true);
}

Test(engine_ctrl, challenge_response_is_md5_of_id_secret_challenge)
{
	struct net n;
	uint8_t want[16];
	const struct sent *rq, *rp;
	struct l2tp_msg *m = malloc(sizeof(*m));
	const struct l2tp_avp *c, *r;

	net_init(&n, NULL, NULL);
	secrets(&n, "abc", "abc");
	challenge(&n, LNS, false);
	net_open(&n);
	rq = sent_nth(&n, LAC, L2TP_SCCRQ, 0);
	rp = sent_nth(&n, LNS, L2TP_SCCRP, 0);
	cr_assert_eq(l2tp_parse(rq->data, rq->len, rq->len, L2TP_UDP, NULL, m),
	             0);
	c = l2tp_find_avp(m, 0, L2TP_AVP_CHALLENGE);
	cr_assert_not_null(c);
	l2tp_chap_response(2, (const uint8_t *)"abc", 3, c->value.p,
	                   c->value.len, want);
	cr_assert_eq(l2tp_parse(rp->data, rp->len, rp->len, L2TP_UDP, NULL, m),
	             0);
	r = l2tp_find_avp(m, 0, L2TP_AVP_CHALLENGE_RESPONSE);
	cr_assert_not_null(r);
	cr_assert_eq(memcmp(r->value.p, want, 16), 0);
	free(m);
	net_free(&n);
}

Test(engine_ctrl, wrong_secret_lac_side)
{
	struct net n;
	const struct l2tp_event *ev;

	/* The LNS challenges; the LAC answers with another secret. */
	net_init(&n, NULL, NULL);
	secrets(&n, "wrong", "right");
	challenge(&n, LAC, false);
	net_open(&n);
	ev = ev_find(&n, LNS, L2TP_EV_AUTH, "SCCCN is wrong");
	cr_assert_not_null(ev);
	cr_assert_not(ev->ok);
	cr_assert_not_null(strstr(ev->text, "LAC"));
	ev = ev_find(&n, LNS, L2TP_EV_STOPCCN, "sending StopCCN result 4");
	cr_assert_not_null(ev);
	ev = ev_find(&n, LAC, L2TP_EV_AUTH, "rejected our Challenge Response");
	cr_assert_not_null(ev);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_CLOSING);
	cr_assert_eq(net_info(&n, LAC).last_result, 4);
	net_free(&n);
}

Test(engine_ctrl, wrong_secret_lns_side)
{
	struct net n;
	const struct l2tp_event *ev;

	net_init(&n, NULL, NULL);
	secrets(&n, "right", "wrong");
	challenge(&n, LNS, false);
	net_open(&n);
	ev = ev_find(&n, LAC, L2TP_EV_AUTH, "SCCRP is wrong");
	cr_assert_not_null(ev);
	cr_assert_not_null(strstr(ev->text, "LNS"));
	cr_assert_not_null(
	    ev_find(&n, LAC, L2TP_EV_STOPCCN, "sending StopCCN result 4"));
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_STOPCCN, "peer sent StopCCN result 4"));
	cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_AUTH, "rejected"));
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCCN), 0);
	net_free(&n);
}

Test(engine_ctrl, challenged_without_secret)
{
	struct net n;

	net_init(&n, NULL, NULL);
	secrets(&n, NULL, "only-lns");
	net_open(&n);
	cr_assert_not_null(ev_find(&n, LAC, L2TP_EV_AUTH, "no secret is set"));
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_STOPCCN, "peer sent StopCCN result 4"));
	net_free(&n);
}

Test(engine_ctrl, secret_by_host_name)
{
	struct net n;

	net_init(&n, NULL, NULL);
	cr_assert_eq(l2tp_engine_set_secret_host(n.e[LAC], "lns-host", "h"), 0);
	cr_assert_eq(l2tp_engine_set_secret_default(n.e[LAC], "other"), 0);
	cr_assert_eq(l2tp_engine_set_secret_host(n.e[LNS], "lac-host", "h"), 0);
	net_open(&n);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	cr_assert(net_info(&n, LAC).authenticated);
	cr_assert(net_info(&n, LNS).authenticated);
	net_free(&n);
}

/* ---- retransmission ---- */

static const uint64_t backoff[] = {0, 1000, 3000, 7000, 15000, 23000};

Test(engine_ctrl, sccrq_lost_backoff_1_2_4_8)
{
	struct net n;
	struct dropper d;

	net_init(&n, NULL, NULL);
	set_drop(&n, &d, LAC, L2TP_SCCRQ, 4);
	net_open(&n);
	cr_assert_eq(l2tp_engine_expiry(n.e[LAC]), 1000);
	expect_sends(&n, LAC, L2TP_SCCRQ, backoff, 5);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	/* Every retransmission keeps its Ns (the Nr: see
	 * retransmission_carries_current_nr). */
	for (size_t i = 0; i < 5; i++)
		cr_assert_eq(sent_nth(&n, LAC, L2TP_SCCRQ, i)->ns, 0);
	cr_assert_eq(net_info(&n, LAC).retransmits, 4);
	cr_assert_not_null(ev_find(&n, LAC, L2TP_EV_RETRANSMIT, "SCCRQ Ns 0"));
	net_free(&n);
}

Test(engine_ctrl, sccrp_lost_once)
{
	struct net n;
	struct dropper d;

	net_init(&n, NULL, NULL);
	set_drop(&n, &d, LNS, L2TP_SCCRP, 1);
	net_open(&n);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_WAIT_CTL_REPLY);
	net_run(&n, 999);
	cr_assert_eq(sent_count(&n, LNS, L2TP_SCCRP), 1);
	net_run(&n, 1000);
	cr_assert_eq(sent_count(&n, LNS, L2TP_SCCRP), 2);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	net_free(&n);
}

Test(engine_ctrl, sccrp_lost_backoff)
{
	struct net n;
	struct dropper d;

	net_init(&n, NULL, NULL);
	set_drop(&n, &d, LNS, L2TP_SCCRP, 4);
	net_open(&n);
	expect_sends(&n, LNS, L2TP_SCCRP, backoff, 5);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	net_free(&n);
}

Test(engine_ctrl, scccn_lost_backoff)
{
	struct net n;
	struct dropper d;

	net_init(&n, NULL, NULL);
	set_drop(&n, &d, LAC, L2TP_SCCCN, 4);
	net_open(&n);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_WAIT_CTL_CONN);
	expect_sends(&n, LAC, L2TP_SCCCN, backoff, 5);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	net_free(&n);
}

Test(engine_ctrl, zlb_lost_once)
{
	struct net n;
	struct dropper d;

	net_init(&n, NULL, NULL);
	set_drop(&n, &d, LNS, -1, 1);
	net_open(&n);
	net_run(&n, 100);
	cr_assert_eq(sent_count(&n, LNS, -1), 1);
	net_run(&n, 999);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCCN), 1);
	net_run(&n, 1000);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCCN), 2);
	/* The duplicate SCCCN is acknowledged again at once. */
	cr_assert_eq(sent_count(&n, LNS, -1), 2);
	cr_assert_eq(sent_nth(&n, LNS, -1, 1)->t, 1000);
	cr_assert_eq(net_info(&n, LNS).duplicates, 1);
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_DUPLICATE, "duplicate SCCCN Ns 1"));
	cr_assert_eq(net_info(&n, LAC).unacked, 0);
	net_run(&n, 30000);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCCN), 2);
	net_free(&n);
}

Test(engine_ctrl, silent_peer_retry_limit)
{
	struct net n;
	struct dropper d;
	const struct l2tp_event *ev;

	net_init(&n, NULL, NULL);
	set_drop(&n, &d, LAC, -3, -1);
	net_open(&n);
	expect_sends(&n, LAC, L2TP_SCCRQ, backoff, 6);
	net_run(&n, 30999);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_WAIT_CTL_REPLY);
	cr_assert_null(ev_find(&n, LAC, L2TP_EV_GIVE_UP, NULL));
	net_run(&n, 31000);
	cr_assert_eq(net_state(&n, LAC), -1);
	ev = ev_find(&n, LAC, L2TP_EV_GIVE_UP, NULL);
	cr_assert_not_null(ev);
	cr_assert_eq(ev->time_ms, 31000);
	cr_assert_not_null(strstr(ev->text, "SCCRQ Ns 0"), "%s", ev->text);
	cr_assert_not_null(strstr(ev->text, "sent 6 times over 31000 ms"), "%s",
	                   ev->text);
	cr_assert_not_null(ev_find(&n, LAC, L2TP_EV_TUNNEL_GONE, NULL));
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCRQ), 6);
	cr_assert_eq(l2tp_engine_expiry(n.e[LAC]), UINT64_MAX);
	net_free(&n);
}

Test(engine_ctrl, retry_limit_and_cap_configurable)
{
	struct net n;
	struct dropper d;
	struct l2tp_engine_config c;
	static const uint64_t t[] = {0, 500, 1500, 3500, 6500};

	net_init(&n, NULL, NULL);
	c = *l2tp_engine_config(n.e[LAC]);
	c.rtx_min_ms = 500;
	c.rtx_max_ms = 3000;
	c.rtx_retries = 3;
	cr_assert_eq(l2tp_engine_set_config(n.e[LAC], &c), 0);
	cr_assert_eq(l2tp_engine_config_cycle_ms(&c), 500 + 1000 + 2000 + 3000);
	set_drop(&n, &d, LAC, -3, -1);
	net_open(&n);
	expect_sends(&n, LAC, L2TP_SCCRQ, t, 4);
	net_run(&n, 6499);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_WAIT_CTL_REPLY);
	net_run(&n, 6500);
	cr_assert_eq(net_state(&n, LAC), -1);
	cr_assert_not_null(
	    ev_find(&n, LAC, L2TP_EV_GIVE_UP, "sent 4 times over 6500 ms"));
	net_free(&n);
}

/* ---- Hello ---- */

Test(engine_ctrl, hello_after_interval_then_retry_limit)
{
	struct net n;
	struct dropper d;
	const struct l2tp_event *ev;
	static const uint64_t t[] = {60100, 61100, 63100, 67100, 75100, 83100};

	net_init(&n, NULL, NULL);
	net_open(&n);
	net_run(&n, 1000);
	/* The LAC last heard the LNS at 100 ms (the ZLB). */
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), 0);
	/* From now on nothing gets through either way. */
	set_drop(&n, &d, -1, -3, -1);
	net_run(&n, 60099);
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), 0);
	net_run(&n, 60100);
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), 1);
	cr_assert_eq(sent_nth(&n, LAC, L2TP_HELLO, 0)->session, 0);
	cr_assert_not_null(ev_find(&n, LAC, L2TP_EV_TIMER,
	                           "nothing received for 60000 ms: Hello"));
	expect_sends(&n, LAC, L2TP_HELLO, t, 6);
	net_run(&n, 91099);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	net_run(&n, 91100);
	cr_assert_eq(net_state(&n, LAC), -1);
	ev = ev_find(&n, LAC, L2TP_EV_GIVE_UP, NULL);
	cr_assert_not_null(ev);
	cr_assert_not_null(strstr(ev->text, "HELLO Ns 2"), "%s", ev->text);
	cr_assert_not_null(strstr(ev->text, "sent 6 times over 31000 ms"));
	net_free(&n);
}

Test(engine_ctrl, hello_acked_keeps_tunnel)
{
	struct net n;

	net_init(&n, NULL, NULL);
	net_open(&n);
	/* The LNS last heard the LAC at 0: its Hello is due at 60 s. */
	net_run(&n, 59999);
	cr_assert_eq(sent_count(&n, LNS, L2TP_HELLO), 0);
	net_run(&n, 60000);
	cr_assert_eq(sent_count(&n, LNS, L2TP_HELLO), 1);
	net_run(&n, 60100);
	cr_assert_eq(sent_count(&n, LAC, -1), 1);
	cr_assert_eq(net_info(&n, LNS).unacked, 0);
	cr_assert_eq(net_info(&n, LAC).hellos_in, 1);
	cr_assert_eq(net_info(&n, LNS).hellos_out, 1);
	/* Each side's Hello keeps the other quiet. */
	net_run(&n, 600000);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	cr_assert_eq(net_info(&n, LAC).retransmits, 0);
	net_free(&n);
}

Test(engine_ctrl, hello_interval_changed_live)
{
	struct net n;
	uint16_t tid;

	net_init(&n, NULL, NULL);
	tid = net_open(&n);
	net_run(&n, 1000);
	cr_assert_eq(l2tp_engine_tunnel_set_hello(n.e[LAC], tid, 2000, 1000),
	             0);
	cr_assert_eq(net_info(&n, LAC).hello_ms, 2000);
	/* Due 2 s after the last message heard (100 ms): at 2100. */
	net_run(&n, 2099);
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), 0);
	net_run(&n, 2100);
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), 1);
	/* Acked at 2200: the next at 4200. */
	net_run(&n, 4199);
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), 1);
	net_run(&n, 4200);
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), 2);
	cr_assert_eq(l2tp_engine_tunnel_set_hello(n.e[LAC], tid, 0, 4300), 0);
	net_run(&n, 59000);
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), 2);
	cr_assert_eq(l2tp_engine_tunnel_set_hello(n.e[LAC], 1, 0, 0) ==
	                     L2TP_E_NOTUNNEL ||
	                 tid == 1,
	             1);
	net_free(&n);
}

/* ---- duplicates, window, reordering, wrap ---- */

static enum verdict
dup_all(struct net *n, const struct sent *s)
{
	(void)n;
	(void)s;
	return DUP;
}

Test(engine_ctrl, duplicates_reacked)
{
	struct net n;

	net_init(&n, NULL, NULL);
	n.filter = dup_all;
	net_open(&n);
	net_run(&n, 500);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	cr_assert_geq(net_info(&n, LNS).duplicates, 2);
	cr_assert_geq(net_info(&n, LAC).duplicates, 1);
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_DUPLICATE, "duplicate SCCRQ Ns 0"));
	cr_assert_null(ev_find(&n, LNS, L2TP_EV_STOPCCN, NULL));
	cr_assert_eq(l2tp_engine_tunnel_ids(n.e[LNS], NULL, 0), 1);
	net_free(&n);
}

static enum verdict
hold_lac(struct net *n, const struct sent *s)
{
	return s->from == LAC && n->fcount ? HOLD : PASS;
}

Test(engine_ctrl, full_window_and_reordering)
{
	struct net n;
	uint16_t tid, sid[8];
	struct l2tp_tunnel_info a;

	net_init(&n, NULL, NULL);
	tid = net_open(&n);
	net_run(&n, 200);
	a = net_info(&n, LAC);
	/* Two acks in slow start: cwnd 1 -> 3. */
	cr_assert_eq(a.cwnd, 3);
	cr_assert_eq(a.ssthresh, 4);
	n.filter = hold_lac;
	n.fcount = 1;
	for (int i = 0; i < 8; i++)
		cr_assert_eq(
		    l2tp_engine_call_open(n.e[LAC], tid, NULL, n.now, &sid[i]),
		    0);
	net_flush(&n);
	a = net_info(&n, LAC);
	cr_assert_eq(n.nhold, 3);
	cr_assert_eq(a.unacked, 3);
	cr_assert_eq(a.queued, 5);
	/* Delivered last first: two are queued out of order. */
	n.fcount = 0;
	net_release_reversed(&n);
	cr_assert_eq(net_info(&n, LNS).out_of_order, 2);
	cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_OUT_OF_ORDER,
	                           "ICRQ Ns 4 arrived before Ns 2"));
	net_run(&n, 5000);
	for (int i = 0; i < 8; i++) {
		struct l2tp_session_info si;

		cr_assert_eq(l2tp_engine_session_info(n.e[LAC], sid[i], &si),
		             0);
		cr_assert_eq(si.state, L2TP_SS_ESTABLISHED);
	}
	a = net_info(&n, LAC);
	cr_assert_leq(a.cwnd, 4);
	cr_assert_eq(a.sessions_active, 8);
	cr_assert_eq(net_info(&n, LNS).sessions_active, 8);
	/* Never more in flight than the peer's window of 4. */
	uint16_t acked = 0;

	for (size_t i = 0; i < n.nlog; i++) {
		const struct sent *s = &n.log[i];

		if (s->from == LNS && s->type >= -1 &&
		    l2tp_seq_lt(acked, s->nr))
			acked = s->nr;
		if (s->from == LAC && s->type >= 0)
			cr_assert_lt((uint16_t)(s->ns - acked), 4,
			             "Ns %u sent with only %u acknowledged",
			             s->ns, acked);
	}
	net_free(&n);
}

Test(engine_ctrl, ns_wraps_at_65535)
{
	struct net n;
	struct l2tp_engine_config c[2];
	uint16_t tid;
	struct l2tp_tunnel_info a, b;

	net_init(&n, NULL, NULL);
	for (int i = 0; i < 2; i++) {
		c[i] = *l2tp_engine_config(n.e[i]);
		c[i].zlb_delay_ms = 0;
		c[i].event_mask = 0;
		cr_assert_eq(l2tp_engine_set_config(n.e[i], &c[i]), 0);
	}
	n.quiet = true;
	tid = net_open(&n);
	cr_assert_eq(l2tp_engine_tunnel_set_hello(n.e[LAC], tid, 1, 0), 0);
	net_run(&n, 70000);
	a = net_info(&n, LAC);
	b = net_info(&n, LNS);
	cr_assert_eq(a.state, L2TP_TS_ESTABLISHED);
	cr_assert_eq(b.state, L2TP_TS_ESTABLISHED);
	cr_assert_gt(a.hellos_out, 65536);
	cr_assert_lt(a.ns, 10000, "Ns did not wrap: %u", a.ns);
	cr_assert_eq(b.nr, a.ns);
	cr_assert_eq(a.retransmits, 0, "%llu retransmits, ns %u",
	             (unsigned long long)a.retransmits, a.ns);
	cr_assert_eq(b.duplicates, 0);
	cr_assert_eq(b.out_of_window, 0);
	net_free(&n);
}

/* ---- tie breaker ---- */

static void
tie_case(int lac_byte, int lns_byte, bool lac_tb, bool lns_tb,
         size_t lac_tunnels, size_t lns_tunnels)
{
	struct net n;
	struct l2tp_engine_config c;
	uint16_t a, b;

	net_init(&n, NULL, NULL);
	n.rng[LAC].fixed = lac_byte;
	n.rng[LNS].fixed = lns_byte;
	c = *l2tp_engine_config(n.e[LAC]);
	c.tie_breaker = lac_tb;
	l2tp_engine_set_config(n.e[LAC], &c);
	c = *l2tp_engine_config(n.e[LNS]);
	c.tie_breaker = lns_tb;
	l2tp_engine_set_config(n.e[LNS], &c);
	l2tp_engine_listen(n.e[LAC], true, L2TP_ROLE_LAC);
	cr_assert_eq(l2tp_engine_tunnel_open(n.e[LAC], &n.addr[LNS],
	                                     L2TP_ROLE_LAC, 0, &a),
	             0);
	cr_assert_eq(l2tp_engine_tunnel_open(n.e[LNS], &n.addr[LAC],
	                                     L2TP_ROLE_LNS, 0, &b),
	             0);
	net_run(&n, 40000);
	cr_assert_eq(l2tp_engine_tunnel_ids(n.e[LAC], NULL, 0), lac_tunnels);
	cr_assert_eq(l2tp_engine_tunnel_ids(n.e[LNS], NULL, 0), lns_tunnels);
	for (int side = 0; side < 2; side++) {
		uint16_t ids[4];
		size_t k = l2tp_engine_tunnel_ids(n.e[side], ids, 4);

		for (size_t i = 0; i < k && i < 4; i++) {
			struct l2tp_tunnel_info ti;

			l2tp_engine_tunnel_info(n.e[side], ids[i], &ti);
			cr_assert_eq(ti.state, L2TP_TS_ESTABLISHED);
		}
	}
	if (lac_tb || lns_tb) {
		cr_assert_not_null(ev_find(&n, LAC, L2TP_EV_TIE_BREAK, NULL));
		cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_TIE_BREAK, NULL));
	}
	if (lac_tunnels == 1 && lac_byte < lns_byte) {
		cr_assert_not_null(
		    ev_find(&n, LAC, L2TP_EV_TIE_BREAK, "we win"));
		cr_assert_not_null(
		    ev_find(&n, LNS, L2TP_EV_TIE_BREAK, "the peer wins"));
		/* The winner's tunnel is the one that survives. */
		cr_assert(net_info(&n, LAC).initiator);
		cr_assert_not(net_info(&n, LNS).initiator);
	}
	net_free(&n);
}

Test(engine_ctrl, tie_breaker_lower_wins)
{
	tie_case(0x11, 0x22, true, true, 1, 1);
}

Test(engine_ctrl, tie_breaker_higher_loses)
{
	struct net n;

	(void)n;
	tie_case(0x22, 0x11, true, true, 1, 1);
}

Test(engine_ctrl, tie_breaker_equal_both_discard)
{
	tie_case(0x33, 0x33, true, true, 0, 0);
}

Test(engine_ctrl, tie_breaker_one_sided)
{
	/* Only the LAC sends one: it wins although its value is higher. */
	tie_case(0x22, 0x11, true, false, 1, 1);
}

Test(engine_ctrl, no_tie_breaker_two_tunnels)
{
	tie_case(0x22, 0x11, false, false, 2, 2);
}

/* ---- StopCCN ---- */

Test(engine_ctrl, stopccn_sent_received_hold)
{
	struct net n;
	uint16_t tid;
	const struct l2tp_event *ev;

	net_init(&n, NULL, NULL);
	tid = net_open(&n);
	net_run(&n, 1000);
	cr_assert_eq(
	    l2tp_engine_tunnel_close(n.e[LAC], tid, 1, -1, "bye", 1000), 0);
	cr_assert_eq(
	    l2tp_engine_tunnel_close(n.e[LAC], tid, 1, -1, "bye", 1000),
	    L2TP_E_STATE);
	net_flush(&n);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_CLOSING);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_CLOSING);
	ev = ev_find(&n, LNS, L2TP_EV_STOPCCN, "peer sent StopCCN result 1");
	cr_assert_not_null(ev);
	cr_assert_not_null(strstr(ev->text, "bye"));
	cr_assert_eq(net_info(&n, LNS).last_result, 1);
	cr_assert_str_eq(net_info(&n, LNS).last_message, "bye");
	/* Acked at once. */
	cr_assert_eq(sent_nth(&n, LNS, -1, 1)->t, 1000);
	cr_assert_eq(net_info(&n, LAC).unacked, 0);
	net_run(&n, 31999);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_CLOSING);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_CLOSING);
	net_run(&n, 32000);
	cr_assert_eq(net_state(&n, LAC), -1);
	cr_assert_eq(net_state(&n, LNS), -1);
	cr_assert_eq(sent_count(&n, LAC, L2TP_STOPCCN), 1);
	cr_assert_eq(
	    l2tp_engine_tunnel_close(n.e[LAC], tid, 1, -1, NULL, 32000),
	    L2TP_E_NOTUNNEL);
	net_free(&n);
}

Test(engine_ctrl, repeated_stopccn_reacked)
{
	struct net n;
	struct dropper d;
	uint16_t tid;

	net_init(&n, NULL, NULL);
	tid = net_open(&n);
	net_run(&n, 1000);
	set_drop(&n, &d, LNS, -1, 1);
	d.after = 1000;
	cr_assert_eq(l2tp_engine_tunnel_close(n.e[LAC], tid, 6, 0,
	                                      "shutting down", 1000),
	             0);
	net_flush(&n);
	cr_assert_eq(net_info(&n, LAC).unacked, 1);
	net_run(&n, 1999);
	cr_assert_eq(sent_count(&n, LAC, L2TP_STOPCCN), 1);
	net_run(&n, 2000);
	cr_assert_eq(sent_count(&n, LAC, L2TP_STOPCCN), 2);
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_DUPLICATE, "duplicate StopCCN"));
	cr_assert_eq(net_info(&n, LAC).unacked, 0);
	cr_assert_eq(net_info(&n, LNS).last_result, 6);
	net_run(&n, 40000);
	cr_assert_eq(sent_count(&n, LAC, L2TP_STOPCCN), 2);
	cr_assert_eq(net_state(&n, LAC), -1);
	net_free(&n);
}

/*
 * Closed before the peer answered, the tunnel still sends its StopCCN (the
 * peer may hold a tunnel for our SCCRQ): Tunnel ID 0, our Assigned Tunnel
 * ID, at once (not held behind the unacknowledged SCCRQ), as xl2tpd does.
 */
Test(engine_ctrl, stopccn_before_answer_names_our_tunnel)
{
	struct net n;
	struct dropper d;
	uint16_t tid, atid = 0;
	struct l2tp_msg m;
	const struct sent *s;

	net_init(&n, NULL, NULL);
	set_drop(&n, &d, LAC, -3, -1);
	tid = net_open(&n);
	cr_assert_eq(l2tp_engine_tunnel_close(n.e[LAC], tid, 1, -1, NULL, 10),
	             0);
	n.now = 10;
	net_flush(&n);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_CLOSING);
	s = sent_nth(&n, LAC, L2TP_STOPCCN, 0);
	cr_assert_not_null(s);
	cr_assert_eq(s->t, 10);
	cr_assert_eq(s->tunnel, 0);
	cr_assert_eq(l2tp_parse(s->data, s->len, s->len, L2TP_UDP, NULL, &m),
	             0);
	cr_assert(l2tp_avp_u16(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &atid));
	cr_assert_eq(atid, tid);
	/* Nothing was ever heard: it is retransmitted, then given up. */
	net_run(&n, 60000);
	cr_assert_eq(net_state(&n, LAC), -1);
	net_free(&n);
}

Test(engine_ctrl, tie_breaker_loser_requeues_its_calls)
{
	struct net n;
	uint16_t a, b, sid;
	struct l2tp_session_info si;

	/* The LAC loses (higher value) with a call waiting on its tunnel:
	 * the call moves to the tunnel the LNS opened and comes up there. */
	net_init(&n, NULL, NULL);
	n.rng[LAC].fixed = 0x22;
	n.rng[LNS].fixed = 0x11;
	l2tp_engine_listen(n.e[LAC], true, L2TP_ROLE_LAC);
	cr_assert_eq(l2tp_engine_tunnel_open(n.e[LAC], &n.addr[LNS],
	                                     L2TP_ROLE_LAC, 0, &a),
	             0);
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], a, NULL, 0, &sid), 0);
	cr_assert_eq(l2tp_engine_tunnel_open(n.e[LNS], &n.addr[LAC],
	                                     L2TP_ROLE_LNS, 0, &b),
	             0);
	net_run(&n, 1000);
	cr_assert_eq(l2tp_engine_tunnel_ids(n.e[LAC], NULL, 0), 1);
	cr_assert_not_null(
	    ev_find(&n, LAC, L2TP_EV_SESSION_STATE, "moved from tunnel"));
	cr_assert_eq(l2tp_engine_session_info(n.e[LAC], sid, &si), 0);
	cr_assert_eq(si.state, L2TP_SS_ESTABLISHED);
	cr_assert_eq(si.tunnel, net_tid(&n, LAC));
	cr_assert_neq(si.tunnel, a);
	cr_assert_eq(l2tp_engine_session_ids(n.e[LNS], 0, NULL, 0), 1);
	net_free(&n);
}

Test(engine_ctrl, closing_tunnel_acks_but_ignores_messages)
{
	struct net n;
	uint16_t tid;
	struct l2tp_craft c = {.msg_type = L2TP_HELLO, .reliable = true};

	net_init(&n, NULL, NULL);
	tid = net_open(&n);
	net_run(&n, 1000);
	/* The LNS closes; the LAC, not yet told, sends a Hello. */
	struct dropper d;

	set_drop(&n, &d, LNS, L2TP_STOPCCN, 1);
	cr_assert_eq(l2tp_engine_tunnel_close(n.e[LNS], net_tid(&n, LNS), 1, -1,
	                                      NULL, n.now),
	             0);
	net_flush(&n);
	cr_assert_eq(l2tp_engine_send_craft(n.e[LAC], tid, NULL, &c, n.now), 0);
	net_flush(&n);
	cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_ANOMALY,
	                           "HELLO ignored: the tunnel is closing"));
	net_run(&n, 1200);
	cr_assert_eq(net_info(&n, LAC).unacked, 0);
	cr_assert_eq(net_info(&n, LNS).hellos_in, 0);
	/* The StopCCN's retransmission then closes the LAC side. */
	net_run(&n, 2000);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_CLOSING);
	net_free(&n);
}

Test(engine_ctrl, secret_by_address_wins)
{
	struct net n;

	net_init(&n, NULL, NULL);
	cr_assert_eq(l2tp_engine_set_secret_default(n.e[LAC], "nope"), 0);
	cr_assert_eq(
	    l2tp_engine_set_secret_addr(n.e[LAC], &n.addr[LNS], "by-addr"), 0);
	cr_assert_eq(
	    l2tp_engine_set_secret_host(n.e[LNS], "lac-host", "by-addr"), 0);
	net_open(&n);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	cr_assert(net_info(&n, LAC).authenticated);
	/* Removing it leaves the default, which does not match. */
	cr_assert_eq(l2tp_engine_set_secret_addr(n.e[LAC], &n.addr[LNS], NULL),
	             0);
	net_open(&n);
	cr_assert_not_null(ev_find(&n, LAC, L2TP_EV_AUTH, "is wrong"));
	net_free(&n);
}

/* The ZLB ack waits zlb_delay_ms for a message to carry the Nr: exactly
 * 100 ms by default, as configured otherwise; Session ID 0. */
Test(engine_ctrl, zlb_ack_after_configured_delay)
{
	struct net n;
	struct l2tp_engine_config c;

	for (int k = 0; k < 2; k++) {
		uint64_t delay = k ? 300 : 100;

		net_init(&n, NULL, NULL);
		if (k) {
			c = *l2tp_engine_config(n.e[LNS]);
			c.zlb_delay_ms = 300;
			cr_assert_eq(l2tp_engine_set_config(n.e[LNS], &c), 0);
		}
		net_open(&n); /* SCCRQ, SCCRP, SCCCN at 0 */
		net_run(&n, delay - 1);
		cr_assert_eq(sent_count(&n, LNS, -1), 0);
		cr_assert_eq(net_info(&n, LAC).unacked, 1);
		net_run(&n, delay);
		cr_assert_eq(sent_count(&n, LNS, -1), 1);
		cr_assert_eq(sent_nth(&n, LNS, -1, 0)->t, delay);
		cr_assert_eq(sent_nth(&n, LNS, -1, 0)->session, 0);
		cr_assert_eq(net_info(&n, LAC).unacked, 0);
		net_free(&n);
	}
}

/*
 * Appendix A: after a timeout ssthresh = cwnd / 2 and cwnd = 1; then
 * slow start (+1 per ack) below ssthresh and congestion avoidance (+1 per
 * cwnd acks) above it.
 */
Test(engine_ctrl, congestion_avoidance_after_timeout)
{
	static const uint16_t want[] = {2, 3, 4, 4, 5, 5, 5, 6};
	struct net n;
	struct dropper d;
	struct l2tp_engine_config c;
	struct l2tp_tunnel_info a;
	uint16_t tid, sid;

	net_init(&n, NULL, NULL);
	c = *l2tp_engine_config(n.e[LNS]);
	c.rx_window = 8;
	cr_assert_eq(l2tp_engine_set_config(n.e[LNS], &c), 0);
	tid = net_open(&n);
	net_run(&n, 200);
	a = net_info(&n, LAC);
	cr_assert_eq(a.cwnd, 3);
	cr_assert_eq(a.ssthresh, 8);
	set_drop(&n, &d, LAC, L2TP_ICRQ, 1);
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, NULL, n.now, &sid),
	             0);
	net_run(&n, n.now + 999);
	cr_assert_eq(net_info(&n, LAC).cwnd, 3);
	net_flush(&n);
	/* The timeout: halved and back to one, then the ICRQ goes again. */
	n.filter = NULL;
	{
		uint64_t at = l2tp_engine_expiry(n.e[LAC]);

		n.now = at;
		l2tp_engine_handle_expiry(n.e[LAC], at);
	}
	a = net_info(&n, LAC);
	cr_assert_eq(a.cwnd, 1);
	cr_assert_eq(a.ssthresh, 1);
	cr_assert_eq(a.retransmits, 1);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		/* Two acks per call: the ICRP acks the ICRQ, a ZLB the
		 * ICCN. */
		if (i)
			cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, NULL,
			                                   n.now, &sid),
			             0);
		net_run(&n, n.now + 200);
		a = net_info(&n, LAC);
		cr_assert_eq(a.cwnd, want[i], "call %zu: cwnd %u, not %u", i,
		             a.cwnd, want[i]);
		cr_assert_eq(a.ssthresh, 1);
	}
	net_free(&n);
}

/* §5.8: a retransmission carries the Nr current when it goes, not the
 * one of its first send; its Ns stays. */
Test(engine_ctrl, retransmission_carries_current_nr)
{
	struct net n;
	struct dropper d;
	struct l2tp_craft hello = {.msg_type = L2TP_HELLO, .reliable = true};
	const struct sent *first, *again;
	uint16_t tid;

	net_init(&n, NULL, NULL);
	tid = net_open(&n);
	net_run(&n, 200);
	set_drop(&n, &d, LAC, L2TP_HELLO, 1);
	cr_assert_eq(l2tp_engine_send_craft(n.e[LAC], tid, NULL, &hello, n.now),
	             0);
	net_flush(&n);
	/* The LNS sends one of its own: the LAC's Nr moves on. */
	cr_assert_eq(l2tp_engine_send_craft(n.e[LNS], net_tid(&n, LNS), NULL,
	                                    &hello, n.now),
	             0);
	net_run(&n, 1199);
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), 1);
	net_run(&n, 1200);
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), 2);
	first = sent_nth(&n, LAC, L2TP_HELLO, 0);
	again = sent_nth(&n, LAC, L2TP_HELLO, 1);
	cr_assert_eq(again->ns, first->ns);
	cr_assert_eq(first->nr, 1);
	cr_assert_eq(again->nr, 2, "retransmitted with Nr %u", again->nr);
	cr_assert_eq(net_info(&n, LAC).nr, 2);
	net_free(&n);
}
