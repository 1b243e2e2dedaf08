/* Tests of the PPP of calls through the engine (engine/session.c): a LAC
 * engine and an LNS engine wired in memory on virtual time (RFC 2661 §5.4,
 * RFC 1661, RFC 1994, RFC 1334, RFC 1332). */
#include "decoder/ppp.h"
#include "engine/ppp.h"
#include "test_engine_harness.h"

struct pppnet {
	struct net n;
	struct l2tp_ppp_config sub, srv;
	struct l2tp_ppp_user users[2];
	struct l2tp_ppp_pool *pool;
	uint16_t tid, sid[2]; /* session ids: LAC, LNS */
};

static const uint8_t LNS_ADDR[4] = {10, 10, 0, 1};

/* PPP both ends: alice/secret, CHAP (or the policy given), a /24 pool. */
static void
pn_init(struct pppnet *p, const struct l2tp_engine_config *ca,
        const struct l2tp_engine_config *cb, enum l2tp_ppp_auth_policy auth)
{
	uint8_t prefix[4] = {10, 10, 0, 0};

	memset(p, 0, sizeof(*p));
	net_init(&p->n, ca, cb);
	l2tp_ppp_config_default(&p->sub);
	snprintf(p->sub.user, sizeof(p->sub.user), "alice");
	snprintf(p->sub.password, sizeof(p->sub.password), "secret");
	l2tp_ppp_config_default(&p->srv);
	p->srv.role = L2TP_PPP_SERVER;
	snprintf(p->users[0].name, sizeof(p->users[0].name), "alice");
	snprintf(p->users[0].password, sizeof(p->users[0].password), "secret");
	p->srv.users = p->users;
	p->srv.nusers = 1;
	p->srv.auth = auth;
	p->pool = l2tp_ppp_pool_new(prefix, 24, LNS_ADDR);
	cr_assert_not_null(p->pool);
	p->srv.pool = p->pool;
	memcpy(p->srv.local_addr, LNS_ADDR, 4);
	memcpy(p->srv.dns[0], (uint8_t[4]){10, 10, 0, 53}, 4);
}

static void
pn_apply(struct pppnet *p, bool lac, bool lns)
{
	cr_assert_eq(l2tp_engine_set_ppp(p->n.e[LAC], L2TP_ROLE_LAC,
	                                 lac ? &p->sub : NULL),
	             0);
	cr_assert_eq(l2tp_engine_set_ppp(p->n.e[LNS], L2TP_ROLE_LNS,
	                                 lns ? &p->srv : NULL),
	             0);
}

static void
pn_call(struct pppnet *p)
{
	uint16_t ids[4];

	p->tid = net_open(&p->n);
	cr_assert_eq(l2tp_engine_call_open(p->n.e[LAC], p->tid, NULL, p->n.now,
	                                   &p->sid[LAC]),
	             0);
	net_flush(&p->n);
	/* (A call whose PPP fails at once may be gone already.) */
	if (l2tp_engine_session_ids(p->n.e[LNS], 0, ids, 4) == 1)
		p->sid[LNS] = ids[0];
}

static void
pn_free(struct pppnet *p)
{
	net_free(&p->n);
	l2tp_ppp_pool_free(p->pool);
}

static struct l2tp_ppp_info
pinfo(struct pppnet *p, int side)
{
	struct l2tp_ppp_info i;

	cr_assert_eq(l2tp_engine_session_ppp(p->n.e[side], p->sid[side], &i),
	             0);
	return i;
}

static struct l2tp_session_info
sinfo(struct pppnet *p, int side)
{
	struct l2tp_session_info i;

	cr_assert_eq(l2tp_engine_session_info(p->n.e[side], p->sid[side], &i),
	             0);
	return i;
}

/* PPP events of a side with this text in them. */
static const struct l2tp_event *
ppp_ev(struct pppnet *p, int side, int kind, const char *sub)
{
	for (size_t i = 0; i < p->n.nev[side]; i++) {
		const struct l2tp_event *ev = &p->n.ev[side][i].ev;

		if (ev->kind == L2TP_EV_PPP &&
		    (kind < 0 || ev->ppp_kind == kind) &&
		    (sub == NULL || strstr(ev->text, sub)))
			return ev;
	}
	return NULL;
}

static bool
is_data(const struct sent *s)
{
	return s->len >= 2 && !(s->data[0] & 0x80);
}

static enum verdict
drop_lns_data(struct net *n, const struct sent *s)
{
	return n->fcount && s->from == LNS && is_data(s) ? DROP : PASS;
}

static enum verdict
drop_all_data(struct net *n, const struct sent *s)
{
	return n->fcount && is_data(s) ? DROP : PASS;
}

static void
session_up(enum l2tp_ppp_auth_policy auth, const char *proto_name)
{
	struct pppnet p;
	struct l2tp_ppp_info a, b;
	struct l2tp_engine_stats st;
	const struct l2tp_event *ev;

	pn_init(&p, NULL, NULL, auth);
	pn_apply(&p, true, true);
	pn_call(&p);
	net_run(&p.n, 100);
	a = pinfo(&p, LAC);
	b = pinfo(&p, LNS);
	cr_assert_eq(a.phase, L2TP_PPP_NETWORK);
	cr_assert_eq(a.lcp_state, L2TP_PPP_OPENED);
	cr_assert_eq(a.ipcp_state, L2TP_PPP_OPENED);
	cr_assert_eq(b.ipcp_state, L2TP_PPP_OPENED);
	cr_assert_eq(a.auth_local.result, L2TP_PPP_AUTH_R_SUCCESS);
	cr_assert_eq(b.auth_peer.result, L2TP_PPP_AUTH_R_SUCCESS);
	cr_assert_str_eq(b.auth_peer.user, "alice");
	cr_assert_eq(a.auth_local.protocol,
	             auth == L2TP_PPP_AUTH_PAP ? L2TP_PPP_PAP : L2TP_PPP_CHAP);
	/* The first pool address (the server's own is reserved), the DNS. */
	cr_assert_arr_eq(a.ip_local, ((uint8_t[4]){10, 10, 0, 2}), 4);
	cr_assert_arr_eq(a.ip_peer, LNS_ADDR, 4);
	cr_assert_arr_eq(a.dns[0], ((uint8_t[4]){10, 10, 0, 53}), 4);
	cr_assert_not_null(ppp_ev(&p, LAC, L2TP_PPP_EV_AUTH, proto_name));
	cr_assert_not_null(ppp_ev(&p, LAC, L2TP_PPP_EV_UP, "IPCP opened"));
	cr_assert_not_null(ppp_ev(&p, LAC, L2TP_PPP_EV_UP, "LCP opened"));
	/* Control packets both ways are events with their bytes. */
	ev = ppp_ev(&p, LAC, L2TP_EV_PPP_SENT, "sent LCP Configure-Request");
	cr_assert_not_null(ev);
	cr_assert_gt(ev->msg_len, 12);
	cr_assert_eq(ev->proto, L2TP_PPP_LCP);
	cr_assert_eq(ev->code, 1);
	ev = ppp_ev(&p, LNS, L2TP_PPP_EV_PACKET_IN, NULL);
	cr_assert_not_null(ev);
	cr_assert_gt(ev->msg_len, 12);
	/* The engine wakes for its PPP (the LCP echo 10 s after LCP
	 * opened at 0), not only for the Hello (60 s): its deadline is a
	 * lower bound of its calls' PPP timers, exact once they settle. */
	cr_assert_leq(l2tp_engine_expiry(p.n.e[LAC]), 10000);
	net_run(&p.n, 9999);
	cr_assert_eq(pinfo(&p, LAC).echo_sent, 0);
	cr_assert_eq(l2tp_engine_expiry(p.n.e[LAC]), 10000);
	net_run(&p.n, 10000);
	cr_assert_eq(pinfo(&p, LAC).echo_sent, 1);
	cr_assert_eq(pinfo(&p, LAC).echo_received, 1);
	l2tp_engine_stats(p.n.e[LAC], &st);
	cr_assert_eq(st.ppp_started, 1);
	cr_assert_eq(st.ppp_up, 1);
	cr_assert_gt(st.data_out, 0);
	cr_assert_eq(st.data_no_session, 0);
	/* Every frame went both ways as a data message. */
	cr_assert_eq(sinfo(&p, LAC).packets_out, sinfo(&p, LNS).packets_in);
	cr_assert_eq(sinfo(&p, LNS).packets_out, sinfo(&p, LAC).packets_in);
	cr_assert_eq(sinfo(&p, LAC).bytes_out, sinfo(&p, LNS).bytes_in);
	pn_free(&p);
}

Test(engine_session, chap_session_up_to_ipcp)
{
	session_up(L2TP_PPP_AUTH_CHAP, "CHAP");
}

Test(engine_session, pap_session_up_to_ipcp)
{
	session_up(L2TP_PPP_AUTH_PAP, "PAP");
}

/* The LNS's data message for the LCP request: T=0, L=1, no S, ff 03. */
Test(engine_session, data_message_layout)
{
	struct pppnet p;
	const struct sent *s = NULL;

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	pn_apply(&p, true, true);
	pn_call(&p);
	for (size_t i = 0; i < p.n.nlog && !s; i++)
		if (p.n.log[i].from == LNS && is_data(&p.n.log[i]))
			s = &p.n.log[i];
	cr_assert_not_null(s);
	cr_assert_eq(s->data[0], 0x40);
	cr_assert_eq(s->data[1], 0x02);
	cr_assert_eq(s->data[2] << 8 | s->data[3], s->len);
	cr_assert_eq(s->data[4] << 8 | s->data[5],
	             net_info(&p.n, LNS).remote_id);
	cr_assert_eq(s->data[6] << 8 | s->data[7], p.sid[LAC]);
	cr_assert_arr_eq(s->data + 8, ((uint8_t[5]){0xff, 0x03, 0xc0, 0x21, 1}),
	                 5);
	pn_free(&p);
}

/* A subscriber with the wrong password: the LNS's failure message ends the
 * call on both ends, the CDN carrying it. */
Test(engine_session, rejected_user_cleared_with_message)
{
	struct pppnet p;
	struct l2tp_session_info ended[4];
	struct l2tp_engine_stats st;

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	snprintf(p.sub.password, sizeof(p.sub.password), "wrong");
	pn_apply(&p, true, true);
	pn_call(&p);
	net_run(&p.n, 20000);
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LAC], 0, NULL, 0), 0);
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LNS], 0, NULL, 0), 0);
	cr_assert_not_null(
	    ppp_ev(&p, LAC, L2TP_PPP_EV_AUTH, "authentication failed"));
	cr_assert_eq(l2tp_engine_ended_sessions(p.n.e[LAC], ended, 4), 1);
	cr_assert_eq(ended[0].last_result, 3);
	cr_assert(strstr(ended[0].last_message, "authentication failed") ||
	              strstr(ended[0].last_message, "CHAP"),
	          "CDN message: %s", ended[0].last_message);
	cr_assert_not_null(ev_find(&p.n, LAC, L2TP_EV_CDN, NULL));
	l2tp_engine_stats(p.n.e[LAC], &st);
	cr_assert_geq(st.ppp_auth_failed, 1);
	cr_assert_eq(st.ppp_failed, 1);
	cr_assert_eq(st.ppp_up, 0);
	pn_free(&p);
}

static const struct l2tp_event *
ping_reply(struct pppnet *p, int side, uint16_t seq)
{
	for (size_t i = 0; i < p->n.nev[side]; i++) {
		const struct l2tp_event *ev = &p->n.ev[side][i].ev;

		if (ev->kind == L2TP_EV_PPP &&
		    ev->ppp_kind == L2TP_PPP_EV_PING && ev->seq == seq)
			return ev;
	}
	return NULL;
}

Test(engine_session, ping_both_ways)
{
	struct pppnet p;
	uint16_t seq = 0;
	const struct l2tp_event *ev;

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	pn_apply(&p, true, true);
	pn_call(&p);
	net_run(&p.n, 100);
	p.n.now = 200;
	cr_assert_eq(l2tp_engine_ping(p.n.e[LAC], p.sid[LAC], 4, LNS_ADDR, 56,
	                              false, p.n.now, &seq),
	             0);
	net_flush(&p.n);
	ev = ping_reply(&p, LAC, seq);
	cr_assert_not_null(ev);
	cr_assert_eq(ev->bytes, 64);
	cr_assert_eq(ev->ttl, 64);
	cr_assert_eq(pinfo(&p, LNS).pings_answered, 1);
	/* And from the LNS to the subscriber's assigned address. */
	cr_assert_eq(l2tp_engine_ping(p.n.e[LNS], p.sid[LNS], 4,
	                              (uint8_t[4]){10, 10, 0, 2}, 100, true,
	                              p.n.now, &seq),
	             0);
	net_flush(&p.n);
	cr_assert_not_null(ping_reply(&p, LNS, seq));
	cr_assert_eq(pinfo(&p, LAC).pings_answered, 1);
	/* An address nobody answers: no reply, no error. */
	cr_assert_eq(l2tp_engine_ping(p.n.e[LAC], p.sid[LAC], 4,
	                              (uint8_t[4]){192, 0, 2, 1}, 56, false,
	                              p.n.now, &seq),
	             0);
	net_flush(&p.n);
	cr_assert_null(ping_reply(&p, LAC, seq));
	pn_free(&p);
}

Test(engine_session, ping_refused_with_reason)
{
	struct pppnet p;
	uint16_t seq;

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	pn_apply(&p, false, false);
	pn_call(&p);
	cr_assert_eq(l2tp_engine_ping(p.n.e[LAC], p.sid[LAC], 4, LNS_ADDR, 56,
	                              false, p.n.now, &seq),
	             L2TP_E_STATE);
	cr_assert(
	    strstr(l2tp_engine_ping_why(p.n.e[LAC], p.sid[LAC], 4), "no PPP"));
	cr_assert_str_eq(l2tp_engine_ping_why(p.n.e[LAC], 999, 4),
	                 "no such session");
	cr_assert_eq(l2tp_engine_session_ppp(p.n.e[LAC], p.sid[LAC],
	                                     &(struct l2tp_ppp_info){0}),
	             L2TP_E_STATE);
	pn_free(&p);
}

/*
 * Echo keepalive through the call: every `interval` in Opened; once the
 * LNS's data is lost, the third unanswered one (found when the fourth is
 * due) closes LCP, Terminate-Request twice (Max-Terminate, 3 s apart) and
 * the call is cleared with the reason.
 */
Test(engine_session, echo_losses_clear_the_call)
{
	struct pppnet p;
	struct l2tp_session_info ended[2];
	uint64_t up, lost, gone;

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	p.sub.echo_interval_ms = 1000;
	p.sub.echo_failures = 3;
	p.srv.echo_interval_ms = 0;
	pn_apply(&p, true, true);
	pn_call(&p);
	up = p.n.now;
	net_run(&p.n, up + 2500);
	cr_assert_eq(pinfo(&p, LAC).echo_received, 2);
	cr_assert_not_null(ppp_ev(&p, LAC, L2TP_PPP_EV_ECHO, NULL));
	p.n.filter = drop_lns_data;
	p.n.fcount = 1;
	/* Echoes at up+3000, +4000, +5000 go unanswered; the third is
	 * known lost at +6000. */
	lost = up + 6000;
	net_run(&p.n, lost - 1);
	cr_assert_null(ppp_ev(&p, LAC, -1, "unanswered in a row"));
	net_run(&p.n, lost);
	cr_assert_not_null(ppp_ev(&p, LAC, -1, "3 echoes unanswered in a row"));
	cr_assert_not_null(ppp_ev(&p, LNS, L2TP_PPP_EV_TERMINATE,
	                          "stopped answering LCP echoes"));
	/* The LNS acks the Terminate-Request (lost with its data), waits
	 * one restart time in Stopping, then its PPP is down: it clears the
	 * call with the reason, before the LAC's second Terminate-Request
	 * times out. */
	gone = lost + 3000;
	net_run(&p.n, gone - 1);
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LAC], 0, NULL, 0), 1);
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LNS], 0, NULL, 0), 1);
	net_run(&p.n, gone);
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LNS], 0, NULL, 0), 0);
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LAC], 0, NULL, 0), 0);
	cr_assert_eq(l2tp_engine_ended_sessions(p.n.e[LAC], ended, 2), 1);
	cr_assert_eq(ended[0].last_result, 3);
	cr_assert(strstr(ended[0].last_message, "echoes"), "%s",
	          ended[0].last_message);
	pn_free(&p);
}

/*
 * What l2tpns does to a LAC that speaks no PPP, we do too: ten
 * Configure-Requests 3 s apart, then the call is cleared (result 3) once
 * the tenth times out.
 */
Test(engine_session, max_configure_clears_the_call)
{
	struct pppnet p;
	struct l2tp_session_info ended[2];
	uint64_t up, end;

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	pn_apply(&p, false, true);
	pn_call(&p);
	up = p.n.now;
	end = up + 10 * 3000;
	net_run(&p.n, end - 1);
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LNS], 0, NULL, 0), 1);
	cr_assert_eq(sinfo(&p, LNS).packets_out, 10);
	cr_assert_eq(sinfo(&p, LAC).packets_in, 10); /* bare: counted */
	net_run(&p.n, end);
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LNS], 0, NULL, 0), 0);
	cr_assert_eq(l2tp_engine_ended_sessions(p.n.e[LNS], ended, 2), 1);
	cr_assert_eq(ended[0].last_result, 3);
	cr_assert(strstr(ended[0].last_message, "Configure-Request"), "%s",
	          ended[0].last_message);
	net_flush(&p.n);
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LAC], 0, NULL, 0), 0);
	pn_free(&p);
}

/* Sequencing Required in the ICCN: the LNS's data carries Ns from 0, one
 * up per message; an old Ns is counted out of order and dropped. */
Test(engine_session, sequencing_required_and_out_of_order)
{
	struct pppnet p;
	struct l2tp_engine_config ca;
	uint16_t want = 0;
	uint8_t old[64];
	size_t oldlen = 0;

	l2tp_engine_config_default(&ca);
	ca.data_seq = true;
	pn_init(&p, &ca, NULL, L2TP_PPP_AUTH_CHAP);
	pn_apply(&p, true, true);
	pn_call(&p);
	net_run(&p.n, 100);
	cr_assert(sinfo(&p, LNS).seq_on);
	cr_assert_not_null(
	    ev_find(&p.n, LNS, L2TP_EV_DATA, "Sequencing Required"));
	for (size_t i = 0; i < p.n.nlog; i++) {
		const struct sent *s = &p.n.log[i];

		if (s->from != LNS || !is_data(s))
			continue;
		cr_assert(s->data[0] & 0x08, "S bit");
		cr_assert_eq(s->data[8] << 8 | s->data[9], want);
		cr_assert_eq(s->data[10] << 8 | s->data[11], 0); /* Nr */
		want++;
		if (oldlen == 0 && s->len <= sizeof(old)) {
			oldlen = s->len;
			memcpy(old, s->data, s->len);
		}
	}
	cr_assert_gt(want, 3);
	cr_assert_eq(sinfo(&p, LNS).data_ns, want);
	cr_assert_eq(pinfo(&p, LAC).ipcp_state, L2TP_PPP_OPENED);
	cr_assert_gt(oldlen, 0);
	l2tp_engine_input(p.n.e[LAC], &p.n.addr[LNS], old, oldlen, p.n.now);
	cr_assert_eq(sinfo(&p, LAC).out_of_order, 1);
	drain_events(&p.n, LAC);
	cr_assert_not_null(ev_find(&p.n, LAC, L2TP_EV_DATA, "out of order"));
	pn_free(&p);
}

/* Build a data message to `sid` on tunnel `tid` by hand. */
static size_t
mkdata(uint8_t *b, uint16_t flags, uint16_t tid, uint16_t sid, uint16_t ns,
       const uint8_t *ppp, size_t n)
{
	size_t h = 0;

	b[h++] = (uint8_t)(flags >> 8);
	b[h++] = (uint8_t)flags;
	if (flags & 0x4000)
		h += 2;
	b[h++] = (uint8_t)(tid >> 8);
	b[h++] = (uint8_t)tid;
	b[h++] = (uint8_t)(sid >> 8);
	b[h++] = (uint8_t)sid;
	if (flags & 0x0800) {
		b[h++] = (uint8_t)(ns >> 8);
		b[h++] = (uint8_t)ns;
		b[h++] = 0xab; /* Nr: reserved in data, ignored */
		b[h++] = 0xcd;
	}
	if (flags & 0x0200) {
		b[h++] = 0;
		b[h++] = 3;
		memset(b + h, 0xee, 3);
		h += 3;
	}
	if (n)
		memcpy(b + h, ppp, n);
	if (flags & 0x4000) {
		b[2] = (uint8_t)((h + n) >> 8);
		b[3] = (uint8_t)(h + n);
	}
	return h + n;
}

/* The peer starts sequencing (§5.4): so do we.  Frames with and without
 * 0xff 0x03, with an Offset pad, with no Length, are all taken. */
Test(engine_session, peer_starts_sequencing_and_frame_forms)
{
	struct pppnet p;
	uint8_t b[128];
	size_t n;
	uint16_t rtid;
	struct l2tp_ppp_info before;
	/* LCP Echo-Request id 7 magic 0 */
	uint8_t echo_acfc[] = {0xff, 0x03, 0xc0, 0x21, 9, 7, 0, 8, 0, 0, 0, 0};

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	pn_apply(&p, true, true);
	pn_call(&p);
	net_run(&p.n, 100);
	cr_assert(!sinfo(&p, LAC).seq_on);
	rtid = net_tid(&p.n, LAC);
	before = pinfo(&p, LAC);
	/* Sequenced, with 0xff 0x03. */
	n = mkdata(b, 0x4802, rtid, p.sid[LAC], 40, echo_acfc,
	           sizeof(echo_acfc));
	l2tp_engine_input(p.n.e[LAC], &p.n.addr[LNS], b, n, p.n.now);
	cr_assert(sinfo(&p, LAC).seq_on);
	/* No 0xff 0x03, no Length, Offset pad, next Ns. */
	n = mkdata(b, 0x0a02, rtid, p.sid[LAC], 41, echo_acfc + 2,
	           sizeof(echo_acfc) - 2);
	l2tp_engine_input(p.n.e[LAC], &p.n.addr[LNS], b, n, p.n.now);
	cr_assert_eq(pinfo(&p, LAC).ctl_in, before.ctl_in + 2);
	/* Our answers now carry S. */
	struct l2tp_datagram d;
	int seen = 0;

	while (l2tp_engine_next_datagram(p.n.e[LAC], &d)) {
		cr_assert(d.data[0] & 0x08);
		/* Echo-Reply: priority bit */
		cr_assert(d.data[0] & 0x01);
		seen++;
	}
	cr_assert_eq(seen, 2);
	/* A Length that lies, a frame with no protocol: dropped, named. */
	n = mkdata(b, 0x4002, rtid, p.sid[LAC], 0, echo_acfc,
	           sizeof(echo_acfc));
	b[3] = (uint8_t)(n + 5);
	l2tp_engine_input(p.n.e[LAC], &p.n.addr[LNS], b, n, p.n.now);
	n = mkdata(b, 0x0002, rtid, p.sid[LAC], 0, NULL, 0);
	l2tp_engine_input(p.n.e[LAC], &p.n.addr[LNS], b, n, p.n.now);
	cr_assert_eq(sinfo(&p, LAC).discarded, 1);
	drain_events(&p.n, LAC);
	cr_assert_not_null(
	    ev_find(&p.n, LAC, L2TP_EV_DATA, "Length field lies"));
	cr_assert_not_null(ev_find(&p.n, LAC, L2TP_EV_DATA, "no PPP protocol"));
	pn_free(&p);
}

Test(engine_session, data_for_a_session_that_does_not_exist)
{
	struct pppnet p;
	uint8_t b[64];
	uint8_t lcp[] = {0xff, 0x03, 0xc0, 0x21, 9, 1, 0, 8, 0, 0, 0, 0};
	struct l2tp_engine_stats st;
	size_t n;

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	pn_apply(&p, true, true);
	pn_call(&p);
	n = mkdata(b, 0x4002, net_tid(&p.n, LNS), (uint16_t)(p.sid[LNS] + 1), 0,
	           lcp, sizeof(lcp));
	l2tp_engine_input(p.n.e[LNS], &p.n.addr[LAC], b, n, p.n.now);
	l2tp_engine_input(p.n.e[LNS], &p.n.addr[LAC], b, n, p.n.now);
	l2tp_engine_stats(p.n.e[LNS], &st);
	cr_assert_eq(st.data_no_session, 2);
	drain_events(&p.n, LNS);
	char want[64];

	snprintf(want, sizeof(want),
	         "data message for session %u that does "
	         "not exist",
	         (unsigned)(uint16_t)(p.sid[LNS] + 1));
	cr_assert_not_null(ev_find(&p.n, LNS, L2TP_EV_DATA, want));
	/* For a tunnel we do not have. */
	n = mkdata(b, 0x4002, (uint16_t)(net_tid(&p.n, LNS) + 1), p.sid[LNS], 0,
	           lcp, sizeof(lcp));
	l2tp_engine_input(p.n.e[LNS], &p.n.addr[LAC], b, n, p.n.now);
	l2tp_engine_stats(p.n.e[LNS], &st);
	cr_assert_eq(st.no_tunnel_in, 1);
	pn_free(&p);
}

/* The operator's LCP: an Echo-Request now, a Terminate-Request with a
 * message (the peer shows it, the call is cleared with it). */
Test(engine_session, send_lcp_echo_and_terminate)
{
	struct pppnet p;
	struct l2tp_session_info ended[2];

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	pn_apply(&p, true, true);
	pn_call(&p);
	net_run(&p.n, 100);
	cr_assert_eq(l2tp_engine_ppp_echo(p.n.e[LAC], p.sid[LAC], p.n.now), 0);
	net_flush(&p.n);
	cr_assert_eq(pinfo(&p, LAC).echo_received, 1);
	cr_assert_eq(l2tp_engine_ppp_close(p.n.e[LAC], p.sid[LAC],
	                                   "maintenance", p.n.now),
	             0);
	net_run(&p.n, 10000);
	cr_assert_not_null(
	    ppp_ev(&p, LNS, L2TP_PPP_EV_TERMINATE, "maintenance"));
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LAC], 0, NULL, 0), 0);
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LNS], 0, NULL, 0), 0);
	cr_assert_eq(l2tp_engine_ended_sessions(p.n.e[LNS], ended, 2), 1);
	cr_assert_eq(ended[0].last_result, 3);
	cr_assert_eq(l2tp_engine_ppp_echo(p.n.e[LAC], p.sid[LAC], p.n.now),
	             L2TP_E_NOSESSION);
	pn_free(&p);
}

/* A crafted LCP packet with an unknown code: the LNS Code-Rejects it. */
Test(engine_session, crafted_ppp_frame)
{
	struct pppnet p;
	uint8_t pkt[] = {99, 1, 0, 4};

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	pn_apply(&p, true, true);
	pn_call(&p);
	net_run(&p.n, 100);
	cr_assert_eq(l2tp_engine_send_ppp(p.n.e[LAC], p.sid[LAC], L2TP_PPP_LCP,
	                                  pkt, sizeof(pkt), p.n.now),
	             0);
	net_flush(&p.n);
	cr_assert_eq(pinfo(&p, LNS).code_rejects_out, 1);
	cr_assert_eq(pinfo(&p, LAC).code_rejects_in, 1);
	cr_assert_eq(pinfo(&p, LAC).lcp_state, L2TP_PPP_OPENED);
	pn_free(&p);
}

/* The tunnel goes: PPP is taken down with it, nothing sent for it. */
Test(engine_session, tunnel_close_takes_ppp_down)
{
	struct pppnet p;

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	pn_apply(&p, true, true);
	pn_call(&p);
	net_run(&p.n, 100);
	cr_assert_eq(l2tp_ppp_pool_used(p.pool), 1);
	cr_assert_eq(
	    l2tp_engine_tunnel_close(p.n.e[LAC], p.tid, 1, -1, NULL, p.n.now),
	    0);
	net_run(&p.n, 60000);
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LNS], 0, NULL, 0), 0);
	/* The address went back to the pool with the LNS's PPP end. */
	cr_assert_eq(l2tp_ppp_pool_used(p.pool), 0);
	cr_assert_eq(l2tp_engine_expiry(p.n.e[LAC]), UINT64_MAX);
	cr_assert_eq(l2tp_engine_expiry(p.n.e[LNS]), UINT64_MAX);
	pn_free(&p);
}

/* PPP off: the call is bare, as before; LNS PPP needs a valid config. */
Test(engine_session, ppp_off_and_bad_config)
{
	struct pppnet p;
	struct l2tp_ppp_config bad;

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	pn_apply(&p, false, false);
	pn_call(&p);
	net_run(&p.n, 100);
	cr_assert(!sinfo(&p, LAC).ppp);
	cr_assert_eq(sinfo(&p, LAC).packets_out, 0);
	bad = p.srv;
	bad.nusers = 0;
	cr_assert_eq(l2tp_engine_set_ppp(p.n.e[LNS], L2TP_ROLE_LNS, &bad),
	             L2TP_E_INVAL);
	cr_assert_eq(l2tp_engine_set_ppp(p.n.e[LNS], L2TP_ROLE_LAC, &p.srv),
	             L2TP_E_INVAL);
	pn_free(&p);
}

/* `ppp proxy on`: the ICCN carries Proxy LCP and CHAP authentication; the
 * LNS checks it against its users and renegotiates LCP. */
Test(engine_session, proxy_avps)
{
	struct pppnet p;
	struct l2tp_engine_config ca;
	struct l2tp_session_info s;
	const struct sent *iccn;
	struct l2tp_msg *m = malloc(sizeof(*m));

	l2tp_engine_config_default(&ca);
	ca.ppp_proxy = true;
	pn_init(&p, &ca, NULL, L2TP_PPP_AUTH_CHAP);
	pn_apply(&p, true, true);
	pn_call(&p);
	net_run(&p.n, 100);
	iccn = sent_nth(&p.n, LAC, L2TP_ICCN, 0);
	cr_assert_not_null(iccn);
	cr_assert_eq(
	    l2tp_parse(iccn->data, iccn->len, iccn->len, L2TP_UDP, NULL, m), 0);
	for (uint16_t t = 26; t <= 33; t++)
		cr_assert_not_null(l2tp_find_avp(m, 0, t), "AVP %u", t);
	free(m);
	s = sinfo(&p, LNS);
	cr_assert(s.proxy_lcp);
	cr_assert_eq(s.proxy_auth_type, 2);
	cr_assert_str_eq(s.proxy_user, "alice");
	cr_assert_eq(s.proxy_auth_ok, 1);
	cr_assert(s.lcp_renegotiated);
	cr_assert_not_null(ppp_ev(&p, LNS, -1, "LCP renegotiated"));
	cr_assert_eq(pinfo(&p, LAC).ipcp_state, L2TP_PPP_OPENED);
	pn_free(&p);
}

/* The code of the PPP packet in a held data message (no Offset). */
static int
ppp_code(const struct l2tp_held_info *hi)
{
	size_t h = hi->data[0] & 0x08 ? 12 : 8;

	if (hi->len > h + 1 && hi->data[h] == 0xff && hi->data[h + 1] == 0x03)
		h += 2;
	return hi->len > h + 2 ? hi->data[h + 2] : -1;
}

/* The held item of a side for session sid with this PPP protocol. */
static unsigned
held_ppp(struct pppnet *p, int side, enum l2tp_held_kind kind, uint16_t proto,
         uint8_t code)
{
	unsigned ids[32];
	size_t k = l2tp_engine_held_ids(p->n.e[side], 0, ids, 32);

	for (size_t i = 0; i < k && i < 32; i++) {
		struct l2tp_held_info hi;

		cr_assert_eq(l2tp_engine_held_info(p->n.e[side], ids[i], &hi),
		             0);
		if (hi.kind == kind && hi.ppp_proto == proto &&
		    hi.session == p->sid[side] && ppp_code(&hi) == code)
			return ids[i];
	}
	return 0;
}

/* Step mode over PPP: our LCP Echo-Request held as a draft, the peer's
 * reply held before it is acted on; drop and duplicate; an edited
 * Configure-Request. */
Test(engine_session, step_mode_over_ppp)
{
	struct pppnet p;
	unsigned id;
	struct l2tp_datagram d;
	size_t before;

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	p.sub.echo_interval_ms = 0;
	p.srv.echo_interval_ms = 0;
	pn_apply(&p, true, true);
	pn_call(&p);
	net_run(&p.n, 100);
	cr_assert_eq(l2tp_engine_tunnel_set_mode(p.n.e[LAC], p.tid,
	                                         L2TP_MODE_STEP, p.n.now),
	             0);
	cr_assert_eq(l2tp_engine_ppp_echo(p.n.e[LAC], p.sid[LAC], p.n.now), 0);
	cr_assert(!l2tp_engine_next_datagram(p.n.e[LAC], &d));
	id = held_ppp(&p, LAC, L2TP_HELD_DRAFT, L2TP_PPP_LCP, 9);
	cr_assert_neq(id, 0);
	drain_events(&p.n, LAC);
	cr_assert_not_null(
	    ev_find(&p.n, LAC, L2TP_EV_HELD, "PPP LCP Echo-Request"));
	/* Duplicate: it goes twice, both answered, both held. */
	cr_assert_eq(l2tp_engine_held_duplicate(p.n.e[LAC], id, p.n.now), 0);
	net_flush(&p.n);
	id = held_ppp(&p, LAC, L2TP_HELD_RECEIVED, L2TP_PPP_LCP, 10);
	cr_assert_neq(id, 0);
	cr_assert_eq(pinfo(&p, LAC).echo_received, 0); /* not acted on */
	cr_assert_eq(l2tp_engine_held_release(p.n.e[LAC], id, p.n.now), 0);
	cr_assert_eq(pinfo(&p, LAC).echo_received, 1);
	id = held_ppp(&p, LAC, L2TP_HELD_RECEIVED, L2TP_PPP_LCP, 10);
	cr_assert_neq(id, 0);
	cr_assert_eq(l2tp_engine_held_drop(p.n.e[LAC], id, p.n.now), 0);
	/* An L2TP edit does not apply to a PPP draft. */
	cr_assert_eq(l2tp_engine_ppp_echo(p.n.e[LAC], p.sid[LAC], p.n.now), 0);
	id = held_ppp(&p, LAC, L2TP_HELD_DRAFT, L2TP_PPP_LCP, 9);
	cr_assert_eq(l2tp_engine_draft_set_seq(p.n.e[LAC], id, 5, -1),
	             L2TP_E_INVAL);
	cr_assert_eq(l2tp_engine_held_drop(p.n.e[LAC], id, p.n.now), 0);
	before = pinfo(&p, LNS).ctl_in;
	net_flush(&p.n);
	cr_assert_eq(pinfo(&p, LNS).ctl_in, before);
	/* Edited: a Discard-Request instead; it goes as edited. */
	cr_assert_eq(l2tp_engine_ppp_echo(p.n.e[LAC], p.sid[LAC], p.n.now), 0);
	id = held_ppp(&p, LAC, L2TP_HELD_DRAFT, L2TP_PPP_LCP, 9);
	cr_assert_eq(
	    l2tp_engine_draft_set_ppp(p.n.e[LAC], id,
	                              (uint8_t[]){11, 9, 0, 8, 0, 0, 0, 0}, 8),
	    0);
	cr_assert_eq(l2tp_engine_tunnel_set_mode(p.n.e[LAC], p.tid,
	                                         L2TP_MODE_AUTO, p.n.now),
	             0);
	net_flush(&p.n);
	cr_assert_eq(pinfo(&p, LNS).ctl_in, before + 1);
	cr_assert_eq(l2tp_engine_held_ids(p.n.e[LAC], 0, NULL, 0), 0);
	cr_assert_eq(pinfo(&p, LAC).lcp_state, L2TP_PPP_OPENED);
	pn_free(&p);
}

/* Step mode from the start on the LNS: its LCP request is a draft; the
 * automaton's restart timer runs while it is held (the request counts as
 * sent), so releasing the retransmission late still opens LCP. */
Test(engine_session, step_mode_lns_lcp_request_held)
{
	struct pppnet p;
	unsigned id;

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	pn_apply(&p, true, true);
	pn_call(&p);
	cr_assert_eq(l2tp_engine_tunnel_set_mode(p.n.e[LNS], net_tid(&p.n, LNS),
	                                         L2TP_MODE_STEP, p.n.now),
	             0);
	/* Drive everything held on the LNS through by hand. */
	for (int round = 0; round < 200; round++) {
		unsigned ids[8];

		net_flush(&p.n);
		if (l2tp_engine_held_ids(p.n.e[LNS], 0, ids, 8) == 0)
			break;
		cr_assert_eq(
		    l2tp_engine_held_release(p.n.e[LNS], ids[0], p.n.now), 0);
	}
	id = held_ppp(&p, LNS, L2TP_HELD_DRAFT, L2TP_PPP_LCP, 1);
	cr_assert_eq(id, 0);
	cr_assert_eq(pinfo(&p, LNS).ipcp_state, L2TP_PPP_OPENED);
	cr_assert_eq(pinfo(&p, LAC).ipcp_state, L2TP_PPP_OPENED);
	pn_free(&p);
}

/* All data lost: the LAC's own PPP gives up (Terminate-Request twice,
 * Max-Terminate) and it clears the call with its reason. */
Test(engine_session, echo_losses_our_side_clears)
{
	struct pppnet p;
	struct l2tp_session_info ended[2];
	uint64_t up, gone;

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	p.sub.echo_interval_ms = 1000;
	p.sub.echo_failures = 3;
	p.srv.echo_interval_ms = 0;
	pn_apply(&p, true, true);
	pn_call(&p);
	up = p.n.now;
	net_run(&p.n, up + 2500);
	p.n.filter = drop_all_data;
	p.n.fcount = 1;
	gone = up + 6000 + 2 * 3000;
	net_run(&p.n, gone - 1);
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LAC], 0, NULL, 0), 1);
	net_run(&p.n, gone);
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LAC], 0, NULL, 0), 0);
	cr_assert_eq(l2tp_engine_ended_sessions(p.n.e[LAC], ended, 2), 1);
	cr_assert_eq(ended[0].last_result, 3);
	cr_assert(strstr(ended[0].last_message,
	                 "the peer stopped answering LCP echoes (3 in a row)"),
	          "%s", ended[0].last_message);
	cr_assert_not_null(ev_find(&p.n, LAC, L2TP_EV_CDN, "echoes"));
	net_flush(&p.n);
	cr_assert_eq(l2tp_engine_session_ids(p.n.e[LNS], 0, NULL, 0), 0);
	pn_free(&p);
}

/* `edit N option mru=1400` on the LNS's held LCP Configure-Request: the
 * edited request goes, the peer's Ack is checked against it and the MRU
 * is the link's own. */
Test(engine_session, step_mode_edited_configure_request)
{
	struct pppnet p;
	unsigned id = 0;
	struct l2tp_held_info hi;
	uint8_t cp[64];
	size_t off, n;

	pn_init(&p, NULL, NULL, L2TP_PPP_AUTH_CHAP);
	pn_apply(&p, true, true);
	p.tid = net_open(&p.n);
	cr_assert_eq(l2tp_engine_tunnel_set_mode(p.n.e[LNS], net_tid(&p.n, LNS),
	                                         L2TP_MODE_STEP, p.n.now),
	             0);
	cr_assert_eq(l2tp_engine_call_open(p.n.e[LAC], p.tid, NULL, p.n.now,
	                                   &p.sid[LAC]),
	             0);
	/* Release the LNS's L2TP items until its LCP request is held. */
	for (int round = 0; round < 50 && id == 0; round++) {
		unsigned ids[8];
		size_t k;

		net_flush(&p.n);
		k = l2tp_engine_held_ids(p.n.e[LNS], 0, ids, 8);
		for (size_t i = 0; i < k && i < 8 && id == 0; i++) {
			cr_assert_eq(
			    l2tp_engine_held_info(p.n.e[LNS], ids[i], &hi), 0);
			if (hi.ppp_proto == L2TP_PPP_LCP &&
			    ppp_code(&hi) == 1 && hi.kind == L2TP_HELD_DRAFT)
				id = ids[i];
		}
		if (id == 0 && k)
			cr_assert_eq(l2tp_engine_held_release(p.n.e[LNS],
			                                      ids[0], p.n.now),
			             0);
	}
	cr_assert_neq(id, 0);
	p.sid[LNS] = hi.session;
	/* The request as held: MRU first (1460); make it 1400. */
	off = 8 + 4; /* no S: header 8, then ff 03 c0 21 */
	n = hi.len - off;
	cr_assert_leq(n, sizeof(cp));
	memcpy(cp, hi.data + off, n);
	cr_assert_eq(cp[4], 1); /* MRU option */
	cr_assert_eq(cp[6] << 8 | cp[7], 1460);
	cp[6] = 1400 >> 8;
	cp[7] = 1400 & 0xff;
	cr_assert_eq(l2tp_engine_draft_set_ppp(p.n.e[LNS], id, cp, n), 0);
	cr_assert_eq(l2tp_engine_tunnel_set_mode(p.n.e[LNS], net_tid(&p.n, LNS),
	                                         L2TP_MODE_AUTO, p.n.now),
	             0);
	net_run(&p.n, p.n.now + 100);
	cr_assert_eq(pinfo(&p, LNS).lcp_state, L2TP_PPP_OPENED);
	cr_assert_eq(pinfo(&p, LNS).mru_local, 1400);
	cr_assert_eq(pinfo(&p, LAC).mru_peer, 1400);
	cr_assert_eq(pinfo(&p, LAC).ipcp_state, L2TP_PPP_OPENED);
	pn_free(&p);
}

/* Step mode with sequencing: a received frame held while later data
 * passes is still taken when released (the operator's order). */
Test(engine_session, step_mode_with_sequencing)
{
	struct pppnet p;
	struct l2tp_engine_config ca;
	unsigned id;
	uint16_t seq;

	l2tp_engine_config_default(&ca);
	ca.data_seq = true;
	pn_init(&p, &ca, NULL, L2TP_PPP_AUTH_CHAP);
	p.sub.echo_interval_ms = 0;
	p.srv.echo_interval_ms = 0;
	pn_apply(&p, true, true);
	pn_call(&p);
	net_run(&p.n, 100);
	cr_assert(sinfo(&p, LAC).seq_on);
	cr_assert_eq(l2tp_engine_tunnel_set_mode(p.n.e[LAC], p.tid,
	                                         L2TP_MODE_STEP, p.n.now),
	             0);
	cr_assert_eq(l2tp_engine_ppp_echo(p.n.e[LAC], p.sid[LAC], p.n.now), 0);
	id = held_ppp(&p, LAC, L2TP_HELD_DRAFT, L2TP_PPP_LCP, 9);
	cr_assert_eq(l2tp_engine_held_release(p.n.e[LAC], id, p.n.now), 0);
	net_flush(&p.n);
	id = held_ppp(&p, LAC, L2TP_HELD_RECEIVED, L2TP_PPP_LCP, 10);
	cr_assert_neq(id, 0);
	/* The LNS's ping (IP is never held) overtakes the held reply. */
	cr_assert_eq(l2tp_engine_ping(p.n.e[LNS], p.sid[LNS], 4,
	                              (uint8_t[4]){10, 10, 0, 2}, 56, false,
	                              p.n.now, &seq),
	             0);
	net_flush(&p.n);
	cr_assert_eq(pinfo(&p, LAC).pings_answered, 1);
	cr_assert_eq(l2tp_engine_held_release(p.n.e[LAC], id, p.n.now), 0);
	cr_assert_eq(pinfo(&p, LAC).echo_received, 1);
	cr_assert_eq(sinfo(&p, LAC).out_of_order, 0);
	pn_free(&p);
}
