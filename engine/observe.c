/* The passive observer: control connections and calls rebuilt from a capture,
 * with delivery, Hello and authentication checks (RFC 2661 §4.4.3, §5.5, §5.8,
 * §6, §7). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/avpval.h"
#include "decoder/frame.h"
#include "decoder/hash.h"
#include "decoder/proto.h"
#include "engine/observe.h"

#define OBS_RING 8       /* sent messages tracked per direction (at most 8) */
#define OBS_CHAL_MAX 128 /* challenge bytes kept */
#define OBS_HALVES 1024  /* tunnels waiting for an end's id */
#define OBS_INIT_BUCKETS 4096 /* of the waiting tunnels' first addresses */
#define OBS_ORPHANS 64        /* findings kept outside any tunnel */
/* an SCCRQ still waits for its SCCRP this long after its last send (a
 * retransmission cycle is 1 + 2 + 4 + 8 + 8 s) */
#define OBS_CROSS_US 32000000ULL
/* a StopCCN this soon after the SCCCN refuses it */
#define OBS_REFUSE_US 1000000ULL

/* One direction's working state: what its sender sent, what it owes. */
/* The scalars first: one cache line serves most messages. */
struct obs_dir {
	bool have_ns;
	uint16_t next_ns; /* next new Ns expected from this sender */
	bool have_nr;
	uint16_t nr; /* latest Nr this sender sent */
	bool gap;
	uint16_t gap_lo, gap_hi; /* Ns never seen, [lo, hi) */
	uint8_t pend;            /* bit i: ring[i] sent and not acknowledged */
	unsigned ring_next;
	unsigned outstanding;
	bool stalled;
	/* a Challenge this sender must answer in its next message */
	bool expect_resp;
	bool chal_readable;
	size_t chal_len;
	uint64_t last_msg_us;        /* its latest message that is not a ZLB */
	uint64_t ring_seq[OBS_RING]; /* history sequence of the first send */
	struct l2tp_obs_sent ring[OBS_RING];
	/* the Challenge this sender sent */
	uint8_t chal[OBS_CHAL_MAX];
};

_Static_assert(OBS_RING <= 8, "obs_dir.pend has a bit per ring entry");
_Static_assert(sizeof(struct l2tp_obs_msg) == 40,
               "a history entry stays small");

struct obs_tun {
	struct l2tp_obs_tunnel pub;
	struct l2tp_obs_call *calls;
	size_t capcalls;
	struct l2tp_obs_msg *hist;
	size_t hn, hcap, hring;
	uint64_t hadded; /* messages added, kept or not */
	struct l2tp_obs_finding *find;
	size_t nf, capf;
	struct obs_dir *d; /* [2]; freed once the tunnel is over (done) */
	uint16_t scccn_ns, stop_ns;
	uint64_t calls_made; /* calls numbered so far */
	size_t ndead;        /* folded calls whose slots wait for reuse */
	uint32_t free1;      /* 1 + a folded call's index; its `serial`
	                        links to the next one the same way */
	uint32_t *endq;      /* ended calls that went well, kept: a ring
	                        of calls_keep + 1 call indexes */
	size_t endq_head;
	uint32_t ended_kept;  /* ended calls that went well, kept */
	uint32_t failed_kept; /* failed calls kept */
	uint16_t (*sidx)[2];  /* calls[i].sid packed: a scan reads one cache
	                         line for 16 calls */
	bool hashed; /* past OBS_CALL_SCAN calls once: the hash finds them
	                from then on, even when folding leaves fewer */
	bool spoke_after_scccn; /* a responder message after the SCCCN */
	bool in_halves;
};

struct obs_key {
	uint8_t kind; /* 1: an end's tunnel id, 2: an end's session id */
	uint8_t side;
	uint8_t family;
	uint8_t pad;
	uint16_t id;
	uint16_t pad2;
	uint32_t tun;
	uint8_t addr[16]; /* the end's address */
	uint8_t peer[16]; /* the other end's: ids are only unique per host */
	uint8_t peer_family;
	uint8_t pad3[3];
};

/* A slot holds 32 bits of the key's hash and what it maps to, with the
 * key's kind in the value's top bit; the key itself is checked against
 * the tunnel or call it names (8 bytes a slot keeps the table in cache). */
struct obs_slot {
	uint32_t h; /* 0: empty */
	uint32_t val;
};

#define OBS_VAL_CALL 0x80000000u /* the slot names a call */
#define OBS_VAL_MAX 0x7fffffffu  /* the largest tunnel end or call index */

struct l2tp_obs {
	struct l2tp_obs_config c;
	struct obs_tun **tun;
	size_t ntun, captun;
	struct obs_slot *slots;
	size_t nslots, nused;
	uint32_t halves[OBS_HALVES];
	uint32_t half_pair[OBS_HALVES]; /* pair_hash of its two addresses */
	/* waiting tunnels by the bucket of their first end's address: an
	 * SCCRQ to an address that opened none cannot have crossed one */
	uint16_t init_cnt[OBS_INIT_BUCKETS];
	size_t nhalves;
	struct l2tp_obs_finding orphan[OBS_ORPHANS];
	size_t norphan;
	struct l2tp_obs_stats st;
	uint64_t mem;
	bool finished;
	/* tunnels whose StopCCN was acked, in that order: done after the
	 * hold (a ring of tunnel indexes) */
	uint32_t *closing;
	size_t cl_head, cl_n, cl_cap;
	uint64_t cl_due; /* the first one's hold ends after this */
	/* the message being handled */
	bool cur_find;
	/* tunnels that went well and are done, oldest first (a ring of
	 * tunnel indexes): folded beyond tunnels_keep */
	uint32_t *calm;
	size_t calm_head, calm_n;
	/* folded tunnels leave NULL in tun[]: the callers' view skips them */
	size_t nfolded;
	uint32_t *view;
	size_t nview;
	bool view_dirty;
};

static const char *const cat_names[L2TP_OBS_C_COUNT] = {
    [L2TP_OBS_C_RFC] = "rfc",
    [L2TP_OBS_C_MALFORMED] = "malformed",
    [L2TP_OBS_C_TRUNCATED] = "truncated",
    [L2TP_OBS_C_UNSUPPORTED] = "unsupported",
    [L2TP_OBS_C_AUTH] = "auth",
    [L2TP_OBS_C_DELIVERY] = "delivery",
    [L2TP_OBS_C_PORT] = "port",
    [L2TP_OBS_C_PPP] = "ppp",
};

const char *
l2tp_obs_cat_name(enum l2tp_obs_cat c)
{
	return (unsigned)c < L2TP_OBS_C_COUNT ? cat_names[c] : "other";
}

void
l2tp_obs_config_default(struct l2tp_obs_config *c)
{
	memset(c, 0, sizeof(*c));
	c->history_max = 128;
	c->findings_max = 48;
	c->calls_keep = 16;
	c->failed_keep = 64;
	c->tunnels_keep = 64;
}

/* ---- memory ---- */

static void *
obs_realloc(struct l2tp_obs *o, void *p, size_t oldn, size_t newn, size_t size)
{
	void *q;

	if (newn > SIZE_MAX / size)
		return NULL;
	if ((q = realloc(p, newn * size)) == NULL)
		return NULL;
	o->mem += (newn - oldn) * size;
	return q;
}

/* ---- the hash of ends and calls ---- */

/* Every field of the key goes in: for IPv4 the two addresses fill one
 * word, IPv6 adds two more. */
static uint32_t
key_hash(const struct obs_key *k)
{
	uint64_t a, b, c, d, h;

	memcpy(&a, k->addr, 8);
	memcpy(&b, k->addr + 8, 8);
	memcpy(&c, k->peer, 8);
	memcpy(&d, k->peer + 8, 8);
	h = (uint64_t)k->kind | (uint64_t)k->side << 8 |
	    (uint64_t)k->family << 16 | (uint64_t)k->peer_family << 24 |
	    (uint64_t)k->id << 32;
	if (b | d | (a >> 32) | (c >> 32)) /* IPv6 */
		h = l2tp_mix64(h ^ l2tp_mix64(a ^ (c << 1)) ^
		               l2tp_mix64(b ^ (d << 1)));
	else
		h = l2tp_mix64(
		    h ^ l2tp_mix64(a | c << 32 | (uint64_t)k->tun << 16));
	return (uint32_t)(h >> 32) ? (uint32_t)(h >> 32) : 1;
}

/* An end: its address, its tunnel id, and the other end's address. */
static void
key_end(struct obs_key *k, const struct l2tp_addr *a, uint16_t tid,
        const struct l2tp_addr *peer)
{
	memset(k, 0, sizeof(*k));
	k->kind = 1;
	k->family = a->family;
	memcpy(k->addr, a->addr, a->family == L2TP_AF_INET ? 4 : 16);
	k->peer_family = peer->family;
	memcpy(k->peer, peer->addr, peer->family == L2TP_AF_INET ? 4 : 16);
	k->id = tid;
}

static void
key_call(struct obs_key *k, uint32_t tun, int side, uint16_t sid)
{
	memset(k, 0, sizeof(*k));
	k->kind = 2;
	k->side = (uint8_t)side;
	k->tun = tun;
	k->id = sid;
}

static bool
same_addr(uint8_t fam, const uint8_t *a, const struct l2tp_addr *b)
{
	uint32_t x, y;

	if (fam != b->family)
		return false;
	if (fam != L2TP_AF_INET)
		return memcmp(a, b->addr, 16) == 0;
	memcpy(&x, a, 4); /* inlined: no call for the common case */
	memcpy(&y, b->addr, 4);
	return x == y;
}

/* Whether the slot's value is what the key names. */
static bool
slot_is(const struct l2tp_obs *o, const struct obs_key *k, uint32_t val)
{
	if (k->kind == 1) {
		const struct obs_tun *t;
		int side = (int)(val & 1);

		if ((val >> 1) >= o->ntun || o->tun[val >> 1] == NULL)
			return false;
		t = o->tun[val >> 1];
		return t->pub.p[side].tid == k->id &&
		       same_addr(k->family, k->addr, &t->pub.p[side].addr) &&
		       same_addr(k->peer_family, k->peer,
		                 &t->pub.p[1 - side].addr);
	}
	if (k->tun >= o->ntun || o->tun[k->tun] == NULL ||
	    val >= o->tun[k->tun]->pub.ncalls)
		return false;
	return o->tun[k->tun]->calls[val].sid[k->side] == k->id;
}

/* The value as a slot keeps it: the kind in the top bit. */
static uint32_t
slot_val(const struct obs_key *k, uint32_t val)
{
	return val | (k->kind == 2 ? OBS_VAL_CALL : 0);
}

static struct obs_slot *
slot_find(const struct l2tp_obs *o, const struct obs_key *k, uint32_t h)
{
	size_t mask = o->nslots - 1, i = (size_t)h & mask;
	uint32_t kb = slot_val(k, 0);

	for (size_t n = 0; n < o->nslots; n++, i = (i + 1) & mask) {
		struct obs_slot *s = &o->slots[i];

		if (s->h == 0 || (s->h == h && (s->val & OBS_VAL_CALL) == kb &&
		                  slot_is(o, k, s->val & OBS_VAL_MAX)))
			return s;
	}
	return NULL; /* not reached: the table is never full */
}

static bool
map_get(const struct l2tp_obs *o, const struct obs_key *k, uint32_t *val)
{
	struct obs_slot *s = slot_find(o, k, key_hash(k));

	if (s == NULL || s->h == 0)
		return false;
	*val = s->val & OBS_VAL_MAX;
	return true;
}

static int
map_grow(struct l2tp_obs *o)
{
	size_t n = o->nslots ? o->nslots * 2 : 1024;
	struct obs_slot *old = o->slots, *ns;
	size_t oldn = o->nslots;

	if ((ns = calloc(n, sizeof(*ns))) == NULL)
		return L2TP_OBS_NOMEM;
	o->mem += n * sizeof(*ns);
	for (size_t i = 0; i < oldn; i++) {
		size_t j;

		if (old[i].h == 0)
			continue;
		for (j = (size_t)old[i].h & (n - 1); ns[j].h != 0;
		     j = (j + 1) & (n - 1))
			;
		ns[j] = old[i];
	}
	o->slots = ns;
	o->nslots = n;
	free(old);
	o->mem -= oldn * sizeof(*old);
	return 0;
}

/*
 * Set a mapping; the value must already name the key (the tunnel's end
 * or the call carries the id).  An id a later tunnel or call reuses
 * takes the slot over: the newest holder wins.
 */
/*
 * Set a mapping; the value must already name the key (the tunnel's end
 * or the call carries the id).  An id a later tunnel or call reuses
 * takes the slot over: the newest holder wins.
 */
static int
map_put(struct l2tp_obs *o, const struct obs_key *k, uint32_t val)
{
	uint32_t h = key_hash(k);
	struct obs_slot *sl;

	if (val > OBS_VAL_MAX)
		return L2TP_OBS_NOMEM;
	if ((o->nused + 1) * 2 > o->nslots && map_grow(o) < 0)
		return L2TP_OBS_NOMEM;
	sl = slot_find(o, k, h);
	if (sl->h == 0) {
		sl->h = h;
		o->nused++;
	}
	sl->val = slot_val(k, val); /* the newest holder wins */
	return 0;
}

/* Remove the key's slot if it still names `val` (backward-shift
 * deletion keeps every probe chain whole). */
static void
map_del(struct l2tp_obs *o, const struct obs_key *k, uint32_t val)
{
	uint32_t h = key_hash(k), sv = slot_val(k, val);
	size_t mask = o->nslots - 1, i = (size_t)h & mask, j;

	if (o->nslots == 0)
		return;
	for (;; i = (i + 1) & mask) {
		if (o->slots[i].h == 0)
			return;
		if (o->slots[i].h == h && o->slots[i].val == sv)
			break;
	}
	for (j = (i + 1) & mask; o->slots[j].h != 0; j = (j + 1) & mask) {
		size_t home = (size_t)o->slots[j].h & mask;

		/* move j back into the hole unless its home lies in (i, j] */
		if (i <= j ? (home <= i || home > j)
		           : (home <= i && home > j)) {
			o->slots[i] = o->slots[j];
			i = j;
		}
	}
	o->slots[i].h = 0;
	o->nused--;
}

/* ---- findings ---- */

static enum l2tp_obs_cat
cat_of_fault(enum l2tp_fault f)
{
	switch (f) {
	case L2TP_FAULT_TRUNCATED:
		return L2TP_OBS_C_TRUNCATED;
	case L2TP_FAULT_MALFORMED:
		return L2TP_OBS_C_MALFORMED;
	case L2TP_FAULT_UNSUPPORTED:
		return L2TP_OBS_C_UNSUPPORTED;
	default:
		return L2TP_OBS_C_RFC;
	}
}

static void find_add(struct l2tp_obs *o, struct obs_tun *t,
                     const struct l2tp_obs_meta *mt, int side,
                     enum l2tp_obs_cat cat, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
find_add(struct l2tp_obs *o, struct obs_tun *t, const struct l2tp_obs_meta *mt,
         int side, enum l2tp_obs_cat cat, const char *fmt, ...)
{
	struct l2tp_obs_finding *f = NULL;
	va_list ap;

	o->st.findings++;
	o->st.find_by_cat[cat]++;
	o->cur_find = true;
	if (t != NULL) {
		t->pub.nfind++;
		t->pub.find_by_cat[cat]++;
		if (t->nf < o->c.findings_max) {
			if (t->nf == t->capf) {
				size_t n = t->capf ? t->capf * 2 : 4;
				void *p;

				if (n > o->c.findings_max)
					n = o->c.findings_max;
				p = obs_realloc(o, t->find, t->capf, n,
				                sizeof(*t->find));
				if (p == NULL)
					return;
				t->find = p;
				t->capf = n;
			}
			f = &t->find[t->nf++];
		}
	} else if (o->norphan < OBS_ORPHANS) {
		f = &o->orphan[o->norphan++];
	}
	if (f == NULL)
		return;
	f->frame = mt ? mt->frame : 0;
	f->time_us = mt ? mt->time_us : 0;
	f->side = (int8_t)side;
	f->cat = (uint8_t)cat;
	va_start(ap, fmt);
	vsnprintf(f->what, sizeof(f->what), fmt, ap);
	va_end(ap);
}

/* ---- small helpers ---- */

static const char *
addr_str(const struct l2tp_addr *a, char *buf, size_t len)
{
	struct l2tp_ipaddr ip;

	memset(&ip, 0, sizeof(ip));
	ip.family = a->family;
	memcpy(ip.a, a->addr, 16);
	return l2tp_ipaddr_str(&ip, buf, len);
}

static const char *
mname(int type, char *buf, size_t len)
{
	return l2tp_msg_name(type, buf, len);
}

/* A text AVP as a C string (non-printable bytes as '?'). */
static bool
avp_str(const struct l2tp_msg *m, uint16_t type, char *out, size_t cap)
{
	const struct l2tp_avp *a = l2tp_find_avp(m, 0, type);
	struct l2tp_bytes b;
	size_t n;

	if (a == NULL || (a->h && !a->decrypted) || cap == 0)
		return false;
	b = l2tp_avp_data(a);
	n = b.len < cap - 1 ? b.len : cap - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = b.p[i] >= 0x20 && b.p[i] < 0x7f ? (char)b.p[i] : '?';
	out[n] = '\0';
	return true;
}

/* Result Code (§4.4.2): result, error?, message? */
static bool
avp_result(const struct l2tp_msg *m, uint16_t *res, uint16_t *err,
           bool *has_err, char *msg, size_t cap)
{
	const struct l2tp_avp *a = l2tp_find_avp(m, 0, L2TP_AVP_RESULT_CODE);
	struct l2tp_value v;

	msg[0] = '\0';
	*has_err = false;
	if (a == NULL || l2tp_avp_value(a, &v) < 0 || v.kind != L2TP_V_RESULT)
		return false;
	*res = v.result;
	*err = v.error;
	*has_err = v.has_error;
	if (v.has_message) {
		size_t n = v.b.len < cap - 1 ? v.b.len : cap - 1;

		for (size_t i = 0; i < n; i++)
			msg[i] = v.b.p[i] >= 0x20 && v.b.p[i] < 0x7f
			             ? (char)v.b.p[i]
			             : '?';
		msg[n] = '\0';
	}
	return true;
}

/* ---- tunnels ---- */

static struct obs_tun *
tun_new(struct l2tp_obs *o)
{
	struct obs_tun *t;

	if (o->ntun >= OBS_VAL_MAX >> 1) /* its ends' slot values */
		return NULL;
	if (o->ntun == o->captun) {
		size_t n = o->captun ? o->captun * 2 : 64;
		void *p = obs_realloc(o, o->tun, o->captun, n, sizeof(*o->tun));

		if (p == NULL)
			return NULL;
		o->tun = p;
		o->captun = n;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if ((t->d = calloc(2, sizeof(*t->d))) == NULL) {
		free(t);
		return NULL;
	}
	o->mem += sizeof(*t) + 2 * sizeof(*t->d);
	t->pub.no = (unsigned)o->ntun + 1;
	t->pub.closer = -1;
	t->pub.state = L2TP_TS_IDLE;
	for (int s = 0; s < 2; s++) {
		t->pub.p[s].rx_window = 4;
		t->pub.auth[s].secret = -1;
	}
	o->tun[o->ntun++] = t;
	o->st.tunnels++;
	return t;
}

static uint32_t
tun_idx(const struct obs_tun *t)
{
	return t->pub.no - 1;
}

/* An address, its port aside. */
static uint64_t
addr_hash(const struct l2tp_addr *x)
{
	uint64_t w0 = 0, w1 = 0;

	if (x->family == L2TP_AF_INET) {
		memcpy(&w0, x->addr, 4);
	} else {
		memcpy(&w0, x->addr, 8);
		memcpy(&w1, x->addr + 8, 8);
	}
	return l2tp_mix64(l2tp_mix64(w0 ^ x->family) ^ w1);
}

/* The two addresses of a tunnel in either order: the waiting list is
 * scanned by it before any tunnel is touched. */
static uint32_t
pair_hash(const struct l2tp_addr *a, const struct l2tp_addr *b)
{
	return (uint32_t)((addr_hash(a) + addr_hash(b)) >> 32);
}

/* Count the waiting tunnels whose first end has this address. */
static void
init_count(struct l2tp_obs *o, const struct obs_tun *t, int d)
{
	o->init_cnt[addr_hash(&t->pub.p[0].addr) & (OBS_INIT_BUCKETS - 1)] +=
	    (uint16_t)d;
}

static void
halves_add(struct l2tp_obs *o, struct obs_tun *t)
{
	if (t->in_halves)
		return;
	if (o->nhalves == OBS_HALVES) {
		/* the oldest waits no longer */
		o->tun[o->halves[0]]->in_halves = false;
		init_count(o, o->tun[o->halves[0]], -1);
		memmove(o->halves, o->halves + 1,
		        (OBS_HALVES - 1) * sizeof(o->halves[0]));
		memmove(o->half_pair, o->half_pair + 1,
		        (OBS_HALVES - 1) * sizeof(o->half_pair[0]));
		o->nhalves--;
	}
	o->half_pair[o->nhalves] =
	    pair_hash(&t->pub.p[0].addr, &t->pub.p[1].addr);
	o->halves[o->nhalves++] = tun_idx(t);
	t->in_halves = true;
	init_count(o, t, 1);
}

static void
halves_del(struct l2tp_obs *o, struct obs_tun *t)
{
	if (!t->in_halves)
		return;
	for (size_t i = 0; i < o->nhalves; i++)
		if (o->halves[i] == tun_idx(t)) {
			init_count(o, t, -1);
			o->halves[i] = o->halves[--o->nhalves];
			o->half_pair[i] = o->half_pair[o->nhalves];
			break;
		}
	t->in_halves = false;
}

/* An end's tunnel id became known. */
static int
end_set_tid(struct l2tp_obs *o, struct obs_tun *t, int side, uint16_t tid)
{
	struct obs_key k;
	struct l2tp_obs_peer *p = &t->pub.p[side];

	if (tid == 0 || p->tid == tid)
		return 0;
	p->tid = tid;
	if (t->pub.p[0].tid && t->pub.p[1].tid)
		halves_del(o, t);
	key_end(&k, &p->addr, tid, &t->pub.p[1 - side].addr);
	return map_put(o, &k, tun_idx(t) << 1 | (uint32_t)side);
}

static void
set_state(struct obs_tun *t, int st, int8_t *changed)
{
	if (t->pub.state == st)
		return;
	t->pub.state = st;
	*changed = (int8_t)st;
}

static void
step(struct obs_tun *t, enum l2tp_obs_step s, const struct l2tp_obs_meta *mt)
{
	if (t->pub.step_frame[s] == 0) {
		t->pub.step_frame[s] = mt->frame;
		t->pub.step_us[s] = mt->time_us;
	}
}

/*
 * Which tunnel and which end a control message belongs to.  The header's
 * Tunnel ID is the receiver's id (§3.1), so (destination address, id)
 * names the receiving end; a message with Tunnel ID 0 is an SCCRQ, or
 * names its sender through Assigned Tunnel ID.
 */
static struct obs_tun *
locate(struct l2tp_obs *o, const struct l2tp_obs_meta *mt,
       const struct l2tp_msg *m, int type, int *sender, bool *fresh)
{
	struct obs_key k;
	uint32_t v;
	uint16_t atid = 0;
	struct obs_tun *t;
	bool has_atid;

	*fresh = false;
	if (m->tunnel != 0 && type != L2TP_SCCRQ) {
		key_end(&k, &mt->dst, (uint16_t)m->tunnel, &mt->src);
		if (map_get(o, &k, &v)) {
			t = o->tun[v >> 1];
			*sender = 1 - (int)(v & 1);
			return t;
		}
		has_atid = l2tp_avp_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &atid);
		/* an end whose id is not known yet: its peer's reply */
		uint32_t ph = pair_hash(&mt->src, &mt->dst);

		for (size_t i = o->nhalves; i-- > 0;) {
			if (o->half_pair[i] != ph)
				continue;
			t = o->tun[o->halves[i]];
			for (int s = 0; s < 2; s++) {
				struct l2tp_obs_peer *r = &t->pub.p[s];

				if (r->tid != 0 ||
				    !l2tp_addr_eq(&r->addr, &mt->dst, false) ||
				    !l2tp_addr_eq(&t->pub.p[1 - s].addr,
				                  &mt->src, false))
					continue;
				if (end_set_tid(o, t, s, (uint16_t)m->tunnel) <
				    0)
					return NULL;
				*sender = 1 - s;
				return t;
			}
		}
		/* the capture starts inside this tunnel */
		if ((t = tun_new(o)) == NULL)
			return NULL;
		*fresh = true;
		/* p[0] is the initiator when the message tells */
		*sender =
		    type == L2TP_SCCRP || type == L2TP_ICRP || type == L2TP_OCRP
		        ? 1
		        : 0;
		t->pub.p[*sender].addr = mt->src;
		t->pub.p[*sender].port_now = mt->src.port;
		t->pub.p[1 - *sender].addr = mt->dst;
		t->pub.p[1 - *sender].port_now = mt->dst.port;
		t->pub.state = type == L2TP_SCCRP   ? L2TP_TS_WAIT_CTL_REPLY
		               : type == L2TP_SCCCN ? L2TP_TS_WAIT_CTL_CONN
		                                    : L2TP_TS_ESTABLISHED;
		halves_add(o, t);
		if (end_set_tid(o, t, 1 - *sender, (uint16_t)m->tunnel) < 0)
			return NULL;
		if (has_atid && end_set_tid(o, t, *sender, atid) < 0)
			return NULL;
		return t;
	}
	has_atid = l2tp_avp_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &atid);
	if (type == L2TP_SCCRQ) {
		if (has_atid && atid != 0) {
			key_end(&k, &mt->src, atid, &mt->dst);
			if (map_get(o, &k, &v) && (v & 1) == 0) {
				t = o->tun[v >> 1];
				/* the same SCCRQ again, or a late copy */
				if (t->pub.seen_start && !t->pub.closed &&
				    t->d[0].have_ns &&
				    l2tp_seq_lt(m->ns, t->d[0].next_ns)) {
					*sender = 0;
					return t;
				}
			}
		}
		if ((t = tun_new(o)) == NULL)
			return NULL;
		*fresh = true;
		*sender = 0;
		t->pub.seen_start = true;
		t->pub.p[0].addr = mt->src;
		t->pub.p[0].port_now = mt->src.port;
		t->pub.p[1].addr = mt->dst;
		t->pub.p[1].port_now = mt->dst.port;
		halves_add(o, t);
		if (has_atid && end_set_tid(o, t, 0, atid) < 0)
			return NULL;
		return t;
	}
	/* Tunnel ID 0: the sender names itself (xl2tpd's StopCCN to a
	 * silent peer does this) */
	if (has_atid && atid != 0) {
		key_end(&k, &mt->src, atid, &mt->dst);
		if (map_get(o, &k, &v)) {
			*sender = (int)(v & 1);
			return o->tun[v >> 1];
		}
	}
	return NULL;
}

/* ---- history ---- */

static struct l2tp_obs_msg *
hist_add(struct l2tp_obs *o, struct obs_tun *t)
{
	size_t max = o->c.history_max, half = max / 2;
	struct l2tp_obs_msg *h;

	t->hadded++;
	if (t->hn < max) {
		if (t->hn == t->hcap) {
			size_t n = t->hcap ? t->hcap * 2 : 16;
			void *p;

			if (n > max)
				n = max;
			p = obs_realloc(o, t->hist, t->hcap, n,
			                sizeof(*t->hist));
			if (p == NULL) {
				t->hadded--;
				return NULL;
			}
			t->hist = p;
			t->hcap = n;
		}
		h = &t->hist[t->hn++];
	} else {
		h = &t->hist[half + t->hring];
		t->hring = (t->hring + 1) % (max - half);
	}
	memset(h, 0, sizeof(*h));
	return h;
}

/* The kept entry for the n-th message added (0-based), or NULL. */
static struct l2tp_obs_msg *
hist_by_seq(const struct l2tp_obs *o, const struct obs_tun *t, uint64_t seq)
{
	size_t max = o->c.history_max, half = max / 2, ring = max - half;

	if (seq >= t->hadded)
		return NULL;
	if (t->hadded <= max || seq < half)
		return &t->hist[seq];
	if (seq < t->hadded - ring)
		return NULL;
	/* the ring holds the last `ring` messages; hring is the oldest */
	return &t->hist[half + (t->hring + (seq - (t->hadded - ring))) % ring];
}

const struct l2tp_obs_msg *
l2tp_obs_history(const struct l2tp_obs *o, const struct l2tp_obs_tunnel *pub,
                 size_t i, size_t *kept, uint64_t *cut)
{
	const struct obs_tun *t = (const struct obs_tun *)pub;
	size_t max = o->c.history_max, half = max / 2;
	uint64_t seq;

	*kept = t->hn;
	if (cut)
		*cut = t->hadded - t->hn;
	if (i >= t->hn)
		return NULL;
	seq = i < half || t->hadded <= max ? i : t->hadded - (t->hn - i);
	return hist_by_seq(o, t, seq);
}

size_t
l2tp_obs_history_cut_at(const struct l2tp_obs *o)
{
	return o->c.history_max / 2;
}

const struct l2tp_obs_finding *
l2tp_obs_tunnel_finding(const struct l2tp_obs *o,
                        const struct l2tp_obs_tunnel *pub, size_t i,
                        size_t *kept)
{
	const struct obs_tun *t = (const struct obs_tun *)pub;

	(void)o;
	*kept = t->nf;
	return i < t->nf ? &t->find[i] : NULL;
}

const struct l2tp_obs_finding *
l2tp_obs_orphan_finding(const struct l2tp_obs *o, size_t i, size_t *kept)
{
	*kept = o->norphan;
	return i < o->norphan ? &o->orphan[i] : NULL;
}

/* ---- reliable delivery (§5.8) ---- */

/* "after 1.0, 2.0, 4.0 s: the 1, 2, 4, 8 s backoff" into buf. */
static void
backoff_words(const struct l2tp_obs_sent *e, char *buf, size_t len)
{
	unsigned n = e->sends < L2TP_OBS_SENDS ? e->sends : L2TP_OBS_SENDS;
	size_t used = 0;
	bool rfc = true, doubling = true;
	uint64_t first = 0;

	buf[0] = '\0';
	if (n < 2)
		return;
	used += (size_t)snprintf(buf + used, len - used, "retransmitted after");
	for (unsigned i = 1; i < n && used < len; i++) {
		uint64_t d = e->t_us[i] - e->t_us[i - 1];
		uint64_t want =
		    (uint64_t)(i < 4 ? 1u << (i - 1) : 8u) * 1000000;
		uint64_t tol = want / 4 > 250000 ? want / 4 : 250000;

		if (i == 1)
			first = d;
		if (d + tol < want || d > want + tol)
			rfc = false;
		if (i > 1) {
			uint64_t dw = first << (i - 1);

			if (d * 4 < dw * 3 || d * 4 > dw * 5)
				doubling = false;
		}
		used += (size_t)snprintf(
		    buf + used, len - used, "%s %llu.%01llu", i > 1 ? "," : "",
		    (unsigned long long)(d / 1000000),
		    (unsigned long long)(d % 1000000 / 100000));
	}
	if (used < len)
		snprintf(buf + used, len - used, " s%s",
		         rfc        ? " (the 1, 2, 4, 8 s backoff)"
		         : doubling ? " (doubling, not from 1 s)"
		                    : " (not the doubling backoff of §5.8)");
}

static void
sent_acked(struct l2tp_obs *o, struct obs_tun *t, int side,
           struct l2tp_obs_sent *e, const struct l2tp_obs_meta *mt, bool zlb)
{
	struct l2tp_obs_peer *p = &t->pub.p[side];
	unsigned last =
	    (e->sends < L2TP_OBS_SENDS ? e->sends : L2TP_OBS_SENDS) - 1;
	uint64_t lat = mt->time_us - e->t_us[last];
	char nb[24], bo[96];

	e->acked = true;
	t->d[side].pend &= (uint8_t) ~(1u << (e - t->d[side].ring));
	e->ack_by_zlb = zlb;
	e->ack_us = mt->time_us;
	p->acks++;
	p->ack_sum_us += lat;
	if (lat > p->ack_max_us)
		p->ack_max_us = lat;
	if (zlb)
		p->zlb_acks++;
	if (t->d[side].outstanding)
		t->d[side].outstanding--;
	if (e->sends > 1) {
		backoff_words(e, bo, sizeof(bo));
		find_add(o, t, mt, side, L2TP_OBS_C_DELIVERY,
		         "%s Ns %u sent %u times, %s; acknowledged "
		         "%llu.%03llu s after the last",
		         mname(e->msg_type, nb, sizeof(nb)), e->ns, e->sends,
		         bo, (unsigned long long)(lat / 1000000),
		         (unsigned long long)(lat % 1000000 / 1000));
	}
}

/* The receiver's Nr from `from` acknowledges side `side`'s messages. */
static void
ack(struct l2tp_obs *o, struct obs_tun *t, int side, int from,
    const struct l2tp_obs_meta *mt, uint16_t nr, bool zlb)
{
	struct obs_dir *d = &t->d[side], *df = &t->d[from];
	char a[48];

	if (d->have_ns && l2tp_seq_lt(d->next_ns, nr)) {
		t->pub.p[from].bad_nr++;
		find_add(o, t, mt, from, L2TP_OBS_C_DELIVERY,
		         "Nr %u acknowledges messages %s never sent (its "
		         "last Ns was %u)",
		         nr, addr_str(&t->pub.p[side].addr, a, sizeof(a)),
		         (uint16_t)(d->next_ns - 1));
	}
	if (df->have_nr && l2tp_seq_lt(nr, df->nr))
		find_add(o, t, mt, from, L2TP_OBS_C_DELIVERY,
		         "Nr went back from %u to %u", df->nr, nr);
	else {
		df->nr = nr;
		df->have_nr = true;
	}
	/* only the entries still waiting: the ring itself stays cold */
	for (unsigned m = d->pend; m != 0; m &= m - 1) {
		struct l2tp_obs_sent *e = &d->ring[__builtin_ctz(m)];

		if (l2tp_seq_lt(e->ns, nr))
			sent_acked(o, t, side, e, mt, zlb);
	}
	if (d->outstanding < t->pub.p[from].rx_window)
		d->stalled = false;
}

static void
ring_drop(struct l2tp_obs *o, struct obs_tun *t, int side,
          struct l2tp_obs_sent *e)
{
	/* an entry pushed out unacknowledged: the newest such is kept */
	if (e->sends && !e->acked) {
		t->d[side].pend &= (uint8_t) ~(1u << (e - t->d[side].ring));
		if (!t->pub.p[side].unacked) {
			t->pub.p[side].unacked = true;
			t->pub.p[side].noack = *e;
		}
		if (t->d[side].outstanding)
			t->d[side].outstanding--;
	}
	(void)o;
}

enum seq_kind { SEQ_NEW, SEQ_RTX, SEQ_DUP, SEQ_OOO };

/* A non-ZLB message's Ns from `side`. */
static enum seq_kind
seq(struct l2tp_obs *o, struct obs_tun *t, int side,
    const struct l2tp_obs_meta *mt, const struct l2tp_msg *m, int type,
    uint8_t *flags, uint8_t *sends)
{
	struct obs_dir *d = &t->d[side];
	struct l2tp_obs_peer *p = &t->pub.p[side];
	struct l2tp_obs_sent *e;
	uint16_t ns = m->ns;
	char nb[24], a[48];

	if (d->have_ns && l2tp_seq_lt(ns, d->next_ns)) {
		for (unsigned i = 0; i < OBS_RING; i++) {
			e = &d->ring[i];
			if (e->sends == 0 || e->ns != ns || e->msg_type != type)
				continue;
			if (e->sends < L2TP_OBS_SENDS)
				e->t_us[e->sends] = mt->time_us;
			if (e->sends < 255)
				e->sends++;
			*sends = e->sends;
			if (e->acked) {
				p->duplicates++;
				*flags |= L2TP_OBS_H_DUP;
				find_add(o, t, mt, side, L2TP_OBS_C_DELIVERY,
				         "%s Ns %u sent again %llu.%03llu s "
				         "after it was acknowledged (the ack "
				         "was lost or late)",
				         mname(type, nb, sizeof(nb)), ns,
				         (unsigned long long)((mt->time_us -
				                               e->ack_us) /
				                              1000000),
				         (unsigned long long)((mt->time_us -
				                               e->ack_us) %
				                              1000000 / 1000));
				return SEQ_DUP;
			}
			p->retransmits++;
			*flags |= L2TP_OBS_H_RTX;
			return SEQ_RTX;
		}
		if (d->gap && !l2tp_seq_lt(ns, d->gap_lo) &&
		    l2tp_seq_lt(ns, d->gap_hi)) {
			p->out_of_order++;
			*flags |= L2TP_OBS_H_OOO;
			find_add(o, t, mt, side, L2TP_OBS_C_DELIVERY,
			         "%s Ns %u arrived after Ns %u: out of order",
			         mname(type, nb, sizeof(nb)), ns,
			         (uint16_t)(d->next_ns - 1));
			return SEQ_OOO;
		}
		p->duplicates++;
		*flags |= L2TP_OBS_H_DUP;
		find_add(o, t, mt, side, L2TP_OBS_C_DELIVERY,
		         "%s Ns %u is older than the last Ns %u from %s: a "
		         "duplicate",
		         mname(type, nb, sizeof(nb)), ns,
		         (uint16_t)(d->next_ns - 1),
		         addr_str(&p->addr, a, sizeof(a)));
		return SEQ_DUP;
	}
	if (d->have_ns && ns != d->next_ns) {
		uint16_t missing = (uint16_t)(ns - d->next_ns);

		p->gaps++;
		*flags |= L2TP_OBS_H_GAP;
		d->gap = true;
		d->gap_lo = d->next_ns;
		d->gap_hi = ns;
		find_add(o, t, mt, side, L2TP_OBS_C_DELIVERY,
		         "Ns jumped from %u to %u: %u message%s from %s not "
		         "in the capture (lost before the capture point, or "
		         "filtered)",
		         d->next_ns, ns, missing, missing == 1 ? "" : "s",
		         addr_str(&p->addr, a, sizeof(a)));
	} else if (!d->have_ns && type == L2TP_SCCRQ && ns != 0) {
		find_add(o, t, mt, side, L2TP_OBS_C_RFC,
		         "SCCRQ with Ns %u: the first message of a tunnel has "
		         "Ns 0 (§5.8)",
		         ns);
	}
	d->have_ns = true;
	d->next_ns = (uint16_t)(ns + 1);
	/* track it until acknowledged */
	e = &d->ring[d->ring_next];
	ring_drop(o, t, side, e);
	memset(e, 0, sizeof(*e));
	e->frame = mt->frame;
	e->msg_type = (int16_t)type;
	e->ns = ns;
	e->sends = 1;
	e->t_us[0] = mt->time_us;
	d->ring_seq[d->ring_next] = t->hadded; /* its history entry */
	d->pend |= (uint8_t)(1u << d->ring_next);
	d->ring_next = (d->ring_next + 1) % OBS_RING;
	d->outstanding++;
	if (d->outstanding >= t->pub.p[1 - side].rx_window && !d->stalled &&
	    t->pub.state != L2TP_TS_CLOSING) {
		d->stalled = true;
		p->window_stalls++;
		find_add(o, t, mt, side, L2TP_OBS_C_DELIVERY,
		         "%u messages from %s unacknowledged, the peer's "
		         "whole receive window (%u): the sender must wait "
		         "(window stalled)",
		         d->outstanding, addr_str(&p->addr, a, sizeof(a)),
		         t->pub.p[1 - side].rx_window);
	}
	return SEQ_NEW;
}

/* ---- authentication (§4.4.3, §5.1.1) ---- */

static void
challenge(struct obs_tun *t, int side, const struct l2tp_obs_meta *mt,
          const struct l2tp_msg *m, int type)
{
	const struct l2tp_avp *a = l2tp_find_avp(m, 0, L2TP_AVP_CHALLENGE);
	struct obs_dir *d = &t->d[side];
	struct l2tp_obs_auth *au = &t->pub.auth[side];
	struct l2tp_bytes b;

	if (a == NULL)
		return;
	au->verdict = L2TP_OBS_V_UNANSWERED;
	au->chal_msg = type;
	au->chal_frame = mt->frame;
	b = l2tp_avp_data(a);
	d->chal_readable =
	    !(a->h && !a->decrypted) && b.len >= 1 && b.len <= OBS_CHAL_MAX;
	d->chal_len = d->chal_readable ? b.len : 0;
	if (d->chal_readable)
		memcpy(d->chal, b.p, b.len);
	t->d[1 - side].expect_resp = true;
}

static void
response(struct l2tp_obs *o, struct obs_tun *t, int side,
         const struct l2tp_obs_meta *mt, const struct l2tp_msg *m, int type)
{
	const struct l2tp_avp *a =
	    l2tp_find_avp(m, 0, L2TP_AVP_CHALLENGE_RESPONSE);
	struct obs_dir *dc = &t->d[1 - side]; /* the challenger */
	struct l2tp_obs_auth *au = &t->pub.auth[1 - side];
	char nb[24], nb2[24], ad[48];
	struct l2tp_bytes b;
	uint8_t want[16];

	if (!t->d[side].expect_resp) {
		if (a != NULL)
			find_add(
			    o, t, mt, side, L2TP_OBS_C_AUTH,
			    "%s carries a Challenge Response, but no "
			    "Challenge from %s was seen",
			    mname(type, nb, sizeof(nb)),
			    addr_str(&t->pub.p[1 - side].addr, ad, sizeof(ad)));
		return;
	}
	t->d[side].expect_resp = false;
	if (a == NULL) {
		if (type != L2TP_STOPCCN)
			find_add(
			    o, t, mt, side, L2TP_OBS_C_RFC,
			    "%s's Challenge (frame %llu) is not answered: "
			    "no Challenge Response in the next message, "
			    "%s (§5.1.1)",
			    addr_str(&t->pub.p[1 - side].addr, ad, sizeof(ad)),
			    (unsigned long long)au->chal_frame,
			    mname(type, nb2, sizeof(nb2)));
		return;
	}
	au->resp_msg = type;
	au->resp_frame = mt->frame;
	b = l2tp_avp_data(a);
	if (!dc->chal_readable || (a->h && !a->decrypted) || b.len != 16) {
		au->verdict = L2TP_OBS_V_UNREADABLE;
		return;
	}
	if (o->c.nsecrets == 0) {
		au->verdict = L2TP_OBS_V_NOSECRET;
		return;
	}
	au->verdict = L2TP_OBS_V_NOMATCH;
	for (size_t i = 0; i < o->c.nsecrets; i++) {
		const char *s = o->c.secrets[i];

		/* ID is the Message Type of the message carrying it */
		l2tp_chap_response((uint8_t)type, (const uint8_t *)s, strlen(s),
		                   dc->chal, dc->chal_len, want);
		if (memcmp(want, b.p, 16) == 0) {
			au->verdict = L2TP_OBS_V_MATCH;
			au->secret = (int)i;
			return;
		}
	}
}

/* ---- per message type ---- */

static void
peer_info(struct l2tp_obs_peer *p, const struct l2tp_msg *m)
{
	const struct l2tp_avp *a;
	struct l2tp_value v;
	uint16_t u16;

	avp_str(m, L2TP_AVP_HOST_NAME, p->host, sizeof(p->host));
	avp_str(m, L2TP_AVP_VENDOR_NAME, p->vendor, sizeof(p->vendor));
	if (l2tp_avp_u16(m, L2TP_AVP_FIRMWARE_REV, &u16))
		p->firmware = u16;
	l2tp_avp_u32(m, L2TP_AVP_FRAMING_CAP, &p->framing_cap);
	l2tp_avp_u32(m, L2TP_AVP_BEARER_CAP, &p->bearer_cap);
	if (l2tp_avp_u16(m, L2TP_AVP_RECEIVE_WINDOW, &u16) && u16 != 0) {
		p->rx_window = u16;
		p->rx_window_given = true;
	}
	a = l2tp_find_avp(m, 0, L2TP_AVP_PROTOCOL_VERSION);
	if (a && l2tp_avp_value(a, &v) == 0 && v.kind == L2TP_V_PROTOVER) {
		p->version = (uint8_t)v.u;
		p->revision = v.rev;
	}
}

/*
 * A tunnel's calls are found by a scan, newest first, while it has few
 * (the scan reads their packed ids, sidx); past OBS_CALL_SCAN
 * their ids go into the hash.
 */
#define OBS_CALL_SCAN 64

static struct l2tp_obs_call *
call_find(const struct l2tp_obs *o, struct obs_tun *t, int side, uint16_t sid)
{
	struct obs_key k;
	uint32_t v;

	if (sid == 0)
		return NULL;
	if (!t->hashed) {
		struct l2tp_obs_call *best = NULL;

		/* folded calls' slots are reused: the newest holder of an
		 * id wins, as in the hash */
		for (size_t i = t->pub.ncalls; i-- > 0;)
			if (t->sidx[i][side] == sid &&
			    (best == NULL || t->calls[i].no > best->no))
				best = &t->calls[i];
		return best;
	}
	key_call(&k, tun_idx(t), side, sid);
	if (!map_get(o, &k, &v) || v >= t->pub.ncalls)
		return NULL;
	return &t->calls[v];
}

static int
call_put(struct l2tp_obs *o, struct obs_tun *t, size_t i, int side)
{
	struct obs_key k;

	if (t->calls[i].sid[side] == 0)
		return 0;
	key_call(&k, tun_idx(t), side, t->calls[i].sid[side]);
	return map_put(o, &k, (uint32_t)i);
}

static int
call_set_sid(struct l2tp_obs *o, struct obs_tun *t, struct l2tp_obs_call *c,
             int side, uint16_t sid)
{
	if (sid == 0)
		return 0;
	c->sid[side] = sid;
	t->sidx[c - t->calls][side] = sid;
	if (!t->hashed)
		return 0;
	return call_put(o, t, (size_t)(c - t->calls), side);
}

static struct l2tp_obs_call *
call_new(struct l2tp_obs *o, struct obs_tun *t)
{
	struct l2tp_obs_call *c;

	if (t->free1 == 0 && t->pub.ncalls == t->capcalls) {
		size_t n = t->capcalls ? t->capcalls * 2 : 2;
		void *p;

		if (n > OBS_VAL_MAX)
			return NULL;
		p = obs_realloc(o, t->calls, t->capcalls, n, sizeof(*t->calls));
		if (p == NULL)
			return NULL;
		t->calls = p;
		t->pub.calls = t->calls;
		p = obs_realloc(o, t->sidx, t->capcalls, n, sizeof(*t->sidx));
		if (p == NULL)
			return NULL;
		t->sidx = p;
		t->capcalls = n;
	}
	if (t->free1 == 0 && t->pub.ncalls == OBS_CALL_SCAN && !t->hashed) {
		t->hashed = true;
		/* from now on the hash finds them */
		for (size_t i = 0; i < OBS_CALL_SCAN; i++)
			for (int s = 0; s < 2; s++)
				if (call_put(o, t, i, s) < 0)
					return NULL;
	}
	if (t->free1) { /* a folded call's slot */
		c = &t->calls[t->free1 - 1];
		t->free1 = c->serial;
		t->ndead--;
	} else {
		c = &t->calls[t->pub.ncalls++];
	}
	memset(c, 0, sizeof(*c));
	t->sidx[c - t->calls][0] = t->sidx[c - t->calls][1] = 0;
	c->opener = -1;
	c->closer = -1;
	c->lac = -1;
	c->no = (uint32_t)++t->calls_made;
	t->pub.calls_total = t->calls_made;
	o->st.calls++;
	return c;
}

/* The call a session message is about: by the header's Session ID (the
 * receiver's id), else by the sender's Assigned Session ID. */
static struct l2tp_obs_call *
call_of(struct l2tp_obs *o, struct obs_tun *t, int sender,
        const struct l2tp_msg *m)
{
	struct l2tp_obs_call *c =
	    call_find(o, t, 1 - sender, (uint16_t)m->session);
	uint16_t asid;

	if (c == NULL && l2tp_avp_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &asid))
		c = call_find(o, t, sender, asid);
	return c;
}

/* ---- memory that follows live state: ended calls folded ---- */

bool
l2tp_obs_call_failed(const struct l2tp_obs_call *c)
{
	const struct l2tp_obs_ppp *p = c->ppp;
	const struct l2tp_obs_cp *l;

	if (c->conn_us == 0 && !c->from_data)
		return true;
	if (c->closer >= 0 && c->result != 1 && c->result != 3)
		return true;
	if (p == NULL)
		return false;
	l = &p->cp[L2TP_OBS_LCP];
	if (p->loop || p->findings || p->result == L2TP_OBS_AR_FAIL)
		return true;
	/* one end's LCP never answered at all (cli/an_ppp.c says so) */
	for (int s = 0; s < 2; s++)
		if (l->reqs[s] > 0 && l->open_us == 0 && l->reqs[1 - s] == 0 &&
		    l->acks[1 - s] + l->naks[1 - s] + l->rejs[1 - s] == 0)
			return true;
	return false;
}

static void
fold_sum(struct l2tp_obs_folded *f, const struct l2tp_obs_call *c)
{
	f->calls++;
	f->failed += c->failed;
	f->data += c->data[0] + c->data[1];
	if (c->conn_us) {
		f->connected++;
		if (c->req_us && c->conn_us >= c->req_us) {
			uint64_t d = c->conn_us - c->req_us;

			f->setup_us_sum += d;
			f->setup_n++;
			if (d > f->setup_us_max)
				f->setup_us_max = d;
		}
	}
	if (c->closer >= 0)
		f->by_result[c->result < 11 ? c->result : 11]++;
	if (c->ppp && c->ppp->cp[L2TP_OBS_LCP].open_us)
		f->ppp_opened++;
}

static void
fold_add(struct l2tp_obs_folded *to, const struct l2tp_obs_folded *f)
{
	to->calls += f->calls;
	to->failed += f->failed;
	to->connected += f->connected;
	to->data += f->data;
	to->ppp_opened += f->ppp_opened;
	for (int i = 0; i < 12; i++)
		to->by_result[i] += f->by_result[i];
	to->setup_us_sum += f->setup_us_sum;
	to->setup_n += f->setup_n;
	if (f->setup_us_max > to->setup_us_max)
		to->setup_us_max = f->setup_us_max;
	to->tunnels += f->tunnels;
	to->tunnel_msgs += f->tunnel_msgs;
}

static int
call_no_cmp(const void *a, const void *b)
{
	const struct l2tp_obs_call *x = a, *y = b;

	return x->no < y->no ? -1 : x->no > y->no;
}

/* At the end: the folded calls' slots go, the others in their order. */
static void
calls_compact(struct l2tp_obs *o, struct obs_tun *t)
{
	size_t n = t->pub.ncalls, j = 0;

	(void)o;
	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++)
		if (!t->calls[i].dead)
			t->calls[j++] = t->calls[i];
	t->pub.ncalls = j;
	t->ndead = 0;
	t->free1 = 0;
	qsort(t->calls, j, sizeof(*t->calls), call_no_cmp);
	for (size_t i = 0; i < j; i++) {
		t->sidx[i][0] = t->calls[i].sid[0];
		t->sidx[i][1] = t->calls[i].sid[1];
	}
}

static void
call_fold(struct l2tp_obs *o, struct obs_tun *t, size_t i)
{
	struct l2tp_obs_call *c = &t->calls[i];

	fold_sum(&t->pub.folded, c);
	if (t->hashed)
		for (int s = 0; s < 2; s++) {
			struct obs_key k;

			if (c->sid[s] == 0)
				continue;
			key_call(&k, tun_idx(t), s, c->sid[s]);
			map_del(o, &k, (uint32_t)i);
		}
	if (c->ppp) {
		free(c->ppp);
		c->ppp = NULL;
		o->mem -= sizeof(*c->ppp);
	}
	c->sid[0] = c->sid[1] = 0;
	t->sidx[i][0] = t->sidx[i][1] = 0;
	c->dead = true;
	c->serial = t->free1; /* its slot is reused by the next call */
	t->free1 = (uint32_t)i + 1;
	t->ndead++;
}

/* A call's CDN: it ended.  The failed ones are kept (up to failed_keep),
 * and the latest calls_keep of the others. */
static void
call_ended(struct l2tp_obs *o, struct obs_tun *t, struct l2tp_obs_call *c)
{
	size_t idx = (size_t)(c - t->calls);

	c->failed = l2tp_obs_call_failed(c);
	if (o->c.calls_keep == 0)
		return;
	if (c->failed) {
		if (t->failed_kept < o->c.failed_keep)
			t->failed_kept++;
		else
			call_fold(o, t, idx);
		return;
	}
	if (t->endq == NULL) {
		size_t n = (size_t)o->c.calls_keep + 1;

		if ((t->endq = malloc(n * sizeof(*t->endq))) == NULL)
			return;
		o->mem += n * sizeof(*t->endq);
	}
	t->endq[(t->endq_head + t->ended_kept++) % (o->c.calls_keep + 1)] =
	    (uint32_t)idx;
	if (t->ended_kept > o->c.calls_keep) {
		size_t old = t->endq[t->endq_head];

		t->endq_head = (t->endq_head + 1) % (o->c.calls_keep + 1);
		t->ended_kept--;
		call_fold(o, t, old);
	}
}

static void
on_call(struct l2tp_obs *o, struct obs_tun *t, int s,
        const struct l2tp_obs_meta *mt, const struct l2tp_msg *m, int type,
        struct l2tp_obs_msg *k)
{
	struct l2tp_obs_call *c;
	uint16_t asid = 0;
	uint32_t u;
	bool has_asid = l2tp_avp_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &asid);

	switch (type) {
	case L2TP_ICRQ:
	case L2TP_OCRQ:
		if ((c = call_new(o, t)) == NULL)
			return;
		c->type =
		    type == L2TP_ICRQ ? L2TP_CALL_INCOMING : L2TP_CALL_OUTGOING;
		c->opener = s;
		c->lac = (int8_t)(type == L2TP_ICRQ ? s : 1 - s);
		c->state = L2TP_SS_WAIT_REPLY;
		c->req_us = mt->time_us;
		c->req_frame = mt->frame;
		l2tp_avp_u32(m, L2TP_AVP_CALL_SERIAL, &c->serial);
		l2tp_avp_u32(m, L2TP_AVP_BEARER_TYPE, &c->bearer_type);
		l2tp_avp_u32(m, L2TP_AVP_FRAMING_TYPE, &c->framing_type);
		avp_str(m, L2TP_AVP_CALLING_NUMBER, c->calling,
		        sizeof(c->calling));
		avp_str(m, L2TP_AVP_CALLED_NUMBER, c->called,
		        sizeof(c->called));
		if (has_asid)
			call_set_sid(o, t, c, s, asid);
		k->kval = c->serial;
		k->kflags |= L2TP_OBS_K_VAL;
		return;
	case L2TP_ICRP:
	case L2TP_OCRP:
		c = call_find(o, t, 1 - s, (uint16_t)m->session);
		if (c == NULL && (c = call_new(o, t)) != NULL) {
			c->type = type == L2TP_ICRP ? L2TP_CALL_INCOMING
			                            : L2TP_CALL_OUTGOING;
			c->opener = 1 - s;
			c->lac = (int8_t)(type == L2TP_ICRP ? 1 - s : s);
			call_set_sid(o, t, c, 1 - s, (uint16_t)m->session);
		}
		if (c == NULL)
			return;
		c->rep_us = mt->time_us;
		if (c->state == L2TP_SS_WAIT_REPLY || c->state == L2TP_SS_IDLE)
			c->state = L2TP_SS_WAIT_CONNECT;
		if (has_asid)
			call_set_sid(o, t, c, s, asid);
		return;
	case L2TP_ICCN:
	case L2TP_OCCN:
		if ((c = call_of(o, t, s, m)) == NULL)
			return;
		c->conn_us = mt->time_us;
		if (c->closer < 0)
			c->state = L2TP_SS_ESTABLISHED;
		if (l2tp_avp_u32(m, L2TP_AVP_TX_SPEED, &u))
			c->tx_speed = u;
		if (l2tp_avp_u32(m, L2TP_AVP_RX_SPEED, &u))
			c->rx_speed = u;
		if (l2tp_avp_u32(m, L2TP_AVP_FRAMING_TYPE, &u))
			c->framing_type = u;
		if (l2tp_find_avp(m, 0, L2TP_AVP_SEQ_REQUIRED) != NULL)
			c->seq_required = true;
		if (c->tx_speed) {
			k->kval = c->tx_speed;
			k->kflags |= L2TP_OBS_K_VAL;
		}
		return;
	case L2TP_CDN:
		c = call_of(o, t, s, m);
		if (c != NULL && c->closer < 0) {
			c->closer = s;
			c->cdn_us = mt->time_us;
			c->cdn_frame = mt->frame;
			avp_result(m, &c->result, &c->error, &c->has_error,
			           c->message, sizeof(c->message));
			c->state = L2TP_SS_IDLE;
		}
		if (c != NULL) {
			bool first = c->cdn_frame == mt->frame;

			k->kres = c->result;
			k->kerr = c->error;
			k->kflags |= L2TP_OBS_K_RES;
			if (first)
				call_ended(o, t, c); /* c may be gone after */
		}
		return;
	default:
		return;
	}
}

static void
on_stopccn(struct l2tp_obs *o, struct obs_tun *t, int s,
           const struct l2tp_obs_meta *mt, const struct l2tp_msg *m,
           int8_t *changed, struct l2tp_obs_msg *k)
{
	struct l2tp_obs_tunnel *p = &t->pub;
	uint16_t atid;
	char a[48];

	if (l2tp_avp_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &atid) &&
	    p->p[s].tid != 0 && atid != p->p[s].tid)
		find_add(o, t, mt, s, L2TP_OBS_C_RFC,
		         "StopCCN's Assigned Tunnel ID %u does not match "
		         "%s's tunnel id %u (§6.4)",
		         atid, addr_str(&p->p[s].addr, a, sizeof(a)),
		         p->p[s].tid);
	if (p->closer < 0) {
		/* the responder's first word after the SCCCN is a StopCCN,
		 * at once or with an error: it refused the SCCCN, whatever
		 * its ZLB acknowledged (xl2tpd acks a wrong response, then
		 * clears with result 2).  A result 1 or 6 seconds later is
		 * an established tunnel being closed. */
		uint16_t res = 0, err = 0;
		bool has_err = false;
		char nomsg[2];

		avp_result(m, &res, &err, &has_err, nomsg, sizeof(nomsg));
		if (s == 1 && p->step_frame[L2TP_OBS_S_SCCCN] &&
		    !t->spoke_after_scccn &&
		    ((res != 1 && res != 6) ||
		     mt->time_us - p->step_us[L2TP_OBS_S_SCCCN] <
		         OBS_REFUSE_US)) {
			p->scccn_refused = true;
			p->step_frame[L2TP_OBS_S_ESTABLISHED] = 0;
			p->step_us[L2TP_OBS_S_ESTABLISHED] = 0;
		}
		p->closer = s;
		avp_result(m, &p->result, &p->error, &p->has_error, p->message,
		           sizeof(p->message));
		t->stop_ns = m->ns;
		step(t, L2TP_OBS_S_STOPCCN, mt);
		/* messages it sent before and never saw acknowledged */
		for (unsigned b = t->d[s].pend; b != 0; b &= b - 1)
			if (t->d[s].ring[__builtin_ctz(b)].ns != m->ns)
				p->gave_up = true;
		if (p->p[s].unacked)
			p->gave_up = true;
		/* a StopCCN clears every call without CDNs (§5.7) */
		for (size_t i = 0; i < p->ncalls; i++)
			if (t->calls[i].closer < 0)
				t->calls[i].state = L2TP_SS_IDLE;
	}
	set_state(t, L2TP_TS_CLOSING, changed);
	k->kres = p->result;
	k->kerr = p->error;
	k->kflags |= L2TP_OBS_K_RES;
}

/* How the tie break between a and b should end, for a (§4.4.3). */
static enum l2tp_obs_tie
tie_of(const struct l2tp_obs_tunnel *a, const struct l2tp_obs_tunnel *b)
{
	int c;

	if (!a->has_tie && !b->has_tie)
		return L2TP_OBS_TIE_ABSENT;
	if (a->has_tie != b->has_tie)
		return a->has_tie ? L2TP_OBS_TIE_WON : L2TP_OBS_TIE_LOST;
	c = memcmp(a->tie_breaker, b->tie_breaker, 8);
	return c < 0   ? L2TP_OBS_TIE_WON
	       : c > 0 ? L2TP_OBS_TIE_LOST
	               : L2TP_OBS_TIE_EQUAL;
}

static const char *
tie_words(enum l2tp_obs_tie tie, bool both)
{
	switch (tie) {
	case L2TP_OBS_TIE_WON:
		return both ? "its tie breaker is lower: this tunnel goes on"
		            : "only it carries a tie breaker: this tunnel goes "
		              "on";
	case L2TP_OBS_TIE_LOST:
		return both
		           ? "the other tie breaker is lower: this SCCRQ is to "
		             "be dropped"
		           : "only the other carries a tie breaker: this SCCRQ "
		             "is to be dropped";
	case L2TP_OBS_TIE_EQUAL:
		return "equal tie breakers: both SCCRQs are to be dropped";
	default:
		return "no tie breakers: both tunnels may go on";
	}
}

/*
 * A new SCCRQ from src to dst while a tunnel dst -> src still waits for
 * its SCCRP: the SCCRQs crossed, and the Tie Breaker AVPs decide which
 * tunnel survives (§4.4.3).  Only tunnels waiting for an id are looked at
 * (the halves list): one bounded scan per SCCRQ.
 */
static void
crossing(struct l2tp_obs *o, struct obs_tun *t, const struct l2tp_obs_meta *mt)
{
	struct l2tp_obs_tunnel *p = &t->pub, *q;
	uint32_t ph;

	if (o->init_cnt[addr_hash(&mt->dst) & (OBS_INIT_BUCKETS - 1)] == 0)
		return;
	ph = pair_hash(&mt->src, &mt->dst);
	for (size_t i = 0; i < o->nhalves; i++) {
		struct obs_tun *u;
		bool both;

		if (o->half_pair[i] != ph)
			continue;
		u = o->tun[o->halves[i]];
		q = &u->pub;
		if (u == t || q->crossed || !q->seen_start || q->closed ||
		    q->state != L2TP_TS_WAIT_CTL_REPLY ||
		    q->step_frame[L2TP_OBS_S_SCCRP] != 0 ||
		    q->p[0].last_us + OBS_CROSS_US < mt->time_us ||
		    !l2tp_addr_eq(&q->p[0].addr, &mt->dst, false) ||
		    !l2tp_addr_eq(&q->p[1].addr, &mt->src, false))
			continue;
		both = p->has_tie && q->has_tie;
		p->crossed = q->no;
		q->crossed = p->no;
		p->tie = tie_of(p, q);
		q->tie = tie_of(q, p);
		find_add(o, t, mt, 0, L2TP_OBS_C_DELIVERY,
		         "SCCRQ crossed tunnel %u's (both ends opened one at "
		         "once): %s (§4.4.3 Tie Breaker)",
		         q->no, tie_words(p->tie, both));
		find_add(o, u, mt, 1, L2TP_OBS_C_DELIVERY,
		         "tunnel %u's SCCRQ crossed this one's (both ends "
		         "opened one at once): %s (§4.4.3 Tie Breaker)",
		         p->no, tie_words(q->tie, both));
		return;
	}
}

static void
on_hello(struct obs_tun *t, int s, const struct l2tp_obs_meta *mt)
{
	struct l2tp_obs_peer *p = &t->pub.p[s], *r = &t->pub.p[1 - s];
	/* time since its own last message, ZLBs aside (what xl2tpd's timer
	 * counts), and
	 * the silence from the other end (what §5.5 describes) */
	uint64_t own = t->d[s].last_msg_us;
	uint64_t heard = r->last_us ? r->last_us : t->pub.first_us;
	uint64_t idle = mt->time_us > own ? mt->time_us - own : 0;
	uint64_t quiet = mt->time_us > heard ? mt->time_us - heard : 0;

	p->hellos++;
	if (own == 0) /* its first message seen: nothing to time */
		return;
	p->hellos_timed++;
	if (p->hellos_timed == 1 || idle < p->hello_idle_min_us)
		p->hello_idle_min_us = idle;
	if (idle > p->hello_idle_max_us)
		p->hello_idle_max_us = idle;
	if (p->hellos_timed == 1 || quiet < p->hello_quiet_min_us)
		p->hello_quiet_min_us = quiet;
	p->hello_last_us = mt->time_us;
}

static void
check_ports(struct l2tp_obs *o, struct obs_tun *t, int s,
            const struct l2tp_obs_meta *mt)
{
	struct l2tp_obs_peer *p = &t->pub.p[s];
	char a[48];

	if (p->addr.family == 0) {
		p->addr = mt->src;
		p->port_now = mt->src.port;
		return;
	}
	if (mt->src.port == p->port_now)
		return;
	if (s == 1 && p->msgs == 0 && p->zlbs == 0 && t->pub.seen_start) {
		/* §8.1: the responder may answer from another port */
		p->answer_port = true;
		p->port_now = mt->src.port;
		return;
	}
	p->port_changed = true;
	find_add(o, t, mt, s, L2TP_OBS_C_PORT,
	         "%s now sends from UDP port %u, not %u: once the tunnel is "
	         "up its ports stay (§8.1); a NAT rebinding?",
	         addr_str(&p->addr, a, sizeof(a)), mt->src.port, p->port_now);
	p->port_now = mt->src.port;
}

/* The key AVPs every message shows in the history. */
static void
key_fill(const struct l2tp_msg *m, int type, struct l2tp_obs_msg *k)
{
	uint16_t id;

	switch (type) {
	case L2TP_SCCRQ:
	case L2TP_SCCRP:
	case L2TP_SCCCN:
		if (l2tp_find_avp(m, 0, L2TP_AVP_CHALLENGE) != NULL)
			k->kflags |= L2TP_OBS_K_CHAL;
		if (l2tp_find_avp(m, 0, L2TP_AVP_CHALLENGE_RESPONSE) != NULL)
			k->kflags |= L2TP_OBS_K_RESP;
		/* fall through */
	case L2TP_STOPCCN:
		if (l2tp_avp_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &id)) {
			k->kid = id;
			k->kflags |= L2TP_OBS_K_ID;
		}
		break;
	case L2TP_ICRQ:
	case L2TP_ICRP:
	case L2TP_OCRQ:
	case L2TP_OCRP:
	case L2TP_CDN:
		if (l2tp_avp_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &id)) {
			k->kid = id;
			k->kflags |= L2TP_OBS_K_ID;
		}
		break;
	default:
		break;
	}
}

void
l2tp_obs_msg_key(const struct l2tp_obs_tunnel *t, const struct l2tp_obs_msg *h,
                 char *buf, size_t len)
{
	size_t n = 0;
	bool tun = h->msg_type == L2TP_SCCRQ || h->msg_type == L2TP_SCCRP ||
	           h->msg_type == L2TP_STOPCCN;

#define ADD(...)                                                               \
	do {                                                                   \
		if (n < len)                                                   \
			n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__);  \
	} while (0)
	if (len == 0)
		return;
	buf[0] = '\0';
	if (h->kflags & L2TP_OBS_K_ID)
		ADD("%s %u", tun ? "tid" : "sid", h->kid);
	if ((h->kflags & L2TP_OBS_K_VAL) &&
	    (h->msg_type == L2TP_ICRQ || h->msg_type == L2TP_OCRQ))
		ADD("%sserial %u", n ? " " : "", h->kval);
	else if (h->kflags & L2TP_OBS_K_VAL)
		ADD("%s%u bps", n ? " " : "", h->kval);
	if (h->kflags & L2TP_OBS_K_CHAL)
		ADD("%schal", n ? " " : "");
	if (h->kflags & L2TP_OBS_K_RESP)
		ADD("%sresp", n ? " " : "");
	if (h->kflags & L2TP_OBS_K_RES)
		ADD("%sresult %u/%u", n ? " " : "", h->kres, h->kerr);
	if (h->msg_type == L2TP_STOPCCN && t->message[0])
		ADD(" %s", t->message);
	if ((h->msg_type == L2TP_SCCRQ || h->msg_type == L2TP_SCCRP) &&
	    t->p[h->side].host[0])
		ADD(" %s", t->p[h->side].host);
#undef ADD
}

static void
decoder_findings(struct l2tp_obs *o, struct obs_tun *t, int s,
                 const struct l2tp_obs_meta *mt, const struct l2tp_msg *m)
{
	char nb[24], an[48];

	for (size_t i = 0; i < m->nproblems; i++) {
		const struct l2tp_problem *pr = &m->problems[i];
		enum l2tp_obs_cat c = cat_of_fault(pr->kind);

		if (strstr(pr->what, "wrong secret") != NULL)
			c = L2TP_OBS_C_AUTH;
		find_add(o, t, mt, s, c, "%s: %s",
		         mname(m->msg_type, nb, sizeof(nb)), pr->what);
	}
	if (m->problems_dropped)
		find_add(o, t, mt, s, cat_of_fault(m->fault),
		         "%s: %zu more problems",
		         mname(m->msg_type, nb, sizeof(nb)),
		         m->problems_dropped);
	for (size_t i = 0; i < m->navps; i++) {
		const struct l2tp_avp *a = &m->avps[i];

		if (!a->h)
			continue;
		if (t) {
			t->pub.hidden++;
			if (a->decrypted) {
				t->pub.hidden_opened++;
				if (a->secret_idx >= 0 && a->secret_idx < 32)
					t->pub.hidden_secrets |=
					    1u << a->secret_idx;
			} else {
				t->pub.hidden_closed++;
			}
		}
		if (!a->decrypted && o->c.nsecrets == 0)
			find_add(
			    o, t, mt, s, L2TP_OBS_C_AUTH,
			    "%s: hidden %s not opened: no secret given "
			    "(--secret S)",
			    mname(m->msg_type, nb, sizeof(nb)),
			    l2tp_avp_name(a->vendor, a->type, an, sizeof(an)));
	}
}

/* ---- input ---- */

static void sweep(struct l2tp_obs *o, uint64_t now_us);
static void closing_add(struct l2tp_obs *o, struct obs_tun *t);

/* A session whose start is not in the capture: known by the receiver's
 * Session ID of its data; the other direction's id pairs with it when
 * one call of the tunnel still lacks that end's id. */
static struct l2tp_obs_call *
call_from_data(struct l2tp_obs *o, struct obs_tun *t, int s, uint16_t sid)
{
	struct l2tp_obs_call *c = NULL;

	if (sid == 0 || t->pub.seen_start)
		return NULL; /* a seen tunnel's calls start with an ICRQ */
	for (size_t i = t->pub.ncalls; i-- > 0;) {
		struct l2tp_obs_call *x = &t->calls[i];

		if (x->from_data && x->sid[1 - s] == 0 && x->sid[s] != 0) {
			c = x;
			break;
		}
	}
	if (c == NULL) {
		if ((c = call_new(o, t)) == NULL)
			return NULL;
		c->from_data = true;
		c->state = L2TP_SS_ESTABLISHED;
	}
	if (call_set_sid(o, t, c, 1 - s, sid) < 0)
		return NULL;
	return c;
}

struct ppp_find_arg {
	struct l2tp_obs *o;
	struct obs_tun *t;
	const struct l2tp_obs_meta *mt;
	const struct l2tp_obs_call *c;
};

static void
ppp_find(void *arg, int side, const char *what)
{
	struct ppp_find_arg *a = arg;
	char ad[48];

	find_add(a->o, a->t, a->mt, side, L2TP_OBS_C_PPP,
	         "call %u (session ids %u/%u), from %s%s: %s", a->c->no,
	         a->c->sid[0], a->c->sid[1],
	         addr_str(&a->t->pub.p[side].addr, ad, sizeof(ad)),
	         a->c->lac < 0       ? ""
	         : a->c->lac == side ? " (LAC)"
	                             : " (LNS)",
	         what);
}

/* The call's PPP story: made at its first data message. */
static void
ppp_feed(struct l2tp_obs *o, struct obs_tun *t, struct l2tp_obs_call *c, int s,
         const struct l2tp_obs_meta *mt, const struct l2tp_msg *m)
{
	struct ppp_find_arg fa = {o, t, mt, c};
	struct l2tp_obs_ppp_env env = {o->c.passwords, o->c.npasswords,
	                               ppp_find, &fa};

	if (c->ppp == NULL) {
		if ((c->ppp = malloc(sizeof(*c->ppp))) == NULL)
			return;
		o->mem += sizeof(*c->ppp);
		l2tp_obs_ppp_init(c->ppp);
	}
	l2tp_obs_ppp_data(c->ppp, &env, s, mt->frame, mt->time_us, m);
}

static int
on_data(struct l2tp_obs *o, const struct l2tp_obs_meta *mt,
        const struct l2tp_msg *m)
{
	struct obs_key k;
	uint32_t v;
	struct obs_tun *t;
	struct l2tp_obs_call *c;
	int s;

	o->st.data++;
	key_end(&k, &mt->dst, (uint16_t)m->tunnel, &mt->src);
	if (map_get(o, &k, &v)) {
		t = o->tun[v >> 1];
		s = 1 - (int)(v & 1);
	} else {
		bool fresh;

		/* a capture that starts inside the tunnel, or holds only
		 * data: the tunnel is known by its ids */
		if (m->tunnel == 0 ||
		    (t = locate(o, mt, m, L2TP_MSG_NONE, &s, &fresh)) == NULL) {
			o->st.orphan_data++;
			return 0;
		}
	}
	if (t->pub.first_frame == 0) {
		t->pub.first_frame = mt->frame;
		t->pub.first_us = mt->time_us;
	}
	t->pub.p[s].data++;
	t->pub.last_us = mt->time_us;
	t->pub.last_frame = mt->frame;
	if ((c = call_find(o, t, 1 - s, (uint16_t)m->session)) == NULL)
		c = call_from_data(o, t, s, (uint16_t)m->session);
	if (c != NULL) {
		c->data[s]++;
		ppp_feed(o, t, c, s, mt, m);
	}
	return 0;
}

int
l2tp_obs_input(struct l2tp_obs *o, const struct l2tp_obs_meta *mt,
               const struct l2tp_msg *m)
{
	struct obs_tun *t;
	struct l2tp_obs_tunnel *p;
	struct l2tp_obs_msg *h;
	int s, r, type;
	bool fresh, zlb;
	uint8_t flags = 0, sends = 1;
	int8_t changed = -1;
	enum seq_kind sk = SEQ_NEW;
	struct l2tp_obs_msg k;
	char nb[24];

	if (o == NULL || mt == NULL || m == NULL || o->finished)
		return L2TP_OBS_INVAL;
	o->st.l2tp++;
	if (m->version != 2 || m->transport != L2TP_UDP) {
		o->st.v3 += m->version == 3;
		o->st.unparsed += m->version != 3;
		return 0;
	}
	sweep(o, mt->time_us);
	if (!m->control)
		return on_data(o, mt, m);
	o->st.control++;
	type = m->msg_type;
	zlb = type == L2TP_MSG_ZLB;
	o->st.zlb += zlb;
	o->cur_find = false;
	memset(&k, 0, sizeof(k));
	t = locate(o, mt, m, type, &s, &fresh);
	if (t == NULL) {
		o->st.orphans++;
		find_add(o, NULL, mt, -1, L2TP_OBS_C_DELIVERY,
		         "%s for tunnel %u, session %u belongs to no tunnel in "
		         "the capture",
		         mname(type, nb, sizeof(nb)), m->tunnel, m->session);
		decoder_findings(o, NULL, -1, mt, m);
		return 0;
	}
	p = &t->pub;
	r = 1 - s;
	if (t->d == NULL) {
		/* a message after the hold: delivery is followed afresh */
		if ((t->d = calloc(2, sizeof(*t->d))) == NULL)
			return L2TP_OBS_NOMEM;
		o->mem += 2 * sizeof(*t->d);
	}
	if (p->first_frame == 0) {
		p->first_frame = mt->frame;
		p->first_us = mt->time_us;
	}
	check_ports(o, t, s, mt);
	decoder_findings(o, t, s, mt, m);
	if (zlb && m->session != 0)
		find_add(o, t, mt, s, L2TP_OBS_C_DELIVERY,
		         "ZLB with Session ID %u: an ack belongs to the tunnel "
		         "(an xl2tpd peer counts such a ZLB as a message)",
		         m->session);
	if (!zlb && m->has_seq)
		sk = seq(o, t, s, mt, m, type, &flags, &sends);
	if (sk == SEQ_NEW && !zlb) {
		switch (type) {
		case L2TP_SCCRQ: {
			const struct l2tp_avp *tb =
			    l2tp_find_avp(m, 0, L2TP_AVP_TIE_BREAKER);
			struct l2tp_bytes v;

			if (tb != NULL && !(tb->h && !tb->decrypted) &&
			    (v = l2tp_avp_data(tb)).len == 8) {
				p->has_tie = true;
				memcpy(p->tie_breaker, v.p, 8);
			}
			if (fresh)
				crossing(o, t, mt);
			peer_info(&p->p[s], m);
			step(t, L2TP_OBS_S_SCCRQ, mt);
			if (p->closer < 0)
				set_state(t, L2TP_TS_WAIT_CTL_REPLY, &changed);
			challenge(t, s, mt, m, type);
			break;
		}
		case L2TP_SCCRP: {
			uint16_t atid;

			if (p->tie == L2TP_OBS_TIE_LOST ||
			    p->tie == L2TP_OBS_TIE_EQUAL)
				find_add(o, t, mt, s, L2TP_OBS_C_RFC,
				         "SCCRP for an SCCRQ that lost the tie "
				         "break with tunnel %u: the responder "
				         "should have dropped it (§4.4.3 Tie "
				         "Breaker)",
				         p->crossed);

			response(o, t, s, mt, m, type);
			peer_info(&p->p[s], m);
			if (l2tp_avp_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &atid))
				end_set_tid(o, t, s, atid);
			step(t, L2TP_OBS_S_SCCRP, mt);
			if (p->closer < 0)
				set_state(t, L2TP_TS_WAIT_CTL_CONN, &changed);
			challenge(t, s, mt, m, type);
			break;
		}
		case L2TP_SCCCN:
			response(o, t, s, mt, m, type);
			step(t, L2TP_OBS_S_SCCCN, mt);
			t->scccn_ns = m->ns;
			break;
		case L2TP_STOPCCN:
			response(o, t, s, mt, m, type);
			on_stopccn(o, t, s, mt, m, &changed, &k);
			break;
		case L2TP_HELLO:
			response(o, t, s, mt, m, type);
			on_hello(t, s, mt);
			break;
		default:
			response(o, t, s, mt, m, type);
			on_call(o, t, s, mt, m, type, &k);
			break;
		}
		if (s == 1 && type != L2TP_STOPCCN &&
		    p->step_frame[L2TP_OBS_S_SCCCN])
			t->spoke_after_scccn = true;
	}
	if (m->has_seq) {
		ack(o, t, r, s, mt, m->nr, zlb);
		if (p->step_frame[L2TP_OBS_S_SCCCN] && s == 1 &&
		    !p->step_frame[L2TP_OBS_S_ESTABLISHED] && p->closer < 0 &&
		    l2tp_seq_lt(t->scccn_ns, m->nr)) {
			step(t, L2TP_OBS_S_ESTABLISHED, mt);
			set_state(t, L2TP_TS_ESTABLISHED, &changed);
		}
		if (p->closer == r && !p->closed &&
		    l2tp_seq_lt(t->stop_ns, m->nr)) {
			step(t, L2TP_OBS_S_STOP_ACKED, mt);
			p->closed = true;
			closing_add(o, t);
		}
	}
	/* counters after the checks: they ask "first message from it?" */
	if (zlb)
		p->p[s].zlbs++;
	else {
		p->p[s].msgs++;
		t->d[s].last_msg_us = mt->time_us;
	}
	if (p->p[s].first_us == 0)
		p->p[s].first_us = mt->time_us;
	p->p[s].last_us = mt->time_us;
	p->p[s].last_frame = mt->frame;
	p->p[s].last_type = (int16_t)type;
	p->p[s].last_ns = m->ns;
	p->p[s].last_nr = m->nr;
	p->last_us = mt->time_us;
	p->last_frame = mt->frame;
	p->nmsgs++;
	if (!zlb)
		key_fill(m, type, &k);
	if ((h = hist_add(o, t)) != NULL) {
		*h = k;
		h->frame = mt->frame;
		h->time_us = mt->time_us;
		h->tunnel = (uint16_t)m->tunnel;
		h->session = (uint16_t)m->session;
		h->ns = m->ns;
		h->nr = m->nr;
		h->msg_type = (int16_t)type;
		h->side = (uint8_t)s;
		h->flags = flags | (o->cur_find ? L2TP_OBS_H_FIND : 0);
		h->state = changed;
		h->sends = sends;
	}
	return 0;
}

/* ---- the end ---- */

/* A tunnel's last word: what stayed unacknowledged.  Then its working
 * state is freed and its arrays fitted (memory grows with tunnels). */
static void
tun_done(struct l2tp_obs *o, struct obs_tun *t)
{
	struct l2tp_obs_tunnel *p = &t->pub;
	char nb[24], bo[96], a[48];

	if (t->d == NULL)
		return;
	for (int s = 0; s < 2; s++) {
		struct obs_dir *d = &t->d[s];
		const struct l2tp_obs_sent *first = NULL;

		/* every message still unacknowledged, oldest first; the
		 * oldest is the one that matters */
		for (unsigned n = 0; n < OBS_RING; n++) {
			unsigned k = (d->ring_next + n) % OBS_RING;
			const struct l2tp_obs_sent *e = &d->ring[k];
			struct l2tp_obs_msg *h;

			if (!(d->pend >> k & 1))
				continue;
			if (first == NULL && !p->p[s].unacked)
				first = e;
			h = hist_by_seq(o, t, d->ring_seq[k]);
			if (h && h->frame == e->frame)
				h->flags |= L2TP_OBS_H_NOACK;
			backoff_words(e, bo, sizeof(bo));
			find_add(o, t, NULL, s, L2TP_OBS_C_DELIVERY,
			         "%s Ns %u from %s (frame %llu) never "
			         "acknowledged: sent %u time%s%s%s",
			         mname(e->msg_type, nb, sizeof(nb)), e->ns,
			         addr_str(&p->p[s].addr, a, sizeof(a)),
			         (unsigned long long)e->frame, e->sends,
			         e->sends == 1 ? "" : "s", bo[0] ? ", " : "",
			         bo);
			if (p->closer == s && e->ns != t->stop_ns &&
			    p->step_frame[L2TP_OBS_S_STOPCCN])
				p->gave_up = true;
		}
		if (first != NULL) {
			p->p[s].unacked = true;
			p->p[s].noack = *first;
		}
		p->p[s].next_ns = d->next_ns;
		p->p[s].outstanding = (uint16_t)d->outstanding;
	}
	free(t->d);
	t->d = NULL;
	o->mem -= 2 * sizeof(struct obs_dir);
	halves_del(o, t);
	/* its ids leave the table: lookups stay in cache */
	for (int s = 0; s < 2; s++) {
		struct obs_key k;

		if (p->p[s].tid) {
			key_end(&k, &p->p[s].addr, p->p[s].tid,
			        &p->p[1 - s].addr);
			map_del(o, &k, tun_idx(t) << 1 | (uint32_t)s);
		}
		for (size_t i = 0; t->hashed && i < p->ncalls; i++) {
			if (t->calls[i].sid[s] == 0)
				continue;
			key_call(&k, tun_idx(t), s, t->calls[i].sid[s]);
			map_del(o, &k, (uint32_t)i);
		}
	}
	/* and its arrays shrink to what they hold */
	if (t->hn && t->hn < t->hcap) {
		void *q = realloc(t->hist, t->hn * sizeof(*t->hist));

		if (q != NULL) {
			o->mem -= (t->hcap - t->hn) * sizeof(*t->hist);
			t->hist = q;
			t->hcap = t->hn;
		}
	}
}

/* The hold after a StopCCN's ack (§5.7): 31 s, and a second of slack. */
#define OBS_HOLD_US 32000000ULL

/* When the hold of the first tunnel in the closing ring ends. */
static uint64_t
hold_end(const struct l2tp_obs *o)
{
	const struct obs_tun *t = o->tun[o->closing[o->cl_head]];

	return t ? t->pub.step_us[L2TP_OBS_S_STOP_ACKED] + OBS_HOLD_US : 0;
}

/* Whether a done tunnel went well: it may then be folded (the report
 * gives such a tunnel one line; see cli/analyze.c). */
static bool
tun_calm(const struct obs_tun *t)
{
	const struct l2tp_obs_tunnel *p = &t->pub;

	if (p->nfind > 0 || !p->seen_start || !p->closed ||
	    p->step_frame[L2TP_OBS_S_ESTABLISHED] == 0 || p->gave_up ||
	    p->p[0].unacked || p->p[1].unacked || p->crossed ||
	    (p->result != 1 && p->result != 6) || p->folded.failed ||
	    t->failed_kept)
		return false;
	for (size_t i = 0; i < p->ncalls; i++)
		if (!t->calls[i].dead &&
		    (t->calls[i].failed || t->calls[i].closer < 0))
			return false;
	return true;
}

/* Free a done tunnel that went well, its counts kept in st.folded. */
static void
tun_fold(struct l2tp_obs *o, uint32_t idx)
{
	struct obs_tun *t = o->tun[idx];
	struct l2tp_obs_folded *f = &o->st.folded;

	if (t == NULL)
		return;
	fold_add(f, &t->pub.folded);
	for (size_t i = 0; i < t->pub.ncalls; i++) {
		if (t->calls[i].dead)
			continue;
		fold_sum(f, &t->calls[i]);
		if (t->calls[i].ppp) {
			free(t->calls[i].ppp);
			o->mem -= sizeof(*t->calls[i].ppp);
		}
	}
	f->tunnels++;
	f->tunnel_msgs += t->pub.nmsgs;
	o->mem -= t->capcalls * (sizeof(*t->calls) + sizeof(*t->sidx)) +
	          t->hcap * sizeof(*t->hist) + t->capf * sizeof(*t->find) +
	          sizeof(*t);
	if (t->endq)
		o->mem -= ((size_t)o->c.calls_keep + 1) * sizeof(*t->endq);
	free(t->calls);
	free(t->sidx);
	free(t->endq);
	free(t->hist);
	free(t->find);
	free(t);
	o->tun[idx] = NULL;
	o->nfolded++;
	o->view_dirty = true;
}

/* A tunnel's hold is over: one that went well joins the calm ring, whose
 * oldest are folded beyond tunnels_keep. */
static void
tun_settle(struct l2tp_obs *o, struct obs_tun *t)
{
	size_t cap = (size_t)o->c.tunnels_keep + 1;

	if (o->c.tunnels_keep == 0 || !tun_calm(t))
		return;
	if (o->calm == NULL) {
		if ((o->calm = malloc(cap * sizeof(*o->calm))) == NULL)
			return;
		o->mem += cap * sizeof(*o->calm);
	}
	o->calm[(o->calm_head + o->calm_n++) % cap] = tun_idx(t);
	while (o->calm_n > o->c.tunnels_keep) {
		tun_fold(o, o->calm[o->calm_head]);
		o->calm_head = (o->calm_head + 1) % cap;
		o->calm_n--;
	}
}

/* Tunnels past their hold are done, oldest first (the first one's end is
 * kept aside: no tunnel is touched for a message before it). */
static void
sweep(struct l2tp_obs *o, uint64_t now_us)
{
	while (o->cl_n > 0 && now_us > o->cl_due) {
		struct obs_tun *t = o->tun[o->closing[o->cl_head]];

		if (t != NULL) {
			tun_done(o, t);
			tun_settle(o, t);
		}
		o->cl_head = (o->cl_head + 1) % o->cl_cap;
		if (--o->cl_n > 0)
			o->cl_due = hold_end(o);
	}
}

/* The StopCCN was acknowledged: the hold starts. */
static void
closing_add(struct l2tp_obs *o, struct obs_tun *t)
{
	if (o->cl_n == o->cl_cap) {
		size_t n = o->cl_cap ? o->cl_cap * 2 : 256;
		uint32_t *q = malloc(n * sizeof(*q));

		if (q == NULL)
			return; /* it is done at the end instead */
		for (size_t i = 0; i < o->cl_n; i++)
			q[i] = o->closing[(o->cl_head + i) % o->cl_cap];
		free(o->closing);
		o->mem += (n - o->cl_cap) * sizeof(*q);
		o->closing = q;
		o->cl_cap = n;
		o->cl_head = 0;
	}
	o->closing[(o->cl_head + o->cl_n) % o->cl_cap] = tun_idx(t);
	if (o->cl_n++ == 0)
		o->cl_due = hold_end(o);
}

void
l2tp_obs_finish(struct l2tp_obs *o)
{
	if (o == NULL || o->finished)
		return;
	o->finished = true;
	for (size_t i = 0; i < o->ntun; i++) {
		if (o->tun[i] == NULL)
			continue;
		tun_done(o, o->tun[i]);
		calls_compact(o, o->tun[i]);
	}
}

/* ---- queries ---- */

struct l2tp_obs *
l2tp_obs_new(const struct l2tp_obs_config *c)
{
	struct l2tp_obs *o;

	if (c == NULL || (o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	o->c = *c;
	if (o->c.history_max < 4)
		o->c.history_max = 4;
	o->mem = sizeof(*o);
	if (map_grow(o) < 0) {
		free(o);
		return NULL;
	}
	return o;
}

void
l2tp_obs_free(struct l2tp_obs *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; i < o->ntun; i++) {
		if (o->tun[i] == NULL)
			continue;
		for (size_t j = 0; j < o->tun[i]->pub.ncalls; j++)
			free(o->tun[i]->calls[j].ppp);
		free(o->tun[i]->calls);
		free(o->tun[i]->sidx);
		free(o->tun[i]->endq);
		free(o->tun[i]->hist);
		free(o->tun[i]->find);
		free(o->tun[i]->d);
		free(o->tun[i]);
	}
	free(o->tun);
	free(o->slots);
	free(o->closing);
	free(o->calm);
	free(o->view);
	free(o);
}

size_t
l2tp_obs_tunnel_count(const struct l2tp_obs *o)
{
	return o ? o->ntun - o->nfolded : 0;
}

/* The tunnels still kept, in order: rebuilt after folds. */
static bool
view_fresh(struct l2tp_obs *o)
{
	size_t n = 0;
	uint32_t *v;

	if (!o->view_dirty)
		return true;
	if ((v = realloc(o->view, (o->ntun - o->nfolded + 1) * sizeof(*v))) ==
	    NULL)
		return false;
	for (size_t i = 0; i < o->ntun; i++)
		if (o->tun[i] != NULL)
			v[n++] = (uint32_t)i;
	o->view = v;
	o->nview = n;
	o->view_dirty = false;
	return true;
}

const struct l2tp_obs_tunnel *
l2tp_obs_tunnel(const struct l2tp_obs *o, size_t i)
{
	struct l2tp_obs *w = (struct l2tp_obs *)o; /* the view is a cache */

	if (o == NULL)
		return NULL;
	if (o->nfolded == 0)
		return i < o->ntun ? &o->tun[i]->pub : NULL;
	if (!view_fresh(w) || i >= o->nview)
		return NULL;
	return &o->tun[o->view[i]]->pub;
}

void
l2tp_obs_stats(const struct l2tp_obs *o, struct l2tp_obs_stats *st)
{
	*st = o->st;
	st->mem_bytes = o->mem;
}

void
l2tp_obs_tunnel_info(const struct l2tp_obs_tunnel *t,
                     struct l2tp_tunnel_info *out)
{
	const struct obs_tun *ot = (const struct obs_tun *)t;
	const struct l2tp_obs_peer *a = &t->p[0], *b = &t->p[1];

	memset(out, 0, sizeof(*out));
	out->local_id = a->tid;
	out->remote_id = b->tid;
	out->state = t->state;
	out->role = L2TP_ROLE_LAC;
	for (size_t i = 0; i < t->ncalls; i++)
		if (t->calls[i].opener == 0) {
			out->role = t->calls[i].type == L2TP_CALL_OUTGOING
			                ? L2TP_ROLE_LNS
			                : L2TP_ROLE_LAC;
			break;
		} else if (t->calls[i].opener == 1) {
			out->role = t->calls[i].type == L2TP_CALL_OUTGOING
			                ? L2TP_ROLE_LAC
			                : L2TP_ROLE_LNS;
			break;
		}
	out->mode = L2TP_MODE_AUTO;
	out->initiator = t->seen_start;
	out->peer = b->addr;
	out->peer.port = b->port_now;
	snprintf(out->peer_host, sizeof(out->peer_host), "%s", b->host);
	snprintf(out->peer_vendor, sizeof(out->peer_vendor), "%s", b->vendor);
	out->peer_firmware = b->firmware;
	out->peer_version = b->version;
	out->peer_revision = b->revision;
	out->peer_framing_cap = b->framing_cap;
	out->peer_bearer_cap = b->bearer_cap;
	out->hello_ms = (uint32_t)(a->hello_idle_min_us / 1000);
	out->ns = ot->d ? ot->d[0].next_ns : a->next_ns;
	out->nr = ot->d ? ot->d[1].next_ns : b->next_ns;
	out->peer_window = b->rx_window;
	out->unacked = ot->d ? (uint16_t)ot->d[0].outstanding : a->outstanding;
	out->authenticated = t->auth[0].verdict == L2TP_OBS_V_MATCH ||
	                     t->auth[1].verdict == L2TP_OBS_V_MATCH;
	out->ctl_out = a->msgs;
	out->ctl_in = b->msgs;
	out->zlb_out = a->zlbs;
	out->zlb_in = b->zlbs;
	out->retransmits = a->retransmits + b->retransmits;
	out->duplicates = a->duplicates + b->duplicates;
	out->out_of_order = a->out_of_order + b->out_of_order;
	out->hellos_out = a->hellos;
	out->hellos_in = b->hellos;
	for (size_t i = 0; i < t->ncalls; i++) {
		const struct l2tp_obs_call *c = &t->calls[i];

		out->sessions_total++;
		if (c->state == L2TP_SS_ESTABLISHED)
			out->sessions_active++;
		else if (c->closer >= 0 && c->conn_us == 0)
			out->sessions_failed++;
	}
	out->last_result = t->result;
	out->last_error = t->error;
	snprintf(out->last_message, sizeof(out->last_message), "%s",
	         t->message);
	out->created_ms = t->first_us / 1000;
	out->established_ms = t->step_us[L2TP_OBS_S_ESTABLISHED] / 1000;
}

void
l2tp_obs_call_info(const struct l2tp_obs_tunnel *t,
                   const struct l2tp_obs_call *c, struct l2tp_session_info *out)
{
	memset(out, 0, sizeof(*out));
	out->local_id = c->sid[0] ? c->sid[0] : c->sid[1];
	out->remote_id = c->sid[0] ? c->sid[1] : 0;
	out->tunnel = t->p[0].tid;
	out->state = c->state;
	out->type = c->type;
	out->initiator = c->opener == 0;
	out->serial = c->serial;
	out->tx_speed = c->tx_speed;
	out->rx_speed = c->rx_speed;
	out->framing_type = c->framing_type;
	out->bearer_type = c->bearer_type;
	snprintf(out->calling, sizeof(out->calling), "%s", c->calling);
	snprintf(out->called, sizeof(out->called), "%s", c->called);
	out->last_result = c->result;
	out->last_error = c->error;
	snprintf(out->last_message, sizeof(out->last_message), "%s",
	         c->message);
	out->created_ms = c->req_us / 1000;
	out->established_ms = c->conn_us / 1000;
}
