/* The network control protocols: IPCP with the DNS options (RFC 1332, RFC
 * 1877) and IPv6CP (RFC 5072), on the shared automaton; the server's address
 * pool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ppp_int.h"

enum {
	O_IP_COMP = 2,
	O_IP_ADDR = 3,
	O_DNS1 = 129,
	O_NBNS1 = 130,
	O_DNS2 = 131,
	O_NBNS2 = 132,
	O_IFID = 1,
	O_V6_COMP = 2,
};

#define IPCP_W_ADDR 1u
#define IPCP_W_DNS1 2u
#define IPCP_W_DNS2 4u

static const uint8_t zero4[4];
static const uint8_t zero8[8];

void
ppp_fmt_ip4(const uint8_t a[4], char *out, size_t cap)
{
	snprintf(out, cap, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

void
ppp_fmt_ll(const uint8_t id[8], char *out, size_t cap)
{
	snprintf(out, cap, "fe80::%x:%x:%x:%x", id[0] << 8 | id[1],
	         id[2] << 8 | id[3], id[4] << 8 | id[5], id[6] << 8 | id[7]);
}

/* ---- pool ---- */

struct l2tp_ppp_pool {
	uint32_t base, size, reserved, used, next;
	uint8_t bits[];
};

static uint32_t
u32_of(const uint8_t a[4])
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 |
	       (uint32_t)a[2] << 8 | a[3];
}

struct l2tp_ppp_pool *
l2tp_ppp_pool_new(const uint8_t prefix[4], unsigned len,
                  const uint8_t reserved[4])
{
	struct l2tp_ppp_pool *p;
	uint32_t size;

	if (!prefix || len < 16 || len > 30)
		return NULL;
	size = 1u << (32 - len);
	p = calloc(1, sizeof(*p) + (size + 7) / 8);
	if (!p)
		return NULL;
	p->size = size;
	p->base = u32_of(prefix) & ~(size - 1);
	p->reserved = reserved ? u32_of(reserved) - p->base : UINT32_MAX;
	p->next = 1;
	return p;
}

void
l2tp_ppp_pool_free(struct l2tp_ppp_pool *p)
{
	free(p);
}

int
l2tp_ppp_pool_take(struct l2tp_ppp_pool *p, uint8_t out[4])
{
	/* Round robin over host numbers 1 .. size-2, so an address given
	 * back is the last to be reused. */
	for (uint32_t n = 0; n < p->size - 2; n++) {
		uint32_t i = p->next;

		p->next = p->next + 1 >= p->size - 1 ? 1 : p->next + 1;
		if (i == p->reserved || (p->bits[i / 8] & (1u << (i % 8))))
			continue;
		p->bits[i / 8] |= (uint8_t)(1u << (i % 8));
		p->used++;
		i += p->base;
		out[0] = (uint8_t)(i >> 24);
		out[1] = (uint8_t)(i >> 16);
		out[2] = (uint8_t)(i >> 8);
		out[3] = (uint8_t)i;
		return 0;
	}
	return L2TP_PPP_E_STATE;
}

void
l2tp_ppp_pool_give(struct l2tp_ppp_pool *p, const uint8_t a[4])
{
	uint32_t i = u32_of(a) - p->base;

	if (i >= p->size || !(p->bits[i / 8] & (1u << (i % 8))))
		return;
	p->bits[i / 8] &= (uint8_t) ~(1u << (i % 8));
	p->used--;
}

size_t
l2tp_ppp_pool_used(const struct l2tp_ppp_pool *p)
{
	return p->used;
}

/* ---- IPCP ---- */

static void
ipcp_build_cr(struct l2tp_ppp_link *p, struct l2tp_ppp_wr *w)
{
	if (p->ipcp_want & IPCP_W_ADDR)
		l2tp_ppp_build_opt(w, O_IP_ADDR, p->ip_req, 4);
	if (p->ipcp_want & IPCP_W_DNS1)
		l2tp_ppp_build_opt(w, O_DNS1, p->dns_req[0], 4);
	if (p->ipcp_want & IPCP_W_DNS2)
		l2tp_ppp_build_opt(w, O_DNS2, p->dns_req[1], 4);
}

static bool
server(const struct l2tp_ppp_link *p)
{
	return p->cfg->role == L2TP_PPP_SERVER;
}

/* The address this server hands the peer, taken from the pool once. */
static bool
assigned(struct l2tp_ppp_link *p)
{
	if (p->pool_taken)
		return true;
	if (!p->cfg->pool)
		return false;
	if (l2tp_ppp_pool_take(p->cfg->pool, p->ip_assigned) < 0) {
		ppp_emit(p, L2TP_PPP_EV_GIVE_UP, L2TP_PPP_IPCP, -1,
		         "IPCP: the address pool is exhausted");
		return false;
	}
	p->pool_taken = true;
	return true;
}

static int
ipcp_rcr(struct l2tp_ppp_link *p, struct l2tp_bytes opts, struct ppp_rcr *r,
         bool commit)
{
	struct rd rd;
	struct l2tp_ppp_opt o;
	bool got_addr = false;
	uint8_t peer[4] = {0};
	int rc;

	rd_init(&rd, opts.p, opts.len);
	while ((rc = l2tp_ppp_read_opt(&rd, &o)) == 1) {
		switch (o.type) {
		case O_IP_ADDR:
			if (o.val.len != 4) {
				ppp_rcr_rej(r, &o);
				break;
			}
			got_addr = true;
			memcpy(peer, o.val.p, 4);
			if (server(p) && p->cfg->pool) {
				if (!assigned(p))
					ppp_rcr_rej(r, &o);
				else if (memcmp(o.val.p, p->ip_assigned, 4) !=
				         0)
					ppp_rcr_nak(r, &o, O_IP_ADDR,
					            p->ip_assigned, 4);
			} else if (memcmp(o.val.p, zero4, 4) == 0) {
				/* It asks to be told, and we have nothing to
				 * tell. */
				ppp_rcr_rej(r, &o);
			}
			break;
		case O_DNS1:
		case O_DNS2: {
			const uint8_t *d = p->cfg->dns[o.type == O_DNS2];

			if (o.val.len != 4 || !server(p) ||
			    memcmp(d, zero4, 4) == 0)
				ppp_rcr_rej(r, &o);
			else if (memcmp(o.val.p, d, 4) != 0)
				ppp_rcr_nak(r, &o, o.type, d, 4);
			break;
		}
		default: /* VJ compression, NBNS, IP-Addresses, unknown */
			ppp_rcr_rej(r, &o);
			break;
		}
	}
	if (rc < 0)
		return rc;
	/* A server with a pool tells a peer that did not ask (RFC 1332 §3.3:
	 * a Nak may carry an option the peer should request). */
	if (!got_addr && server(p) && p->cfg->pool && r->rej.len == 0 &&
	    !r->to_reject && assigned(p))
		ppp_rcr_nak(r, NULL, O_IP_ADDR, p->ip_assigned, 4);
	if (commit)
		memcpy(p->ip_peer, peer, 4);
	return 0;
}

static void
ipcp_rca(struct l2tp_ppp_link *p)
{
	memcpy(p->ip_local, p->ipcp_want & IPCP_W_ADDR ? p->ip_req : zero4, 4);
	memcpy(p->dns[0], p->ipcp_want & IPCP_W_DNS1 ? p->dns_req[0] : zero4,
	       4);
	memcpy(p->dns[1], p->ipcp_want & IPCP_W_DNS2 ? p->dns_req[1] : zero4,
	       4);
}

static uint8_t
ipcp_bit(uint8_t type)
{
	return type == O_IP_ADDR ? IPCP_W_ADDR
	       : type == O_DNS1  ? IPCP_W_DNS1
	       : type == O_DNS2  ? IPCP_W_DNS2
	                         : 0;
}

static void
ipcp_adopt(struct l2tp_ppp_link *p, struct l2tp_bytes opts)
{
	struct rd rd;
	struct l2tp_ppp_opt o;

	p->ipcp_want = 0;
	rd_init(&rd, opts.p, opts.len);
	while (l2tp_ppp_read_opt(&rd, &o) == 1) {
		if (!ipcp_bit(o.type) || o.val.len != 4)
			continue;
		p->ipcp_want |= ipcp_bit(o.type);
		if (o.type == O_IP_ADDR)
			memcpy(p->ip_req, o.val.p, 4);
		else
			memcpy(p->dns_req[o.type == O_DNS2], o.val.p, 4);
	}
}

static int
ipcp_rcn(struct l2tp_ppp_link *p, struct l2tp_bytes opts)
{
	struct ppp_fsm *f = &p->fsm[PL_IPCP];
	struct rd rd;
	struct l2tp_ppp_opt o;
	uint8_t naked = 0;

	rd_init(&rd, opts.p, opts.len);
	while (l2tp_ppp_read_opt(&rd, &o) == 1) {
		uint8_t b = ipcp_bit(o.type);

		if (!b || o.val.len != 4)
			continue;
		/* A Nak with an option we did not ask for: ask for it. */
		p->ipcp_want |= b;
		naked |= b;
		if (o.type == O_IP_ADDR)
			memcpy(p->ip_req, o.val.p, 4);
		else
			memcpy(p->dns_req[o.type == O_DNS2], o.val.p, 4);
	}
	if (++f->nak_rcvd >= p->cfg->max_failure && naked) {
		ppp_emit(p, L2TP_PPP_EV_GIVE_UP, L2TP_PPP_IPCP, 3,
		         "IPCP: the peer Naked our request %u times "
		         "(Max-Failure): no longer asking for what it Naks",
		         f->nak_rcvd);
		p->ipcp_want &= (uint8_t)~naked;
	}
	return 0;
}

static int
ipcp_rcj(struct l2tp_ppp_link *p, struct l2tp_bytes opts)
{
	struct rd rd;
	struct l2tp_ppp_opt o;
	uint8_t rej = 0;

	rd_init(&rd, opts.p, opts.len);
	while (l2tp_ppp_read_opt(&rd, &o) == 1) {
		uint8_t b = ipcp_bit(o.type);

		if (!(b & p->ipcp_want))
			return -100;
		rej |= b;
	}
	p->ipcp_want &= (uint8_t)~rej;
	return 0;
}

static void
ipcp_tlu(struct l2tp_ppp_link *p)
{
	char l[16], r[16], d1[16], d2[16];

	ppp_fmt_ip4(p->ip_local, l, sizeof(l));
	ppp_fmt_ip4(p->ip_peer, r, sizeof(r));
	ppp_fmt_ip4(p->dns[0], d1, sizeof(d1));
	ppp_fmt_ip4(p->dns[1], d2, sizeof(d2));
	if (memcmp(p->dns[0], zero4, 4) == 0)
		ppp_emit(p, L2TP_PPP_EV_UP, L2TP_PPP_IPCP, -1,
		         "IPCP opened: %s, peer %s", l, r);
	else if (memcmp(p->dns[1], zero4, 4) == 0)
		ppp_emit(p, L2TP_PPP_EV_UP, L2TP_PPP_IPCP, -1,
		         "IPCP opened: %s, peer %s, DNS %s", l, r, d1);
	else
		ppp_emit(p, L2TP_PPP_EV_UP, L2TP_PPP_IPCP, -1,
		         "IPCP opened: %s, peer %s, DNS %s %s", l, r, d1, d2);
}

static void
ncp_tld(struct l2tp_ppp_link *p, uint16_t proto, const char *name)
{
	ppp_emit(p, L2TP_PPP_EV_DOWN, proto, -1, "%s down", name);
}

static void
ipcp_tld(struct l2tp_ppp_link *p)
{
	ncp_tld(p, L2TP_PPP_IPCP, "IPCP");
}

static void
ncp_tls(struct l2tp_ppp_link *p)
{
	(void)p; /* LCP is the lower layer; it is up in the network phase */
}

static void
ipcp_tlf(struct l2tp_ppp_link *p)
{
	ppp_emit(p, L2TP_PPP_EV_DOWN, L2TP_PPP_IPCP, -1, "IPCP finished");
	ppp_ncps_check(p);
}

static bool
ncp_rxj_fatal(struct l2tp_ppp_link *p, uint8_t code)
{
	(void)p;
	return code >= 1 && code <= 7;
}

const struct ppp_layer_ops ppp_ipcp_ops = {
    .proto = L2TP_PPP_IPCP,
    .name = "IPCP",
    .build_cr = ipcp_build_cr,
    .rcr = ipcp_rcr,
    .rca = ipcp_rca,
    .adopt = ipcp_adopt,
    .rcn = ipcp_rcn,
    .rcj = ipcp_rcj,
    .tlu = ipcp_tlu,
    .tld = ipcp_tld,
    .tls = ncp_tls,
    .tlf = ipcp_tlf,
    .rxj_fatal = ncp_rxj_fatal,
};

/* ---- IPv6CP ---- */

static void
v6_build_cr(struct l2tp_ppp_link *p, struct l2tp_ppp_wr *w)
{
	if (p->ifid_want)
		l2tp_ppp_build_opt(w, O_IFID, p->ifid_l, 8);
}

static void
new_ifid(struct l2tp_ppp_link *p, uint8_t out[8], const uint8_t *avoid1,
         const uint8_t *avoid2)
{
	for (int i = 0; i < 8; i++) {
		if (ppp_random(p, out, 8) < 0)
			break;
		if (memcmp(out, zero8, 8) != 0 && memcmp(out, avoid1, 8) != 0 &&
		    memcmp(out, avoid2, 8) != 0)
			return;
	}
	out[7] ^= 0x5a; /* a broken random source: still make it differ */
}

static int
v6_rcr(struct l2tp_ppp_link *p, struct l2tp_bytes opts, struct ppp_rcr *r,
       bool commit)
{
	struct rd rd;
	struct l2tp_ppp_opt o;
	uint8_t peer[8] = {0};
	int rc;

	rd_init(&rd, opts.p, opts.len);
	while ((rc = l2tp_ppp_read_opt(&rd, &o)) == 1) {
		if (o.type != O_IFID || o.val.len != 8) {
			ppp_rcr_rej(r, &o);
			continue;
		}
		memcpy(peer, o.val.p, 8);
		/* RFC 5072 §4.1: zero or equal to ours -> Nak a new one. */
		if (memcmp(peer, zero8, 8) == 0 ||
		    memcmp(peer, p->ifid_l, 8) == 0) {
			uint8_t s[8];

			new_ifid(p, s, p->ifid_l, peer);
			ppp_rcr_nak(r, &o, O_IFID, s, 8);
		}
	}
	if (rc < 0)
		return rc;
	if (commit)
		memcpy(p->ifid_p, peer, 8);
	return 0;
}

static void
v6_rca(struct l2tp_ppp_link *p)
{
	(void)p;
}

static void
v6_adopt(struct l2tp_ppp_link *p, struct l2tp_bytes opts)
{
	struct rd rd;
	struct l2tp_ppp_opt o;

	p->ifid_want = false;
	rd_init(&rd, opts.p, opts.len);
	while (l2tp_ppp_read_opt(&rd, &o) == 1)
		if (o.type == O_IFID && o.val.len == 8) {
			p->ifid_want = true;
			memcpy(p->ifid_l, o.val.p, 8);
		}
}

static int
v6_rcn(struct l2tp_ppp_link *p, struct l2tp_bytes opts)
{
	struct rd rd;
	struct l2tp_ppp_opt o;

	rd_init(&rd, opts.p, opts.len);
	while (l2tp_ppp_read_opt(&rd, &o) == 1) {
		if (o.type != O_IFID || o.val.len != 8)
			continue;
		if (memcmp(o.val.p, zero8, 8) != 0 &&
		    memcmp(o.val.p, p->ifid_p, 8) != 0)
			memcpy(p->ifid_l, o.val.p, 8);
		else
			new_ifid(p, p->ifid_l, p->ifid_p, o.val.p);
		p->ifid_want = true;
	}
	if (++p->fsm[PL_IPV6CP].nak_rcvd >= 2 * p->cfg->max_failure) {
		ppp_emit(p, L2TP_PPP_EV_GIVE_UP, L2TP_PPP_IPV6CP, 3,
		         "IPv6CP: %u Configure-Naks without agreement",
		         p->fsm[PL_IPV6CP].nak_rcvd);
		ppp_fsm_event(p, &p->fsm[PL_IPV6CP], PE_CLOSE, NULL, NULL);
	}
	return 0;
}

static int
v6_rcj(struct l2tp_ppp_link *p, struct l2tp_bytes opts)
{
	struct rd rd;
	struct l2tp_ppp_opt o;

	rd_init(&rd, opts.p, opts.len);
	while (l2tp_ppp_read_opt(&rd, &o) == 1) {
		if (o.type != O_IFID || !p->ifid_want)
			return -100;
		p->ifid_want = false;
	}
	return 0;
}

static void
v6_tlu(struct l2tp_ppp_link *p)
{
	char l[40], r[40];

	ppp_fmt_ll(p->ifid_l, l, sizeof(l));
	ppp_fmt_ll(p->ifid_p, r, sizeof(r));
	ppp_emit(p, L2TP_PPP_EV_UP, L2TP_PPP_IPV6CP, -1,
	         "IPv6CP opened: %s, peer %s", l, r);
}

static void
v6_tld(struct l2tp_ppp_link *p)
{
	ncp_tld(p, L2TP_PPP_IPV6CP, "IPv6CP");
}

static void
v6_tlf(struct l2tp_ppp_link *p)
{
	ppp_emit(p, L2TP_PPP_EV_DOWN, L2TP_PPP_IPV6CP, -1, "IPv6CP finished");
	ppp_ncps_check(p);
}

const struct ppp_layer_ops ppp_ipv6cp_ops = {
    .proto = L2TP_PPP_IPV6CP,
    .name = "IPv6CP",
    .build_cr = v6_build_cr,
    .rcr = v6_rcr,
    .rca = v6_rca,
    .adopt = v6_adopt,
    .rcn = v6_rcn,
    .rcj = v6_rcj,
    .tlu = v6_tlu,
    .tld = v6_tld,
    .tls = ncp_tls,
    .tlf = v6_tlf,
    .rxj_fatal = ncp_rxj_fatal,
};
