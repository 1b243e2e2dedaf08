/* Recording the shell's datagrams to a pcap file: each L2TP message in raw
 * IPv4/IPv6 and UDP headers (RFC 791, 8200, 768). */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "cli/record.h"

#define REC_SNAP 65535

struct rec {
	pcap_t *p;
	pcap_dumper_t *d;
	uint64_t n;
	char path[1024];
	uint8_t frame[REC_SNAP + 48];
};

struct rec *
rec_open(const char *path, char *err, size_t errlen)
{
	struct rec *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/* LINKTYPE_RAW: each frame starts with its IP header. */
	if ((r->p = pcap_open_dead(DLT_RAW, REC_SNAP)) == NULL) {
		snprintf(err, errlen, "libpcap cannot make a raw-IP writer");
		free(r);
		return NULL;
	}
	errno = 0;
	if ((r->d = pcap_dump_open(r->p, path)) == NULL) {
		int e = errno;

		/* Say what would work, not only what failed. */
		snprintf(err, errlen, "%s (%s)", pcap_geterr(r->p),
		         e == ENOENT ? "give a file in a directory that exists"
		         : e == EACCES || e == EPERM || e == EROFS
		             ? "give a file in a directory you may write"
		         : e == EISDIR ? "give a file name, not a directory"
		                       : "give another file");
		pcap_close(r->p);
		free(r);
		return NULL;
	}
	snprintf(r->path, sizeof(r->path), "%s", path);
	return r;
}

static uint32_t
sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)(p[n - 1] << 8);
	return s;
}

static uint16_t
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void
be16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void
rec_packet(struct rec *r, const struct l2tp_addr *src,
           const struct l2tp_addr *dst, const uint8_t *payload, size_t len)
{
	struct pcap_pkthdr h;
	uint8_t *f, *u;
	size_t ip, ulen = 8 + len;

	if (r == NULL || src == NULL || dst == NULL || len > REC_SNAP - 48)
		return;
	f = r->frame;
	ip = src->family == L2TP_AF_INET6 ? 40 : 20;
	memset(f, 0, ip + 8);
	if (ip == 20) {
		f[0] = 0x45;
		be16(f + 2, (unsigned)(ip + ulen));
		f[8] = 64;
		f[9] = 17;
		memcpy(f + 12, src->addr, 4);
		memcpy(f + 16, dst->addr, 4);
		be16(f + 10, fold(sum16(f, 20, 0)));
	} else {
		f[0] = 0x60;
		be16(f + 4, (unsigned)ulen);
		f[6] = 17;
		f[7] = 64;
		memcpy(f + 8, src->addr, 16);
		memcpy(f + 24, dst->addr, 16);
	}
	u = f + ip;
	be16(u, src->port);
	be16(u + 2, dst->port);
	be16(u + 4, (unsigned)ulen);
	memcpy(u + 8, payload, len);
	if (ip == 40) {
		/* IPv6 needs the UDP checksum: pseudo-header, then UDP. */
		uint32_t s = sum16(f + 8, 32, 0) + (uint32_t)ulen + 17;
		uint16_t c = fold(sum16(u, ulen, s));

		be16(u + 6, c ? c : 0xffff);
	}
	gettimeofday(&h.ts, NULL);
	h.caplen = h.len = (bpf_u_int32)(ip + ulen);
	pcap_dump((u_char *)r->d, &h, f);
	r->n++;
}

uint64_t
rec_count(const struct rec *r)
{
	return r ? r->n : 0;
}

const char *
rec_path(const struct rec *r)
{
	return r ? r->path : "";
}

int
rec_close(struct rec *r)
{
	int rc;

	if (r == NULL)
		return 0;
	rc = pcap_dump_flush(r->d);
	pcap_dump_close(r->d);
	pcap_close(r->p);
	free(r);
	return rc == 0 ? 0 : -1;
}
