/* Engine internals shared by its files: tunnels, sessions, queues, timers (RFC
 * 2661 §5.8, §7). */
#ifndef L2TP_ENG_H
#define L2TP_ENG_H

#include <stdarg.h>

#include "decoder/avpval.h"
#include "decoder/hash.h"
#include "decoder/l2tp.h"
#include "decoder/proto.h"
#include "engine/engine.h"
#include "engine/ppp.h"

#define ENG_MAX_SECRETS 32
#define ENG_SECRET_MAX 255
#define ENG_BUF_SMALL 512   /* pooled message buffers hold this much */
#define ENG_MAX_INFLIGHT 32 /* however large the peer's window */
#define ENG_NEVER UINT64_MAX
#define ENG_CHAL_LEN 16
#define ENG_MAX_EVENTS 65536 /* queued and not yet taken */
#define ENG_REFUSAL_EVENTS 5 /* refusal events shown per second */

/* Offsets of the fields patched at transmission in an L2TPv2 control
 * header with L and S set (RFC 2661 §3.1). */
#define OFF_TUNNEL 4
#define OFF_SESSION 6
#define OFF_NS 8
#define OFF_NR 10

/* A control message waiting to be sent, in flight, or received early. */
#define ENG_ENDED 16           /* ended sessions kept for display */
#define ENG_SCRATCH 65536u     /* e->build, e->unhide: one message each */
#define ENG_DBUF (65536u + 32) /* e->dbuf: a data message and its header */

struct eng_buf {
	struct eng_buf *next;
	uint32_t len, cap;
	int msg_type;
	uint16_t ns;
	uint16_t lsid; /* local session it belongs to, 0 for the tunnel */
	bool sent;
	bool keep_hdr; /* crafted: do not patch Tunnel ID/Ns */
	bool keep_nr;
	bool dup;          /* step mode: send the first transmission twice */
	bool rtx_held;     /* step mode: its retransmission is a held draft */
	bool then_session; /* then_state is the session lsid's */
	int8_t then_state; /* FSM state entered once it is sent, or -1 */
	unsigned tries;    /* times sent, or held back in step mode */
	unsigned skipped;  /* of them, retransmissions dropped in step mode */
	uint32_t rto;
	uint64_t first_at, next_at;
	uint8_t data[];
};

/* Intrusive chained hash, keyed by a mixed 64-bit value. */
struct eng_hnode {
	struct eng_hnode *next;
	uint64_t key;
};

struct eng_hash {
	struct eng_hnode **b;
	size_t nb, n;
};

struct eng_session;

struct eng_tunnel {
	struct eng_hnode h_lid;  /* by local id */
	struct eng_hnode h_peer; /* by peer address, port and remote id */
	struct eng_hnode h_wait; /* initiators in wait-ctl-reply, by address */
	bool in_peer, in_wait;
	struct eng_tunnel *prev, *next; /* every tunnel, oldest first */
	struct eng_tunnel *reap_next;
	size_t hidx; /* place in the timer heap, SIZE_MAX if none */
	uint64_t deadline;
	bool dead;

	uint16_t lid, rid;
	uint8_t state, role, mode;
	bool initiator;
	struct l2tp_addr peer;

	/* reliable delivery (§5.8, Appendix A) */
	uint16_t ns_next; /* Ns of the next new message sent */
	uint16_t nr;      /* next Ns expected from the peer */
	uint16_t peer_rws, cwnd, ssthresh, ca_acks;
	uint16_t adv_rws; /* the Receive Window Size we advertised */
	uint16_t inflight, queued;
	struct eng_buf *txq, *txq_tail; /* in flight first, then unsent */
	struct eng_buf *ooo;            /* received ahead of nr, by Ns */
	uint16_t nooo;
	uint64_t ack_at, hello_at, hold_at, last_rx;
	uint32_t hello_ms;

	/* setup timeouts: of the tunnel, and the earliest of its calls'
	 * (a lower bound: checked, then recomputed, when it fires) */
	uint64_t setup_at, call_at;
	/* the earliest PPP timer of its calls (a lower bound: the calls
	 * are scanned, and it recomputed, when it fires) */
	uint64_t ppp_at;
	uint64_t paused_at; /* step mode: held items stop both clocks */
	uint16_t nheld;
	bool setup_timed_out;
	uint8_t setup_timeout_state;
	struct eng_peer *peerc; /* its peer address's tunnel count */

	/* authentication, tie breaker */
	bool chal_sent, authenticated, tb_sent;
	bool answered; /* we answered the peer's challenge */
	uint8_t chal[ENG_CHAL_LEN];
	uint8_t tb[8];

	/* what the peer told us */
	char peer_host[L2TP_NAME_MAX];
	char peer_vendor[L2TP_NAME_MAX];
	uint16_t peer_firmware;
	uint8_t peer_version, peer_revision;
	uint32_t peer_framing, peer_bearer;

	struct eng_session *sessions; /* this tunnel's calls */
	uint32_t nsessions, sessions_total, sessions_failed;

	uint64_t ctl_in, ctl_out, zlb_in, zlb_out, retransmits, duplicates,
	    out_of_order, out_of_window, malformed_in, hellos_in, hellos_out;
	uint16_t last_result, last_error;
	char last_message[L2TP_NAME_MAX];
	uint64_t created_ms, established_ms;
};

/* The parameters of a call kept until its ICCN/OCRQ is sent. */
struct eng_callreq {
	struct l2tp_call_params p;
	struct l2tp_avp_spec extra[];
};

struct eng_session {
	struct eng_hnode h_lid;
	struct eng_session *t_prev, *t_next;
	struct eng_session *reap_next;
	struct eng_tunnel *t;
	bool dead;
	uint16_t lid, rid;
	uint8_t state, type;
	uint8_t end_state; /* the state it was in when it ended */
	bool initiator;
	uint32_t serial;
	uint32_t tx_speed, rx_speed, framing_type, bearer_type;
	char calling[L2TP_NUMBER_MAX];
	char called[L2TP_NUMBER_MAX];
	uint16_t last_result, last_error;
	char last_message[L2TP_NAME_MAX];
	uint64_t created_ms, established_ms;
	uint64_t setup_at; /* cleared if not connected by then */
	bool setup_timed_out;
	struct eng_callreq *req;

	/* PPP and data messages (§5.4) */
	struct l2tp_engine *eng; /* for the PPP callbacks */
	struct l2tp_ppp_link *ppp;
	uint64_t ppp_at;     /* its expiry, cached */
	bool ppp_dead;       /* DEAD seen: clear the call once out */
	bool ppp_up_counted; /* an NCP came up (stats) */
	bool seq_on;
	bool proxy_lcp, lcp_renegotiated;
	int8_t proxy_auth_ok;
	uint16_t data_ns, data_nr; /* next Ns sent, next Ns expected */
	bool data_nr_valid;
	uint16_t proxy_auth_type;
	uint64_t pk_in, pk_out, by_in, by_out, discarded, ooo;
	char *proxy_user; /* NULL: none (rare: kept off the struct) */
	char *ppp_why;    /* the DEAD text, until the CDN goes */
};

/* Tunnels per peer address, for max_tunnels_per_peer. */
struct eng_peer {
	struct eng_hnode h;
	struct l2tp_addr addr;
	uint32_t n;
};

/*
 * Free ids, built the first time random tries fail (a nearly full table)
 * and kept from then on: taking a free id is then one random pick, O(1)
 * however full the table is.  pos[id] is the id's place in free[], or
 * ENG_ID_USED.
 */
#define ENG_ID_USED 0xffffu
struct eng_idpool {
	uint16_t *free, *pos;
	uint32_t nfree;
	bool built;
};

struct eng_secret {
	int kind; /* 0 default, 1 address, 2 host */
	struct l2tp_addr addr;
	char host[L2TP_NAME_MAX];
	char secret[ENG_SECRET_MAX + 1];
};

/* An output queue: items plus a byte arena, reset once drained. */
struct eng_qitem {
	union {
		struct l2tp_event ev;
		struct l2tp_datagram dg;
	} u;
	size_t text_off, data_off; /* SIZE_MAX: none */
};

struct eng_queue {
	struct eng_qitem *items;
	size_t n, head, cap;
	uint8_t *bytes;
	size_t blen, bcap;
};

/* Step mode: a draft we would send, or a message received, held. */
struct eng_held {
	struct eng_held *next;
	unsigned id;
	bool received;
	bool zlb;  /* a ZLB draft: Ns/Nr taken at release */
	bool once; /* sent once as is: Ns or flags set by hand */
	bool keep_nr;
	bool rtx; /* a retransmission of the message of Ns rtx_ns */
	uint16_t rtx_ns;
	uint16_t tid; /* local tunnel id; 0: an SCCRQ with no tunnel yet */
	uint16_t ppp_proto; /* a PPP control frame (data message), else 0 */
	uint16_t sid;       /* its session */
	uint16_t ppp_off;   /* where the PPP packet begins in buf */
	bool ppp_edited;
	struct l2tp_addr peer;
	struct eng_buf *buf;
	uint64_t held_at, release_at;
};

struct l2tp_engine {
	struct l2tp_engine_config cfg;
	uint64_t cycle_ms;
	bool listening;
	enum l2tp_role listen_role;

	struct eng_secret secrets[ENG_MAX_SECRETS];
	size_t nsecrets;

	struct eng_hash tun_by_lid, tun_by_peer, tun_wait, ses_by_lid;
	struct eng_hash peers; /* struct eng_peer by address */
	struct eng_idpool tun_ids, ses_ids;
	uint32_t nooo; /* out-of-order messages queued in all tunnels */
	/* refusal events: this second's start, how many shown, left out */
	uint64_t rl_start;
	unsigned rl_shown;
	uint64_t rl_left;
	struct eng_tunnel *first, *last;
	struct eng_tunnel **heap;
	size_t nheap, capheap;
	struct eng_tunnel *reap_t;
	struct eng_session *reap_s;
	/* The last ENG_ENDED sessions that ended, oldest overwritten. */
	struct l2tp_session_info ended[ENG_ENDED];
	size_t nended, ended_at;
	int depth;   /* API calls in progress: free dead objects at 0 */
	int new_err; /* why the last eng_*_new failed */

	struct eng_buf *pool; /* free small buffers */
	size_t npool;

	struct eng_held *held;
	unsigned held_seq;
	size_t nheld;

	struct eng_queue evq, dgq;
	uint64_t now;
	uint32_t next_serial;

	struct l2tp_engine_stats st;

	/* PPP: a config per role (NULL-equivalent: ppp_on false), one io */
	struct l2tp_ppp_config ppp_cfg[2];
	bool ppp_on[2];
	struct l2tp_ppp_io ppp_io;
	const uint8_t *rx_msg; /* the data message being input to PPP */
	size_t rx_len;

	/* scratch: one message parsed, one built, hidden values opened, a
	 * data message being sent; the buffers are allocated apart from the
	 * engine so that it stays small (build, unhide: ENG_SCRATCH bytes;
	 * dbuf: ENG_DBUF) */
	struct l2tp_msg rxm;
	uint8_t *build;
	uint8_t *unhide;
	uint8_t *dbuf;
};

/* engine.c: infrastructure */
void eng_hash_add(struct eng_hash *h, struct eng_hnode *n, uint64_t key);
void eng_hash_del(struct eng_hash *h, struct eng_hnode *n);
struct eng_hnode *eng_hash_first(const struct eng_hash *h, uint64_t key);
uint64_t eng_addr_key(const struct l2tp_addr *a, bool with_port);

struct eng_buf *eng_buf_new(struct l2tp_engine *e, const uint8_t *p,
                            size_t len);
void eng_buf_free(struct l2tp_engine *e, struct eng_buf *b);

struct l2tp_event *eng_ev(struct l2tp_engine *e, enum l2tp_event_kind k,
                          const struct eng_tunnel *t,
                          const struct eng_session *s);
void eng_ev_text(struct l2tp_engine *e, struct l2tp_event *ev, const char *fmt,
                 ...) __attribute__((format(printf, 3, 4)));
void eng_ev_msg(struct l2tp_engine *e, struct l2tp_event *ev, const uint8_t *p,
                size_t len);
void eng_emit(struct l2tp_engine *e, enum l2tp_event_kind k,
              const struct eng_tunnel *t, const struct eng_session *s,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A REFUSED event, rate-limited to ENG_REFUSAL_EVENTS a second. */
void eng_refused(struct l2tp_engine *e, const struct eng_tunnel *t,
                 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Tunnels open to this address (any port). */
uint32_t eng_peer_tunnels(const struct l2tp_engine *e,
                          const struct l2tp_addr *a);
/* Step mode: an item of tunnel t was held (+1) or let go (-1); the setup
 * clocks stop while any is held. */
void eng_setup_hold(struct l2tp_engine *e, struct eng_tunnel *t, int d);
int eng_send_dgram(struct l2tp_engine *e, const struct l2tp_addr *to,
                   uint16_t tid, const uint8_t *p, size_t len);
int eng_random(struct l2tp_engine *e, uint8_t *p, size_t n);

struct eng_tunnel *eng_tunnel_find(const struct l2tp_engine *e, uint16_t lid);
struct eng_tunnel *eng_tunnel_new(struct l2tp_engine *e,
                                  const struct l2tp_addr *peer,
                                  enum l2tp_role role, uint64_t now);
void eng_tunnel_kill(struct l2tp_engine *e, struct eng_tunnel *t);
void eng_tunnel_set_peer_key(struct l2tp_engine *e, struct eng_tunnel *t);
void eng_tunnel_set_wait(struct l2tp_engine *e, struct eng_tunnel *t, bool on);
void eng_rearm(struct l2tp_engine *e, struct eng_tunnel *t);
const char *eng_secret_lookup(const struct l2tp_engine *e,
                              const struct l2tp_addr *a, const char *host);
const char *eng_secret_for(const struct l2tp_engine *e,
                           const struct eng_tunnel *t);
void eng_enter(struct l2tp_engine *e);
void eng_leave(struct l2tp_engine *e);

struct eng_session *eng_session_find(const struct l2tp_engine *e, uint16_t lid);
struct eng_session *eng_session_new(struct l2tp_engine *e, struct eng_tunnel *t,
                                    uint64_t now);
void eng_session_kill(struct l2tp_engine *e, struct eng_session *s);
void eng_session_move(struct l2tp_engine *e, struct eng_session *s,
                      struct eng_tunnel *to);

/* A message being built for a tunnel. */
struct eng_mb {
	struct l2tp_builder b;
	struct l2tp_engine *e;
	struct eng_tunnel *t;
	const char *secret;
	bool hide, rv_done;
	int msg_type;
	uint16_t lsid;
	/* The state sending it moves the tunnel (or the session) to: in
	 * step mode only once the draft is really sent. */
	int then_state;
	bool then_session;
};

void eng_mb_begin(struct eng_mb *m, struct l2tp_engine *e, struct eng_tunnel *t,
                  int msg_type, uint16_t rsid, uint16_t lsid);
void eng_mb_avp(struct eng_mb *m, bool mflag, uint16_t type, const void *v,
                size_t len);
void eng_mb_u16(struct eng_mb *m, bool mflag, uint16_t type, uint16_t v);
void eng_mb_u32(struct eng_mb *m, bool mflag, uint16_t type, uint32_t v);
void eng_mb_str(struct eng_mb *m, bool mflag, uint16_t type, const char *s);
void eng_mb_spec(struct eng_mb *m, const struct l2tp_avp_spec *sp);
/* Queue the message for reliable delivery; returns 0 or an error. */
int eng_mb_queue(struct eng_mb *m);

/* rel.c: reliable delivery */
void eng_send_zlb(struct l2tp_engine *e, struct eng_tunnel *t);
void eng_txq_drop(struct l2tp_engine *e, struct eng_tunnel *t, bool keep_sent);
void eng_rx_ack(struct l2tp_engine *e, struct eng_tunnel *t, uint16_t nr);
void eng_ooo_insert(struct l2tp_engine *e, struct eng_tunnel *t, uint16_t ns,
                    const uint8_t *buf, size_t len);

/* ctrl.c: the control connection */
void eng_tunnel_up(struct l2tp_engine *e, struct eng_tunnel *t);
void eng_set_state(struct l2tp_engine *e, struct eng_tunnel *t, int st);
void eng_pump(struct l2tp_engine *e, struct eng_tunnel *t);
void eng_tunnel_timers(struct l2tp_engine *e, struct eng_tunnel *t);
/* The setup timeouts of t and its calls due at e->now. */
void eng_setup_timers(struct l2tp_engine *e, struct eng_tunnel *t);
/* Answer an SCCRQ we keep no tunnel for: StopCCN sent once. */
void eng_refuse_sccrq(struct l2tp_engine *e, const struct l2tp_addr *to,
                      uint16_t rid, uint16_t ns, uint16_t nr, uint16_t result,
                      int error, const char *message);
int eng_send_sccrq(struct l2tp_engine *e, struct eng_tunnel *t);
void eng_stop(struct l2tp_engine *e, struct eng_tunnel *t, uint16_t result,
              int error, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void eng_rx_control(struct l2tp_engine *e, const struct l2tp_addr *from,
                    const uint8_t *buf, size_t len, bool stepped);
void eng_txq_append(struct eng_tunnel *t, struct eng_buf *b);
void eng_apply_then(struct l2tp_engine *e, struct eng_tunnel *t,
                    struct eng_buf *b);
void eng_send_zlb_now(struct l2tp_engine *e, struct eng_tunnel *t, int ns,
                      int nr, bool twice);

/* rel.c: a timed-out message's retransmission (dup: sent twice) or, in
 * step mode, its retransmission dropped (it counts toward the retry limit). */
void eng_retransmit(struct l2tp_engine *e, struct eng_tunnel *t,
                    struct eng_buf *b, bool dup);
void eng_retransmit_skip(struct l2tp_engine *e, struct eng_tunnel *t,
                         struct eng_buf *b);

/* step.c: held drafts and received messages */
int eng_step_hold_draft(struct l2tp_engine *e, struct eng_tunnel *t,
                        struct eng_buf *b);
void eng_step_hold_zlb(struct l2tp_engine *e, struct eng_tunnel *t);
void eng_step_hold_rx(struct l2tp_engine *e, struct eng_tunnel *t,
                      const struct l2tp_addr *from, const uint8_t *buf,
                      size_t len);
void eng_step_forget_tunnel(struct l2tp_engine *e, uint16_t lid);
int eng_step_hold_rtx(struct l2tp_engine *e, struct eng_tunnel *t,
                      const struct eng_buf *b);
void eng_step_rtx_acked(struct l2tp_engine *e, struct eng_tunnel *t,
                        const struct eng_buf *b);
uint64_t eng_step_expiry(const struct l2tp_engine *e);
void eng_step_timers(struct l2tp_engine *e);
void eng_step_free(struct l2tp_engine *e);
void eng_clear_sessions(struct l2tp_engine *e, struct eng_tunnel *t,
                        const char *why);

/* session.c: PPP and data messages of calls */
void eng_sess_established(struct l2tp_engine *e, struct eng_session *s);
void eng_sess_io_init(struct l2tp_engine *e);
void eng_sess_rx_data(struct l2tp_engine *e, const struct l2tp_addr *from,
                      const uint8_t *buf, size_t len, bool stepped);
void eng_sess_send_held(struct l2tp_engine *e, struct eng_session *s,
                        uint8_t *msg, size_t n, bool dup);
/* The PPP timers of t's calls due at e->now. */
void eng_sess_timers(struct l2tp_engine *e, struct eng_tunnel *t);
/* Clear the calls whose PPP died (after the call into PPP returned). */
void eng_sess_reap(struct l2tp_engine *e);
void eng_sess_down(struct l2tp_engine *e, struct eng_session *s);
void eng_sess_free(struct eng_session *s);
/* ICCN/OCCN: AVPs we add (Sequencing Required, proxy), and what the
 * peer's says. */
void eng_sess_connect_avps(struct l2tp_engine *e, struct eng_session *s,
                           struct eng_mb *m, int type);
void eng_sess_rx_connect(struct l2tp_engine *e, struct eng_session *s,
                         const struct l2tp_msg *m);
/* step.c: a held PPP frame (a data message) */
int eng_step_hold_ppp(struct l2tp_engine *e, struct eng_tunnel *t,
                      struct eng_session *s, uint16_t proto, bool received,
                      const struct l2tp_addr *from, const uint8_t *buf,
                      size_t len);

/* call.c: sessions */
void eng_call_tunnel_up(struct l2tp_engine *e, struct eng_tunnel *t);
/* A session message; `why` non-NULL: it failed the checks (error `err`). */
void eng_call_rx(struct l2tp_engine *e, struct eng_tunnel *t,
                 struct l2tp_msg *m, uint16_t err, const char *why);
void eng_session_set_state(struct l2tp_engine *e, struct eng_session *s,
                           int st);
/* The setup timeouts of t's calls due at e->now. */
void eng_call_timers(struct l2tp_engine *e, struct eng_tunnel *t);
int eng_send_cdn(struct l2tp_engine *e, struct eng_session *s, uint16_t result,
                 int error, const char *message, int q931);

#endif
