/* l2tpsh -r FILE --analyze: tunnels rebuilt from a capture, explained in words,
 * JSON and ladders (RFC 2661 §4.4, §5, §6, §7). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli/an_fold.h"
#include "cli/an_ppp.h"
#include "cli/analyze.h"
#include "cli/ladder.h"
#include "decoder/frame.h"
#include "decoder/proto.h"

#define AN_PORTS 8           /* other UDP ports tracked */
#define AN_OTHER_CHECKS 4096 /* other-port datagrams test-parsed at most */
#define AN_FULL 20           /* tunnels told in full, with ladders */

struct an_port {
	uint16_t port;
	uint64_t n;
};

struct cli_an {
	const struct cli_decode_opts *o;
	struct l2tp_obs *obs;
	uint64_t t0, t_end; /* the capture's first and last frame */
	bool have_t0;
	/* Times are printed from here: the first message of the tunnel
	 * being reported (the capture's first frame outside one). */
	uint64_t origin;
	/* The clock jumping inside the capture (a router that syncs NTP
	 * mid-capture): the first and the largest jump, in frames. */
	uint64_t prev_us, njumps, jump_frame;
	int64_t jump_us;
	uint64_t parse_failed;
	struct l2tp_msg *m; /* for other-port checks */
	uint64_t other_checked, other_l2tp;
	struct an_port ports[AN_PORTS];
	struct cli_an_ppp_opts ppp; /* what the PPP story needs */
};

/* ---- causes ---- */

struct cause {
	uint16_t result;
	int error;         /* -1: any */
	const char *match; /* in the message, case-insensitive; NULL: any */
	const char *cause, *check;
};

/* StopCCN (§4.4.2), the specific rows first. */
static const struct cause stop_causes[] = {
    {2, 6, "challenge",
     "tunnel authentication failed (xl2tpd: \"Invalid challenge "
     "authentication\")",
     "the secret differs between the two ends, or the peer picks the "
     "secret by a host name that is not the one sent: compare the secret "
     "and the Host Name configured for this peer on both sides"},
    {4, -1, NULL,
     "the requester is not authorized: tunnel authentication failed, or "
     "the peer does not accept this host",
     "the shared secret and the host name configured for this peer on "
     "both sides"},
    {1, -1, "timeout",
     "the sender gave up: its peer did not acknowledge its messages",
     "is the peer running, listening on UDP 1701 and reachable (firewall, "
     "NAT, routing)?"},
    {1, -1, NULL,
     "an orderly close: an operator, a daemon stopping, or the last call "
     "gone",
     "nothing, unless it was not expected: the closing side's log says "
     "who asked"},
    {2, 8, NULL, "the peer received an unknown AVP marked mandatory",
     "an implementation mismatch: see the findings for the AVP"},
    {2, 2, NULL, "the peer found an AVP or message of the wrong length",
     "see the findings: a malformed message"},
    {2, 3, NULL, "the peer found a value out of range or a reserved field set",
     "see the findings"},
    {2, 4, NULL, "the peer is out of resources", "the peer's load and limits"},
    {2, 7, NULL, "the peer asks to try another LNS", "the LAC's list of LNSes"},
    {2, -1, NULL, "a general error (the error code and message say which)",
     "the closing side's log"},
    {3, -1, NULL, "a control connection between these ends already exists",
     "a stale tunnel on one side: clear it (or two LACs behind one NAT)"},
    {5, -1, NULL, "the peer does not speak this protocol version",
     "L2TPv2 against L2TPv3, or an old peer"},
    {6, -1, NULL, "the requester is being shut down",
     "the peer was stopping or restarting"},
    {7, -1, NULL,
     "an FSM error: a message came in a state that does not allow it",
     "lost or reordered messages, or a bug: read the ladder"},
};

static const struct cause cdn_causes[] = {
    {1, -1, NULL, "lost carrier: the PPP session or the line went down",
     "pppd's log on the LNS, the subscriber line"},
    {2, -1, NULL, "a general error (the error code says which)",
     "the clearing side's log"},
    {3, -1, NULL,
     "administrative: cleared by an operator or the configuration (xl2tpd "
     "clears a call when its pppd exits)",
     "pppd's log: authentication, IP pool, options"},
    {4, -1, NULL, "no facilities for now (sessions, IP pool, licences)",
     "the refusing side's limits"},
    {5, -1, NULL, "no facilities, permanently", "the refusing side's limits"},
    {6, -1, NULL, "invalid destination", "the called number or domain"},
    {7, -1, NULL, "no carrier", "the line"},
    {8, -1, NULL, "busy", "the called side"},
    {9, -1, NULL, "no dial tone", "the line"},
    {10, -1, NULL, "the call was not set up in time",
     "the ICCN/OCCN that never came: see the ladder"},
    {11, -1, NULL, "no framing detected", "framing types on both sides"},
};

/* Whether `hay` contains `needle`, ignoring ASCII case. */
static bool
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

static const char *
cause_of(const struct cause *t, size_t n, uint16_t result, uint16_t error,
         const char *message, const char **check)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i].result != result ||
		    (t[i].error >= 0 && t[i].error != error))
			continue;
		if (t[i].match &&
		    (message == NULL || !contains_ci(message, t[i].match)))
			continue;
		if (check)
			*check = t[i].check;
		return t[i].cause;
	}
	if (check)
		*check = "the closing side's log";
	return "a result code RFC 2661 does not define";
}

const char *
cli_an_stop_cause(uint16_t result, uint16_t error, const char *message,
                  const char **check)
{
	return cause_of(stop_causes, sizeof(stop_causes) / sizeof(*stop_causes),
	                result, error, message, check);
}

const char *
cli_an_cdn_cause(uint16_t result, uint16_t error, const char **check)
{
	return cause_of(cdn_causes, sizeof(cdn_causes) / sizeof(*cdn_causes),
	                result, error, NULL, check);
}

/* ---- input ---- */

struct cli_an *
cli_an_new(const struct cli_decode_opts *o)
{
	struct cli_an *a = calloc(1, sizeof(*a));
	struct l2tp_obs_config c;

	if (a == NULL || (a->m = malloc(sizeof(*a->m))) == NULL) {
		free(a);
		return NULL;
	}
	l2tp_obs_config_default(&c);
	c.secrets = o->secrets;
	c.nsecrets = o->nsecrets;
	c.passwords = o->passwords;
	c.npasswords = o->npasswords;
	a->ppp.npasswords = o->npasswords;
	a->ppp.show_passwords = o->show_passwords;
	if ((a->obs = l2tp_obs_new(&c)) == NULL) {
		free(a->m);
		free(a);
		return NULL;
	}
	a->o = o;
	return a;
}

void
cli_an_free(struct cli_an *a)
{
	if (a == NULL)
		return;
	l2tp_obs_free(a->obs);
	free(a->m);
	free(a);
}

void
cli_an_detach(struct cli_an *a)
{
	a->o = NULL;
}

struct l2tp_obs *
cli_an_obs(struct cli_an *a)
{
	return a->obs;
}

uint64_t
cli_an_t0(const struct cli_an *a)
{
	return a->t0;
}

const struct cli_an_ppp_opts *
cli_an_ppp_opts(const struct cli_an *a)
{
	return &a->ppp;
}

static void
to_addr(const struct l2tp_ipaddr *ip, uint16_t port, struct l2tp_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = ip->family;
	memcpy(out->addr, ip->a, 16);
	out->port = port;
}

static uint64_t
meta_us(const struct l2tp_pkt_meta *meta)
{
	return (uint64_t)meta->ts_sec * 1000000 + meta->ts_usec;
}

/* A jump of the clock, not traffic: forward more than a day between two
 * frames, or backward more than a second. */
#define AN_JUMP_FWD_US (86400ULL * 1000000)
#define AN_JUMP_BACK_US 1000000LL

static void
see_time(struct cli_an *a, const struct l2tp_pkt_meta *meta)
{
	uint64_t us = meta_us(meta);

	if (!a->have_t0) {
		a->t0 = a->origin = a->prev_us = us;
		a->ppp.t0 = a->t0;
		a->have_t0 = true;
	}
	if (us > a->prev_us + AN_JUMP_FWD_US ||
	    (int64_t)(a->prev_us - us) > AN_JUMP_BACK_US) {
		int64_t d = (int64_t)(us - a->prev_us);

		if (a->njumps++ == 0 ||
		    (d < 0 ? -d : d) >
		        (a->jump_us < 0 ? -a->jump_us : a->jump_us)) {
			a->jump_us = d;
			a->jump_frame = meta->frame;
		}
	}
	a->prev_us = us;
	a->t_end = us;
}

/* The origin of the times printed for tunnel t: its first message.  The
 * report's functions take the analysis as const; the origin is only where
 * printing counts from. */
static void
set_origin(const struct cli_an *a, const struct l2tp_obs_tunnel *t)
{
	((struct cli_an *)a)->origin = t ? t->first_us : a->t0;
}

/* A duration in words for a jump of the clock ("43 years", "2 days",
 * "5 minutes"). */
static void
jump_words(char *buf, size_t len, uint64_t us)
{
	static const struct {
		uint64_t s;
		const char *one, *many;
	} u[] = {
	    {365ULL * 86400, "year", "years"}, {86400, "day", "days"},
	    {3600, "hour", "hours"},           {60, "minute", "minutes"},
	    {1, "second", "seconds"},
	};
	uint64_t sec = us / 1000000;

	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		if (sec >= u[i].s || i + 1 == sizeof(u) / sizeof(u[0])) {
			uint64_t n = sec / u[i].s;

			snprintf(buf, len, "%" PRIu64 " %s", n,
			         n == 1 ? u[i].one : u[i].many);
			return;
		}
}

/* A moment as a date and time, local or UTC as TZ says, as tcpdump -tttt
 * prints it ("2014-01-02 08:44:58.677404 UTC"). */
static void
date_time(struct l2tp_sink *s, uint64_t us)
{
	time_t sec = (time_t)(us / 1000000);
	struct tm tm;
	char b[64], z[16] = "";

	if (localtime_r(&sec, &tm) == NULL) {
		l2tp_sink_printf(s, "%" PRIu64 ".%06" PRIu64, us / 1000000,
		                 us % 1000000);
		return;
	}
	strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%S", &tm);
	strftime(z, sizeof(z), "%Z", &tm);
	l2tp_sink_printf(s, "%s.%06" PRIu64 "%s%s", b, us % 1000000,
	                 *z ? " " : "", z);
}

void
cli_an_l2tp(struct cli_an *a, const struct l2tp_pkt_meta *meta,
            const struct l2tp_msg *m, int rc)
{
	struct l2tp_obs_meta om;

	see_time(a, meta);
	if (rc != 0) {
		a->parse_failed++;
		return;
	}
	om.frame = meta->frame;
	om.time_us = meta_us(meta);
	to_addr(&meta->fr->src, meta->fr->sport, &om.src);
	to_addr(&meta->fr->dst, meta->fr->dport, &om.dst);
	l2tp_obs_input(a->obs, &om, m);
}

static void
port_count(struct cli_an *a, uint16_t port, uint64_t w)
{
	size_t i, least = 0;

	for (i = 0; i < AN_PORTS; i++) {
		if (a->ports[i].port == port) {
			a->ports[i].n += w;
			return;
		}
		if (a->ports[i].n < a->ports[least].n)
			least = i;
	}
	if (a->ports[least].n == 0) {
		a->ports[least].port = port;
		a->ports[least].n = w;
	}
}

void
cli_an_frame(struct cli_an *a, const struct l2tp_pkt_meta *meta)
{
	const struct l2tp_frame *fr = meta->fr;

	see_time(a, meta);
	if (fr->kind != L2TP_FRAME_OTHER || fr->other != L2TP_OTHER_UDP ||
	    fr->l2tp == NULL || a->other_checked >= AN_OTHER_CHECKS)
		return;
	a->other_checked++;
	/* L2TPv2 control with a known Message Type and sane AVPs */
	if (l2tp_parse(fr->l2tp, fr->caplen, fr->wirelen, L2TP_UDP, NULL,
	               a->m) != 0 ||
	    a->m->version != 2 || !a->m->control ||
	    a->m->fault == L2TP_FAULT_MALFORMED ||
	    (a->m->msg_type != L2TP_MSG_ZLB &&
	     l2tp_msg_info(a->m->msg_type) == NULL))
		return;
	a->other_l2tp++;
	/* an SCCRQ goes to the port the responder listens on */
	port_count(a, fr->sport, 1);
	if (fr->dport != fr->sport)
		port_count(a, fr->dport, a->m->msg_type == L2TP_SCCRQ ? 3 : 1);
}

/* ---- words ---- */

static const char *
astr(const struct l2tp_addr *ad, char *buf, size_t len)
{
	struct l2tp_ipaddr ip;

	memset(&ip, 0, sizeof(ip));
	ip.family = ad->family;
	memcpy(ip.a, ad->addr, 16);
	if (ad->family == 0) {
		snprintf(buf, len, "?");
		return buf;
	}
	return l2tp_ipaddr_str(&ip, buf, len);
}

/* "127.0.0.1 (lns.lab)": room for the longest address text (47 bytes with
 * its NUL), " (", the longest host name and ")". */
#define WHO_MAX (48 + L2TP_NAME_MAX + 3)

static const char *
who(const struct l2tp_obs_tunnel *t, int s, char *buf, size_t len)
{
	char a[48];

	astr(&t->p[s].addr, a, sizeof(a));
	/* A long host name is cut: the caller's buffer is the limit. */
	if (t->p[s].host[0] &&
	    snprintf(buf, len, "%s (%s)", a, t->p[s].host) >= (int)len)
		buf[len - 1] = '\0';
	else if (!t->p[s].host[0])
		snprintf(buf, len, "%s", a);
	return buf;
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

/* Seconds since the capture's first frame. */
static void
at(struct l2tp_sink *s, const struct cli_an *a, uint64_t us)
{
	uint64_t r = us >= a->origin ? us - a->origin : 0;
	unsigned ms = (unsigned)(r % 1000000 / 1000);
	char f[6] = {'.',
	             (char)('0' + ms / 100),
	             (char)('0' + ms / 10 % 10),
	             (char)('0' + ms % 10),
	             ' ',
	             's'};

	l2tp_sink_u64(s, r / 1000000);
	l2tp_sink_write(s, f, sizeof(f));
}

static const char *const step_names[L2TP_OBS_S_COUNT] = {
    "SCCRQ", "SCCRP", "SCCCN", "established", "StopCCN", "StopCCN acked",
};

static const char *
verdict_word(const struct l2tp_obs_auth *au, size_t nsecrets, char *buf,
             size_t len)
{
	switch (au->verdict) {
	case L2TP_OBS_V_MATCH:
		snprintf(buf, len, "matches secret %d", au->secret + 1);
		break;
	case L2TP_OBS_V_NOMATCH:
		snprintf(buf, len, "matches none of %zu secret%s", nsecrets,
		         nsecrets == 1 ? "" : "s");
		break;
	case L2TP_OBS_V_NOSECRET:
		snprintf(buf, len, "not checked: no secret given (--secret S)");
		break;
	case L2TP_OBS_V_UNREADABLE:
		snprintf(buf, len,
		         "cannot be checked: the challenge or the "
		         "response is hidden and did not open, or not "
		         "16 bytes");
		break;
	case L2TP_OBS_V_UNANSWERED:
		snprintf(buf, len, "no response in the capture");
		break;
	case L2TP_OBS_V_NONE:
		snprintf(buf, len, "no challenge");
		break;
	}
	return buf;
}

static const char *
reached(const struct l2tp_obs_tunnel *t)
{
	if (t->scccn_refused)
		return "SCCCN refused by the responder (StopCCN)";
	if (t->step_frame[L2TP_OBS_S_ESTABLISHED])
		return "established";
	if (t->step_frame[L2TP_OBS_S_SCCCN])
		return "SCCCN sent, not acknowledged";
	if (t->step_frame[L2TP_OBS_S_SCCRP])
		return "SCCRP received, no SCCCN";
	if (t->step_frame[L2TP_OBS_S_SCCRQ])
		return "SCCRQ sent, never answered";
	return "not seen (the capture starts inside the tunnel)";
}

static void
text_handshake(struct l2tp_sink *s, const struct cli_an *a,
               const struct l2tp_obs_tunnel *t)
{
	uint64_t prev = 0;

	l2tp_sink_printf(s, "  Handshake: %s", reached(t));
	if (!t->seen_start) {
		l2tp_sink_putc(s, '\n');
		return;
	}
	l2tp_sink_puts(s, "\n    ");
	for (int i = 0; i <= L2TP_OBS_S_ESTABLISHED; i++) {
		if (t->step_frame[i] == 0)
			continue;
		l2tp_sink_printf(s, "%s%s at ", i ? ", " : "", step_names[i]);
		at(s, a, t->step_us[i]);
		if (prev) {
			l2tp_sink_puts(s, " (+");
			dur(s, t->step_us[i] - prev);
			l2tp_sink_putc(s, ')');
		}
		prev = t->step_us[i];
	}
	if (t->step_frame[L2TP_OBS_S_ESTABLISHED]) {
		l2tp_sink_puts(s, "; set up in ");
		dur(s, t->step_us[L2TP_OBS_S_ESTABLISHED] -
		           t->step_us[L2TP_OBS_S_SCCRQ]);
	}
	l2tp_sink_putc(s, '\n');
	if (t->crossed)
		l2tp_sink_printf(
		    s,
		    "    Crossed with tunnel %u: both ends sent an SCCRQ at "
		    "once; %s\n",
		    t->crossed,
		    t->tie == L2TP_OBS_TIE_WON
		        ? "this one won the tie break and goes on"
		    : t->tie == L2TP_OBS_TIE_LOST
		        ? "this one lost the tie break: its SCCRQ is to be "
		          "dropped"
		    : t->tie == L2TP_OBS_TIE_EQUAL
		        ? "equal tie breakers: both are to be dropped"
		        : "no tie breakers: both may go on");
}

/* After an authentication failure: which end holds which secret. */
static void
auth_blame(struct l2tp_sink *s, const struct cli_an *a,
           const struct l2tp_obs_tunnel *t)
{
	const struct l2tp_obs_auth *au = &t->auth[t->closer];
	char w[WHO_MAX], w2[WHO_MAX];

	if (t->result != 4 && !(t->result == 2 && t->error == 6 &&
	                        contains_ci(t->message, "challenge")))
		return;
	if (au->verdict == L2TP_OBS_V_MATCH)
		l2tp_sink_printf(
		    s,
		    "    The response %s sent is right for secret "
		    "%d: %s uses secret %d, so %s holds another "
		    "one.\n",
		    who(t, 1 - t->closer, w, sizeof(w)), au->secret + 1,
		    who(t, 1 - t->closer, w, sizeof(w)), au->secret + 1,
		    who(t, t->closer, w2, sizeof(w2)));
	else if (au->verdict == L2TP_OBS_V_NOMATCH)
		l2tp_sink_printf(s,
		                 "    The response %s sent matches none of the "
		                 "%zu secret%s given: its secret is not among "
		                 "them.\n",
		                 who(t, 1 - t->closer, w, sizeof(w)),
		                 a->o->nsecrets,
		                 a->o->nsecrets == 1 ? "" : "s");
	else if (au->verdict == L2TP_OBS_V_NOSECRET)
		l2tp_sink_puts(s, "    Give the candidate secrets (--secret S, "
		                  "repeated) to see which end holds which.\n");
}

static void
text_close(struct l2tp_sink *s, const struct cli_an *a,
           const struct l2tp_obs_tunnel *t)
{
	char w[WHO_MAX];
	const char *rt, *et, *check = "", *cause;
	int c = t->closer;

	if (c < 0) {
		l2tp_sink_printf(s, "  Not closed in the capture (last message "
		                    "at ");
		at(s, a, t->last_us);
		l2tp_sink_puts(s, ")\n");
		return;
	}
	rt = l2tp_stopccn_result_text(t->result);
	et = t->has_error ? l2tp_error_text(t->error) : NULL;
	l2tp_sink_printf(s, "  Closed by %s with StopCCN at ",
	                 who(t, c, w, sizeof(w)));
	at(s, a, t->step_us[L2TP_OBS_S_STOPCCN]);
	l2tp_sink_printf(s, " (frame %" PRIu64 "): result %u (%s)",
	                 t->step_frame[L2TP_OBS_S_STOPCCN], t->result,
	                 rt ? rt : "unknown");
	if (t->has_error)
		l2tp_sink_printf(s, ", error %u (%s)", t->error,
		                 et ? et : "unknown");
	if (t->message[0])
		l2tp_sink_printf(s, ", \"%s\"", t->message);
	l2tp_sink_printf(s, "; %s\n",
	                 t->step_frame[L2TP_OBS_S_STOP_ACKED]
	                     ? "acknowledged"
	                     : "never acknowledged");
	cause = cli_an_stop_cause(t->result, t->error, t->message, &check);
	if (t->gave_up && t->result == 1)
		cause = cli_an_stop_cause(1, 0, "timeout", &check);
	/* A check that ends in a question needs no full stop after it. */
	l2tp_sink_printf(
	    s, "    Likely cause: %s.\n    Check: %s%s\n", cause, check,
	    check[0] && check[strlen(check) - 1] == '?' ? "" : ".");
	auth_blame(s, a, t);
}

static void
text_auth(struct l2tp_sink *s, const struct cli_an *a,
          const struct l2tp_obs_tunnel *t)
{
	char w[WHO_MAX], v[128], nb[24];
	bool any = false;

	for (int side = 0; side < 2; side++) {
		const struct l2tp_obs_auth *au = &t->auth[side];

		if (au->verdict == L2TP_OBS_V_NONE)
			continue;
		any = true;
		if (au->resp_frame)
			l2tp_sink_printf(
			    s, "  Authentication: %s response from %s %s\n",
			    l2tp_msg_name(au->resp_msg, nb, sizeof(nb)),
			    who(t, 1 - side, w, sizeof(w)),
			    verdict_word(au, a->o->nsecrets, v, sizeof(v)));
		else
			l2tp_sink_printf(
			    s, "  Authentication: %s challenged in %s; %s\n",
			    who(t, side, w, sizeof(w)),
			    l2tp_msg_name(au->chal_msg, nb, sizeof(nb)),
			    verdict_word(au, a->o->nsecrets, v, sizeof(v)));
	}
	if (!any && t->seen_start)
		l2tp_sink_puts(s, "  Authentication: none (no Challenge)\n");
	if (t->hidden) {
		l2tp_sink_printf(
		    s, "  Hidden AVPs: %" PRIu64 ", %" PRIu64 " opened",
		    t->hidden, t->hidden_opened);
		for (int i = 0; i < 32; i++)
			if (t->hidden_secrets & (1u << i))
				l2tp_sink_printf(s, " (with secret %d)", i + 1);
		if (t->hidden_closed)
			l2tp_sink_printf(
			    s, ", %" PRIu64 " that %s", t->hidden_closed,
			    a->o->nsecrets ? "no secret given opens"
			                   : "need the secret (--secret S)");
		l2tp_sink_putc(s, '\n');
	}
}

static void
text_calls(struct l2tp_sink *s, const struct cli_an *a,
           const struct l2tp_obs_tunnel *t)
{
	char w[WHO_MAX];

	if (t->folded.calls)
		l2tp_sink_printf(s,
		                 "  Calls: %" PRIu64 " seen, %zu kept in full "
		                 "below (the live, the latest and the failed "
		                 "ones)\n",
		                 t->calls_total, t->ncalls);
	cli_an_fold_text(s, "    ", &t->folded);
	for (size_t i = 0; i < t->ncalls; i++) {
		const struct l2tp_obs_call *c = &t->calls[i];
		const char *check = "", *rt;

		if (c->from_data) {
			l2tp_sink_printf(
			    s,
			    "  Call %u: seen only in data messages "
			    "(its start is not in the capture), "
			    "session ids %u/%u, %" PRIu64 " data messages\n",
			    c->no, c->sid[0], c->sid[1],
			    c->data[0] + c->data[1]);
			cli_an_ppp_text(s, &a->ppp, t, c);
			continue;
		}
		l2tp_sink_printf(s,
		                 "  Call %u: %s, session ids %u/%u, serial "
		                 "%u, %s",
		                 c->no,
		                 c->type == L2TP_CALL_OUTGOING ? "outgoing"
		                                               : "incoming",
		                 c->sid[0], c->sid[1], c->serial,
		                 c->conn_us ? "connected" : "never connected");
		if (c->conn_us && c->req_us) {
			l2tp_sink_puts(s, " in ");
			dur(s, c->conn_us - c->req_us);
		}
		if (c->tx_speed)
			l2tp_sink_printf(s, " at %u bps", c->tx_speed);
		else if (c->conn_us)
			l2tp_sink_puts(s, " (no Tx Connect Speed readable)");
		if (c->data[0] + c->data[1])
			l2tp_sink_printf(s, ", %" PRIu64 " data messages",
			                 c->data[0] + c->data[1]);
		l2tp_sink_putc(s, '\n');
		if (c->closer < 0) {
			l2tp_sink_printf(
			    s, "    %s\n",
			    t->closer >= 0 ? "cleared with the tunnel (no CDN)"
			                   : "still up at the end of the "
			                     "capture");
			cli_an_ppp_text(s, &a->ppp, t, c);
			continue;
		}
		rt = l2tp_cdn_result_text(c->result);
		l2tp_sink_printf(s, "    cleared by %s with CDN at ",
		                 who(t, c->closer, w, sizeof(w)));
		at(s, a, c->cdn_us);
		l2tp_sink_printf(s, ": result %u (%s)", c->result,
		                 rt ? rt : "unknown");
		if (c->has_error)
			l2tp_sink_printf(s, ", error %u", c->error);
		if (c->message[0])
			l2tp_sink_printf(s, ", \"%s\"", c->message);
		rt = cli_an_cdn_cause(c->result, c->error, &check);
		l2tp_sink_printf(s, "; likely cause: %s; check: %s\n", rt,
		                 check);
		cli_an_ppp_text(s, &a->ppp, t, c);
	}
}

static void
intervals(struct l2tp_sink *s, const struct l2tp_obs_sent *e)
{
	unsigned n = e->sends < L2TP_OBS_SENDS ? e->sends : L2TP_OBS_SENDS;

	for (unsigned i = 1; i < n; i++) {
		uint64_t d = e->t_us[i] - e->t_us[i - 1];

		l2tp_sink_printf(s, "%s%" PRIu64 ".%01" PRIu64,
		                 i > 1 ? ", " : "", d / 1000000,
		                 d % 1000000 / 100000);
	}
}

static void
text_delivery(struct l2tp_sink *s, const struct cli_an *a,
              const struct l2tp_obs_tunnel *t)
{
	char w[WHO_MAX], w2[WHO_MAX], nb[24];

	for (int side = 0; side < 2; side++) {
		const struct l2tp_obs_peer *p = &t->p[side];

		l2tp_sink_printf(
		    s,
		    "  From %s: %" PRIu64 " messages, %" PRIu64
		    " ZLBs, %" PRIu64 " data; %" PRIu64
		    " retransmitted, %" PRIu64 " duplicates, %" PRIu64
		    " out of order, %" PRIu64 " Ns gaps",
		    who(t, side, w, sizeof(w)), p->msgs, p->zlbs, p->data,
		    p->retransmits, p->duplicates, p->out_of_order, p->gaps);
		if (p->acks) {
			l2tp_sink_printf(s, "; acknowledged after ");
			dur(s, p->ack_sum_us / p->acks);
			l2tp_sink_puts(s, " on average (max ");
			dur(s, p->ack_max_us);
			l2tp_sink_printf(s,
			                 "), %" PRIu64 " of %" PRIu64 " by ZLB",
			                 p->zlb_acks, p->acks);
		}
		l2tp_sink_putc(s, '\n');
		if (p->answer_port)
			l2tp_sink_printf(s,
			                 "    answered from UDP port %u, not "
			                 "the port the SCCRQ went to (allowed, "
			                 "§8.1)\n",
			                 p->port_now);
		if (p->hellos && p->hellos_timed == 0)
			l2tp_sink_printf(s,
			                 "    Hello: %" PRIu64 " sent, the "
			                 "first message seen from it (no "
			                 "interval to measure)\n",
			                 p->hellos);
		else if (p->hellos) {
			l2tp_sink_printf(s, "    Hello: %" PRIu64 " sent, ",
			                 p->hellos);
			dur(s, p->hello_idle_min_us);
			if (p->hello_idle_max_us - p->hello_idle_min_us >
			    1000000) {
				l2tp_sink_puts(s, " to ");
				dur(s, p->hello_idle_max_us);
			}
			l2tp_sink_printf(s,
			                 " after its own previous message "
			                 "(a Hello interval of about %" PRIu64
			                 " s); the other end had been silent "
			                 "for ",
			                 (p->hello_idle_min_us + 500000) /
			                     1000000);
			dur(s, p->hello_quiet_min_us);
			l2tp_sink_putc(s, '\n');
		}
	}
	for (int side = 0; side < 2; side++) {
		const struct l2tp_obs_peer *p = &t->p[side],
		                           *r = &t->p[1 - side];
		const struct l2tp_obs_sent *e = &p->noack;

		if (!p->unacked)
			continue;
		l2tp_sink_printf(s,
		                 "  Never acknowledged: %s Ns %u from %s, "
		                 "sent %u time%s",
		                 l2tp_msg_name(e->msg_type, nb, sizeof(nb)),
		                 e->ns, who(t, side, w, sizeof(w)), e->sends,
		                 e->sends == 1 ? "" : "s");
		if (e->sends > 1) {
			l2tp_sink_puts(s, " (retransmitted after ");
			intervals(s, e);
			l2tp_sink_puts(s, " s; RFC 2661 backs off 1, 2, 4, "
			                  "8 s)");
		}
		l2tp_sink_puts(s, " from ");
		at(s, a, e->t_us[0]);
		l2tp_sink_putc(s, '\n');
		if (side == 0 &&
		    (t->tie == L2TP_OBS_TIE_LOST ||
		     t->tie == L2TP_OBS_TIE_EQUAL) &&
		    r->msgs + r->zlbs == 0) {
			/* what §4.4.3 asks of the peer, not a fault */
			l2tp_sink_printf(s,
			                 "    %s dropped it, as it should: it "
			                 "lost the tie break with tunnel %u\n",
			                 who(t, 1 - side, w2, sizeof(w2)),
			                 t->crossed);
			continue;
		}
		if (r->msgs + r->zlbs == 0)
			l2tp_sink_printf(
			    s,
			    "    %s never answered at all: is the peer "
			    "running, listening on UDP %u and reachable "
			    "(firewall, routing, NAT)?\n",
			    who(t, 1 - side, w2, sizeof(w2)),
			    r->addr.port ? r->addr.port : 1701);
		else if (r->last_us < e->t_us[0]) {
			l2tp_sink_puts(s, "    the peer stopped answering at ");
			at(s, a, r->last_us);
			l2tp_sink_printf(
			    s,
			    " (its last message: %s, frame %" PRIu64
			    "): nothing came from %s after that\n",
			    l2tp_msg_name(r->last_type, nb, sizeof(nb)),
			    r->last_frame, who(t, 1 - side, w2, sizeof(w2)));
		}
		if (t->closer == side && t->gave_up) {
			l2tp_sink_printf(s,
			                 "    %s then gave up and closed the "
			                 "tunnel at ",
			                 who(t, side, w, sizeof(w)));
			at(s, a, t->step_us[L2TP_OBS_S_STOPCCN]);
			l2tp_sink_puts(s, " (what xl2tpd logs as \"Maximum "
			                  "retries exceeded for tunnel N\")\n");
		} else if (e->sends > 1 || r->msgs + r->zlbs == 0) {
			unsigned k =
			    (e->sends < L2TP_OBS_SENDS ? e->sends
			                               : L2TP_OBS_SENDS) -
			    1;
			uint64_t gap =
			    k ? e->t_us[k] - e->t_us[k - 1] : 1000000;

			/* silent for twice the last interval: it gave up */
			if (p->last_us + 2 * gap < a->t_end &&
			    p->last_us == e->t_us[k]) {
				l2tp_sink_printf(s,
				                 "    %s sent nothing more "
				                 "after ",
				                 who(t, side, w, sizeof(w)));
				at(s, a, p->last_us);
				l2tp_sink_puts(s, " (the capture runs to ");
				at(s, a, a->t_end);
				l2tp_sink_puts(s,
				               "): it reached its retry limit "
				               "and cleared the tunnel without "
				               "a StopCCN (xl2tpd: \"Maximum "
				               "retries exceeded for tunnel "
				               "N\")\n");
			} else {
				l2tp_sink_puts(s, "    the capture ends before "
				                  "the sender gave up, or its "
				                  "StopCCN was not captured\n");
			}
		}
	}
}

static void
text_findings(struct l2tp_sink *s, const struct cli_an *a,
              const struct l2tp_obs_tunnel *t)
{
	size_t kept;
	const struct l2tp_obs_finding *f;
	const char *sep = " (";

	if (t->nfind == 0) {
		l2tp_sink_puts(s, "  Findings: none\n");
		return;
	}
	l2tp_sink_printf(s, "  Findings: %" PRIu64, t->nfind);
	for (int c = 0; c < L2TP_OBS_C_COUNT; c++) {
		if (t->find_by_cat[c] == 0)
			continue;
		l2tp_sink_printf(s, "%s%" PRIu64 " %s", sep, t->find_by_cat[c],
		                 l2tp_obs_cat_name(c));
		sep = ", ";
	}
	l2tp_sink_puts(s, ")\n");
	for (size_t i = 0; (f = l2tp_obs_tunnel_finding(a->obs, t, i, &kept));
	     i++) {
		if (f->frame) {
			l2tp_sink_printf(s, "    frame %" PRIu64 " at ",
			                 f->frame);
			at(s, a, f->time_us);
			l2tp_sink_printf(s, " [%s] %s\n",
			                 l2tp_obs_cat_name(f->cat), f->what);
		} else {
			l2tp_sink_printf(s, "    end of capture [%s] %s\n",
			                 l2tp_obs_cat_name(f->cat), f->what);
		}
	}
	if (t->nfind > kept)
		l2tp_sink_printf(s, "    ... %" PRIu64 " more not kept\n",
		                 t->nfind - kept);
}

/* The label, note and mark of a history message for the ladder. */
static void
ladder_of(const struct l2tp_obs_tunnel *t, const struct l2tp_obs_msg *h,
          char *lab, size_t ll, char *note, size_t nl,
          enum cli_ladder_mark *mark)
{
	char nb[24];
	size_t n;

	snprintf(lab, ll, "%s %u/%u",
	         l2tp_msg_name(h->msg_type, nb, sizeof(nb)), h->ns, h->nr);
	l2tp_obs_msg_key(t, h, note, nl);
	n = strlen(note);
	*mark = h->msg_type == L2TP_MSG_ZLB ? CLI_LADDER_ZLB : CLI_LADDER_PLAIN;
	if (h->state >= 0 && n < nl) {
		n += (size_t)snprintf(note + n, nl - n, "%s-> %s", n ? " " : "",
		                      l2tp_tunnel_state_name(h->state));
		*mark = CLI_LADDER_STATE;
	}
	if ((h->flags & L2TP_OBS_H_RTX) && n < nl) {
		n += (size_t)snprintf(note + n, nl - n, "%s[retransmission %u]",
		                      n ? " " : "", h->sends);
		*mark = CLI_LADDER_RTX;
	}
	if ((h->flags & L2TP_OBS_H_DUP) && n < nl) {
		n += (size_t)snprintf(note + n, nl - n, "%s[duplicate]",
		                      n ? " " : "");
		*mark = CLI_LADDER_RTX;
	}
	if ((h->flags & L2TP_OBS_H_OOO) && n < nl)
		n += (size_t)snprintf(note + n, nl - n, "%s[out of order]",
		                      n ? " " : "");
	if ((h->flags & L2TP_OBS_H_GAP) && n < nl)
		n += (size_t)snprintf(note + n, nl - n, "%s[Ns gap before]",
		                      n ? " " : "");
	if ((h->flags & L2TP_OBS_H_NOACK) && n < nl) {
		n += (size_t)snprintf(note + n, nl - n, "%s[never acked]",
		                      n ? " " : "");
		*mark = CLI_LADDER_FINDING;
	}
	if ((h->flags & L2TP_OBS_H_FIND) && n < nl) {
		snprintf(note + n, nl - n, "%s[!#%" PRIu64 "]", n ? " " : "",
		         h->frame);
		*mark = CLI_LADDER_FINDING;
	}
}

void
cli_an_ladder(struct l2tp_sink *s, const struct cli_an *a,
              const struct l2tp_obs_tunnel *t, bool color, int width)
{
	struct cli_ladder l = {
	    .s = s,
	    .color = color,
	    .width = width,
	    .max_us = t->last_us > t->first_us ? t->last_us - t->first_us : 0};
	const struct l2tp_obs_msg *h;
	size_t kept, half = 0;
	uint64_t cut;
	char left[160], right[160], lab[48], note[160], ad[48];

	snprintf(left, sizeof(left), "%s:%u %s",
	         astr(&t->p[0].addr, ad, sizeof(ad)), t->p[0].addr.port,
	         t->p[0].host);
	snprintf(right, sizeof(right), "%s:%u %s",
	         astr(&t->p[1].addr, ad, sizeof(ad)), t->p[1].port_now,
	         t->p[1].host);
	l2tp_obs_history(a->obs, t, 0, &kept, &cut);
	if (cut)
		half = l2tp_obs_history_cut_at(a->obs);
	cli_ladder_head(&l, left, right);
	for (size_t i = 0; (h = l2tp_obs_history(a->obs, t, i, &kept, &cut));
	     i++) {
		struct cli_ladder_row r;

		if (cut && i == half) {
			snprintf(note, sizeof(note),
			         "... %" PRIu64 " messages not kept ...", cut);
			cli_ladder_text(&l, note);
		}
		ladder_of(t, h, lab, sizeof(lab), note, sizeof(note), &r.mark);
		/* From the tunnel's first message, as the report counts. */
		r.t_us =
		    h->time_us >= t->first_us ? h->time_us - t->first_us : 0;
		r.to_right = h->side == 0;
		r.label = lab;
		r.note = note;
		cli_ladder_row(&l, &r);
	}
}

/* Whether a tunnel needs its whole story told. */
static bool
troubled(const struct l2tp_obs_tunnel *t)
{
	return t->nfind > 0 || !t->seen_start ||
	       (t->step_frame[L2TP_OBS_S_ESTABLISHED] == 0 && t->closer >= 0) ||
	       t->step_frame[L2TP_OBS_S_SCCRP] == 0 || t->gave_up ||
	       t->p[0].unacked || t->p[1].unacked ||
	       (t->closer >= 0 && t->result != 1 && t->result != 6);
}

/* "127.0.0.1 (lns.lab)" without a format: the one-line report writes
 * one for each end of every tunnel. */
static void
put_who(struct l2tp_sink *s, const struct l2tp_obs_tunnel *t, int side)
{
	struct l2tp_ipaddr ip;

	memset(&ip, 0, sizeof(ip));
	ip.family = t->p[side].addr.family;
	memcpy(ip.a, t->p[side].addr.addr, 16);
	l2tp_sink_ipaddr(s, &ip);
	if (t->p[side].host[0]) {
		l2tp_sink_puts(s, " (");
		l2tp_sink_puts(s, t->p[side].host);
		l2tp_sink_putc(s, ')');
	}
}

/* One line for a tunnel that went well (thousands of them: no format). */
static void
text_line(struct l2tp_sink *s, const struct cli_an *a,
          const struct l2tp_obs_tunnel *t)
{
	l2tp_sink_puts(s, "Tunnel ");
	l2tp_sink_u64(s, t->no);
	l2tp_sink_puts(s, ": ");
	put_who(s, t, 0);
	l2tp_sink_puts(s, " -> ");
	put_who(s, t, 1);
	l2tp_sink_puts(s, ", ids ");
	l2tp_sink_u64(s, t->p[0].tid);
	l2tp_sink_putc(s, '/');
	l2tp_sink_u64(s, t->p[1].tid);
	l2tp_sink_puts(s, ", ");
	l2tp_sink_puts(s, reached(t));
	l2tp_sink_puts(s, ", ");
	l2tp_sink_u64(s, t->ncalls);
	l2tp_sink_puts(s, t->ncalls == 1 ? " call" : " calls");
	if (t->closer >= 0)
		l2tp_sink_puts(s, t->closer ? ", closed by the responder at "
		                            : ", closed by the initiator at ");
	else
		l2tp_sink_puts(s, ", up at ");
	at(s, a, t->closer >= 0 ? t->step_us[L2TP_OBS_S_STOPCCN] : t->last_us);
	l2tp_sink_putc(s, '\n');
}

static void
text_tunnel(struct l2tp_sink *s, const struct cli_an *a,
            const struct l2tp_obs_tunnel *t, bool color, int width, bool ladder)
{
	char w0[WHO_MAX], w1[WHO_MAX];

	l2tp_sink_printf(s, "Tunnel %u: %s -> %s, tunnel ids %u/%u\n", t->no,
	                 who(t, 0, w0, sizeof(w0)), who(t, 1, w1, sizeof(w1)),
	                 t->p[0].tid, t->p[1].tid);
	set_origin(a, t);
	l2tp_sink_printf(s, "  %s, frames %" PRIu64 "-%" PRIu64 ", from ",
	                 l2tp_tunnel_state_name(t->state), t->first_frame,
	                 t->last_frame);
	date_time(s, t->first_us);
	l2tp_sink_puts(s, " for ");
	at(s, a, t->last_us);
	l2tp_sink_puts(s, " (times below count from its first message)");
	for (int side = 0; side < 2; side++)
		if (t->p[side].vendor[0])
			l2tp_sink_printf(s, "; %s vendor \"%s\"",
			                 side ? "responder" : "initiator",
			                 t->p[side].vendor);
	l2tp_sink_putc(s, '\n');
	text_handshake(s, a, t);
	text_close(s, a, t);
	text_auth(s, a, t);
	text_calls(s, a, t);
	text_delivery(s, a, t);
	text_findings(s, a, t);
	if (ladder)
		cli_an_ladder(s, a, t, color, width);
	l2tp_sink_putc(s, '\n');
}

static void
text_mistakes(struct l2tp_sink *s, const struct cli_an *a)
{
	const struct an_port *best = NULL;

	for (size_t i = 0; i < AN_PORTS; i++)
		if (a->ports[i].n && (best == NULL || a->ports[i].n > best->n))
			best = &a->ports[i];
	if (best != NULL)
		l2tp_sink_printf(
		    s,
		    "%" PRIu64 " UDP datagram%s on other ports "
		    "look like L2TP control messages, most on port "
		    "%u: looks like L2TP on port %u; use --port %u\n",
		    a->other_l2tp, a->other_l2tp == 1 ? "" : "s", best->port,
		    best->port, best->port);
}

/* ---- JSON ---- */

static void
js(struct l2tp_sink *s, const char *str)
{
	l2tp_sink_json_str(s, str, strlen(str));
}

static void
js_addr(struct l2tp_sink *s, const struct l2tp_addr *ad)
{
	char b[48];

	js(s, astr(ad, b, sizeof(b)));
}

static void
js_time(struct l2tp_sink *s, const struct cli_an *a, uint64_t us)
{
	uint64_t r = us >= a->origin ? us - a->origin : 0;

	l2tp_sink_printf(s, "%" PRIu64 ".%06" PRIu64, r / 1000000, r % 1000000);
}

static const char *const tie_keys[] = {
    [L2TP_OBS_TIE_NONE] = "none",     [L2TP_OBS_TIE_WON] = "won",
    [L2TP_OBS_TIE_LOST] = "lost",     [L2TP_OBS_TIE_EQUAL] = "equal",
    [L2TP_OBS_TIE_ABSENT] = "absent",
};

static const char *const verdict_keys[] = {
    [L2TP_OBS_V_NONE] = "none",          [L2TP_OBS_V_UNANSWERED] = "unanswered",
    [L2TP_OBS_V_NOSECRET] = "no-secret", [L2TP_OBS_V_MATCH] = "match",
    [L2TP_OBS_V_NOMATCH] = "no-match",   [L2TP_OBS_V_UNREADABLE] = "unreadable",
};

static void
json_peer(struct l2tp_sink *s, const struct cli_an *a,
          const struct l2tp_obs_tunnel *t, int side)
{
	const struct l2tp_obs_peer *p = &t->p[side];
	char nb[24];

	l2tp_sink_puts(s, "{\"addr\":");
	js_addr(s, &p->addr);
	l2tp_sink_printf(s,
	                 ",\"port\":%u,\"port_now\":%u,\"tid\":%u,"
	                 "\"host\":",
	                 p->addr.port, p->port_now, p->tid);
	js(s, p->host);
	l2tp_sink_puts(s, ",\"vendor\":");
	js(s, p->vendor);
	l2tp_sink_printf(
	    s,
	    ",\"firmware\":%u,\"rx_window\":%u,\"messages\":%" PRIu64
	    ",\"zlbs\":%" PRIu64 ",\"data\":%" PRIu64
	    ",\"retransmits\":%" PRIu64 ",\"duplicates\":%" PRIu64
	    ",\"out_of_order\":%" PRIu64 ",\"ns_gaps\":%" PRIu64
	    ",\"bad_nr\":%" PRIu64 ",\"window_stalls\":%" PRIu64
	    ",\"hellos\":%" PRIu64 ",\"acks\":%" PRIu64 ",\"zlb_acks\":%" PRIu64
	    ",\"ack_avg_us\":%" PRIu64 ",\"ack_max_us\":%" PRIu64,
	    p->firmware, p->rx_window, p->msgs, p->zlbs, p->data,
	    p->retransmits, p->duplicates, p->out_of_order, p->gaps, p->bad_nr,
	    p->window_stalls, p->hellos, p->acks, p->zlb_acks,
	    p->acks ? p->ack_sum_us / p->acks : 0, p->ack_max_us);
	if (p->hellos)
		l2tp_sink_printf(s,
		                 ",\"hello_idle_min_us\":%" PRIu64
		                 ",\"hello_idle_max_us\":%" PRIu64,
		                 p->hello_idle_min_us, p->hello_idle_max_us);
	l2tp_sink_printf(s,
	                 ",\"answered_from_other_port\":%s,"
	                 "\"port_changed\":%s,\"last_seen\":",
	                 p->answer_port ? "true" : "false",
	                 p->port_changed ? "true" : "false");
	js_time(s, a, p->last_us);
	if (p->unacked) {
		const struct l2tp_obs_sent *e = &p->noack;
		unsigned n =
		    e->sends < L2TP_OBS_SENDS ? e->sends : L2TP_OBS_SENDS;

		l2tp_sink_puts(s, ",\"never_acked\":{\"message\":");
		js(s, l2tp_msg_name(e->msg_type, nb, sizeof(nb)));
		l2tp_sink_printf(s,
		                 ",\"ns\":%u,\"frame\":%" PRIu64
		                 ",\"sends\":%u,\"sent_at\":[",
		                 e->ns, e->frame, e->sends);
		for (unsigned i = 0; i < n; i++) {
			if (i)
				l2tp_sink_putc(s, ',');
			js_time(s, a, e->t_us[i]);
		}
		l2tp_sink_puts(s, "]}");
	}
	l2tp_sink_putc(s, '}');
}

void
cli_an_json_tunnel(struct l2tp_sink *s, const struct cli_an *a,
                   const struct l2tp_obs_tunnel *t)
{
	const struct l2tp_obs_finding *f;
	const struct l2tp_obs_msg *h;
	size_t kept;
	uint64_t cut;
	char nb[24];
	const char *check = "", *sep;

	set_origin(a, t);
	l2tp_sink_printf(
	    s,
	    "{\"no\":%u,\"start\":%" PRIu64 ".%06" PRIu64 ",\"state\":", t->no,
	    t->first_us / 1000000, t->first_us % 1000000);
	js(s, l2tp_tunnel_state_name(t->state));
	l2tp_sink_puts(s, ",\"handshake\":");
	js(s, reached(t));
	l2tp_sink_printf(s,
	                 ",\"seen_start\":%s,\"closed\":%s,\"first_frame\":"
	                 "%" PRIu64 ",\"last_frame\":%" PRIu64 ",\"peers\":[",
	                 t->seen_start ? "true" : "false",
	                 t->closed ? "true" : "false", t->first_frame,
	                 t->last_frame);
	json_peer(s, a, t, 0);
	l2tp_sink_putc(s, ',');
	json_peer(s, a, t, 1);
	l2tp_sink_puts(s, "],\"steps\":{");
	sep = "";
	for (int i = 0; i < L2TP_OBS_S_COUNT; i++) {
		if (t->step_frame[i] == 0)
			continue;
		l2tp_sink_printf(s, "%s", sep);
		js(s, step_names[i]);
		l2tp_sink_printf(
		    s, ":{\"frame\":%" PRIu64 ",\"time\":", t->step_frame[i]);
		js_time(s, a, t->step_us[i]);
		l2tp_sink_putc(s, '}');
		sep = ",";
	}
	l2tp_sink_puts(s, "},\"crossed\":");
	if (t->crossed)
		l2tp_sink_printf(s, "{\"tunnel\":%u,\"tie\":\"%s\"}",
		                 t->crossed, tie_keys[t->tie]);
	else
		l2tp_sink_puts(s, "null");
	l2tp_sink_puts(s, ",\"closed_by\":");
	if (t->closer < 0) {
		l2tp_sink_puts(s, "null");
	} else {
		const char *rt = l2tp_stopccn_result_text(t->result);
		const char *cause =
		    t->gave_up && t->result == 1
		        ? cli_an_stop_cause(1, 0, "timeout", &check)
		        : cli_an_stop_cause(t->result, t->error, t->message,
		                            &check);

		l2tp_sink_printf(s, "{\"side\":%d,\"addr\":", t->closer);
		js_addr(s, &t->p[t->closer].addr);
		l2tp_sink_printf(s,
		                 ",\"result\":%u,\"result_text\":", t->result);
		js(s, rt ? rt : "unknown");
		if (t->has_error) {
			const char *et = l2tp_error_text(t->error);

			l2tp_sink_printf(
			    s, ",\"error\":%u,\"error_text\":", t->error);
			js(s, et ? et : "unknown");
		}
		l2tp_sink_puts(s, ",\"message\":");
		js(s, t->message);
		l2tp_sink_puts(s, ",\"cause\":");
		js(s, cause);
		l2tp_sink_puts(s, ",\"check\":");
		js(s, check);
		l2tp_sink_printf(s, ",\"gave_up\":%s}",
		                 t->gave_up ? "true" : "false");
	}
	l2tp_sink_puts(s, ",\"auth\":[");
	sep = "";
	for (int side = 0; side < 2; side++) {
		const struct l2tp_obs_auth *au = &t->auth[side];

		if (au->verdict == L2TP_OBS_V_NONE)
			continue;
		l2tp_sink_printf(s, "%s{\"challenger\":", sep);
		js_addr(s, &t->p[side].addr);
		l2tp_sink_puts(s, ",\"challenge_in\":");
		js(s, l2tp_msg_name(au->chal_msg, nb, sizeof(nb)));
		l2tp_sink_puts(s, ",\"response_in\":");
		if (au->resp_frame)
			js(s, l2tp_msg_name(au->resp_msg, nb, sizeof(nb)));
		else
			l2tp_sink_puts(s, "null");
		l2tp_sink_puts(s, ",\"verdict\":");
		js(s, verdict_keys[au->verdict]);
		if (au->verdict == L2TP_OBS_V_MATCH)
			l2tp_sink_printf(s, ",\"secret\":%d", au->secret + 1);
		l2tp_sink_putc(s, '}');
		sep = ",";
	}
	l2tp_sink_printf(s,
	                 "],\"hidden\":{\"total\":%" PRIu64
	                 ",\"opened\":%" PRIu64 ",\"not_opened\":%" PRIu64
	                 "},\"calls\":[",
	                 t->hidden, t->hidden_opened, t->hidden_closed);
	for (size_t i = 0; i < t->ncalls; i++) {
		const struct l2tp_obs_call *c = &t->calls[i];

		l2tp_sink_printf(s,
		                 "%s{\"type\":\"%s\",\"sids\":[%u,%u],"
		                 "\"serial\":%u,\"state\":",
		                 i ? "," : "",
		                 c->type == L2TP_CALL_OUTGOING ? "outgoing"
		                                               : "incoming",
		                 c->sid[0], c->sid[1], c->serial);
		js(s, l2tp_session_state_name(c->state));
		l2tp_sink_printf(s,
		                 ",\"connected\":%s,\"tx_speed\":%u,"
		                 "\"data\":%" PRIu64 ",\"cleared_by\":%d",
		                 c->conn_us ? "true" : "false", c->tx_speed,
		                 c->data[0] + c->data[1], c->closer);
		if (c->closer >= 0) {
			l2tp_sink_printf(s,
			                 ",\"result\":%u,\"error\":%u,"
			                 "\"message\":",
			                 c->result, c->error);
			js(s, c->message);
			l2tp_sink_puts(s, ",\"cause\":");
			js(s, cli_an_cdn_cause(c->result, c->error, &check));
		}
		if (c->from_data)
			l2tp_sink_puts(s, ",\"from_data\":true");
		cli_an_ppp_json(s, &a->ppp, t, c);
		l2tp_sink_putc(s, '}');
	}
	l2tp_sink_putc(s, ']');
	if (t->folded.calls)
		l2tp_sink_printf(s, ",\"calls_total\":%" PRIu64,
		                 t->calls_total);
	cli_an_fold_json(s, "calls_folded", &t->folded);
	l2tp_sink_printf(s,
	                 ",\"findings_count\":%" PRIu64 ",\"findings_by_"
	                 "category\":{",
	                 t->nfind);
	sep = "";
	for (int c = 0; c < L2TP_OBS_C_COUNT; c++) {
		if (t->find_by_cat[c] == 0)
			continue;
		l2tp_sink_printf(s, "%s\"%s\":%" PRIu64, sep,
		                 l2tp_obs_cat_name(c), t->find_by_cat[c]);
		sep = ",";
	}
	l2tp_sink_puts(s, "},\"findings\":[");
	for (size_t i = 0; (f = l2tp_obs_tunnel_finding(a->obs, t, i, &kept));
	     i++) {
		l2tp_sink_printf(s, "%s{\"frame\":%" PRIu64 ",\"time\":",
		                 i ? "," : "", f->frame);
		js_time(s, a, f->time_us);
		l2tp_sink_printf(s,
		                 ",\"category\":\"%s\",\"side\":%d,\"what\":",
		                 l2tp_obs_cat_name(f->cat), f->side);
		js(s, f->what);
		l2tp_sink_putc(s, '}');
	}
	l2tp_obs_history(a->obs, t, 0, &kept, &cut);
	l2tp_sink_printf(s, "],\"history_cut\":%" PRIu64 ",\"history\":[", cut);
	for (size_t i = 0; (h = l2tp_obs_history(a->obs, t, i, &kept, &cut));
	     i++) {
		l2tp_sink_printf(s, "%s{\"frame\":%" PRIu64 ",\"time\":",
		                 i ? "," : "", h->frame);
		js_time(s, a, h->time_us);
		l2tp_sink_printf(s, ",\"from\":%u,\"message\":", h->side);
		js(s, l2tp_msg_name(h->msg_type, nb, sizeof(nb)));
		l2tp_sink_printf(s, ",\"ns\":%u,\"nr\":%u,\"key\":", h->ns,
		                 h->nr);
		{
			char key[160];

			l2tp_obs_msg_key(t, h, key, sizeof(key));
			js(s, key);
		}
		if (h->state >= 0) {
			l2tp_sink_puts(s, ",\"state\":");
			js(s, l2tp_tunnel_state_name(h->state));
		}
		l2tp_sink_printf(
		    s,
		    ",\"retransmission\":%s,\"duplicate\":%s,"
		    "\"out_of_order\":%s,\"never_acked\":%s,\"finding\":%s}",
		    h->flags & L2TP_OBS_H_RTX ? "true" : "false",
		    h->flags & L2TP_OBS_H_DUP ? "true" : "false",
		    h->flags & L2TP_OBS_H_OOO ? "true" : "false",
		    h->flags & L2TP_OBS_H_NOACK ? "true" : "false",
		    h->flags & L2TP_OBS_H_FIND ? "true" : "false");
	}
	l2tp_sink_puts(s, "]}");
}

static void
json_report(struct l2tp_sink *s, const struct cli_an *a)
{
	struct l2tp_obs_stats st;
	const struct l2tp_obs_tunnel *t;
	const struct l2tp_obs_finding *f;
	size_t kept;
	const struct an_port *best = NULL;

	l2tp_obs_stats(a->obs, &st);
	l2tp_sink_printf(
	    s,
	    "{\"analysis\":{\"tunnels\":%" PRIu64 ",\"calls\":%" PRIu64
	    ",\"control\":%" PRIu64 ",\"data\":%" PRIu64 ",\"orphans\":%" PRIu64
	    ",\"findings\":%" PRIu64,
	    st.tunnels, st.calls, st.control, st.data, st.orphans, st.findings);
	cli_an_fold_json(s, "folded", &st.folded);
	for (size_t i = 0; i < AN_PORTS; i++)
		if (a->ports[i].n && (best == NULL || a->ports[i].n > best->n))
			best = &a->ports[i];
	if (best)
		l2tp_sink_printf(s, ",\"l2tp_on_port\":%u", best->port);
	if (a->njumps)
		l2tp_sink_printf(s,
		                 ",\"clock_jump\":{\"frame\":%" PRIu64
		                 ",\"by_us\":%" PRId64 ",\"jumps\":%" PRIu64
		                 "}",
		                 a->jump_frame, a->jump_us, a->njumps);
	l2tp_sink_puts(s, ",\"orphan_findings\":[");
	for (size_t i = 0; (f = l2tp_obs_orphan_finding(a->obs, i, &kept));
	     i++) {
		l2tp_sink_printf(s,
		                 "%s{\"frame\":%" PRIu64 ",\"category\":\"%s\","
		                 "\"what\":",
		                 i ? "," : "", f->frame,
		                 l2tp_obs_cat_name(f->cat));
		js(s, f->what);
		l2tp_sink_putc(s, '}');
	}
	l2tp_sink_puts(s, "]},\"tunnels\":[");
	for (size_t i = 0; (t = l2tp_obs_tunnel(a->obs, i)); i++) {
		if (i)
			l2tp_sink_putc(s, ',');
		cli_an_json_tunnel(s, a, t);
	}
	l2tp_sink_puts(s, "]}\n");
}

/* The capture's clock jumping: a finding of the capture, not a tunnel's;
 * times above stay readable because each tunnel counts from its start. */
static void
text_clock(struct l2tp_sink *s, const struct cli_an *a)
{
	char w[48];
	int64_t d = a->jump_us;

	if (a->njumps == 0)
		return;
	jump_words(w, sizeof(w), (uint64_t)(d < 0 ? -d : d));
	l2tp_sink_printf(s,
	                 "Capture: the capture's clock jumps %s %s at frame "
	                 "%" PRIu64,
	                 d < 0 ? "back" : "forward", w, a->jump_frame);
	if (a->njumps > 1)
		l2tp_sink_printf(s, " (and %" PRIu64 " more time%s)",
		                 a->njumps - 1, a->njumps == 2 ? "" : "s");
	l2tp_sink_puts(s, ": the times of each tunnel count from its first "
	                  "message\n");
}

void
cli_an_report(struct cli_an *a, struct l2tp_sink *s, bool json, bool color,
              int width)
{
	const struct l2tp_obs_tunnel *t;
	const struct l2tp_obs_finding *f;
	struct l2tp_obs_stats st;
	size_t kept;

	l2tp_obs_finish(a->obs);
	if (json) {
		json_report(s, a);
		return;
	}
	l2tp_obs_stats(a->obs, &st);
	if (st.tunnels > AN_FULL) {
		uint64_t bad = 0;

		for (size_t i = 0; (t = l2tp_obs_tunnel(a->obs, i)); i++)
			bad += troubled(t);
		l2tp_sink_printf(
		    s,
		    "%" PRIu64 " tunnels: one line for each of the "
		    "%" PRIu64 " that went well, the whole story "
		    "of the %" PRIu64 " others; for ladders pick "
		    "tunnels with a filter ('host ADDR') or use "
		    "'display l2tp history tunnel ID ladder' after "
		    "'analyze FILE' in the shell\n",
		    st.tunnels, st.tunnels - bad, bad);
		if (st.folded.tunnels)
			l2tp_sink_printf(s,
			                 "(%" PRIu64 " of those that went well "
			                 "are only summed, at the end: memory "
			                 "follows live state)\n",
			                 st.folded.tunnels);
		l2tp_sink_putc(s, '\n');
	}
	for (size_t i = 0; (t = l2tp_obs_tunnel(a->obs, i)); i++) {
		if (st.tunnels <= AN_FULL)
			text_tunnel(s, a, t, color, width, true);
		else if (troubled(t))
			text_tunnel(s, a, t, color, width, false);
		else {
			set_origin(a,
			           NULL); /* one line each: from the capture */
			text_line(s, a, t);
		}
	}
	set_origin(a, NULL);
	text_clock(s, a);
	for (size_t i = 0; (f = l2tp_obs_orphan_finding(a->obs, i, &kept));
	     i++) {
		if (i == 0)
			l2tp_sink_printf(s,
			                 "Outside any tunnel: %" PRIu64
			                 " control messages\n",
			                 st.orphans);
		l2tp_sink_printf(s, "  frame %" PRIu64 " [%s] %s\n", f->frame,
		                 l2tp_obs_cat_name(f->cat), f->what);
	}
	cli_an_fold_text(s, "Summed: ", &st.folded);
	l2tp_sink_printf(s,
	                 "Analysis: %" PRIu64 " tunnel%s, %" PRIu64
	                 " call%s, %" PRIu64 " finding%s\n",
	                 st.tunnels, st.tunnels == 1 ? "" : "s", st.calls,
	                 st.calls == 1 ? "" : "s", st.findings,
	                 st.findings == 1 ? "" : "s");
	if (st.v3)
		l2tp_sink_printf(s,
		                 "%" PRIu64 " L2TPv3 message%s not analysed: "
		                 "the analysis follows L2TPv2 (RFC 2661)\n",
		                 st.v3, st.v3 == 1 ? "" : "s");
	text_mistakes(s, a);
}

int
cli_an_width(FILE *f)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");

	if (f != NULL && isatty(fileno(f)) &&
	    ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	if (c != NULL && atoi(c) >= 20)
		return atoi(c);
	return 80;
}
