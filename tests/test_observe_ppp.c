/* Tests for the PPP story of captured calls (engine/observe_ppp.c) and for the
 * observer's folding of ended calls (engine/observe.c): built data messages
 * and tests/data/ppp (RFC 1661 §5, RFC 1994 §4, RFC 1334, RFC 2661 §5.4). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/l2tp.h"
#include "decoder/proto.h"
#include "engine/observe.h"

/* ---- the story alone, fed built data messages ---- */

struct pf {
	struct l2tp_obs_ppp st;
	struct l2tp_obs_ppp_env env;
	struct l2tp_msg m;
	uint64_t t_us, frame;
	unsigned finds;
	char last[160];
};

static void
pf_find(void *arg, int side, const char *what)
{
	struct pf *p = arg;

	(void)side;
	p->finds++;
	snprintf(p->last, sizeof(p->last), "%s", what);
}

static void
pf_init(struct pf *p, const char *const *pw, size_t npw)
{
	memset(p, 0, sizeof(*p));
	l2tp_obs_ppp_init(&p->st);
	p->env.passwords = pw;
	p->env.npasswords = npw;
	p->env.find = pf_find;
	p->env.arg = p;
	p->t_us = 1000000;
}

/* One PPP packet (code, id, data) of `proto` from `side`, dt ms later;
 * with ns >= 0 the data message carries Ns. */
static void
pf_send(struct pf *p, int side, uint16_t proto, uint8_t code, uint8_t id,
        const void *data, size_t n, uint64_t dt_ms, int ns)
{
	uint8_t f[512], buf[600];
	struct l2tp_builder b;
	int len;

	f[0] = 0xff;
	f[1] = 0x03;
	f[2] = (uint8_t)(proto >> 8);
	f[3] = (uint8_t)proto;
	f[4] = code;
	f[5] = id;
	f[6] = (uint8_t)((n + 4) >> 8);
	f[7] = (uint8_t)(n + 4);
	memcpy(f + 8, data, n);
	l2tp_build_data(&b, buf, sizeof(buf),
	                (uint16_t)(2 | (ns >= 0 ? L2TP_F_S : 0)), 7, 9,
	                (uint16_t)(ns >= 0 ? ns : 0), 0, 0, f, n + 8);
	len = l2tp_build_end(&b);
	cr_assert(len > 0);
	cr_assert_eq(
	    l2tp_parse(buf, (size_t)len, (size_t)len, L2TP_UDP, NULL, &p->m),
	    0);
	p->t_us += dt_ms * 1000;
	l2tp_obs_ppp_data(&p->st, &p->env, side, ++p->frame, p->t_us, &p->m);
}

static const uint8_t req0[] = {1, 4, 0x05, 0xb4, 3, 5, 0xc2, 0x23,
                               5, 5, 6,    1,    2, 3, 4};
static const uint8_t req1[] = {1, 4, 0x05, 0xb4, 5, 6, 9, 8, 7, 6};

Test(observe_ppp, lcp_opens_when_both_requests_are_acked)
{
	struct pf p;
	const struct l2tp_obs_cp *l = &p.st.cp[L2TP_OBS_LCP];

	pf_init(&p, NULL, 0);
	pf_send(&p, 1, 0xc021, 1, 1, req0, sizeof(req0), 1, -1);
	pf_send(&p, 0, 0xc021, 1, 1, req1, sizeof(req1), 1, -1);
	cr_assert_not(l->opened);
	pf_send(&p, 0, 0xc021, 2, 1, req0, sizeof(req0), 1, -1);
	cr_assert_not(l->opened);
	pf_send(&p, 1, 0xc021, 2, 1, req1, sizeof(req1), 1, -1);
	cr_assert(l->opened);
	cr_assert_eq(l->open_us, p.t_us);
	cr_assert_eq(p.st.mru[0], 1460);
	cr_assert_eq(p.st.magic[1], 0x01020304u);
	cr_assert_eq(p.st.auth_proto[1], 0xc223);
	cr_assert_eq(p.st.authr, 1);
	cr_assert_eq(p.st.alg, 5);
	cr_assert_eq(p.finds, 0, "%s", p.last);
	/* a new Request after Opened renegotiates */
	pf_send(&p, 0, 0xc021, 1, 2, req1, sizeof(req1), 1, -1);
	cr_assert_not(l->opened);
	cr_assert_eq(l->rounds, 2);
}

Test(observe_ppp, ack_must_echo_and_ids_must_match)
{
	struct pf p;
	const uint8_t other[] = {1, 4, 0x05, 0xdc, 5, 6, 9, 8, 7, 6};
	const uint8_t bad[] = {1, 3, 5};

	pf_init(&p, NULL, 0);
	pf_send(&p, 0, 0xc021, 1, 4, req1, sizeof(req1), 1, -1);
	pf_send(&p, 1, 0xc021, 2, 4, other, sizeof(other), 1, -1);
	cr_assert_eq(p.finds, 1);
	cr_assert(strstr(p.last, "does not echo") != NULL, "%s", p.last);
	pf_send(&p, 1, 0xc021, 3, 5, other, 4, 1, -1);
	cr_assert_eq(p.finds, 2);
	cr_assert(strstr(p.last, "id 5 does not match") != NULL, "%s", p.last);
	cr_assert_eq(p.st.cp[L2TP_OBS_LCP].naked[1], 1u << 1); /* MRU */
	pf_send(&p, 0, 0xc021, 1, 6, bad, sizeof(bad), 1, -1);
	cr_assert_eq(p.finds, 3);
	cr_assert(strstr(p.last, "length 3, must be 4") != NULL, "%s", p.last);
}

Test(observe_ppp, chap_response_checked_against_passwords)
{
	static const char *const pw[] = {"nope", "right", "also-nope"};
	uint8_t chal[1 + 16 + 1] = {16}, resp[1 + 16 + 3] = {16};
	const char fail[] = "bad";
	struct pf p;

	for (int i = 0; i < 16; i++)
		chal[1 + i] = (uint8_t)(i * 11);
	chal[17] = 'L';
	l2tp_chap_response(9, (const uint8_t *)"right", 5, chal + 1, 16,
	                   resp + 1);
	memcpy(resp + 17, "bob", 3);
	pf_init(&p, pw, 3);
	pf_send(&p, 1, 0xc223, 1, 9, chal, sizeof(chal), 1, -1);
	pf_send(&p, 0, 0xc223, 2, 9, resp, sizeof(resp), 1, -1);
	cr_assert_eq(p.st.pw_verdict, L2TP_OBS_V_MATCH);
	cr_assert_eq(p.st.pw_index, 1);
	cr_assert_str_eq(p.st.user, "bob");
	pf_send(&p, 1, 0xc223, 4, 9, fail, 3, 300, -1);
	cr_assert_eq(p.st.result, L2TP_OBS_AR_FAIL);
	cr_assert_str_eq(p.st.auth_msg, "bad");
	/* another password set: none matches */
	pf_init(&p, pw, 1);
	pf_send(&p, 1, 0xc223, 1, 9, chal, sizeof(chal), 1, -1);
	pf_send(&p, 0, 0xc223, 2, 9, resp, sizeof(resp), 1, -1);
	cr_assert_eq(p.st.pw_verdict, L2TP_OBS_V_NOMATCH);
	/* none given */
	pf_init(&p, NULL, 0);
	pf_send(&p, 1, 0xc223, 1, 9, chal, sizeof(chal), 1, -1);
	pf_send(&p, 0, 0xc223, 2, 10, resp, sizeof(resp), 1, -1);
	cr_assert_eq(p.st.pw_verdict, L2TP_OBS_V_NOSECRET);
	cr_assert_eq(p.finds, 1, "the Response's id 10 is not the Challenge's");
}

Test(observe_ppp, pap_password_kept_and_compared)
{
	static const char *const pw[] = {"x", "s3cret"};
	const uint8_t req[] = {3,   'b', 'o', 'b', 6,  's',
	                       '3', 'c', 'r', 'e', 't'};
	const uint8_t ack[] = {2, 'o', 'k'};
	struct pf p;

	pf_init(&p, pw, 2);
	pf_send(&p, 0, 0xc023, 1, 1, req, sizeof(req), 1, -1);
	pf_send(&p, 1, 0xc023, 2, 1, ack, sizeof(ack), 1, -1);
	cr_assert_eq(p.st.auth, 0xc023);
	cr_assert_eq(p.st.authr, 1);
	cr_assert_str_eq(p.st.user, "bob");
	cr_assert_str_eq(p.st.pap_pw, "s3cret");
	cr_assert_eq(p.st.pw_verdict, L2TP_OBS_V_MATCH);
	cr_assert_eq(p.st.pw_index, 1);
	cr_assert_eq(p.st.result, L2TP_OBS_AR_OK);
	cr_assert_str_eq(p.st.auth_msg, "ok");
}

Test(observe_ppp, echo_rtt_interval_and_unanswered)
{
	const uint8_t mg[] = {0, 0, 0, 1};
	struct pf p;
	const struct l2tp_obs_echo *e = &p.st.echo[1];

	pf_init(&p, NULL, 0);
	for (int i = 0; i < 3; i++) {
		pf_send(&p, 1, 0xc021, 9, (uint8_t)i, mg, 4, 10000, -1);
		pf_send(&p, 0, 0xc021, 10, (uint8_t)i, mg, 4, 2, -1);
	}
	for (int i = 3; i < 6; i++)
		pf_send(&p, 1, 0xc021, 9, (uint8_t)i, mg, 4, 10000, -1);
	cr_assert_eq(e->reqs, 6);
	cr_assert_eq(e->replies, 3);
	cr_assert_eq(e->rtt_max, 2000);
	cr_assert_eq(e->rtt_sum, 6000);
	cr_assert_eq(e->ival_min, 10000000);
	cr_assert_eq(e->ival_max, 10002000);
	cr_assert(e->pending);
	cr_assert_eq(e->run + 1, 3);
	/* the magic numbers are taken from the echoes: equal ones are a
	 * loop */
	cr_assert(p.st.loop);
}

Test(observe_ppp, data_ns_gaps_and_late_frames)
{
	const uint8_t mg[] = {0, 0, 0, 1};
	struct pf p;

	pf_init(&p, NULL, 0);
	pf_send(&p, 0, 0xc021, 11, 1, mg, 4, 1, 0);
	pf_send(&p, 0, 0xc021, 11, 2, mg, 4, 1, 1);
	pf_send(&p, 0, 0xc021, 11, 3, mg, 4, 1, 4); /* 2 and 3 missing */
	pf_send(&p, 0, 0xc021, 11, 4, mg, 4, 1, 2); /* one late */
	pf_send(&p, 0, 0xc021, 11, 5, mg, 4, 1, 5);
	cr_assert_eq(p.st.seq_msgs[0], 5);
	cr_assert_eq(p.st.seq_lost[0], 2);
	cr_assert_eq(p.st.seq_ooo[0], 1);
	cr_assert_eq(p.st.frames[0], 5);
	cr_assert_eq(p.st.frames[1], 0);
	cr_assert_str_eq(l2tp_obs_auth_name(0xc223, 0x81, p.last, 8),
	                 "MS-CHAPv2");
}

/* ---- the observer: calls folded, memory flat ---- */

struct ex {
	struct l2tp_obs *o;
	struct l2tp_msg m;
	struct l2tp_addr a, b;
	uint64_t t_us, frame;
	uint16_t ns[2];
};

static void
ex_feed(struct ex *x, int from, const uint8_t *buf, int len)
{
	struct l2tp_obs_meta mt;

	cr_assert(len > 0);
	cr_assert_eq(
	    l2tp_parse(buf, (size_t)len, (size_t)len, L2TP_UDP, NULL, &x->m),
	    0);
	x->t_us += 1000;
	mt.frame = ++x->frame;
	mt.time_us = x->t_us;
	mt.src = from ? x->b : x->a;
	mt.dst = from ? x->a : x->b;
	cr_assert_eq(l2tp_obs_input(x->o, &mt, &x->m), 0);
}

/* A control message from side `from` (0: tid 100, 1: tid 200). */
static void
ex_ctl(struct ex *x, int from, int type, uint16_t session, uint16_t asid,
       int result)
{
	uint8_t buf[256];
	struct l2tp_builder b;

	l2tp_build_control(&b, buf, sizeof(buf), from ? 100 : 200, session,
	                   x->ns[from]++, x->ns[1 - from]);
	l2tp_build_msg_type(&b, (uint16_t)type);
	if (type == L2TP_SCCRQ || type == L2TP_SCCRP) {
		l2tp_build_u16(&b, true, L2TP_AVP_PROTOCOL_VERSION, 0x0100);
		l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "h");
		l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 3);
		l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID,
		               from ? 200 : 100);
	}
	if (type == L2TP_CDN)
		l2tp_build_result(&b, (uint16_t)result, 0, NULL);
	if (asid)
		l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID, asid);
	if (type == L2TP_ICRQ)
		l2tp_build_u32(&b, true, L2TP_AVP_CALL_SERIAL, asid);
	if (type == L2TP_ICCN) {
		l2tp_build_u32(&b, true, L2TP_AVP_TX_SPEED, 1000);
		l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_TYPE, 1);
	}
	ex_feed(x, from, buf, l2tp_build_end(&b));
}

static void
ex_init(struct ex *x, unsigned keep, unsigned failed_keep)
{
	struct l2tp_obs_config c;

	memset(x, 0, sizeof(*x));
	l2tp_obs_config_default(&c);
	c.calls_keep = keep;
	c.failed_keep = failed_keep;
	x->o = l2tp_obs_new(&c);
	cr_assert_not_null(x->o);
	x->a.family = x->b.family = L2TP_AF_INET;
	memcpy(x->a.addr, "\x0a\x00\x00\x01", 4);
	memcpy(x->b.addr, "\x0a\x00\x00\x02", 4);
	x->a.port = x->b.port = 1701;
	x->t_us = 1767225600000000ULL;
	ex_ctl(x, 0, L2TP_SCCRQ, 0, 0, 0);
	ex_ctl(x, 1, L2TP_SCCRP, 0, 0, 0);
	ex_ctl(x, 0, L2TP_SCCCN, 0, 0, 0);
}

/* A whole call: session ids sid (A) and sid + 30000 (B), CDN result. */
static void
ex_call(struct ex *x, uint16_t sid, int result)
{
	ex_ctl(x, 0, L2TP_ICRQ, 0, sid, 0);
	ex_ctl(x, 1, L2TP_ICRP, sid, (uint16_t)(sid + 30000), 0);
	ex_ctl(x, 0, L2TP_ICCN, (uint16_t)(sid + 30000), 0, 0);
	ex_ctl(x, 0, L2TP_CDN, (uint16_t)(sid + 30000), sid, result);
}

Test(observe_ppp, ended_calls_folded_failed_and_live_kept)
{
	struct ex x;
	const struct l2tp_obs_tunnel *t;
	struct l2tp_obs_stats st;
	uint64_t mem_at_400 = 0;
	size_t failed = 0;

	ex_init(&x, 4, 3);
	/* a call that stays up through all the others */
	ex_ctl(&x, 0, L2TP_ICRQ, 0, 1, 0);
	ex_ctl(&x, 1, L2TP_ICRP, 1, 30001, 0);
	ex_ctl(&x, 0, L2TP_ICCN, 30001, 0, 0);
	for (uint16_t i = 0; i < 1000; i++) {
		/* every 100th fails (result 2, a general error) */
		ex_call(&x, (uint16_t)(10 + i), i % 100 == 50 ? 2 : 1);
		if (i == 399) { /* the 3 failed ones kept are in */
			l2tp_obs_stats(x.o, &st);
			mem_at_400 = st.mem_bytes;
		}
	}
	l2tp_obs_stats(x.o, &st);
	cr_assert_eq(st.mem_bytes, mem_at_400, "memory grew: %llu -> %llu",
	             (unsigned long long)mem_at_400,
	             (unsigned long long)st.mem_bytes);
	/* the live call is still found among the folded ones */
	ex_ctl(&x, 0, L2TP_CDN, 30001, 1, 1);
	l2tp_obs_finish(x.o);
	t = l2tp_obs_tunnel(x.o, 0);
	cr_assert_not_null(t);
	cr_assert_eq(t->calls_total, 1001);
	/* the latest 4 ended (the long one among them, its CDN came last)
	 * and the first 3 failed */
	cr_assert_eq(t->ncalls, 4 + 3, "%zu kept", t->ncalls);
	cr_assert_eq(t->folded.calls, 1001 - 7);
	cr_assert_eq(t->folded.failed, 10 - 3);
	cr_assert_eq(t->folded.by_result[1], 1001 - 7 - 7);
	cr_assert_eq(t->folded.by_result[2], 7);
	cr_assert_eq(t->folded.connected, 1001 - 7);
	cr_assert_eq(t->calls[0].no, 1);
	cr_assert_eq(t->calls[0].closer, 0, "the long call's CDN was found");
	for (size_t i = 0; i < t->ncalls; i++) {
		cr_assert_not(t->calls[i].dead);
		failed += t->calls[i].failed;
		if (i)
			cr_assert_gt(t->calls[i].no, t->calls[i - 1].no);
	}
	cr_assert_eq(failed, 3);
	cr_assert_eq(t->calls[t->ncalls - 1].no, 1001);
	cr_assert_eq(t->find_by_cat[L2TP_OBS_C_PPP], 0);
	l2tp_obs_free(x.o);
}

Test(observe_ppp, keep_zero_keeps_every_call)
{
	struct ex x;
	const struct l2tp_obs_tunnel *t;

	ex_init(&x, 0, 0);
	for (uint16_t i = 0; i < 300; i++)
		ex_call(&x, (uint16_t)(10 + i), 1);
	l2tp_obs_finish(x.o);
	t = l2tp_obs_tunnel(x.o, 0);
	cr_assert_eq(t->ncalls, 300);
	cr_assert_eq(t->folded.calls, 0);
	l2tp_obs_free(x.o);
}
