/* The PPP story of a captured call, rebuilt from its data messages: the
 * option negotiation of LCP and the NCPs as both ends ran it, PAP and CHAP,
 * LCP echo, Terminate, and the data counters (RFC 1661 §4-6, RFC 1332,
 * RFC 1334, RFC 1877, RFC 1994, RFC 5072, RFC 2661 §5.4). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decoder/ppp.h"
#include "engine/observe.h"
#include "engine/observe_ppp.h"

static const char *const cp_names[L2TP_OBS_CP_COUNT] = {"LCP", "IPCP", "IPv6CP",
                                                        "CCP"};
static const char *const cp_keys[L2TP_OBS_CP_COUNT] = {"lcp", "ipcp", "ipv6cp",
                                                       "ccp"};

const char *
l2tp_obs_cp_name(enum l2tp_obs_cpi i)
{
	return (unsigned)i < L2TP_OBS_CP_COUNT ? cp_names[i] : "?";
}

const char *
l2tp_obs_cp_key(enum l2tp_obs_cpi i)
{
	return (unsigned)i < L2TP_OBS_CP_COUNT ? cp_keys[i] : "?";
}

const char *
l2tp_obs_auth_name(uint16_t proto, uint8_t alg, char *buf, size_t len)
{
	if (proto == L2TP_PPP_PAP)
		return "PAP";
	if (proto == 0xc227)
		return "EAP";
	if (proto != L2TP_PPP_CHAP) {
		const char *n = l2tp_ppp_proto_name(proto);

		if (n)
			return n;
		snprintf(buf, len, "protocol 0x%04x", proto);
		return buf;
	}
	switch (alg) {
	case 0:
	case 5:
		return alg ? "CHAP/MD5" : "CHAP";
	case 0x80:
		return "MS-CHAP";
	case 0x81:
		return "MS-CHAPv2";
	default:
		snprintf(buf, len, "CHAP/algorithm %u", alg);
		return buf;
	}
}

void
l2tp_obs_ppp_init(struct l2tp_obs_ppp *st)
{
	memset(st, 0, sizeof(*st));
	for (int i = 0; i < L2TP_OBS_CP_COUNT; i++) {
		st->cp[i].prot_rej_by = -1;
		st->cp[i].term_by = -1;
	}
	st->authr = -1;
	st->dns_side = -1;
	st->pw_index = -1;
}

static int
cp_index(uint16_t proto)
{
	switch (proto) {
	case L2TP_PPP_LCP:
		return L2TP_OBS_LCP;
	case L2TP_PPP_IPCP:
		return L2TP_OBS_IPCP;
	case L2TP_PPP_IPV6CP:
		return L2TP_OBS_IPV6CP;
	case L2TP_PPP_CCP:
		return L2TP_OBS_CCP;
	default:
		return -1;
	}
}

static void find(const struct l2tp_obs_ppp_env *env, struct l2tp_obs_ppp *st,
                 int side, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
find(const struct l2tp_obs_ppp_env *env, struct l2tp_obs_ppp *st, int side,
     const char *fmt, ...)
{
	char what[150];
	va_list ap;

	st->findings++;
	if (env->find == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	env->find(env->arg, side, what);
}

static void
copy_str(char *dst, const struct l2tp_bytes *b)
{
	size_t n =
	    b->len < L2TP_OBS_PPP_STR - 1 ? b->len : L2TP_OBS_PPP_STR - 1;

	for (size_t i = 0; i < n; i++)
		dst[i] =
		    b->p[i] >= 0x20 && b->p[i] < 0x7f ? (char)b->p[i] : '?';
	dst[n] = '\0';
}

/* The bit of an option type in the naked/rejected masks (IPCP's DNS and
 * NBNS options 129-132 take bits 16-19). */
static int
opt_bit(uint8_t type)
{
	if (type < 16)
		return type;
	if (type >= 129 && type <= 132)
		return 16 + (type - 129);
	if (type < 32)
		return type;
	return -1;
}

/* The option lengths RFC 1661 §6, RFC 1332 §3, RFC 1877, RFC 5072 §4
 * fix; 0 when free, -N when at least N. */
static int
opt_len(int cpi, uint8_t type)
{
	if (cpi == L2TP_OBS_LCP) {
		switch (type) {
		case 1:
			return 4;
		case 2:
		case 5:
			return 6;
		case 3:
		case 4:
			return -4;
		case 7:
		case 8:
			return 2;
		}
	} else if (cpi == L2TP_OBS_IPCP) {
		switch (type) {
		case 1:
			return 10;
		case 2:
			return -4;
		case 3:
		case 129:
		case 130:
		case 131:
		case 132:
			return 6;
		}
	} else if (cpi == L2TP_OBS_IPV6CP) {
		if (type == 1)
			return 10;
		if (type == 2)
			return -4;
	}
	return 0;
}

static uint32_t
opts_hash(const struct l2tp_ppp *pp, uint16_t *total)
{
	uint32_t h = 2166136261u;
	unsigned n = 0;

	for (size_t i = 0; i < pp->nopts; i++) {
		const struct l2tp_ppp_opt *op = &pp->opts[i];

		h = (h ^ op->type) * 16777619u;
		h = (h ^ op->len) * 16777619u;
		for (size_t j = 0; j < op->val.len; j++)
			h = (h ^ op->val.p[j]) * 16777619u;
		n += op->len;
	}
	*total = (uint16_t)n;
	return h;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The values of a Request's (or its Ack's) options, as `owner` asked. */
static void
cp_values(struct l2tp_obs_ppp *st, const struct l2tp_obs_ppp_env *env, int cpi,
          const struct l2tp_ppp *pp, int sender, int owner, bool acked)
{
	for (size_t i = 0; i < pp->nopts; i++) {
		const struct l2tp_ppp_opt *op = &pp->opts[i];
		const uint8_t *v = op->val.p;
		int want = opt_len(cpi, op->type);

		if ((want > 0 && op->len != want) ||
		    (want < 0 && op->len < -want)) {
			const char *on = l2tp_ppp_opt_name(pp->proto, op->type);

			find(env, st, sender,
			     "%s %s id %u: option %u (%s) has length %u, "
			     "must be %s%d",
			     l2tp_obs_cp_name(cpi),
			     l2tp_ppp_code_name(pp->proto, pp->code), pp->id,
			     op->type, on ? on : "unknown", op->len,
			     want < 0 ? "at least " : "",
			     want < 0 ? -want : want);
			continue;
		}
		if (cpi == L2TP_OBS_LCP && acked) {
			/* the Request's values stand; the Ack settles who
			 * authenticates */
			if (op->type == 3 && st->auth_proto[owner]) {
				st->authr = (int8_t)owner;
				st->alg = st->auth_alg[owner];
			}
		} else if (cpi == L2TP_OBS_LCP) {
			switch (op->type) {
			case 1:
				st->mru[owner] = (uint16_t)(v[0] << 8 | v[1]);
				break;
			case 3:
				st->auth_proto[owner] =
				    (uint16_t)(v[0] << 8 | v[1]);
				st->auth_alg[owner] = op->len >= 5 ? v[2] : 0;
				break;
			case 5:
				st->magic[owner] = be32(v);
				st->has_magic[owner] = true;
				break;
			}
		} else if (cpi == L2TP_OBS_IPCP && acked) {
			if (op->type == 3) {
				memcpy(st->ip[owner], v, 4);
				st->has_ip[owner] = true;
			} else if (op->type == 129 || op->type == 131) {
				memcpy(st->dns[op->type == 131], v, 4);
				if (st->ndns < (op->type == 131 ? 2 : 1))
					st->ndns = op->type == 131 ? 2 : 1;
				st->dns_side = (int8_t)owner;
			}
		} else if (cpi == L2TP_OBS_IPV6CP && acked && op->type == 1) {
			memcpy(st->ifid[owner], v, 8);
			st->has_ifid[owner] = true;
		}
	}
}

static void
loop_check(struct l2tp_obs_ppp *st, const struct l2tp_obs_ppp_env *env,
           int side)
{
	if (!st->loop && st->has_magic[0] && st->has_magic[1] &&
	    st->magic[0] == st->magic[1] && st->magic[0] != 0) {
		st->loop = true;
		find(env, st, side,
		     "both ends use LCP magic number 0x%08x: a looped-back "
		     "link (RFC 1661 §6.4)",
		     st->magic[0]);
	}
}

/* A Configure-Ack, -Nak or -Reject must carry the Request's id. */
static bool
reply_id(struct l2tp_obs_ppp *st, const struct l2tp_obs_ppp_env *env, int cpi,
         const struct l2tp_ppp *pp, int side)
{
	struct l2tp_obs_cp *c = &st->cp[cpi];
	int o = 1 - side;

	if (!c->have_req[o]) {
		find(env, st, side,
		     "%s %s id %u answers no Configure-Request "
		     "seen",
		     l2tp_obs_cp_name(cpi),
		     l2tp_ppp_code_name(pp->proto, pp->code), pp->id);
		return false;
	}
	if (pp->id != c->req_id[o]) {
		find(env, st, side,
		     "%s %s id %u does not match the Configure-Request's id "
		     "%u (RFC 1661 §5.2)",
		     l2tp_obs_cp_name(cpi),
		     l2tp_ppp_code_name(pp->proto, pp->code), pp->id,
		     c->req_id[o]);
		return false;
	}
	return true;
}

static void
on_cp(struct l2tp_obs_ppp *st, const struct l2tp_obs_ppp_env *env, int cpi,
      const struct l2tp_ppp *pp, int side, uint64_t now)
{
	struct l2tp_obs_cp *c = &st->cp[cpi];
	int o = 1 - side, b;
	uint16_t len;
	uint32_t h;

	switch (pp->code) {
	case 1: /* Configure-Request */
		if (cpi != L2TP_OBS_LCP && c->reqs[side] == 0) {
			const struct l2tp_obs_cp *l = &st->cp[L2TP_OBS_LCP];

			if (l->reqs[0] + l->reqs[1] > 0 && !l->opened)
				find(env, st, side,
				     "%s Configure-Request before LCP is "
				     "opened (RFC 1661 §3.4)",
				     l2tp_obs_cp_name(cpi));
			else if (st->authr >= 0 && st->auth &&
			         st->result != L2TP_OBS_AR_OK)
				find(env, st, side,
				     "%s Configure-Request before "
				     "authentication succeeded (RFC 1661 "
				     "§3.5)",
				     l2tp_obs_cp_name(cpi));
		}
		if (c->first_us == 0)
			c->first_us = now;
		if (c->rounds == 0 || c->opened) {
			c->rounds++;
			if (c->opened) { /* renegotiation: both start over */
				c->opened = false;
				c->acked[0] = c->acked[1] = false;
			}
		}
		c->reqs[side]++;
		c->unanswered[side]++;
		c->req_hash[side] = opts_hash(pp, &c->req_len[side]);
		c->req_id[side] = pp->id;
		c->have_req[side] = true;
		c->acked[side] = false;
		cp_values(st, env, cpi, pp, side, side, false);
		if (cpi == L2TP_OBS_LCP)
			loop_check(st, env, side);
		return;
	case 2: /* Configure-Ack */
		c->acks[side]++;
		c->unanswered[o] = 0;
		if (!reply_id(st, env, cpi, pp, side))
			return;
		h = opts_hash(pp, &len);
		if (h != c->req_hash[o] || len != c->req_len[o])
			find(env, st, side,
			     "%s Configure-Ack id %u does not echo the "
			     "Configure-Request's options (RFC 1661 §5.2)",
			     l2tp_obs_cp_name(cpi), pp->id);
		cp_values(st, env, cpi, pp, side, o, true);
		c->acked[o] = true;
		if (c->acked[side] && !c->opened) {
			c->opened = true;
			c->open_us = now;
			if (cpi != L2TP_OBS_LCP && cpi != L2TP_OBS_CCP &&
			    st->network_us == 0)
				st->network_us = now;
		}
		return;
	case 3: /* Configure-Nak */
	case 4: /* Configure-Reject */
		if (pp->code == 3)
			c->naks[side]++;
		else
			c->rejs[side]++;
		c->unanswered[o] = 0;
		reply_id(st, env, cpi, pp, side);
		for (size_t i = 0; i < pp->nopts; i++) {
			if ((b = opt_bit(pp->opts[i].type)) < 0)
				continue;
			if (pp->code == 3)
				c->naked[side] |= 1u << b;
			else
				c->rejected[side] |= 1u << b;
			if (cpi == L2TP_OBS_LCP && pp->code == 3 &&
			    pp->opts[i].type == 3 && pp->opts[i].len >= 4)
				st->nak_auth =
				    (uint16_t)(pp->opts[i].val.p[0] << 8 |
				               pp->opts[i].val.p[1]);
		}
		return;
	case 5: /* Terminate-Request */
		if (c->term_by < 0) {
			c->term_by = (int8_t)side;
			if (cpi == L2TP_OBS_LCP) {
				st->term_us = now;
				copy_str(st->term_text, &pp->text);
			}
		}
		c->opened = false;
		return;
	case 6: /* Terminate-Ack */
		if (cpi == L2TP_OBS_LCP && c->term_by == o)
			st->term_acked = true;
		return;
	case 7:
		if (cpi == L2TP_OBS_LCP)
			st->code_rejs++;
		return;
	case 8: /* Protocol-Reject (LCP only) */
		if (cpi != L2TP_OBS_LCP || !pp->has_rejected)
			return;
		st->prot_rej[side] = pp->rejected_proto;
		if ((b = cp_index(pp->rejected_proto)) >= 0 &&
		    st->cp[b].prot_rej_by < 0)
			st->cp[b].prot_rej_by = (int8_t)side;
		return;
	case 9: /* Echo-Request */
	case 10: {
		struct l2tp_obs_echo *e = &st->echo[pp->code == 9 ? side : o];

		if (cpi != L2TP_OBS_LCP)
			return;
		if (pp->has_magic && !st->has_magic[side] && pp->magic) {
			st->magic[side] = pp->magic;
			st->has_magic[side] = true;
			loop_check(st, env, side);
		}
		if (pp->code == 10) {
			if (e->pending && pp->id == e->last_id) {
				uint64_t rtt = now - e->last_us;

				e->replies++;
				e->rtt_sum += rtt;
				if (rtt > e->rtt_max)
					e->rtt_max = rtt;
				e->pending = false;
				e->run = 0;
			}
			return;
		}
		if (c->reqs[0] + c->reqs[1] > 0 && !c->opened &&
		    c->term_by < 0 && e->reqs == 0)
			find(env, st, side,
			     "LCP Echo-Request id %u before LCP is opened "
			     "(RFC 1661 §5.8)",
			     pp->id);
		if (e->reqs > 0) {
			uint64_t iv = now - e->last_us;

			if (e->ival_min == 0 || iv < e->ival_min)
				e->ival_min = iv;
			if (iv > e->ival_max)
				e->ival_max = iv;
		}
		if (e->pending && ++e->run > e->max_run)
			e->max_run = e->run;
		e->reqs++;
		e->last_us = now;
		e->last_id = pp->id;
		e->pending = true;
		return;
	}
	default:
		return;
	}
}

static void
on_pap(struct l2tp_obs_ppp *st, const struct l2tp_obs_ppp_env *env,
       const struct l2tp_ppp *pp, int side, uint64_t now)
{
	st->auth = L2TP_PPP_PAP;
	if (pp->code == 1) {
		if (st->authr < 0)
			st->authr = (int8_t)(1 - side);
		st->auth_tries++;
		st->chal_id = pp->id;
		st->have_chal = true;
		copy_str(st->user, &pp->name);
		copy_str(st->pap_pw, &pp->secret);
		if (env->npasswords == 0) {
			st->pw_verdict = L2TP_OBS_V_NOSECRET;
			return;
		}
		st->pw_verdict = L2TP_OBS_V_NOMATCH;
		for (size_t i = 0; i < env->npasswords; i++)
			if (strlen(env->passwords[i]) == pp->secret.len &&
			    memcmp(env->passwords[i], pp->secret.p,
			           pp->secret.len) == 0) {
				st->pw_verdict = L2TP_OBS_V_MATCH;
				st->pw_index = (int8_t)i;
				break;
			}
		return;
	}
	if (pp->code != 2 && pp->code != 3)
		return;
	if (st->have_chal && pp->id != st->chal_id)
		find(env, st, side,
		     "PAP Authenticate-%s id %u does not match the "
		     "Authenticate-Request's id %u (RFC 1334 §2.2)",
		     pp->code == 2 ? "Ack" : "Nak", pp->id, st->chal_id);
	st->result = pp->code == 2 ? L2TP_OBS_AR_OK : L2TP_OBS_AR_FAIL;
	st->auth_us = now;
	copy_str(st->auth_msg, &pp->text);
}

static void
chap_check(struct l2tp_obs_ppp *st, const struct l2tp_obs_ppp_env *env,
           const struct l2tp_ppp *pp)
{
	uint8_t want[16];

	if (st->alg == 0x80 || st->alg == 0x81 || pp->secret.len != 16 ||
	    !st->have_chal || st->chal_len == 0) {
		st->pw_verdict = L2TP_OBS_V_UNREADABLE;
		return;
	}
	if (env->npasswords == 0) {
		st->pw_verdict = L2TP_OBS_V_NOSECRET;
		return;
	}
	st->pw_verdict = L2TP_OBS_V_NOMATCH;
	for (size_t i = 0; i < env->npasswords; i++) {
		const char *pw = env->passwords[i];

		/* RFC 1994 §4.1: MD5(Identifier || secret || Challenge) */
		l2tp_chap_response(pp->id, (const uint8_t *)pw, strlen(pw),
		                   st->chal, st->chal_len, want);
		if (memcmp(want, pp->secret.p, 16) == 0) {
			st->pw_verdict = L2TP_OBS_V_MATCH;
			st->pw_index = (int8_t)i;
			return;
		}
	}
}

static void
on_chap(struct l2tp_obs_ppp *st, const struct l2tp_obs_ppp_env *env,
        const struct l2tp_ppp *pp, int side, uint64_t now)
{
	st->auth = L2TP_PPP_CHAP;
	switch (pp->code) {
	case 1:
		st->authr = (int8_t)side;
		st->auth_tries++;
		st->chal_id = pp->id;
		st->have_chal = true;
		st->chal_len = pp->secret.len <= L2TP_OBS_PPP_CHAL
		                   ? (uint8_t)pp->secret.len
		                   : 0;
		memcpy(st->chal, pp->secret.p, st->chal_len);
		return;
	case 2:
		st->responses++;
		copy_str(st->user, &pp->name);
		if (st->have_chal && pp->id != st->chal_id)
			find(env, st, side,
			     "CHAP Response id %u does not match the "
			     "Challenge's id %u (RFC 1994 §4.1)",
			     pp->id, st->chal_id);
		chap_check(st, env, pp);
		return;
	case 3:
	case 4:
		if (st->have_chal && pp->id != st->chal_id)
			find(env, st, side,
			     "CHAP %s id %u does not match the Challenge's id "
			     "%u (RFC 1994 §4.2)",
			     pp->code == 3 ? "Success" : "Failure", pp->id,
			     st->chal_id);
		st->result = pp->code == 3 ? L2TP_OBS_AR_OK : L2TP_OBS_AR_FAIL;
		st->auth_us = now;
		copy_str(st->auth_msg, &pp->text);
		return;
	default:
		return;
	}
}

/* Data Ns (§5.4): per session and direction, from 0; Nr is ignored. */
static void
sequence(struct l2tp_obs_ppp *st, int side, const struct l2tp_msg *m)
{
	if (!m->has_seq)
		return;
	st->seq_msgs[side]++;
	if (st->have_ns[side] && m->ns != st->next_ns[side]) {
		int16_t d = (int16_t)(m->ns - st->next_ns[side]);

		if (d > 0)
			st->seq_lost[side] += (uint64_t)d;
		else {
			st->seq_ooo[side]++;
			return;
		}
	}
	st->have_ns[side] = true;
	st->next_ns[side] = (uint16_t)(m->ns + 1);
}

void
l2tp_obs_ppp_data(struct l2tp_obs_ppp *st, const struct l2tp_obs_ppp_env *env,
                  int side, uint64_t frame, uint64_t time_us,
                  const struct l2tp_msg *m)
{
	const uint8_t *p = m->payload.p;
	size_t n = m->payload.len, wire = m->wire_len, i = 0;
	uint16_t proto;
	struct l2tp_ppp pp;
	int cpi;

	if (st->first_us == 0)
		st->first_us = time_us;
	st->frames[side]++;
	st->last_frame[side] = frame;
	sequence(st, side, m);
	if (m->has_length && m->length < wire)
		wire = m->length;
	wire = wire > m->hdr_len ? wire - m->hdr_len : 0;
	if (wire < n)
		wire = n;
	st->bytes[side] += wire;
	/* the protocol first: IP is only counted */
	if (n >= 2 && p[0] == 0xff && p[1] == 0x03)
		i = 2;
	if (i >= n)
		return;
	if (p[i] & 1)
		proto = p[i];
	else if (i + 1 < n)
		proto = (uint16_t)(p[i] << 8 | p[i + 1]);
	else
		return;
	if (proto == L2TP_PPP_IP || proto == L2TP_PPP_IPV6) {
		st->ip_frames[side]++;
		return;
	}
	if (proto != L2TP_PPP_PAP && proto != L2TP_PPP_CHAP &&
	    cp_index(proto) < 0 && !l2tp_ppp_is_cp(proto))
		return;
	if (l2tp_ppp_parse(p, n, wire, &pp) != 0) {
		if (pp.fault == L2TP_FAULT_MALFORMED)
			find(env, st, side, "malformed PPP: %s", pp.what);
		if (pp.fault != L2TP_FAULT_TRUNCATED || !pp.has_code)
			return;
	}
	if (!pp.has_code)
		return;
	if (pp.proto == L2TP_PPP_PAP)
		on_pap(st, env, &pp, side, time_us);
	else if (pp.proto == L2TP_PPP_CHAP)
		on_chap(st, env, &pp, side, time_us);
	else if ((cpi = cp_index(pp.proto)) >= 0)
		on_cp(st, env, cpi, &pp, side, time_us);
}
