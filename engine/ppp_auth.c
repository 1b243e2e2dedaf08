/* Authentication in the Authenticate phase, both ways: PAP (RFC 1334 §2) and
 * CHAP with MD5 (RFC 1994), as the peer authenticated and as the
 * authenticator checking a local users list. */
#include <stdio.h>
#include <string.h>

#include "decoder/l2tp.h"
#include "engine/ppp_int.h"

static uint64_t
wait_ms(const struct l2tp_ppp_link *p)
{
	return (uint64_t)p->cfg->restart_ms * p->cfg->max_configure;
}

static bool
eq_secret(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	uint8_t d = alen != blen;
	size_t n = alen < blen ? alen : blen;

	/* No early exit on the first differing byte. */
	for (size_t i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

static const struct l2tp_ppp_user *
find_user(const struct l2tp_ppp_link *p, struct l2tp_bytes name)
{
	for (size_t i = 0; i < p->cfg->nusers; i++) {
		const struct l2tp_ppp_user *u = &p->cfg->users[i];

		if (strlen(u->name) == name.len &&
		    memcmp(u->name, name.p, name.len) == 0)
			return u;
	}
	return NULL;
}

static void
set_text(char *dst, size_t cap, struct l2tp_bytes b)
{
	struct l2tp_bytes t = b;

	ppp_bytes_text(t, dst, cap);
}

static void auth_event(struct l2tp_ppp_link *p, uint16_t proto, int code,
                       bool ok, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
auth_event(struct l2tp_ppp_link *p, uint16_t proto, int code, bool ok,
           const char *fmt, ...)
{
	struct l2tp_ppp_event ev;
	char text[160];
	va_list ap;

	if (!ppp_wants(p, L2TP_PPP_EV_AUTH))
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	memset(&ev, 0, sizeof(ev));
	ev.kind = L2TP_PPP_EV_AUTH;
	ev.proto = proto;
	ev.code = code;
	ev.state = -1;
	ev.ok = ok;
	ppp_emitv(p, &ev, "%s", text);
}

static void
check_done(struct l2tp_ppp_link *p)
{
	int l = p->au_l.info.result, r = p->au_p.info.result;

	if (p->phase != L2TP_PPP_AUTHENTICATE)
		return;
	if ((l == L2TP_PPP_AUTH_R_NONE || l == L2TP_PPP_AUTH_R_SUCCESS) &&
	    (r == L2TP_PPP_AUTH_R_NONE || r == L2TP_PPP_AUTH_R_SUCCESS))
		ppp_network_up(p);
}

static void
send_pap_request(struct l2tp_ppp_link *p)
{
	uint8_t buf[4 + 2 + 2 * L2TP_PPP_NAME_MAX];
	struct l2tp_ppp_wr w;
	int n;

	p->au_l.tries++;
	p->au_l.timer_at = p->now + p->cfg->restart_ms;
	l2tp_ppp_build_init(&w, buf, sizeof(buf));
	l2tp_ppp_build_cp(&w, 1, ++p->au_l.id);
	l2tp_ppp_build_counted(&w, p->cfg->user, strlen(p->cfg->user));
	l2tp_ppp_build_counted(&w, p->cfg->password, strlen(p->cfg->password));
	n = l2tp_ppp_build_end(&w);
	if (n > 0)
		ppp_send(p, L2TP_PPP_PAP, buf, (size_t)n);
}

static const char *
our_name(const struct l2tp_ppp_link *p)
{
	return p->cfg->user[0] ? p->cfg->user : "l2tpsh";
}

static void
send_challenge(struct l2tp_ppp_link *p)
{
	uint8_t buf[4 + 1 + PPP_CHAL_LEN + L2TP_PPP_NAME_MAX];
	struct l2tp_ppp_wr w;
	int n;

	p->au_p.tries++;
	p->au_p.timer_at = p->now + p->cfg->restart_ms;
	l2tp_ppp_build_init(&w, buf, sizeof(buf));
	l2tp_ppp_build_cp(&w, 1, p->au_p.id);
	l2tp_ppp_build_counted(&w, p->chal, sizeof(p->chal));
	l2tp_ppp_build_bytes(&w, our_name(p), strlen(our_name(p)));
	n = l2tp_ppp_build_end(&w);
	if (n > 0)
		ppp_send(p, L2TP_PPP_CHAP, buf, (size_t)n);
}

static void
reply_msg(struct l2tp_ppp_link *p, uint16_t proto, uint8_t code, uint8_t id,
          const char *msg)
{
	uint8_t buf[4 + 1 + L2TP_PPP_NAME_MAX];
	struct l2tp_ppp_wr w;
	int n;

	l2tp_ppp_build_init(&w, buf, sizeof(buf));
	l2tp_ppp_build_cp(&w, code, id);
	if (proto == L2TP_PPP_PAP)
		l2tp_ppp_build_counted(&w, msg, strlen(msg));
	else
		l2tp_ppp_build_bytes(&w, msg, strlen(msg));
	n = l2tp_ppp_build_end(&w);
	if (n > 0)
		ppp_send(p, proto, buf, (size_t)n);
}

static void
init_dir(struct ppp_auth *a, uint16_t proto, uint8_t alg)
{
	memset(&a->info, 0, sizeof(a->info));
	a->info.protocol = proto;
	a->info.algorithm = alg;
	a->info.result = proto ? L2TP_PPP_AUTH_R_PENDING : L2TP_PPP_AUTH_R_NONE;
	a->tries = 0;
	a->timer_at = PPP_NEVER;
}

void
ppp_auth_start(struct l2tp_ppp_link *p)
{
	init_dir(&p->au_l, p->peer_auth, p->peer_auth_alg);
	init_dir(&p->au_p, p->a_auth, p->a_auth_alg);
	if (p->au_l.info.protocol) {
		snprintf(p->au_l.info.user, sizeof(p->au_l.info.user), "%s",
		         p->cfg->user);
		if (p->au_l.info.protocol == L2TP_PPP_PAP)
			send_pap_request(p);
		else
			p->au_l.timer_at = p->now + wait_ms(p);
	}
	if (p->au_p.info.protocol == L2TP_PPP_CHAP) {
		uint8_t id;

		if (ppp_random(p, p->chal, sizeof(p->chal)) < 0 ||
		    ppp_random(p, &id, 1) < 0) {
			ppp_lcp_close(p, "the random source failed");
			return;
		}
		p->au_p.id = id;
		send_challenge(p);
	} else if (p->au_p.info.protocol == L2TP_PPP_PAP) {
		p->au_p.timer_at = p->now + wait_ms(p);
	}
	check_done(p);
}

void
ppp_auth_stop(struct l2tp_ppp_link *p)
{
	p->au_l.timer_at = PPP_NEVER;
	p->au_p.timer_at = PPP_NEVER;
}

static void fail(struct l2tp_ppp_link *p, struct ppp_auth *a, const char *fmt,
                 ...) __attribute__((format(printf, 3, 4)));

static void
fail(struct l2tp_ppp_link *p, struct ppp_auth *a, const char *fmt, ...)
{
	char text[L2TP_PPP_NAME_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	a->info.result = L2TP_PPP_AUTH_R_FAILURE;
	a->timer_at = PPP_NEVER;
	ppp_emit(p, L2TP_PPP_EV_GIVE_UP, a->info.protocol, -1, "%s", text);
	ppp_lcp_close(p, "%s", text);
}

void
ppp_auth_timer(struct l2tp_ppp_link *p)
{
	if (p->au_l.timer_at <= p->now) {
		struct ppp_auth *a = &p->au_l;

		a->timer_at = PPP_NEVER;
		if (a->info.protocol == L2TP_PPP_PAP &&
		    a->tries < p->cfg->max_configure)
			send_pap_request(p);
		else if (a->info.protocol == L2TP_PPP_PAP)
			fail(p, a, "no answer to %u PAP Authenticate-Requests",
			     a->tries);
		else if (a->info.result == L2TP_PPP_AUTH_R_PENDING)
			fail(p, a,
			     "no CHAP Challenge or verdict from the peer "
			     "in %u s",
			     (unsigned)(wait_ms(p) / 1000));
	}
	if (p->au_p.timer_at <= p->now) {
		struct ppp_auth *a = &p->au_p;

		a->timer_at = PPP_NEVER;
		if (a->info.protocol == L2TP_PPP_CHAP &&
		    a->tries < p->cfg->max_configure)
			send_challenge(p);
		else if (a->info.protocol == L2TP_PPP_CHAP)
			fail(p, a, "no answer to %u CHAP Challenges", a->tries);
		else
			fail(p, a,
			     "no PAP Authenticate-Request from the peer "
			     "in %u s",
			     (unsigned)(wait_ms(p) / 1000));
	}
}

static void
bad(struct l2tp_ppp_link *p, uint16_t proto, const struct l2tp_ppp_cp *cp,
    const char *why)
{
	const char *cn = l2tp_ppp_code_name(proto, cp->code);

	p->bad_in++;
	ppp_emit(p, L2TP_PPP_EV_BAD, proto, cp->code,
	         "%s %s id %u discarded: %s", ppp_auth_name(proto),
	         cn ? cn : "packet", cp->id, why);
}

/* Authenticator: a verdict on user `name`, sent with its message. */
static void
verdict(struct l2tp_ppp_link *p, uint16_t proto, uint8_t id,
        struct l2tp_bytes name, bool ok)
{
	struct ppp_auth *a = &p->au_p;
	const char *pn = ppp_auth_name(proto);

	set_text(a->info.user, sizeof(a->info.user), name);
	if (ok)
		snprintf(a->info.message, sizeof(a->info.message),
		         "welcome %.55s", a->info.user);
	else
		snprintf(a->info.message, sizeof(a->info.message),
		         "authentication failed");
	reply_msg(p, proto, proto == L2TP_PPP_PAP ? (ok ? 2 : 3) : (ok ? 3 : 4),
	          id, a->info.message);
	a->timer_at = PPP_NEVER;
	if (ok) {
		bool again = a->info.result == L2TP_PPP_AUTH_R_SUCCESS;

		a->info.result = L2TP_PPP_AUTH_R_SUCCESS;
		if (!again)
			auth_event(p, proto, proto == L2TP_PPP_PAP ? 2 : 3,
			           true, "%s: %s authenticated (\"%s\")", pn,
			           a->info.user, a->info.message);
		check_done(p);
		return;
	}
	a->info.result = L2TP_PPP_AUTH_R_FAILURE;
	auth_event(p, proto, proto == L2TP_PPP_PAP ? 3 : 4, false,
	           "%s: %s rejected (\"%s\")", pn, a->info.user,
	           a->info.message);
	ppp_lcp_close(p, "%s authentication of %s failed", pn, a->info.user);
}

/* Authenticatee: the peer's verdict with its message. */
static void
told(struct l2tp_ppp_link *p, uint16_t proto, bool ok, struct l2tp_bytes msg)
{
	struct ppp_auth *a = &p->au_l;
	const char *pn = ppp_auth_name(proto);
	bool again = a->info.result == L2TP_PPP_AUTH_R_SUCCESS;

	set_text(a->info.message, sizeof(a->info.message), msg);
	a->timer_at = PPP_NEVER;
	a->info.result = ok ? L2TP_PPP_AUTH_R_SUCCESS : L2TP_PPP_AUTH_R_FAILURE;
	if (!(ok && again))
		auth_event(p, proto, -1, ok, "%s %s%s%s", pn,
		           ok ? "success" : "failure",
		           a->info.message[0] ? ": " : "", a->info.message);
	if (ok) {
		check_done(p);
		return;
	}
	ppp_lcp_close(p, "%s authentication failed%s%s", pn,
	              a->info.message[0] ? ": " : "", a->info.message);
}

static void
pap_input(struct l2tp_ppp_link *p, const struct l2tp_ppp_cp *cp)
{
	struct l2tp_bytes name, pw, msg;
	const struct l2tp_ppp_user *u;

	if (cp->code < 1 || cp->code > 3) {
		bad(p, L2TP_PPP_PAP, cp, "unknown code");
		return;
	}
	if (l2tp_ppp_read_pap(cp, &name, &pw, &msg) < 0) {
		bad(p, L2TP_PPP_PAP, cp, "a field runs past Length");
		return;
	}
	if (cp->code == 1) {
		if (p->au_p.info.protocol != L2TP_PPP_PAP ||
		    p->au_p.info.result == L2TP_PPP_AUTH_R_FAILURE) {
			bad(p, L2TP_PPP_PAP, cp, "we did not ask for PAP");
			return;
		}
		u = find_user(p, name);
		verdict(p, L2TP_PPP_PAP, cp->id, name,
		        u && eq_secret((const uint8_t *)u->password,
		                       strlen(u->password), pw.p, pw.len));
		return;
	}
	if (p->au_l.info.protocol != L2TP_PPP_PAP) {
		bad(p, L2TP_PPP_PAP, cp, "the peer did not ask for PAP");
		return;
	}
	if (cp->id != p->au_l.id) {
		bad(p, L2TP_PPP_PAP, cp, "it answers no request of ours");
		return;
	}
	told(p, L2TP_PPP_PAP, cp->code == 2, msg);
}

static void
chap_input(struct l2tp_ppp_link *p, const struct l2tp_ppp_cp *cp)
{
	struct l2tp_bytes val, name, msg;
	const struct l2tp_ppp_user *u;
	uint8_t md[16];

	if (cp->code < 1 || cp->code > 4) {
		bad(p, L2TP_PPP_CHAP, cp, "unknown code");
		return;
	}
	if (l2tp_ppp_read_chap(cp, &val, &name, &msg) < 0) {
		bad(p, L2TP_PPP_CHAP, cp, "a field runs past Length");
		return;
	}
	switch (cp->code) {
	case 1: {
		uint8_t buf[4 + 1 + 16 + L2TP_PPP_NAME_MAX];
		struct l2tp_ppp_wr w;
		int n;

		if (p->au_l.info.protocol != L2TP_PPP_CHAP) {
			bad(p, L2TP_PPP_CHAP, cp,
			    "the peer did not ask for CHAP");
			return;
		}
		if (val.len == 0) {
			bad(p, L2TP_PPP_CHAP, cp, "empty challenge");
			return;
		}
		/* Also a re-challenge in the network phase (RFC 1994 §2). */
		p->au_l.id = cp->id;
		l2tp_chap_response(cp->id, (const uint8_t *)p->cfg->password,
		                   strlen(p->cfg->password), val.p, val.len,
		                   md);
		l2tp_ppp_build_init(&w, buf, sizeof(buf));
		l2tp_ppp_build_cp(&w, 2, cp->id);
		l2tp_ppp_build_counted(&w, md, 16);
		l2tp_ppp_build_bytes(&w, p->cfg->user, strlen(p->cfg->user));
		n = l2tp_ppp_build_end(&w);
		if (n > 0)
			ppp_send(p, L2TP_PPP_CHAP, buf, (size_t)n);
		if (p->au_l.info.result != L2TP_PPP_AUTH_R_SUCCESS)
			p->au_l.timer_at = p->now + wait_ms(p);
		return;
	}
	case 2:
		if (p->au_p.info.protocol != L2TP_PPP_CHAP ||
		    p->au_p.info.result == L2TP_PPP_AUTH_R_FAILURE) {
			bad(p, L2TP_PPP_CHAP, cp, "we did not ask for CHAP");
			return;
		}
		if (cp->id != p->au_p.id) {
			bad(p, L2TP_PPP_CHAP, cp,
			    "its Identifier is not our Challenge's");
			return;
		}
		if (val.len != 16) {
			bad(p, L2TP_PPP_CHAP, cp, "MD5 response not 16 bytes");
			return;
		}
		u = find_user(p, name);
		if (u)
			l2tp_chap_response(cp->id, (const uint8_t *)u->password,
			                   strlen(u->password), p->chal,
			                   sizeof(p->chal), md);
		verdict(p, L2TP_PPP_CHAP, cp->id, name,
		        u && eq_secret(md, 16, val.p, val.len));
		return;
	default:
		if (p->au_l.info.protocol != L2TP_PPP_CHAP) {
			bad(p, L2TP_PPP_CHAP, cp,
			    "the peer did not ask for CHAP");
			return;
		}
		if (cp->id != p->au_l.id) {
			bad(p, L2TP_PPP_CHAP, cp,
			    "it answers no Response of ours");
			return;
		}
		told(p, L2TP_PPP_CHAP, cp->code == 3, msg);
		return;
	}
}

void
ppp_auth_input(struct l2tp_ppp_link *p, uint16_t proto,
               const struct l2tp_ppp_cp *cp)
{
	const char *cn = l2tp_ppp_code_name(proto, cp->code);

	p->ctl_in++;
	ppp_emit(p, L2TP_PPP_EV_PACKET_IN, proto, cp->code,
	         "%s %s id %u len %u", ppp_auth_name(proto), cn ? cn : "code",
	         cp->id, cp->length);
	if (proto == L2TP_PPP_PAP)
		pap_input(p, cp);
	else
		chap_input(p, cp);
}
