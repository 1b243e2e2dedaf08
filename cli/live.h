/* The shell's live side: engine, lab peer, sockets, events, display of tunnels
 * and sessions (RFC 2661 §5-7). */
#ifndef L2TP_CLI_LIVE_H
#define L2TP_CLI_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct sh;
struct live;
struct cmd_parsed;
struct compl_result;

/* Handlers of the command table that drive the engine: live_do_<name>. */
/* clang-format off */
#define LIVE_HANDLERS(X)                                                 \
	X(lns_listen) X(lac_connect) X(lab_start) X(lab_stop) X(wait)    \
	X(hello_tunnel) X(reset_tunnel) X(reset_session) X(call_open)    \
	X(call_close) X(disp_tunnel) X(disp_session) X(disp_stats)       \
	X(disp_history) X(disp_packet) X(send) X(record_start)              \
	X(record_stop) X(step) X(pending) X(drop) X(edit) X(duplicate)  \
	X(delay) X(ppp_user) X(ppp_local_user) X(ppp_auth) X(ppp_pool)   \
	X(ppp_dns) X(ppp_echo_interval) X(ppp_echo_failures)             \
	X(ppp_state) X(ppp_proxy) X(ping)
/* clang-format on */

#define LIVE_DECLARE(name)                                                     \
	int live_do_##name(struct sh *sh, const struct cmd_parsed *p);
LIVE_HANDLERS(LIVE_DECLARE)
#undef LIVE_DECLARE

/* The engine configured from the shell's settings; NULL when out of memory. */
struct live *live_new(struct sh *sh);
void live_free(struct live *lv);

/* The settings changed: give them to the engines.  0 or an engine error. */
int live_settings_changed(struct live *lv);

/*
 * A secret for one peer, by address or by Host Name (secret NULL: forget
 * it).  Returns 0, or -1 with the error already given.
 */
int live_peer_secret(struct live *lv, const char *addr, const char *host,
                     const char *secret);

/* Per-peer secrets as "peer 127.0.0.2" / "host lns.example" (masked when
 * shown); returns how many, fills at most cap names. */
size_t live_peer_secrets(struct live *lv, char (*names)[96], size_t cap);

/* The secrets the engine holds (the default first, then per peer), for
 * opening hidden AVPs: at most cap, returns how many.  Valid until the
 * secrets change. */
size_t live_secrets(struct live *lv, const char **out, size_t cap);

/* The UDP ports the engine and the lab use now: their sockets' local
 * ports and the tunnels' peer ports (repeats possible).  At most cap. */
size_t live_ports(struct live *lv, uint16_t *out, size_t cap);

/* Send what the engines have queued, show their events. */
void live_drain(struct live *lv);

/* 0 when tunnel tid exists, else -1 with an error naming the ones that do. */
int live_check_tunnel(struct live *lv, uint16_t tid);

/* How many messages step mode holds. */
size_t live_held(struct live *lv);

/* "l2tpsh[lac 127.0.0.1 est]> " */
const char *live_prompt(struct live *lv, char *buf, size_t len);

/* Tunnel or session ids for Tab. */
void live_complete_ids(struct live *lv, bool sessions, struct compl_result *r);

/* Numbers of held messages for Tab, each with its message. */
void live_complete_held(struct live *lv, struct compl_result *r);

/* StopCCN on every open tunnel (step mode released first), then up to
 * wait_ms for the acks; returns how many were closed, *unacked how many of
 * them the peer had not acknowledged when the wait ended. */
size_t live_close_all(struct live *lv, long wait_ms, size_t *unacked);

#endif
