/* l2tpsh -r FILE / -i IFACE: libpcap, filter, summary (RFC 2661 §8.1). */
#include <inttypes.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/analyze.h"
#include "cli/cli.h"
#include "cli/source.h"
#include "decoder/frame.h"
#include "decoder/l2tp.h"
#include "decoder/print.h"
#include "decoder/proto.h"

#define SNAPLEN 262144
#define LIVE_TIMEOUT_MS 100
#define LIVE_FLUSH_USEC 200000

struct dec_counts {
	uint64_t read;
	uint64_t l2tp, control, data, zlb;
	uint64_t bytype[256], type_high; /* Message Type counts */
	uint64_t truncated, malformed, unsupported, rfc;
	uint64_t other[L2TP_OTHER_IP + 1];
	uint64_t natt[L2TP_NATT_KEEPALIVE + 1];
	uint64_t fragments;
};

struct dec {
	const struct cli_decode_opts *o;
	const char *name; /* the file or interface, for messages */
	pcap_t *p;
	int dlt;
	bool live;
	struct src src;
	struct src_l2tp x; /* frame, parse, unhide */
	struct l2tp_print_opts pr;
	struct l2tp_sink out;
	struct dec_counts n;
	struct cli_an *an; /* --analyze: packets go here, not printed */
	int64_t last_flush_usec;
	char errmsg[PCAP_ERRBUF_SIZE + 160]; /* printed after the summary */
};

static volatile sig_atomic_t dec_stop;
static pcap_t *dec_live; /* the handle a signal breaks out of */

static void
dec_on_signal(int sig)
{
	(void)sig;
	dec_stop = 1;
	if (dec_live != NULL)
		pcap_breakloop(dec_live);
}

/* ---- one packet ---- */

static void
count_fault(struct dec_counts *n, enum l2tp_fault f)
{
	switch (f) {
	case L2TP_FAULT_TRUNCATED:
		n->truncated++;
		break;
	case L2TP_FAULT_MALFORMED:
		n->malformed++;
		break;
	case L2TP_FAULT_UNSUPPORTED:
		n->unsupported++;
		break;
	case L2TP_FAULT_RFC:
		n->rfc++;
		break;
	case L2TP_FAULT_NONE:
		break;
	}
}

static void
dec_l2tp(struct dec *d, const struct l2tp_pkt_meta *meta, int rc)
{
	struct l2tp_msg *m = d->x.m;
	struct dec_counts *n = &d->n;

	n->l2tp++;
	if (rc == 0) {
		if (!m->control)
			n->data++;
		else {
			n->control++;
			if (l2tp_msg_is_zlb(m))
				n->zlb++;
			else if (m->msg_type >= 256)
				n->type_high++;
			else if (m->msg_type >= 0)
				n->bytype[m->msg_type]++;
			/* no readable Message Type: counted as control only */
		}
	}
	count_fault(n, m->fault);
	if (d->an) {
		cli_an_l2tp(d->an, meta, m, rc);
		return;
	}
	switch (d->o->format) {
	case CLI_FMT_SUMMARY:
		l2tp_print_line(&d->out, &d->pr, meta, m);
		break;
	case CLI_FMT_VERBOSE:
		l2tp_print_tree(&d->out, &d->pr, meta, m);
		break;
	case CLI_FMT_JSON:
		l2tp_print_json(&d->out, &d->pr, meta, m);
		break;
	}
}

static void
dec_packet(struct dec *d, const struct pcap_pkthdr *h, const uint8_t *data)
{
	struct l2tp_frame *fr = &d->x.fr;
	struct dec_counts *n = &d->n;
	struct l2tp_pkt_meta meta;
	int rc;

	n->read++;
	switch (src_l2tp_packet(&d->x, d->dlt, h, data, n->read, &meta, &rc)) {
	case L2TP_FRAME_L2TP:
		dec_l2tp(d, &meta, rc);
		return;
	case L2TP_FRAME_OTHER:
		if (d->an)
			cli_an_frame(d->an, &meta);
		n->other[fr->other]++;
		if (fr->other == L2TP_OTHER_NATT)
			n->natt[fr->natt]++;
		return;
	case L2TP_FRAME_FRAGMENT:
		n->fragments++;
		break;
	case L2TP_FRAME_TRUNCATED:
		n->truncated++;
		break;
	case L2TP_FRAME_MALFORMED:
		n->malformed++;
		break;
	case L2TP_FRAME_UNSUPPORTED:
		n->unsupported++;
		break;
	}
	if (d->an)
		cli_an_frame(d->an, &meta);
	else if (d->o->format == CLI_FMT_JSON)
		l2tp_print_frame_json(&d->out, &d->pr, &meta);
	else
		l2tp_print_frame_line(&d->out, &d->pr, &meta);
}

/* ---- the summary ---- */

static void
plural(struct l2tp_sink *s, uint64_t v, const char *one, const char *many)
{
	l2tp_sink_printf(s, "%" PRIu64 " %s", v, v == 1 ? one : many);
}

static uint64_t
non_l2tp(const struct dec_counts *n)
{
	uint64_t t = 0;

	for (size_t i = 0; i < sizeof(n->other) / sizeof(n->other[0]); i++)
		t += n->other[i];
	return t;
}

static void
summary_types(struct l2tp_sink *s, const struct dec_counts *n)
{
	size_t nt;
	const struct l2tp_msg_info *t = l2tp_msg_table(&nt);
	bool in_table[256] = {false};
	const char *sep = " (";
	char nb[32];

	for (size_t i = 0; i < nt; i++) {
		if (t[i].type < 256)
			in_table[t[i].type] = true;
		if (t[i].type < 256 && n->bytype[t[i].type]) {
			l2tp_sink_printf(s, "%s%" PRIu64 " %s", sep,
			                 n->bytype[t[i].type], t[i].name);
			sep = ", ";
		}
	}
	if (n->zlb) {
		l2tp_sink_printf(s, "%s%" PRIu64 " ZLB", sep, n->zlb);
		sep = ", ";
	}
	for (int ty = 0; ty < 256; ty++) {
		if (in_table[ty] || n->bytype[ty] == 0)
			continue;
		l2tp_sink_printf(s, "%s%" PRIu64 " %s", sep, n->bytype[ty],
		                 l2tp_msg_name(ty, nb, sizeof(nb)));
		sep = ", ";
	}
	if (n->type_high) {
		l2tp_sink_printf(s, "%s%" PRIu64 " of type 256 or more", sep,
		                 n->type_high);
		sep = ", ";
	}
	if (sep[0] == ',')
		l2tp_sink_putc(s, ')');
}

/* Why there is nothing to show, and what to do about it. */
static void
summary_advice(struct l2tp_sink *s, const struct dec *d)
{
	const struct dec_counts *n = &d->n;
	uint64_t ipsec = n->other[L2TP_OTHER_ESP] + n->other[L2TP_OTHER_NATT] +
	                 n->other[L2TP_OTHER_IKE];
	const char *sep = "";
	static const struct {
		enum l2tp_natt k;
		const char *one, *many;
	} natt[] = {
	    {L2TP_NATT_ESP, "ESP-in-UDP (NAT-T, UDP 4500) frame",
	     "ESP-in-UDP (NAT-T, UDP 4500) frames"},
	    {L2TP_NATT_IKE, "IKE frame on UDP 4500", "IKE frames on UDP 4500"},
	    {L2TP_NATT_KEEPALIVE, "NAT-T keepalive", "NAT-T keepalives"},
	    {L2TP_NATT_NONE, "short UDP 4500 frame", "short UDP 4500 frames"},
	};

	if (n->l2tp > 0)
		return;
	if (n->read == 0) {
		if (d->o->filter)
			l2tp_sink_printf(
			    s,
			    "no packets matched the filter "
			    "'%s' (for PPPoE or VLAN traffic, start it with "
			    "'pppoes and' or 'vlan and')\n",
			    d->o->filter);
		else
			l2tp_sink_puts(s, "no packets\n");
		return;
	}
	l2tp_sink_puts(s, "no cleartext L2TP: ");
	if (n->fragments > 0 && ipsec == 0) {
		plural(s, n->fragments, "IP fragment", "IP fragments");
		l2tp_sink_puts(s, " of UDP or L2TP/IP, but no datagram was "
		                  "whole: capture every fragment of each, with "
		                  "a snap length that keeps them whole\n");
		return;
	}
	if (ipsec > 0) {
		for (size_t i = 0; i < sizeof(natt) / sizeof(natt[0]); i++) {
			if (n->natt[natt[i].k] == 0)
				continue;
			l2tp_sink_puts(s, sep);
			plural(s, n->natt[natt[i].k], natt[i].one,
			       natt[i].many);
			sep = ", ";
		}
		if (n->other[L2TP_OTHER_ESP]) {
			l2tp_sink_puts(s, sep);
			plural(s, n->other[L2TP_OTHER_ESP],
			       "ESP (IP protocol 50) frame",
			       "ESP (IP protocol 50) frames");
			sep = ", ";
		}
		if (n->other[L2TP_OTHER_IKE]) {
			l2tp_sink_puts(s, sep);
			plural(s, n->other[L2TP_OTHER_IKE],
			       "IKE (UDP 500) frame", "IKE (UDP 500) frames");
		}
		l2tp_sink_puts(s, ": the L2TP is encrypted inside IPsec; "
		                  "capture inside the tunnel or on the LNS\n");
		return;
	}
	l2tp_sink_printf(s,
	                 "none of the %" PRIu64 " packet%s is L2TP over "
	                 "UDP port",
	                 n->read, n->read == 1 ? "" : "s");
	if (d->x.fo.nports == 0)
		l2tp_sink_printf(s, " %u", L2TP_PORT);
	for (size_t i = 0; i < d->x.fo.nports; i++)
		l2tp_sink_printf(s, "%s %u", i ? "," : "", d->x.fo.ports[i]);
	l2tp_sink_puts(s, " or IP protocol 115");
	if (n->other[L2TP_OTHER_UDP])
		l2tp_sink_puts(s, "; if L2TP runs on another UDP port, name "
		                  "it with --port N");
	l2tp_sink_putc(s, '\n');
}

static void
summary(struct l2tp_sink *s, const struct dec *d)
{
	const struct dec_counts *n = &d->n;
	struct l2tp_reasm_stats st;

	plural(s, n->read, "packet", "packets");
	l2tp_sink_puts(s, " read, ");
	l2tp_sink_printf(s, "%" PRIu64 " L2TP: ", n->l2tp);
	l2tp_sink_printf(s, "%" PRIu64 " control", n->control);
	summary_types(s, n);
	l2tp_sink_printf(s, ", %" PRIu64 " data; ", n->data);
	l2tp_sink_printf(s,
	                 "%" PRIu64 " truncated, %" PRIu64 " malformed, "
	                 "%" PRIu64 " unsupported",
	                 n->truncated, n->malformed, n->unsupported);
	if (n->rfc)
		l2tp_sink_printf(s, ", %" PRIu64 " breaking an RFC rule",
		                 n->rfc);
	l2tp_sink_printf(s, "; %" PRIu64 " not L2TP skipped", non_l2tp(n));
	l2tp_reasm_get_stats(d->x.ra, &st);
	if (n->fragments || st.completed) {
		l2tp_sink_puts(s, "; ");
		plural(s, n->fragments, "IP fragment", "IP fragments");
		l2tp_sink_printf(s, " (%" PRIu64 " reassembled", st.completed);
		if (st.dropped)
			l2tp_sink_printf(s, ", %" PRIu64 " dropped",
			                 st.dropped);
		if (st.evicted + st.pending)
			l2tp_sink_printf(s, ", %" PRIu64 " incomplete",
			                 st.evicted + st.pending);
		l2tp_sink_putc(s, ')');
	}
	l2tp_sink_putc(s, '\n');
	summary_advice(s, d);
}

/* The summary on stdout in text modes; on stderr with -j so stdout stays
 * pure JSON lines. */
static void
print_summary(struct dec *d, FILE *err)
{
	struct l2tp_sink s;

	if (d->o->format != CLI_FMT_JSON) {
		summary(&d->out, d);
		l2tp_sink_flush(&d->out);
		return;
	}
	l2tp_sink_flush(&d->out);
	l2tp_sink_init(&s, NULL);
	summary(&s, d);
	if (s.len)
		fwrite(s.buf, 1, s.len, err);
	l2tp_sink_free(&s);
}

/* ---- the loop ---- */

static int
dec_loop(struct dec *d)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	while (!dec_stop) {
		if (d->o->count > 0 && d->n.read >= (uint64_t)d->o->count)
			return 0;
		rc = pcap_next_ex(d->p, &h, &data);
		if (rc == 1) {
			dec_packet(d, h, data);
			if (d->live) {
				int64_t t = (int64_t)h->ts.tv_sec * 1000000 +
				            h->ts.tv_usec;

				if (t - d->last_flush_usec >= LIVE_FLUSH_USEC) {
					l2tp_sink_flush(&d->out);
					d->last_flush_usec = t;
				}
			}
			continue;
		}
		if (rc == 0) { /* live: the timeout passed */
			l2tp_sink_flush(&d->out);
			continue;
		}
		if (rc == PCAP_ERROR_BREAK) /* end of file, or a signal */
			return 0;
		if (d->live)
			snprintf(d->errmsg, sizeof(d->errmsg),
			         "l2tpsh: capture on %s: %s", d->name,
			         pcap_geterr(d->p));
		else if (strstr(pcap_geterr(d->p), "truncated") != NULL)
			snprintf(d->errmsg, sizeof(d->errmsg),
			         "l2tpsh: %s: the capture is cut off after "
			         "packet %" PRIu64 " (%s)",
			         d->name, d->n.read, pcap_geterr(d->p));
		else /* a damaged record, a pcapng block libpcap refuses */
			snprintf(d->errmsg, sizeof(d->errmsg),
			         "l2tpsh: %s: cannot read past packet %" PRIu64
			         ": %s",
			         d->name, d->n.read, pcap_geterr(d->p));
		return -1;
	}
	return 0;
}

static int
dec_open(struct dec *d, FILE *err)
{
	const struct cli_decode_opts *o = d->o;
	struct src_opts so = {.path = o->path,
	                      .iface = o->iface,
	                      .filter = o->filter,
	                      .timeout_ms = LIVE_TIMEOUT_MS,
	                      .snaplen = SNAPLEN};
	char msg[PCAP_ERRBUF_SIZE + 256], warn[PCAP_ERRBUF_SIZE + 64];

	if (src_open(&d->src, &so, msg, sizeof(msg), warn, sizeof(warn)) < 0) {
		fprintf(err, "l2tpsh: %s\n", msg);
		return -1;
	}
	if (warn[0])
		fprintf(err, "l2tpsh: %s\n", warn);
	d->p = d->src.p;
	d->dlt = d->src.dlt;
	d->live = d->src.live;
	d->name = d->src.name;
	return 0;
}

int
cli_decode(const struct cli_decode_opts *o, FILE *out, FILE *err)
{
	struct dec *d;
	struct sigaction sa, old_int, old_term;
	int status = 1, rc;

	if ((d = calloc(1, sizeof(*d))) == NULL ||
	    src_l2tp_init(&d->x, o->ports, o->nports, o->secrets, o->nsecrets,
	                  o->v3_cookie_len) < 0) {
		fprintf(err, "l2tpsh: out of memory\n");
		goto out;
	}
	d->o = o;
	d->pr.tz_offset = src_tz_offset();
	d->pr.color = o->format != CLI_FMT_JSON && isatty(fileno(out)) &&
	              getenv("NO_COLOR") == NULL;
	if (o->analyze && o->iface) {
		fprintf(err, "l2tpsh: --analyze reads a capture file: record "
		             "one first (-r FILE)\n");
		goto out;
	}
	if (o->analyze && (d->an = cli_an_new(o)) == NULL) {
		fprintf(err, "l2tpsh: out of memory\n");
		goto out;
	}
	if (dec_open(d, err) < 0)
		goto out;

	l2tp_sink_init(&d->out, out);
	/*
	 * Ctrl-C or SIGTERM ends a live capture, and a long file too (also
	 * inside the shell), with the summary of what was read.
	 */
	dec_stop = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = dec_on_signal;
	sigemptyset(&sa.sa_mask);
	dec_live = d->live ? d->p : NULL;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	rc = dec_loop(d);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	dec_live = NULL;
	if (dec_stop && !d->live) {
		snprintf(d->errmsg, sizeof(d->errmsg),
		         "l2tpsh: %s: interrupted after packet %" PRIu64,
		         d->name, d->n.read);
		rc = -1;
	}
	if (d->an)
		cli_an_report(d->an, &d->out, o->format == CLI_FMT_JSON,
		              d->pr.color, cli_an_width(out));
	print_summary(d, err);
	l2tp_sink_free(&d->out);
	if (d->errmsg[0]) {
		fflush(out);
		fprintf(err, "%s\n", d->errmsg);
	}
	status = rc < 0 ? 1 : 0;
out:
	if (d != NULL) {
		src_close(&d->src);
		src_l2tp_free(&d->x);
		if (o->analysis != NULL && d->an != NULL && status == 0) {
			cli_an_detach(d->an);
			*o->analysis = d->an;
		} else
			cli_an_free(d->an);
		free(d);
	}
	return status;
}
