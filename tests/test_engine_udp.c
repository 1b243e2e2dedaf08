/* Tests of the UDP transport under the engine: address parsing, IPv4 and IPv6 loopback sockets, errors (RFC 2661 §8.1). */
#include <errno.h>
#include <poll.h>
#include <string.h>

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
	cr_assert_eq(udp_send(&s2, &s1.local, (const uint8_t *)"hello", 5),
	    0);
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
	cr_assert_not_null(strstr(err, "not an address of this machine"),
	    "%s", err);
	memset(&a, 0, sizeof(a));
	cr_assert_eq(udp_open(&s, &a, err, sizeof(err)), -EINVAL);
}
