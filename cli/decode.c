/* l2tpsh -r FILE / -i IFACE: libpcap, filter, summary (RFC 2661 §8.1). */
#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/analyze.h"
#include "cli/cli.h"
#include "decoder/frame.h"
#include "decoder/l2tp.h"
#include "decoder/print.h"
#include "decoder/proto.h"

#define SNAPLEN 262144
#define LIVE_TIMEOUT_MS 100
#define LIVE_FLUSH_USEC 200000
#define SCRATCH_LEN 65536
#define READ_BUFFER (256 * 1024)

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
	struct l2tp_frame_opts fo;
	struct l2tp_parse_opts po;
	struct l2tp_print_opts pr;
	struct l2tp_reasm *ra;
	struct l2tp_msg *m;
	uint8_t *scratch;
	struct l2tp_frame fr;
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

/* Seconds east of UTC, once per run (a capture spanning a DST change keeps
 * the offset of the start, as tcpdump does). */
static long
tz_offset_now(void)
{
	time_t now = time(NULL);
	struct tm lt;

	tzset();
	if (localtime_r(&now, &lt) == NULL)
		return 0;
	return lt.tm_gmtoff;
}

/* ---- opening a file ---- */

enum magic_kind { MAGIC_NONE, MAGIC_PCAP, MAGIC_PCAPNG, MAGIC_GZIP };

static enum magic_kind
magic_of(const uint8_t *b, size_t n)
{
	static const uint32_t pcap_magics[] = {
	    0xa1b2c3d4, 0xd4c3b2a1, /* microseconds */
	    0xa1b23c4d, 0x4d3cb2a1, /* nanoseconds */
	    0xa1b2cd34, 0x34cdb2a1, /* Kuznetzov's modified pcap */
	};
	uint32_t m;

	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return MAGIC_GZIP;
	if (n < 4)
		return MAGIC_NONE;
	m = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
	    b[3];
	if (m == 0x0a0d0d0a)
		return MAGIC_PCAPNG;
	for (size_t i = 0; i < sizeof(pcap_magics) / sizeof(pcap_magics[0]);
	     i++)
		if (m == pcap_magics[i])
			return MAGIC_PCAP;
	return MAGIC_NONE;
}

/*
 * Check what the file is before libpcap sees it, so each failure gets its
 * own words.  Returns 0 with the stream back at the start, or -1 after
 * printing one line.
 */
static int
check_file(const char *path, FILE *fp, FILE *err)
{
	struct stat st;
	uint8_t b[28];
	size_t n;

	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(err,
		        "l2tpsh: %s: is a directory, not a capture "
		        "file\n",
		        path);
		return -1;
	}
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode))
		return 0; /* a pipe: libpcap's own words will do */
	n = fread(b, 1, sizeof(b), fp);
	if (ferror(fp)) {
		fprintf(err, "l2tpsh: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (n == 0) {
		fprintf(err, "l2tpsh: %s: is empty, not a capture file\n",
		        path);
		return -1;
	}
	switch (magic_of(b, n)) {
	case MAGIC_PCAP:
		if (n < 24) {
			fprintf(err,
			        "l2tpsh: %s: the pcap file header is cut "
			        "off (%zu of 24 bytes)\n",
			        path, n);
			return -1;
		}
		break;
	case MAGIC_PCAPNG:
		if (n < 28) {
			fprintf(err,
			        "l2tpsh: %s: the pcapng section header "
			        "is cut off (%zu of 28 bytes)\n",
			        path, n);
			return -1;
		}
		break;
	case MAGIC_GZIP:
		fprintf(err,
		        "l2tpsh: %s: is gzip-compressed: decompress it "
		        "first (gunzip)\n",
		        path);
		return -1;
	case MAGIC_NONE:
		fprintf(err,
		        "l2tpsh: %s: is not a pcap or pcapng capture "
		        "file (write one with tcpdump -w or dumpcap; convert "
		        "other formats with editcap -F pcap)\n",
		        path);
		return -1;
	}
	rewind(fp);
	return 0;
}

static pcap_t *
open_file(const char *path, FILE *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	FILE *fp;
	pcap_t *p;

	if (strcmp(path, "-") == 0) {
		fp = stdin;
		path = "standard input";
	} else if ((fp = fopen(path, "rb")) == NULL) {
		switch (errno) {
		case ENOENT:
			fprintf(err, "l2tpsh: %s: no such file\n", path);
			break;
		case EACCES:
			fprintf(
			    err,
			    "l2tpsh: %s: permission denied (check its mode, "
			    "or read it as a user allowed to)\n",
			    path);
			break;
		case ENOTDIR:
			fprintf(err,
			        "l2tpsh: %s: no such file (a part of the "
			        "path is not a directory)\n",
			        path);
			break;
		default:
			fprintf(err, "l2tpsh: %s: %s\n", path, strerror(errno));
		}
		return NULL;
	}
	/* libpcap reads record by record: fewer, larger reads. */
	setvbuf(fp, NULL, _IOFBF, READ_BUFFER);
	if (check_file(path, fp, err) < 0) {
		if (fp != stdin)
			fclose(fp);
		return NULL;
	}
	ebuf[0] = '\0';
	p = pcap_fopen_offline_with_tstamp_precision(
	    fp, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (p == NULL) {
		if (strstr(ebuf, "unknown file format") != NULL)
			fprintf(
			    err,
			    "l2tpsh: %s: is not a pcap or pcapng "
			    "capture file (write one with tcpdump -w or "
			    "dumpcap; convert other formats with editcap -F "
			    "pcap)\n",
			    path);
		else if (strstr(ebuf, "truncated") != NULL &&
		         strstr(ebuf, "only got 0") != NULL)
			fprintf(err,
			        "l2tpsh: %s: is empty, not a capture "
			        "file\n",
			        path);
		else if (strstr(ebuf, "truncated") != NULL)
			fprintf(err,
			        "l2tpsh: %s: the capture file header is "
			        "cut off\n",
			        path);
		else
			fprintf(err, "l2tpsh: %s: %s\n", path, ebuf);
		if (fp != stdin)
			fclose(fp);
		return NULL;
	}
	return p;
}

/* ---- live capture ---- */

static pcap_t *
open_live(const char *iface, FILE *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	int rc;

	ebuf[0] = '\0';
	if ((p = pcap_create(iface, ebuf)) == NULL) {
		fprintf(err, "l2tpsh: %s: %s\n", iface, ebuf);
		return NULL;
	}
	pcap_set_snaplen(p, SNAPLEN);
	pcap_set_promisc(p, 1);
	pcap_set_timeout(p, LIVE_TIMEOUT_MS);
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_MICRO);
	rc = pcap_activate(p);
	if (rc < 0) {
		switch (rc) {
		case PCAP_ERROR_PERM_DENIED:
		case PCAP_ERROR_PROMISC_PERM_DENIED:
			fprintf(
			    err,
			    "l2tpsh: capture on %s: permission "
			    "denied: run as root or give l2tpsh CAP_NET_RAW "
			    "(setcap cap_net_raw,cap_net_admin=eip)\n",
			    iface);
			break;
		case PCAP_ERROR_NO_SUCH_DEVICE:
			fprintf(err,
			        "l2tpsh: %s: no such interface (list "
			        "them with 'ip link')\n",
			        iface);
			break;
		case PCAP_ERROR_IFACE_NOT_UP:
			fprintf(err,
			        "l2tpsh: %s: the interface is down (ip "
			        "link set %s up)\n",
			        iface, iface);
			break;
		default:
			fprintf(err, "l2tpsh: capture on %s: %s\n", iface,
			        rc == PCAP_ERROR && pcap_geterr(p)[0]
			            ? pcap_geterr(p)
			            : pcap_statustostr(rc));
		}
		pcap_close(p);
		return NULL;
	}
	if (rc > 0)
		fprintf(err, "l2tpsh: %s: warning: %s\n", iface,
		        rc == PCAP_WARNING && pcap_geterr(p)[0]
		            ? pcap_geterr(p)
		            : pcap_statustostr(rc));
	return p;
}

static int
set_filter(struct dec *d, FILE *err)
{
	struct bpf_program prog;
	bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
	char ebuf[PCAP_ERRBUF_SIZE];

	if (d->o->filter == NULL || d->o->filter[0] == '\0')
		return 0;
	if (d->live && pcap_lookupnet(d->o->iface, &net, &mask, ebuf) < 0)
		mask = PCAP_NETMASK_UNKNOWN;
	if (pcap_compile(d->p, &prog, d->o->filter, 1, mask) < 0) {
		fprintf(err, "l2tpsh: filter '%s': %s; see pcap-filter(7)\n",
		        d->o->filter, pcap_geterr(d->p));
		return -1;
	}
	if (pcap_setfilter(d->p, &prog) < 0) {
		fprintf(err, "l2tpsh: filter '%s': %s\n", d->o->filter,
		        pcap_geterr(d->p));
		pcap_freecode(&prog);
		return -1;
	}
	pcap_freecode(&prog);
	return 0;
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
dec_l2tp(struct dec *d, const struct l2tp_pkt_meta *meta)
{
	struct l2tp_msg *m = d->m;
	struct dec_counts *n = &d->n;
	int rc;

	n->l2tp++;
	rc = l2tp_parse(d->fr.l2tp, d->fr.caplen, d->fr.wirelen,
	                d->fr.transport, &d->po, m);
	if (rc == 0 && m->control && d->o->nsecrets > 0)
		l2tp_unhide(m, d->o->secrets, d->o->nsecrets, d->scratch,
		            SCRATCH_LEN);
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
	struct l2tp_frame *fr = &d->fr;
	struct dec_counts *n = &d->n;
	struct l2tp_pkt_meta meta;

	n->read++;
	l2tp_frame_decode(d->dlt, data, h->caplen, h->len, &d->fo, d->ra, fr);
	meta.frame = n->read;
	meta.ts_sec = (int64_t)h->ts.tv_sec;
	meta.ts_usec = (uint32_t)h->ts.tv_usec;
	meta.fr = fr;
	switch (fr->kind) {
	case L2TP_FRAME_L2TP:
		dec_l2tp(d, &meta);
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
	if (d->fo.nports == 0)
		l2tp_sink_printf(s, " %u", L2TP_PORT);
	for (size_t i = 0; i < d->fo.nports; i++)
		l2tp_sink_printf(s, "%s %u", i ? "," : "", d->fo.ports[i]);
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
	l2tp_reasm_get_stats(d->ra, &st);
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

	if (o->iface) {
		d->live = true;
		d->name = o->iface;
		d->p = open_live(o->iface, err);
	} else if (o->path) {
		d->name =
		    strcmp(o->path, "-") == 0 ? "standard input" : o->path;
		d->p = open_file(o->path, err);
	} else {
		fprintf(err, "l2tpsh: nothing to decode: give -r FILE or -i "
		             "IFACE\n");
		return -1;
	}
	if (d->p == NULL)
		return -1;
	d->dlt = pcap_datalink(d->p);
	if (l2tp_frame_link_name(d->dlt) == NULL) {
		const char *nm = pcap_datalink_val_to_name(d->dlt);

		fprintf(
		    err,
		    "l2tpsh: %s: link type %s (%d) is not supported; "
		    "l2tpsh reads Ethernet, Linux cooked (SLL, SLL2), raw IP, "
		    "BSD loopback, PPP and Cisco HDLC\n",
		    d->name, nm ? nm : "unknown", d->dlt);
		return -1;
	}
	return set_filter(d, err);
}

int
cli_decode(const struct cli_decode_opts *o, FILE *out, FILE *err)
{
	struct dec *d;
	struct sigaction sa, old_int, old_term;
	int status = 1, rc;

	if ((d = calloc(1, sizeof(*d))) == NULL ||
	    (d->m = malloc(sizeof(*d->m))) == NULL ||
	    (d->ra = l2tp_reasm_new()) == NULL ||
	    (o->nsecrets > 0 && (d->scratch = malloc(SCRATCH_LEN)) == NULL)) {
		fprintf(err, "l2tpsh: out of memory\n");
		goto out;
	}
	d->o = o;
	d->fo.ports = o->ports;
	d->fo.nports = o->nports;
	d->po.v3_cookie_len = o->v3_cookie_len;
	d->pr.tz_offset = tz_offset_now();
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
		if (d->p != NULL)
			pcap_close(d->p);
		l2tp_reasm_free(d->ra);
		free(d->scratch);
		free(d->m);
		if (o->analysis != NULL && d->an != NULL && status == 0) {
			cli_an_detach(d->an);
			*o->analysis = d->an;
		} else
			cli_an_free(d->an);
		free(d);
	}
	return status;
}
