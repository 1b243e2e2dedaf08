/* The PPP story of a captured call in words and JSON: LCP and NCP
 * negotiation, authentication, echo, how it ended, data and sequencing, and
 * the likely cause of a failure (RFC 1661, 1332, 1334, 1877, 1994, 5072;
 * RFC 2661 §5.4). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/an_ppp.h"
#include "decoder/frame.h"
#include "decoder/ppp.h"

static const uint16_t cp_protos[L2TP_OBS_CP_COUNT] = {
    L2TP_PPP_LCP, L2TP_PPP_IPCP, L2TP_PPP_IPV6CP, L2TP_PPP_CCP};

/* ---- small words ---- */

static const char *
addr_of(const struct l2tp_obs_tunnel *t, int s, char *buf, size_t len)
{
	struct l2tp_ipaddr ip;

	memset(&ip, 0, sizeof(ip));
	ip.family = t->p[s].addr.family;
	memcpy(ip.a, t->p[s].addr.addr, 16);
	if (ip.family == 0)
		return "?";
	return l2tp_ipaddr_str(&ip, buf, len);
}

static const char *
role(const struct l2tp_obs_call *c, int s)
{
	if (c->lac < 0)
		return NULL;
	return c->lac == s ? "LAC" : "LNS";
}

/* "the LNS 127.0.0.1" or "127.0.0.1" */
static const char *
name(const struct l2tp_obs_tunnel *t, const struct l2tp_obs_call *c, int s,
     char *buf, size_t len)
{
	char a[48];
	const char *r = role(c, s);

	addr_of(t, s, a, sizeof(a));
	if (r)
		snprintf(buf, len, "the %s %s", r, a);
	else
		snprintf(buf, len, "%s", a);
	return buf;
}

/* "the LNS" or "127.0.0.1" */
static const char *
short_name(const struct l2tp_obs_tunnel *t, const struct l2tp_obs_call *c,
           int s, char *buf, size_t len)
{
	const char *r = role(c, s);

	if (r) {
		snprintf(buf, len, "the %s", r);
		return buf;
	}
	return addr_of(t, s, buf, len);
}

static void
dur(struct l2tp_sink *s, uint64_t us)
{
	if (us < 1000)
		l2tp_sink_printf(s, "%" PRIu64 " us", us);
	else if (us < 1000000)
		l2tp_sink_printf(s, "%" PRIu64 ".%01" PRIu64 " ms", us / 1000,
		                 us % 1000 / 100);
	else
		l2tp_sink_printf(s, "%" PRIu64 ".%03" PRIu64 " s", us / 1000000,
		                 us % 1000000 / 1000);
}

static void
at(struct l2tp_sink *s, const struct cli_an_ppp_opts *po, uint64_t us)
{
	uint64_t r = us >= po->t0 ? us - po->t0 : 0;

	l2tp_sink_printf(s, "%" PRIu64 ".%03" PRIu64 " s", r / 1000000,
	                 r % 1000000 / 1000);
}

static void
js(struct l2tp_sink *s, const char *str)
{
	l2tp_sink_json_str(s, str, strlen(str));
}

static void
js_time(struct l2tp_sink *s, const struct cli_an_ppp_opts *po, uint64_t us)
{
	uint64_t r;

	if (us == 0) {
		l2tp_sink_puts(s, "null");
		return;
	}
	r = us >= po->t0 ? us - po->t0 : 0;
	l2tp_sink_printf(s, "%" PRIu64 ".%06" PRIu64, r / 1000000, r % 1000000);
}

static void
js_secs(struct l2tp_sink *s, uint64_t us)
{
	l2tp_sink_printf(s, "%" PRIu64 ".%06" PRIu64, us / 1000000,
	                 us % 1000000);
}

/* The option type of a mask bit (see observe_ppp.c). */
static uint8_t
bit_type(int b)
{
	return b >= 16 && b < 20 ? (uint8_t)(129 + b - 16) : (uint8_t)b;
}

static const char *
opt_word(int cpi, uint8_t type, char *buf, size_t len)
{
	const char *n = l2tp_ppp_opt_name(cp_protos[cpi], type);

	if (n)
		return n;
	snprintf(buf, len, "option %u", type);
	return buf;
}

static void
opt_list(struct l2tp_sink *s, int cpi, uint32_t mask)
{
	char b[24];
	const char *sep = "";

	for (int i = 0; i < 32; i++)
		if (mask >> i & 1) {
			l2tp_sink_printf(
			    s, "%s%s", sep,
			    opt_word(cpi, bit_type(i), b, sizeof(b)));
			sep = ", ";
		}
}

static const char *
ip4(const uint8_t *a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	return buf;
}

static const char *
ifid(const uint8_t *v, char *buf, size_t len)
{
	snprintf(buf, len, "%02x%02x:%02x%02x:%02x%02x:%02x%02x", v[0], v[1],
	         v[2], v[3], v[4], v[5], v[6], v[7]);
	return buf;
}

static bool
cp_seen(const struct l2tp_obs_cp *c)
{
	return c->reqs[0] + c->reqs[1] + c->acks[0] + c->acks[1] + c->naks[0] +
	           c->naks[1] + c->rejs[0] + c->rejs[1] >
	       0;
}

/* The other side's answers to side s's Requests. */
static unsigned
answers(const struct l2tp_obs_cp *c, int s)
{
	return (unsigned)c->acks[1 - s] + c->naks[1 - s] + c->rejs[1 - s];
}

/* ---- what went wrong ---- */

const char *
cli_an_ppp_failure(const struct l2tp_obs_tunnel *t,
                   const struct l2tp_obs_call *c, char *buf, size_t len,
                   const char **cause, const char **check)
{
	const struct l2tp_obs_ppp *p = c->ppp;
	const struct l2tp_obs_cp *l;
	char a[64], b[64], an[24];

	if (p == NULL)
		return NULL;
	l = &p->cp[L2TP_OBS_LCP];
	if (p->loop) {
		snprintf(buf, len,
		         "both ends use LCP magic number 0x%08x: the frames "
		         "come back to their sender",
		         p->magic[0]);
		*cause = "a looped-back link";
		*check = "the session's path: something between the ends "
		         "sends the frames back (a loop in the LAC or a "
		         "misconfigured port)";
		return buf;
	}
	for (int s = 0; s < 2; s++) {
		if (l->reqs[s] == 0 || l->opened || cp_seen(l) == false)
			continue;
		if (l->reqs[1 - s] + answers(l, s) == 0) {
			snprintf(buf, len,
			         "%s sent %u LCP Configure-Request%s that %s "
			         "never answered",
			         short_name(t, c, s, a, sizeof(a)), l->reqs[s],
			         l->reqs[s] == 1 ? "" : "s",
			         short_name(t, c, 1 - s, b, sizeof(b)));
			*cause =
			    c->lac == 1 - s
			        ? "no PPP client behind the LAC answers: it "
			          "never started, or its frames do not come "
			          "back into the session"
			        : "the far end's PPP never answered LCP: it "
			          "is not running, or the session's data "
			          "does not reach it";
			*check =
			    "the PPP client (pppd) on the silent side, and "
			    "that data messages of the session reach it "
			    "(firewall, the session ids)";
			return buf;
		}
	}
	if (cp_seen(l) && !l->opened && l->term_by < 0 && p->result == 0 &&
	    (l->naks[0] + l->naks[1] + l->rejs[0] + l->rejs[1] > 0) &&
	    (l->reqs[0] >= 5 || l->reqs[1] >= 5)) {
		snprintf(buf, len,
		         "LCP never opened: %u and %u Configure-Requests, %u "
		         "Naks, %u Rejects",
		         l->reqs[0], l->reqs[1], l->naks[0] + l->naks[1],
		         l->rejs[0] + l->rejs[1]);
		*cause = "the ends do not agree on the LCP options";
		*check = "the options Naked and Rejected above (MRU, the "
		         "authentication protocol) on both ends";
		return buf;
	}
	if (p->result == L2TP_OBS_AR_FAIL) {
		const char *an_ =
		    l2tp_obs_auth_name(p->auth, p->alg, an, sizeof(an));

		snprintf(
		    buf, len, "%s %s from %s%s%s%s", an_,
		    p->auth == L2TP_PPP_PAP ? "Authenticate-Nak" : "Failure",
		    p->authr >= 0 ? short_name(t, c, p->authr, a, sizeof(a))
		                  : "the authenticator",
		    p->user[0] ? " for user \"" : "", p->user,
		    p->user[0] ? "\"" : "");
		*cause = p->pw_verdict == L2TP_OBS_V_MATCH
		             ? "authentication refused although the client "
		               "sent the password given: the server holds "
		               "another one, or refuses the user for another "
		               "reason"
		             : "the user's password or the RADIUS server";
		*check = "the user on the RADIUS server (its log, any "
		         "Reply-Message) and the client's password";
		return buf;
	}
	if (p->auth && p->result == 0 &&
	    (p->auth == L2TP_PPP_PAP ? p->auth_tries : p->responses) > 0) {
		snprintf(buf, len,
		         "%s: the client answered %u time%s, the "
		         "authenticator never decided",
		         l2tp_obs_auth_name(p->auth, p->alg, an, sizeof(an)),
		         p->auth == L2TP_PPP_PAP ? p->auth_tries : p->responses,
		         (p->auth == L2TP_PPP_PAP ? p->auth_tries
		                                  : p->responses) == 1
		             ? ""
		             : "s");
		*cause = "the authenticator waits for its RADIUS server";
		*check = "that the LNS reaches its RADIUS server and the "
		         "shared secret between them";
		return buf;
	}
	if (l->opened && p->result != L2TP_OBS_AR_FAIL &&
	    p->cp[L2TP_OBS_IPCP].prot_rej_by >= 0 &&
	    p->cp[L2TP_OBS_IPV6CP].prot_rej_by >= 0) {
		snprintf(buf, len,
		         "both IPCP and IPv6CP were Protocol-Rejected");
		*cause = "no network protocol both ends run";
		*check = "IPv4 and IPv6 settings of the subscriber and the LNS";
		return buf;
	}
	for (int s = 0; s < 2; s++) {
		const struct l2tp_obs_echo *e = &p->echo[s];

		if (e->reqs >= 3 && e->pending && e->run + 1 >= 3) {
			snprintf(buf, len,
			         "the last %u LCP Echo-Requests from %s were "
			         "not answered",
			         e->run + 1, short_name(t, c, s, a, sizeof(a)));
			*cause = "the peer stopped answering LCP echoes: it is "
			         "gone or the path is broken";
			*check = "the far end's PPP, and the path between the "
			         "LAC and the LNS";
			return buf;
		}
	}
	return NULL;
}

/* ---- text ---- */

static void
text_lcp(struct l2tp_sink *s, const struct l2tp_obs_tunnel *t,
         const struct l2tp_obs_call *c, const struct l2tp_obs_ppp *p)
{
	const struct l2tp_obs_cp *l = &p->cp[L2TP_OBS_LCP];
	char a[64], an[24];
	const char *sep;

	if (!cp_seen(l))
		return;
	l2tp_sink_puts(s, "    LCP:");
	sep = " ";
	for (int side = 0; side < 2; side++) {
		if (l->reqs[side] == 0)
			continue;
		l2tp_sink_printf(s, "%s%s sent %u Configure-Request%s (", sep,
		                 name(t, c, side, a, sizeof(a)), l->reqs[side],
		                 l->reqs[side] == 1 ? "" : "s");
		if (p->mru[side])
			l2tp_sink_printf(s, "MRU %u", p->mru[side]);
		else
			l2tp_sink_puts(s, "MRU default 1500");
		if (p->auth_proto[side])
			l2tp_sink_printf(s, ", auth %s",
			                 l2tp_obs_auth_name(p->auth_proto[side],
			                                    p->auth_alg[side],
			                                    an, sizeof(an)));
		if (p->has_magic[side])
			l2tp_sink_printf(s, ", magic 0x%08x", p->magic[side]);
		l2tp_sink_putc(s, ')');
		sep = "; ";
	}
	for (int side = 0; side < 2; side++) {
		if (l->naked[side]) {
			l2tp_sink_printf(s, "; %s Naked ",
			                 short_name(t, c, side, a, sizeof(a)));
			opt_list(s, L2TP_OBS_LCP, l->naked[side]);
			if ((l->naked[side] >> 3 & 1) && p->nak_auth)
				l2tp_sink_printf(
				    s, " (suggesting %s)",
				    l2tp_obs_auth_name(p->nak_auth, 0, an,
				                       sizeof(an)));
		}
		if (l->rejected[side]) {
			l2tp_sink_printf(s, "; %s Rejected ",
			                 short_name(t, c, side, a, sizeof(a)));
			opt_list(s, L2TP_OBS_LCP, l->rejected[side]);
		}
	}
	if (l->opened || l->open_us) {
		l2tp_sink_puts(s, "; opened");
		if (c->conn_us && l->open_us >= c->conn_us) {
			l2tp_sink_puts(s, " ");
			dur(s, l->open_us - c->conn_us);
			l2tp_sink_puts(s, " after the ICCN");
		}
		if (l->rounds > 1)
			l2tp_sink_printf(s, ", negotiated %u times", l->rounds);
	} else {
		l2tp_sink_puts(s, "; never opened");
	}
	if (p->loop)
		l2tp_sink_puts(s,
		               "; LOOP: both ends use the same magic number");
	l2tp_sink_putc(s, '\n');
}

static void
text_auth(struct l2tp_sink *s, const struct cli_an_ppp_opts *po,
          const struct l2tp_obs_tunnel *t, const struct l2tp_obs_call *c,
          const struct l2tp_obs_ppp *p)
{
	char a[64], an[24];
	bool ms = p->alg == 0x80 || p->alg == 0x81;

	if (p->auth == 0) {
		if (p->authr >= 0)
			l2tp_sink_printf(
			    s,
			    "    Authentication: %s asked for %s, none seen\n",
			    short_name(t, c, p->authr, a, sizeof(a)),
			    l2tp_obs_auth_name(p->auth_proto[p->authr], p->alg,
			                       an, sizeof(an)));
		return;
	}
	l2tp_sink_printf(s, "    Authentication: %s",
	                 l2tp_obs_auth_name(p->auth, p->alg, an, sizeof(an)));
	if (p->authr >= 0)
		l2tp_sink_printf(s, " by %s",
		                 name(t, c, p->authr, a, sizeof(a)));
	if (p->user[0])
		l2tp_sink_printf(s, ", user \"%s\"", p->user);
	if (p->auth == L2TP_PPP_PAP) {
		l2tp_sink_printf(s, ", %u Authenticate-Request%s",
		                 p->auth_tries, p->auth_tries == 1 ? "" : "s");
		if (po->show_passwords && p->auth_tries)
			l2tp_sink_printf(s, ", password \"%s\"", p->pap_pw);
	} else {
		l2tp_sink_printf(s, ", %u Challenge%s, %u Response%s",
		                 p->auth_tries, p->auth_tries == 1 ? "" : "s",
		                 p->responses, p->responses == 1 ? "" : "s");
	}
	if (p->auth == L2TP_PPP_PAP ? p->auth_tries : p->responses) {
		switch (p->pw_verdict) {
		case L2TP_OBS_V_MATCH:
			l2tp_sink_printf(s, "; %s matches password %d",
			                 p->auth == L2TP_PPP_PAP ? "password"
			                                         : "response",
			                 p->pw_index + 1);
			break;
		case L2TP_OBS_V_NOMATCH:
			l2tp_sink_printf(
			    s, "; %s matches none of %zu password%s",
			    p->auth == L2TP_PPP_PAP ? "password" : "response",
			    po->npasswords, po->npasswords == 1 ? "" : "s");
			break;
		case L2TP_OBS_V_NOSECRET:
			l2tp_sink_puts(s, "; not checked: no password given "
			                  "(--password P)");
			break;
		case L2TP_OBS_V_UNREADABLE:
			l2tp_sink_puts(s,
			               ms ? "; not checked (MS-CHAP needs "
			                    "MD4/DES)"
			                  : "; not checked: no challenge seen");
			break;
		default:
			break;
		}
	}
	if (p->result) {
		l2tp_sink_printf(
		    s, "; %s",
		    p->auth == L2TP_PPP_PAP
		        ? (p->result == L2TP_OBS_AR_OK ? "Authenticate-Ack"
		                                       : "Authenticate-Nak")
		        : (p->result == L2TP_OBS_AR_OK ? "Success"
		                                       : "Failure"));
		if (p->auth_msg[0])
			l2tp_sink_printf(s, " \"%s\"", p->auth_msg);
		l2tp_sink_puts(s, " at ");
		at(s, po, p->auth_us);
	} else {
		l2tp_sink_puts(s, "; no answer seen");
	}
	l2tp_sink_putc(s, '\n');
}

static void
text_ncp(struct l2tp_sink *s, const struct l2tp_obs_tunnel *t,
         const struct l2tp_obs_call *c, const struct l2tp_obs_ppp *p, int cpi)
{
	const struct l2tp_obs_cp *n = &p->cp[cpi];
	char a[64], b[64];

	if (!cp_seen(n) && n->prot_rej_by < 0)
		return;
	l2tp_sink_printf(s, "    %s:", l2tp_obs_cp_name(cpi));
	if (n->prot_rej_by >= 0)
		l2tp_sink_printf(
		    s, " Protocol-Rejected by %s%s;",
		    name(t, c, n->prot_rej_by, a, sizeof(a)),
		    cpi == L2TP_OBS_IPCP     ? " (it will not run IPv4)"
		    : cpi == L2TP_OBS_IPV6CP ? " (it will not run IPv6)"
		    : cpi == L2TP_OBS_CCP    ? " (no compression)"
		                             : "");
	for (int side = 0; side < 2; side++) {
		if (n->rejected[side]) {
			l2tp_sink_printf(s, " %s Rejected ",
			                 short_name(t, c, side, a, sizeof(a)));
			opt_list(s, cpi, n->rejected[side]);
			l2tp_sink_putc(s, ';');
		}
		if (n->naked[side]) {
			l2tp_sink_printf(s, " %s Naked ",
			                 short_name(t, c, side, a, sizeof(a)));
			opt_list(s, cpi, n->naked[side]);
			l2tp_sink_putc(s, ';');
		}
	}
	if (n->opened || n->open_us) {
		l2tp_sink_puts(s, " opened");
		if (c->conn_us && n->open_us >= c->conn_us) {
			l2tp_sink_puts(s, " ");
			dur(s, n->open_us - c->conn_us);
			l2tp_sink_puts(s, " after the ICCN");
		}
	} else if (cp_seen(n)) {
		l2tp_sink_printf(s,
		                 " never opened (%u and %u Configure-Requests)",
		                 n->reqs[0], n->reqs[1]);
	}
	if (cpi == L2TP_OBS_IPCP) {
		for (int side = 0; side < 2; side++)
			if (p->has_ip[side])
				l2tp_sink_printf(
				    s, "; %s address %s",
				    short_name(t, c, side, a, sizeof(a)),
				    ip4(p->ip[side], b, sizeof(b)));
		if (p->ndns) {
			l2tp_sink_printf(s, "; DNS %s",
			                 ip4(p->dns[0], b, sizeof(b)));
			if (p->ndns > 1)
				l2tp_sink_printf(s, ", %s",
				                 ip4(p->dns[1], b, sizeof(b)));
		}
	}
	if (cpi == L2TP_OBS_IPV6CP)
		for (int side = 0; side < 2; side++)
			if (p->has_ifid[side])
				l2tp_sink_printf(
				    s, "; %s interface id %s",
				    short_name(t, c, side, a, sizeof(a)),
				    ifid(p->ifid[side], b, sizeof(b)));
	l2tp_sink_putc(s, '\n');
}

static void
text_echo(struct l2tp_sink *s, const struct l2tp_obs_tunnel *t,
          const struct l2tp_obs_call *c, const struct l2tp_obs_ppp *p)
{
	char a[64];
	const char *sep = "    Echo: ";

	for (int side = 0; side < 2; side++) {
		const struct l2tp_obs_echo *e = &p->echo[side];

		if (e->reqs == 0)
			continue;
		l2tp_sink_printf(s, "%s%s sent %u Echo-Request%s", sep,
		                 name(t, c, side, a, sizeof(a)), e->reqs,
		                 e->reqs == 1 ? "" : "s");
		if (e->ival_max) {
			l2tp_sink_puts(s, " every ");
			dur(s, e->ival_min);
			if (e->ival_max - e->ival_min > 500000) {
				l2tp_sink_puts(s, " to ");
				dur(s, e->ival_max);
			}
		}
		l2tp_sink_printf(s, ", %u answered", e->replies);
		if (e->replies) {
			l2tp_sink_puts(s, " (RTT ");
			dur(s, e->rtt_sum / e->replies);
			l2tp_sink_puts(s, " average, ");
			dur(s, e->rtt_max);
			l2tp_sink_puts(s, " max)");
		}
		if (e->reqs > e->replies)
			l2tp_sink_printf(
			    s, ", %u unanswered (at most %u in a row)",
			    e->reqs - e->replies,
			    (e->max_run > e->run + e->pending
			         ? e->max_run
			         : e->run + e->pending));
		sep = "; ";
	}
	if (sep[0] == ';')
		l2tp_sink_putc(s, '\n');
}

static void
text_end(struct l2tp_sink *s, const struct cli_an_ppp_opts *po,
         const struct l2tp_obs_tunnel *t, const struct l2tp_obs_call *c,
         const struct l2tp_obs_ppp *p, bool failed)
{
	const struct l2tp_obs_cp *l = &p->cp[L2TP_OBS_LCP];
	char a[64];

	if (l->term_by >= 0) {
		l2tp_sink_printf(s,
		                 "    Ended: LCP Terminate-Request from %s at ",
		                 name(t, c, l->term_by, a, sizeof(a)));
		at(s, po, p->term_us);
		if (p->term_text[0])
			l2tp_sink_printf(s, ", \"%s\"", p->term_text);
		l2tp_sink_puts(s, p->term_acked ? ", acknowledged"
		                                : ", not acknowledged");
		if (c->closer >= 0 && c->cdn_us >= p->term_us) {
			l2tp_sink_printf(
			    s, "; then the CDN from %s ",
			    short_name(t, c, c->closer, a, sizeof(a)));
			dur(s, c->cdn_us - p->term_us);
			l2tp_sink_puts(s, " later");
		}
		l2tp_sink_putc(s, '\n');
	} else if (failed && c->closer >= 0) {
		uint64_t last = p->first_us;

		l2tp_sink_printf(s, "    Ended: the CDN from %s at ",
		                 short_name(t, c, c->closer, a, sizeof(a)));
		at(s, po, c->cdn_us);
		l2tp_sink_printf(s, " (result %u) follows the PPP failure",
		                 c->result);
		if (c->cdn_us >= last) {
			l2tp_sink_puts(s, ", ");
			dur(s, c->cdn_us - last);
			l2tp_sink_puts(s,
			               " after the session's first PPP frame");
		}
		l2tp_sink_puts(s, ": it is its consequence, not its cause\n");
	}
}

static void
text_data(struct l2tp_sink *s, const struct l2tp_obs_tunnel *t,
          const struct l2tp_obs_call *c, const struct l2tp_obs_ppp *p)
{
	char a[64];
	bool any_seq = p->seq_msgs[0] + p->seq_msgs[1] > 0;

	l2tp_sink_puts(s, "    Data:");
	for (int side = 0; side < 2; side++)
		l2tp_sink_printf(s,
		                 "%s %" PRIu64 " from %s (%" PRIu64
		                 " IP, %" PRIu64 " bytes)",
		                 side ? "," : "", p->frames[side],
		                 short_name(t, c, side, a, sizeof(a)),
		                 p->ip_frames[side], p->bytes[side]);
	l2tp_sink_puts(s, "; sequencing: ");
	if (c->seq_required)
		l2tp_sink_puts(s, "Sequencing Required in the ICCN, ");
	if (!any_seq) {
		l2tp_sink_puts(s, "none (no Ns on data)");
	} else {
		const char *sep = "";

		for (int side = 0; side < 2; side++) {
			if (p->seq_msgs[side] == 0) {
				l2tp_sink_printf(
				    s, "%s%s sends no Ns", sep,
				    short_name(t, c, side, a, sizeof(a)));
			} else {
				l2tp_sink_printf(
				    s, "%s%s Ns on %" PRIu64, sep,
				    short_name(t, c, side, a, sizeof(a)),
				    p->seq_msgs[side]);
				if (p->seq_lost[side])
					l2tp_sink_printf(
					    s, ", %" PRIu64 " missing",
					    p->seq_lost[side]);
				if (p->seq_ooo[side])
					l2tp_sink_printf(
					    s, ", %" PRIu64 " out of order",
					    p->seq_ooo[side]);
			}
			sep = "; ";
		}
	}
	l2tp_sink_putc(s, '\n');
}

void
cli_an_ppp_text(struct l2tp_sink *s, const struct cli_an_ppp_opts *po,
                const struct l2tp_obs_tunnel *t, const struct l2tp_obs_call *c)
{
	const struct l2tp_obs_ppp *p = c->ppp;
	const struct l2tp_obs_cp *l;
	char fb[160];
	const char *failure, *cause = "", *check = "";

	if (p == NULL)
		return;
	l = &p->cp[L2TP_OBS_LCP];
	failure = cli_an_ppp_failure(t, c, fb, sizeof(fb), &cause, &check);
	/* the headline */
	l2tp_sink_puts(s, "    PPP: ");
	if (!cp_seen(l))
		l2tp_sink_puts(s, "LCP negotiation not in the capture");
	else if (l->opened || l->open_us)
		l2tp_sink_puts(s, "LCP opened");
	else
		l2tp_sink_puts(s, "LCP never opened");
	if (p->auth) {
		char an[24];

		l2tp_sink_printf(
		    s, "; %s %s",
		    l2tp_obs_auth_name(p->auth, p->alg, an, sizeof(an)),
		    p->result == L2TP_OBS_AR_OK     ? "accepted"
		    : p->result == L2TP_OBS_AR_FAIL ? "refused"
		                                    : "undecided");
	}
	if (p->network_us) {
		l2tp_sink_puts(s, "; network phase");
		if (c->conn_us && p->network_us >= c->conn_us) {
			l2tp_sink_puts(s, " ");
			dur(s, p->network_us - c->conn_us);
			l2tp_sink_puts(s, " after the ICCN");
		}
		for (int i = L2TP_OBS_IPCP; i <= L2TP_OBS_IPV6CP; i++)
			if (p->cp[i].opened || p->cp[i].open_us)
				l2tp_sink_printf(s, " (%s)",
				                 l2tp_obs_cp_name(i));
	} else if (p->ip_frames[0] + p->ip_frames[1]) {
		l2tp_sink_puts(s, "; IP flowing");
	}
	if (p->findings)
		l2tp_sink_printf(s, "; %u PPP finding%s", p->findings,
		                 p->findings == 1 ? "" : "s");
	l2tp_sink_putc(s, '\n');
	text_lcp(s, t, c, p);
	text_auth(s, po, t, c, p);
	for (int i = L2TP_OBS_IPCP; i < L2TP_OBS_CP_COUNT; i++)
		text_ncp(s, t, c, p, i);
	text_echo(s, t, c, p);
	text_end(s, po, t, c, p, failure != NULL);
	text_data(s, t, c, p);
	if (failure)
		l2tp_sink_printf(s,
		                 "    PPP failure: %s\n    Likely cause: %s; "
		                 "check: %s\n",
		                 failure, cause, check);
}

/* ---- JSON ---- */

static void
js_pair_u(struct l2tp_sink *s, const char *key, unsigned a, unsigned b)
{
	l2tp_sink_printf(s, ",\"%s\":[%u,%u]", key, a, b);
}

static void
js_opts(struct l2tp_sink *s, int cpi, uint32_t mask)
{
	char b[24];
	const char *sep = "";

	l2tp_sink_putc(s, '[');
	for (int i = 0; i < 32; i++)
		if (mask >> i & 1) {
			l2tp_sink_puts(s, sep);
			js(s, opt_word(cpi, bit_type(i), b, sizeof(b)));
			sep = ",";
		}
	l2tp_sink_putc(s, ']');
}

static void
js_side(struct l2tp_sink *s, int side)
{
	if (side < 0)
		l2tp_sink_puts(s, "null");
	else
		l2tp_sink_printf(s, "%d", side);
}

static void
json_cp(struct l2tp_sink *s, const struct cli_an_ppp_opts *po,
        const struct l2tp_obs_call *c, const struct l2tp_obs_ppp *p, int cpi)
{
	const struct l2tp_obs_cp *n = &p->cp[cpi];
	char b[48], an[24];

	l2tp_sink_printf(s, ",\"%s\":", l2tp_obs_cp_key(cpi));
	if (!cp_seen(n) && n->prot_rej_by < 0) {
		l2tp_sink_puts(s, "null");
		return;
	}
	l2tp_sink_printf(
	    s, "{\"opened\":%s,\"opened_at\":", n->opened ? "true" : "false");
	js_time(s, po, n->open_us);
	l2tp_sink_puts(s, ",\"after_iccn\":");
	if (n->open_us && c->conn_us && n->open_us >= c->conn_us)
		js_secs(s, n->open_us - c->conn_us);
	else
		l2tp_sink_puts(s, "null");
	l2tp_sink_printf(s, ",\"rounds\":%u", n->rounds);
	js_pair_u(s, "requests", n->reqs[0], n->reqs[1]);
	js_pair_u(s, "acks", n->acks[0], n->acks[1]);
	js_pair_u(s, "naks", n->naks[0], n->naks[1]);
	js_pair_u(s, "rejects", n->rejs[0], n->rejs[1]);
	l2tp_sink_puts(s, ",\"naked\":[");
	js_opts(s, cpi, n->naked[0]);
	l2tp_sink_putc(s, ',');
	js_opts(s, cpi, n->naked[1]);
	l2tp_sink_puts(s, "],\"rejected\":[");
	js_opts(s, cpi, n->rejected[0]);
	l2tp_sink_putc(s, ',');
	js_opts(s, cpi, n->rejected[1]);
	l2tp_sink_puts(s, "],\"protocol_rejected_by\":");
	js_side(s, n->prot_rej_by);
	l2tp_sink_puts(s, ",\"terminated_by\":");
	js_side(s, n->term_by);
	if (cpi == L2TP_OBS_LCP) {
		js_pair_u(s, "mru", p->mru[0], p->mru[1]);
		l2tp_sink_puts(s, ",\"auth\":[");
		for (int side = 0; side < 2; side++) {
			if (side)
				l2tp_sink_putc(s, ',');
			if (p->auth_proto[side])
				js(s, l2tp_obs_auth_name(p->auth_proto[side],
				                         p->auth_alg[side], an,
				                         sizeof(an)));
			else
				l2tp_sink_puts(s, "null");
		}
		l2tp_sink_puts(s, "],\"magic\":[");
		for (int side = 0; side < 2; side++) {
			if (side)
				l2tp_sink_putc(s, ',');
			if (p->has_magic[side])
				l2tp_sink_printf(s, "\"0x%08x\"",
				                 p->magic[side]);
			else
				l2tp_sink_puts(s, "null");
		}
		l2tp_sink_printf(s, "],\"loop\":%s",
		                 p->loop ? "true" : "false");
	} else if (cpi == L2TP_OBS_IPCP) {
		l2tp_sink_puts(s, ",\"addresses\":[");
		for (int side = 0; side < 2; side++) {
			if (side)
				l2tp_sink_putc(s, ',');
			if (p->has_ip[side])
				js(s, ip4(p->ip[side], b, sizeof(b)));
			else
				l2tp_sink_puts(s, "null");
		}
		l2tp_sink_puts(s, "],\"dns\":[");
		for (unsigned i = 0; i < p->ndns; i++) {
			if (i)
				l2tp_sink_putc(s, ',');
			js(s, ip4(p->dns[i], b, sizeof(b)));
		}
		l2tp_sink_putc(s, ']');
	} else if (cpi == L2TP_OBS_IPV6CP) {
		l2tp_sink_puts(s, ",\"interface_ids\":[");
		for (int side = 0; side < 2; side++) {
			if (side)
				l2tp_sink_putc(s, ',');
			if (p->has_ifid[side])
				js(s, ifid(p->ifid[side], b, sizeof(b)));
			else
				l2tp_sink_puts(s, "null");
		}
		l2tp_sink_putc(s, ']');
	}
	l2tp_sink_putc(s, '}');
}

static const char *const pw_keys[] = {
    [L2TP_OBS_V_NONE] = "none",
    [L2TP_OBS_V_UNANSWERED] = "none",
    [L2TP_OBS_V_NOSECRET] = "no-password",
    [L2TP_OBS_V_MATCH] = "match",
    [L2TP_OBS_V_NOMATCH] = "no-match",
    [L2TP_OBS_V_UNREADABLE] = "unchecked",
};

void
cli_an_ppp_json(struct l2tp_sink *s, const struct cli_an_ppp_opts *po,
                const struct l2tp_obs_tunnel *t, const struct l2tp_obs_call *c)
{
	const struct l2tp_obs_ppp *p = c->ppp;
	char fb[160], an[24];
	const char *failure, *cause = "", *check = "";

	if (p == NULL)
		return;
	failure = cli_an_ppp_failure(t, c, fb, sizeof(fb), &cause, &check);
	l2tp_sink_puts(s, ",\"ppp\":{\"lac_side\":");
	js_side(s, c->lac);
	for (int i = 0; i < L2TP_OBS_CP_COUNT; i++)
		json_cp(s, po, c, p, i);
	l2tp_sink_puts(s, ",\"auth\":");
	if (p->auth == 0) {
		l2tp_sink_puts(s, "null");
	} else {
		l2tp_sink_puts(s, "{\"protocol\":");
		js(s, l2tp_obs_auth_name(p->auth, p->alg, an, sizeof(an)));
		l2tp_sink_puts(s, ",\"authenticator\":");
		js_side(s, p->authr);
		l2tp_sink_puts(s, ",\"user\":");
		js(s, p->user);
		l2tp_sink_printf(s,
		                 ",\"tries\":%u,\"responses\":%u,\"result\":",
		                 p->auth_tries, p->responses);
		js(s, p->result == L2TP_OBS_AR_OK     ? "success"
		      : p->result == L2TP_OBS_AR_FAIL ? "failure"
		                                      : "none");
		l2tp_sink_puts(s, ",\"message\":");
		js(s, p->auth_msg);
		l2tp_sink_puts(s, ",\"at\":");
		js_time(s, po, p->auth_us);
		l2tp_sink_puts(s, ",\"password\":");
		js(s, p->pw_verdict < sizeof(pw_keys) / sizeof(*pw_keys)
		          ? pw_keys[p->pw_verdict]
		          : "none");
		if (p->pw_verdict == L2TP_OBS_V_MATCH)
			l2tp_sink_printf(s, ",\"password_index\":%d",
			                 p->pw_index + 1);
		if (po->show_passwords && p->auth == L2TP_PPP_PAP &&
		    p->auth_tries) {
			l2tp_sink_puts(s, ",\"pap_password\":");
			js(s, p->pap_pw);
		}
		l2tp_sink_putc(s, '}');
	}
	l2tp_sink_puts(s, ",\"echo\":[");
	for (int side = 0; side < 2; side++) {
		const struct l2tp_obs_echo *e = &p->echo[side];
		unsigned run = e->max_run > e->run + e->pending
		                   ? e->max_run
		                   : e->run + e->pending;

		l2tp_sink_printf(s,
		                 "%s{\"requests\":%u,\"replies\":%u,"
		                 "\"unanswered\":%u,\"max_unanswered_run\":%u,"
		                 "\"interval_min\":",
		                 side ? "," : "", e->reqs, e->replies,
		                 e->reqs - e->replies, e->reqs ? run : 0);
		js_secs(s, e->ival_min);
		l2tp_sink_puts(s, ",\"interval_max\":");
		js_secs(s, e->ival_max);
		l2tp_sink_puts(s, ",\"rtt_avg\":");
		js_secs(s, e->replies ? e->rtt_sum / e->replies : 0);
		l2tp_sink_puts(s, ",\"rtt_max\":");
		js_secs(s, e->rtt_max);
		l2tp_sink_putc(s, '}');
	}
	l2tp_sink_puts(s, "],\"terminate\":");
	if (p->cp[L2TP_OBS_LCP].term_by < 0) {
		l2tp_sink_puts(s, "null");
	} else {
		l2tp_sink_printf(
		    s, "{\"by\":%d,\"message\":", p->cp[L2TP_OBS_LCP].term_by);
		js(s, p->term_text);
		l2tp_sink_puts(s, ",\"at\":");
		js_time(s, po, p->term_us);
		l2tp_sink_printf(s, ",\"acked\":%s}",
		                 p->term_acked ? "true" : "false");
	}
	l2tp_sink_puts(s, ",\"network_after_iccn\":");
	if (p->network_us && c->conn_us && p->network_us >= c->conn_us)
		js_secs(s, p->network_us - c->conn_us);
	else
		l2tp_sink_puts(s, "null");
	l2tp_sink_printf(s, ",\"sequencing_required\":%s,\"data\":[",
	                 c->seq_required ? "true" : "false");
	for (int side = 0; side < 2; side++)
		l2tp_sink_printf(
		    s,
		    "%s{\"frames\":%" PRIu64 ",\"ip\":%" PRIu64
		    ",\"bytes\":%" PRIu64 ",\"sequenced\":%" PRIu64
		    ",\"missing\":%" PRIu64 ",\"out_of_order\":%" PRIu64 "}",
		    side ? "," : "", p->frames[side], p->ip_frames[side],
		    p->bytes[side], p->seq_msgs[side], p->seq_lost[side],
		    p->seq_ooo[side]);
	l2tp_sink_printf(s, "],\"findings\":%u,\"failure\":", p->findings);
	if (failure == NULL) {
		l2tp_sink_puts(s, "null");
	} else {
		l2tp_sink_puts(s, "{\"what\":");
		js(s, failure);
		l2tp_sink_puts(s, ",\"cause\":");
		js(s, cause);
		l2tp_sink_puts(s, ",\"check\":");
		js(s, check);
		l2tp_sink_putc(s, '}');
	}
	l2tp_sink_putc(s, '}');
}
