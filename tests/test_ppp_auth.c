/* Tests of PAP (RFC 1334) and CHAP-MD5 (RFC 1994) both ways: success, a wrong
 * password with its message, the auth policy, retransmission at deadline-1 and
 * deadline, re-challenge, bad packets. */
#include "decoder/l2tp.h"
#include "test_ppp_harness.h"

Test(ppp_auth, chap_success)
{
	struct ppair *pr = ph_new();
	struct l2tp_ppp_info s, v;

	ph_up(pr);
	ph_info(pr, SUB, &s);
	ph_info(pr, SRV, &v);
	cr_assert_eq(s.auth_local.protocol, L2TP_PPP_CHAP);
	cr_assert_eq(s.auth_local.result, L2TP_PPP_AUTH_R_SUCCESS);
	cr_assert_str_eq(s.auth_local.message, "welcome alice");
	cr_assert_str_eq(s.auth_local.user, "alice");
	cr_assert_eq(s.auth_peer.result, L2TP_PPP_AUTH_R_NONE);
	cr_assert_eq(v.auth_peer.result, L2TP_PPP_AUTH_R_SUCCESS);
	cr_assert_str_eq(v.auth_peer.user, "alice");
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_AUTH, "CHAP success: welcome alice"));
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_PAP, -1), 0);
	ph_free(pr);
}

Test(ppp_auth, pap_success)
{
	struct ppair *pr = ph_new();
	struct l2tp_ppp_info s, v;

	pr->cfg[SRV].auth = L2TP_PPP_AUTH_PAP;
	ph_up(pr);
	ph_info(pr, SUB, &s);
	ph_info(pr, SRV, &v);
	cr_assert_eq(s.auth_local.protocol, L2TP_PPP_PAP);
	cr_assert_eq(s.auth_local.result, L2TP_PPP_AUTH_R_SUCCESS);
	cr_assert_str_eq(s.auth_local.message, "welcome alice");
	cr_assert_str_eq(v.auth_peer.user, "alice");
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_AUTH, "PAP success: welcome alice"));
	ph_free(pr);
}

Test(ppp_auth, no_auth_policy)
{
	struct ppair *pr = ph_new();
	struct l2tp_ppp_info s;

	pr->cfg[SRV].auth = L2TP_PPP_AUTH_NONE;
	ph_up(pr);
	ph_info(pr, SUB, &s);
	cr_assert_eq(s.auth_local.protocol, 0);
	cr_assert_eq(s.auth_local.result, L2TP_PPP_AUTH_R_NONE);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_UP,
	                           "LCP opened, MRU 1460, auth none"));
	ph_free(pr);
}

static void
wrong_password(int policy, const char *proto)
{
	struct ppair *pr = ph_new();
	struct l2tp_ppp_info s, v;
	char want[64];

	pr->cfg[SRV].auth = policy;
	snprintf(pr->cfg[SUB].password, sizeof(pr->cfg[SUB].password), "guess");
	ph_make(pr, -1);
	ph_start(pr);
	ph_run_until(pr, 10000);
	ph_info(pr, SUB, &s);
	ph_info(pr, SRV, &v);
	cr_assert_eq(s.auth_local.result, L2TP_PPP_AUTH_R_FAILURE);
	cr_assert_str_eq(s.auth_local.message, "authentication failed");
	cr_assert_eq(v.auth_peer.result, L2TP_PPP_AUTH_R_FAILURE);
	snprintf(want, sizeof(want), "%s failure: authentication failed",
	         proto);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_AUTH, want), "%s",
	                   want);
	snprintf(want, sizeof(want), "%s authentication of alice failed",
	         proto);
	cr_assert_not_null(ph_find(pr, SRV, L2TP_PPP_EV_DEAD, want), "%s",
	                   want);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_DEAD, NULL));
	cr_assert_neq(s.phase, L2TP_PPP_NETWORK);
	cr_assert_eq(s.ipcp_state, L2TP_PPP_INITIAL);
	ph_free(pr);
}

Test(ppp_auth, chap_wrong_password_rejected_with_message)
{
	wrong_password(L2TP_PPP_AUTH_CHAP, "CHAP");
}

Test(ppp_auth, pap_wrong_password_rejected_with_message)
{
	wrong_password(L2TP_PPP_AUTH_PAP, "PAP");
}

Test(ppp_auth, unknown_user_rejected)
{
	struct ppair *pr = ph_new();

	snprintf(pr->cfg[SUB].user, sizeof(pr->cfg[SUB].user), "mallory");
	ph_make(pr, -1);
	ph_start(pr);
	ph_run_until(pr, 10000);
	cr_assert_not_null(
	    ph_find(pr, SRV, L2TP_PPP_EV_AUTH, "CHAP: mallory rejected"));
	ph_free(pr);
}

/* A server alone, the test plays the subscriber. */
static struct ppair *
lone_server(int policy)
{
	struct ppair *pr = ph_new();

	pr->wired = false;
	pr->cfg[SRV].auth = policy;
	pr->cfg[SRV].echo_interval_ms = 0;
	ph_make(pr, SRV);
	ph_start(pr);
	return pr;
}

static const uint8_t pap_opt[] = {3, 4, 0xc0, 0x23};

Test(ppp_auth, any_falls_back_to_pap_when_naked)
{
	struct ppair *pr = lone_server(L2TP_PPP_AUTH_ANY);
	const struct pframe *f = ph_last(pr, SRV, L2TP_PPP_LCP, 1);
	uint8_t b[32];

	cr_assert(f->data[8] == 3 && f->data[10] == 0xc2 && f->data[12] == 5,
	          "CHAP-MD5 asked first");
	ph_feed(pr, SRV, L2TP_PPP_LCP, b, ph_cp(b, 3, f->data[1], pap_opt, 4));
	f = ph_last(pr, SRV, L2TP_PPP_LCP, 1);
	cr_assert(f->data[8] == 3 && f->data[9] == 4 && f->data[10] == 0xc0 &&
	              f->data[11] == 0x23,
	          "PAP asked after the Nak");
	ph_free(pr);
}

Test(ppp_auth, chap_only_gives_up_on_a_pap_only_peer)
{
	struct ppair *pr = lone_server(L2TP_PPP_AUTH_CHAP);
	uint8_t b[32];

	for (int i = 0; i < 5; i++) {
		const struct pframe *f = ph_last(pr, SRV, L2TP_PPP_LCP, 1);

		ph_feed(pr, SRV, L2TP_PPP_LCP, b,
		        ph_cp(b, 3, f->data[1], pap_opt, 4));
	}
	cr_assert_not_null(ph_find(pr, SRV, L2TP_PPP_EV_GIVE_UP,
	                           "Naked authentication 5 times"));
	ph_run_until(pr, 10000);
	cr_assert_not_null(ph_find(pr, SRV, L2TP_PPP_EV_DEAD,
	                           "will not authenticate with CHAP"));
	ph_free(pr);
}

Test(ppp_auth, peer_rejecting_auth_is_closed)
{
	struct ppair *pr = lone_server(L2TP_PPP_AUTH_CHAP);
	const struct pframe *f = ph_last(pr, SRV, L2TP_PPP_LCP, 1);
	uint8_t b[32];

	ph_feed(
	    pr, SRV, L2TP_PPP_LCP, b,
	    ph_cp(b, 4, f->data[1], (const uint8_t[]){3, 5, 0xc2, 0x23, 5}, 5));
	cr_assert_not_null(ph_last(pr, SRV, L2TP_PPP_LCP, 5));
	ph_run_until(pr, 10000);
	cr_assert_not_null(ph_find(pr, SRV, L2TP_PPP_EV_DEAD,
	                           "the peer Rejected authentication (CHAP)"));
	ph_free(pr);
}

Test(ppp_auth, pap_request_retransmitted_at_deadline)
{
	struct ppair *pr = ph_new();
	uint64_t t0;

	pr->cfg[SRV].auth = L2TP_PPP_AUTH_PAP;
	pr->drop_proto[SUB] = L2TP_PPP_PAP;
	pr->drop_proto_count[SUB] = 1; /* the first request is lost */
	ph_make(pr, -1);
	ph_start(pr);
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_PAP, 1), 1);
	t0 = ph_last(pr, SUB, L2TP_PPP_PAP, 1)->t;
	ph_run_until(pr, t0 + 2999);
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_PAP, 1), 1);
	ph_run_until(pr, t0 + 3000);
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_PAP, 1), 2);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_AUTH, "PAP success"));
	ph_free(pr);
}

Test(ppp_auth, pap_gives_up_after_max_configure)
{
	struct ppair *pr = ph_new();

	pr->cfg[SRV].auth = L2TP_PPP_AUTH_PAP;
	pr->drop_proto[SUB] = L2TP_PPP_PAP;
	pr->drop_proto_count[SUB] = 1000;
	pr->cfg[SUB].echo_interval_ms = 0;
	pr->cfg[SRV].echo_interval_ms = 0;
	ph_make(pr, -1);
	ph_start(pr);
	/* The server waits 30 s for a request too; the subscriber's tenth
	 * request times out at 30 s: both give up then. */
	ph_run_until(pr, 29999);
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_PAP, 1), 10);
	cr_assert_null(ph_find(pr, SUB, L2TP_PPP_EV_GIVE_UP, NULL));
	ph_run_until(pr, 30000);
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_GIVE_UP,
	            "no answer to 10 PAP Authenticate-Requests"));
	ph_free(pr);
}

Test(ppp_auth, chap_challenge_retransmitted_at_deadline)
{
	struct ppair *pr = ph_new();
	uint64_t t0;
	const struct pframe *a, *b;

	pr->drop_proto[SRV] = L2TP_PPP_CHAP;
	pr->drop_proto_count[SRV] = 1;
	ph_make(pr, -1);
	ph_start(pr);
	cr_assert_eq(ph_sent(pr, SRV, L2TP_PPP_CHAP, 1), 1);
	t0 = ph_last(pr, SRV, L2TP_PPP_CHAP, 1)->t;
	ph_run_until(pr, t0 + 2999);
	cr_assert_eq(ph_sent(pr, SRV, L2TP_PPP_CHAP, 1), 1);
	ph_run_until(pr, t0 + 3000);
	cr_assert_eq(ph_sent(pr, SRV, L2TP_PPP_CHAP, 1), 2);
	a = &pr->e[SRV].sent[0];
	for (size_t i = 0; i < pr->e[SRV].nsent; i++)
		if (pr->e[SRV].sent[i].proto == L2TP_PPP_CHAP) {
			a = &pr->e[SRV].sent[i];
			break;
		}
	b = ph_last(pr, SRV, L2TP_PPP_CHAP, 1);
	cr_assert(a->len == b->len && memcmp(a->data, b->data, a->len) == 0,
	          "the same Challenge again");
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_AUTH, "CHAP success"));
	ph_free(pr);
}

Test(ppp_auth, rechallenge_in_network_phase_answered)
{
	struct ppair *pr = ph_new();
	static const uint8_t chal[] = {4, 1, 2, 3, 4, 'l', 'n', 's'};
	uint8_t b[32], md[16];
	const struct pframe *f;

	ph_up(pr);
	ph_feed(pr, SUB, L2TP_PPP_CHAP, b, ph_cp(b, 1, 77, chal, sizeof(chal)));
	f = ph_last(pr, SUB, L2TP_PPP_CHAP, 2);
	cr_assert_not_null(f);
	cr_assert_eq(f->data[1], 77);
	cr_assert_eq(f->data[4], 16);
	l2tp_chap_response(77, (const uint8_t *)"secret", 6, chal + 1, 4, md);
	cr_assert(memcmp(f->data + 5, md, 16) == 0);
	cr_assert(memcmp(f->data + 21, "alice", 5) == 0);
	cr_assert_eq(f->len, 26);
	ph_free(pr);
}

Test(ppp_auth, bad_auth_packets_discarded)
{
	struct ppair *pr = lone_server(L2TP_PPP_AUTH_CHAP);
	const struct pframe *f = ph_last(pr, SRV, L2TP_PPP_LCP, 1);
	uint8_t b[64], r[20] = {16};
	struct l2tp_ppp_info v;

	ph_feed(pr, SRV, L2TP_PPP_LCP, b, ph_cp(b, 1, 1, NULL, 0));
	memcpy(b, f->data, f->len);
	b[0] = 2;
	ph_feed(pr, SRV, L2TP_PPP_LCP, b, f->len);
	f = ph_last(pr, SRV, L2TP_PPP_CHAP, 1);
	cr_assert_not_null(f, "challenge sent once LCP opened");
	/* wrong Identifier */
	ph_feed(pr, SRV, L2TP_PPP_CHAP, b,
	        ph_cp(b, 2, (uint8_t)(f->data[1] + 1), r, 17));
	cr_assert_not_null(
	    ph_find(pr, SRV, L2TP_PPP_EV_BAD, "not our Challenge's"));
	/* value size past Length */
	r[0] = 40;
	ph_feed(pr, SRV, L2TP_PPP_CHAP, b, ph_cp(b, 2, f->data[1], r, 17));
	cr_assert_not_null(
	    ph_find(pr, SRV, L2TP_PPP_EV_BAD, "runs past Length"));
	/* PAP we did not ask for */
	ph_feed(pr, SRV, L2TP_PPP_PAP, b,
	        ph_cp(b, 1, 1, (const uint8_t[]){1, 'a', 1, 'b'}, 4));
	cr_assert_not_null(
	    ph_find(pr, SRV, L2TP_PPP_EV_BAD, "we did not ask for PAP"));
	ph_info(pr, SRV, &v);
	cr_assert_eq(v.auth_peer.result, L2TP_PPP_AUTH_R_PENDING);
	ph_free(pr);
}

/* LCP opened with a played peer that demands `auth` of us, or that we
 * demand of; returns when LCP is opened (time 0). */
static struct ppair *
opened_with(int i, const uint8_t *peer_opts, size_t n)
{
	struct ppair *pr = ph_new();
	const struct pframe *f;
	uint8_t b[64];

	pr->wired = false;
	pr->cfg[i].echo_interval_ms = 0;
	if (i == SRV)
		pr->cfg[SRV].auth = L2TP_PPP_AUTH_PAP;
	ph_make(pr, i);
	ph_start(pr);
	ph_feed(pr, i, L2TP_PPP_LCP, b, ph_cp(b, 1, 1, peer_opts, n));
	f = ph_last(pr, i, L2TP_PPP_LCP, 1);
	memcpy(b, f->data, f->len);
	b[0] = 2;
	ph_feed(pr, i, L2TP_PPP_LCP, b, f->len);
	return pr;
}

Test(ppp_auth, subscriber_waits_30s_for_a_chap_challenge)
{
	static const uint8_t md5[] = {3, 5, 0xc2, 0x23, 5};
	struct ppair *pr = opened_with(SUB, md5, sizeof(md5));
	struct l2tp_ppp_info in;

	ph_info(pr, SUB, &in);
	cr_assert_eq(in.phase, L2TP_PPP_AUTHENTICATE);
	ph_run_until(pr, 29999);
	cr_assert_null(ph_find(pr, SUB, L2TP_PPP_EV_GIVE_UP, NULL));
	ph_run_until(pr, 30000);
	cr_assert_not_null(ph_find(pr, SUB, L2TP_PPP_EV_GIVE_UP,
	                           "no CHAP Challenge or verdict from the peer "
	                           "in 30 s"));
	cr_assert_not_null(ph_last(pr, SUB, L2TP_PPP_LCP, 5));
	ph_free(pr);
}

Test(ppp_auth, server_waits_30s_for_a_pap_request)
{
	struct ppair *pr = opened_with(SRV, NULL, 0);
	struct l2tp_ppp_info in;

	ph_info(pr, SRV, &in);
	cr_assert_eq(in.phase, L2TP_PPP_AUTHENTICATE);
	cr_assert_eq(in.auth_peer.result, L2TP_PPP_AUTH_R_PENDING);
	ph_run_until(pr, 29999);
	cr_assert_null(ph_find(pr, SRV, L2TP_PPP_EV_GIVE_UP, NULL));
	ph_run_until(pr, 30000);
	cr_assert_not_null(
	    ph_find(pr, SRV, L2TP_PPP_EV_GIVE_UP,
	            "no PAP Authenticate-Request from the peer"));
	ph_info(pr, SRV, &in);
	cr_assert_eq(in.auth_peer.result, L2TP_PPP_AUTH_R_FAILURE);
	ph_free(pr);
}
