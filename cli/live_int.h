/* The engine driver's inside, shared by the files of its commands (tunnels
 * and calls, step mode, display, recording): not for other modules. */
#ifndef L2TP_CLI_LIVE_INT_H
#define L2TP_CLI_LIVE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/udp.h"
#include "engine/engine.h"

struct sh;
struct rec;
struct l2tp_sink;

enum { FD_LNS = 0, FD_LAC4, FD_LAC6, FD_LAB, FD_COUNT };

#define LIVE_HIST 512      /* messages kept for display l2tp history */
#define LIVE_NOTES 256     /* state changes and verdicts kept beside them */
#define LIVE_HIST_MSG 1500 /* bytes kept of each */
#define LIVE_RX_BURST 64   /* datagrams read per wake-up */
#define LIVE_SCRATCH 65536 /* opened hidden AVPs of one message */

struct hist_ent {
	uint64_t no; /* 1-based, never reused */
	uint64_t time_ms;
	uint16_t tunnel;
	bool out;
	struct l2tp_addr peer;
	bool rtx; /* sent again: the peer did not ack it in time */
	uint16_t len, wire_len;
	uint8_t data[LIVE_HIST_MSG];
};

/* A state change or verdict between messages, for the ladder. */
struct hist_note {
	uint64_t after; /* how many messages were kept before it */
	uint64_t time_ms;
	uint16_t tunnel;
	uint8_t mark; /* enum cli_ladder_mark */
	char text[112];
};

struct live {
	struct sh *sh;
	struct l2tp_engine *eng, *lab;
	struct udp_sock us[FD_COUNT];
	uint8_t via[65536]; /* local tunnel id -> 1 + FD_* it is reached by */
	uint64_t t0;        /* monotonic ms at start */
	uint64_t wall0;     /* the same moment in wall-clock ms, for printing */
	long tz_offset;     /* seconds east of UTC, for wall-clock times */
	struct hist_ent *hist; /* ring of LIVE_HIST */
	uint64_t nhist;
	struct hist_note *notes; /* ring of LIVE_NOTES */
	uint64_t nnotes;
	uint8_t rx[65536];
	uint64_t send_errors;
	char last_send_error[128];
	struct rec *rec;     /* record start FILE */
	enum l2tp_mode mode; /* for new and running tunnels */
};

/* live_ppp.c: the PPP settings given to engine e (the lab's: lab); the
 * proxy setting; every event seen (ping replies); wait session-up. */
int live_ppp_apply(struct live *lv, struct l2tp_engine *e, bool lab);
bool live_ppp_proxy(void);
void live_ppp_event(struct live *lv, const struct l2tp_event *ev);
struct cmd_parsed;
int live_wait_session_up(struct sh *sh, const struct cmd_parsed *p,
                         long timeout_ms);

/* Monotonic milliseconds, the engines' clock. */
uint64_t live_now(void);
/* An address without its port ("127.0.0.1", "::1"). */
const char *live_addr_str(const struct l2tp_addr *a, char *buf, size_t len);
/* Text the command table has checked already (an IPv4 or IPv6 literal). */
void live_parse_addr(const char *s, uint16_t port, struct l2tp_addr *a);
/* An engine error said with what was being done; returns -1. */
int live_engine_error(struct sh *sh, const char *what, int rc);
/* Open the socket FD_* which on a, watched by the poll loop: 0 or -1 with
 * the error given. */
int live_open_fd(struct live *lv, int which, const struct l2tp_addr *a);
/* The engine configuration from the shell's settings. */
void live_config(struct sh *sh, struct l2tp_engine_config *c);
/* Give engine e the configuration (name: for the error); 0 or -1. */
int live_apply(struct live *lv, struct l2tp_engine *e, const char *name);
/* 0 when session sid exists, else -1 with an error naming those that do. */
int live_check_session(struct live *lv, uint16_t sid);
/* Message number no of the history, or NULL when it is no longer kept. */
const struct hist_ent *live_hist_get(const struct live *lv, uint64_t no);
/* One kept message as a line, a tree or JSON, hidden AVPs opened with the
 * secret the engine holds. */
void live_print_msg(struct live *lv, struct l2tp_sink *s,
                    const struct hist_ent *h, bool tree, bool json);

#endif
