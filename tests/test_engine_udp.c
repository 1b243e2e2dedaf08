/* Tests of the UDP transport under the engine: address parsing, IPv4 and IPv6
 * loopback sockets, errors (RFC 2661 §8.1). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <criterion/criterion.h>

#include "cli/udp.h"

Test(engine_udp, parse_addresses)
{
	struct l2tp_addr a;
	char err[200], b[64];

	cr_assert_eq(udp_parse_addr("127.0.0.1", 1701, &a, err, sizeof(err)),
	             0);
	cr_assert_eq(a.family, L2TP_AF_INET);
	cr_assert_eq(a.port, 1701);
	cr_assert_str_eq(udp_addr_str(&a, b, sizeof(b)), "127.0.0.1:1701");
	cr_assert_eq(udp_parse_addr("10.1.2.3:99", 1701, &a, err, sizeof(err)),
	             0);
	cr_assert_eq(a.port, 99);
	cr_assert_eq(udp_parse_addr("::1", 1701, &a, err, sizeof(err)), 0);
	cr_assert_eq(a.family, L2TP_AF_INET6);
	cr_assert_str_eq(udp_addr_str(&a, b, sizeof(b)), "[::1]:1701");
	cr_assert_eq(udp_parse_addr("[::1]:5", 1701, &a, err, sizeof(err)), 0);
	cr_assert_eq(a.port, 5);
	cr_assert_eq(udp_parse_addr("localhost", 1, &a, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "not an IPv4 or IPv6 address"));
	cr_assert_eq(udp_parse_addr("1.2.3.4:70000", 1, &a, err, sizeof(err)),
	             -1);
	cr_assert_not_null(strstr(err, "0..65535"));
	cr_assert_eq(udp_parse_addr("[::1", 1, &a, err, sizeof(err)), -1);
	cr_assert_eq(udp_parse_addr("", 1, &a, err, sizeof(err)), -1);
}

static void
roundtrip(const char *bind_text)
{
	struct udp_sock s1, s2;
	struct l2tp_addr a, from;
	char err[200];
	uint8_t buf[64];
	struct pollfd p;
	long n;
	int trunc = 0;

	cr_assert_eq(udp_parse_addr(bind_text, 0, &a, err, sizeof(err)), 0);
	cr_assert_eq(udp_open(&s1, &a, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(udp_open(&s2, &a, err, sizeof(err)), 0, "%s", err);
	cr_assert_neq(s1.local.port, 0);
	/* Nothing waiting: 0, not a block. */
	cr_assert_eq(udp_recv(&s1, buf, sizeof(buf), &from, &trunc), 0);
	cr_assert_eq(udp_send(&s2, &s1.local, (const uint8_t *)"hello", 5), 0);
	p.fd = s1.fd;
	p.events = POLLIN;
	cr_assert_eq(poll(&p, 1, 2000), 1);
	n = udp_recv(&s1, buf, sizeof(buf), &from, &trunc);
	cr_assert_eq(n, 5);
	cr_assert_eq(memcmp(buf, "hello", 5), 0);
	cr_assert(l2tp_addr_eq(&from, &s2.local, true));
	/* The same port again: a clear "address in use". */
	struct udp_sock s3;

	cr_assert_lt(udp_open(&s3, &s1.local, err, sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "address in use"), "%s", err);
	cr_assert_eq(s3.fd, -1);
	udp_close(&s1);
	udp_close(&s2);
	cr_assert_eq(s1.fd, -1);
}

Test(engine_udp, ipv4_loopback)
{
	roundtrip("127.0.0.1");
}

Test(engine_udp, ipv6_loopback)
{
	struct udp_sock s;
	struct l2tp_addr a;
	char err[200];

	udp_parse_addr("::1", 0, &a, err, sizeof(err));
	if (udp_open(&s, &a, err, sizeof(err)) < 0)
		cr_skip_test("no IPv6 loopback here: %s", err);
	udp_close(&s);
	roundtrip("::1");
}

Test(engine_udp, bind_errors_are_clear)
{
	struct udp_sock s;
	struct l2tp_addr a;
	char err[200];

	/* 192.0.2.1 (TEST-NET-1) is no address of this machine. */
	udp_parse_addr("192.0.2.1", 0, &a, err, sizeof(err));
	cr_assert_lt(udp_open(&s, &a, err, sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "not an address of this machine"), "%s",
	                   err);
	memset(&a, 0, sizeof(a));
	cr_assert_eq(udp_open(&s, &a, err, sizeof(err)), -EINVAL);
}

/*
 * A datagram whose UDP checksum is 0 ("none", which RFC 768 allows over
 * IPv4 and RFC 6936 lets a receiver accept over IPv6) reaches the
 * transport.  Sent from a raw socket so that the checksum stays 0; needs
 * CAP_NET_RAW, skipped without it.
 */
static void
zero_checksum(const char *bind_text, int family)
{
	struct udp_sock s;
	struct l2tp_addr a, from;
	char err[200];
	uint8_t pkt[8 + 5] = {0}, buf[64];
	struct sockaddr_storage ss;
	socklen_t sl;
	struct pollfd p;
	int raw, trunc = 0;
	long n;

	cr_assert_eq(udp_parse_addr(bind_text, 0, &a, err, sizeof(err)), 0);
	if (udp_open(&s, &a, err, sizeof(err)) < 0)
		cr_skip_test("%s unavailable: %s", bind_text, err);
	raw = socket(family, SOCK_RAW, IPPROTO_UDP);
	if (raw < 0) {
		udp_close(&s);
		cr_skip_test("no raw socket (%s): needs CAP_NET_RAW",
		             strerror(errno));
	}
	pkt[0] = 0x9c; /* source port 40000 */
	pkt[1] = 0x40;
	pkt[2] = (uint8_t)(s.local.port >> 8);
	pkt[3] = (uint8_t)s.local.port;
	pkt[5] = sizeof(pkt);
	/* pkt[6..7]: checksum 0 */
	memcpy(pkt + 8, "zero!", 5);
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, a.addr, 4);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, a.addr, 16);
		sl = sizeof(*sin6);
	}
	cr_assert_eq(
	    sendto(raw, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, sl),
	    (ssize_t)sizeof(pkt), "%s", strerror(errno));
	close(raw);
	p.fd = s.fd;
	p.events = POLLIN;
	cr_assert_eq(poll(&p, 1, 5000), 1, "checksum-0 datagram not received");
	n = udp_recv(&s, buf, sizeof(buf), &from, &trunc);
	cr_assert_eq(n, 5);
	cr_assert_eq(memcmp(buf, "zero!", 5), 0);
	cr_assert_eq(from.port, 40000);
	udp_close(&s);
}

Test(engine_udp, zero_checksum_accepted_ipv4)
{
	zero_checksum("127.0.0.1", AF_INET);
}

Test(engine_udp, zero_checksum_accepted_ipv6)
{
	zero_checksum("::1", AF_INET6);
}

/*
 * The engine is sans-I/O: no file under engine/ includes a socket, clock
 * or random-source header or calls one (randomness comes through the
 * config's injected function; time and datagrams through the API).
 */
Test(engine_udp, engine_sources_touch_no_socket_clock_or_random)
{
	static const char *const headers[] = {
	    "<sys/socket.h>", "<netinet/",        "<arpa/inet.h>",
	    "<netdb.h>",      "<time.h>",         "<sys/time.h>",
	    "<sys/random.h>", "<openssl/rand.h>", "<unistd.h>",
	    "<poll.h>"};
	static const char *const calls[] = {
	    "socket",        "bind",         "sendto",  "recvfrom",
	    "send",          "recv",         "connect", "time",
	    "clock_gettime", "gettimeofday", "clock",   "rand",
	    "srand",         "random",       "srandom", "getrandom",
	    "arc4random",    "RAND_bytes",   "read",    "write",
	    "open",          "fopen",        "sleep",   "usleep",
	    "poll",          "select"};
	char dir[4096], path[4200];
	DIR *d;
	struct dirent *de;
	int files = 0;

	snprintf(dir, sizeof(dir), "%s/../../engine", TESTDATA);
	d = opendir(dir);
	cr_assert_not_null(d, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);
		FILE *f;
		char *src;
		long len;

		if (nl < 3 || (strcmp(de->d_name + nl - 2, ".c") != 0 &&
		               strcmp(de->d_name + nl - 2, ".h") != 0))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		cr_assert_not_null(f, "%s", path);
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		fseek(f, 0, SEEK_SET);
		src = calloc(1, (size_t)len + 1);
		cr_assert_not_null(src);
		cr_assert_eq(fread(src, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		files++;
		for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]);
		     i++)
			cr_assert_null(strstr(src, headers[i]),
			               "%s includes %s", de->d_name,
			               headers[i]);
		for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
			size_t cl = strlen(calls[i]);

			for (const char *p = strstr(src, calls[i]); p;
			     p = strstr(p + 1, calls[i])) {
				char before = p == src ? ' ' : p[-1];

				/* A call: "name(" not part of a longer name,
				 * a member or a string. */
				if (p[cl] != '(' ||
				    isalnum((unsigned char)before) ||
				    before == '_' || before == '.' ||
				    before == '>' || before == '"')
					continue;
				cr_assert_fail("%s calls %s()", de->d_name,
				               calls[i]);
			}
		}
		free(src);
	}
	closedir(d);
	cr_assert_geq(files, 5, "only %d engine sources found in %s", files,
	              dir);
}
