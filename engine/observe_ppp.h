/* The PPP story of a captured call: LCP and NCP negotiation, authentication,
 * echo, termination and data counters, rebuilt from the session's data
 * messages (RFC 1661, 1332, 1334, 1877, 1994, 5072; RFC 2661 §5.4). */
#ifndef L2TP_OBSERVE_PPP_H
#define L2TP_OBSERVE_PPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decoder/l2tp.h"

/*
 * Sides are the tunnel's: 0 the initiator, 1 the responder (the caller
 * says which end is the LAC).  A call's story is allocated at its first
 * data message and never grows after that; nothing is allocated per
 * packet.  Strings are cut at L2TP_OBS_PPP_STR - 1 bytes, non-printable
 * bytes shown as '?'.
 */

#define L2TP_OBS_PPP_STR 40
#define L2TP_OBS_PPP_CHAL 32 /* challenge bytes kept */

/* The control protocols followed, in this order. */
enum l2tp_obs_cpi {
	L2TP_OBS_LCP = 0,
	L2TP_OBS_IPCP,
	L2TP_OBS_IPV6CP,
	L2TP_OBS_CCP,
	L2TP_OBS_CP_COUNT
};

/* One option negotiation (RFC 1661 §4) seen from the wire. */
struct l2tp_obs_cp {
	uint64_t first_us, open_us; /* first Configure-Request; both Acked */
	uint16_t reqs[2];           /* Configure-Requests side s sent */
	uint16_t acks[2], naks[2], rejs[2]; /* replies side s sent */
	uint16_t unanswered[2]; /* s's Requests since the other's last reply */
	uint16_t rounds;        /* times it (re)started negotiating */
	uint32_t naked[2];      /* option types (< 32) side s Naked */
	uint32_t rejected[2];   /* option types (< 32) side s Rejected */
	uint32_t req_hash[2];   /* of s's latest Request's options */
	uint16_t req_len[2];
	uint8_t req_id[2];
	bool have_req[2];
	bool acked[2]; /* s's latest Request was Acked by the other */
	bool opened;
	int8_t prot_rej_by; /* side that Protocol-Rejected it, -1 none */
	int8_t term_by;     /* side that sent the first Terminate-Request */
};

enum l2tp_obs_auth_res {
	L2TP_OBS_AR_NONE = 0, /* no answer seen */
	L2TP_OBS_AR_OK,       /* PAP Ack, CHAP Success */
	L2TP_OBS_AR_FAIL,     /* PAP Nak, CHAP Failure */
};

/* LCP echo (keepalive) as one side runs it. */
struct l2tp_obs_echo {
	uint32_t reqs, replies; /* Requests it sent, Replies it got */
	uint32_t run, max_run;  /* unanswered in a row: now, at most */
	uint64_t last_us;       /* its latest Request */
	uint64_t ival_min, ival_max;
	uint64_t rtt_sum, rtt_max;
	uint8_t last_id;
	bool pending;
};

struct l2tp_obs_ppp {
	struct l2tp_obs_cp cp[L2TP_OBS_CP_COUNT];
	/* LCP: what each side asked to receive (its latest Request) */
	uint16_t mru[2];
	uint16_t auth_proto[2]; /* 0: none asked */
	uint8_t auth_alg[2];    /* CHAP algorithm: 5 MD5, 0x80, 0x81 */
	uint32_t magic[2];
	bool has_magic[2];
	bool loop;            /* both ends used the same magic */
	uint16_t nak_auth;    /* the auth protocol a Nak suggested */
	uint16_t prot_rej[2]; /* the latest protocol s rejected */
	uint16_t code_rejs;   /* LCP Code-Rejects */
	/* authentication */
	uint16_t auth;       /* PAP or CHAP seen, 0 none */
	uint8_t alg;         /* CHAP algorithm as LCP negotiated it */
	int8_t authr;        /* the authenticator's side, -1 unknown */
	uint16_t auth_tries; /* PAP Requests, CHAP Challenges */
	uint16_t responses;  /* CHAP Responses */
	uint8_t result;      /* enum l2tp_obs_auth_res */
	uint8_t pw_verdict;  /* enum l2tp_obs_verdict of the last check */
	int8_t pw_index;     /* 0-based password that matched */
	uint8_t chal_id;
	uint8_t chal_len;
	bool have_chal;
	uint64_t auth_us; /* the answer's time */
	char user[L2TP_OBS_PPP_STR];
	char auth_msg[L2TP_OBS_PPP_STR];
	char pap_pw[L2TP_OBS_PPP_STR]; /* shown only when asked */
	uint8_t chal[L2TP_OBS_PPP_CHAL];
	/* IPCP (RFC 1332, 1877): each side's Acked address, the DNS servers
	 * the client's Acked Request carries */
	uint8_t ip[2][4];
	bool has_ip[2];
	uint8_t dns[2][4];
	uint8_t ndns;
	int8_t dns_side; /* whose Request carried them */
	/* IPv6CP (RFC 5072) interface identifiers */
	uint8_t ifid[2][8];
	bool has_ifid[2];
	/* echo, each side's */
	struct l2tp_obs_echo echo[2];
	/* Terminate (LCP) */
	bool term_acked;
	uint64_t term_us;
	char term_text[L2TP_OBS_PPP_STR];
	/* data */
	uint64_t first_us;
	uint64_t frames[2], ip_frames[2], bytes[2];
	uint64_t seq_msgs[2], seq_lost[2], seq_ooo[2];
	uint16_t next_ns[2];
	bool have_ns[2];
	uint64_t network_us; /* the first NCP Opened */
	uint32_t findings;   /* PPP rule breaks */
	uint64_t last_frame[2];
};

/* A PPP rule break: `side` sent the frame; `what` in words. */
typedef void (*l2tp_obs_ppp_find_fn)(void *arg, int side, const char *what);

struct l2tp_obs_ppp_env {
	const char *const *passwords;
	size_t npasswords;
	l2tp_obs_ppp_find_fn find;
	void *arg;
};

/* One data message of the call, sent by `side`; `st` is the call's story,
 * zeroed and given prot_rej_by/term_by -1 by l2tp_obs_ppp_init. */
void l2tp_obs_ppp_init(struct l2tp_obs_ppp *st);
void l2tp_obs_ppp_data(struct l2tp_obs_ppp *st,
                       const struct l2tp_obs_ppp_env *env, int side,
                       uint64_t frame, uint64_t time_us,
                       const struct l2tp_msg *m);

/* Names for the report. */
const char *l2tp_obs_cp_name(enum l2tp_obs_cpi i); /* "LCP" */
const char *l2tp_obs_cp_key(enum l2tp_obs_cpi i);  /* "lcp" */
/* "PAP", "CHAP/MD5", "MS-CHAP", "MS-CHAPv2", "CHAP/alg N", "EAP", ... */
const char *l2tp_obs_auth_name(uint16_t proto, uint8_t alg, char *buf,
                               size_t len);

#endif
