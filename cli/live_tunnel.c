/* The engine driver's commands for tunnels and calls: listen, connect, the
 * lab peer, Hello, reset, call open and close, send (RFC 2661 §5-7). */
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/live.h"
#include "cli/live_int.h"
#include "cli/sh.h"
#include "decoder/print.h"
#include "decoder/proto.h"
#include "cli/craft.h"
#include "cli/loop.h"

int
live_do_lns_listen(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	const char *as = cmd_str(p, "ADDR");
	struct l2tp_addr a;
	char b[64];

	if (lv->us[FD_LNS].fd >= 0) {
		sh_error(sh, "already listening on %s port %u",
		         live_addr_str(&lv->us[FD_LNS].local, b, sizeof(b)),
		         lv->us[FD_LNS].local.port);
		return -1;
	}
	if (as && strcasecmp(as, "lab") == 0) {
		sh_error(sh, "lns listen takes a local address; lab is the "
		             "built-in LNS (lab start)");
		return -1;
	}
	live_parse_addr(as ? as : "127.0.0.1",
	                (uint16_t)cmd_num(p, "port", 1701), &a);
	if (live_open_fd(lv, FD_LNS, &a) < 0)
		return -1;
	l2tp_engine_listen(lv->eng, true, L2TP_ROLE_LNS);
	sh_info(sh, "Info: LNS listening on %s port %u",
	        live_addr_str(&lv->us[FD_LNS].local, b, sizeof(b)),
	        lv->us[FD_LNS].local.port);
	return 0;
}

int
live_do_lac_connect(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	const char *as = cmd_str(p, "ADDR");
	struct l2tp_addr peer, any;
	uint16_t lid;
	int which, rc;
	char b[64];

	if (strcasecmp(as, "lab") == 0) {
		if (lv->lab == NULL) {
			sh_error(sh, "the lab peer is not running; type lab "
			             "start first");
			return -1;
		}
		peer = lv->us[FD_LAB].local;
		if (cmd_has(p, "port"))
			peer.port = (uint16_t)cmd_num(p, "port", 1701);
	} else {
		live_parse_addr(as, (uint16_t)cmd_num(p, "port", 1701), &peer);
	}
	which = peer.family == L2TP_AF_INET6 ? FD_LAC6 : FD_LAC4;
	if (lv->us[which].fd < 0) {
		/* One ephemeral port for every tunnel this end opens. */
		live_parse_addr(which == FD_LAC6 ? "::" : "0.0.0.0", 0, &any);
		if (live_open_fd(lv, which, &any) < 0)
			return -1;
	}
	if ((rc = l2tp_engine_tunnel_open(lv->eng, &peer, L2TP_ROLE_LAC,
	                                  live_now(), &lid)) < 0)
		return live_engine_error(sh, "lac connect", rc);
	lv->via[lid] = (uint8_t)(which + 1);
	live_drain(lv);
	sh_info(sh, "Info: tunnel %u: SCCRQ %s %s port %u from port %u%s", lid,
	        l2tp_engine_held_ids(lv->eng, lid, NULL, 0) ? "held for"
	                                                    : "sent to",
	        live_addr_str(&peer, b, sizeof(b)), peer.port,
	        lv->us[which].local.port,
	        l2tp_engine_held_ids(lv->eng, lid, NULL, 0) ? " (step sends it)"
	                                                    : "");
	return 0;
}

int
live_do_lab_start(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	struct l2tp_engine_config c;
	struct l2tp_addr a;
	char b[64];

	(void)p;
	if (lv->lab) {
		sh_error(sh, "the lab peer already runs on %s port %u",
		         live_addr_str(&lv->us[FD_LAB].local, b, sizeof(b)),
		         lv->us[FD_LAB].local.port);
		return -1;
	}
	live_config(sh, &c);
	snprintf(c.host_name, sizeof(c.host_name), "lab-lns");
	if ((lv->lab = l2tp_engine_new(&c)) == NULL) {
		sh_error(sh, "lab start: out of memory");
		return -1;
	}
	live_apply(lv, lv->lab, "lab-lns");
	live_parse_addr("127.0.0.1", 0, &a);
	if (live_open_fd(lv, FD_LAB, &a) < 0) {
		l2tp_engine_free(lv->lab);
		lv->lab = NULL;
		return -1;
	}
	l2tp_engine_listen(lv->lab, true, L2TP_ROLE_LNS);
	sh_info(sh,
	        "Info: lab LNS on %s port %u, configured like this end; "
	        "type lac connect lab",
	        live_addr_str(&lv->us[FD_LAB].local, b, sizeof(b)),
	        lv->us[FD_LAB].local.port);
	return 0;
}

int
live_do_lab_stop(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);

	(void)p;
	if (lv->lab == NULL) {
		sh_error(sh, "the lab peer is not running (lab start starts "
		             "it)");
		return -1;
	}
	loop_unwatch(sh_loop(lv->sh), lv->us[FD_LAB].fd);
	udp_close(&lv->us[FD_LAB]);
	l2tp_engine_free(lv->lab);
	lv->lab = NULL;
	sh_info(sh, "Info: lab LNS stopped (its tunnels were dropped "
	            "without a StopCCN)");
	return 0;
}

/* The tunnel a command means: the one given, or the only one. */
static int
pick_tunnel(struct sh *sh, const char *key, const struct cmd_parsed *p,
            uint16_t *tid)
{
	struct live *lv = sh_live(sh);
	uint16_t ids[8];
	size_t n;

	if (cmd_has(p, key)) {
		*tid = (uint16_t)cmd_num(p, key, 0);
		return live_check_tunnel(lv, *tid);
	}
	n = l2tp_engine_tunnel_ids(lv->eng, ids, 8);
	if (n == 1) {
		*tid = ids[0];
		return 0;
	}
	if (n == 0)
		sh_error(sh, "there is no tunnel; open one with lac connect");
	else
		sh_error(sh,
		         "there are %zu tunnels: say which with tunnel ID "
		         "(display l2tp tunnel lists them)",
		         n);
	return -1;
}

int
live_check_tunnel(struct live *lv, uint16_t tid)
{
	struct l2tp_tunnel_info ti;
	uint16_t ids[16];
	size_t n;
	char list[128] = "";

	if (l2tp_engine_tunnel_info(lv->eng, tid, &ti) == 0)
		return 0;
	n = l2tp_engine_tunnel_ids(lv->eng, ids, 16);
	for (size_t i = 0; i < n && i < 16; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		         "%s%u", i ? ", " : "", ids[i]);
	if (n == 0)
		sh_error(lv->sh,
		         "no tunnel %u: there are no tunnels (lac connect "
		         "opens one)",
		         tid);
	else
		sh_error(lv->sh, "no tunnel %u: the tunnels are %s%s", tid,
		         list, n > 16 ? ", ..." : "");
	return -1;
}

int
live_do_hello_tunnel(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	uint16_t tid = (uint16_t)cmd_num(p, "tunnel", 0);
	int rc;

	if (live_check_tunnel(lv, tid) < 0)
		return -1;
	rc = l2tp_engine_tunnel_set_hello(
	    lv->eng, tid, (uint32_t)cmd_num(p, "SEC", 60) * 1000, live_now());
	if (rc < 0)
		return live_engine_error(sh, "hello-interval", rc);
	live_drain(lv);
	return 0;
}

int
live_do_reset_tunnel(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	uint16_t tid = (uint16_t)cmd_num(p, "ID", 0);
	long result = cmd_num(p, "result", 1);
	int rc;

	if (live_check_tunnel(lv, tid) < 0)
		return -1;
	if (result == 0) {
		sh_error(sh, "result 0 is reserved (RFC 2661 4.4.2); 1 is a "
		             "general request to clear the control connection");
		return -1;
	}
	rc = l2tp_engine_tunnel_close(lv->eng, tid, (uint16_t)result,
	                              (int)cmd_num(p, "error", -1),
	                              cmd_str(p, "message"), live_now());
	if (rc == L2TP_E_STATE) {
		sh_error(sh, "tunnel %u is already closing", tid);
		return -1;
	}
	if (rc < 0)
		return live_engine_error(sh, "reset l2tp tunnel", rc);
	live_drain(lv);
	return 0;
}

int
live_do_reset_session(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	uint16_t sid =
	    (uint16_t)cmd_num(p, cmd_has(p, "SID") ? "SID" : "ID", 0);
	long result = cmd_num(p, "result", 3);
	int rc;

	if (live_check_session(lv, sid) < 0)
		return -1;
	if (result == 0) {
		sh_error(sh, "result 0 is reserved (RFC 2661 4.4.2); 3 is a "
		             "disconnect for administrative reasons");
		return -1;
	}
	rc = l2tp_engine_call_close(lv->eng, sid, (uint16_t)result,
	                            (int)cmd_num(p, "error", -1),
	                            cmd_str(p, "message"), -1, live_now());
	if (rc < 0)
		return live_engine_error(sh, "CDN", rc);
	live_drain(lv);
	return 0;
}

int
live_do_call_close(struct sh *sh, const struct cmd_parsed *p)
{
	return live_do_reset_session(sh, p);
}

int
live_do_call_open(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	struct l2tp_call_params cp;
	uint16_t tid, sid;
	int rc;

	struct l2tp_avp_spec extra[CRAFT_MAX_AVPS];
	static uint8_t vbuf[CRAFT_BUF];
	const char *vals[CMD_MAX_TOK];
	size_t nx, used = 0;
	char err[256];

	if (pick_tunnel(sh, "tunnel", p, &tid) < 0)
		return -1;
	l2tp_call_params_default(&cp);
	if (cmd_has(p, "calling"))
		snprintf(cp.calling, sizeof(cp.calling), "%s",
		         cmd_str(p, "calling"));
	if (cmd_has(p, "called"))
		snprintf(cp.called, sizeof(cp.called), "%s",
		         cmd_str(p, "called"));
	if (cmd_has(p, "speed"))
		cp.tx_speed = (uint32_t)cmd_num(p, "speed", 0);
	nx = cmd_all(p, "avp", vals, CMD_MAX_TOK);
	if (nx > CRAFT_MAX_AVPS) {
		sh_error(sh, "call open: at most %d AVPs", CRAFT_MAX_AVPS);
		return -1;
	}
	for (size_t i = 0; i < nx; i++) {
		if (craft_avp(vals[i], &extra[i], vbuf + used,
		              sizeof(vbuf) - used, err, sizeof(err)) < 0) {
			sh_error(sh, "call open: %s", err);
			return -1;
		}
		used += extra[i].len;
	}
	cp.extra = extra;
	cp.nextra = nx;
	if ((rc = l2tp_engine_call_open(lv->eng, tid, &cp, live_now(), &sid)) <
	    0) {
		if (rc == L2TP_E_NOSECRET)
			sh_error(sh, "call open: hiding an AVP needs a secret "
			             "(set secret)");
		else
			live_engine_error(sh, "call open", rc);
		return -1;
	}
	live_drain(lv);
	sh_info(sh, "Info: session %u opened on tunnel %u", sid, tid);
	return 0;
}

int
live_do_send(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	struct craft *c;
	struct craft_ctx x;
	struct l2tp_craft cr;
	struct l2tp_tunnel_info ti;
	struct l2tp_session_info si;
	const char *vals[CMD_MAX_TOK];
	char err[256];
	uint16_t tid, sid = (uint16_t)cmd_num(p, "session", 0);
	int type = craft_msg_type(cmd_str(p, "MSG")), rc = -1;
	size_t n;

	if (sid && live_check_session(lv, sid) < 0)
		return -1;
	if (sid) {
		l2tp_engine_session_info(lv->eng, sid, &si);
		if (cmd_has(p, "tunnel") &&
		    cmd_num(p, "tunnel", 0) != si.tunnel) {
			sh_error(sh, "session %u is on tunnel %u, not %ld", sid,
			         si.tunnel, cmd_num(p, "tunnel", 0));
			return -1;
		}
		tid = si.tunnel;
	} else if (pick_tunnel(sh, "tunnel", p, &tid) < 0) {
		return -1;
	}
	l2tp_engine_tunnel_info(lv->eng, tid, &ti);
	if ((c = malloc(sizeof(*c))) == NULL) {
		sh_error(sh, "out of memory");
		return -1;
	}
	x.host_name = sh_setting(sh, "local-name");
	x.tunnel_id = tid;
	x.session_id = sid;
	x.window = (uint16_t)atol(sh_setting(sh, "window"));
	if (craft_init(c, type, &x, err, sizeof(err)) < 0)
		goto bad;
	n = cmd_all(p, "avp", vals, CMD_MAX_TOK);
	for (size_t i = 0; i < n; i++)
		if (craft_set(c, vals[i], err, sizeof(err)) < 0)
			goto bad;
	n = cmd_all(p, "omit", vals, CMD_MAX_TOK);
	for (size_t i = 0; i < n; i++)
		if (craft_omit(c, vals[i], err, sizeof(err)) < 0)
			goto bad;
	memset(&cr, 0, sizeof(cr));
	cr.msg_type = c->msg_type;
	cr.avps = c->avp;
	cr.navps = c->n;
	if (sid) {
		cr.set_session = true;
		cr.session = si.remote_id;
	}
	cr.set_ns = cmd_has(p, "ns");
	cr.ns = (uint16_t)cmd_num(p, "ns", 0);
	cr.set_nr = cmd_has(p, "nr");
	cr.nr = (uint16_t)cmd_num(p, "nr", 0);
	/* Sequenced and retransmitted like the engine's own, unless Ns is
	 * given by hand or it is a ZLB. */
	cr.reliable = true;
	if ((rc = l2tp_engine_send_craft(lv->eng, tid, NULL, &cr, live_now())) <
	    0)
		live_engine_error(sh, "send", rc);
	live_drain(lv);
	free(c);
	return rc < 0 ? -1 : 0;
bad:
	sh_error(sh, "send %s: %s", cmd_str(p, "MSG"), err);
	free(c);
	return -1;
}
