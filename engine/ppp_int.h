/* PPP session layer internals shared by engine/ppp*.c: the object, the layer
 * operations the RFC 1661 automaton calls, and helpers. */
#ifndef L2TP_PPP_INT_H
#define L2TP_PPP_INT_H

#include <stdarg.h>

#include "decoder/ppp.h"
#include "decoder/ppp_build.h"
#include "decoder/ppp_read.h"
#include "engine/ppp.h"

#define PPP_NEVER UINT64_MAX
#define PPP_CHAL_LEN 16
#define PPP_PKT_MAX 1600 /* the largest control packet we build */
#define PPP_REQ_MAX 64   /* the options of our last Configure-Request */
#define PPP_REQ_REBUILD 0xff

/* RFC 1661 §4.1 events, in the order of its table. */
enum ppp_event {
	PE_UP = 0,
	PE_DOWN,
	PE_OPEN,
	PE_CLOSE,
	PE_TO_P,
	PE_TO_M,
	PE_RCR_P,
	PE_RCR_M,
	PE_RCA,
	PE_RCN,
	PE_RTR,
	PE_RTA,
	PE_RUC,
	PE_RXJ_P,
	PE_RXJ_M,
	PE_RXR,
	PE_COUNT
};

/* The actions, in the order they run when an entry has several. */
enum ppp_action {
	PA_TLD = 1 << 0,
	PA_IRC = 1 << 1,
	PA_ZRC = 1 << 2,
	PA_SCR = 1 << 3,
	PA_SCA = 1 << 4,
	PA_SCN = 1 << 5,
	PA_STR = 1 << 6,
	PA_STA = 1 << 7,
	PA_SCJ = 1 << 8,
	PA_SER = 1 << 9,
	PA_TLU = 1 << 10,
	PA_TLS = 1 << 11,
	PA_TLF = 1 << 12,
};
#define PA_COUNT 13

/* The table entry for (state, event): *actions and the next state, or -1
 * for the RFC's '-' (cannot happen; nothing is done). */
int ppp_fsm_lookup(int state, int event, unsigned *actions);
const char *ppp_fsm_event_name(int event);   /* "RCR+" */
const char *ppp_fsm_action_name(unsigned a); /* one bit: "scr" */

enum ppp_layer { PL_LCP = 0, PL_IPCP, PL_IPV6CP, PL_COUNT };

/* One automaton. */
struct ppp_fsm {
	uint64_t timer_at;
	uint8_t layer;
	uint8_t state;
	uint8_t restart;  /* restart counter */
	uint8_t nak_sent; /* Naks sent since our last Ack (Max-Failure) */
	uint8_t nak_rcvd; /* Naks received since the last Ack received */
	uint8_t reqid;    /* Identifier of our last Configure-Request */
	uint8_t termid;
	bool req_sent;  /* reqid means something */
	bool term_sent; /* Terminate-Requests of ours are awaited */
	/* The options of our last request as sent: an Ack must echo them. */
	uint8_t req_len; /* PPP_REQ_REBUILD: longer; compare a rebuild */
	uint8_t req[PPP_REQ_MAX];
};

/* What the peer's Configure-Request is answered with: options to Nak and
 * to Reject, built while the request is walked. */
struct ppp_rcr {
	struct l2tp_ppp_wr nak, rej;
	bool to_reject; /* Max-Failure reached: Naks become Rejects */
	uint8_t nakbuf[256];
	uint8_t rejbuf[PPP_PKT_MAX];
};

void ppp_rcr_nak(struct ppp_rcr *r, const struct l2tp_ppp_opt *orig,
                 uint8_t type, const void *val, size_t n);
void ppp_rcr_rej(struct ppp_rcr *r, const struct l2tp_ppp_opt *orig);

struct l2tp_ppp_link;

/* What differs between LCP, IPCP and IPv6CP. */
struct ppp_layer_ops {
	uint16_t proto;
	const char *name;
	/* Our Configure-Request's options. */
	void (*build_cr)(struct l2tp_ppp_link *p, struct l2tp_ppp_wr *w);
	/* The peer's request: fill r; commit what it asks when `ack` (a
	 * second call once the verdict is known).  Returns 0, or an
	 * l2tp_ppp_read_err for a malformed option list. */
	int (*rcr)(struct l2tp_ppp_link *p, struct l2tp_bytes opts,
	           struct ppp_rcr *r, bool commit);
	void (*rca)(struct l2tp_ppp_link *p);
	/* Take an edited request's options as what we ask for. */
	void (*adopt)(struct l2tp_ppp_link *p, struct l2tp_bytes opts);
	/* Nak / Reject of our request: < 0 when invalid (discard). */
	int (*rcn)(struct l2tp_ppp_link *p, struct l2tp_bytes opts);
	int (*rcj)(struct l2tp_ppp_link *p, struct l2tp_bytes opts);
	void (*tlu)(struct l2tp_ppp_link *p);
	void (*tld)(struct l2tp_ppp_link *p);
	void (*tls)(struct l2tp_ppp_link *p);
	void (*tlf)(struct l2tp_ppp_link *p);
	/* Codes above 7: LCP's 8-13 (RXR, RXJ); 0 not known -> RUC. */
	int (*extra)(struct l2tp_ppp_link *p, const struct l2tp_ppp_cp *cp);
	/* Code-Reject received of `code`: true when it is catastrophic. */
	bool (*rxj_fatal)(struct l2tp_ppp_link *p, uint8_t code);
	/* The ser action (Echo-Request answered). */
	void (*rxr)(struct l2tp_ppp_link *p, const struct l2tp_ppp_cp *cp);
};

extern const struct ppp_layer_ops ppp_lcp_ops, ppp_ipcp_ops, ppp_ipv6cp_ops;

/* Our LCP request and what was agreed. */
#define LCP_W_MRU 1u
#define LCP_W_AUTH 2u
#define LCP_W_MAGIC 4u

/* Auth direction state. */
struct ppp_auth {
	struct l2tp_ppp_auth_info info;
	uint64_t timer_at;
	uint8_t tries;
	uint8_t id;
};

struct l2tp_ppp_link {
	const struct l2tp_ppp_config *cfg;
	const struct l2tp_ppp_io *io;
	void *ctx;
	uint64_t now;
	struct ppp_fsm fsm[PL_COUNT];
	uint8_t phase;
	bool started;
	bool closing; /* we asked LCP to close */
	bool dead_sent;

	/* LCP: our request (l_*), what was acked of it (a_*), the peer's */
	uint8_t lcp_want;
	uint8_t l_auth_alg, a_auth_alg, peer_auth_alg;
	uint16_t l_mru, a_mru, peer_mru;
	uint16_t l_auth, a_auth, peer_auth;
	uint32_t l_magic, a_magic, peer_magic;
	uint32_t peer_accm;
	bool peer_pfc, peer_acfc;
	uint8_t loops;
	uint8_t lcp_xid; /* Identifier of Echo / Protocol- / Code-Reject */
	bool echo_rejected;

	/* LCP echo keepalive */
	uint64_t echo_at, echo_sent_at;
	uint8_t echo_id, echo_miss;
	bool echo_out;
	uint64_t echo_sent, echo_received, echo_lost;
	uint32_t echo_rtt;

	/* Authentication: local (the peer authenticates us), peer (we it) */
	struct ppp_auth au_l, au_p;
	uint8_t chal[PPP_CHAL_LEN];

	/* IPCP */
	uint8_t ipcp_want;
	uint8_t ip_req[4], ip_local[4], ip_peer[4], ip_assigned[4];
	uint8_t dns_req[2][4], dns[2][4];
	bool pool_taken;
	/* IPv6CP */
	bool ifid_want;
	uint8_t ifid_l[8], ifid_p[8];

	/* ICMP */
	uint16_t ping_ident, ping_seq, ip_id;

	uint64_t ctl_in, ctl_out, bad_in;
	uint64_t prej_in, prej_out, crej_in, crej_out;
	uint64_t ip_in, ip_out, pings_sent, pings_rcvd, pings_answered;
	char reason[L2TP_PPP_NAME_MAX];
	uint64_t started_ms, network_ms;
};

/* ppp.c */
bool ppp_wants(const struct l2tp_ppp_link *p, int kind);
void ppp_emit(struct l2tp_ppp_link *p, enum l2tp_ppp_event_kind k,
              uint16_t proto, int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void ppp_emitv(struct l2tp_ppp_link *p, struct l2tp_ppp_event *ev,
               const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void ppp_send(struct l2tp_ppp_link *p, uint16_t proto, const uint8_t *b,
              size_t len);
int ppp_random(struct l2tp_ppp_link *p, void *buf, size_t len);
void ppp_set_phase(struct l2tp_ppp_link *p, int phase);
void ppp_set_reason(struct l2tp_ppp_link *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Close LCP (the Close event) with reason, once. */
void ppp_lcp_close(struct l2tp_ppp_link *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ppp_network_up(struct l2tp_ppp_link *p); /* auth done: NCPs Up, Open */
void ppp_ncps_check(struct l2tp_ppp_link *p); /* no NCP left: close LCP */
size_t ppp_bytes_text(struct l2tp_bytes b, char *out, size_t cap);

/* ppp_fsm.c */
void ppp_fsm_init(struct ppp_fsm *f, int layer);
void ppp_fsm_event(struct l2tp_ppp_link *p, struct ppp_fsm *f, int ev,
                   const struct l2tp_ppp_cp *pkt,
                   const struct l2tp_ppp_wr *reply);
void ppp_fsm_input(struct l2tp_ppp_link *p, struct ppp_fsm *f,
                   const struct l2tp_ppp_cp *cp);
void ppp_fsm_timeout(struct l2tp_ppp_link *p, struct ppp_fsm *f);
const struct ppp_layer_ops *ppp_fsm_ops(const struct ppp_fsm *f);
int ppp_fsm_request_edited(struct l2tp_ppp_link *p, struct ppp_fsm *f,
                           const uint8_t *b, size_t len);
/* Code-Reject of a packet on layer f. */
void ppp_send_code_reject(struct l2tp_ppp_link *p, struct ppp_fsm *f,
                          const struct l2tp_ppp_cp *cp);

/* ppp_lcp.c */
void ppp_lcp_protocol_reject(struct l2tp_ppp_link *p, uint16_t proto,
                             const uint8_t *b, size_t len);
void ppp_lcp_echo_timer(struct l2tp_ppp_link *p);
int ppp_lcp_echo_send(struct l2tp_ppp_link *p);
size_t ppp_lcp_max_out(const struct l2tp_ppp_link *p); /* the peer's MRU */
const char *ppp_auth_name(uint16_t proto);

/* ppp_auth.c */
void ppp_auth_start(struct l2tp_ppp_link *p);
void ppp_auth_stop(struct l2tp_ppp_link *p);
void ppp_auth_input(struct l2tp_ppp_link *p, uint16_t proto,
                    const struct l2tp_ppp_cp *cp);
void ppp_auth_timer(struct l2tp_ppp_link *p);

/* ppp_ncp.c */
void ppp_fmt_ip4(const uint8_t a[4], char *out, size_t cap);
void ppp_fmt_ll(const uint8_t id[8], char *out, size_t cap);

/* ppp_icmp.c */
void ppp_icmp_input(struct l2tp_ppp_link *p, uint8_t family, const uint8_t *b,
                    size_t len);

#endif
