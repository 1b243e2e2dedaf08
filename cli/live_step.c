/* Step mode: the messages the engine holds, released, dropped, edited,
 * duplicated or delayed one by one; and wait (RFC 2661 §5.8). */
#include <stdlib.h>
#include <string.h>

#include "cli/live.h"
#include "cli/live_int.h"
#include "cli/sh.h"
#include "decoder/json.h"
#include "decoder/print.h"
#include "decoder/proto.h"
#include "cli/craft.h"
#include "cli/loop.h"
#include "completion/cmdlang.h"

/* ---- Step mode ---- */

size_t
live_held(struct live *lv)
{
	return l2tp_engine_held_ids(lv->eng, 0, NULL, 0);
}

/* The held item a command means: the one given, or the oldest. */
static int
pick_held(struct sh *sh, const struct cmd_parsed *p, unsigned *id)
{
	struct live *lv = sh_live(sh);
	struct l2tp_held_info hi;
	unsigned ids[16];
	size_t n = l2tp_engine_held_ids(lv->eng, 0, ids, 16);
	char list[160] = "";

	if (cmd_has(p, "N")) {
		*id = (unsigned)cmd_num(p, "N", 0);
		if (l2tp_engine_held_info(lv->eng, *id, &hi) == 0)
			return 0;
	} else if (n) {
		*id = ids[0];
		return 0;
	}
	for (size_t i = 0; i < n && i < 16; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		         "%s%u", i ? ", " : "", ids[i]);
	if (n == 0)
		sh_error(sh, "nothing is held%s",
		         l2tp_engine_config(lv->eng)->mode == L2TP_MODE_STEP
		             ? ""
		             : " (set mode step holds every "
		               "message)");
	else
		sh_error(sh,
		         "nothing is held as %u: held are %s%s (pending "
		         "lists them)",
		         *id, list, n > 16 ? ", ..." : "");
	return -1;
}

int
live_do_step(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	long want = cmd_num(p, "N", 1);

	for (long i = 0; i < want; i++) {
		unsigned id;
		int rc;

		if (l2tp_engine_held_ids(lv->eng, 0, &id, 1) == 0) {
			if (i == 0)
				return pick_held(sh, p, &id);
			sh_info(sh, "Info: %ld released; nothing more is held",
			        i);
			break;
		}
		if ((rc = l2tp_engine_held_release(lv->eng, id, live_now())) <
		    0)
			return live_engine_error(sh, "step", rc);
		/* What the release sends, and what it makes the engine draft
		 * next, shows before the following one. */
		live_drain(lv);
	}
	return 0;
}

/* Under a row of pending: the held message decoded, as step mode showed
 * it when it was held (hidden AVPs opened with the engine's secret). */
static void
held_line(struct live *lv, FILE *f, const struct l2tp_held_info *h)
{
	struct hist_ent *e = calloc(1, sizeof(*e));
	struct l2tp_sink k;

	if (e == NULL)
		return;
	e->no = h->id;
	e->time_ms = h->held_ms;
	e->tunnel = h->tunnel;
	e->out = h->kind == L2TP_HELD_DRAFT;
	e->peer = h->peer;
	e->wire_len = (uint16_t)(h->len > 65535 ? 65535 : h->len);
	e->len = (uint16_t)(h->len < LIVE_HIST_MSG ? h->len : LIVE_HIST_MSG);
	memcpy(e->data, h->data, e->len);
	fflush(f);
	l2tp_sink_init(&k, f);
	l2tp_sink_puts(&k, "      ");
	live_print_msg(lv, &k, e, false, false);
	l2tp_sink_free(&k);
	free(e);
}

int
live_do_pending(struct sh *sh, const struct cmd_parsed *p)
{
	struct l2tp_sink k;
	struct l2tp_json j;
	struct live *lv = sh_live(sh);
	FILE *f = sh_out(sh);
	bool json = sh_json(sh, p);
	size_t n = l2tp_engine_held_ids(lv->eng, 0, NULL, 0);
	unsigned *ids = n ? calloc(n, sizeof(*ids)) : NULL;
	uint64_t t = live_now();
	char a[64], nb[24];

	if (n && ids == NULL) {
		sh_error(sh, "out of memory");
		return -1;
	}
	n = l2tp_engine_held_ids(lv->eng, 0, ids, n);
	if (json) {
		fflush(f);
		l2tp_sink_init(&k, f);
		l2tp_json_init(&j, &k);
		l2tp_json_arr(&j);
	} else
		fprintf(f, "%-5s %-9s %-8s %-9s %-11s %-22s %s\n", "Held",
		        "Kind", "Tunnel", "Message", "Ns/Nr", "Peer",
		        "HeldFor");
	for (size_t i = 0; i < n; i++) {
		struct l2tp_held_info h;
		struct l2tp_msg *m;
		const char *name;
		char nsnr[16] = "-";

		if (l2tp_engine_held_info(lv->eng, ids[i], &h) < 0 ||
		    (m = malloc(sizeof(*m))) == NULL)
			continue;
		if (h.ns_at_send && h.nr_at_send)
			snprintf(nsnr, sizeof(nsnr), "at send");
		else if (l2tp_parse(h.data, h.len, h.len, L2TP_UDP, NULL, m) ==
		             0 &&
		         m->has_seq) {
			char ns[8], nr[8];

			snprintf(ns, sizeof(ns), "%u", m->ns);
			snprintf(nr, sizeof(nr), "%u", m->nr);
			/* The engine fills these in when the draft goes. */
			snprintf(nsnr, sizeof(nsnr), "%s/%s",
			         h.ns_at_send ? "auto" : ns,
			         h.nr_at_send ? "auto" : nr);
		}
		name = h.msg_type < 0
		           ? "ZLB"
		           : l2tp_msg_name(h.msg_type, nb, sizeof(nb));
		live_addr_str(&h.peer, a, sizeof(a));
		if (json) {
			l2tp_json_obj(&j);
			l2tp_json_kuint(&j, "held", h.id);
			l2tp_json_kstr(&j, "kind",
			               h.kind == L2TP_HELD_DRAFT ? "draft"
			                                         : "received");
			l2tp_json_kuint(&j, "tunnel", h.tunnel);
			l2tp_json_kstr(&j, "message", name);
			l2tp_json_kstr(&j, "peer", a);
			l2tp_json_kuint(&j, "peer_port", h.peer.port);
			l2tp_json_kuint(&j, "held_ms", t - h.held_ms);
			l2tp_json_kbool(&j, "once", h.once);
			l2tp_json_obj_end(&j);
		} else {
			char peer[80];

			snprintf(peer, sizeof(peer), "%s:%u", a, h.peer.port);
			fprintf(
			    f,
			    "%-5u %-9s %-8u %-9s %-11s %-22s %llu.%03llu s%s"
			    "\n",
			    h.id,
			    h.kind == L2TP_HELD_DRAFT ? "draft" : "received",
			    h.tunnel, name, nsnr, peer,
			    (unsigned long long)((t - h.held_ms) / 1000),
			    (unsigned long long)((t - h.held_ms) % 1000),
			    h.release_ms != UINT64_MAX ? " (delayed)" : "");
			held_line(lv, f, &h);
		}
		free(m);
	}
	if (json) {
		l2tp_json_arr_end(&j);
		l2tp_sink_putc(&k, '\n');
		l2tp_sink_free(&k);
	} else {
		fprintf(f, "Total held: %zu\n", n);
	}
	free(ids);
	return 0;
}

static int
held_op(struct sh *sh, const struct cmd_parsed *p,
        int (*op)(struct l2tp_engine *, unsigned, uint64_t), const char *what)
{
	struct live *lv = sh_live(sh);
	unsigned id;
	int rc;

	if (pick_held(sh, p, &id) < 0)
		return -1;
	if ((rc = op(lv->eng, id, live_now())) < 0) {
		if (rc == L2TP_E_INVAL)
			sh_error(sh, "%s %u: only a draft can be %s", what, id,
			         what);
		else
			live_engine_error(sh, what, rc);
		return -1;
	}
	live_drain(lv);
	return 0;
}

int
live_do_drop(struct sh *sh, const struct cmd_parsed *p)
{
	return held_op(sh, p, l2tp_engine_held_drop, "drop");
}

int
live_do_duplicate(struct sh *sh, const struct cmd_parsed *p)
{
	return held_op(sh, p, l2tp_engine_held_duplicate, "duplicate");
}

int
live_do_delay(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	unsigned id;
	int rc;

	if (pick_held(sh, p, &id) < 0)
		return -1;
	rc = l2tp_engine_held_delay(lv->eng, id, (uint32_t)cmd_num(p, "MS", 0),
	                            live_now());
	if (rc < 0)
		return live_engine_error(sh, "delay", rc);
	live_drain(lv);
	return 0;
}

int
live_do_edit(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	struct l2tp_held_info hi;
	const char *vals[CMD_MAX_TOK];
	uint8_t buf[1024];
	char err[256];
	unsigned id;
	size_t n;
	int rc;

	if (pick_held(sh, p, &id) < 0)
		return -1;
	l2tp_engine_held_info(lv->eng, id, &hi);
	if (hi.kind != L2TP_HELD_DRAFT) {
		sh_error(sh,
		         "edit %u: it is a received message; only drafts "
		         "(what this end would send) can be edited",
		         id);
		return -1;
	}
	n = cmd_all(p, "omit", vals, CMD_MAX_TOK);
	for (size_t i = 0; i < n; i++) {
		const struct l2tp_avp_info *ai = l2tp_avp_by_key(vals[i]);

		if ((rc = l2tp_engine_draft_remove_avp(lv->eng, id, ai->vendor,
		                                       ai->type)) < 0)
			return live_engine_error(sh, "edit omit", rc);
	}
	n = cmd_all(p, "avp", vals, CMD_MAX_TOK);
	for (size_t i = 0; i < n; i++) {
		struct l2tp_avp_spec sp;

		if (craft_avp(vals[i], &sp, buf, sizeof(buf), err,
		              sizeof(err)) < 0) {
			sh_error(sh, "edit %u: %s", id, err);
			return -1;
		}
		if ((rc = l2tp_engine_draft_set_avp(lv->eng, id, &sp)) < 0) {
			if (rc == L2TP_E_INVAL)
				sh_error(sh,
				         "edit %u: a ZLB has no AVPs to "
				         "change",
				         id);
			else if (rc == L2TP_E_NOSECRET)
				sh_error(sh,
				         "edit %u: hiding needs a secret "
				         "(set secret)",
				         id);
			else
				live_engine_error(sh, "edit", rc);
			return -1;
		}
	}
	if ((cmd_has(p, "ns") || cmd_has(p, "nr")) &&
	    (rc = l2tp_engine_draft_set_seq(
	         lv->eng, id, cmd_has(p, "ns") ? (int)cmd_num(p, "ns", 0) : -1,
	         cmd_has(p, "nr") ? (int)cmd_num(p, "nr", 0) : -1)) < 0)
		return live_engine_error(sh, "edit", rc);
	live_drain(lv);
	if (l2tp_engine_held_info(lv->eng, id, &hi) == 0) {
		struct hist_ent *h = malloc(sizeof(*h));
		struct l2tp_sink s;

		if (h == NULL)
			return 0;
		/* Show the draft as it now stands. */
		memset(h, 0, sizeof(*h));
		h->no = id;
		h->time_ms = live_now();
		h->tunnel = hi.tunnel;
		h->out = true;
		h->peer = hi.peer;
		h->len = h->wire_len =
		    (uint16_t)(hi.len < LIVE_HIST_MSG ? hi.len : LIVE_HIST_MSG);
		memcpy(h->data, hi.data, h->len);
		l2tp_sink_init(&s, sh_out(sh));
		live_print_msg(lv, &s, h, true, sh_json(sh, p));
		l2tp_sink_flush(&s);
		l2tp_sink_free(&s);
		free(h);
	}
	return 0;
}

/* ---- wait ---- */

static bool
tunnel_reached(struct live *lv, uint16_t tid, const char *until)
{
	struct l2tp_tunnel_info ti;
	uint16_t ids[64];
	size_t n = tid ? 1 : l2tp_engine_tunnel_ids(lv->eng, ids, 64);

	if (tid)
		ids[0] = tid;
	if (strcmp(until, "closed") == 0) {
		for (size_t i = 0; i < n && i < 64; i++)
			if (l2tp_engine_tunnel_info(lv->eng, ids[i], &ti) == 0)
				return false;
		return true;
	}
	for (size_t i = 0; i < n && i < 64; i++) {
		if (l2tp_engine_tunnel_info(lv->eng, ids[i], &ti) < 0)
			continue;
		if (strcmp(until, "established") == 0 &&
		    ti.state == L2TP_TS_ESTABLISHED)
			return true;
		if (strcmp(until, "idle") == 0 && ti.unacked == 0 &&
		    ti.queued == 0)
			return true;
	}
	return false;
}

int
live_do_wait(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	const char *until = cmd_str(p, "UNTIL");
	long timeout = cmd_num(p, "timeout", 10) * 1000;
	uint64_t end = live_now() + (uint64_t)timeout;
	uint16_t tid = (uint16_t)cmd_num(p, "tunnel", 0);

	if (strcmp(until, "session-up") == 0)
		return live_wait_session_up(sh, p, timeout);
	if (strcmp(until, "established") != 0 && strcmp(until, "idle") != 0 &&
	    strcmp(until, "closed") != 0) {
		/* wait SEC: let the loop run that long. */
		if (loop_pause(sh_loop(sh), cmd_num(p, "UNTIL", 0) * 1000) <
		    0) {
			sh_error(sh, "wait interrupted");
			return -1;
		}
		return 0;
	}
	if (tid && live_check_tunnel(lv, tid) < 0 &&
	    strcmp(until, "closed") != 0)
		return -1;
	while (!tunnel_reached(lv, tid, until)) {
		uint64_t t = live_now();

		if (t >= end) {
			char state[64] = "no tunnel";
			struct l2tp_tunnel_info ti;
			uint16_t id = tid;

			if (!id)
				l2tp_engine_tunnel_ids(lv->eng, &id, 1);
			if (id &&
			    l2tp_engine_tunnel_info(lv->eng, id, &ti) == 0)
				snprintf(state, sizeof(state),
				         "tunnel %u is "
				         "%s",
				         id, l2tp_tunnel_state_name(ti.state));
			sh_error(sh, "wait %s: timed out after %ld s (%s)",
			         until, timeout / 1000, state);
			return -1;
		}
		if (loop_pause(sh_loop(sh),
		               (long)(end - t < 20 ? end - t : 20)) < 0) {
			sh_error(sh, "wait interrupted");
			return -1;
		}
	}
	return 0;
}
