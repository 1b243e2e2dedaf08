/* Engine tests: message checks, unknown and missing AVPs, unexpected messages
 * in every state, bad input (RFC 2661 §4.1, §6, §7.2). */
#include "test_engine_harness.h"

static const uint8_t ones[64] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* A message of `type` with every mandatory AVP, values of 1s. */
static size_t
with_required(int type, struct l2tp_avp_spec *sp, size_t cap)
{
	const struct l2tp_msg_info *mi = l2tp_msg_info(type);
	size_t k = 0;

	cr_assert_not_null(mi);
	for (unsigned ty = 1; ty < 64 && k < cap; ty++) {
		const struct l2tp_avp_info *ai;

		if (!(mi->required & ((uint64_t)1 << ty)))
			continue;
		ai = l2tp_avp_info(0, (uint16_t)ty);
		cr_assert_not_null(ai);
		memset(&sp[k], 0, sizeof(sp[k]));
		sp[k].type = (uint16_t)ty;
		sp[k].m = true;
		sp[k].value = ones;
		sp[k].len = ai->min_len ? ai->min_len : 1;
		k++;
	}
	return k;
}

static uint16_t
up(struct net *n)
{
	uint16_t tid = net_open(n);

	net_run(n, n->now + 200);
	cr_assert_eq(net_state(n, LNS), L2TP_TS_ESTABLISHED);
	return tid;
}

/* The error message of the Result Code AVP of a sent StopCCN or CDN
 * contains `want`. */
static bool
result_message_has(const struct sent *s, const char *want)
{
	struct l2tp_msg m;

	if (l2tp_parse(s->data, s->len, s->len, L2TP_UDP, NULL, &m) < 0)
		return false;
	for (size_t i = 0; i < m.navps; i++) {
		struct l2tp_bytes v = l2tp_avp_data(&m.avps[i]);

		if (m.avps[i].vendor == 0 &&
		    m.avps[i].type == L2TP_AVP_RESULT_CODE && v.len > 4) {
			size_t w = strlen(want);

			for (size_t j = 4; j + w <= v.len; j++)
				if (memcmp(v.p + j, want, w) == 0)
					return true;
			return false;
		}
	}
	return false;
}

Test(engine_msgs, unknown_mandatory_avp_clears_tunnel)
{
	struct net n;
	uint16_t tid;
	struct l2tp_avp_spec sp = {0, 99, true, false, ones, 2, 0};
	struct l2tp_craft c = {
	    .msg_type = L2TP_HELLO, .avps = &sp, .navps = 1, .reliable = true};
	const struct l2tp_event *ev;

	net_init(&n, NULL, NULL);
	tid = up(&n);
	cr_assert_eq(l2tp_engine_send_craft(n.e[LAC], tid, NULL, &c, n.now), 0);
	net_flush(&n);
	ev = ev_find(&n, LNS, L2TP_EV_UNKNOWN_AVP, "AVP-#99");
	cr_assert_not_null(ev);
	cr_assert_not_null(strstr(ev->text, "HELLO"));
	ev = ev_find(&n, LNS, L2TP_EV_STOPCCN, "sending StopCCN result 2");
	cr_assert_not_null(ev);
	cr_assert_eq(ev->error, 8);
	cr_assert(result_message_has(sent_nth(&n, LNS, L2TP_STOPCCN, 0),
	                             "unknown mandatory AVP vendor 0 type 99"));
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_CLOSING);
	net_free(&n);
}

Test(engine_msgs, unknown_optional_avp_ignored)
{
	struct net n;
	uint16_t tid;
	struct l2tp_avp_spec sp = {0, 99, false, false, ones, 2, 0};
	struct l2tp_craft c = {
	    .msg_type = L2TP_HELLO, .avps = &sp, .navps = 1, .reliable = true};

	net_init(&n, NULL, NULL);
	tid = up(&n);
	cr_assert_eq(l2tp_engine_send_craft(n.e[LAC], tid, NULL, &c, n.now), 0);
	net_run(&n, n.now + 200);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	cr_assert_eq(net_info(&n, LNS).hellos_in, 1);
	cr_assert_eq(net_info(&n, LAC).unacked, 0);
	net_free(&n);
}

Test(engine_msgs, unknown_mandatory_avp_in_call_clears_call)
{
	struct net n;
	uint16_t tid;
	struct l2tp_avp_spec sp[8];
	size_t k = with_required(L2TP_ICRQ, sp, 7);
	struct l2tp_craft c = {
	    .msg_type = L2TP_ICRQ, .avps = sp, .reliable = true};
	const struct l2tp_event *ev;

	sp[k++] = (struct l2tp_avp_spec){9, 1234, true, false, ones, 4, 0};
	c.navps = k;
	net_init(&n, NULL, NULL);
	tid = up(&n);
	cr_assert_eq(l2tp_engine_send_craft(n.e[LAC], tid, NULL, &c, n.now), 0);
	net_flush(&n);
	ev = ev_find(&n, LNS, L2TP_EV_UNKNOWN_AVP, "vendor 9 type 1234");
	cr_assert_not_null(ev);
	ev = ev_find(&n, LNS, L2TP_EV_CDN, "sending CDN");
	cr_assert_not_null(ev);
	cr_assert_eq(ev->result, 2);
	cr_assert_eq(ev->error, 8);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	cr_assert_eq(l2tp_engine_session_ids(n.e[LNS], 0, NULL, 0), 0);
	net_free(&n);
}

/* ---- unexpected messages ---- */

static const int tunnel_msgs[] = {
    L2TP_SCCRQ, L2TP_SCCRP, L2TP_SCCCN, L2TP_HELLO, L2TP_OCRQ,
    L2TP_OCRP,  L2TP_OCCN,  L2TP_ICRQ,  L2TP_ICRP,  L2TP_ICCN,
    L2TP_CDN,   L2TP_WEN,   L2TP_SLI};

struct holdtype {
	int from, type;
};

static enum verdict
drop_type(struct net *n, const struct sent *s)
{
	struct holdtype *h = n->fctx;

	return s->from == h->from && s->type == h->type ? DROP : PASS;
}

/*
 * Bring the pair to a state, then have `sender` send `type` in order
 * (the next Ns the receiver expects); the receiver must answer with
 * StopCCN result 7 naming the message and its state.
 */
static void
unexpected_case(int state, int type)
{
	struct net n;
	struct holdtype h;
	struct l2tp_avp_spec sp[8];
	struct l2tp_craft c;
	int sender, receiver;
	char want[80], nb[24];
	const struct l2tp_event *ev;
	struct l2tp_tunnel_info si;

	net_init(&n, NULL, NULL);
	memset(&c, 0, sizeof(c));
	c.msg_type = type;
	c.avps = sp;
	c.navps = with_required(type, sp, 8);
	if (state == L2TP_TS_WAIT_CTL_REPLY) {
		/* The SCCRP is lost: the LAC still waits for it. */
		h.from = LNS;
		h.type = L2TP_SCCRP;
		n.fctx = &h;
		n.filter = drop_type;
		net_open(&n);
		sender = LNS;
		receiver = LAC;
		c.set_ns = true;
		c.ns = 0;
		c.set_nr = true;
		c.nr = 1;
	} else if (state == L2TP_TS_WAIT_CTL_CONN) {
		h.from = LAC;
		h.type = L2TP_SCCCN;
		n.fctx = &h;
		n.filter = drop_type;
		net_open(&n);
		sender = LAC;
		receiver = LNS;
		/* In the place of the lost SCCCN. */
		c.set_ns = true;
		c.ns = 1;
		c.set_nr = true;
		c.nr = 1;
	} else {
		up(&n);
		sender = LAC;
		receiver = LNS;
		c.reliable = true;
	}
	cr_assert_eq(net_state(&n, receiver), state);
	l2tp_engine_tunnel_info(n.e[sender], net_tid(&n, sender), &si);
	cr_assert_eq(
	    l2tp_engine_send_craft(n.e[sender], si.local_id, NULL, &c, n.now),
	    0);
	net_flush(&n);
	snprintf(want, sizeof(want), "%s unexpected in state %s",
	         l2tp_msg_name(type, nb, sizeof(nb)),
	         l2tp_tunnel_state_name(state));
	ev = ev_find(&n, receiver, L2TP_EV_UNEXPECTED, want);
	cr_assert_not_null(ev, "no event \"%s\"", want);
	cr_assert_eq(ev->msg_type, type);
	ev = ev_find(&n, receiver, L2TP_EV_STOPCCN, "sending StopCCN result 7");
	cr_assert_not_null(ev, "%s: no StopCCN 7", want);
	cr_assert_not_null(strstr(ev->text, want));
	cr_assert_eq(net_state(&n, receiver), L2TP_TS_CLOSING);
	net_free(&n);
}

Test(engine_msgs, every_message_unexpected_in_wait_ctl_reply)
{
	for (size_t i = 0; i < sizeof(tunnel_msgs) / sizeof(int); i++)
		if (tunnel_msgs[i] != L2TP_SCCRP)
			unexpected_case(L2TP_TS_WAIT_CTL_REPLY, tunnel_msgs[i]);
}

Test(engine_msgs, every_message_unexpected_in_wait_ctl_conn)
{
	for (size_t i = 0; i < sizeof(tunnel_msgs) / sizeof(int); i++)
		if (tunnel_msgs[i] != L2TP_SCCCN)
			unexpected_case(L2TP_TS_WAIT_CTL_CONN, tunnel_msgs[i]);
}

Test(engine_msgs, handshake_messages_unexpected_when_established)
{
	unexpected_case(L2TP_TS_ESTABLISHED, L2TP_SCCRQ);
	unexpected_case(L2TP_TS_ESTABLISHED, L2TP_SCCRP);
	unexpected_case(L2TP_TS_ESTABLISHED, L2TP_SCCCN);
}

Test(engine_msgs, call_message_in_wrong_call_state_gets_cdn)
{
	struct net n;
	uint16_t tid, sid;
	struct l2tp_avp_spec sp[8];
	struct l2tp_craft c = {.msg_type = L2TP_ICRP,
	                       .avps = sp,
	                       .reliable = true,
	                       .set_session = true};
	const struct l2tp_event *ev;

	net_init(&n, NULL, NULL);
	tid = up(&n);
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, NULL, n.now, &sid),
	             0);
	net_run(&n, n.now + 200);
	/* An ICRP for an established call. */
	c.navps = with_required(L2TP_ICRP, sp, 8);
	c.session = sid;
	cr_assert_eq(
	    l2tp_engine_send_craft(n.e[LNS], net_tid(&n, LNS), NULL, &c, n.now),
	    0);
	net_flush(&n);
	ev = ev_find(&n, LAC, L2TP_EV_UNEXPECTED,
	             "ICRP unexpected in call state established");
	cr_assert_not_null(ev);
	cr_assert_not_null(ev_find(&n, LAC, L2TP_EV_CDN, "sending CDN"));
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	net_free(&n);
}

/* ---- SCCRQ contents ---- */

static void
sccrq_case(struct l2tp_avp_spec *sp, size_t k, uint16_t result, int error,
           enum l2tp_event_kind kind, const char *text)
{
	struct net n;
	struct l2tp_craft c = {.msg_type = L2TP_SCCRQ, .avps = sp, .navps = k};
	const struct l2tp_event *ev;

	net_init(&n, NULL, NULL);
	cr_assert_eq(l2tp_engine_send_craft(n.e[LAC], 0, &n.addr[LNS], &c, 0),
	             0);
	net_flush(&n);
	ev = ev_find(&n, LNS, kind, text);
	cr_assert_not_null(ev, "no event \"%s\"", text);
	ev = ev_find(&n, LNS, L2TP_EV_STOPCCN, "sending StopCCN");
	cr_assert_not_null(ev);
	cr_assert_eq(ev->result, result);
	if (error >= 0)
		cr_assert_eq(ev->error, error);
	cr_assert_eq(sent_count(&n, LNS, L2TP_STOPCCN), 1);
	cr_assert_eq(sent_count(&n, LNS, L2TP_SCCRP), 0);
	net_free(&n);
}

static size_t
good_sccrq(struct l2tp_avp_spec *sp, const uint8_t *ver)
{
	static const uint8_t fr[4] = {0, 0, 0, 3};
	static const uint8_t tid[2] = {0x12, 0x34};
	size_t k = 0;

	sp[k++] = (struct l2tp_avp_spec){0, 2, true, false, ver, 2, 0};
	sp[k++] = (struct l2tp_avp_spec){0, 3, true, false, fr, 4, 0};
	sp[k++] = (struct l2tp_avp_spec){
	    0, 7, true, false, (const uint8_t *)"x", 1, 0};
	sp[k++] = (struct l2tp_avp_spec){0, 9, true, false, tid, 2, 0};
	return k;
}

Test(engine_msgs, protocol_version_checked)
{
	static const uint8_t v2[2] = {2, 0};
	struct l2tp_avp_spec sp[8];
	size_t k = good_sccrq(sp, v2);

	sccrq_case(sp, k, 5, -1, L2TP_EV_BAD_MESSAGE, "version 2.0");
}

Test(engine_msgs, missing_mandatory_avp)
{
	static const uint8_t v1[2] = {1, 0};
	struct l2tp_avp_spec sp[8];
	size_t k = good_sccrq(sp, v1);

	sp[2] = sp[--k]; /* drop Host Name */
	sccrq_case(sp, k, 2, 6, L2TP_EV_MISSING_AVP,
	           "SCCRQ lacks mandatory AVP Host Name");
}

Test(engine_msgs, missing_mandatory_avp_named_in_stopccn_and_cdn)
{
	static const uint8_t v1[2] = {1, 0}, sid[2] = {0, 7};
	struct l2tp_avp_spec sp[8];
	size_t k = good_sccrq(sp, v1);
	struct net n;
	struct l2tp_craft c = {.msg_type = L2TP_SCCRQ, .avps = sp};
	struct l2tp_avp_spec icrq = {
	    0, L2TP_AVP_ASSIGNED_SESSION_ID, true, false, sid, 2, 0};
	struct l2tp_craft ic = {
	    .msg_type = L2TP_ICRQ, .avps = &icrq, .navps = 1, .reliable = true};
	const struct l2tp_event *ev;
	uint16_t tid;

	sp[0] = sp[--k]; /* drop Protocol Version */
	c.navps = k;
	net_init(&n, NULL, NULL);
	l2tp_engine_send_craft(n.e[LAC], 0, &n.addr[LNS], &c, 0);
	net_flush(&n);
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_MISSING_AVP,
	            "SCCRQ lacks mandatory AVP Protocol Version"));
	cr_assert_eq(sent_count(&n, LNS, L2TP_STOPCCN), 1);
	cr_assert(result_message_has(sent_nth(&n, LNS, L2TP_STOPCCN, 0),
	                             "Protocol Version"));
	net_free(&n);

	/* A call message lacking one: CDN result 2 error 6, AVP named. */
	net_init(&n, NULL, NULL);
	tid = up(&n);
	cr_assert_eq(l2tp_engine_send_craft(n.e[LAC], tid, NULL, &ic, n.now),
	             0);
	net_flush(&n);
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_MISSING_AVP,
	            "ICRQ lacks mandatory AVP Call Serial Number"));
	ev = ev_find(&n, LNS, L2TP_EV_CDN, NULL);
	cr_assert_not_null(ev);
	cr_assert_eq(ev->result, 2);
	cr_assert_eq(ev->error, 6);
	cr_assert_eq(sent_count(&n, LNS, L2TP_CDN), 1);
	cr_assert(result_message_has(sent_nth(&n, LNS, L2TP_CDN, 0),
	                             "Call Serial Number"));
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	net_free(&n);
}

Test(engine_msgs, receive_window_zero_invalid)
{
	static const uint8_t v1[2] = {1, 0}, zero[2] = {0, 0};
	struct l2tp_avp_spec sp[8];
	size_t k = good_sccrq(sp, v1);

	sp[k++] = (struct l2tp_avp_spec){0, 10, true, false, zero, 2, 0};
	struct net n;
	struct l2tp_craft c = {.msg_type = L2TP_SCCRQ, .avps = sp, .navps = k};

	net_init(&n, NULL, NULL);
	l2tp_engine_send_craft(n.e[LAC], 0, &n.addr[LNS], &c, 0);
	net_flush(&n);
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_STOPCCN, "Receive Window Size 0"));
	net_free(&n);
}

Test(engine_msgs, good_crafted_sccrq_answered)
{
	static const uint8_t v1[2] = {1, 0};
	struct l2tp_avp_spec sp[8];
	size_t k = good_sccrq(sp, v1);
	struct net n;
	struct l2tp_craft c = {.msg_type = L2TP_SCCRQ, .avps = sp, .navps = k};

	net_init(&n, NULL, NULL);
	n.filter = lac_deaf;
	l2tp_engine_send_craft(n.e[LAC], 0, &n.addr[LNS], &c, 0);
	net_flush(&n);
	cr_assert_eq(sent_count(&n, LNS, L2TP_SCCRP), 1);
	cr_assert_eq(sent_nth(&n, LNS, L2TP_SCCRP, 0)->tunnel, 0x1234);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_WAIT_CTL_CONN);
	/* A repeat of it is a duplicate of the same tunnel. */
	l2tp_engine_send_craft(n.e[LAC], 0, &n.addr[LNS], &c, 0);
	net_flush(&n);
	cr_assert_eq(l2tp_engine_tunnel_ids(n.e[LNS], NULL, 0), 1);
	cr_assert_eq(net_info(&n, LNS).duplicates, 1);
	net_free(&n);
}

/* ---- bad input ---- */

Test(engine_msgs, garbage_never_changes_state)
{
	struct net n;
	uint8_t buf[64];
	struct l2tp_engine_stats st;
	uint16_t tid;

	net_init(&n, NULL, NULL);
	tid = up(&n);
	(void)tid;
	for (int len = 0; len < 64; len++) {
		for (int i = 0; i < len; i++)
			buf[i] = (uint8_t)(i * 37 + len);
		l2tp_engine_input(n.e[LNS], &n.addr[LAC], buf, (size_t)len,
		                  n.now);
	}
	/* Every shorter prefix of a real message too. */
	const struct sent *s = sent_nth(&n, LAC, L2TP_SCCRQ, 0);

	for (size_t len = 0; len < s->len; len++)
		l2tp_engine_input(n.e[LNS], &n.addr[LAC], s->data, len, n.now);
	net_flush(&n);
	l2tp_engine_stats(n.e[LNS], &st);
	cr_assert_gt(st.bad_in, 10);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_BAD_MESSAGE, NULL));
	cr_assert_eq(l2tp_engine_input(n.e[LNS], NULL, buf, 4, n.now),
	             L2TP_E_INVAL);
	net_free(&n);
}

Test(engine_msgs, wrong_address_dropped)
{
	struct net n;
	struct l2tp_addr other;
	const struct sent *s;

	net_init(&n, NULL, NULL);
	up(&n);
	s = sent_nth(&n, LAC, L2TP_SCCCN, 0);
	h_addr(&other, 9, 40000);
	l2tp_engine_input(n.e[LNS], &other, s->data, s->len, n.now);
	net_flush(&n);
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_ANOMALY, "another address"));
	cr_assert_eq(net_info(&n, LNS).duplicates, 0);
	net_free(&n);
}

Test(engine_msgs, api_errors)
{
	struct net n;
	struct l2tp_engine_config c;
	struct l2tp_addr bad;

	net_init(&n, NULL, NULL);
	l2tp_engine_config_default(&c);
	cr_assert_null(l2tp_engine_new(&c)); /* no random source */
	c.random = h_random;
	c.random_ctx = &n.rng[0];
	c.rx_window = 0;
	cr_assert_null(l2tp_engine_new(&c));
	c.rx_window = 4;
	c.rtx_min_ms = 9000;
	cr_assert_null(l2tp_engine_new(&c));
	memset(&bad, 0, sizeof(bad));
	cr_assert_eq(
	    l2tp_engine_tunnel_open(n.e[LAC], &bad, L2TP_ROLE_LAC, 0, NULL),
	    L2TP_E_INVAL);
	cr_assert_eq(l2tp_engine_tunnel_close(n.e[LAC], 42, 1, -1, NULL, 0),
	             L2TP_E_NOTUNNEL);
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], 42, NULL, 0, NULL),
	             L2TP_E_NOTUNNEL);
	cr_assert_eq(l2tp_engine_set_secret_default(n.e[LAC], ""),
	             L2TP_E_INVAL);
	cr_assert_str_eq(l2tp_engine_strerror(L2TP_E_NOTUNNEL),
	                 "no such tunnel");
	cr_assert_str_eq(l2tp_engine_strerror(-999), "unknown error");
	cr_assert_str_eq(l2tp_tunnel_state_name(L2TP_TS_WAIT_CTL_REPLY),
	                 "wait-ctl-reply");
	cr_assert_str_eq(l2tp_event_kind_name(L2TP_EV_GIVE_UP), "give-up");
	net_free(&n);
}

Test(engine_msgs, undrained_events_are_bounded)
{
	struct net n;
	struct l2tp_engine_stats st;
	struct l2tp_event ev;
	size_t k = 0;
	static const uint8_t junk[4] = {0xc8, 0x02, 0, 4};

	net_init(&n, NULL, NULL);
	for (int i = 0; i < 70000; i++)
		l2tp_engine_input(n.e[LNS], &n.addr[LAC], junk, sizeof(junk),
		                  0);
	l2tp_engine_stats(n.e[LNS], &st);
	cr_assert_eq(st.events_dropped, 70000 - 65536);
	while (l2tp_engine_next_event(n.e[LNS], &ev))
		k++;
	cr_assert_eq(k, 65536);
	net_free(&n);
}

Test(engine_msgs, secrets_listed_in_order)
{
	struct net n;
	struct l2tp_secret_info si[4];

	net_init(&n, NULL, NULL);
	cr_assert_not(l2tp_engine_has_secret(n.e[LAC]));
	l2tp_engine_set_secret_default(n.e[LAC], "d");
	l2tp_engine_set_secret_host(n.e[LAC], "h1", "s1");
	l2tp_engine_set_secret_addr(n.e[LAC], &n.addr[LNS], "a");
	l2tp_engine_set_secret_host(n.e[LAC], "h1", "s1b");
	cr_assert_eq(l2tp_engine_secrets(n.e[LAC], si, 4), 3);
	cr_assert_eq(si[0].kind, L2TP_SECRET_DEFAULT);
	cr_assert_str_eq(si[1].host, "h1");
	cr_assert_str_eq(si[1].secret, "s1b");
	cr_assert_eq(si[2].kind, L2TP_SECRET_ADDR);
	cr_assert(l2tp_addr_eq(&si[2].addr, &n.addr[LNS], false));
	l2tp_engine_set_secret_default(n.e[LAC], NULL);
	cr_assert_eq(l2tp_engine_secrets(n.e[LAC], si, 4), 2);
	cr_assert_eq(si[0].kind, L2TP_SECRET_HOST);
	cr_assert_eq(si[1].kind, L2TP_SECRET_ADDR);
	net_free(&n);
}

Test(engine_msgs, hello_with_session_id_reported)
{
	struct net n;
	uint16_t tid;
	struct l2tp_craft c = {.msg_type = L2TP_HELLO,
	                       .reliable = true,
	                       .set_session = true,
	                       .session = 5};

	net_init(&n, NULL, NULL);
	tid = up(&n);
	cr_assert_eq(l2tp_engine_send_craft(n.e[LAC], tid, NULL, &c, n.now), 0);
	net_run(&n, n.now + 200);
	cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_ANOMALY,
	                           "Hello with Session ID 5 (must be 0)"));
	cr_assert_eq(net_info(&n, LNS).hellos_in, 1);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	cr_assert_eq(net_info(&n, LAC).unacked, 0);
	net_free(&n);
}

Test(engine_msgs, out_of_window_dropped)
{
	struct net n;
	uint16_t tid;
	struct l2tp_craft c = {.msg_type = L2TP_HELLO, .set_ns = true};

	net_init(&n, NULL, NULL);
	tid = up(&n);
	/* The LNS expects Ns 2 with a window of 4: 6 is just outside. */
	c.ns = 6;
	cr_assert_eq(l2tp_engine_send_craft(n.e[LAC], tid, NULL, &c, n.now), 0);
	c.ns = 5;
	cr_assert_eq(l2tp_engine_send_craft(n.e[LAC], tid, NULL, &c, n.now), 0);
	net_flush(&n);
	cr_assert_eq(net_info(&n, LNS).out_of_window, 1);
	cr_assert_eq(net_info(&n, LNS).out_of_order, 1);
	cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_OUT_OF_WINDOW,
	                           "HELLO Ns 6 outside our window (2..5)"));
	cr_assert_eq(net_info(&n, LNS).hellos_in, 0);
	net_free(&n);
}

/*
 * A message the decoder marks malformed (its header sound) is taken in
 * sequence and answered as RFC 2661 §7.1 says: the tunnel is cleared with
 * a StopCCN naming the AVP and what was wrong (result 2 error 2).
 */
Test(engine_msgs, malformed_message_answered_with_stopccn)
{
	struct net n;
	uint16_t tid;
	/* Length 20 for a 2-byte value: runs past the end of the message. */
	struct l2tp_avp_spec sp = {0, 99, false, false, ones, 2, 0x8000 | 20};
	struct l2tp_craft c = {
	    .msg_type = L2TP_HELLO, .avps = &sp, .navps = 1, .reliable = true};
	struct l2tp_tunnel_info before, after;
	struct l2tp_engine_stats st;
	const struct l2tp_event *ev;

	net_init(&n, NULL, NULL);
	tid = up(&n);
	net_run(&n, n.now + 1000);
	before = net_info(&n, LNS);
	cr_assert_eq(l2tp_engine_send_craft(n.e[LAC], tid, NULL, &c, n.now), 0);
	net_flush(&n);
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_BAD_MESSAGE, "malformed HELLO Ns"));
	ev = ev_find(&n, LNS, L2TP_EV_STOPCCN, "past the end");
	cr_assert_not_null(ev);
	cr_assert_eq(ev->result, 2);
	cr_assert_eq(ev->error, 2);
	after = net_info(&n, LNS);
	cr_assert_eq(after.nr, (uint16_t)(before.nr + 1), "its Ns is taken");
	cr_assert_eq(after.malformed_in, 1);
	cr_assert_eq(after.state, L2TP_TS_CLOSING);
	cr_assert_eq(sent_count(&n, LNS, L2TP_STOPCCN), 1);
	l2tp_engine_stats(n.e[LNS], &st);
	cr_assert_eq(st.malformed_in, 1);
	/* The StopCCN acknowledged the Hello: it is not sent again. */
	net_run(&n, n.now + 3000);
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), 1);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_CLOSING);
	net_free(&n);
}

/* A malformed StopCCN is answered the same way; a malformed SCCRQ (no
 * tunnel to clear) makes none and stays a counted drop. */
Test(engine_msgs, malformed_stopccn_answered_malformed_sccrq_dropped)
{
	static const uint8_t rc[2] = {0, 1};
	struct net n;
	uint16_t tid;
	struct l2tp_avp_spec bad[2] = {
	    {0, L2TP_AVP_RESULT_CODE, true, false, rc, 2, 0},
	    {0, 99, false, false, ones, 2, 0x8000 | 3},
	};
	struct l2tp_craft c = {.msg_type = L2TP_STOPCCN,
	                       .avps = bad,
	                       .navps = 2,
	                       .reliable = true};
	struct l2tp_craft q = {
	    .msg_type = L2TP_SCCRQ, .avps = bad + 1, .navps = 1};
	struct l2tp_engine_stats st;
	const struct l2tp_event *ev;

	net_init(&n, NULL, NULL);
	tid = up(&n);
	cr_assert_eq(l2tp_engine_send_craft(n.e[LAC], tid, NULL, &c, n.now), 0);
	net_flush(&n);
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_BAD_MESSAGE, "malformed StopCCN"));
	ev = ev_find(&n, LNS, L2TP_EV_STOPCCN, "sending StopCCN");
	cr_assert_not_null(ev);
	cr_assert_eq(ev->error, 2);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_CLOSING);

	net_free(&n);
	net_init(&n, NULL, NULL);
	cr_assert_eq(
	    l2tp_engine_send_craft(n.e[LAC], 0, &n.addr[LNS], &q, n.now), 0);
	net_flush(&n);
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_BAD_MESSAGE, "malformed SCCRQ"));
	l2tp_engine_stats(n.e[LNS], &st);
	cr_assert_eq(st.tunnels, 0);
	cr_assert_eq(st.tunnels_total, 0);
	cr_assert_eq(st.bad_in, 1);
	cr_assert_eq(sent_count(&n, LNS, L2TP_STOPCCN), 0);
	net_free(&n);
}

Test(engine_msgs, header_lies_sent_as_given)
{
	struct net n;
	uint16_t tid;
	struct l2tp_craft c = {.msg_type = L2TP_HELLO,
	                       .reliable = true,
	                       .set_length = true,
	                       .length = 200};

	net_init(&n, NULL, NULL);
	tid = up(&n);
	cr_assert_eq(l2tp_engine_send_craft(n.e[LAC], tid, NULL, &c, n.now), 0);
	net_flush(&n);
	/* Sent once, as given; the LNS drops it and says why. */
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), 1);
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_BAD_MESSAGE, "Length field 200"));
	cr_assert_eq(net_info(&n, LAC).unacked, 0);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	net_free(&n);
}
