/* Live capture inside the shell: one libpcap handle (the pcap source) served
 * by the poll loop, each L2TP packet printed above the prompt with its hidden
 * AVPs opened (RFC 2661 §3-4). */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/capture.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/live.h"
#include "cli/loop.h"
#include "cli/sh.h"
#include "cli/source.h"
#include "decoder/frame.h"
#include "decoder/print.h"

#define CAP_SNAPLEN 65535
#define CAP_BURST 64 /* packets per wake-up */

struct cap {
	struct sh *sh;
	struct src src;
	pcap_dumper_t *dump;
	int fd;
	bool json;
	struct src_l2tp x;
	/* secrets given on the command line; the shell's are added */
	const char *given[SRC_MAX_SECRETS];
	char given_buf[SRC_MAX_SECRETS][256];
	size_t ngiven;
	struct l2tp_print_opts po;
	struct l2tp_sink out;
	uint64_t seen, l2tp;
	char iface[64];
};

static struct cap *running; /* one capture at a time */

/*
 * What the shell uses at this moment: every port the engine and the lab
 * have a socket on or talk to, and every secret it holds.  Asked again at
 * each wake-up, so a tunnel opened after `capture start` is decoded too.
 */
static void
refresh(struct cap *c)
{
	uint16_t ports[SRC_MAX_PORTS];
	const char *sec[SRC_MAX_SECRETS];
	size_t np = live_ports(sh_live(c->sh), ports, SRC_MAX_PORTS);
	size_t ns = live_secrets(sh_live(c->sh), sec, SRC_MAX_SECRETS);

	for (size_t i = 0; i < np; i++)
		src_l2tp_add_port(&c->x, ports[i]);
	c->x.nsecrets = 0;
	for (size_t i = 0; i < c->ngiven; i++)
		c->x.secrets[c->x.nsecrets++] = c->given[i];
	for (size_t i = 0; i < ns && c->x.nsecrets < SRC_MAX_SECRETS; i++)
		c->x.secrets[c->x.nsecrets++] = sec[i];
}

static void
on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *data)
{
	struct cap *c = (struct cap *)arg;
	struct l2tp_pkt_meta meta;
	int rc;

	c->seen++;
	if (c->dump)
		pcap_dump((u_char *)c->dump, h, data);
	switch (
	    src_l2tp_packet(&c->x, c->src.dlt, h, data, c->seen, &meta, &rc)) {
	case L2TP_FRAME_OTHER:
		return;
	case L2TP_FRAME_L2TP:
		c->l2tp++;
		if (c->json)
			l2tp_print_json(&c->out, &c->po, &meta, c->x.m);
		else
			l2tp_print_line(&c->out, &c->po, &meta, c->x.m);
		return;
	default:
		if (c->json)
			l2tp_print_frame_json(&c->out, &c->po, &meta);
		else
			l2tp_print_frame_line(&c->out, &c->po, &meta);
	}
}

static void
on_readable(void *arg, int fd)
{
	struct cap *c = arg;

	(void)fd;
	refresh(c);
	c->out.len = 0;
	pcap_dispatch(c->src.p, CAP_BURST, on_packet, (u_char *)c);
	if (c->out.len && !c->out.oom) {
		l2tp_sink_putc(&c->out, '\0');
		sh_print_event(c->sh, c->out.buf);
	}
	c->out.len = 0;
}

static void
cap_free(struct cap *c)
{
	if (c == NULL)
		return;
	if (c->fd >= 0)
		loop_unwatch(sh_loop(c->sh), c->fd);
	if (c->dump)
		pcap_dump_close(c->dump);
	src_close(&c->src);
	src_l2tp_free(&c->x);
	l2tp_sink_free(&c->out);
	free(c);
}

int
cap_do_start(struct sh *sh, const struct cmd_parsed *p)
{
	const char *iface = cmd_str(p, "IFACE");
	const char *file = cmd_str(p, "write");
	const char *sec[SRC_MAX_SECRETS + 1];
	char ebuf[PCAP_ERRBUF_SIZE] = "", msg[PCAP_ERRBUF_SIZE + 256],
	     warn[PCAP_ERRBUF_SIZE + 64];
	struct src_opts so = {.iface = iface,
	                      .filter = cmd_str(p, "filter"),
	                      .immediate = true,
	                      .snaplen = CAP_SNAPLEN};
	struct cap *c;
	size_t ns;

	if (running) {
		sh_error(sh, "already capturing on %s; capture stop first",
		         running->iface);
		return -1;
	}
	ns = cmd_all(p, "secret", sec, SRC_MAX_SECRETS + 1);
	if (ns > SRC_MAX_SECRETS) {
		sh_error(sh, "at most %d secrets", SRC_MAX_SECRETS);
		return -1;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		sh_error(sh, "out of memory");
		return -1;
	}
	c->sh = sh;
	c->fd = -1;
	c->json = sh_json(sh, p);
	snprintf(c->iface, sizeof(c->iface), "%s", iface);
	l2tp_sink_init(&c->out, NULL);
	if (src_l2tp_init(&c->x, NULL, 0, NULL, 0, 0) < 0) {
		sh_error(sh, "out of memory");
		cap_free(c);
		return -1;
	}
	/* 1701 always, the ports given, then the shell's own (refresh). */
	src_l2tp_add_port(&c->x, L2TP_PORT);
	for (size_t i = 0; i < p->nval; i++)
		if (p->def->args[p->val[i].arg].kw &&
		    strcmp(p->def->args[p->val[i].arg].kw, "port") == 0)
			src_l2tp_add_port(&c->x, (uint16_t)p->val[i].n);
	for (size_t i = 0; i < ns; i++) {
		snprintf(c->given_buf[i], sizeof(c->given_buf[i]), "%s",
		         sec[i]);
		c->given[c->ngiven++] = c->given_buf[i];
	}
	refresh(c);
	c->po.tz_offset = src_tz_offset();
	if (src_open(&c->src, &so, msg, sizeof(msg), warn, sizeof(warn)) < 0) {
		sh_error(sh, "%s", msg);
		cap_free(c);
		return -1;
	}
	if (warn[0])
		sh_info(sh, "Warning: %s", warn);
	if (file && (c->dump = pcap_dump_open(c->src.p, file)) == NULL) {
		sh_error(sh, "write %s: %s", file, pcap_geterr(c->src.p));
		cap_free(c);
		return -1;
	}
	if (pcap_setnonblock(c->src.p, 1, ebuf) < 0 ||
	    (c->fd = pcap_get_selectable_fd(c->src.p)) < 0 ||
	    loop_watch(sh_loop(sh), c->fd, on_readable, c) < 0) {
		c->fd = -1;
		sh_error(sh, "capture on %s: cannot be polled", iface);
		cap_free(c);
		return -1;
	}
	running = c;
	sh_info(sh, "Info: capturing on %s (%s)%s%s", iface,
	        l2tp_frame_link_name(c->src.dlt), file ? ", writing " : "",
	        file ? file : "");
	return 0;
}

int
cap_do_stop(struct sh *sh, const struct cmd_parsed *p)
{
	struct pcap_stat st;

	(void)p;
	if (running == NULL) {
		sh_error(sh, "no capture is running; capture start IFACE "
		             "begins one");
		return -1;
	}
	/* What is already queued is shown before the handle closes. */
	on_readable(running, running->fd);
	if (pcap_stats(running->src.p, &st) == 0)
		sh_info(sh,
		        "Info: capture on %s stopped: %llu packets, %llu "
		        "L2TP, %u dropped by the kernel",
		        running->iface, (unsigned long long)running->seen,
		        (unsigned long long)running->l2tp, st.ps_drop);
	cap_free(running);
	running = NULL;
	return 0;
}

void
cap_stop_all(struct sh *sh)
{
	(void)sh;
	cap_free(running);
	running = NULL;
}
