/* The L2TP protocol engine: a sans-I/O RFC 2661 LAC and LNS (§5, §7, Appendix
 * A). */
#ifndef L2TP_ENGINE_H
#define L2TP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * How it is driven.  The engine never reads a clock, a socket or a random
 * source.  The caller:
 *   - passes every received datagram to l2tp_engine_input() with the peer's
 *     address and the current monotonic time in milliseconds;
 *   - sleeps until l2tp_engine_expiry() and then calls
 *     l2tp_engine_handle_expiry();
 *   - after every call into the engine, drains the datagrams to send with
 *     l2tp_engine_next_datagram() and the events to show with
 *     l2tp_engine_next_event().  Pointers handed out stay valid until the
 *     next call into the engine that is not a drain or a getter.
 * Randomness (challenges, random vectors, tie breakers, tunnel and session
 * ids) comes from the config's `random` function.
 *
 * Nothing here calls back into the caller except `random`, so the caller may
 * issue any command at any time; a tunnel or session cleared while a message
 * for it is being processed is freed only once that processing is over.
 */

/* Error codes every function below returns (negative; 0 is success). */
enum l2tp_engine_err {
	L2TP_E_OK = 0,
	L2TP_E_NOMEM = -1,     /* an allocation failed; nothing changed */
	L2TP_E_INVAL = -2,     /* an argument is out of range */
	L2TP_E_NOTUNNEL = -3,  /* no tunnel with that local id */
	L2TP_E_NOSESSION = -4, /* no session with that local id */
	L2TP_E_STATE = -5,     /* not possible in the current state */
	L2TP_E_NOIDS = -6,     /* every id is in use */
	L2TP_E_RANDOM = -7,    /* the random source failed */
	L2TP_E_TOOBIG = -8,    /* the message does not fit in a datagram */
	L2TP_E_NOSECRET = -9,  /* hiding asked for with no secret */
	L2TP_E_FULL = -10,     /* table of secrets full */
	L2TP_E_LIMIT = -11,    /* a configured limit is reached */
};

/* Short name of an error code ("no such tunnel"); never NULL. */
const char *l2tp_engine_strerror(int err);

/* A peer: the engine's own address type, no socket headers. */
enum l2tp_family { L2TP_AF_INET = 4, L2TP_AF_INET6 = 6 };

struct l2tp_addr {
	uint8_t family;   /* L2TP_AF_INET or L2TP_AF_INET6 */
	uint8_t addr[16]; /* network order; IPv4 in the first 4 bytes */
	uint16_t port;    /* host order */
};

bool l2tp_addr_eq(const struct l2tp_addr *a, const struct l2tp_addr *b,
                  bool with_port);

enum l2tp_role { L2TP_ROLE_LAC = 0, L2TP_ROLE_LNS = 1 };
enum l2tp_mode { L2TP_MODE_AUTO = 0, L2TP_MODE_STEP = 1 };

#define L2TP_NAME_MAX 64

/* Fills `buf` with `len` random bytes; returns 0, or non-zero on failure. */
typedef int (*l2tp_random_fn)(void *ctx, uint8_t *buf, size_t len);

/* Defaults in brackets. */
struct l2tp_engine_config {
	char host_name[L2TP_NAME_MAX];   /* Host Name AVP ["l2tpsh"] */
	char vendor_name[L2TP_NAME_MAX]; /* Vendor Name AVP ["l2tpsh"] */
	uint16_t firmware;               /* Firmware Revision [0x0100] */
	uint32_t framing_cap;            /* [3: sync and async] */
	uint32_t bearer_cap;             /* [3: digital and analog] */
	uint16_t rx_window;              /* our Receive Window Size [4] */
	/* Idle time before a Hello [60000]; 0 turns Hellos off. */
	uint32_t hello_ms;
	uint32_t rtx_min_ms;   /* first retransmission [1000] */
	uint32_t rtx_max_ms;   /* cap of the doubling [8000] */
	unsigned rtx_retries;  /* retransmissions, then clear [5] */
	uint32_t zlb_delay_ms; /* wait for a message to ack [100] */
	bool hide_avps;        /* hide what may be hidden [off] */
	bool challenge;        /* Challenge if a secret is set [on] */
	bool tie_breaker;      /* Tie Breaker AVP in SCCRQ [on] */
	enum l2tp_mode mode;   /* for new tunnels [auto] */
	uint32_t event_mask;   /* bit (1 << kind) queued [all] */
	/*
	 * A tunnel not established, or a call not connected, this long after
	 * it started is cleared with a StopCCN or CDN saying so [60000]; 0
	 * turns it off.  In step mode the clock of a tunnel stops while
	 * anything of it is held (the operator is holding it by hand).
	 */
	uint32_t setup_ms;
	/*
	 * Limits (0: none).  A refused SCCRQ gets a StopCCN result 2 error 4,
	 * a refused ICRQ/OCRQ a CDN result 4; each refusal is counted in the
	 * stats and shown as an event, at most a few a second.
	 */
	uint32_t max_tunnels_per_peer;    /* by peer address [64] */
	uint32_t max_tunnels;             /* in all [4096] */
	uint32_t max_sessions_per_tunnel; /* [4096] */
	uint32_t max_sessions;            /* in all, at most 65535 [32768] */
	uint32_t max_held;                /* held messages in step mode [256] */
	/* Messages received ahead of a gap, in all tunnels [1024]; on one
	 * tunnel never more than the window we advertised to its peer. */
	uint32_t max_out_of_order;
	/*
	 * Data messages (RFC 2661 §5.4): send the Sequencing Required AVP in
	 * our ICCN/OCCN and sequence numbers on our data from the start
	 * [off].  Sequencing also starts when the peer sends that AVP or
	 * sequenced data.
	 */
	bool data_seq;
	/* As LAC with PPP on: Proxy LCP and Proxy Authentication AVPs on the
	 * ICCN from a local pre-negotiation with the subscriber (§4.4.5)
	 * [off]. */
	bool ppp_proxy;
	/* PPP event kinds (bit 1 << enum l2tp_ppp_event_kind) queued as
	 * L2TP_EV_PPP events [all]; the engine sees the ones it needs
	 * either way. */
	uint32_t ppp_event_mask;
	l2tp_random_fn random; /* required */
	void *random_ctx;
};

/* The defaults above (random left NULL: the caller must set it). */
void l2tp_engine_config_default(struct l2tp_engine_config *c);

/*
 * The time a closing tunnel is kept to re-ack a repeated StopCCN: one full
 * retransmission cycle, the sum of every retransmission timeout plus the
 * last wait (1+2+4+8+8+8 = 31 s with the defaults).
 */
uint64_t l2tp_engine_config_cycle_ms(const struct l2tp_engine_config *c);

struct l2tp_engine;

/*
 * Create an engine.  Returns NULL when out of memory or when the config is
 * invalid (no random function, rx_window 0, rtx_min_ms 0 or above
 * rtx_max_ms).
 */
struct l2tp_engine *l2tp_engine_new(const struct l2tp_engine_config *c);
/* Free an engine and everything it holds, without sending anything. */
void l2tp_engine_free(struct l2tp_engine *e);

const struct l2tp_engine_config *
l2tp_engine_config(const struct l2tp_engine *e);
/*
 * Change the config; new tunnels use it, live tunnels keep their hello
 * interval and mode.  Returns 0 or L2TP_E_INVAL (as for l2tp_engine_new).
 */
int l2tp_engine_set_config(struct l2tp_engine *e,
                           const struct l2tp_engine_config *c);

/*
 * Secrets.  A peer's secret is the one for its address, else the one for
 * its Host Name, else the default one.  `secret` NULL removes the entry.
 * Returns 0, L2TP_E_INVAL (secret longer than 255 bytes or empty, host name
 * too long, no address), L2TP_E_FULL (32 entries).
 */
int l2tp_engine_set_secret_default(struct l2tp_engine *e, const char *secret);
int l2tp_engine_set_secret_addr(struct l2tp_engine *e,
                                const struct l2tp_addr *peer,
                                const char *secret);
int l2tp_engine_set_secret_host(struct l2tp_engine *e, const char *host,
                                const char *secret);
bool l2tp_engine_has_secret(const struct l2tp_engine *e);

enum l2tp_secret_kind {
	L2TP_SECRET_DEFAULT = 0,
	L2TP_SECRET_ADDR = 1,
	L2TP_SECRET_HOST = 2,
};

struct l2tp_secret_info {
	enum l2tp_secret_kind kind;
	struct l2tp_addr addr; /* ADDR */
	const char *host;      /* HOST */
	const char *secret;    /* mask it before showing it */
};

/* The secrets set, in the order set: writes at most cap, returns how
 * many there are.  Pointers stay valid until the secrets change. */
size_t l2tp_engine_secrets(const struct l2tp_engine *e,
                           struct l2tp_secret_info *out, size_t cap);

/*
 * Accept tunnels requested by peers (SCCRQ with Tunnel ID 0), taking
 * `role` for them.  Off by default: an unsolicited SCCRQ is then reported
 * and dropped.
 */
void l2tp_engine_listen(struct l2tp_engine *e, bool on, enum l2tp_role role);

/* ---- Input and timers ---- */

/*
 * One received UDP payload.  Bad input of any kind is reported as an event
 * and never changes state wrongly.  A datagram whose header does not parse
 * (not L2TPv2, no Length or Ns/Nr, shorter than its Length) is counted in
 * bad_in and dropped.  A control message with a sound header whose AVPs
 * the decoder finds malformed (a wrong-length fixed AVP, an AVP length
 * that contradicts the message, a hidden AVP with no Random Vector,
 * Message Type not first) is, on a tunnel, taken in sequence and answered
 * as section 7.1 says: the tunnel is cleared with a StopCCN naming the AVP
 * and what was wrong (result 4 for a Challenge Response of the wrong
 * length, else result 2 error 2); with Tunnel ID 0 it is dropped.  An
 * SCCRQ beyond a limit gets a StopCCN result 2 error 4 (sent once, no
 * tunnel kept).  A datagram that needs memory the engine cannot get is
 * reported and dropped as if lost.  Returns 0, or L2TP_E_INVAL for a NULL
 * argument.
 */
int l2tp_engine_input(struct l2tp_engine *e, const struct l2tp_addr *from,
                      const uint8_t *buf, size_t len, uint64_t now_ms);

/* The next time handle_expiry has work; UINT64_MAX when none. */
uint64_t l2tp_engine_expiry(const struct l2tp_engine *e);

/* Run every timer due at now_ms.  Returns 0. */
int l2tp_engine_handle_expiry(struct l2tp_engine *e, uint64_t now_ms);

/* ---- Output ---- */

struct l2tp_datagram {
	struct l2tp_addr to;
	const uint8_t *data;
	size_t len;
	uint16_t tunnel; /* local tunnel id it belongs to, 0 when none */
};

/* Take the next datagram to send; false when none is left. */
bool l2tp_engine_next_datagram(struct l2tp_engine *e,
                               struct l2tp_datagram *out);

enum l2tp_event_kind {
	L2TP_EV_TUNNEL_STATE = 0, /* text "idle -> wait-ctl-reply", state */
	L2TP_EV_SESSION_STATE,    /* the same for a call */
	L2TP_EV_MSG_IN,           /* a control message accepted; msg = bytes */
	L2TP_EV_MSG_OUT,          /* a control message sent (first time) */
	L2TP_EV_ZLB_IN,
	L2TP_EV_ZLB_OUT,
	L2TP_EV_RETRANSMIT,    /* msg = bytes, count = how many sends */
	L2TP_EV_TIMER,         /* a timer fired: text names it */
	L2TP_EV_AUTH,          /* authentication verdict; ok says which */
	L2TP_EV_DUPLICATE,     /* a message seen before, re-acked */
	L2TP_EV_OUT_OF_ORDER,  /* queued until the gap fills */
	L2TP_EV_OUT_OF_WINDOW, /* dropped: beyond our window */
	L2TP_EV_UNKNOWN_AVP,   /* unknown mandatory AVP */
	L2TP_EV_MISSING_AVP,   /* mandatory AVP missing */
	L2TP_EV_BAD_MESSAGE,   /* malformed, wrong version, bad value */
	L2TP_EV_UNEXPECTED,    /* a message not valid in this state */
	L2TP_EV_HIDDEN,        /* a hidden AVP did not open: wrong secret? */
	L2TP_EV_GIVE_UP,       /* retry limit: text says what and how long */
	L2TP_EV_TIE_BREAK,     /* tie breaker verdict */
	L2TP_EV_STOPCCN,       /* StopCCN sent or received: result, error */
	L2TP_EV_CDN,           /* CDN sent or received */
	L2TP_EV_TUNNEL_GONE,   /* a tunnel was freed */
	L2TP_EV_SESSION_GONE,  /* a session was freed */
	L2TP_EV_ANOMALY,       /* anything else worth an operator's eye */
	L2TP_EV_HELD,          /* step mode: a message was held */
	L2TP_EV_REFUSED,       /* a limit refused a tunnel, call or message
	                        * (a few a second at most; the stats count
	                        * them all) */
	L2TP_EV_PPP,           /* the PPP of a call: ppp_kind, proto, code,
	                        * ok, state, seq, ttl, bytes, rtt_ms */
	L2TP_EV_DATA,          /* a data message dropped or out of order */
	L2TP_EV_KIND_COUNT
};

/* "tunnel-state", "msg-in", ...; never NULL. */
const char *l2tp_event_kind_name(enum l2tp_event_kind k);

struct l2tp_event {
	enum l2tp_event_kind kind;
	uint64_t time_ms;
	uint16_t tunnel;  /* local tunnel id, 0 when none */
	uint16_t session; /* local session id, 0 when none */
	struct l2tp_addr peer;
	int msg_type;    /* the message concerned, -1 for none or ZLB */
	int state;       /* for *_STATE: the new state (enum below) */
	bool ok;         /* AUTH: the verdict; MSG/STOPCCN/CDN: sent by us */
	bool outgoing;   /* the message concerned was ours */
	uint16_t ns, nr; /* of the message concerned */
	unsigned count;  /* RETRANSMIT/GIVE_UP: sends so far */
	uint16_t result, error; /* STOPCCN/CDN */
	const char *text;       /* one line, never NULL */
	const uint8_t *msg;     /* the whole message as on the wire, or NULL */
	size_t msg_len;         /* parse it with l2tp_parse() to show AVPs */
	/* L2TP_EV_PPP: the PPP event (enum l2tp_ppp_event_kind of
	 * engine/ppp.h, or L2TP_EV_PPP_SENT); `ok` and `state` as it says;
	 * for PACKET_IN and SENT, msg is the whole data message */
	int ppp_kind;
	uint16_t proto;
	int code;
	uint16_t seq;
	uint8_t ttl;
	size_t bytes;
	uint32_t rtt_ms;
};

/* ppp_kind of an L2TP_EV_PPP event for a PPP control packet we sent
 * (bit 1 << L2TP_EV_PPP_SENT of ppp_event_mask). */
#define L2TP_EV_PPP_SENT 31

/* Take the next event; false when none is left. */
bool l2tp_engine_next_event(struct l2tp_engine *e, struct l2tp_event *out);

/* ---- Tunnels ---- */

enum l2tp_tunnel_state {
	L2TP_TS_IDLE = 0,
	L2TP_TS_WAIT_CTL_REPLY,
	L2TP_TS_WAIT_CTL_CONN,
	L2TP_TS_ESTABLISHED,
	L2TP_TS_CLOSING, /* StopCCN sent or received: the hold of §5.7 */
};

/* "idle", "wait-ctl-reply", "wait-ctl-conn", "established", "closing". */
const char *l2tp_tunnel_state_name(int state);

/*
 * Open a tunnel to `peer`: sends an SCCRQ.  *lid gets the new local tunnel
 * id.  Returns 0, L2TP_E_INVAL (no address family, port 0, bad role),
 * L2TP_E_NOMEM, L2TP_E_NOIDS, L2TP_E_LIMIT (max_tunnels), L2TP_E_RANDOM,
 * L2TP_E_TOOBIG (a host or vendor name that does not fit).
 */
int l2tp_engine_tunnel_open(struct l2tp_engine *e, const struct l2tp_addr *peer,
                            enum l2tp_role role, uint64_t now_ms,
                            uint16_t *lid);

/*
 * Close a tunnel with a StopCCN carrying result, error (-1: none) and
 * message (NULL: none); every session is cleared.  A tunnel whose SCCRQ
 * went out before the peer answered still sends its StopCCN, with Tunnel
 * ID 0 and our Assigned Tunnel ID (as xl2tpd does); one that sent nothing
 * yet (its SCCRQ a held draft) is cleared at once.  Returns 0,
 * L2TP_E_NOTUNNEL, L2TP_E_STATE (already closing), L2TP_E_INVAL (result 0).
 */
int l2tp_engine_tunnel_close(struct l2tp_engine *e, uint16_t lid,
                             uint16_t result, int error, const char *message,
                             uint64_t now_ms);

/*
 * Set the Hello interval of a live tunnel (0 off); the next Hello is due
 * `ms` after the last message received.  Returns 0 or L2TP_E_NOTUNNEL.
 */
int l2tp_engine_tunnel_set_hello(struct l2tp_engine *e, uint16_t lid,
                                 uint32_t ms, uint64_t now_ms);

struct l2tp_tunnel_info {
	uint16_t local_id, remote_id;
	int state;
	enum l2tp_role role;
	enum l2tp_mode mode;
	bool initiator;
	struct l2tp_addr peer;
	char peer_host[L2TP_NAME_MAX];
	char peer_vendor[L2TP_NAME_MAX];
	uint16_t peer_firmware;
	uint8_t peer_version, peer_revision;
	uint32_t peer_framing_cap, peer_bearer_cap;
	uint32_t hello_ms;
	uint16_t ns, nr;      /* next Ns we send, next Ns we expect */
	uint16_t peer_window; /* the peer's Receive Window Size */
	uint16_t cwnd, ssthresh;
	uint16_t unacked;   /* messages sent and not yet acknowledged */
	uint16_t queued;    /* waiting for the window */
	bool authenticated; /* a challenge was answered correctly */
	uint64_t ctl_in, ctl_out, zlb_in, zlb_out;
	uint64_t retransmits, duplicates, out_of_order, out_of_window;
	uint64_t malformed_in; /* malformed messages: see input() */
	uint64_t hellos_in, hellos_out;
	uint32_t sessions_total, sessions_active, sessions_failed;
	uint16_t last_result, last_error; /* of the last StopCCN either way */
	char last_message[L2TP_NAME_MAX];
	uint64_t created_ms, established_ms; /* established 0: never */
	bool setup_timed_out;                /* cleared by the setup timeout */
	uint8_t setup_timeout_state; /* then: the state it was stuck in */
	uint16_t rx_window;          /* the Receive Window Size we advertised */
	uint16_t out_of_order_queued; /* messages held ahead of a gap */
};

/* Fill *out.  Returns 0 or L2TP_E_NOTUNNEL. */
int l2tp_engine_tunnel_info(const struct l2tp_engine *e, uint16_t lid,
                            struct l2tp_tunnel_info *out);

/*
 * Local ids of every tunnel, oldest first: writes at most cap ids and
 * returns how many tunnels there are.
 */
size_t l2tp_engine_tunnel_ids(const struct l2tp_engine *e, uint16_t *ids,
                              size_t cap);

/* ---- Calls (§7.4, §7.5) ---- */

enum l2tp_session_state {
	L2TP_SS_IDLE = 0,
	L2TP_SS_WAIT_TUNNEL,    /* the tunnel is not yet established */
	L2TP_SS_WAIT_REPLY,     /* ICRQ/OCRQ sent */
	L2TP_SS_WAIT_CONNECT,   /* ICRP/OCRP sent */
	L2TP_SS_WAIT_CS_ANSWER, /* LAC got an OCRQ: answering */
	L2TP_SS_ESTABLISHED,
};

/* "idle", "wait-tunnel", "wait-reply", "wait-connect", ... */
const char *l2tp_session_state_name(int state);

enum l2tp_call_type {
	L2TP_CALL_INCOMING = 0, /* ICRQ/ICRP/ICCN */
	L2TP_CALL_OUTGOING = 1, /* OCRQ/OCRP/OCCN */
};

/* An AVP the operator adds to a message as given. */
struct l2tp_avp_spec {
	uint16_t vendor, type;
	bool m, h; /* h: hide it (needs a secret) */
	const uint8_t *value;
	size_t len;
	/* Non-zero: the M/H/reserved/Length word exactly as given, value
	 * unhidden, whatever it says (malformed on purpose). */
	uint16_t raw_flags_len;
};

#define L2TP_NUMBER_MAX 64

/*
 * What a call request carries.  Zero / empty fields are left out (except
 * the mandatory ones, which get defaults).  A LAC opens incoming calls
 * (ICRQ, then ICCN with speeds, framing and proxy authentication); an LNS
 * opens outgoing calls (OCRQ; the LAC answers with OCRP and OCCN).
 */
struct l2tp_call_params {
	char calling[L2TP_NUMBER_MAX];
	char called[L2TP_NUMBER_MAX];
	char sub_address[L2TP_NUMBER_MAX];
	uint32_t bearer_type;      /* [2 analog] */
	uint32_t framing_type;     /* [1 sync] */
	uint32_t tx_speed;         /* [10000000] */
	uint32_t rx_speed;         /* 0: not sent */
	uint32_t min_bps, max_bps; /* OCRQ [0, 100000000] */
	uint32_t phys_channel;     /* 0: not sent */
	uint16_t proxy_auth_type;  /* 0: no proxy authentication AVPs */
	char proxy_auth_name[L2TP_NUMBER_MAX];
	uint8_t proxy_auth_chal[32];
	size_t proxy_auth_chal_len;
	uint16_t proxy_auth_id;
	uint8_t proxy_auth_resp[32];
	size_t proxy_auth_resp_len;
	const struct l2tp_avp_spec *extra; /* added to the request */
	size_t nextra;
};

void l2tp_call_params_default(struct l2tp_call_params *p);

/*
 * Open a call on tunnel `tid` (queued until the tunnel is established).
 * *sid gets the local session id.  Returns 0, L2TP_E_NOTUNNEL,
 * L2TP_E_STATE (tunnel closing; an outgoing call to a peer that sent no
 * Bearer Capabilities, section 6.9), L2TP_E_NOMEM, L2TP_E_NOIDS,
 * L2TP_E_LIMIT (max_sessions_per_tunnel, max_sessions),
 * L2TP_E_RANDOM, L2TP_E_INVAL (extra AVPs with no array, proxy values
 * too long), L2TP_E_TOOBIG (an extra AVP or the request too long),
 * L2TP_E_NOSECRET (an extra AVP to hide with no secret).
 */
int l2tp_engine_call_open(struct l2tp_engine *e, uint16_t tid,
                          const struct l2tp_call_params *p, uint64_t now_ms,
                          uint16_t *sid);

/*
 * Close a call with a CDN (result, error -1 none, message NULL none,
 * q931_cause -1 none).  Returns 0, L2TP_E_NOSESSION, L2TP_E_INVAL.
 */
int l2tp_engine_call_close(struct l2tp_engine *e, uint16_t sid, uint16_t result,
                           int error, const char *message, int q931_cause,
                           uint64_t now_ms);

/* WEN (six error counters) and SLI (ACCMs) on an established call.
 * Returns 0, L2TP_E_NOSESSION, L2TP_E_STATE (call not established),
 * L2TP_E_NOMEM, L2TP_E_RANDOM (hiding). */
int l2tp_engine_send_wen(struct l2tp_engine *e, uint16_t sid,
                         const uint32_t errs[6], uint64_t now_ms);
int l2tp_engine_send_sli(struct l2tp_engine *e, uint16_t sid,
                         uint32_t send_accm, uint32_t recv_accm,
                         uint64_t now_ms);

struct l2tp_session_info {
	uint16_t local_id, remote_id, tunnel;
	int state;
	enum l2tp_call_type type;
	bool initiator;
	uint32_t serial;
	uint32_t tx_speed, rx_speed;
	uint32_t framing_type, bearer_type;
	char calling[L2TP_NUMBER_MAX];
	char called[L2TP_NUMBER_MAX];
	uint16_t last_result, last_error; /* of its CDN either way */
	char last_message[L2TP_NAME_MAX];
	uint64_t created_ms, established_ms;
	uint64_t ended_ms;    /* ended sessions only: when; state is the state
	                       * it ended in */
	bool setup_timed_out; /* cleared by the setup timeout */
	/* Data messages (§5.4): PPP frames each way (payload bytes after
	 * the L2TP header), dropped (bad header, no PPP frame, no PPP
	 * running), out of order (sequencing on: dropped) */
	bool ppp;         /* a PPP end runs on it */
	bool seq_on;      /* data carries Ns (either end asked) */
	uint16_t data_ns; /* Ns of our next data message */
	uint64_t packets_in, packets_out, bytes_in, bytes_out;
	uint64_t discarded, out_of_order;
	/* Proxy AVPs of its ICCN (§4.4.5): sent (LAC) or received (LNS) */
	bool proxy_lcp;           /* Proxy LCP AVPs 26-28 */
	uint16_t proxy_auth_type; /* 29: 0 none */
	char proxy_user[L2TP_NAME_MAX];
	int proxy_auth_ok;     /* LNS: -1 not checked, 0 bad, 1 good */
	bool lcp_renegotiated; /* LNS: PPP started over the proxy */
};

/* Returns 0 or L2TP_E_NOSESSION. */
int l2tp_engine_session_info(const struct l2tp_engine *e, uint16_t sid,
                             struct l2tp_session_info *out);
/*
 * A CDN ends a session at once, so its result is kept: the last 16
 * sessions that ended (CDN either way, tunnel cleared), newest first, as
 * they were when they ended.  Writes at most cap, returns how many there
 * are.  The SESSION_GONE event carries the same result and error.
 */
size_t l2tp_engine_ended_sessions(const struct l2tp_engine *e,
                                  struct l2tp_session_info *out, size_t cap);
/* Local ids of the sessions of tunnel `tid` (0: all); as tunnel_ids. */
size_t l2tp_engine_session_ids(const struct l2tp_engine *e, uint16_t tid,
                               uint16_t *ids, size_t cap);

/* ---- Crafted messages ---- */

/*
 * A message built as the operator says.  On a tunnel (tid != 0) the
 * header's Tunnel ID is the peer's and Ns/Nr are the tunnel's unless set;
 * `reliable` puts it in the tunnel's send queue (it takes the next Ns, is
 * retransmitted and counted) instead of sending it once as is; a message
 * with Ns, flags or Length set by hand is always sent once as is.
 */
struct l2tp_craft {
	int msg_type; /* -1: no Message Type AVP (a ZLB if no AVPs) */
	const struct l2tp_avp_spec *avps;
	size_t navps;
	bool set_tunnel, set_session, set_ns, set_nr;
	uint16_t tunnel, session, ns, nr;
	bool reliable;
	/* Header flags word and Length as given (malformed on purpose);
	 * either makes the message go once as is. */
	bool set_flags, set_length;
	uint16_t flags, length;
};

/*
 * Send a crafted message on tunnel `tid`, or (tid 0) to `to`.  Returns 0,
 * L2TP_E_NOTUNNEL, L2TP_E_INVAL (no tunnel and no address, AVPs with no
 * array), L2TP_E_TOOBIG, L2TP_E_NOSECRET (a hidden AVP with no secret),
 * L2TP_E_RANDOM, L2TP_E_NOMEM.
 */
int l2tp_engine_send_craft(struct l2tp_engine *e, uint16_t tid,
                           const struct l2tp_addr *to,
                           const struct l2tp_craft *c, uint64_t now_ms);

/* ---- Step mode ---- */

/*
 * In step mode (config `mode`, or l2tp_engine_tunnel_set_mode) every
 * message a tunnel would send - ZLB acks included - is held as a numbered
 * draft, and every datagram received for it is held before it is acted
 * on.  A message that times out is not retransmitted by itself either:
 * its retransmission is held as a draft (retransmission set), and the
 * message's timer waits for the operator.  Released, it goes with the
 * current Nr and is counted; dropped, it counts toward the retry limit as
 * a send that was lost (stepping through a dead peer still ends in the
 * give-up); acknowledged meanwhile, it is withdrawn with an event; it
 * cannot be edited (L2TP_E_STATE).  Ns, Nr
 * and the counters move only when a draft is really sent; the FSM state
 * moves when the engine drafts its answer, as in auto mode.  A draft
 * whose Ns or header flags were set by hand is sent once as is (it takes
 * no Ns and is not retransmitted).  Held items are numbered from 1 up and
 * their pointers stay valid until the next call into the engine.
 */
enum l2tp_held_kind { L2TP_HELD_DRAFT = 0, L2TP_HELD_RECEIVED = 1 };

struct l2tp_held_info {
	unsigned id;
	enum l2tp_held_kind kind;
	uint16_t tunnel; /* local tunnel id; 0 for an SCCRQ from a new peer */
	struct l2tp_addr peer;
	int msg_type;        /* -1: ZLB */
	const uint8_t *data; /* as it would be sent / as received */
	size_t len;
	uint64_t held_ms;
	uint64_t release_ms; /* delayed: when it goes; UINT64_MAX when not */
	bool once;           /* a draft that will be sent once as is */
	uint16_t ppp_proto;  /* a PPP control frame of session `session`
	                      * (a data message): its protocol, else 0 */
	uint16_t session;
	bool retransmission; /* a timed-out message going again */
	/* a draft whose Ns / Nr the engine fills in when it goes (the
	 * bytes hold placeholders until then) */
	bool ns_at_send, nr_at_send;
};

/*
 * Switch a tunnel's mode.  Going to auto releases everything it holds, in
 * order.  Returns 0, L2TP_E_NOTUNNEL, L2TP_E_INVAL.
 */
int l2tp_engine_tunnel_set_mode(struct l2tp_engine *e, uint16_t lid,
                                enum l2tp_mode mode, uint64_t now_ms);

/* Ids of what is held for tunnel `tid` (0: everything), oldest first;
 * writes at most cap and returns how many there are. */
size_t l2tp_engine_held_ids(const struct l2tp_engine *e, uint16_t tid,
                            unsigned *ids, size_t cap);
/* Returns 0 or L2TP_E_INVAL (no such held item). */
int l2tp_engine_held_info(const struct l2tp_engine *e, unsigned id,
                          struct l2tp_held_info *out);

/*
 * Release: a draft is sent (a message enters the send queue, takes its Ns
 * and is retransmitted as usual), a received message is processed.
 * Drop: a draft is never sent, a received message is discarded as if
 * lost.  Duplicate: a draft is released and its datagram sent twice.
 * Delay: released by the timers `ms` from now.  Each returns 0 or
 * L2TP_E_INVAL (no such held item; duplicate of a received message).
 */
int l2tp_engine_held_release(struct l2tp_engine *e, unsigned id,
                             uint64_t now_ms);
int l2tp_engine_held_drop(struct l2tp_engine *e, unsigned id, uint64_t now_ms);
int l2tp_engine_held_duplicate(struct l2tp_engine *e, unsigned id,
                               uint64_t now_ms);
int l2tp_engine_held_delay(struct l2tp_engine *e, unsigned id, uint32_t ms,
                           uint64_t now_ms);

/*
 * Edit a draft.  set_avp replaces the first AVP of (vendor, type) or adds
 * it at the end; with h set it is hidden with the tunnel's secret (after
 * the message's Random Vector, or a new one).  remove_avp takes every AVP
 * of (vendor, type) out.  set_seq sets Ns and/or Nr by hand (-1 leaves
 * the engine's); set_flags sets the header's first 16 bits.  Each returns
 * 0, L2TP_E_INVAL (no such draft, or not a draft; a ZLB has no AVPs),
 * L2TP_E_TOOBIG, L2TP_E_NOSECRET (hiding with no secret), L2TP_E_STATE
 * (the header's flags no longer put Ns/Nr where they belong, or a
 * retransmission).
 */
int l2tp_engine_draft_set_avp(struct l2tp_engine *e, unsigned id,
                              const struct l2tp_avp_spec *sp);
int l2tp_engine_draft_remove_avp(struct l2tp_engine *e, unsigned id,
                                 uint16_t vendor, uint16_t type);
int l2tp_engine_draft_set_seq(struct l2tp_engine *e, unsigned id, int ns,
                              int nr);
int l2tp_engine_draft_set_flags(struct l2tp_engine *e, unsigned id,
                                uint16_t flags);

/* ---- PPP in calls (engine/ppp.h) ---- */

struct l2tp_ppp_config;
struct l2tp_ppp_info;

/*
 * PPP on connected calls: tunnels of role LAC run the subscriber end with
 * config `c` (role SUBSCRIBER), of role LNS the server end (role
 * SERVER).  The config is copied, but what it points to (users, pool)
 * is not: it must outlive every call.  A change applies to calls that
 * connect afterwards and to the running ones' timers.  NULL turns PPP
 * off for that role (calls stay bare, their data counted).  Returns 0 or
 * L2TP_E_INVAL (a config l2tp_ppp_new refuses, a role mismatch).
 */
int l2tp_engine_set_ppp(struct l2tp_engine *e, enum l2tp_role role,
                        const struct l2tp_ppp_config *c);

/* The PPP end of a call.  Returns 0, L2TP_E_NOSESSION, L2TP_E_STATE (no
 * PPP on it). */
int l2tp_engine_session_ppp(const struct l2tp_engine *e, uint16_t sid,
                            struct l2tp_ppp_info *out);

/*
 * ICMP echo through a call (l2tp_ppp_ping): replies come as L2TP_EV_PPP
 * events of kind PING.  Returns 0, L2TP_E_NOSESSION, L2TP_E_STATE (no
 * PPP, or its NCP not open: l2tp_engine_ping_why says why),
 * L2TP_E_INVAL, L2TP_E_TOOBIG, L2TP_E_NOMEM.
 */
int l2tp_engine_ping(struct l2tp_engine *e, uint16_t sid, uint8_t family,
                     const uint8_t *dst, size_t size, bool df, uint64_t now_ms,
                     uint16_t *seq);
/* Why a ping cannot go ("IPCP is req-sent", "no PPP on session 5"), or
 * NULL when it can. */
const char *l2tp_engine_ping_why(const struct l2tp_engine *e, uint16_t sid,
                                 uint8_t family);

/* `send lcp echo-request`: an LCP Echo-Request now.  Returns 0,
 * L2TP_E_NOSESSION, L2TP_E_STATE (no PPP, LCP not opened). */
int l2tp_engine_ppp_echo(struct l2tp_engine *e, uint16_t sid, uint64_t now_ms);
/* `send lcp terminate-request`: close the link with the reason; the call
 * is cleared (CDN result 3, that reason) when PPP is down.  Returns 0,
 * L2TP_E_NOSESSION, L2TP_E_STATE. */
int l2tp_engine_ppp_close(struct l2tp_engine *e, uint16_t sid,
                          const char *reason, uint64_t now_ms);
/*
 * A PPP frame crafted by the operator (protocol and payload: a whole
 * control packet, or IP), sent as is on the call's data channel; the
 * automaton does not take it for its own.  In step mode it is a draft
 * like the others.  Returns 0, L2TP_E_NOSESSION, L2TP_E_STATE (call not
 * established), L2TP_E_TOOBIG (above 65000 bytes), L2TP_E_NOMEM.
 */
int l2tp_engine_send_ppp(struct l2tp_engine *e, uint16_t sid, uint16_t proto,
                         const uint8_t *p, size_t len, uint64_t now_ms);
/*
 * Step mode: replace the PPP packet (after the protocol field) of a held
 * PPP draft.  An edited Configure-Request of LCP, IPCP or IPv6CP becomes
 * the link's own once released (l2tp_ppp_request_edited).  Returns 0,
 * L2TP_E_INVAL (no such PPP draft), L2TP_E_TOOBIG.
 */
int l2tp_engine_draft_set_ppp(struct l2tp_engine *e, unsigned id,
                              const uint8_t *p, size_t len);

/* Counters of the whole engine, for `display l2tp statistics`. */
struct l2tp_engine_stats {
	uint64_t datagrams_in, datagrams_out;
	uint64_t bad_in;       /* not L2TP, wrong version, malformed */
	uint64_t no_tunnel_in; /* for a tunnel we do not have */
	uint64_t data_in;      /* data messages received */
	uint32_t tunnels, sessions;
	uint64_t tunnels_total, sessions_total;
	uint64_t events_dropped; /* more than 65536 waiting to be taken */
	/* Refusals by limit (see the config) and setup timeouts. */
	uint64_t refused_tunnels_peer, refused_tunnels_total;
	uint64_t refused_sessions_tunnel, refused_sessions_total;
	uint64_t refused_held, refused_out_of_order;
	uint64_t setup_timeouts_tunnel, setup_timeouts_session;
	uint64_t events_suppressed; /* refusal events left out by the rate
	                             * limit (the counters still count) */
	uint64_t malformed_in;      /* control messages answered with a StopCCN
	                             * for a malformed AVP (section 7.1) */
	/* Data messages and PPP */
	uint64_t data_out, data_bytes_in, data_bytes_out;
	uint64_t data_no_session; /* for a session that does not exist */
	uint64_t data_discarded, data_out_of_order;
	uint64_t ppp_started, ppp_up; /* up: an NCP opened */
	uint64_t ppp_failed;          /* PPP died: call cleared */
	uint64_t ppp_auth_failed;
};

void l2tp_engine_stats(const struct l2tp_engine *e,
                       struct l2tp_engine_stats *out);

#endif
