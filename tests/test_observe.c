/* Tests for the observer (engine/observe.c): tunnels rebuilt from the committed
 * captures and from built messages (RFC 2661 §4.4.3, §5.5, §5.8, §6, §7). */
#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/frame.h"
#include "decoder/l2tp.h"
#include "decoder/proto.h"
#include "engine/observe.h"

#define GOOD "lab-secret-1701"
#define BAD "wrong-secret-42"

static uint8_t scratch[65536];

/* Feed a capture to a new observer, as `l2tpsh -r --analyze` does. */
static struct l2tp_obs *
run(const char *name, const char *const *secrets, size_t nsecrets,
    uint16_t port)
{
	char path[512], ebuf[PCAP_ERRBUF_SIZE];
	struct l2tp_obs_config c;
	struct l2tp_obs *o;
	struct l2tp_msg *m = malloc(sizeof(*m));
	struct l2tp_frame fr;
	struct l2tp_frame_opts fo = {.ports = &port, .nports = port ? 1 : 0};
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	uint64_t frame = 0;

	cr_assert_not_null(m);
	snprintf(path, sizeof(path), "%s/%s", TESTDATA, name);
	p = pcap_open_offline(path, ebuf);
	cr_assert_not_null(p, "%s: %s", path, ebuf);
	l2tp_obs_config_default(&c);
	c.secrets = secrets;
	c.nsecrets = nsecrets;
	o = l2tp_obs_new(&c);
	cr_assert_not_null(o);
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct l2tp_obs_meta mt;

		frame++;
		l2tp_frame_decode(pcap_datalink(p), data, h->caplen, h->len,
		                  &fo, NULL, &fr);
		if (fr.kind != L2TP_FRAME_L2TP)
			continue;
		if (l2tp_parse(fr.l2tp, fr.caplen, fr.wirelen, fr.transport,
		               NULL, m) != 0)
			continue;
		if (nsecrets)
			l2tp_unhide(m, secrets, nsecrets, scratch,
			            sizeof(scratch));
		memset(&mt, 0, sizeof(mt));
		mt.frame = frame;
		mt.time_us = (uint64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
		mt.src.family = fr.src.family;
		memcpy(mt.src.addr, fr.src.a, 16);
		mt.src.port = fr.sport;
		mt.dst.family = fr.dst.family;
		memcpy(mt.dst.addr, fr.dst.a, 16);
		mt.dst.port = fr.dport;
		cr_assert_eq(l2tp_obs_input(o, &mt, m), 0);
	}
	pcap_close(p);
	free(m);
	l2tp_obs_finish(o);
	return o;
}

/* How many of the tunnel's kept findings contain `what`. */
static size_t
findings_with(const struct l2tp_obs *o, const struct l2tp_obs_tunnel *t,
              enum l2tp_obs_cat cat, const char *what)
{
	const struct l2tp_obs_finding *f;
	size_t kept, n = 0;

	for (size_t i = 0; (f = l2tp_obs_tunnel_finding(o, t, i, &kept)); i++)
		if (f->cat == cat && strstr(f->what, what) != NULL)
			n++;
	return n;
}

static const struct l2tp_obs_tunnel *
one_tunnel(const struct l2tp_obs *o)
{
	cr_assert_eq(l2tp_obs_tunnel_count(o), 1, "%zu tunnels",
	             l2tp_obs_tunnel_count(o));
	return l2tp_obs_tunnel(o, 0);
}

Test(observe, auth_established_call_and_close)
{
	const char *sec[] = {BAD, GOOD};
	struct l2tp_obs *o = run("xl2tpd-auth.pcap", sec, 2, 0);
	const struct l2tp_obs_tunnel *t = one_tunnel(o);
	struct l2tp_tunnel_info ti;
	struct l2tp_session_info si;

	cr_assert(t->seen_start);
	cr_assert_neq(t->step_frame[L2TP_OBS_S_ESTABLISHED], 0);
	cr_assert(t->closed);
	cr_assert_eq(t->state, L2TP_TS_CLOSING);
	cr_assert_eq(t->closer, 0);
	cr_assert_eq(t->result, 1);
	cr_assert_str_eq(t->message, "Goodbye!");
	cr_assert_str_eq(t->p[0].host, "lac.lab");
	cr_assert_str_eq(t->p[1].host, "lns.lab");
	cr_assert_neq(t->p[0].tid, 0);
	cr_assert_neq(t->p[1].tid, 0);
	/* both challenges answered with the second secret */
	cr_assert_eq(t->auth[0].verdict, L2TP_OBS_V_MATCH);
	cr_assert_eq(t->auth[0].resp_msg, L2TP_SCCRP);
	cr_assert_eq(t->auth[0].secret, 1);
	cr_assert_eq(t->auth[1].verdict, L2TP_OBS_V_MATCH);
	cr_assert_eq(t->auth[1].resp_msg, L2TP_SCCCN);
	/* the call, cleared by the LAC */
	cr_assert_eq(t->ncalls, 1);
	cr_assert_eq(t->calls[0].type, L2TP_CALL_INCOMING);
	cr_assert_eq(t->calls[0].opener, 0);
	cr_assert_neq(t->calls[0].conn_us, 0);
	cr_assert_eq(t->calls[0].closer, 0);
	cr_assert_eq(t->calls[0].result, 1);
	cr_assert_neq(t->calls[0].sid[0], 0);
	cr_assert_neq(t->calls[0].sid[1], 0);
	/* xl2tpd's ZLBs that carry the cleared call's Session ID */
	cr_assert_eq(
	    findings_with(o, t, L2TP_OBS_C_DELIVERY, "ZLB with Session ID"), 2);
	cr_assert_eq(t->p[0].retransmits + t->p[1].retransmits, 0);
	cr_assert_eq(t->p[0].msgs, 6);
	cr_assert_eq(t->p[1].zlbs, 5);
	/* the engine's views */
	l2tp_obs_tunnel_info(t, &ti);
	cr_assert_eq(ti.local_id, t->p[0].tid);
	cr_assert_eq(ti.remote_id, t->p[1].tid);
	cr_assert_str_eq(ti.peer_host, "lns.lab");
	cr_assert(ti.authenticated);
	cr_assert_eq(ti.ctl_out, 6);
	cr_assert_eq(ti.sessions_total, 1);
	cr_assert_eq(ti.role, L2TP_ROLE_LAC);
	l2tp_obs_call_info(t, &t->calls[0], &si);
	cr_assert_eq(si.local_id, t->calls[0].sid[0]);
	cr_assert_eq(si.tunnel, t->p[0].tid);
	cr_assert_eq(si.last_result, 1);
	l2tp_obs_free(o);
}

Test(observe, secrets_none_and_wrong)
{
	const char *bad[] = {BAD};
	struct l2tp_obs *o = run("xl2tpd-auth.pcap", NULL, 0, 0);
	const struct l2tp_obs_tunnel *t = one_tunnel(o);

	cr_assert_eq(t->auth[0].verdict, L2TP_OBS_V_NOSECRET);
	cr_assert_eq(t->auth[1].verdict, L2TP_OBS_V_NOSECRET);
	l2tp_obs_free(o);
	o = run("xl2tpd-auth.pcap", bad, 1, 0);
	t = one_tunnel(o);
	cr_assert_eq(t->auth[0].verdict, L2TP_OBS_V_NOMATCH);
	cr_assert_eq(t->auth[1].verdict, L2TP_OBS_V_NOMATCH);
	l2tp_obs_free(o);
}

Test(observe, badsecret_lac_rejects_sccrp)
{
	const char *sec[] = {BAD, GOOD};
	struct l2tp_obs *o = run("xl2tpd-badsecret.pcap", sec, 2, 0);
	const struct l2tp_obs_tunnel *t = one_tunnel(o);

	/* the LNS answered with the right secret; the LAC holds another */
	cr_assert_eq(t->auth[0].verdict, L2TP_OBS_V_MATCH);
	cr_assert_eq(t->auth[0].secret, 1);
	cr_assert_eq(t->closer, 0);
	cr_assert_eq(t->result, 2);
	cr_assert(t->has_error);
	cr_assert_eq(t->error, 6);
	cr_assert_str_eq(t->message, "Invalid challenge authentication");
	cr_assert_eq(t->step_frame[L2TP_OBS_S_SCCCN], 0);
	cr_assert_eq(t->step_frame[L2TP_OBS_S_ESTABLISHED], 0);
	cr_assert(t->closed);
	/* the LNS's own challenge was never answered: a StopCCN came */
	cr_assert_eq(t->auth[1].verdict, L2TP_OBS_V_UNANSWERED);
	cr_assert_eq(findings_with(o, t, L2TP_OBS_C_RFC, "not answered"), 0);
	l2tp_obs_free(o);
}

Test(observe, badsecret_lns_refuses_scccn)
{
	const char *good[] = {GOOD}, *bad[] = {BAD};
	struct l2tp_obs *o = run("xl2tpd-badsecret-lns.pcap", good, 1, 0);
	const struct l2tp_obs_tunnel *t = one_tunnel(o);

	cr_assert_eq(t->auth[1].verdict, L2TP_OBS_V_NOMATCH);
	cr_assert_eq(t->auth[1].resp_msg, L2TP_SCCCN);
	cr_assert(t->scccn_refused);
	cr_assert_eq(t->step_frame[L2TP_OBS_S_ESTABLISHED], 0);
	cr_assert_eq(t->closer, 1);
	cr_assert_eq(t->error, 6);
	/* the LAC's ICRQ went with the tunnel, without a CDN */
	cr_assert_eq(t->ncalls, 1);
	cr_assert_eq(t->calls[0].closer, -1);
	cr_assert_eq(t->calls[0].state, L2TP_SS_IDLE);
	l2tp_obs_free(o);
	o = run("xl2tpd-badsecret-lns.pcap", bad, 1, 0);
	t = one_tunnel(o);
	cr_assert_eq(t->auth[1].verdict, L2TP_OBS_V_MATCH);
	l2tp_obs_free(o);
}

Test(observe, peer_absent_backoff_and_give_up)
{
	struct l2tp_obs *o = run("xl2tpd-peer-absent.pcap", NULL, 0, 0);
	const struct l2tp_obs_tunnel *t = one_tunnel(o);
	const struct l2tp_obs_sent *e = &t->p[0].noack;
	static const uint64_t want[] = {1000000, 2000000, 4000000, 8000000};

	cr_assert_eq(t->p[0].tid, 31575);
	cr_assert_eq(t->p[1].msgs + t->p[1].zlbs, 0);
	cr_assert(t->p[0].unacked);
	cr_assert_eq(e->msg_type, L2TP_SCCRQ);
	cr_assert_eq(e->ns, 0);
	cr_assert_eq(e->sends, 5);
	for (int i = 0; i < 4; i++) {
		int64_t d =
		    (int64_t)(e->t_us[i + 1] - e->t_us[i]) - (int64_t)want[i];

		cr_assert(d > -20000 && d < 20000, "interval %d off by %lld", i,
		          (long long)d);
	}
	/* 16 s after the last try xl2tpd gives up with StopCCN "Timeout",
	 * sent once more a second later */
	cr_assert_eq(t->closer, 0);
	cr_assert_str_eq(t->message, "Timeout");
	cr_assert(t->gave_up);
	cr_assert(!t->closed);
	cr_assert(t->step_us[L2TP_OBS_S_STOPCCN] - e->t_us[4] > 15900000);
	cr_assert_eq(t->p[0].retransmits, 5); /* 4 SCCRQ + 1 StopCCN */
	cr_assert_eq(findings_with(o, t, L2TP_OBS_C_DELIVERY,
	                           "the 1, 2, 4, 8 s backoff"),
	             2);
	cr_assert_eq(findings_with(o, t, L2TP_OBS_C_DELIVERY,
	                           "SCCRQ Ns 0 from 127.0.0.2 (frame 1) never "
	                           "acknowledged: sent 5 times"),
	             1);
	cr_assert_eq(t->step_frame[L2TP_OBS_S_SCCRP], 0);
	cr_assert_eq(t->state, L2TP_TS_CLOSING);
	cr_assert_eq(t->auth[0].verdict, L2TP_OBS_V_UNANSWERED);
	l2tp_obs_free(o);
}

Test(observe, hello_cadence)
{
	struct l2tp_obs *o = run("xl2tpd-hello.pcap", NULL, 0, 0);
	const struct l2tp_obs_tunnel *t = one_tunnel(o);

	cr_assert_eq(t->p[0].hellos, 1);
	cr_assert_eq(t->p[1].hellos, 1);
	for (int s = 0; s < 2; s++) {
		uint64_t idle = t->p[s].hello_idle_min_us;

		cr_assert(idle > 59500000 && idle < 60500000,
		          "side %d idle %llu", s, (unsigned long long)idle);
	}
	/* the LNS's Hello came after a minute of silence from the LAC; the
	 * LAC's right after the LNS's (xl2tpd counts its own sends) */
	cr_assert(t->p[1].hello_quiet_min_us > 59000000);
	cr_assert(t->p[0].hello_quiet_min_us < 1000000);
	cr_assert(t->closed);
	l2tp_obs_free(o);
}

Test(observe, sigint_closed_by_responder)
{
	struct l2tp_obs *o = run("xl2tpd-sigint.pcap", NULL, 0, 0);
	const struct l2tp_obs_tunnel *t = one_tunnel(o);

	cr_assert_eq(t->closer, 1);
	cr_assert_str_eq(t->message, "Server closing");
	cr_assert(t->closed);
	cr_assert_str_eq(t->p[0].host, "vm");
	cr_assert_eq(t->auth[0].verdict, L2TP_OBS_V_NONE);
	cr_assert_eq(t->auth[1].verdict, L2TP_OBS_V_NONE);
	cr_assert_eq(t->nfind, 0);
	l2tp_obs_free(o);
}

Test(observe, call_opened_and_cleared)
{
	struct l2tp_obs *o = run("xl2tpd-call.pcap", NULL, 0, 0);
	const struct l2tp_obs_tunnel *t = one_tunnel(o);
	struct l2tp_obs_stats st;

	cr_assert_eq(t->ncalls, 1);
	cr_assert_eq(t->calls[0].closer, 0);
	cr_assert_eq(t->calls[0].state, L2TP_SS_IDLE);
	cr_assert_eq(t->calls[0].serial, 1);
	cr_assert(t->calls[0].cdn_us > t->calls[0].conn_us);
	l2tp_obs_stats(o, &st);
	cr_assert_eq(st.tunnels, 1);
	cr_assert_eq(st.calls, 1);
	cr_assert_eq(st.control, 13);
	cr_assert_eq(st.orphans, 0);
	l2tp_obs_free(o);
}

Test(observe, port1705_nr_ahead_and_repeated_stopccn)
{
	const char *sec[] = {GOOD};
	struct l2tp_obs *o = run("xl2tpd-port1705.pcapng", sec, 1, 1705);
	const struct l2tp_obs_tunnel *t = one_tunnel(o);

	cr_assert_eq(t->p[0].addr.port, 1706);
	cr_assert_eq(t->p[1].addr.port, 1705);
	cr_assert(!t->p[0].port_changed && !t->p[1].port_changed);
	/* the LAC counted the LNS's session-id ZLB as a message */
	cr_assert(t->p[0].bad_nr >= 1);
	cr_assert(findings_with(o, t, L2TP_OBS_C_DELIVERY,
	                        "Nr 4 acknowledges messages 127.0.0.1 never "
	                        "sent") >= 1);
	/* and sent its StopCCN again though it was acknowledged */
	cr_assert_eq(t->p[0].duplicates, 1);
	cr_assert_eq(findings_with(o, t, L2TP_OBS_C_DELIVERY,
	                           "after it was acknowledged"),
	             1);
	cr_assert_eq(t->auth[0].verdict, L2TP_OBS_V_MATCH);
	l2tp_obs_free(o);
	/* on 1701 it is not L2TP at all */
	o = run("xl2tpd-port1705.pcapng", sec, 1, 0);
	cr_assert_eq(l2tp_obs_tunnel_count(o), 0);
	l2tp_obs_free(o);
}

Test(observe, hidden_avps_opened_or_not)
{
	const char *good[] = {GOOD}, *bad[] = {BAD};
	struct l2tp_obs *o = run("crafted/hidden-secret.pcap", good, 1, 0);
	const struct l2tp_obs_tunnel *t = one_tunnel(o);

	cr_assert_eq(t->hidden, 4);
	cr_assert_eq(t->hidden_opened, 4);
	cr_assert_eq(t->hidden_secrets, 1u);
	l2tp_obs_free(o);
	o = run("crafted/hidden-secret.pcap", bad, 1, 0);
	t = one_tunnel(o);
	cr_assert_eq(t->hidden_closed, 4);
	cr_assert_eq(findings_with(o, t, L2TP_OBS_C_AUTH, "wrong secret"), 4);
	l2tp_obs_free(o);
	o = run("crafted/hidden-secret.pcap", NULL, 0, 0);
	t = one_tunnel(o);
	cr_assert_eq(findings_with(o, t, L2TP_OBS_C_AUTH, "no secret given"),
	             4);
	l2tp_obs_free(o);
}

/* The decoder's per-message findings are taken over, not checked twice. */
static size_t
all_findings_with(const struct l2tp_obs *o, enum l2tp_obs_cat cat,
                  const char *what)
{
	size_t n = 0, kept;
	const struct l2tp_obs_finding *f;

	for (size_t i = 0; i < l2tp_obs_tunnel_count(o); i++)
		n += findings_with(o, l2tp_obs_tunnel(o, i), cat, what);
	for (size_t i = 0; (f = l2tp_obs_orphan_finding(o, i, &kept)); i++)
		if (f->cat == cat && strstr(f->what, what))
			n++;
	return n;
}

Test(observe, crafted_rfc_findings)
{
	static const struct {
		const char *file;
		enum l2tp_obs_cat cat;
		const char *what;
	} cases[] = {
	    {"crafted/rfc-rules.pcap", L2TP_OBS_C_RFC, "without the mandatory"},
	    {"crafted/rfc-rules.pcap", L2TP_OBS_C_RFC, "0, must be non-zero"},
	    {"crafted/rfc-rules.pcap", L2TP_OBS_C_RFC, "must not be hidden"},
	    {"crafted/rfc-rules.pcap", L2TP_OBS_C_RFC, "M bit"},
	    {"crafted/hidden-no-rv.pcap", L2TP_OBS_C_MALFORMED,
	     "no Random Vector before it"},
	    {"crafted/msgtype-rules.pcap", L2TP_OBS_C_MALFORMED,
	     "Message Type is AVP 1"},
	    {"crafted/reserved-bits.pcap", L2TP_OBS_C_RFC, "reserved"},
	    {"crafted/fixed-length.pcap", L2TP_OBS_C_MALFORMED, "value length"},
	    {"crafted/unknown-mandatory.pcap", L2TP_OBS_C_UNSUPPORTED,
	     "unknown mandatory"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct l2tp_obs *o = run(cases[i].file, NULL, 0, 0);
		struct l2tp_obs_stats st;

		cr_assert(all_findings_with(o, cases[i].cat, cases[i].what) >=
		              1,
		          "%s: no %s finding with '%s'", cases[i].file,
		          l2tp_obs_cat_name(cases[i].cat), cases[i].what);
		l2tp_obs_stats(o, &st);
		cr_assert(st.find_by_cat[cases[i].cat] >= 1);
		l2tp_obs_free(o);
	}
}

/* ---- built exchanges: what the captures do not hold ---- */

struct ex {
	struct l2tp_obs *o;
	struct l2tp_msg m;
	uint64_t frame, t_us;
	struct l2tp_addr a, b; /* initiator, responder */
};

static void
ex_init(struct ex *x, const char *const *secrets, size_t n,
        unsigned history_max)
{
	struct l2tp_obs_config c;

	memset(x, 0, sizeof(*x));
	l2tp_obs_config_default(&c);
	c.secrets = secrets;
	c.nsecrets = n;
	if (history_max)
		c.history_max = history_max;
	x->o = l2tp_obs_new(&c);
	cr_assert_not_null(x->o);
	x->a.family = x->b.family = L2TP_AF_INET;
	memcpy(x->a.addr, "\x0a\x00\x00\x01", 4);
	memcpy(x->b.addr, "\x0a\x00\x00\x02", 4);
	x->a.port = x->b.port = 1701;
	x->t_us = 1767225600000000ULL;
}

/* Parse and feed one built message; from_b: sent by the responder. */
static void
ex_feed(struct ex *x, bool from_b, const uint8_t *buf, int len, uint64_t dt_ms)
{
	struct l2tp_obs_meta mt;

	cr_assert(len > 0);
	cr_assert_eq(
	    l2tp_parse(buf, (size_t)len, (size_t)len, L2TP_UDP, NULL, &x->m),
	    0);
	x->t_us += dt_ms * 1000;
	mt.frame = ++x->frame;
	mt.time_us = x->t_us;
	mt.src = from_b ? x->b : x->a;
	mt.dst = from_b ? x->a : x->b;
	cr_assert_eq(l2tp_obs_input(x->o, &mt, &x->m), 0);
}

static int
sccrq(uint8_t *buf, size_t cap, uint16_t tid, const uint8_t *chal)
{
	struct l2tp_builder b;

	l2tp_build_control(&b, buf, cap, 0, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_SCCRQ);
	l2tp_build_u16(&b, true, L2TP_AVP_PROTOCOL_VERSION, 0x0100);
	l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "a.lab");
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 3);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, tid);
	l2tp_build_u16(&b, true, L2TP_AVP_RECEIVE_WINDOW, 2);
	if (chal)
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CHALLENGE, chal,
		               16);
	return l2tp_build_end(&b);
}

static int
sccrp(uint8_t *buf, size_t cap, uint16_t to, uint16_t tid, const uint8_t *resp)
{
	struct l2tp_builder b;

	l2tp_build_control(&b, buf, cap, to, 0, 0, 1);
	l2tp_build_msg_type(&b, L2TP_SCCRP);
	l2tp_build_u16(&b, true, L2TP_AVP_PROTOCOL_VERSION, 0x0100);
	l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "b.lab");
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 3);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, tid);
	l2tp_build_u16(&b, true, L2TP_AVP_RECEIVE_WINDOW, 2);
	if (resp)
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CHALLENGE_RESPONSE,
		               resp, 16);
	return l2tp_build_end(&b);
}

static int
simple(uint8_t *buf, size_t cap, uint16_t to, int type, uint16_t ns,
       uint16_t nr)
{
	struct l2tp_builder b;

	l2tp_build_control(&b, buf, cap, to, 0, ns, nr);
	if (type >= 0)
		l2tp_build_msg_type(&b, (uint16_t)type);
	return l2tp_build_end(&b);
}

/* SCCRQ / SCCRP / SCCCN / ZLB between tunnel ids 100 (A) and 200 (B). */
static void
ex_establish(struct ex *x)
{
	uint8_t buf[512];

	ex_feed(x, false, buf, sccrq(buf, sizeof(buf), 100, NULL), 0);
	ex_feed(x, true, buf, sccrp(buf, sizeof(buf), 100, 200, NULL), 10);
	ex_feed(x, false, buf, simple(buf, sizeof(buf), 200, L2TP_SCCCN, 1, 1),
	        10);
	ex_feed(x, true, buf, simple(buf, sizeof(buf), 100, -1, 1, 2), 10);
}

Test(observe, built_challenge_checked_and_unanswered)
{
	const char *sec[] = {"s1", "s2"};
	uint8_t chal[16], resp[16], buf[512];
	struct ex x;
	const struct l2tp_obs_tunnel *t;

	memset(chal, 0x5a, sizeof(chal));
	/* answered: MD5(2 || s2 || challenge) */
	ex_init(&x, sec, 2, 0);
	l2tp_chap_response(L2TP_SCCRP, (const uint8_t *)"s2", 2, chal, 16,
	                   resp);
	ex_feed(&x, false, buf, sccrq(buf, sizeof(buf), 100, chal), 0);
	ex_feed(&x, true, buf, sccrp(buf, sizeof(buf), 100, 200, resp), 10);
	t = one_tunnel(x.o);
	cr_assert_eq(t->auth[0].verdict, L2TP_OBS_V_MATCH);
	cr_assert_eq(t->auth[0].secret, 1);
	l2tp_obs_free(x.o);
	/* the wrong ID (3 instead of 2) matches nothing */
	ex_init(&x, sec, 2, 0);
	l2tp_chap_response(L2TP_SCCCN, (const uint8_t *)"s2", 2, chal, 16,
	                   resp);
	ex_feed(&x, false, buf, sccrq(buf, sizeof(buf), 100, chal), 0);
	ex_feed(&x, true, buf, sccrp(buf, sizeof(buf), 100, 200, resp), 10);
	cr_assert_eq(one_tunnel(x.o)->auth[0].verdict, L2TP_OBS_V_NOMATCH);
	l2tp_obs_free(x.o);
	/* no response at all in the SCCRP */
	ex_init(&x, sec, 2, 0);
	ex_feed(&x, false, buf, sccrq(buf, sizeof(buf), 100, chal), 0);
	ex_feed(&x, true, buf, sccrp(buf, sizeof(buf), 100, 200, NULL), 10);
	t = one_tunnel(x.o);
	cr_assert_eq(t->auth[0].verdict, L2TP_OBS_V_UNANSWERED);
	cr_assert_eq(findings_with(x.o, t, L2TP_OBS_C_RFC,
	                           "no Challenge Response in the next "
	                           "message, SCCRP"),
	             1);
	l2tp_obs_free(x.o);
	/* a response nobody asked for */
	ex_init(&x, sec, 2, 0);
	ex_feed(&x, false, buf, sccrq(buf, sizeof(buf), 100, NULL), 0);
	ex_feed(&x, true, buf, sccrp(buf, sizeof(buf), 100, 200, resp), 10);
	t = one_tunnel(x.o);
	cr_assert_eq(
	    findings_with(x.o, t, L2TP_OBS_C_AUTH, "no Challenge from"), 1);
	l2tp_obs_free(x.o);
}

/* An SCCRQ from either end, with a Tie Breaker AVP when tie is given. */
static int
sccrq_tie(uint8_t *buf, size_t cap, uint16_t tid, const char *tie)
{
	struct l2tp_builder b;

	l2tp_build_control(&b, buf, cap, 0, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_SCCRQ);
	l2tp_build_u16(&b, true, L2TP_AVP_PROTOCOL_VERSION, 0x0100);
	l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "x.lab");
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 3);
	if (tie)
		l2tp_build_avp(&b, false, false, 0, L2TP_AVP_TIE_BREAKER, tie,
		               8);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, tid);
	return l2tp_build_end(&b);
}

/* A sends an SCCRQ with tie breaker ta, B one with tb 5 ms later, before
 * either is answered; then each end answers the other's with an SCCRP. */
static void
ex_cross(struct ex *x, const char *ta, const char *tb)
{
	uint8_t buf[512];

	ex_init(x, NULL, 0, 0);
	ex_feed(x, false, buf, sccrq_tie(buf, sizeof(buf), 100, ta), 0);
	ex_feed(x, true, buf, sccrq_tie(buf, sizeof(buf), 300, tb), 5);
	cr_assert_eq(l2tp_obs_tunnel_count(x->o), 2);
	ex_feed(x, true, buf, sccrp(buf, sizeof(buf), 100, 200, NULL), 10);
	ex_feed(x, false, buf, sccrp(buf, sizeof(buf), 300, 400, NULL), 1);
}

Test(observe, built_crossed_sccrqs_tie_break)
{
	struct ex x;
	const struct l2tp_obs_tunnel *a, *b;

	/* A's tie breaker is the lower: A's tunnel wins; B's tunnel should
	 * have been dropped, so A's SCCRP to it breaks §4.4.3 */
	ex_cross(&x, "\x01\x01\x01\x01\x01\x01\x01\x01",
	         "\x02\x00\x00\x00\x00\x00\x00\x00");
	a = l2tp_obs_tunnel(x.o, 0);
	b = l2tp_obs_tunnel(x.o, 1);
	cr_assert_eq(a->crossed, 2);
	cr_assert_eq(b->crossed, 1);
	cr_assert_eq(a->tie, L2TP_OBS_TIE_WON);
	cr_assert_eq(b->tie, L2TP_OBS_TIE_LOST);
	cr_assert_eq(findings_with(x.o, a, L2TP_OBS_C_DELIVERY,
	                           "its tie breaker is lower: this "
	                           "tunnel goes on"),
	             1);
	cr_assert_eq(findings_with(x.o, b, L2TP_OBS_C_DELIVERY,
	                           "the other tie breaker is lower: "
	                           "this SCCRQ is to be dropped"),
	             1);
	cr_assert_eq(findings_with(x.o, a, L2TP_OBS_C_RFC, "lost the tie"), 0);
	cr_assert_eq(findings_with(x.o, b, L2TP_OBS_C_RFC,
	                           "SCCRP for an SCCRQ that lost the tie "
	                           "break with tunnel 1"),
	             1);
	l2tp_obs_free(x.o);
	/* equal values: both lose, both SCCRPs are wrong */
	ex_cross(&x, "\x07\x07\x07\x07\x07\x07\x07\x07",
	         "\x07\x07\x07\x07\x07\x07\x07\x07");
	a = l2tp_obs_tunnel(x.o, 0);
	b = l2tp_obs_tunnel(x.o, 1);
	cr_assert_eq(a->tie, L2TP_OBS_TIE_EQUAL);
	cr_assert_eq(b->tie, L2TP_OBS_TIE_EQUAL);
	cr_assert_eq(findings_with(x.o, a, L2TP_OBS_C_RFC, "lost the tie"), 1);
	cr_assert_eq(findings_with(x.o, b, L2TP_OBS_C_RFC, "lost the tie"), 1);
	l2tp_obs_free(x.o);
	/* only B sends one: B wins */
	ex_cross(&x, NULL, "\x09\x09\x09\x09\x09\x09\x09\x09");
	cr_assert_eq(l2tp_obs_tunnel(x.o, 0)->tie, L2TP_OBS_TIE_LOST);
	cr_assert_eq(l2tp_obs_tunnel(x.o, 1)->tie, L2TP_OBS_TIE_WON);
	l2tp_obs_free(x.o);
	/* neither: both may go on, no RFC finding */
	ex_cross(&x, NULL, NULL);
	a = l2tp_obs_tunnel(x.o, 0);
	cr_assert_eq(a->tie, L2TP_OBS_TIE_ABSENT);
	cr_assert_eq(a->crossed, 2);
	cr_assert_eq(findings_with(x.o, a, L2TP_OBS_C_RFC, "lost the tie"), 0);
	l2tp_obs_free(x.o);
}

Test(observe, built_sccrq_later_is_not_crossed)
{
	uint8_t buf[512];
	struct ex x;

	/* B's SCCRQ comes after A's tunnel was answered: no crossing; nor
	 * one 40 s after an SCCRQ that was never answered */
	ex_init(&x, NULL, 0, 0);
	ex_establish(&x);
	ex_feed(&x, true, buf, sccrq_tie(buf, sizeof(buf), 300, NULL), 10);
	cr_assert_eq(l2tp_obs_tunnel(x.o, 1)->crossed, 0);
	cr_assert_eq(l2tp_obs_tunnel(x.o, 0)->crossed, 0);
	l2tp_obs_free(x.o);
	ex_init(&x, NULL, 0, 0);
	ex_feed(&x, false, buf, sccrq_tie(buf, sizeof(buf), 100, NULL), 0);
	ex_feed(&x, true, buf, sccrq_tie(buf, sizeof(buf), 300, NULL), 40000);
	cr_assert_eq(l2tp_obs_tunnel(x.o, 1)->crossed, 0);
	l2tp_obs_free(x.o);
}

/* The responder's StopCCN after the SCCCN's ZLB: 10 ms later with result
 * 2 it refused the SCCCN; 3 s later with result 6 it closes an
 * established tunnel (its first word after the SCCCN either way). */
Test(observe, built_scccn_refused_or_closed_later)
{
	uint8_t buf[512];
	struct l2tp_builder b;
	struct ex x;
	const struct l2tp_obs_tunnel *t;
	const struct {
		int result;
		uint64_t dt_ms;
		bool refused;
	} cases[] = {{2, 10, true},
	             {6, 3000, false},
	             {1, 3000, false},
	             {6, 200, true},
	             {4, 3000, true}};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ex_init(&x, NULL, 0, 0);
		ex_establish(&x);
		l2tp_build_control(&b, buf, sizeof(buf), 100, 0, 1, 2);
		l2tp_build_msg_type(&b, L2TP_STOPCCN);
		l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 200);
		l2tp_build_result(&b, (uint16_t)cases[i].result, -1, NULL);
		ex_feed(&x, true, buf, l2tp_build_end(&b), cases[i].dt_ms);
		t = one_tunnel(x.o);
		cr_assert_eq(t->scccn_refused, cases[i].refused, "case %zu", i);
		cr_assert_eq(t->step_frame[L2TP_OBS_S_ESTABLISHED] != 0,
		             !cases[i].refused, "case %zu", i);
		cr_assert_eq(t->closer, 1);
		l2tp_obs_free(x.o);
	}
}

Test(observe, built_stopccn_wrong_assigned_tunnel_id)
{
	uint8_t buf[512];
	struct l2tp_builder b;
	struct ex x;
	const struct l2tp_obs_tunnel *t;

	ex_init(&x, NULL, 0, 0);
	ex_establish(&x);
	l2tp_build_control(&b, buf, sizeof(buf), 200, 0, 2, 2);
	l2tp_build_msg_type(&b, L2TP_STOPCCN);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 999);
	l2tp_build_result(&b, 1, -1, NULL);
	ex_feed(&x, false, buf, l2tp_build_end(&b), 1000);
	ex_feed(&x, true, buf, simple(buf, sizeof(buf), 100, -1, 1, 3), 10);
	t = one_tunnel(x.o);
	cr_assert_eq(findings_with(x.o, t, L2TP_OBS_C_RFC,
	                           "Assigned Tunnel ID 999 does not match"),
	             1);
	cr_assert(t->closed);
	cr_assert_eq(t->closer, 0);
	l2tp_obs_free(x.o);
}

Test(observe, built_ports_answer_and_change)
{
	uint8_t buf[512];
	struct ex x;
	const struct l2tp_obs_tunnel *t;

	ex_init(&x, NULL, 0, 0);
	ex_feed(&x, false, buf, sccrq(buf, sizeof(buf), 100, NULL), 0);
	x.b.port = 40000; /* the responder answers from another port */
	ex_feed(&x, true, buf, sccrp(buf, sizeof(buf), 100, 200, NULL), 10);
	ex_feed(&x, false, buf, simple(buf, sizeof(buf), 200, L2TP_SCCCN, 1, 1),
	        10);
	ex_feed(&x, true, buf, simple(buf, sizeof(buf), 100, -1, 1, 2), 10);
	t = one_tunnel(x.o);
	cr_assert(t->p[1].answer_port);
	cr_assert_eq(t->p[1].port_now, 40000);
	cr_assert_eq(t->find_by_cat[L2TP_OBS_C_PORT], 0);
	x.a.port = 1702; /* a NAT rebinding, mid-tunnel */
	ex_feed(&x, false, buf, simple(buf, sizeof(buf), 200, L2TP_HELLO, 2, 2),
	        60000);
	cr_assert(t->p[0].port_changed);
	cr_assert_eq(findings_with(x.o, t, L2TP_OBS_C_PORT,
	                           "now sends from UDP port 1702, not 1701"),
	             1);
	cr_assert_eq(l2tp_obs_tunnel_count(x.o), 1);
	l2tp_obs_free(x.o);
}

Test(observe, built_gap_out_of_order_window)
{
	uint8_t buf[512];
	struct ex x;
	const struct l2tp_obs_tunnel *t;

	ex_init(&x, NULL, 0, 0);
	ex_establish(&x);
	/* Ns 2 lost before the capture point, Ns 3 seen, then Ns 2 late */
	ex_feed(&x, false, buf, simple(buf, sizeof(buf), 200, L2TP_HELLO, 3, 2),
	        10);
	ex_feed(&x, false, buf, simple(buf, sizeof(buf), 200, L2TP_HELLO, 4, 2),
	        10);
	ex_feed(&x, false, buf, simple(buf, sizeof(buf), 200, L2TP_HELLO, 2, 2),
	        10);
	t = one_tunnel(x.o);
	cr_assert_eq(t->p[0].gaps, 1);
	cr_assert_eq(t->p[0].out_of_order, 1);
	cr_assert_eq(
	    findings_with(x.o, t, L2TP_OBS_C_DELIVERY, "Ns jumped from 2 to 3"),
	    1);
	cr_assert_eq(findings_with(x.o, t, L2TP_OBS_C_DELIVERY, "out of order"),
	             1);
	/* B's window is 2: Ns 3 and 4 unacknowledged fill it */
	cr_assert_eq(t->p[0].window_stalls, 1);
	cr_assert_eq(
	    findings_with(x.o, t, L2TP_OBS_C_DELIVERY, "window stalled"), 1);
	/* B acks both; a retransmission after the ack is a duplicate */
	ex_feed(&x, true, buf, simple(buf, sizeof(buf), 100, -1, 1, 5), 10);
	ex_feed(&x, false, buf, simple(buf, sizeof(buf), 200, L2TP_HELLO, 3, 2),
	        1000);
	cr_assert_eq(t->p[0].duplicates, 1);
	l2tp_obs_free(x.o);
}

Test(observe, built_history_bounded_memory_flat)
{
	uint8_t buf[512];
	struct ex x;
	const struct l2tp_obs_tunnel *t;
	const struct l2tp_obs_msg *h;
	struct l2tp_obs_stats st;
	uint64_t mem1000 = 0, cut;
	size_t kept;
	uint16_t ns = 2, nr = 2;

	ex_init(&x, NULL, 0, 16);
	ex_establish(&x);
	for (int i = 0; i < 20000; i++) {
		ex_feed(&x, false, buf,
		        simple(buf, sizeof(buf), 200, L2TP_HELLO, ns++, nr),
		        60000);
		ex_feed(&x, true, buf,
		        simple(buf, sizeof(buf), 100, -1, nr, ns), 1);
		if (i == 999) {
			l2tp_obs_stats(x.o, &st);
			mem1000 = st.mem_bytes;
		}
	}
	l2tp_obs_stats(x.o, &st);
	cr_assert_eq(st.mem_bytes, mem1000, "memory grew: %llu -> %llu",
	             (unsigned long long)mem1000,
	             (unsigned long long)st.mem_bytes);
	t = one_tunnel(x.o);
	cr_assert_eq(t->nmsgs, 40004);
	h = l2tp_obs_history(x.o, t, 0, &kept, &cut);
	cr_assert_eq(kept, 16);
	cr_assert_eq(cut, 40004 - 16);
	/* the first half is the start, the second the latest messages */
	cr_assert_eq(h->msg_type, L2TP_SCCRQ);
	h = l2tp_obs_history(x.o, t, 15, &kept, &cut);
	cr_assert_eq(h->frame, 40004);
	h = l2tp_obs_history(x.o, t, 8, &kept, &cut);
	cr_assert_eq(h->frame, 40004 - 7);
	cr_assert_eq(t->p[0].hellos, 20000);
	cr_assert_eq(t->p[0].retransmits, 0);
	l2tp_obs_free(x.o);
}

Test(observe, built_many_tunnels_hash)
{
	uint8_t buf[512];
	struct ex x;

	ex_init(&x, NULL, 0, 0);
	/* 5000 tunnels between the same two hosts, interleaved */
	for (uint16_t i = 1; i <= 5000; i++)
		ex_feed(&x, false, buf, sccrq(buf, sizeof(buf), i, NULL), 1);
	for (uint16_t i = 1; i <= 5000; i++)
		ex_feed(&x, true, buf,
		        sccrp(buf, sizeof(buf), i, (uint16_t)(10000 + i), NULL),
		        1);
	for (uint16_t i = 5000; i >= 1; i--)
		ex_feed(&x, false, buf,
		        simple(buf, sizeof(buf), (uint16_t)(10000 + i),
		               L2TP_SCCCN, 1, 1),
		        1);
	cr_assert_eq(l2tp_obs_tunnel_count(x.o), 5000);
	for (size_t i = 0; i < 5000; i++) {
		const struct l2tp_obs_tunnel *t = l2tp_obs_tunnel(x.o, i);

		cr_assert_eq(t->p[0].tid, i + 1);
		cr_assert_eq(t->p[1].tid, 10000 + i + 1);
		cr_assert_neq(t->step_frame[L2TP_OBS_S_SCCCN], 0);
		cr_assert_eq(t->nfind, 0);
	}
	l2tp_obs_free(x.o);
}

/* The decoder's per-message rules reach the tunnel's findings. */
Test(observe, built_hello_session_and_window_zero)
{
	uint8_t buf[512];
	struct l2tp_builder b;
	struct ex x;
	const struct l2tp_obs_tunnel *t;

	ex_init(&x, NULL, 0, 0);
	l2tp_build_control(&b, buf, sizeof(buf), 0, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_SCCRQ);
	l2tp_build_u16(&b, true, L2TP_AVP_PROTOCOL_VERSION, 0x0100);
	l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "a.lab");
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 3);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 100);
	l2tp_build_u16(&b, true, L2TP_AVP_RECEIVE_WINDOW, 0);
	ex_feed(&x, false, buf, l2tp_build_end(&b), 0);
	ex_feed(&x, true, buf, sccrp(buf, sizeof(buf), 100, 200, NULL), 10);
	ex_feed(&x, false, buf, simple(buf, sizeof(buf), 200, L2TP_SCCCN, 1, 1),
	        10);
	l2tp_build_control(&b, buf, sizeof(buf), 200, 77, 2, 1);
	l2tp_build_msg_type(&b, L2TP_HELLO);
	ex_feed(&x, false, buf, l2tp_build_end(&b), 10);
	t = one_tunnel(x.o);
	cr_assert_eq(findings_with(x.o, t, L2TP_OBS_C_RFC,
	                           "Receive Window Size: 0, must be non-zero"),
	             1);
	cr_assert_eq(findings_with(x.o, t, L2TP_OBS_C_RFC,
	                           "HELLO with Session ID 77 in the header"),
	             1);
	/* a window of 0 is not taken: the default 4 stays */
	cr_assert_eq(t->p[0].rx_window, 4);
	l2tp_obs_free(x.o);
}

/* A tunnel is done once its hold after the StopCCN's ack has passed: its
 * last word (what stayed unacknowledged) is said then, not at the end. */
Test(observe, built_done_after_hold)
{
	uint8_t buf[512];
	struct l2tp_builder b;
	struct ex x;
	const struct l2tp_obs_tunnel *t;
	struct l2tp_obs_stats st2;

	ex_init(&x, NULL, 0, 0);
	ex_establish(&x);
	/* B's HELLO (Ns 1) that A never acknowledges */
	ex_feed(&x, true, buf, simple(buf, sizeof(buf), 100, L2TP_HELLO, 1, 2),
	        10);
	l2tp_build_control(&b, buf, sizeof(buf), 200, 0, 2, 1);
	l2tp_build_msg_type(&b, L2TP_STOPCCN);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 100);
	l2tp_build_result(&b, 1, -1, NULL);
	ex_feed(&x, false, buf, l2tp_build_end(&b), 10);
	ex_feed(&x, true, buf, simple(buf, sizeof(buf), 100, -1, 2, 3), 10);
	t = one_tunnel(x.o);
	cr_assert(t->closed);
	cr_assert_eq(
	    findings_with(x.o, t, L2TP_OBS_C_DELIVERY, "never acknowledged"),
	    0);
	/* 31 s later: still held */
	ex_feed(&x, false, buf, sccrq(buf, sizeof(buf), 101, NULL), 31000);
	cr_assert_eq(
	    findings_with(x.o, t, L2TP_OBS_C_DELIVERY, "never acknowledged"),
	    0);
	/* past the hold: done, its working state gone */
	ex_feed(&x, false, buf, sccrq(buf, sizeof(buf), 102, NULL), 2000);
	cr_assert_eq(findings_with(x.o, t, L2TP_OBS_C_DELIVERY,
	                           "HELLO Ns 1 from 10.0.0.2 (frame 5) never "
	                           "acknowledged"),
	             1);
	cr_assert(t->p[1].unacked);
	l2tp_obs_stats(x.o, &st2);
	cr_assert_eq(st2.tunnels, 3);
	l2tp_obs_finish(x.o);
	/* said once, not again at the end */
	cr_assert_eq(
	    findings_with(x.o, t, L2TP_OBS_C_DELIVERY, "never acknowledged"),
	    1);
	l2tp_obs_free(x.o);
}

Test(observe, bad_arguments)
{
	struct l2tp_obs_config c;
	struct l2tp_obs *o;
	struct l2tp_msg m;
	struct l2tp_obs_meta mt;

	cr_assert_null(l2tp_obs_new(NULL));
	l2tp_obs_config_default(&c);
	o = l2tp_obs_new(&c);
	memset(&m, 0, sizeof(m));
	memset(&mt, 0, sizeof(mt));
	cr_assert_eq(l2tp_obs_input(o, NULL, &m), L2TP_OBS_INVAL);
	cr_assert_eq(l2tp_obs_input(o, &mt, NULL), L2TP_OBS_INVAL);
	l2tp_obs_finish(o);
	l2tp_obs_finish(o);
	cr_assert_eq(l2tp_obs_input(o, &mt, &m), L2TP_OBS_INVAL);
	l2tp_obs_free(o);
	l2tp_obs_free(NULL);
}
