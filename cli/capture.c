/* Live capture inside the shell: one libpcap handle served by the poll loop,
 * each L2TP packet printed above the prompt (RFC 2661 §3-4). */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/capture.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/loop.h"
#include "cli/sh.h"
#include "decoder/frame.h"
#include "decoder/print.h"

#define CAP_SNAPLEN 65535
#define CAP_BURST 64 /* packets per wake-up */

struct cap {
	struct sh *sh;
	pcap_t *p;
	pcap_dumper_t *dump;
	int fd, dlt;
	bool json;
	uint16_t ports[CLI_MAX_PORTS];
	struct l2tp_frame_opts fo;
	struct l2tp_reasm *ra;
	struct l2tp_print_opts po;
	struct l2tp_frame fr;
	struct l2tp_msg msg;
	struct l2tp_sink out;
	uint64_t seen, l2tp;
	char iface[64];
};

static struct cap *running; /* one capture at a time */

static void
on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *data)
{
	struct cap *c = (struct cap *)arg;
	struct l2tp_pkt_meta meta;

	c->seen++;
	if (c->dump)
		pcap_dump((u_char *)c->dump, h, data);
	l2tp_frame_decode(c->dlt, data, h->caplen, h->len, &c->fo, c->ra,
	                  &c->fr);
	if (c->fr.kind == L2TP_FRAME_OTHER)
		return;
	meta.frame = c->seen;
	meta.ts_sec = (int64_t)h->ts.tv_sec;
	meta.ts_usec = (uint32_t)h->ts.tv_usec;
	meta.fr = &c->fr;
	if (c->fr.kind != L2TP_FRAME_L2TP) {
		if (c->json)
			l2tp_print_frame_json(&c->out, &c->po, &meta);
		else
			l2tp_print_frame_line(&c->out, &c->po, &meta);
		return;
	}
	c->l2tp++;
	l2tp_parse(c->fr.l2tp, c->fr.caplen, c->fr.wirelen, c->fr.transport,
	           NULL, &c->msg);
	if (c->json)
		l2tp_print_json(&c->out, &c->po, &meta, &c->msg);
	else
		l2tp_print_line(&c->out, &c->po, &meta, &c->msg);
}

static void
on_readable(void *arg, int fd)
{
	struct cap *c = arg;

	(void)fd;
	c->out.len = 0;
	pcap_dispatch(c->p, CAP_BURST, on_packet, (u_char *)c);
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
	if (c->p)
		pcap_close(c->p);
	if (c->ra)
		l2tp_reasm_free(c->ra);
	l2tp_sink_free(&c->out);
	free(c);
}

static int
activate_error(struct sh *sh, pcap_t *p, const char *iface, int rc)
{
	switch (rc) {
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		sh_error(sh,
		         "capture on %s: permission denied: run as root or "
		         "give l2tpsh CAP_NET_RAW (setcap "
		         "cap_net_raw,cap_net_admin=eip)",
		         iface);
		break;
	case PCAP_ERROR_NO_SUCH_DEVICE:
		sh_error(sh, "%s: no such interface (Tab lists them)", iface);
		break;
	case PCAP_ERROR_IFACE_NOT_UP:
		sh_error(sh, "%s: the interface is down (ip link set %s up)",
		         iface, iface);
		break;
	default:
		sh_error(sh, "capture on %s: %s", iface,
		         rc == PCAP_ERROR && pcap_geterr(p)[0]
		             ? pcap_geterr(p)
		             : pcap_statustostr(rc));
	}
	return -1;
}

int
cap_do_start(struct sh *sh, const struct cmd_parsed *p)
{
	const char *iface = cmd_str(p, "IFACE"), *filter = cmd_str(p, "filter");
	const char *file = cmd_str(p, "write");
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	struct cap *c;
	struct tm tm;
	time_t now = time(NULL);
	int rc;

	if (running) {
		sh_error(sh, "already capturing on %s; capture stop first",
		         running->iface);
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
	for (size_t i = 0; i < p->nval; i++)
		if (p->def->args[p->val[i].arg].kw &&
		    strcmp(p->def->args[p->val[i].arg].kw, "port") == 0 &&
		    c->fo.nports < CLI_MAX_PORTS)
			c->ports[c->fo.nports++] = (uint16_t)p->val[i].n;
	c->fo.ports = c->ports;
	localtime_r(&now, &tm);
	c->po.tz_offset = tm.tm_gmtoff;
	l2tp_sink_init(&c->out, NULL);
	if ((c->ra = l2tp_reasm_new()) == NULL ||
	    (c->p = pcap_create(iface, ebuf)) == NULL) {
		sh_error(sh, "%s: %s", iface, *ebuf ? ebuf : "out of memory");
		cap_free(c);
		return -1;
	}
	pcap_set_snaplen(c->p, CAP_SNAPLEN);
	pcap_set_promisc(c->p, 1);
	/* Each packet as it comes: the operator is watching. */
	pcap_set_immediate_mode(c->p, 1);
	if ((rc = pcap_activate(c->p)) < 0) {
		activate_error(sh, c->p, iface, rc);
		cap_free(c);
		return -1;
	}
	c->dlt = pcap_datalink(c->p);
	if (l2tp_frame_link_name(c->dlt) == NULL) {
		sh_error(sh, "%s: link type %s is not one the decoder reads",
		         iface,
		         pcap_datalink_val_to_name(c->dlt)
		             ? pcap_datalink_val_to_name(c->dlt)
		             : "?");
		cap_free(c);
		return -1;
	}
	if (filter) {
		if (pcap_compile(c->p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) <
		        0 ||
		    pcap_setfilter(c->p, &prog) < 0) {
			sh_error(sh, "filter '%s': %s; see pcap-filter(7)",
			         filter, pcap_geterr(c->p));
			cap_free(c);
			return -1;
		}
		pcap_freecode(&prog);
	}
	if (file && (c->dump = pcap_dump_open(c->p, file)) == NULL) {
		sh_error(sh, "write %s: %s", file, pcap_geterr(c->p));
		cap_free(c);
		return -1;
	}
	if (pcap_setnonblock(c->p, 1, ebuf) < 0 ||
	    (c->fd = pcap_get_selectable_fd(c->p)) < 0 ||
	    loop_watch(sh_loop(sh), c->fd, on_readable, c) < 0) {
		c->fd = -1;
		sh_error(sh, "capture on %s: cannot be polled", iface);
		cap_free(c);
		return -1;
	}
	running = c;
	sh_info(sh, "Info: capturing on %s (%s)%s%s", iface,
	        l2tp_frame_link_name(c->dlt), file ? ", writing " : "",
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
	if (pcap_stats(running->p, &st) == 0)
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
