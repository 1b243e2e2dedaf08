/* The engine driver's display commands: tunnels, sessions, statistics,
 * history and its ladder, one packet (Huawei VRP wording). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/live.h"
#include "cli/live_int.h"
#include "cli/sh.h"
#include "decoder/json.h"
#include "decoder/print.h"
#include "decoder/proto.h"
#include "engine/ppp.h"
#include "cli/an_shell.h"
#include "cli/analyze.h"
#include "cli/display.h"
#include "cli/ladder.h"
#include "completion/cmdlang.h"

/* ---- Display ---- */

static bool
live_has_tunnel(struct live *lv, uint16_t tid)
{
	struct l2tp_tunnel_info t;

	return l2tp_engine_tunnel_info(lv->eng, tid, &t) == 0;
}

int
live_do_disp_tunnel(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	FILE *f = sh_out(sh);
	bool json = sh_json(sh, p), verbose = cmd_has(p, "verbose");
	uint16_t *ids = NULL;
	struct disp d;
	size_t n;

	if (cmd_has(p, "ID")) {
		struct l2tp_tunnel_info t;
		uint16_t tid = (uint16_t)cmd_num(p, "ID", 0);

		if (l2tp_engine_tunnel_info(lv->eng, tid, &t) < 0 &&
		    cli_an_sh_tunnel(sh, f, tid, json) == 0)
			return 0; /* a tunnel of the analysed capture */
		if (live_check_tunnel(lv, tid) < 0)
			return -1;
		disp_tunnel_one(f, json, &t, live_now(), NULL);
		return 0;
	}
	n = l2tp_engine_tunnel_ids(lv->eng, NULL, 0);
	if (n && (ids = calloc(n, sizeof(*ids))) == NULL) {
		sh_error(sh, "out of memory");
		return -1;
	}
	n = l2tp_engine_tunnel_ids(lv->eng, ids, n);
	disp_open(&d, f, json, verbose, false);
	disp_tunnels_begin(&d, NULL);
	for (size_t i = 0; i < n; i++) {
		struct l2tp_tunnel_info t;

		if (l2tp_engine_tunnel_info(lv->eng, ids[i], &t) == 0)
			disp_tunnel(&d, &t, live_now(), NULL);
	}
	disp_tunnels_end(&d, n, NULL);
	cli_an_sh_tunnels(sh, &d); /* the capture's */
	disp_close(&d);
	free(ids);
	return 0;
}

int
live_do_disp_session(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	FILE *f = sh_out(sh);
	bool json = sh_json(sh, p), one = cmd_has(p, "ID");
	uint16_t *ids = NULL, sid = (uint16_t)cmd_num(p, "ID", 0);
	struct disp d;
	size_t n;

	if (one) {
		struct l2tp_session_info si;

		if (l2tp_engine_session_info(lv->eng, sid, &si) < 0 &&
		    cli_an_sh_session(sh, f, sid, json) == 0)
			return 0; /* a call of the analysed capture */
		if (live_check_session(lv, sid) < 0)
			return -1;
		ids = &sid;
		n = 1;
	} else {
		n = l2tp_engine_session_ids(lv->eng, 0, NULL, 0);
		if (n && (ids = calloc(n, sizeof(*ids))) == NULL) {
			sh_error(sh, "out of memory");
			return -1;
		}
		n = l2tp_engine_session_ids(lv->eng, 0, ids, n);
	}
	disp_open(&d, f, json, false, one);
	disp_sessions_begin(&d, NULL);
	for (size_t i = 0; i < n; i++) {
		struct l2tp_session_info s;

		struct l2tp_ppp_info pi;

		if (l2tp_engine_session_info(lv->eng, ids[i], &s) == 0)
			disp_session_ppp(
			    &d, &s,
			    l2tp_engine_session_ppp(lv->eng, ids[i], &pi) == 0
			        ? &pi
			        : NULL);
	}
	disp_sessions_end(&d, n, NULL);
	if (!one)
		cli_an_sh_sessions(sh, &d); /* the capture's */
	disp_close(&d);
	if (!one)
		free(ids);
	return 0;
}

int
live_do_disp_stats(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	struct l2tp_engine_stats st;
	FILE *f = sh_out(sh);

	l2tp_engine_stats(lv->eng, &st);
/* clang-format off */
#define STATS(X)                                                         \
	X("Tunnels", "tunnels", st.tunnels)                              \
	X("Sessions", "sessions", st.sessions)                           \
	X("TunnelsTotal", "tunnels_total", st.tunnels_total)             \
	X("SessionsTotal", "sessions_total", st.sessions_total)          \
	X("DatagramsIn", "datagrams_in", st.datagrams_in)                \
	X("DatagramsOut", "datagrams_out", st.datagrams_out)             \
	X("BadIn", "bad_in", st.bad_in)                                  \
	X("NoTunnelIn", "no_tunnel_in", st.no_tunnel_in)                 \
	X("DataIn", "data_in", st.data_in)                               \
	X("DataOut", "data_out", st.data_out)                            \
	X("DataBytesIn", "data_bytes_in", st.data_bytes_in)              \
	X("DataBytesOut", "data_bytes_out", st.data_bytes_out)           \
	X("DataNoSession", "data_no_session", st.data_no_session)        \
	X("DataDiscarded", "data_discarded", st.data_discarded)          \
	X("DataOutOfOrder", "data_out_of_order", st.data_out_of_order)   \
	X("PppStarted", "ppp_started", st.ppp_started)                   \
	X("PppUp", "ppp_up", st.ppp_up)                                  \
	X("PppFailed", "ppp_failed", st.ppp_failed)                      \
	X("PppAuthFailed", "ppp_auth_failed", st.ppp_auth_failed)        \
	X("EventsDropped", "events_dropped", st.events_dropped)          \
	X("RefusedTunnelsPeer", "refused_tunnels_peer",                  \
	    st.refused_tunnels_peer)                                     \
	X("RefusedTunnels", "refused_tunnels", st.refused_tunnels_total) \
	X("RefusedSessionsTun", "refused_sessions_tunnel",               \
	    st.refused_sessions_tunnel)                                  \
	X("RefusedSessions", "refused_sessions",                         \
	    st.refused_sessions_total)                                   \
	X("RefusedHeld", "refused_held", st.refused_held)                \
	X("RefusedOutOfOrder", "refused_out_of_order",                   \
	    st.refused_out_of_order)                                     \
	X("SetupTimeoutsTun", "setup_timeouts_tunnel",                   \
	    st.setup_timeouts_tunnel)                                    \
	X("SetupTimeoutsSess", "setup_timeouts_session",                 \
	    st.setup_timeouts_session)                                   \
	X("MalformedIn", "malformed_in", st.malformed_in)                \
	X("EventsSuppressed", "events_suppressed", st.events_suppressed) \
	X("SendErrors", "send_errors", lv->send_errors)                  \
	X("MessagesInHistory", "history", lv->nhist < LIVE_HIST ?        \
	    lv->nhist : (uint64_t)LIVE_HIST)
	/* clang-format on */
	if (sh_json(sh, p)) {
		struct l2tp_sink k;
		struct l2tp_json j;

		fflush(f);
		l2tp_sink_init(&k, f);
		l2tp_json_init(&j, &k);
		l2tp_json_obj(&j);
#define X(label, key, v) l2tp_json_kuint(&j, key, (uint64_t)(v));
		STATS(X)
#undef X
		cli_an_sh_stats(sh, f, &j);
		l2tp_json_obj_end(&j);
		l2tp_sink_putc(&k, '\n');
		l2tp_sink_free(&k);
		return 0;
	}
#define X(label, key, v)                                                       \
	fprintf(f, "%-20s %llu\n", label, (unsigned long long)(v));
	STATS(X)
#undef X
	if (lv->send_errors)
		fprintf(f, "%-20s %s\n", "LastSendError", lv->last_send_error);
	cli_an_sh_stats(sh, f, NULL);
	return 0;
}

int
live_do_disp_history(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	FILE *f = sh_out(sh);
	bool json = sh_json(sh, p), ladder = cmd_has(p, "ladder");
	uint16_t tid = (uint16_t)cmd_num(p, "tunnel", 0);
	uint64_t first = lv->nhist > LIVE_HIST ? lv->nhist - LIVE_HIST + 1 : 1;
	struct l2tp_sink s;
	size_t shown = 0;
	uint64_t nn = lv->nnotes > LIVE_NOTES ? lv->nnotes - LIVE_NOTES : 0;
	char ntext[136];
	struct cli_ladder lad = {
	    .s = &s,
	    .color = isatty(fileno(f)) && getenv("NO_COLOR") == NULL,
	    .width = cli_an_width(f),
	    .max_us = live_now() > lv->t0 ? (live_now() - lv->t0) * 1000 : 0};

	if (tid && !live_has_tunnel(lv, tid) &&
	    cli_an_sh_history(sh, f, tid, ladder, json) == 0)
		return 0; /* a tunnel of the analysed capture */
	l2tp_sink_init(&s, f);
	if (ladder && !json)
		cli_ladder_head(&lad, "this end", "peer");
	for (uint64_t no = first; no <= lv->nhist + 1; no++) {
		const struct hist_ent *h = live_hist_get(lv, no);

		/* What happened before this message, on the tunnel shown. */
		for (; ladder && !json && nn < lv->nnotes; nn++) {
			const struct hist_note *n = &lv->notes[nn % LIVE_NOTES];

			if (n->after >= no)
				break;
			if (tid && n->tunnel != tid)
				continue;
			if (!tid)
				snprintf(ntext, sizeof(ntext), "tunnel %u %s",
				         n->tunnel, n->text);
			cli_ladder_event(&lad, (n->time_ms - lv->t0) * 1000,
			                 true, tid ? n->text : ntext,
			                 (enum cli_ladder_mark)n->mark);
		}
		if (h == NULL || (tid && h->tunnel != tid))
			continue;
		shown++;
		if (ladder && !json) {
			struct l2tp_msg *m = malloc(sizeof(*m));
			char nb[24], lab[64], note[48];
			struct cli_ladder_row r;

			if (m == NULL)
				break;
			l2tp_parse(h->data, h->len, h->wire_len, L2TP_UDP, NULL,
			           m);
			snprintf(lab, sizeof(lab), "%s %u/%u%s",
			         l2tp_msg_name(m->msg_type, nb, sizeof(nb)),
			         m->ns, m->nr, h->rtx ? " again" : "");
			snprintf(note, sizeof(note), "#%llu tunnel %u",
			         (unsigned long long)h->no, h->tunnel);
			r.t_us = (h->time_ms - lv->t0) * 1000;
			r.to_right = h->out;
			r.label = lab;
			r.note = note;
			r.mark = h->rtx                        ? CLI_LADDER_RTX
			         : m->msg_type == L2TP_MSG_ZLB ? CLI_LADDER_ZLB
			         : m->fault != L2TP_FAULT_NONE
			             ? CLI_LADDER_FINDING
			             : CLI_LADDER_PLAIN;
			cli_ladder_row(&lad, &r);
			free(m);
		} else {
			live_print_msg(lv, &s, h, false, json);
		}
	}
	if (!json && shown == 0)
		l2tp_sink_puts(&s, "No messages yet.\n");
	cli_an_sh_history_hint(sh, &s, json);
	l2tp_sink_flush(&s);
	l2tp_sink_free(&s);
	return 0;
}

int
live_do_disp_packet(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	uint64_t no = (uint64_t)cmd_num(p, "N", 0);
	const struct hist_ent *h = live_hist_get(lv, no);
	struct l2tp_sink s;

	if (h == NULL) {
		if (lv->nhist == 0)
			sh_error(sh,
			         "no message %llu: nothing was sent or "
			         "received yet",
			         (unsigned long long)no);
		else
			sh_error(
			    sh,
			    "no message %llu: the history holds %llu "
			    "to %llu",
			    (unsigned long long)no,
			    (unsigned long long)(lv->nhist > LIVE_HIST
			                             ? lv->nhist - LIVE_HIST + 1
			                             : 1),
			    (unsigned long long)lv->nhist);
		return -1;
	}
	l2tp_sink_init(&s, sh_out(sh));
	live_print_msg(lv, &s, h, true, sh_json(sh, p));
	l2tp_sink_flush(&s);
	l2tp_sink_free(&s);
	return 0;
}
