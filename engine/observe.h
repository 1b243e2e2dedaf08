/* The passive observer: L2TPv2 control connections and calls rebuilt from
 * captured messages (RFC 2661 §5.8, §6, §7). */
#ifndef L2TP_OBSERVE_H
#define L2TP_OBSERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decoder/l2tp.h"
#include "engine/engine.h"
#include "engine/observe_ppp.h"

/*
 * How it is driven.  The caller parses each captured datagram with
 * l2tp_parse() (and l2tp_unhide() with the same secrets as the config, so
 * hidden AVPs are open), then hands it to l2tp_obs_input() with the frame's
 * number, time and addresses, in capture order; at the end of the capture
 * it calls l2tp_obs_finish().  Nothing is printed, no clock or socket is
 * touched: the observer records facts and findings, the caller puts them
 * into words.
 *
 * Memory grows with tunnels and calls, never with packets: each tunnel
 * keeps at most `history_max` messages (the first half and the latest
 * half; the ones cut in between are counted) and `findings_max` findings
 * (all counted); the per-direction retransmission records are a fixed ring.
 *
 * Sides: p[0] is the end that sent the SCCRQ (the initiator) and p[1] the
 * responder.  A tunnel whose start is not in the capture gets p[0] = the
 * sender of its first message seen, and `seen_start` false.
 */

/* Error codes (negative; 0 is success). */
enum l2tp_obs_err {
	L2TP_OBS_OK = 0,
	L2TP_OBS_NOMEM = -1, /* an allocation failed; the message was only
	                        counted */
	L2TP_OBS_INVAL = -2, /* a NULL argument */
};

struct l2tp_obs_config {
	const char *const *secrets; /* tried on Challenge Responses; kept by
	                               pointer, must outlive the observer */
	size_t nsecrets;
	unsigned history_max;  /* messages kept per tunnel [128], >= 4 */
	unsigned findings_max; /* findings kept per tunnel [48] */
	/* memory that follows live state: a tunnel keeps in full its live
	 * calls, its latest `calls_keep` [16] ended ones and its first
	 * `failed_keep` [64] failed ones; the other ended calls are folded
	 * into the tunnel's `folded` counts.  Likewise the observer keeps the
	 * latest `tunnels_keep` [64] tunnels that went well once their hold
	 * is over, every troubled one, and folds the others into
	 * l2tp_obs_stats.folded.  0 keeps everything. */
	unsigned calls_keep, failed_keep, tunnels_keep;
	/* PPP passwords tried on CHAP Responses and PAP Requests; kept by
	 * pointer, must outlive the observer */
	const char *const *passwords;
	size_t npasswords;
};

void l2tp_obs_config_default(struct l2tp_obs_config *c);

/* Where a message was seen. */
struct l2tp_obs_meta {
	uint64_t frame;   /* 1-based frame number in the capture */
	uint64_t time_us; /* capture time, microseconds since the epoch */
	struct l2tp_addr src, dst;
};

/* What a finding is about (l2tp_obs_cat_name gives the JSON word). */
enum l2tp_obs_cat {
	L2TP_OBS_C_RFC = 0,   /* a rule of RFC 2661 broken */
	L2TP_OBS_C_MALFORMED, /* the decoder's three kinds of failure */
	L2TP_OBS_C_TRUNCATED,
	L2TP_OBS_C_UNSUPPORTED,
	L2TP_OBS_C_AUTH,     /* challenge / response / hidden AVPs */
	L2TP_OBS_C_DELIVERY, /* Ns/Nr, retransmission, acks, window */
	L2TP_OBS_C_PORT,     /* address or port changes */
	L2TP_OBS_C_PPP,      /* a rule of PPP broken inside a session */
	L2TP_OBS_C_COUNT
};

const char *l2tp_obs_cat_name(enum l2tp_obs_cat c);

struct l2tp_obs_finding {
	uint64_t frame, time_us;
	int8_t side; /* the sender of the message concerned, -1 none */
	uint8_t cat; /* enum l2tp_obs_cat */
	char what[160];
};

/* One message of a tunnel's history (data messages are only counted). */
#define L2TP_OBS_H_RTX 0x01   /* the same Ns sent again */
#define L2TP_OBS_H_DUP 0x02   /* a copy of one already acknowledged */
#define L2TP_OBS_H_OOO 0x04   /* arrived after a later Ns */
#define L2TP_OBS_H_GAP 0x08   /* Ns jumped: messages before it not seen */
#define L2TP_OBS_H_FIND 0x10  /* a finding is about this message */
#define L2TP_OBS_H_NOACK 0x20 /* never acknowledged in the capture */

struct l2tp_obs_msg {
	uint64_t frame, time_us;
	uint16_t tunnel, session, ns, nr; /* header fields */
	int16_t msg_type;                 /* L2TP_MSG_ZLB, L2TP_MSG_NONE */
	uint8_t side : 1;                 /* the sender */
	uint8_t flags : 7;                /* L2TP_OBS_H_* */
	int8_t state;  /* tunnel state after it, -1 when unchanged */
	uint8_t sends; /* for a retransmission: which send (2, 3, ...) */
	/* key AVPs (l2tp_obs_msg_key puts them in words) */
	uint8_t kflags;      /* L2TP_OBS_K_* */
	uint16_t kid;        /* Assigned Tunnel or Session ID carried */
	uint16_t kres, kerr; /* Result Code of a StopCCN or CDN */
	uint32_t kval;       /* Call Serial Number or Tx Connect Speed */
}; /* 40 bytes: a tunnel keeps up to history_max of them */

#define L2TP_OBS_K_CHAL 0x01 /* carries a Challenge */
#define L2TP_OBS_K_RESP 0x02 /* carries a Challenge Response */
#define L2TP_OBS_K_ID 0x04   /* kid is set */
#define L2TP_OBS_K_RES 0x08  /* kres/kerr are set */
#define L2TP_OBS_K_VAL 0x10  /* kval is set */

/* A Challenge one end sent and the other end's answer (§4.4.3, §5.1.1). */
enum l2tp_obs_verdict {
	L2TP_OBS_V_NONE = 0,   /* no challenge from this side */
	L2TP_OBS_V_UNANSWERED, /* challenged, no response in the capture */
	L2TP_OBS_V_NOSECRET,   /* answered; no secret given to check it */
	L2TP_OBS_V_MATCH,      /* matches secret `secret` */
	L2TP_OBS_V_NOMATCH,    /* matches none of the secrets */
	L2TP_OBS_V_UNREADABLE, /* the challenge or response is hidden and
	                          was not opened, or of the wrong length */
};

struct l2tp_obs_auth {
	enum l2tp_obs_verdict verdict;
	int chal_msg, resp_msg; /* SCCRQ/SCCRP, SCCRP/SCCCN */
	uint64_t chal_frame, resp_frame;
	int secret; /* 0-based index for MATCH */
};

/* One outstanding or retransmitted message, for the delivery report. */
#define L2TP_OBS_SENDS 8
struct l2tp_obs_sent {
	uint64_t frame;
	int16_t msg_type;
	uint16_t ns;
	uint8_t sends; /* times seen on the wire */
	bool acked;
	bool ack_by_zlb;
	uint64_t t_us[L2TP_OBS_SENDS]; /* the first sends' times */
	uint64_t ack_us;
};

/* What every message changes comes first (a cache line or two). */
struct l2tp_obs_peer {
	struct l2tp_addr addr;     /* as first seen (port: the first one) */
	uint16_t port_now;         /* the port it uses now */
	uint16_t tid;              /* its Assigned Tunnel ID, 0 unknown */
	uint16_t last_ns, last_nr; /* latest seen */
	int16_t last_type;
	uint16_t rx_window;         /* advertised, 4 when absent (§5.8) */
	uint64_t first_us, last_us; /* first and latest message from it */
	uint64_t last_frame;        /* and the latest's frame and type */
	uint64_t msgs, zlbs, data, retransmits, duplicates, out_of_order;
	uint64_t gaps, hellos, window_stalls, bad_nr;
	char host[L2TP_NAME_MAX], vendor[L2TP_NAME_MAX];
	uint16_t firmware;
	uint8_t version, revision;
	uint32_t framing_cap, bearer_cap;
	bool rx_window_given;
	uint16_t next_ns, outstanding; /* when the tunnel was done */
	/* acks it received: latency from the (last) send to the ack */
	uint64_t acks, ack_sum_us, ack_max_us, zlb_acks;
	/* its Hellos: the time since its own previous message before each
	 * (the interval it runs), and the least silence from the other end
	 * before one (§5.5 counts from the last message received) */
	uint64_t hello_idle_min_us, hello_idle_max_us, hello_last_us;
	uint64_t hello_quiet_min_us;
	uint64_t hellos_timed; /* Hellos after a message of its own */
	bool port_changed;     /* changed after the tunnel was established */
	bool answer_port;      /* responder answered from another port */
	/* the message it sent that was never acknowledged (NOACK) */
	bool unacked;
	struct l2tp_obs_sent noack;
};

enum l2tp_obs_step {
	L2TP_OBS_S_SCCRQ = 0,
	L2TP_OBS_S_SCCRP,
	L2TP_OBS_S_SCCCN,
	L2TP_OBS_S_ESTABLISHED, /* the SCCCN acknowledged */
	L2TP_OBS_S_STOPCCN,
	L2TP_OBS_S_STOP_ACKED,
	L2TP_OBS_S_COUNT
};

struct l2tp_obs_call {
	/* what every message of the call reads or changes first: one cache
	 * line for most of them */
	uint16_t sid[2]; /* each end's Assigned Session ID, 0 unknown */
	int state;       /* enum l2tp_session_state */
	enum l2tp_call_type type;
	int opener; /* side that sent ICRQ/OCRQ, -1 not seen */
	int closer; /* side that sent the CDN, -1 none */
	uint32_t serial;
	uint32_t no; /* 1-based, in the tunnel's order of calls */
	uint16_t result, error;
	bool has_error;
	bool from_data;    /* known only from data messages (its start is
	                      not in the capture) */
	bool seq_required; /* the ICCN/OCCN carried Sequencing Required */
	int8_t lac;        /* the LAC's side, -1 unknown */
	bool failed;       /* ended badly: never connected, a CDN result other
	                      than 1 or 3, or a PPP failure (l2tp_obs_call_failed) */
	bool dead;         /* folded; never seen by callers after finish */
	uint64_t req_us, rep_us, conn_us, cdn_us; /* 0 when not seen */
	uint64_t req_frame, cdn_frame;
	uint64_t data[2]; /* data messages from each side */
	/* the PPP story, from the first data message on; NULL when none */
	struct l2tp_obs_ppp *ppp;
	uint32_t tx_speed, rx_speed, framing_type, bearer_type;
	/* the words, read once */
	char calling[L2TP_NUMBER_MAX], called[L2TP_NUMBER_MAX];
	char message[L2TP_NAME_MAX];
};

/* Ended calls no longer kept in full, summed (a tunnel's), or the tunnels
 * folded after their hold (the observer's). */
struct l2tp_obs_folded {
	uint64_t calls, failed, connected, data, ppp_opened;
	uint64_t by_result[12]; /* CDN result code; [11]: 11 and above */
	uint64_t setup_us_sum, setup_us_max, setup_n; /* ICRQ to ICCN */
	uint64_t tunnels, tunnel_msgs; /* folded tunnels, their messages */
};

/* Whether an ended call went wrong (it is then kept in full). */
bool l2tp_obs_call_failed(const struct l2tp_obs_call *c);

/* The tie break of crossed SCCRQs (§4.4.3): the lower Tie Breaker wins,
 * equal values lose both, a tunnel whose SCCRQ alone carries one wins. */
enum l2tp_obs_tie {
	L2TP_OBS_TIE_NONE = 0, /* no crossing */
	L2TP_OBS_TIE_WON,      /* this tunnel goes on */
	L2TP_OBS_TIE_LOST,     /* its SCCRQ is to be dropped */
	L2TP_OBS_TIE_EQUAL,    /* the same value: both are dropped */
	L2TP_OBS_TIE_ABSENT,   /* neither carries one: both go on */
};

struct l2tp_obs_tunnel {
	unsigned no; /* 1-based, in the order first seen */
	struct l2tp_obs_peer p[2];
	bool seen_start;    /* its SCCRQ is in the capture */
	int state;          /* enum l2tp_tunnel_state */
	bool closed;        /* StopCCN acknowledged */
	bool scccn_refused; /* the responder answered the SCCCN with StopCCN */
	/* crossed SCCRQs (§4.4.3 Tie Breaker): both ends opened a tunnel to
	 * each other at once; `crossed` is the other tunnel's number */
	unsigned crossed;
	enum l2tp_obs_tie tie; /* how the tie break should end for this one */
	bool has_tie;
	uint8_t tie_breaker[8]; /* its SCCRQ's Tie Breaker AVP */
	uint64_t step_us[L2TP_OBS_S_COUNT], step_frame[L2TP_OBS_S_COUNT];
	uint64_t first_us, last_us, first_frame, last_frame;
	/* who closed it */
	int closer; /* side that sent the StopCCN, -1 none */
	uint16_t result, error;
	bool has_error;
	char message[L2TP_NAME_MAX];
	bool gave_up; /* the closer had a message never acknowledged */
	/* authentication: auth[s] is side s's challenge and the answer */
	struct l2tp_obs_auth auth[2];
	uint64_t hidden, hidden_opened, hidden_closed;
	uint32_t hidden_secrets; /* bit i: secret i opened one */
	/* findings */
	uint64_t nfind, find_by_cat[L2TP_OBS_C_COUNT];
	/* calls: the ones kept, in order (calls[i].no) */
	size_t ncalls;
	const struct l2tp_obs_call *calls;
	uint64_t calls_total;          /* calls seen, kept or folded */
	struct l2tp_obs_folded folded; /* the ended ones no longer kept */
	/* history: see l2tp_obs_history() */
	uint64_t nmsgs; /* control messages seen */
};

struct l2tp_obs;

/* Create an observer.  NULL when out of memory or c is NULL. */
struct l2tp_obs *l2tp_obs_new(const struct l2tp_obs_config *c);
void l2tp_obs_free(struct l2tp_obs *o);

/*
 * One captured L2TP datagram, parsed.  Data messages are counted for their
 * call; L2TPv3 and datagrams that did not parse are counted only.
 * Returns 0, L2TP_OBS_INVAL or L2TP_OBS_NOMEM.
 */
int l2tp_obs_input(struct l2tp_obs *o, const struct l2tp_obs_meta *mt,
                   const struct l2tp_msg *m);

/*
 * The end of the capture: messages never acknowledged, ends that stopped
 * answering.  Calling it twice is harmless; input after it is refused
 * with L2TP_OBS_INVAL.
 */
void l2tp_obs_finish(struct l2tp_obs *o);

/* Tunnels in the order first seen; NULL past the end. */
size_t l2tp_obs_tunnel_count(const struct l2tp_obs *o);
const struct l2tp_obs_tunnel *l2tp_obs_tunnel(const struct l2tp_obs *o,
                                              size_t i);

/*
 * A tunnel's kept messages, oldest first: i < *kept.  *cut (may be NULL)
 * gets how many were not kept, all between index history_max/2 - 1 and
 * history_max/2.  Returns NULL past the end.
 */
const struct l2tp_obs_msg *l2tp_obs_history(const struct l2tp_obs *o,
                                            const struct l2tp_obs_tunnel *t,
                                            size_t i, size_t *kept,
                                            uint64_t *cut);

/*
 * A history message's key AVPs in words ("tid 31575 chal lac.lab",
 * "sid 4711 serial 1", "result 1/0 Goodbye!"); empty for a ZLB.
 */
void l2tp_obs_msg_key(const struct l2tp_obs_tunnel *t,
                      const struct l2tp_obs_msg *h, char *buf, size_t len);

/* Where a tunnel's history is cut when it is: before this index. */
size_t l2tp_obs_history_cut_at(const struct l2tp_obs *o);

/* A tunnel's kept findings, oldest first: i < *kept; NULL past the end. */
const struct l2tp_obs_finding *
l2tp_obs_tunnel_finding(const struct l2tp_obs *o,
                        const struct l2tp_obs_tunnel *t, size_t i,
                        size_t *kept);

/* Findings about messages that belong to no tunnel seen. */
const struct l2tp_obs_finding *l2tp_obs_orphan_finding(const struct l2tp_obs *o,
                                                       size_t i, size_t *kept);

struct l2tp_obs_stats {
	uint64_t l2tp, control, data, zlb, v3, unparsed;
	uint64_t orphans; /* control messages matching no tunnel */
	uint64_t orphan_data;
	uint64_t tunnels, calls;
	uint64_t findings, find_by_cat[L2TP_OBS_C_COUNT];
	uint64_t mem_bytes; /* what the observer holds now */
	/* the tunnels that went well and were folded after their hold, and
	 * their calls */
	struct l2tp_obs_folded folded;
};

void l2tp_obs_stats(const struct l2tp_obs *o, struct l2tp_obs_stats *st);

/*
 * The engine's views of a tunnel and a call, so `display` shows captured
 * tunnels like live ones: "local" is the initiator (p[0]), "peer" the
 * responder, ids as each end assigned them; times are milliseconds since
 * the epoch.  A call's local id is the initiator's session id, or the
 * responder's when that one is unknown.
 */
void l2tp_obs_tunnel_info(const struct l2tp_obs_tunnel *t,
                          struct l2tp_tunnel_info *out);
void l2tp_obs_call_info(const struct l2tp_obs_tunnel *t,
                        const struct l2tp_obs_call *c,
                        struct l2tp_session_info *out);

#endif
