/* The PPP session layer: a sans-I/O PPP endpoint per L2TP call (RFC 1661 LCP
 * and automaton, RFC 1334 PAP, RFC 1994 CHAP, RFC 1332/1877 IPCP, RFC 5072
 * IPv6CP, RFC 792/4443 echo). */
#ifndef L2TP_PPP_ENGINE_H
#define L2TP_PPP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * How it is driven.  A PPP object is one end of the PPP link of one call;
 * it never reads a clock, a socket or a random source.  The caller:
 *   - creates it when the call is connected and calls l2tp_ppp_start();
 *   - passes every PPP frame received on the call to l2tp_ppp_input() as
 *     protocol + payload (l2tp_ppp_read_frame() of decoder/ppp_read.h
 *     takes the 0xff 0x03 and a compressed protocol off) with the current
 *     monotonic time in milliseconds;
 *   - sleeps until l2tp_ppp_expiry() and then calls l2tp_ppp_handle_expiry();
 *   - gets the frames to send and the events to show through the io
 *     callbacks below, during any of these calls.
 * Randomness (magic numbers, CHAP challenges, interface identifiers, the
 * ping identifier) comes from io->random.
 *
 * The callbacks must not call back into the same PPP object (copy what
 * they are handed into the caller's queues, as the L2TP engine does for
 * its datagrams and events); pointers they are handed are valid only
 * during the callback.  l2tp_ppp_free() sends nothing and calls nothing.
 *
 * The config and the io struct are not copied: they must outlive every
 * PPP object made with them (one per engine is the intent: a session
 * holds three pointers, not its own copy).
 */

/* Error codes (negative; 0 is success). */
enum l2tp_ppp_err {
	L2TP_PPP_E_OK = 0,
	L2TP_PPP_E_NOMEM = -1,  /* allocation failed; nothing changed */
	L2TP_PPP_E_INVAL = -2,  /* an argument is out of range */
	L2TP_PPP_E_STATE = -3,  /* not possible in the current state */
	L2TP_PPP_E_RANDOM = -4, /* the random source failed */
	L2TP_PPP_E_TOOBIG = -5, /* the packet would exceed the peer's MRU */
};

/* "not possible in this state", ...; never NULL. */
const char *l2tp_ppp_strerror(int err);

enum l2tp_ppp_role {
	L2TP_PPP_SUBSCRIBER = 0, /* the LAC side: asks, is authenticated */
	L2TP_PPP_SERVER = 1,     /* the LNS side: assigns, authenticates */
};

/* What a server demands of the subscriber (`set ppp auth`). */
enum l2tp_ppp_auth_policy {
	L2TP_PPP_AUTH_NONE = 0,
	L2TP_PPP_AUTH_PAP = 1,
	L2TP_PPP_AUTH_CHAP = 2, /* CHAP with MD5 */
	L2TP_PPP_AUTH_ANY = 3,  /* CHAP first; PAP when the peer Naks it */
};

#define L2TP_PPP_NAME_MAX 64

struct l2tp_ppp_user {
	char name[L2TP_PPP_NAME_MAX];
	char password[L2TP_PPP_NAME_MAX];
};

/*
 * An address pool for servers: `prefix`/`len` (16..30).  The network and
 * broadcast addresses and `reserved` (the server's own, 0.0.0.0 for none)
 * are never handed out.  One pool serves every session of an engine.
 */
struct l2tp_ppp_pool;
/* Returns NULL on bad arguments or no memory. */
struct l2tp_ppp_pool *l2tp_ppp_pool_new(const uint8_t prefix[4], unsigned len,
                                        const uint8_t reserved[4]);
void l2tp_ppp_pool_free(struct l2tp_ppp_pool *p);
/* Take a free address into out; 0 or L2TP_PPP_E_STATE (exhausted). */
int l2tp_ppp_pool_take(struct l2tp_ppp_pool *p, uint8_t out[4]);
/* Give one back (addresses outside the pool are ignored). */
void l2tp_ppp_pool_give(struct l2tp_ppp_pool *p, const uint8_t a[4]);
size_t l2tp_ppp_pool_used(const struct l2tp_ppp_pool *p);

/* Fills `buf` with `len` random bytes; returns 0, non-zero on failure. */
typedef int (*l2tp_ppp_random_fn)(void *ctx, uint8_t *buf, size_t len);

/* Defaults in brackets. */
struct l2tp_ppp_config {
	enum l2tp_ppp_role role;
	/* Our name and password when the peer authenticates us [none]. */
	char user[L2TP_PPP_NAME_MAX];
	char password[L2TP_PPP_NAME_MAX];
	/* Server: whom we accept (`set ppp local-user`), and how [none]. */
	const struct l2tp_ppp_user *users;
	size_t nusers;
	enum l2tp_ppp_auth_policy auth;
	/* Server: the subscribers' addresses; NULL: none handed out. */
	struct l2tp_ppp_pool *pool;
	uint8_t local_addr[4];     /* our IPCP address [0.0.0.0: ask / none] */
	uint8_t dns[2][4];         /* server: DNS handed out [none] */
	bool want_dns;             /* subscriber: ask for DNS [on] */
	bool ipcp, ipv6cp;         /* run them [both on] */
	uint16_t mru;              /* asked for [1460] */
	uint32_t restart_ms;       /* restart timer [3000] */
	uint8_t max_configure;     /* [10] */
	uint8_t max_terminate;     /* [2] */
	uint8_t max_failure;       /* [5] */
	uint32_t echo_interval_ms; /* LCP keepalive [10000], 0 off */
	uint8_t echo_failures;     /* unanswered in a row, then down [5] */
};

void l2tp_ppp_config_default(struct l2tp_ppp_config *c);

/* ---- Events ---- */

enum l2tp_ppp_event_kind {
	L2TP_PPP_EV_STATE = 0, /* a layer's automaton moved: "LCP req-sent ->
	                        * ack-rcvd"; proto, state */
	L2TP_PPP_EV_PHASE,     /* "phase establish -> authenticate"; state */
	L2TP_PPP_EV_PACKET_IN, /* a control packet accepted; proto, code */
	L2TP_PPP_EV_UP,        /* a layer opened: "LCP opened, MRU 1462, auth
	                        * CHAP", "IPCP opened: 10.10.10.2, peer ..." */
	L2TP_PPP_EV_DOWN,      /* a layer finished: text says why */
	L2TP_PPP_EV_AUTH,      /* "CHAP success: welcome alice"; ok */
	L2TP_PPP_EV_ECHO,      /* LCP echo answered (rtt_ms) or lost (!ok) */
	L2TP_PPP_EV_PING,      /* an ICMP echo reply: seq, ttl, bytes, rtt */
	L2TP_PPP_EV_PINGED,    /* an ICMP echo request to us answered */
	L2TP_PPP_EV_REJECT,    /* Protocol- or Code-Reject, either way */
	L2TP_PPP_EV_TERMINATE, /* Terminate-Request either way: the reason */
	L2TP_PPP_EV_BAD,       /* a packet discarded: what was wrong */
	L2TP_PPP_EV_LOOP,      /* our own magic came back */
	L2TP_PPP_EV_GIVE_UP,   /* a retry limit: Max-Configure, Max-Failure,
	                        * echo failures, auth retries */
	L2TP_PPP_EV_DEAD,      /* the link is down for good: the caller
	                        * clears the call (CDN) with this text */
	L2TP_PPP_EV_KIND_COUNT
};

/* "state", "phase", ...; never NULL. */
const char *l2tp_ppp_event_kind_name(enum l2tp_ppp_event_kind k);

struct l2tp_ppp_event {
	enum l2tp_ppp_event_kind kind;
	uint64_t time_ms;
	uint16_t proto;   /* the layer or packet concerned, 0 when none */
	int code;         /* the packet's code, -1 when none */
	int state;        /* STATE: the new state; PHASE: the new phase */
	bool ok;          /* AUTH, ECHO: the verdict; REJECT etc.: sent by us */
	uint16_t seq;     /* PING */
	uint8_t ttl;      /* PING */
	size_t bytes;     /* PING: ICMP bytes */
	uint32_t rtt_ms;  /* ECHO, PING */
	const char *text; /* one line, never NULL */
};

/* The caller's side.  ctx is the PPP object's own (given to new). */
struct l2tp_ppp_io {
	/* A frame to send: protocol and payload (no 0xff 0x03; add it unless
	 * info.tx_acfc, and compress the protocol only when info.tx_pfc). */
	void (*send)(void *ctx, uint16_t proto, const uint8_t *p, size_t len);
	void (*event)(void *ctx, const struct l2tp_ppp_event *ev);
	/* Kinds handed to event: bit (1 << kind); 0 is every kind.  A kind
	 * left out costs nothing (its text is never formatted). */
	uint32_t event_mask;
	l2tp_ppp_random_fn random; /* required; called with random_ctx */
	void *random_ctx;
};

/* ---- The object ---- */

struct l2tp_ppp_link;

/*
 * Create an endpoint in phase Dead.  Returns NULL when out of memory or
 * when the config or io is invalid (no random or send function, MRU below
 * 128, restart_ms 0, max_configure, max_terminate or max_failure 0, an
 * auth policy out of range, a server with an auth policy and no users).
 * A server without a pool assigns no address (it Rejects a request for
 * 0.0.0.0 and Acks any other); without local_addr it sends no IP-Address.
 */
struct l2tp_ppp_link *l2tp_ppp_new(const struct l2tp_ppp_config *c,
                                   const struct l2tp_ppp_io *io, void *ctx);
/* Free it, giving its pool address back; sends nothing. */
void l2tp_ppp_free(struct l2tp_ppp_link *p);

/* The lower layer is up (the call is connected): LCP Up and Open, phase
 * Establish; our Configure-Request goes out.  Returns 0,
 * L2TP_PPP_E_STATE (already started), L2TP_PPP_E_RANDOM. */
int l2tp_ppp_start(struct l2tp_ppp_link *p, uint64_t now_ms);

/* Close LCP with a Terminate-Request carrying `reason` (NULL: none); the
 * DEAD event follows the Terminate-Ack or Max-Terminate.  Returns 0 or
 * L2TP_PPP_E_STATE (not started, already closing or closed). */
int l2tp_ppp_close(struct l2tp_ppp_link *p, const char *reason,
                   uint64_t now_ms);

/* The lower layer went away (the call was cleared): every layer Down,
 * phase Dead, nothing sent.  Returns 0. */
int l2tp_ppp_lower_down(struct l2tp_ppp_link *p, uint64_t now_ms);

/*
 * One received frame.  Every kind of bad input gets the RFC's answer (a
 * Code-Reject, a Protocol-Reject, or a named discard event) and changes no
 * state wrongly.  Returns 0, or L2TP_PPP_E_INVAL for a NULL argument.
 */
int l2tp_ppp_input(struct l2tp_ppp_link *p, uint16_t proto, const uint8_t *buf,
                   size_t len, uint64_t now_ms);

/* The next time handle_expiry has work; UINT64_MAX when none. */
uint64_t l2tp_ppp_expiry(const struct l2tp_ppp_link *p);
/* Run every timer due at now_ms.  Returns 0. */
int l2tp_ppp_handle_expiry(struct l2tp_ppp_link *p, uint64_t now_ms);

/*
 * Send one ICMP echo request (family 4: over IPCP from its address;
 * family 6: over IPv6CP from our link-local address) to `dst` with `size`
 * bytes of payload (at least 8: it carries the send time, so replies are
 * timed without keeping state).  *seq gets its sequence number.  Replies
 * come as PING events.  Returns 0, L2TP_PPP_E_STATE (that NCP is not
 * opened: l2tp_ppp_ping_why() says why), L2TP_PPP_E_INVAL (family, size
 * under 8 or above 65000, no dst), L2TP_PPP_E_TOOBIG (the IP packet is
 * above the peer's MRU), L2TP_PPP_E_NOMEM (a payload above 2 KB and no
 * memory for it).
 */
int l2tp_ppp_ping(struct l2tp_ppp_link *p, uint8_t family, const uint8_t *dst,
                  size_t size, bool df, uint64_t now_ms, uint16_t *seq);
/* Why a ping cannot go now ("IPCP is req-sent"), or NULL when it can. */
const char *l2tp_ppp_ping_why(const struct l2tp_ppp_link *p, uint8_t family);

/*
 * Send an LCP Echo-Request now (outside the keepalive's schedule), as
 * `send lcp echo-request` does.  Returns 0 or L2TP_PPP_E_STATE (LCP not
 * opened).
 */
int l2tp_ppp_echo_now(struct l2tp_ppp_link *p, uint64_t now_ms);

/*
 * Step mode: the Configure-Request `cp` (the whole packet: code, id,
 * Length, options, as it will be sent) replaces the one the link drafted
 * last for `proto` (LCP, IPCP or IPv6CP): an operator's edit.  The peer's
 * Ack is then checked against it, and the MRU, magic, authentication
 * protocol, addresses and interface identifier it asks for become the
 * link's own (a retransmission is built again from them; options the
 * link does not model are not repeated).  Returns 0, L2TP_PPP_E_INVAL (no
 * such layer, not a Configure-Request, malformed options, options longer
 * than 64 bytes), L2TP_PPP_E_STATE (no request of ours is awaiting an
 * answer).
 */
int l2tp_ppp_request_edited(struct l2tp_ppp_link *p, uint16_t proto,
                            const uint8_t *cp, size_t len);

/* ---- What display l2tp session shows ---- */

enum l2tp_ppp_phase {
	L2TP_PPP_DEAD = 0,
	L2TP_PPP_ESTABLISH,
	L2TP_PPP_AUTHENTICATE,
	L2TP_PPP_NETWORK,
	L2TP_PPP_TERMINATE,
};

/* "dead", "establish", "authenticate", "network", "terminate". */
const char *l2tp_ppp_phase_name(int phase);

/* RFC 1661 §4.2 states, numbered as in its table. */
enum l2tp_ppp_state {
	L2TP_PPP_INITIAL = 0,
	L2TP_PPP_STARTING,
	L2TP_PPP_CLOSED,
	L2TP_PPP_STOPPED,
	L2TP_PPP_CLOSING,
	L2TP_PPP_STOPPING,
	L2TP_PPP_REQ_SENT,
	L2TP_PPP_ACK_RCVD,
	L2TP_PPP_ACK_SENT,
	L2TP_PPP_OPENED,
};

/* "initial", ..., "req-sent", "opened". */
const char *l2tp_ppp_state_name(int state);

enum l2tp_ppp_auth_result {
	L2TP_PPP_AUTH_R_NONE = 0, /* no authentication that way */
	L2TP_PPP_AUTH_R_PENDING,
	L2TP_PPP_AUTH_R_SUCCESS,
	L2TP_PPP_AUTH_R_FAILURE,
};

/* "none", "pending", "success", "failure". */
const char *l2tp_ppp_auth_result_name(int r);

/* One direction of authentication. */
struct l2tp_ppp_auth_info {
	uint16_t protocol; /* 0xc023, 0xc223, 0: none */
	uint8_t algorithm; /* CHAP: 5 MD5 */
	int result;        /* enum l2tp_ppp_auth_result */
	char user[L2TP_PPP_NAME_MAX];
	char message[L2TP_PPP_NAME_MAX]; /* the Ack/Nak/Success/Failure text */
};

struct l2tp_ppp_info {
	enum l2tp_ppp_role role;
	int phase;
	int lcp_state, ipcp_state, ipv6cp_state;
	/* LCP, each way: *_local what the peer Acked of our request (what we
	 * receive), *_peer what we Acked of the peer's. */
	uint16_t mru_local, mru_peer;
	uint32_t magic_local, magic_peer;
	uint32_t accm_peer;
	bool pfc_peer, acfc_peer; /* the peer receives them: tx_pfc/acfc */
	bool tx_pfc, tx_acfc;
	/* auth_local: the peer authenticating us; auth_peer: us it. */
	struct l2tp_ppp_auth_info auth_local, auth_peer;
	/* IPCP */
	uint8_t ip_local[4], ip_peer[4];
	uint8_t dns[2][4];
	/* IPv6CP interface identifiers; link-local fe80::/64 + each */
	uint8_t ifid_local[8], ifid_peer[8];
	/* LCP echo keepalive */
	uint64_t echo_sent, echo_received, echo_lost;
	uint32_t echo_rtt_ms; /* last */
	/* Control counters */
	uint64_t ctl_in, ctl_out, bad_in;
	uint64_t proto_rejects_in, proto_rejects_out;
	uint64_t code_rejects_in, code_rejects_out;
	/* IP through the link */
	uint64_t ip_in, ip_out;
	uint64_t pings_sent, pings_received, pings_answered;
	/* How it ended (DEAD): the reason, ours or the peer's */
	char reason[L2TP_PPP_NAME_MAX];
	uint64_t started_ms, network_ms; /* 0: never */
};

void l2tp_ppp_info(const struct l2tp_ppp_link *p, struct l2tp_ppp_info *out);

/* Bytes held by one PPP object (for the memory figures). */
size_t l2tp_ppp_size(void);

#endif
