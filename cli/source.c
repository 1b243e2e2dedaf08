/* One pcap source: a file or an interface opened, checked and filtered the
 * same way for every reader, and each packet's L2TP found, parsed and
 * unhidden the same way. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/source.h"

#define SRC_SNAPLEN 262144
#define SRC_SCRATCH 65536
#define SRC_READ_BUFFER (256 * 1024)

long
src_tz_offset(void)
{
	time_t now = time(NULL);
	struct tm lt;

	/* Once per run: a capture spanning a DST change keeps the offset of
	 * the start, as tcpdump does. */
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

#define NOT_A_CAPTURE                                                          \
	"%s: is not a pcap or pcapng capture file (write one with tcpdump "    \
	"-w or dumpcap; convert other formats with editcap -F pcap)"

/*
 * Check what the file is before libpcap sees it, so each failure gets its
 * own words.  Returns 0 with the stream back at the start, or -1 with the
 * reason in err.
 */
static int
check_file(const char *path, FILE *fp, char *err, size_t len)
{
	struct stat st;
	uint8_t b[28];
	size_t n;

	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, len, "%s: is a directory, not a capture file",
		         path);
		return -1;
	}
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode))
		return 0; /* a pipe: libpcap's own words will do */
	n = fread(b, 1, sizeof(b), fp);
	if (ferror(fp)) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (n == 0) {
		snprintf(err, len, "%s: is empty, not a capture file", path);
		return -1;
	}
	switch (magic_of(b, n)) {
	case MAGIC_PCAP:
		if (n < 24) {
			snprintf(err, len,
			         "%s: the pcap file header is cut off (%zu of "
			         "24 bytes)",
			         path, n);
			return -1;
		}
		break;
	case MAGIC_PCAPNG:
		if (n < 28) {
			snprintf(err, len,
			         "%s: the pcapng section header is cut off "
			         "(%zu of 28 bytes)",
			         path, n);
			return -1;
		}
		break;
	case MAGIC_GZIP:
		snprintf(err, len,
		         "%s: is gzip-compressed: decompress it first "
		         "(gunzip)",
		         path);
		return -1;
	case MAGIC_NONE:
		snprintf(err, len, NOT_A_CAPTURE, path);
		return -1;
	}
	rewind(fp);
	return 0;
}

static pcap_t *
open_file(const char *path, char *err, size_t len)
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
			snprintf(err, len, "%s: no such file", path);
			break;
		case EACCES:
			snprintf(err, len,
			         "%s: permission denied (check its mode, or "
			         "read it as a user allowed to)",
			         path);
			break;
		case ENOTDIR:
			snprintf(err, len,
			         "%s: no such file (a part of the path is not "
			         "a directory)",
			         path);
			break;
		default:
			snprintf(err, len, "%s: %s", path, strerror(errno));
		}
		return NULL;
	}
	/* libpcap reads record by record: fewer, larger reads. */
	setvbuf(fp, NULL, _IOFBF, SRC_READ_BUFFER);
	if (check_file(path, fp, err, len) < 0) {
		if (fp != stdin)
			fclose(fp);
		return NULL;
	}
	ebuf[0] = '\0';
	p = pcap_fopen_offline_with_tstamp_precision(
	    fp, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (p == NULL) {
		if (strstr(ebuf, "unknown file format") != NULL)
			snprintf(err, len, NOT_A_CAPTURE, path);
		else if (strstr(ebuf, "truncated") != NULL &&
		         strstr(ebuf, "only got 0") != NULL)
			snprintf(err, len, "%s: is empty, not a capture file",
			         path);
		else if (strstr(ebuf, "truncated") != NULL)
			snprintf(err, len,
			         "%s: the capture file header is cut off",
			         path);
		else
			snprintf(err, len, "%s: %s", path, ebuf);
		if (fp != stdin)
			fclose(fp);
		return NULL;
	}
	return p;
}

/* ---- an interface ---- */

static pcap_t *
open_live(const struct src_opts *o, char *err, size_t len, char *warn,
          size_t wlen)
{
	const char *iface = o->iface;
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	int rc;

	ebuf[0] = '\0';
	if ((p = pcap_create(iface, ebuf)) == NULL) {
		snprintf(err, len, "%s: %s", iface,
		         *ebuf ? ebuf : "out of memory");
		return NULL;
	}
	pcap_set_snaplen(p, o->snaplen > 0 ? o->snaplen : SRC_SNAPLEN);
	pcap_set_promisc(p, 1);
	if (o->immediate)
		pcap_set_immediate_mode(p, 1);
	else
		pcap_set_timeout(p, o->timeout_ms > 0 ? o->timeout_ms : 100);
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_MICRO);
	rc = pcap_activate(p);
	if (rc < 0) {
		switch (rc) {
		case PCAP_ERROR_PERM_DENIED:
		case PCAP_ERROR_PROMISC_PERM_DENIED:
			snprintf(err, len,
			         "capture on %s: permission denied: run as "
			         "root or give l2tpsh CAP_NET_RAW (setcap "
			         "cap_net_raw,cap_net_admin=eip)",
			         iface);
			break;
		case PCAP_ERROR_NO_SUCH_DEVICE:
			snprintf(err, len,
			         "%s: no such interface (list them with 'ip "
			         "link')",
			         iface);
			break;
		case PCAP_ERROR_IFACE_NOT_UP:
			snprintf(err, len,
			         "%s: the interface is down (ip link set %s "
			         "up)",
			         iface, iface);
			break;
		default:
			snprintf(err, len, "capture on %s: %s", iface,
			         rc == PCAP_ERROR && pcap_geterr(p)[0]
			             ? pcap_geterr(p)
			             : pcap_statustostr(rc));
		}
		pcap_close(p);
		return NULL;
	}
	if (rc > 0)
		snprintf(warn, wlen, "%s: warning: %s", iface,
		         rc == PCAP_WARNING && pcap_geterr(p)[0]
		             ? pcap_geterr(p)
		             : pcap_statustostr(rc));
	return p;
}

/* The filter, compiled with the interface's netmask when live (for
 * "ip broadcast"); the program is freed on every path. */
static int
set_filter(struct src *s, const struct src_opts *o, char *err, size_t len)
{
	struct bpf_program prog;
	bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
	char ebuf[PCAP_ERRBUF_SIZE];
	int rc;

	if (o->filter == NULL || o->filter[0] == '\0')
		return 0;
	if (s->live && pcap_lookupnet(o->iface, &net, &mask, ebuf) < 0)
		mask = PCAP_NETMASK_UNKNOWN;
	if (pcap_compile(s->p, &prog, o->filter, 1, mask) < 0) {
		snprintf(err, len, "filter '%s': %s; see pcap-filter(7)",
		         o->filter, pcap_geterr(s->p));
		return -1;
	}
	rc = pcap_setfilter(s->p, &prog);
	pcap_freecode(&prog);
	if (rc < 0) {
		snprintf(err, len, "filter '%s': %s", o->filter,
		         pcap_geterr(s->p));
		return -1;
	}
	return 0;
}

int
src_open(struct src *s, const struct src_opts *o, char *err, size_t len,
         char *warn, size_t wlen)
{
	memset(s, 0, sizeof(*s));
	if (wlen)
		warn[0] = '\0';
	if (o->iface) {
		s->live = true;
		s->name = o->iface;
		s->p = open_live(o, err, len, warn, wlen);
	} else if (o->path) {
		s->name =
		    strcmp(o->path, "-") == 0 ? "standard input" : o->path;
		s->p = open_file(o->path, err, len);
	} else {
		snprintf(err, len,
		         "nothing to decode: give -r FILE or -i IFACE");
		return -1;
	}
	if (s->p == NULL)
		return -1;
	s->dlt = pcap_datalink(s->p);
	if (l2tp_frame_link_name(s->dlt) == NULL) {
		const char *nm = pcap_datalink_val_to_name(s->dlt);

		snprintf(err, len,
		         "%s: link type %s (%d) is not supported; l2tpsh "
		         "reads Ethernet, Linux cooked (SLL, SLL2), raw IP, "
		         "BSD loopback, PPP and Cisco HDLC",
		         s->name, nm ? nm : "unknown", s->dlt);
		src_close(s);
		return -1;
	}
	if (set_filter(s, o, err, len) < 0) {
		src_close(s);
		return -1;
	}
	return 0;
}

void
src_close(struct src *s)
{
	if (s->p)
		pcap_close(s->p);
	s->p = NULL;
}

/* ---- the L2TP in each packet ---- */

int
src_l2tp_init(struct src_l2tp *x, const uint16_t *ports, size_t nports,
              const char *const *secrets, size_t nsecrets,
              uint8_t v3_cookie_len)
{
	memset(x, 0, sizeof(*x));
	for (size_t i = 0; i < nports; i++)
		src_l2tp_add_port(x, ports[i]);
	x->fo.ports = x->ports;
	for (size_t i = 0; i < nsecrets && i < SRC_MAX_SECRETS; i++)
		x->secrets[x->nsecrets++] = secrets[i];
	x->po.v3_cookie_len = v3_cookie_len;
	if ((x->ra = l2tp_reasm_new()) == NULL ||
	    (x->m = malloc(sizeof(*x->m))) == NULL ||
	    (x->scratch = malloc(SRC_SCRATCH)) == NULL) {
		src_l2tp_free(x);
		return -1;
	}
	return 0;
}

void
src_l2tp_free(struct src_l2tp *x)
{
	if (x->ra)
		l2tp_reasm_free(x->ra);
	free(x->m);
	free(x->scratch);
	x->ra = NULL;
	x->m = NULL;
	x->scratch = NULL;
}

void
src_l2tp_add_port(struct src_l2tp *x, uint16_t port)
{
	for (size_t i = 0; i < x->fo.nports; i++)
		if (x->ports[i] == port)
			return;
	if (x->fo.nports < SRC_MAX_PORTS)
		x->ports[x->fo.nports++] = port;
}

enum l2tp_frame_kind
src_l2tp_packet(struct src_l2tp *x, int dlt, const struct pcap_pkthdr *h,
                const uint8_t *data, uint64_t frame, struct l2tp_pkt_meta *meta,
                int *rc)
{
	l2tp_frame_decode(dlt, data, h->caplen, h->len, &x->fo, x->ra, &x->fr);
	meta->frame = frame;
	meta->ts_sec = (int64_t)h->ts.tv_sec;
	meta->ts_usec = (uint32_t)h->ts.tv_usec;
	meta->fr = &x->fr;
	*rc = -1;
	if (x->fr.kind != L2TP_FRAME_L2TP)
		return x->fr.kind;
	*rc = l2tp_parse(x->fr.l2tp, x->fr.caplen, x->fr.wirelen,
	                 x->fr.transport, &x->po, x->m);
	if (*rc == 0 && x->m->control && x->nsecrets > 0)
		l2tp_unhide(x->m, x->secrets, x->nsecrets, x->scratch,
		            SRC_SCRATCH);
	return x->fr.kind;
}
