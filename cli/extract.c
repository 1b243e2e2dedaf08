/* --tunnel ID / --session ID: which messages of a capture are one tunnel or
 * one session (RFC 2661 §3.1: the header carries the receiver's ids; §4.4.3
 * Assigned Tunnel ID in SCCRQ/SCCRP, Assigned Session ID in ICRQ/ICRP/OCRQ/
 * OCRP name the sender's). */
#include "cli/extract.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/proto.h"

#define SEL_LIST 8 /* ids named in the "unknown id" error */

/* A tunnel: end A (address, its id) and end B; id 0 when not yet known.
 * A family-0 address matches any (an id only seen in headers). */
struct sel_tun {
	struct l2tp_ipaddr A, B;
	uint16_t a, b;
};

/* A session of tunnel rec `t` (-1: any tunnel): A's and B's session ids. */
struct sel_ses {
	long t;
	uint16_t sa, sb;
};

struct ids_seen {
	uint16_t first[SEL_LIST];
	size_t n;      /* distinct ids in first[] */
	bool more;     /* more than SEL_LIST distinct */
	bool asked_in; /* the id asked for was seen */
};

struct cli_sel {
	long tunnel, session;
	struct sel_tun *tun;
	size_t ntun, captun;
	struct sel_ses *ses;
	size_t nses, capses;
	/* the selected tunnel recs (with --tunnel) */
	size_t *seltun;
	size_t nseltun, capseltun;
	struct ids_seen tids, sids;
	bool oom;
};

struct cli_sel *
cli_sel_new(long tunnel, long session)
{
	struct cli_sel *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->tunnel = tunnel;
	s->session = session;
	return s;
}

void
cli_sel_free(struct cli_sel *s)
{
	if (s == NULL)
		return;
	free(s->tun);
	free(s->ses);
	free(s->seltun);
	free(s);
}

static bool
addr_eq(const struct l2tp_ipaddr *x, const struct l2tp_ipaddr *y)
{
	size_t n;

	if (x->family == 0 || y->family == 0)
		return true; /* a wildcard end */
	if (x->family != y->family)
		return false;
	n = x->family == 4 ? 4 : 16;
	return memcmp(x->a, y->a, n) == 0;
}

static bool
grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *q;
	size_t c;

	if (n < *cap)
		return true;
	c = *cap ? *cap * 2 : 16;
	if ((q = realloc(*p, c * size)) == NULL)
		return false;
	*p = q;
	*cap = c;
	return true;
}

static void
seen(struct ids_seen *v, uint16_t id, long asked)
{
	if (asked >= 0 && id == asked)
		v->asked_in = true;
	if (id == 0)
		return;
	for (size_t i = 0; i < v->n; i++)
		if (v->first[i] == id)
			return;
	if (v->n < SEL_LIST)
		v->first[v->n++] = id;
	else
		v->more = true;
}

static bool
tun_asked(const struct cli_sel *s, const struct sel_tun *r)
{
	return s->tunnel >= 0 && (r->a == s->tunnel || r->b == s->tunnel);
}

static void
mark(struct cli_sel *s, size_t i)
{
	if (!tun_asked(s, &s->tun[i]))
		return;
	for (size_t k = 0; k < s->nseltun; k++)
		if (s->seltun[k] == i)
			return;
	if (!grow((void **)&s->seltun, &s->capseltun, s->nseltun,
	          sizeof(size_t))) {
		s->oom = true;
		return;
	}
	s->seltun[s->nseltun++] = i;
}

static long
tun_add(struct cli_sel *s, const struct l2tp_ipaddr *A, uint16_t a,
        const struct l2tp_ipaddr *B, uint16_t b)
{
	if (!grow((void **)&s->tun, &s->captun, s->ntun, sizeof(*s->tun))) {
		s->oom = true;
		return -1;
	}
	s->tun[s->ntun] = (struct sel_tun){.A = *A, .a = a, .B = *B, .b = b};
	mark(s, s->ntun);
	return (long)s->ntun++;
}

/* The tunnel rec whose end (D, h) a message S->D with header id h reaches;
 * *side 0 when D is end A, 1 when end B.  -1 when none. */
static long
tun_find(const struct cli_sel *s, const struct l2tp_ipaddr *S,
         const struct l2tp_ipaddr *D, uint16_t h, int *side)
{
	for (size_t i = 0; i < s->ntun; i++) {
		const struct sel_tun *r = &s->tun[i];

		if (h == r->a && addr_eq(D, &r->A) && addr_eq(S, &r->B)) {
			*side = 0;
			return (long)i;
		}
		if (r->b && h == r->b && addr_eq(D, &r->B) &&
		    addr_eq(S, &r->A)) {
			*side = 1;
			return (long)i;
		}
	}
	return -1;
}

static void
learn_tunnel(struct cli_sel *s, const struct l2tp_ipaddr *S,
             const struct l2tp_ipaddr *D, uint16_t h, uint16_t t)
{
	int side;

	if (t == 0)
		return;
	/* --tunnel alone needs that tunnel's rec only (a capture of an LNS
	 * holds tens of thousands); --session needs every tunnel's */
	if (s->session < 0 && h != s->tunnel && t != s->tunnel)
		return;
	/* S's own end (S, t) already known: the SCCRQ again, or a rec the
	 * SCCRQ made that this SCCRP-like message completes */
	for (size_t i = 0; i < s->ntun; i++) {
		struct sel_tun *r = &s->tun[i];

		if (r->a == t && addr_eq(S, &r->A) && addr_eq(D, &r->B)) {
			if (h && r->b == 0) {
				r->b = h;
				mark(s, i);
			}
			return;
		}
		if (r->b == t && addr_eq(S, &r->B) && addr_eq(D, &r->A))
			return;
	}
	if (h && tun_find(s, S, D, h, &side) >= 0) {
		struct sel_tun *r = &s->tun[tun_find(s, S, D, h, &side)];

		if (side == 0 && r->b == 0) {
			r->b = t;
			mark(s, (size_t)(r - s->tun));
		}
		return;
	}
	/* the SCCRQ (h 0): D's id comes with the reply */
	tun_add(s, S, t, D, h);
}

static bool
ses_asked(const struct cli_sel *s, const struct sel_ses *x)
{
	return x->sa == s->session || x->sb == s->session;
}

static void
learn_session(struct cli_sel *s, const struct l2tp_ipaddr *S,
              const struct l2tp_ipaddr *D, uint16_t h, uint16_t hs, uint16_t as)
{
	int side;
	long t;
	uint16_t dsid, ssid; /* D's and S's session ids */

	/* only the sessions asked for are kept: the rest are not needed */
	if (s->session < 0 || (hs != s->session && as != s->session))
		return;
	if ((t = tun_find(s, S, D, h, &side)) < 0) {
		static const struct l2tp_ipaddr any;

		/* a tunnel whose setup the capture does not hold */
		if ((t = tun_add(s, D, h, &any, 0)) < 0)
			return;
		side = 0;
		(void)S;
	}
	dsid = hs;
	ssid = as;
	for (size_t i = 0; i < s->nses; i++) {
		struct sel_ses *x = &s->ses[i];
		uint16_t *dp = side == 0 ? &x->sa : &x->sb;
		uint16_t *sp = side == 0 ? &x->sb : &x->sa;

		if (x->t != t)
			continue;
		if ((*sp && *sp == ssid) || (dsid && *dp == dsid)) {
			if (*dp == 0)
				*dp = dsid;
			if (*sp == 0)
				*sp = ssid;
			return;
		}
	}
	if (!grow((void **)&s->ses, &s->capses, s->nses, sizeof(*s->ses))) {
		s->oom = true;
		return;
	}
	s->ses[s->nses] = (struct sel_ses){
	    .t = t,
	    .sa = side == 0 ? dsid : ssid,
	    .sb = side == 0 ? ssid : dsid,
	};
	s->nses++;
}

static bool
avp_u16(const struct l2tp_msg *m, uint16_t type, uint16_t *v)
{
	const struct l2tp_avp *a = l2tp_find_avp(m, 0, type);
	struct l2tp_bytes b;

	if (a == NULL)
		return false;
	b = l2tp_avp_data(a);
	if (b.len != 2)
		return false;
	*v = (uint16_t)(b.p[0] << 8 | b.p[1]);
	return true;
}

void
cli_sel_learn(struct cli_sel *s, const struct l2tp_frame *fr,
              const struct l2tp_msg *m)
{
	uint16_t h, hs, t;

	if (m->version != 2)
		return;
	h = (uint16_t)m->tunnel;
	hs = (uint16_t)m->session;
	seen(&s->tids, h, s->tunnel);
	seen(&s->sids, hs, s->session);
	if (!m->control || m->navps == 0)
		return;
	if (avp_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &t)) {
		seen(&s->tids, t, s->tunnel);
		learn_tunnel(s, &fr->src, &fr->dst, h, t);
	}
	if (avp_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &t)) {
		seen(&s->sids, t, s->session);
		learn_session(s, &fr->src, &fr->dst, h, hs, t);
	}
}

static void
list_ids(char *buf, size_t len, const char *what, const struct ids_seen *v)
{
	size_t o;

	if (v->n == 0) {
		snprintf(buf, len, "it has no %ss", what);
		return;
	}
	o = (size_t)snprintf(buf, len, "its %ss are", what);
	for (size_t i = 0; i < v->n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s %u", i ? "," : "",
		                      v->first[i]);
	if (v->more && o < len)
		snprintf(buf + o, len - o, " ...");
}

int
cli_sel_resolve(struct cli_sel *s, char *err, size_t len, char *warn,
                size_t wlen)
{
	static const struct l2tp_ipaddr any;
	char ids[160];

	err[0] = warn[0] = '\0';
	if (s->oom) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	if (s->tunnel >= 0 && !s->tids.asked_in) {
		list_ids(ids, sizeof(ids), "tunnel", &s->tids);
		snprintf(err, len, "no tunnel %ld in the capture; %s",
		         s->tunnel, ids);
		return -1;
	}
	if (s->session >= 0 && !s->sids.asked_in) {
		list_ids(ids, sizeof(ids), "session", &s->sids);
		snprintf(err, len, "no session %ld in the capture; %s",
		         s->session, ids);
		return -1;
	}
	if (s->tunnel >= 0 && s->session >= 0 && s->nses > 0) {
		bool in = false;

		for (size_t i = 0; i < s->nses && !in; i++)
			in = s->ses[i].t >= 0 &&
			     tun_asked(s, &s->tun[s->ses[i].t]);
		if (!in) {
			snprintf(err, len,
			         "session %ld is not in tunnel %ld: give "
			         "--session alone to see its tunnel",
			         s->session, s->tunnel);
			return -1;
		}
	}
	if (s->tunnel >= 0 && s->nseltun == 0) {
		/* seen only in headers: that direction alone */
		tun_add(s, &any, (uint16_t)s->tunnel, &any, 0);
		snprintf(warn, wlen,
		         "tunnel %ld's setup (SCCRQ/SCCRP) is not in the "
		         "capture: only the messages sent to id %ld are "
		         "selected",
		         s->tunnel, s->tunnel);
	}
	if (s->session >= 0 && s->nses == 0 && !s->oom) {
		if (!grow((void **)&s->ses, &s->capses, 0, sizeof(*s->ses))) {
			snprintf(err, len, "out of memory");
			return -1;
		}
		s->ses[s->nses++] =
		    (struct sel_ses){.t = -1, .sa = (uint16_t)s->session};
		if (!warn[0])
			snprintf(warn, wlen,
			         "session %ld's setup (ICRQ/ICRP or OCRQ/"
			         "OCRP) is not in the capture: only the "
			         "messages sent to id %ld are selected",
			         s->session, s->session);
	}
	return s->oom ? -1 : 0;
}

/* Whether m (S->D, header h) belongs to tunnel rec r; *side as tun_find. */
static bool
in_tunnel(const struct sel_tun *r, const struct l2tp_frame *fr,
          const struct l2tp_msg *m, uint16_t h, int *side)
{
	uint16_t t;

	if (h) {
		if (h == r->a && addr_eq(&fr->dst, &r->A) &&
		    addr_eq(&fr->src, &r->B)) {
			*side = 0;
			return true;
		}
		if (r->b && h == r->b && addr_eq(&fr->dst, &r->B) &&
		    addr_eq(&fr->src, &r->A)) {
			*side = 1;
			return true;
		}
		return false;
	}
	/* Tunnel ID 0: the SCCRQ that opened it, by its Assigned Tunnel ID */
	if (!m->control || m->msg_type != L2TP_SCCRQ ||
	    !avp_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &t))
		return false;
	if (t == r->a && addr_eq(&fr->src, &r->A) && addr_eq(&fr->dst, &r->B))
		return *side = 1, true;
	if (r->b && t == r->b && addr_eq(&fr->src, &r->B) &&
	    addr_eq(&fr->dst, &r->A))
		return *side = 0, true;
	return false;
}

static bool
in_session(const struct cli_sel *s, const struct sel_ses *x,
           const struct l2tp_frame *fr, const struct l2tp_msg *m, uint16_t h,
           uint16_t hs)
{
	int side = 0;
	uint16_t as;

	if (x->t < 0) /* a session seen only in headers */
		return hs == x->sa;
	if (!in_tunnel(&s->tun[x->t], fr, m, h, &side))
		return false;
	if (hs)
		return hs == (side == 0 ? x->sa : x->sb);
	/* Session ID 0: the ICRQ or OCRQ that opened it, not another's */
	if (m->control &&
	    (m->msg_type == L2TP_ICRQ || m->msg_type == L2TP_OCRQ) &&
	    avp_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &as))
		return as == (side == 0 ? x->sb : x->sa);
	/* the tunnel's own messages (SCCRQ to StopCCN, HELLO, its ZLB acks):
	 * without them the call's acks and its tunnel are not whole */
	return true;
}

bool
cli_sel_match(struct cli_sel *s, const struct l2tp_frame *fr,
              const struct l2tp_msg *m)
{
	uint16_t h, hs;
	int side;

	if (m->version != 2)
		return false;
	h = (uint16_t)m->tunnel;
	hs = (uint16_t)m->session;
	if (s->session >= 0) {
		for (size_t i = 0; i < s->nses; i++) {
			const struct sel_ses *x = &s->ses[i];

			if (!ses_asked(s, x) && x->t >= 0)
				continue;
			if (s->tunnel >= 0 && x->t >= 0 &&
			    !tun_asked(s, &s->tun[x->t]))
				continue;
			if (in_session(s, x, fr, m, h, hs))
				return true;
		}
		return false;
	}
	for (size_t k = 0; k < s->nseltun; k++)
		if (in_tunnel(&s->tun[s->seltun[k]], fr, m, h, &side))
			return true;
	return false;
}

const char *
cli_sel_name(const struct cli_sel *s, char *buf, size_t len)
{
	if (s->session >= 0 && s->tunnel >= 0)
		snprintf(buf, len, "session %ld of tunnel %ld", s->session,
		         s->tunnel);
	else if (s->session >= 0)
		snprintf(buf, len, "session %ld", s->session);
	else
		snprintf(buf, len, "tunnel %ld", s->tunnel);
	return buf;
}
