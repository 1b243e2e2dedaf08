/* The PPP of calls in the shell: the `set ppp` settings filling the engine's
 * two PPP configs (subscriber, access server), `wait session-up`, `ping`
 * through a session (RFC 1661, RFC 1334, RFC 1994, RFC 1332, RFC 792). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "completion/cmdlang.h"
#include "cli/live.h"
#include "cli/live_int.h"
#include "cli/loop.h"
#include "cli/sh.h"
#include "engine/ppp.h"

#define PPP_USERS 16

/* One set of PPP settings for the shell's engines. */
static struct {
	bool init, off, proxy;
	struct l2tp_ppp_config sub, srv, lab;
	struct l2tp_ppp_user users[PPP_USERS], lab_users[PPP_USERS + 1];
	size_t nusers;
	/* Pools are never freed while the shell runs: a call may still
	 * hold an address of an old one (a few bytes per `set ppp pool`). */
	struct l2tp_ppp_pool *pool, *lab_pool;
} pp;

/* The last word of a session's PPP on why it is not up (the peer's
 * authentication failure message, its Terminate-Request, a retry limit),
 * for wait session-up once the call is gone. */
static struct {
	uint16_t sid;
	char text[200];
	uint16_t phase_sid; /* the session whose phase is kept */
	int phase;
} last_why;

/* The defaults: a subscriber asking for its address and DNS; a server
 * assigning from 10.201.1.0/24 (its own 10.201.1.1) without auth until
 * local users are set; the lab's server the same with DNS 10.201.1.53,
 * accepting whoever the subscriber is (and the local users). */
static void
init(void)
{
	uint8_t pfx[4] = {10, 201, 1, 0}, self[4] = {10, 201, 1, 1};

	if (pp.init)
		return;
	pp.init = true;
	l2tp_ppp_config_default(&pp.sub);
	l2tp_ppp_config_default(&pp.srv);
	pp.srv.role = L2TP_PPP_SERVER;
	pp.srv.auth = L2TP_PPP_AUTH_NONE;
	pp.pool = l2tp_ppp_pool_new(pfx, 24, self);
	pp.lab_pool = l2tp_ppp_pool_new(pfx, 24, self);
	pp.srv.pool = pp.pool;
	memcpy(pp.srv.local_addr, self, 4);
	pp.lab = pp.srv;
	pp.lab.pool = pp.lab_pool;
	memcpy(pp.lab.dns[0], (uint8_t[4]){10, 201, 1, 53}, 4);
}

bool
live_ppp_proxy(void)
{
	init();
	return pp.proxy;
}

/* Give engine e (the lab's when lab) the PPP settings: 0 or an error. */
int
live_ppp_apply(struct live *lv, struct l2tp_engine *e, bool lab)
{
	(void)lv;
	init();
	if (pp.off) {
		l2tp_engine_set_ppp(e, L2TP_ROLE_LAC, NULL);
		l2tp_engine_set_ppp(e, L2TP_ROLE_LNS, NULL);
		return 0;
	}
	if (lab) {
		size_t n = 0;

		for (size_t i = 0; i < pp.nusers; i++)
			pp.lab_users[n++] = pp.users[i];
		if (pp.sub.user[0]) {
			memset(&pp.lab_users[n], 0, sizeof(pp.lab_users[n]));
			memcpy(pp.lab_users[n].name, pp.sub.user,
			       sizeof(pp.sub.user));
			memcpy(pp.lab_users[n].password, pp.sub.password,
			       sizeof(pp.sub.password));
			n++;
		}
		pp.lab.users = pp.lab_users;
		pp.lab.nusers = n;
		pp.lab.auth = n ? L2TP_PPP_AUTH_ANY : L2TP_PPP_AUTH_NONE;
		pp.lab.echo_interval_ms = pp.sub.echo_interval_ms;
		pp.lab.echo_failures = pp.sub.echo_failures;
		return l2tp_engine_set_ppp(e, L2TP_ROLE_LNS, &pp.lab);
	}
	pp.srv.users = pp.users;
	pp.srv.nusers = pp.nusers;
	if (l2tp_engine_set_ppp(e, L2TP_ROLE_LAC, &pp.sub) < 0)
		return L2TP_E_INVAL;
	return l2tp_engine_set_ppp(e, L2TP_ROLE_LNS, &pp.srv);
}

static int
changed(struct sh *sh)
{
	int rc = live_settings_changed(sh_live(sh));

	if (rc < 0)
		return live_engine_error(sh, "set ppp", rc);
	return 0;
}

int
live_do_ppp_user(struct sh *sh, const struct cmd_parsed *p)
{
	init();
	snprintf(pp.sub.user, sizeof(pp.sub.user), "%s", cmd_str(p, "NAME"));
	snprintf(pp.sub.password, sizeof(pp.sub.password), "%s",
	         cmd_str(p, "password"));
	return changed(sh);
}

int
live_do_ppp_local_user(struct sh *sh, const struct cmd_parsed *p)
{
	const char *name = cmd_str(p, "NAME");
	size_t i;

	init();
	for (i = 0; i < pp.nusers; i++)
		if (strcmp(pp.users[i].name, name) == 0)
			break;
	if (i == PPP_USERS) {
		sh_error(sh, "set ppp local-user: %d users already (the most)",
		         PPP_USERS);
		return -1;
	}
	snprintf(pp.users[i].name, sizeof(pp.users[i].name), "%s", name);
	snprintf(pp.users[i].password, sizeof(pp.users[i].password), "%s",
	         cmd_str(p, "password"));
	if (i == pp.nusers)
		pp.nusers++;
	/* Local users mean the server authenticates (CHAP, then PAP). */
	if (pp.srv.auth == L2TP_PPP_AUTH_NONE)
		pp.srv.auth = L2TP_PPP_AUTH_ANY;
	return changed(sh);
}

int
live_do_ppp_auth(struct sh *sh, const struct cmd_parsed *p)
{
	const char *v = cmd_str(p, "POLICY");

	init();
	pp.srv.auth = strcmp(v, "pap") == 0    ? L2TP_PPP_AUTH_PAP
	              : strcmp(v, "chap") == 0 ? L2TP_PPP_AUTH_CHAP
	              : strcmp(v, "any") == 0  ? L2TP_PPP_AUTH_ANY
	                                       : L2TP_PPP_AUTH_NONE;
	if (pp.srv.auth != L2TP_PPP_AUTH_NONE && pp.nusers == 0) {
		sh_error(sh,
		         "set ppp auth %s: no local user to accept (set "
		         "ppp local-user NAME password PW first)",
		         v);
		pp.srv.auth = L2TP_PPP_AUTH_NONE;
		return -1;
	}
	return changed(sh);
}

int
live_do_ppp_pool(struct sh *sh, const struct cmd_parsed *p)
{
	const char *v = cmd_str(p, "PREFIX");
	char a[64];
	const char *slash = strchr(v, '/');
	uint8_t pfx[4];
	unsigned len;
	struct l2tp_ppp_pool *np;

	init();
	if (!slash || (size_t)(slash - v) >= sizeof(a) ||
	    sscanf(slash + 1, "%u", &len) != 1) {
		sh_error(sh, "set ppp pool %s: not A.B.C.D/LEN", v);
		return -1;
	}
	memcpy(a, v, (size_t)(slash - v));
	a[slash - v] = 0;
	if (inet_pton(AF_INET, a, pfx) != 1 || len < 16 || len > 30) {
		sh_error(sh, "set ppp pool %s: an IPv4 prefix of length 16..30",
		         v);
		return -1;
	}
	/* The server takes the first address for itself. */
	uint32_t n =
	    (uint32_t)pfx[0] << 24 | pfx[1] << 16 | pfx[2] << 8 | pfx[3];
	n = (n & ~((1u << (32 - len)) - 1)) + 1;
	uint8_t self[4] = {(uint8_t)(n >> 24), (uint8_t)(n >> 16),
	                   (uint8_t)(n >> 8), (uint8_t)n};

	if ((np = l2tp_ppp_pool_new(pfx, len, self)) == NULL) {
		sh_error(sh, "set ppp pool %s: not a pool", v);
		return -1;
	}
	pp.pool = np;
	pp.srv.pool = np;
	memcpy(pp.srv.local_addr, self, 4);
	return changed(sh);
}

int
live_do_ppp_dns(struct sh *sh, const struct cmd_parsed *p)
{
	const char *v = cmd_str(p, "ADDR");

	init();
	if (inet_pton(AF_INET, v, pp.srv.dns[0]) != 1) {
		sh_error(sh, "set ppp dns %s: an IPv4 address", v);
		return -1;
	}
	return changed(sh);
}

int
live_do_ppp_echo_interval(struct sh *sh, const struct cmd_parsed *p)
{
	init();
	pp.sub.echo_interval_ms = pp.srv.echo_interval_ms =
	    (uint32_t)cmd_num(p, "SEC", 10) * 1000;
	return changed(sh);
}

int
live_do_ppp_echo_failures(struct sh *sh, const struct cmd_parsed *p)
{
	init();
	pp.sub.echo_failures = pp.srv.echo_failures =
	    (uint8_t)cmd_num(p, "N", 5);
	return changed(sh);
}

int
live_do_ppp_state(struct sh *sh, const struct cmd_parsed *p)
{
	init();
	pp.off = strcmp(cmd_str(p, "on|off"), "off") == 0;
	return changed(sh);
}

int
live_do_ppp_proxy(struct sh *sh, const struct cmd_parsed *p)
{
	init();
	pp.proxy = strcmp(cmd_str(p, "on|off"), "on") == 0;
	return changed(sh);
}

/* ---- wait session-up ---- */

/* The session to wait on or ping through: the given one, else the only
 * (or newest) one. */
static int
pick_session(struct sh *sh, struct live *lv, const struct cmd_parsed *p,
             uint16_t *sid)
{
	uint16_t ids[1024];
	size_t n;

	if (cmd_has(p, "session")) {
		*sid = (uint16_t)cmd_num(p, "session", 0);
		return live_check_session(lv, *sid);
	}
	n = l2tp_engine_session_ids(lv->eng, 0, ids, 1024);
	if (n == 0) {
		sh_error(sh, "no session (call open makes one)");
		return -1;
	}
	*sid = ids[0];
	return 0;
}

static bool
ncp_up(const struct l2tp_ppp_info *pi)
{
	return pi->ipcp_state == L2TP_PPP_OPENED ||
	       pi->ipv6cp_state == L2TP_PPP_OPENED;
}

int
live_wait_session_up(struct sh *sh, const struct cmd_parsed *p, long timeout)
{
	struct live *lv = sh_live(sh);
	uint64_t end = live_now() + (uint64_t)timeout;
	uint16_t sid = 0;
	struct l2tp_ppp_info pi;
	struct l2tp_session_info si;

	/* The call may still be on its way: wait for one to exist. */
	while (!cmd_has(p, "session") &&
	       l2tp_engine_session_ids(lv->eng, 0, NULL, 0) == 0) {
		if (live_now() >= end || loop_pause(sh_loop(sh), 20) < 0) {
			sh_error(sh, "wait session-up: no session");
			return -1;
		}
	}
	if (pick_session(sh, lv, p, &sid) < 0)
		return -1;
	for (;;) {
		uint64_t t = live_now();

		if (l2tp_engine_session_info(lv->eng, sid, &si) < 0) {
			struct l2tp_session_info ended[16];
			size_t k =
			    l2tp_engine_ended_sessions(lv->eng, ended, 16);

			for (size_t i = 0; i < k && i < 16; i++)
				if (ended[i].local_id == sid) {
					bool w = last_why.sid == sid &&
					         last_why.text[0];

					/* l2tpns clears a call whose user
					 * RADIUS rejected without a CHAP
					 * Failure or PAP Nak: say where PPP
					 * was. */
					if (!w && last_why.phase_sid == sid &&
					    last_why.phase ==
					        L2TP_PPP_AUTHENTICATE) {
						w = true;
						snprintf(
						    last_why.text,
						    sizeof(last_why.text),
						    "cleared while "
						    "authenticating, no "
						    "verdict from the peer "
						    "(a rejected user?)");
					}

					sh_error(
					    sh,
					    "wait session-up: session %u "
					    "was cleared (result %u%s%s)%s%s",
					    sid, ended[i].last_result,
					    ended[i].last_message[0] ? ": "
					                             : "",
					    ended[i].last_message,
					    w ? "; PPP: " : "",
					    w ? last_why.text : "");
					return -1;
				}
			sh_error(sh, "wait session-up: session %u is gone",
			         sid);
			return -1;
		}
		if (l2tp_engine_session_ppp(lv->eng, sid, &pi) == 0 &&
		    ncp_up(&pi))
			return 0;
		if (si.state == L2TP_SS_ESTABLISHED &&
		    l2tp_engine_session_ppp(lv->eng, sid, &pi) < 0) {
			sh_error(sh,
			         "wait session-up: session %u carries no "
			         "PPP (set ppp off when it connected)",
			         sid);
			return -1;
		}
		if (t >= end) {
			const char *why = "the call is not connected";

			if (si.state == L2TP_SS_ESTABLISHED)
				why = l2tp_ppp_phase_name(pi.phase);
			sh_error(sh,
			         "wait session-up: timed out after %ld s "
			         "(session %u: %s%s%s)",
			         timeout / 1000, sid, why,
			         si.state == L2TP_SS_ESTABLISHED ? ", LCP "
			                                         : "",
			         si.state == L2TP_SS_ESTABLISHED
			             ? l2tp_ppp_state_name(pi.lcp_state)
			             : "");
			return -1;
		}
		if (loop_pause(sh_loop(sh),
		               (long)(end - t < 20 ? end - t : 20)) < 0) {
			sh_error(sh, "wait interrupted");
			return -1;
		}
	}
}

/* ---- ping ---- */

/* The standard deviation of ping(8)'s mdev, without libm. */
static double
root(double x)
{
	double r = x > 1 ? x : 1;

	if (x <= 0)
		return 0;
	for (int i = 0; i < 60; i++)
		r = (r + x / r) / 2;
	return r;
}

static struct {
	bool on;
	uint16_t sid;
	unsigned received;
	double min, max, sum, sum2;
	bool json;
	FILE *f;
	const char *dst;
} pg;

/* Every event of the engine passes here: the ping replies are counted,
 * PPP's reasons kept. */
void
live_ppp_event(struct live *lv, const struct l2tp_event *ev)
{
	(void)lv;
	/* Where the session's PPP got: LCP opened with an authentication
	 * protocol and no verdict yet counts as authenticating. */
	if (ev->kind == L2TP_EV_PPP && ev->ppp_kind == L2TP_PPP_EV_PHASE) {
		/* The lower layer going (the CDN) walks PPP back to Dead:
		 * keep where it was stuck. */
		if (last_why.phase_sid != ev->session ||
		    last_why.phase != L2TP_PPP_AUTHENTICATE ||
		    ev->state == L2TP_PPP_NETWORK) {
			last_why.phase_sid = ev->session;
			last_why.phase = ev->state;
		}
	}
	if (ev->kind == L2TP_EV_PPP && ev->ppp_kind == L2TP_PPP_EV_UP &&
	    ev->proto == 0xc021 && strstr(ev->text, "auth ") &&
	    !strstr(ev->text, "auth none")) {
		last_why.phase_sid = ev->session;
		last_why.phase = L2TP_PPP_AUTHENTICATE;
	}
	if (ev->kind == L2TP_EV_PPP && ev->ppp_kind == L2TP_PPP_EV_AUTH &&
	    ev->ok && last_why.phase_sid == ev->session)
		last_why.phase = L2TP_PPP_NETWORK;
	if (ev->kind == L2TP_EV_PPP &&
	    ((ev->ppp_kind == L2TP_PPP_EV_AUTH && !ev->ok) ||
	     ev->ppp_kind == L2TP_PPP_EV_TERMINATE ||
	     ev->ppp_kind == L2TP_PPP_EV_GIVE_UP)) {
		const char *t = strchr(ev->text, ':');

		last_why.sid = ev->session;
		snprintf(last_why.text, sizeof(last_why.text), "%s",
		         t ? t + 2 : ev->text);
	}
	if (!pg.on || ev->kind != L2TP_EV_PPP ||
	    ev->ppp_kind != L2TP_PPP_EV_PING || ev->session != pg.sid)
		return;
	double ms = ev->rtt_ms;

	if (pg.received == 0 || ms < pg.min)
		pg.min = ms;
	if (pg.received == 0 || ms > pg.max)
		pg.max = ms;
	pg.sum += ms;
	pg.sum2 += ms * ms;
	pg.received++;
	if (!pg.json)
		fprintf(pg.f,
		        "%zu bytes from %s: icmp_seq=%u ttl=%u time=%u ms\n",
		        ev->bytes, pg.dst, ev->seq, ev->ttl, ev->rtt_ms);
}

int
live_do_ping(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	const char *dst = cmd_str(p, "ADDR");
	uint8_t a[16];
	uint8_t fam = strchr(dst, ':') ? 6 : 4;
	long count = cmd_num(p, "count", 4), size = cmd_num(p, "size", 56);
	long interval = cmd_num(p, "interval", 1000);
	bool df = cmd_has(p, "df");
	uint16_t sid, seq;
	long sent = 0;
	const char *why;
	int rc = 0;

	if (inet_pton(fam == 6 ? AF_INET6 : AF_INET, dst, a) != 1) {
		sh_error(sh, "ping %s: not an address", dst);
		return -1;
	}
	if (pick_session(sh, lv, p, &sid) < 0)
		return -1;
	if ((why = l2tp_engine_ping_why(lv->eng, sid, fam)) != NULL) {
		sh_error(sh, "ping: session %u cannot ping: %s", sid, why);
		return -1;
	}
	memset(&pg, 0, sizeof(pg));
	pg.on = true;
	pg.sid = sid;
	pg.f = sh_out(sh);
	pg.dst = dst;
	pg.json = sh_json(sh, p);
	if (!pg.json)
		fprintf(pg.f, "PING %s through session %u: %ld data bytes\n",
		        dst, sid, size);
	for (sent = 0; sent < count; sent++) {
		rc = l2tp_engine_ping(lv->eng, sid, fam, a, (size_t)size, df,
		                      live_now(), &seq);
		if (rc < 0) {
			live_engine_error(sh, "ping", rc);
			break;
		}
		live_drain(lv);
		/* The last waits for its reply as long as an interval (at
		 * least a second), as ping(8) waits before its summary. */
		if (loop_pause(sh_loop(sh),
		               sent + 1 < count
		                   ? interval
		                   : (interval > 1000 ? interval : 1000)) < 0) {
			sent++;
			break; /* Ctrl-C: the summary still comes */
		}
	}
	pg.on = false;
	double avg = pg.received ? pg.sum / pg.received : 0;
	double var = pg.received ? pg.sum2 / pg.received - avg * avg : 0;
	double loss =
	    sent ? 100.0 * (double)(sent - (long)pg.received) / (double)sent
	         : 0;

	if (pg.json) {
		fprintf(
		    pg.f,
		    "{\"destination\":\"%s\",\"session\":%u,\"transmitted\":"
		    "%ld,\"received\":%u,\"loss_percent\":%.1f,\"rtt_ms\":{"
		    "\"min\":%.3f,\"avg\":%.3f,\"max\":%.3f,\"mdev\":%.3f}}\n",
		    dst, sid, sent, pg.received, loss, pg.min, avg, pg.max,
		    root(var));
	} else {
		fprintf(pg.f, "\n--- %s ping statistics (session %u) ---\n",
		        dst, sid);
		fprintf(pg.f,
		        "%ld packets transmitted, %u received, %.0f%% packet "
		        "loss\n",
		        sent, pg.received, loss);
		if (pg.received)
			fprintf(
			    pg.f,
			    "rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms\n",
			    pg.min, avg, pg.max, root(var));
	}
	return rc < 0 || pg.received == 0 ? -1 : 0;
}
