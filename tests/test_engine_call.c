/* Engine tests: calls (ICRQ/ICRP/ICCN, OCRQ/OCRP/OCCN), CDN, WEN, SLI, hidden
 * AVPs (RFC 2661 §4.3, §7.4, §7.5). */
#include "test_engine_harness.h"

static uint16_t
up(struct net *n)
{
	uint16_t tid = net_open(n);

	net_run(n, n->now + 200);
	cr_assert_eq(net_state(n, LAC), L2TP_TS_ESTABLISHED);
	cr_assert_eq(net_state(n, LNS), L2TP_TS_ESTABLISHED);
	return tid;
}

static struct l2tp_session_info
sinfo(struct net *n, int side, uint16_t sid)
{
	struct l2tp_session_info si;

	memset(&si, 0, sizeof(si));
	cr_assert_eq(l2tp_engine_session_info(n->e[side], sid, &si), 0);
	return si;
}

static uint16_t
only_session(struct net *n, int side)
{
	uint16_t ids[4];

	cr_assert_eq(l2tp_engine_session_ids(n->e[side], 0, ids, 4), 1);
	return ids[0];
}

static struct l2tp_msg *
parse_sent(const struct sent *s)
{
	static struct l2tp_msg m;

	cr_assert_not_null(s);
	cr_assert_eq(l2tp_parse(s->data, s->len, s->len, L2TP_UDP, NULL, &m),
	             0);
	return &m;
}

Test(engine_call, incoming_call_lac_to_lns)
{
	struct net n;
	struct l2tp_call_params p;
	uint16_t tid, sid, lsid;
	struct l2tp_session_info a, b;
	struct l2tp_msg *m;

	net_init(&n, NULL, NULL);
	tid = up(&n);
	l2tp_call_params_default(&p);
	snprintf(p.calling, sizeof(p.calling), "5551234");
	snprintf(p.called, sizeof(p.called), "100");
	p.tx_speed = 64000;
	p.rx_speed = 32000;
	p.proxy_auth_type = 2;
	snprintf(p.proxy_auth_name, sizeof(p.proxy_auth_name), "user");
	p.proxy_auth_chal_len = 16;
	p.proxy_auth_id = 7;
	p.proxy_auth_resp_len = 16;
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, &p, n.now, &sid), 0);
	net_run(&n, n.now + 200);
	a = sinfo(&n, LAC, sid);
	lsid = only_session(&n, LNS);
	b = sinfo(&n, LNS, lsid);
	cr_assert_eq(a.state, L2TP_SS_ESTABLISHED);
	cr_assert_eq(b.state, L2TP_SS_ESTABLISHED);
	cr_assert_eq(a.remote_id, b.local_id);
	cr_assert_eq(b.remote_id, a.local_id);
	cr_assert_eq(a.type, L2TP_CALL_INCOMING);
	cr_assert_eq(b.serial, a.serial);
	cr_assert_str_eq(b.calling, "5551234");
	cr_assert_str_eq(b.called, "100");
	cr_assert_eq(b.tx_speed, 64000);
	cr_assert_eq(b.rx_speed, 32000);
	cr_assert_eq(sent_count(&n, LAC, L2TP_ICRQ), 1);
	cr_assert_eq(sent_count(&n, LNS, L2TP_ICRP), 1);
	cr_assert_eq(sent_count(&n, LAC, L2TP_ICCN), 1);
	/* ICRQ goes to Session ID 0; later messages name the peer's id. */
	cr_assert_eq(sent_nth(&n, LAC, L2TP_ICRQ, 0)->session, 0);
	cr_assert_eq(sent_nth(&n, LNS, L2TP_ICRP, 0)->session, sid);
	cr_assert_eq(sent_nth(&n, LAC, L2TP_ICCN, 0)->session, lsid);
	m = parse_sent(sent_nth(&n, LAC, L2TP_ICCN, 0));
	cr_assert_not_null(l2tp_find_avp(m, 0, L2TP_AVP_PROXY_AUTH_TYPE));
	cr_assert_not_null(l2tp_find_avp(m, 0, L2TP_AVP_PROXY_AUTH_NAME));
	cr_assert_not_null(l2tp_find_avp(m, 0, L2TP_AVP_PROXY_AUTH_RESP));
	/* The ZLB acks always carry Session ID 0. */
	for (size_t i = 0; i < n.nlog; i++)
		if (n.log[i].type == -1)
			cr_assert_eq(n.log[i].session, 0);
	cr_assert_eq(net_info(&n, LAC).sessions_active, 1);
	cr_assert_eq(net_info(&n, LNS).sessions_total, 1);
	net_free(&n);
}

Test(engine_call, call_waits_for_tunnel)
{
	struct net n;
	uint16_t tid, sid;

	net_init(&n, NULL, NULL);
	cr_assert_eq(l2tp_engine_tunnel_open(n.e[LAC], &n.addr[LNS],
	                                     L2TP_ROLE_LAC, 0, &tid),
	             0);
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, NULL, 0, &sid), 0);
	cr_assert_eq(sinfo(&n, LAC, sid).state, L2TP_SS_WAIT_TUNNEL);
	net_run(&n, 500);
	cr_assert_eq(sinfo(&n, LAC, sid).state, L2TP_SS_ESTABLISHED);
	cr_assert_eq(sinfo(&n, LNS, only_session(&n, LNS)).state,
	             L2TP_SS_ESTABLISHED);
	net_free(&n);
}

Test(engine_call, outgoing_call_lns_to_lac)
{
	struct net n;
	struct l2tp_call_params p;
	uint16_t sid, lsid;
	struct l2tp_session_info a, b;

	net_init(&n, NULL, NULL);
	up(&n);
	l2tp_call_params_default(&p);
	snprintf(p.called, sizeof(p.called), "0123456");
	p.min_bps = 1000;
	p.max_bps = 2000;
	cr_assert_eq(
	    l2tp_engine_call_open(n.e[LNS], net_tid(&n, LNS), &p, n.now, &sid),
	    0);
	net_run(&n, n.now + 200);
	b = sinfo(&n, LNS, sid);
	lsid = only_session(&n, LAC);
	a = sinfo(&n, LAC, lsid);
	cr_assert_eq(b.type, L2TP_CALL_OUTGOING);
	cr_assert_eq(a.type, L2TP_CALL_OUTGOING);
	cr_assert_eq(b.state, L2TP_SS_ESTABLISHED);
	cr_assert_eq(a.state, L2TP_SS_ESTABLISHED);
	cr_assert_str_eq(a.called, "0123456");
	cr_assert_eq(sent_count(&n, LNS, L2TP_OCRQ), 1);
	cr_assert_eq(sent_count(&n, LAC, L2TP_OCRP), 1);
	cr_assert_eq(sent_count(&n, LAC, L2TP_OCCN), 1);
	cr_assert_not_null(ev_find(&n, LAC, L2TP_EV_SESSION_STATE,
	                           "wait-cs-answer -> established"));
	cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_SESSION_STATE,
	                           "wait-connect -> established"));
	net_free(&n);
}

static void
cdn_case(int closer)
{
	struct net n;
	uint16_t tid, sid, other;
	const struct l2tp_event *ev;

	net_init(&n, NULL, NULL);
	tid = up(&n);
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, NULL, n.now, &sid),
	             0);
	net_run(&n, n.now + 200);
	other = only_session(&n, LNS);
	cr_assert_eq(l2tp_engine_call_close(n.e[closer],
	                                    closer == LAC ? sid : other, 3, 0,
	                                    "admin down", 16, n.now),
	             0);
	net_run(&n, n.now + 200);
	cr_assert_eq(l2tp_engine_session_ids(n.e[LAC], 0, NULL, 0), 0);
	cr_assert_eq(l2tp_engine_session_ids(n.e[LNS], 0, NULL, 0), 0);
	ev = ev_find(&n, 1 - closer, L2TP_EV_CDN, "peer sent CDN");
	cr_assert_not_null(ev);
	cr_assert_eq(ev->result, 3);
	cr_assert_not_null(strstr(ev->text, "Q.931 cause 16"), "%s", ev->text);
	cr_assert_not_null(strstr(ev->text, "admin down"));
	cr_assert_not_null(ev_find(&n, closer, L2TP_EV_CDN, "sending CDN"));
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	cr_assert_eq(sent_nth(&n, closer, L2TP_CDN, 0)->session,
	             closer == LAC ? other : sid);
	cr_assert_eq(
	    l2tp_engine_call_close(n.e[closer], sid, 3, 0, NULL, -1, n.now),
	    L2TP_E_NOSESSION);
	net_free(&n);
}

Test(engine_call, cdn_from_lac)
{
	cdn_case(LAC);
}

Test(engine_call, cdn_from_lns)
{
	cdn_case(LNS);
}

Test(engine_call, wen_and_sli)
{
	struct net n;
	uint16_t tid, sid;
	static const uint32_t errs[6] = {1, 2, 3, 4, 5, 6};

	net_init(&n, NULL, NULL);
	tid = up(&n);
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, NULL, n.now, &sid),
	             0);
	cr_assert_eq(l2tp_engine_send_wen(n.e[LAC], sid, errs, n.now),
	             L2TP_E_STATE);
	net_run(&n, n.now + 200);
	cr_assert_eq(l2tp_engine_send_wen(n.e[LAC], sid, errs, n.now), 0);
	cr_assert_eq(l2tp_engine_send_sli(n.e[LNS], only_session(&n, LNS),
	                                  0xffffffff, 0x0000000a, n.now),
	             0);
	net_run(&n, n.now + 200);
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_ANOMALY, "WEN for session"));
	cr_assert_not_null(ev_find(
	    &n, LNS, L2TP_EV_ANOMALY,
	    "CRC 1 framing 2 hardware overruns 3 buffer overruns 4 timeouts "
	    "5 alignment 6"));
	cr_assert_not_null(
	    ev_find(&n, LAC, L2TP_EV_ANOMALY,
	            "send ACCM 0xffffffff receive ACCM 0x0000000a"));
	cr_assert_eq(sinfo(&n, LAC, sid).state, L2TP_SS_ESTABLISHED);
	net_free(&n);
}

Test(engine_call, stopccn_clears_every_call)
{
	struct net n;
	uint16_t tid, sid;

	net_init(&n, NULL, NULL);
	tid = up(&n);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(
		    l2tp_engine_call_open(n.e[LAC], tid, NULL, n.now, &sid), 0);
	net_run(&n, n.now + 500);
	cr_assert_eq(l2tp_engine_session_ids(n.e[LNS], 0, NULL, 0), 3);
	cr_assert_eq(l2tp_engine_tunnel_close(n.e[LNS], net_tid(&n, LNS), 6, -1,
	                                      NULL, n.now),
	             0);
	net_flush(&n);
	cr_assert_eq(l2tp_engine_session_ids(n.e[LAC], 0, NULL, 0), 0);
	cr_assert_eq(l2tp_engine_session_ids(n.e[LNS], 0, NULL, 0), 0);
	/* No CDN: a StopCCN clears the calls by itself. */
	cr_assert_eq(sent_count(&n, LAC, L2TP_CDN), 0);
	cr_assert_eq(sent_count(&n, LNS, L2TP_CDN), 0);
	cr_assert_not_null(
	    ev_find(&n, LAC, L2TP_EV_SESSION_STATE, "StopCCN received"));
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, NULL, n.now, &sid),
	             L2TP_E_STATE);
	net_free(&n);
}

Test(engine_call, icrq_to_lac_refused)
{
	struct net n;
	uint16_t tid, sid;
	const struct l2tp_event *ev;

	/* The far side takes tunnels as a LAC: an ICRQ is not for it. */
	net_init(&n, NULL, NULL);
	l2tp_engine_listen(n.e[LNS], true, L2TP_ROLE_LAC);
	tid = up(&n);
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, NULL, n.now, &sid),
	             0);
	net_run(&n, n.now + 200);
	cr_assert_eq(sent_count(&n, LNS, L2TP_CDN), 1);
	ev = ev_find(&n, LAC, L2TP_EV_CDN, "peer sent CDN");
	cr_assert_not_null(ev);
	cr_assert_eq(ev->result, 5);
	cr_assert_not_null(strstr(ev->text, "ICRQ sent to a LAC"));
	cr_assert_eq(l2tp_engine_session_ids(n.e[LAC], 0, NULL, 0), 0);
	cr_assert_eq(net_info(&n, LAC).sessions_failed, 1);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	net_free(&n);
}

/* ---- hidden AVPs ---- */

static void
hide(struct net *n, int side, bool on)
{
	struct l2tp_engine_config c = *l2tp_engine_config(n->e[side]);

	c.hide_avps = on;
	cr_assert_eq(l2tp_engine_set_config(n->e[side], &c), 0);
}

static void
check_hidden(const struct sent *s, const char *secret)
{
	struct l2tp_msg *m = parse_sent(s);
	static uint8_t scratch[65536];
	bool seen_rv = false, seen_hidden = false;
	const char *secrets[1] = {secret};

	for (size_t i = 0; i < m->navps; i++) {
		const struct l2tp_avp *a = &m->avps[i];
		const struct l2tp_avp_info *ai =
		    l2tp_avp_info(a->vendor, a->type);

		if (a->type == L2TP_AVP_RANDOM_VECTOR)
			seen_rv = true;
		if (a->h) {
			cr_assert(seen_rv, "hidden AVP before Random Vector");
			cr_assert(ai && ai->hideable, "AVP %u hidden", a->type);
			seen_hidden = true;
		} else if (ai && ai->hideable && a->type != 0) {
			cr_assert_fail("hideable AVP %u sent in clear",
			               a->type);
		}
	}
	cr_assert(seen_hidden);
	cr_assert_eq(l2tp_unhide(m, secrets, 1, scratch, sizeof(scratch)) > 0,
	             1);
	for (size_t i = 0; i < m->navps; i++)
		if (m->avps[i].h)
			cr_assert(m->avps[i].decrypted);
}

Test(engine_call, hidden_avps_both_ways)
{
	struct net n;
	uint16_t tid, sid;

	net_init(&n, NULL, NULL);
	l2tp_engine_set_secret_default(n.e[LAC], "hide-me");
	l2tp_engine_set_secret_default(n.e[LNS], "hide-me");
	hide(&n, LAC, true);
	hide(&n, LNS, true);
	tid = up(&n);
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, NULL, n.now, &sid),
	             0);
	net_run(&n, n.now + 200);
	cr_assert_eq(sinfo(&n, LAC, sid).state, L2TP_SS_ESTABLISHED);
	cr_assert_eq(sinfo(&n, LNS, only_session(&n, LNS)).remote_id, sid);
	check_hidden(sent_nth(&n, LNS, L2TP_SCCRP, 0), "hide-me");
	check_hidden(sent_nth(&n, LAC, L2TP_SCCCN, 0), "hide-me");
	check_hidden(sent_nth(&n, LAC, L2TP_ICRQ, 0), "hide-me");
	check_hidden(sent_nth(&n, LNS, L2TP_ICRP, 0), "hide-me");
	check_hidden(sent_nth(&n, LAC, L2TP_ICCN, 0), "hide-me");
	cr_assert_null(ev_find(&n, LAC, L2TP_EV_HIDDEN, NULL));
	cr_assert_null(ev_find(&n, LNS, L2TP_EV_HIDDEN, NULL));
	net_free(&n);
}

Test(engine_call, hidden_avps_wrong_secret)
{
	struct net n;
	const struct l2tp_event *ev;

	net_init(&n, NULL, NULL);
	l2tp_engine_set_secret_default(n.e[LAC], "one");
	l2tp_engine_set_secret_default(n.e[LNS], "two");
	struct l2tp_engine_config c = *l2tp_engine_config(n.e[LAC]);

	c.challenge = false;
	l2tp_engine_set_config(n.e[LAC], &c);
	c = *l2tp_engine_config(n.e[LNS]);
	c.challenge = false;
	c.hide_avps = true;
	l2tp_engine_set_config(n.e[LNS], &c);
	net_open(&n);
	ev = ev_find(&n, LAC, L2TP_EV_HIDDEN, "wrong secret");
	cr_assert_not_null(ev);
	cr_assert_not_null(strstr(ev->text, "SCCRP"), "%s", ev->text);
	ev = ev_find(&n, LAC, L2TP_EV_STOPCCN, "sending StopCCN result 2");
	cr_assert_not_null(ev);
	cr_assert_eq(ev->error, 2);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_CLOSING);
	net_free(&n);
}

Test(engine_call, hidden_avp_with_padding_accepted)
{
	struct net n;
	struct l2tp_builder b;
	uint8_t buf[512], rv[16] = {9, 8, 7, 6, 5, 4, 3, 2, 1};
	static const uint8_t pad[7] = {1, 2, 3, 4, 5, 6, 7};
	uint8_t ver[2] = {1, 0};
	int len;

	/* An SCCRQ whose Vendor Name is hidden with 7 bytes of padding. */
	net_init(&n, NULL, NULL);
	n.filter = lac_deaf;
	l2tp_engine_set_secret_default(n.e[LNS], "padded");
	l2tp_build_control(&b, buf, sizeof(buf), 0, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_SCCRQ);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_PROTOCOL_VERSION, ver, 2);
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 3);
	l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "padder");
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 77);
	l2tp_build_random_vector(&b, rv, sizeof(rv), "padded");
	l2tp_build_hidden(&b, false, 0, L2TP_AVP_VENDOR_NAME, "acme", 4, pad,
	                  sizeof(pad));
	len = l2tp_build_end(&b);
	cr_assert_gt(len, 0);
	l2tp_engine_input(n.e[LNS], &n.addr[LAC], buf, (size_t)len, 0);
	net_flush(&n);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_WAIT_CTL_CONN);
	cr_assert_str_eq(net_info(&n, LNS).peer_vendor, "acme");
	net_free(&n);
}

Test(engine_call, operator_avps_in_the_request)
{
	struct net n;
	struct l2tp_call_params p;
	struct l2tp_avp_spec extra[2] = {
	    {L2TP_VENDOR_BBF, 1, false, false, (const uint8_t *)"circuit-7", 9,
	     0},
	    {0, L2TP_AVP_PRIVATE_GROUP, false, true, (const uint8_t *)"grp", 3,
	     0},
	};
	uint16_t tid, sid;
	struct l2tp_msg *m;
	const struct l2tp_avp *a;
	static uint8_t scratch[4096];
	const char *sec[1] = {"x"};

	net_init(&n, NULL, NULL);
	l2tp_engine_set_secret_default(n.e[LAC], "x");
	l2tp_engine_set_secret_default(n.e[LNS], "x");
	tid = up(&n);
	l2tp_call_params_default(&p);
	p.extra = extra;
	p.nextra = 2;
	p.phys_channel = 42;
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, &p, n.now, &sid), 0);
	net_run(&n, n.now + 200);
	cr_assert_eq(sinfo(&n, LAC, sid).state, L2TP_SS_ESTABLISHED);
	m = parse_sent(sent_nth(&n, LAC, L2TP_ICRQ, 0));
	a = l2tp_find_avp(m, L2TP_VENDOR_BBF, 1);
	cr_assert_not_null(a);
	cr_assert_eq(a->value.len, 9);
	cr_assert_not_null(l2tp_find_avp(m, 0, L2TP_AVP_PHYS_CHANNEL));
	a = l2tp_find_avp(m, 0, L2TP_AVP_PRIVATE_GROUP);
	cr_assert_not_null(a);
	cr_assert(a->h);
	cr_assert_not_null(l2tp_find_avp(m, 0, L2TP_AVP_RANDOM_VECTOR));
	cr_assert_eq(l2tp_unhide(m, sec, 1, scratch, sizeof(scratch)), 1);
	cr_assert_eq(a->plain.len, 3);
	cr_assert_eq(memcmp(a->plain.p, "grp", 3), 0);
	net_free(&n);
}

/* What `display l2tp tunnel/session` shows: every per-tunnel and
 * per-session item, from both ends. */
Test(engine_call, every_tunnel_and_session_item_reported)
{
	struct l2tp_engine_config ca, cb;
	struct l2tp_tunnel_info a, b;
	struct l2tp_session_info sa, sb, ended[4];
	struct l2tp_call_params p;
	struct net n;
	uint16_t tid, sid, sid2, lsid;
	const struct l2tp_event *ev;

	l2tp_engine_config_default(&ca);
	snprintf(ca.host_name, sizeof(ca.host_name), "lac-host");
	snprintf(ca.vendor_name, sizeof(ca.vendor_name), "VendorA");
	ca.firmware = 0x0203;
	ca.framing_cap = 1;
	ca.bearer_cap = 2;
	ca.rx_window = 6;
	ca.hello_ms = 5000;
	cb = ca;
	snprintf(cb.host_name, sizeof(cb.host_name), "lns-host");
	snprintf(cb.vendor_name, sizeof(cb.vendor_name), "VendorB");
	cb.firmware = 0x0405;
	cb.framing_cap = 2;
	cb.bearer_cap = 1;
	cb.rx_window = 8;
	cb.hello_ms = 0;
	net_init(&n, &ca, &cb);
	n.now = 1000;
	tid = up(&n);
	a = net_info(&n, LAC);
	b = net_info(&n, LNS);
	cr_assert_eq(a.local_id, tid);
	cr_assert_eq(a.remote_id, b.local_id);
	cr_assert_eq(b.remote_id, a.local_id);
	cr_assert_eq(a.state, L2TP_TS_ESTABLISHED);
	cr_assert_eq(a.role, L2TP_ROLE_LAC);
	cr_assert_eq(b.role, L2TP_ROLE_LNS);
	cr_assert(l2tp_addr_eq(&a.peer, &n.addr[LNS], true));
	cr_assert(l2tp_addr_eq(&b.peer, &n.addr[LAC], true));
	cr_assert_str_eq(a.peer_host, "lns-host");
	cr_assert_str_eq(b.peer_host, "lac-host");
	cr_assert_str_eq(a.peer_vendor, "VendorB");
	cr_assert_str_eq(b.peer_vendor, "VendorA");
	cr_assert_eq(a.peer_firmware, 0x0405);
	cr_assert_eq(b.peer_firmware, 0x0203);
	cr_assert_eq(a.peer_version, 1);
	cr_assert_eq(a.peer_revision, 0);
	cr_assert_eq(b.peer_version, 1);
	cr_assert_eq(a.peer_framing_cap, 2);
	cr_assert_eq(a.peer_bearer_cap, 1);
	cr_assert_eq(b.peer_framing_cap, 1);
	cr_assert_eq(b.peer_bearer_cap, 2);
	cr_assert_eq(a.hello_ms, 5000);
	cr_assert_eq(b.hello_ms, 0);
	/* SCCRQ, SCCCN out; SCCRP in; the LNS's ZLB acks the SCCCN. */
	cr_assert_eq(a.ns, 2);
	cr_assert_eq(a.nr, 1);
	cr_assert_eq(b.ns, 1);
	cr_assert_eq(b.nr, 2);
	cr_assert_eq(a.peer_window, 8);
	cr_assert_eq(b.peer_window, 6);
	cr_assert_eq(a.ctl_out, 2);
	cr_assert_eq(a.ctl_in, 1);
	cr_assert_eq(b.ctl_out, 1);
	cr_assert_eq(b.ctl_in, 2);
	cr_assert_eq(a.zlb_in, 1);
	cr_assert_eq(b.zlb_out, 1);
	cr_assert_eq(a.zlb_out, 0);
	/* Slow start: cwnd 1, +1 per ack below ssthresh (the peer's
	 * window). */
	cr_assert_eq(a.cwnd, 3, "cwnd %u", a.cwnd);
	cr_assert_eq(a.ssthresh, 8, "ssthresh %u", a.ssthresh);
	cr_assert_eq(a.established_ms, 1000);
	cr_assert_eq(b.established_ms, 1000);
	cr_assert_eq(a.created_ms, 1000);
	cr_assert_eq(a.retransmits + a.duplicates + a.out_of_order, 0);
	/* The LAC's Hello 5 s after the last message it got (the ZLB). */
	net_run(&n, 1000 + 100 + 5000);
	cr_assert_eq(net_info(&n, LAC).hellos_out, 1);
	cr_assert_eq(net_info(&n, LNS).hellos_in, 1);
	cr_assert_eq(net_info(&n, LNS).hellos_out, 0);

	/* One call up, one that fails before it is up. */
	l2tp_call_params_default(&p);
	snprintf(p.calling, sizeof(p.calling), "5551234");
	snprintf(p.called, sizeof(p.called), "100");
	p.tx_speed = 64000;
	p.rx_speed = 32000;
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, &p, n.now, &sid), 0);
	net_run(&n, n.now + 200);
	lsid = only_session(&n, LNS);
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, &p, n.now, &sid2), 0);
	cr_assert_eq(
	    l2tp_engine_call_close(n.e[LAC], sid2, 3, -1, "gone", -1, n.now),
	    0);
	net_run(&n, n.now + 200);
	a = net_info(&n, LAC);
	b = net_info(&n, LNS);
	cr_assert_eq(a.sessions_total, 2);
	cr_assert_eq(a.sessions_active, 1);
	cr_assert_eq(a.sessions_failed, 1);
	cr_assert_eq(b.sessions_total, 2);
	cr_assert_eq(b.sessions_active, 1);
	cr_assert_eq(b.sessions_failed, 1);
	sa = sinfo(&n, LAC, sid);
	sb = sinfo(&n, LNS, lsid);
	cr_assert_eq(sa.local_id, sid);
	cr_assert_eq(sa.remote_id, lsid);
	cr_assert_eq(sb.remote_id, sid);
	cr_assert_eq(sa.tunnel, tid);
	cr_assert_eq(sb.tunnel, b.local_id);
	cr_assert_eq(sb.state, L2TP_SS_ESTABLISHED);
	cr_assert_eq(sb.type, L2TP_CALL_INCOMING);
	cr_assert_eq(sb.serial, sa.serial);
	cr_assert_str_eq(sb.calling, "5551234");
	cr_assert_str_eq(sb.called, "100");
	cr_assert_eq(sb.tx_speed, 64000);
	cr_assert_eq(sb.rx_speed, 32000);
	/* The failed one is kept with its result, on both ends. */
	cr_assert_eq(l2tp_engine_ended_sessions(n.e[LNS], ended, 4), 1);
	cr_assert_eq(ended[0].last_result, 3);
	cr_assert_str_eq(ended[0].last_message, "gone");
	cr_assert_eq(ended[0].state, L2TP_SS_WAIT_CONNECT);
	cr_assert_eq(ended[0].remote_id, sid2);
	/* The established call ends by the LNS's CDN. */
	cr_assert_eq(
	    l2tp_engine_call_close(n.e[LNS], lsid, 2, 4, "no room", 16, n.now),
	    0);
	net_run(&n, n.now + 200);
	cr_assert_eq(l2tp_engine_ended_sessions(n.e[LAC], ended, 4), 2);
	cr_assert_eq(ended[0].local_id, sid);
	cr_assert_eq(ended[0].state, L2TP_SS_ESTABLISHED);
	cr_assert_eq(ended[0].last_result, 2);
	cr_assert_eq(ended[0].last_error, 4);
	cr_assert_str_eq(ended[0].last_message, "no room");
	cr_assert_eq(ended[0].ended_ms, n.now - 200);
	cr_assert_eq(ended[1].local_id, sid2);
	ev =
	    ev_find(&n, LAC, L2TP_EV_SESSION_GONE, "result 2 error 4: no room");
	cr_assert_not_null(ev);
	cr_assert_eq(ev->result, 2);
	cr_assert_eq(net_info(&n, LAC).sessions_active, 0);
	cr_assert_eq(net_info(&n, LAC).sessions_failed, 1);

	/* The tunnel's last result: our StopCCN, both ends. */
	cr_assert_eq(
	    l2tp_engine_tunnel_close(n.e[LAC], tid, 6, -1, "bye", n.now), 0);
	net_run(&n, n.now + 200);
	a = net_info(&n, LAC);
	b = net_info(&n, LNS);
	cr_assert_eq(a.state, L2TP_TS_CLOSING);
	cr_assert_eq(a.last_result, 6);
	cr_assert_str_eq(a.last_message, "bye");
	cr_assert_eq(b.last_result, 6);
	cr_assert_str_eq(b.last_message, "bye");
	net_run(&n, n.now + 40000);
	ev = ev_find(&n, LNS, L2TP_EV_TUNNEL_GONE, "result 6 error 0: bye");
	cr_assert_not_null(ev);
	net_free(&n);
}

/* Every message and ZLB, in and out, is an event with its time, tunnel
 * and session ids and its bytes. */
Test(engine_call, every_message_in_and_out_is_an_event)
{
	struct net n;
	uint16_t tid, sid, lsid;
	size_t out = 0, in = 0, lac_sent = 0;

	net_init(&n, NULL, NULL);
	tid = up(&n);
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, NULL, n.now, &sid),
	             0);
	net_run(&n, n.now + 200);
	lsid = only_session(&n, LNS);
	cr_assert_eq(
	    l2tp_engine_tunnel_close(n.e[LAC], tid, 1, -1, NULL, n.now), 0);
	net_run(&n, n.now + 200);
	for (size_t i = 0; i < n.nlog; i++)
		if (n.log[i].from == LAC)
			lac_sent++;
	cr_assert_geq(lac_sent, 5); /* SCCRQ SCCCN ICRQ ICCN StopCCN */
	for (size_t i = 0; i < n.nev[LAC]; i++) {
		const struct l2tp_event *ev = &n.ev[LAC][i].ev;
		const struct sent *s;
		bool found = false;

		if (ev->kind != L2TP_EV_MSG_OUT && ev->kind != L2TP_EV_ZLB_OUT)
			continue;
		out++;
		cr_assert_eq(ev->tunnel, tid);
		cr_assert_eq(ev->kind == L2TP_EV_ZLB_OUT, ev->msg_type == -1,
		             "%s", ev->text);
		for (size_t j = 0; j < n.nlog && !found; j++) {
			s = &n.log[j];
			found = s->from == LAC && s->type == ev->msg_type &&
			        s->ns == ev->ns && s->t == ev->time_ms &&
			        s->len == ev->msg_len;
		}
		cr_assert(found, "no datagram for event \"%s\"", ev->text);
		if (ev->msg_type == L2TP_ICRQ || ev->msg_type == L2TP_ICCN)
			cr_assert_eq(ev->session, sid, "%s", ev->text);
	}
	cr_assert_eq(out, lac_sent, "%zu out events for %zu datagrams", out,
	             lac_sent);
	/* The LNS accepted each of them, with an event. */
	for (size_t i = 0; i < n.nev[LNS]; i++) {
		const struct l2tp_event *ev = &n.ev[LNS][i].ev;

		if (ev->kind == L2TP_EV_MSG_IN || ev->kind == L2TP_EV_ZLB_IN) {
			in++;
			cr_assert_gt(ev->msg_len, 0);
			if (ev->kind == L2TP_EV_ZLB_IN)
				cr_assert_eq(ev->msg_len, 12);
			/* The ICCN names the LNS's session. */
			if (ev->msg_type == L2TP_ICCN)
				cr_assert_eq(ev->session, lsid, "%s", ev->text);
		}
	}
	cr_assert_eq(in, lac_sent, "%zu in events for %zu datagrams", in,
	             lac_sent);
	net_free(&n);
}

static enum verdict
drop_everything(struct net *n, const struct sent *s)
{
	(void)n;
	(void)s;
	return DROP;
}

/* A dead peer: the unanswered Hello hits the retry limit and the tunnel
 * is cleared with its calls, each kept among the ended sessions. */
Test(engine_call, retry_limit_clears_the_calls_too)
{
	struct net n;
	struct l2tp_session_info ended[2];
	uint16_t tid, sid;
	uint64_t t0;

	net_init(&n, NULL, NULL);
	tid = up(&n);
	cr_assert_eq(l2tp_engine_call_open(n.e[LAC], tid, NULL, n.now, &sid),
	             0);
	net_run(&n, n.now + 200);
	cr_assert_eq(sinfo(&n, LAC, sid).state, L2TP_SS_ESTABLISHED);
	n.filter = drop_everything;
	t0 = n.now;
	cr_assert_eq(l2tp_engine_tunnel_set_hello(n.e[LAC], tid, 2000, n.now),
	             0);
	/* A Hello 2 s after the last message received, then 1+2+4+8+8 s
	 * of retransmissions and the last 8 s wait. */
	net_run(&n, t0 + 2000);
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), 1);
	t0 = sent_nth(&n, LAC, L2TP_HELLO, 0)->t;
	net_run(&n, t0 + 30999);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	cr_assert_eq(sent_count(&n, LAC, L2TP_HELLO), 6);
	net_run(&n, t0 + 31000);
	cr_assert_eq(l2tp_engine_tunnel_ids(n.e[LAC], NULL, 0), 0);
	cr_assert_eq(l2tp_engine_session_ids(n.e[LAC], 0, NULL, 0), 0);
	cr_assert_not_null(
	    ev_find(&n, LAC, L2TP_EV_GIVE_UP, "HELLO Ns 4 never acknowledged"));
	cr_assert_not_null(
	    ev_find(&n, LAC, L2TP_EV_SESSION_STATE, "tunnel cleared"));
	cr_assert_eq(l2tp_engine_ended_sessions(n.e[LAC], ended, 2), 1);
	cr_assert_eq(ended[0].local_id, sid);
	cr_assert_eq(ended[0].state, L2TP_SS_ESTABLISHED);
	net_free(&n);
}
