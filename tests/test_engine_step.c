/* Engine tests: step mode - drafts and received messages held, released,
 * edited, dropped, duplicated, delayed (RFC 2661 §5.8, §7.2). */
#include "test_engine_harness.h"

/* A LAC in step mode, an LNS in auto mode. */
static void
step_init(struct net *n)
{
	struct l2tp_engine_config c;

	net_init(n, NULL, NULL);
	c = *l2tp_engine_config(n->e[LAC]);
	c.mode = L2TP_MODE_STEP;
	cr_assert_eq(l2tp_engine_set_config(n->e[LAC], &c), 0);
}

static unsigned
held_only(struct net *n, int side, enum l2tp_held_kind kind, int type)
{
	unsigned ids[8];
	size_t k = l2tp_engine_held_ids(n->e[side], 0, ids, 8);
	struct l2tp_held_info hi;

	cr_assert_eq(k, 1, "%zu items held", k);
	cr_assert_eq(l2tp_engine_held_info(n->e[side], ids[0], &hi), 0);
	cr_assert_eq(hi.kind, kind);
	cr_assert_eq(hi.msg_type, type, "held %d, not %d", hi.msg_type, type);
	return ids[0];
}

Test(engine_step, step_through_handshake)
{
	struct net n;
	unsigned id;

	step_init(&n);
	net_open(&n);
	id = held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCRQ), 0);
	cr_assert_not_null(ev_find(&n, LAC, L2TP_EV_HELD, "SCCRQ held"));
	cr_assert_eq(net_info(&n, LAC).ctl_out, 0);
	cr_assert_eq(net_info(&n, LAC).ns, 0);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_IDLE);
	cr_assert_eq(l2tp_engine_held_release(n.e[LAC], id, n.now), 0);
	net_flush(&n);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCRQ), 1);
	cr_assert_eq(net_info(&n, LAC).ns, 1);
	/* The SCCRP is held before it is acted on. */
	id = held_only(&n, LAC, L2TP_HELD_RECEIVED, L2TP_SCCRP);
	cr_assert_not_null(
	    ev_find(&n, LAC, L2TP_EV_HELD,
	            "SCCRP Ns 0 Nr 1 held (process or discard it)"));
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_WAIT_CTL_REPLY);
	cr_assert_eq(net_info(&n, LAC).unacked, 1);
	cr_assert_eq(l2tp_engine_held_release(n.e[LAC], id, n.now), 0);
	net_flush(&n);
	cr_assert_eq(net_info(&n, LAC).unacked, 0);
	id = held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCCN);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_WAIT_CTL_CONN);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_WAIT_CTL_REPLY);
	cr_assert_eq(l2tp_engine_held_release(n.e[LAC], id, n.now), 0);
	net_flush(&n);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	/* The LNS's ZLB is held too, as received. */
	net_run(&n, 100);
	id = held_only(&n, LAC, L2TP_HELD_RECEIVED, -1);
	/* Back to auto: whatever is held goes, in order. */
	cr_assert_eq(l2tp_engine_tunnel_set_mode(n.e[LAC], net_tid(&n, LAC),
	                                         L2TP_MODE_AUTO, n.now),
	             0);
	cr_assert_eq(l2tp_engine_held_ids(n.e[LAC], 0, NULL, 0), 0);
	cr_assert_eq(net_info(&n, LAC).zlb_in, 1);
	cr_assert_eq(net_info(&n, LAC).ctl_out, 2);
	net_free(&n);
}

Test(engine_step, drop_draft_sends_nothing)
{
	struct net n;
	unsigned id;

	step_init(&n);
	net_open(&n);
	id = held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ);
	cr_assert_eq(l2tp_engine_held_drop(n.e[LAC], id, n.now), 0);
	cr_assert_eq(l2tp_engine_held_drop(n.e[LAC], id, n.now), L2TP_E_INVAL);
	net_run(&n, 59999);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCRQ), 0);
	cr_assert_eq(net_info(&n, LAC).ctl_out, 0);
	cr_assert_eq(net_state(&n, LNS), -1);
	/* Nothing went out: the tunnel never left idle... */
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_IDLE);
	cr_assert_not_null(ev_find(&n, LAC, L2TP_EV_HELD, "dropped"));
	/* ...until its setup timeout forgets it, with nothing to send. */
	net_run(&n, 60000);
	cr_assert_eq(net_state(&n, LAC), -1);
	cr_assert_eq(sent_count(&n, LAC, L2TP_STOPCCN), 0);
	net_free(&n);
}

Test(engine_step, dropped_scccn_leaves_lac_waiting)
{
	struct net n;
	unsigned id;

	step_init(&n);
	net_open(&n);
	l2tp_engine_held_release(
	    n.e[LAC], held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ), n.now);
	net_flush(&n);
	l2tp_engine_held_release(
	    n.e[LAC], held_only(&n, LAC, L2TP_HELD_RECEIVED, L2TP_SCCRP),
	    n.now);
	net_flush(&n);
	id = held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCCN);
	cr_assert_eq(l2tp_engine_held_drop(n.e[LAC], id, n.now), 0);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_WAIT_CTL_REPLY);
	cr_assert_eq(net_info(&n, LAC).ns, 1);
	/* The LNS, still waiting, retransmits its SCCRP (held again). */
	net_run(&n, 1000);
	cr_assert_eq(sent_count(&n, LNS, L2TP_SCCRP), 2);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_WAIT_CTL_CONN);
	net_free(&n);
}

/* Release everything the LAC holds until it holds nothing. */
static void
release_all(struct net *n)
{
	unsigned ids[8];

	for (int i = 0; i < 64; i++) {
		if (l2tp_engine_held_ids(n->e[LAC], 0, ids, 8) == 0)
			return;
		l2tp_engine_held_release(n->e[LAC], ids[0], n->now);
		net_flush(n);
	}
	cr_assert_fail("held items never ran out");
}

Test(engine_step, duplicate_draft_seen_as_duplicate)
{
	struct net n;
	unsigned ids[8];
	struct l2tp_held_info hi;

	step_init(&n);
	net_open(&n);
	/* SCCRQ, SCCRP, SCCCN, then the LNS's ZLB. */
	release_all(&n);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	net_run(&n, 100);
	release_all(&n);
	cr_assert_eq(l2tp_engine_held_ids(n.e[LAC], 0, ids, 8), 0);
	/* The Hello timer's message goes through the same hold. */
	cr_assert_eq(l2tp_engine_tunnel_set_hello(n.e[LAC], net_tid(&n, LAC),
	                                          500, n.now),
	             0);
	net_run(&n, 650);
	cr_assert_eq(l2tp_engine_held_ids(n.e[LAC], 0, ids, 8), 1);
	l2tp_engine_held_info(n.e[LAC], ids[0], &hi);
	cr_assert_eq(hi.msg_type, L2TP_HELLO);
	cr_assert_eq(hi.held_ms, 600);
	cr_assert_eq(l2tp_engine_held_duplicate(n.e[LAC], ids[0], n.now), 0);
	net_flush(&n);
	cr_assert_eq(net_info(&n, LNS).duplicates, 1);
	cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_DUPLICATE, NULL));
	net_free(&n);
}

Test(engine_step, edit_avps_of_a_draft)
{
	struct net n;
	unsigned id;
	struct l2tp_avp_spec host = {0,
	                             L2TP_AVP_HOST_NAME,
	                             true,
	                             false,
	                             (const uint8_t *)"edited-host",
	                             11,
	                             0};
	struct l2tp_avp_spec vendor = {0,
	                               L2TP_AVP_VENDOR_NAME,
	                               false,
	                               true,
	                               (const uint8_t *)"hidden-vendor",
	                               13,
	                               0};

	step_init(&n);
	l2tp_engine_set_secret_default(n.e[LAC], "edit");
	l2tp_engine_set_secret_default(n.e[LNS], "edit");
	net_open(&n);
	id = held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ);
	cr_assert_eq(l2tp_engine_draft_set_avp(n.e[LAC], id, &host), 0);
	cr_assert_eq(l2tp_engine_draft_set_avp(n.e[LAC], id, &vendor), 0);
	cr_assert_eq(l2tp_engine_draft_remove_avp(n.e[LAC], id, 0,
	                                          L2TP_AVP_FIRMWARE_REV),
	             0);
	cr_assert_eq(l2tp_engine_held_release(n.e[LAC], id, n.now), 0);
	/* An edited draft still moves the state machine once it is sent. */
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_WAIT_CTL_REPLY);
	net_flush(&n);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_WAIT_CTL_CONN);
	cr_assert_str_eq(net_info(&n, LNS).peer_host, "edited-host");
	cr_assert_str_eq(net_info(&n, LNS).peer_vendor, "hidden-vendor");
	cr_assert_eq(net_info(&n, LNS).peer_firmware, 0);
	cr_assert_null(ev_find(&n, LNS, L2TP_EV_HIDDEN, NULL));
	/* What went: Vendor Name hidden after a Random Vector, Host Name
	 * in clear. */
	{
		const struct sent *s = sent_nth(&n, LAC, L2TP_SCCRQ, 0);
		struct l2tp_msg m;
		const struct l2tp_avp *v, *h, *rv;

		cr_assert_not_null(s);
		cr_assert_eq(
		    l2tp_parse(s->data, s->len, s->len, L2TP_UDP, NULL, &m), 0);
		v = l2tp_find_avp(&m, 0, L2TP_AVP_VENDOR_NAME);
		h = l2tp_find_avp(&m, 0, L2TP_AVP_HOST_NAME);
		rv = l2tp_find_avp(&m, 0, L2TP_AVP_RANDOM_VECTOR);
		cr_assert(v && v->h, "Vendor Name not hidden");
		cr_assert(h && !h->h);
		cr_assert(rv && rv < v, "no Random Vector before it");
	}
	net_free(&n);
}

Test(engine_step, removing_a_mandatory_avp_is_reported)
{
	struct net n;
	unsigned id;

	step_init(&n);
	net_open(&n);
	id = held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ);
	cr_assert_eq(
	    l2tp_engine_draft_remove_avp(n.e[LAC], id, 0, L2TP_AVP_FRAMING_CAP),
	    0);
	l2tp_engine_held_release(n.e[LAC], id, n.now);
	net_flush(&n);
	cr_assert_not_null(
	    ev_find(&n, LNS, L2TP_EV_MISSING_AVP, "Framing Capabilities"));
	net_free(&n);
}

Test(engine_step, ns_set_by_hand_sent_once)
{
	struct net n;
	unsigned id;

	step_init(&n);
	net_open(&n);
	id = held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ);
	cr_assert_eq(l2tp_engine_draft_set_seq(n.e[LAC], id, 7, 3), 0);
	l2tp_engine_held_release(n.e[LAC], id, n.now);
	net_flush(&n);
	cr_assert_eq(sent_nth(&n, LAC, L2TP_SCCRQ, 0)->ns, 7);
	cr_assert_eq(sent_nth(&n, LAC, L2TP_SCCRQ, 0)->nr, 3);
	/* Not retransmitted, and the tunnel's own Ns did not move. */
	net_run(&n, 20000);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCRQ), 1);
	cr_assert_eq(net_info(&n, LAC).ns, 0);
	cr_assert_eq(net_info(&n, LAC).ctl_out, 1);
	net_free(&n);
}

Test(engine_step, delayed_draft_goes_at_its_time)
{
	struct net n;
	unsigned id;

	step_init(&n);
	net_open(&n);
	id = held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ);
	cr_assert_eq(l2tp_engine_held_delay(n.e[LAC], id, 1500, n.now), 0);
	cr_assert_eq(l2tp_engine_expiry(n.e[LAC]), 1500);
	net_run(&n, 1499);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCRQ), 0);
	net_run(&n, 1500);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCRQ), 1);
	cr_assert_eq(sent_nth(&n, LAC, L2TP_SCCRQ, 0)->t, 1500);
	net_free(&n);
}

Test(engine_step, discarded_message_is_retransmitted_by_peer)
{
	struct net n;
	unsigned id;

	step_init(&n);
	net_open(&n);
	id = held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ);
	l2tp_engine_held_release(n.e[LAC], id, n.now);
	net_flush(&n);
	id = held_only(&n, LAC, L2TP_HELD_RECEIVED, L2TP_SCCRP);
	cr_assert_eq(l2tp_engine_held_drop(n.e[LAC], id, n.now), 0);
	/* As if lost: our SCCRQ is still unacked, the LNS retransmits. */
	cr_assert_eq(net_info(&n, LAC).unacked, 1);
	net_run(&n, 1000);
	cr_assert_eq(sent_count(&n, LNS, L2TP_SCCRP), 2);
	cr_assert_geq(l2tp_engine_held_ids(n.e[LAC], 0, NULL, 0), 1);
	cr_assert_eq(l2tp_engine_tunnel_set_mode(n.e[LAC], net_tid(&n, LAC),
	                                         L2TP_MODE_AUTO, n.now),
	             0);
	net_run(&n, 3000);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_ESTABLISHED);
	net_free(&n);
}

Test(engine_step, step_lns_holds_new_sccrq)
{
	struct net n;
	struct l2tp_engine_config c;
	unsigned id;

	net_init(&n, NULL, NULL);
	c = *l2tp_engine_config(n.e[LNS]);
	c.mode = L2TP_MODE_STEP;
	l2tp_engine_set_config(n.e[LNS], &c);
	net_open(&n);
	id = held_only(&n, LNS, L2TP_HELD_RECEIVED, L2TP_SCCRQ);
	cr_assert_not_null(ev_find(&n, LNS, L2TP_EV_HELD, "from a new peer"));
	cr_assert_eq(l2tp_engine_tunnel_ids(n.e[LNS], NULL, 0), 0);
	l2tp_engine_held_release(n.e[LNS], id, n.now);
	net_flush(&n);
	/* The FSM moves when the SCCRP is really sent, not when drafted. */
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_IDLE);
	id = held_only(&n, LNS, L2TP_HELD_DRAFT, L2TP_SCCRP);
	cr_assert_eq(l2tp_engine_draft_set_flags(n.e[LNS], id, 0xc812), 0);
	l2tp_engine_held_release(n.e[LNS], id, n.now);
	net_flush(&n);
	/* A reserved bit set: sent as edited, and the LAC ignores it. */
	cr_assert_not_null(sent_nth(&n, LNS, L2TP_SCCRP, 0));
	cr_assert_eq(sent_nth(&n, LNS, L2TP_SCCRP, 0)->data[1], 0x12);
	cr_assert_eq(net_state(&n, LNS), L2TP_TS_WAIT_CTL_CONN);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_ESTABLISHED);
	net_free(&n);
}

/*
 * Step mode holds retransmissions too: the timer fires at 1 s, the draft
 * waits (nothing goes, no give-up) until the operator acts; release sends
 * it, drop counts it as a lost send, duplicate sends it twice, and the
 * retry limit still clears the tunnel.
 */
Test(engine_step, retransmission_held_as_draft)
{
	struct net n;
	struct l2tp_held_info hi;
	struct l2tp_avp_spec sp = {0, 99, false, false, NULL, 0, 0};
	const struct l2tp_event *ev;
	unsigned id;

	step_init(&n);
	l2tp_engine_listen(n.e[LNS], false, L2TP_ROLE_LNS);
	net_open(&n);
	id = held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ);
	cr_assert_eq(l2tp_engine_held_release(n.e[LAC], id, n.now), 0);
	net_run(&n, 999);
	cr_assert_eq(l2tp_engine_held_ids(n.e[LAC], 0, NULL, 0), 0);
	net_run(&n, 1000);
	id = held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ);
	cr_assert_eq(l2tp_engine_held_info(n.e[LAC], id, &hi), 0);
	cr_assert(hi.retransmission);
	cr_assert_not_null(ev_find(&n, LAC, L2TP_EV_HELD,
	                           "retransmission of SCCRQ Ns 0 held"));
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCRQ), 1);
	cr_assert_eq(l2tp_engine_draft_set_avp(n.e[LAC], id, &sp),
	             L2TP_E_STATE);
	/* The timer waits for the operator: no second draft, no give-up. */
	net_run(&n, 60000);
	cr_assert_eq(held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ), id);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCRQ), 1);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_WAIT_CTL_REPLY);
	/* Released: a retransmission, counted; the next in 2 s. */
	cr_assert_eq(l2tp_engine_held_release(n.e[LAC], id, n.now), 0);
	net_flush(&n);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCRQ), 2);
	cr_assert_eq(net_info(&n, LAC).retransmits, 1);
	cr_assert_not_null(ev_find(&n, LAC, L2TP_EV_RETRANSMIT, "send 2"));
	net_run(&n, 61999);
	cr_assert_eq(l2tp_engine_held_ids(n.e[LAC], 0, NULL, 0), 0);
	net_run(&n, 62000);
	id = held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ);
	/* Dropped: nothing sent, the next in 4 s. */
	cr_assert_eq(l2tp_engine_held_drop(n.e[LAC], id, n.now), 0);
	net_flush(&n);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCRQ), 2);
	cr_assert_eq(net_info(&n, LAC).retransmits, 1);
	net_run(&n, 65999);
	cr_assert_eq(l2tp_engine_held_ids(n.e[LAC], 0, NULL, 0), 0);
	net_run(&n, 66000);
	id = held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ);
	/* Duplicated: the datagram twice. */
	cr_assert_eq(l2tp_engine_held_duplicate(n.e[LAC], id, n.now), 0);
	net_flush(&n);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCRQ), 4);
	/* Sends 4 and 5 dropped (at 74 s, 82 s); at 90 s the limit. */
	for (uint64_t at = 74000; at <= 82000; at += 8000) {
		net_run(&n, at);
		id = held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ);
		cr_assert_eq(l2tp_engine_held_drop(n.e[LAC], id, n.now), 0);
	}
	net_run(&n, 89999);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_WAIT_CTL_REPLY);
	net_run(&n, 90000);
	ev = ev_find(&n, LAC, L2TP_EV_GIVE_UP, "SCCRQ Ns 0 never acknowledged");
	cr_assert_not_null(ev);
	cr_assert_not_null(strstr(ev->text, "sent 3 times"), "%s", ev->text);
	cr_assert_not_null(strstr(ev->text, "dropped in step mode"));
	cr_assert_eq(l2tp_engine_tunnel_ids(n.e[LAC], NULL, 0), 0);
	cr_assert_eq(l2tp_engine_held_ids(n.e[LAC], 0, NULL, 0), 0);
	net_free(&n);
}

static enum verdict
drop_first_sccrp(struct net *n, const struct sent *s)
{
	if (s->from == LNS && s->type == L2TP_SCCRP && n->fcount++ == 0)
		return DROP;
	return PASS;
}

/* A held retransmission whose message is acknowledged meanwhile is
 * withdrawn. */
Test(engine_step, held_retransmission_withdrawn_when_acked)
{
	struct net n;
	unsigned ids[8];
	size_t k;
	struct l2tp_held_info hi;

	step_init(&n);
	n.filter = drop_first_sccrp;
	net_open(&n);
	l2tp_engine_held_release(
	    n.e[LAC], held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCRQ), n.now);
	net_run(&n, 1000);
	/* Our retransmission held, the LNS's SCCRP (retransmitted) held. */
	k = l2tp_engine_held_ids(n.e[LAC], 0, ids, 8);
	cr_assert_eq(k, 2);
	for (size_t i = 0; i < k; i++) {
		cr_assert_eq(l2tp_engine_held_info(n.e[LAC], ids[i], &hi), 0);
		if (hi.kind == L2TP_HELD_RECEIVED)
			cr_assert_eq(
			    l2tp_engine_held_release(n.e[LAC], ids[i], n.now),
			    0);
	}
	net_flush(&n);
	cr_assert_not_null(
	    ev_find(&n, LAC, L2TP_EV_HELD, "withdrawn: Ns 0 was acknowledged"));
	held_only(&n, LAC, L2TP_HELD_DRAFT, L2TP_SCCCN);
	cr_assert_eq(sent_count(&n, LAC, L2TP_SCCRQ), 1);
	net_free(&n);
}

/* A missing Challenge Response (taken out of the LNS's SCCRP by hand)
 * tears the tunnel down with StopCCN result 4, and the LAC says whose
 * response was missing. */
Test(engine_step, missing_challenge_response_is_result_4)
{
	struct net n;
	struct l2tp_engine_config c;
	unsigned id;
	const struct l2tp_event *ev;

	net_init(&n, NULL, NULL);
	l2tp_engine_set_secret_default(n.e[LAC], "both");
	l2tp_engine_set_secret_default(n.e[LNS], "both");
	c = *l2tp_engine_config(n.e[LNS]);
	c.mode = L2TP_MODE_STEP;
	l2tp_engine_set_config(n.e[LNS], &c);
	net_open(&n);
	id = held_only(&n, LNS, L2TP_HELD_RECEIVED, L2TP_SCCRQ);
	l2tp_engine_held_release(n.e[LNS], id, n.now);
	net_flush(&n);
	id = held_only(&n, LNS, L2TP_HELD_DRAFT, L2TP_SCCRP);
	cr_assert_eq(l2tp_engine_draft_remove_avp(n.e[LNS], id, 0,
	                                          L2TP_AVP_CHALLENGE_RESPONSE),
	             0);
	cr_assert_eq(l2tp_engine_held_release(n.e[LNS], id, n.now), 0);
	net_flush(&n);
	ev = ev_find(&n, LAC, L2TP_EV_AUTH,
	             "sent no Challenge Response in "
	             "its SCCRP");
	cr_assert_not_null(ev);
	cr_assert(!ev->ok);
	cr_assert_not_null(strstr(ev->text, "LNS (lns-host)"), "%s", ev->text);
	ev = ev_find(&n, LAC, L2TP_EV_STOPCCN, "sending StopCCN result 4");
	cr_assert_not_null(ev);
	cr_assert_eq(sent_count(&n, LAC, L2TP_STOPCCN), 1);
	cr_assert_eq(net_state(&n, LAC), L2TP_TS_CLOSING);
	net_free(&n);
}
