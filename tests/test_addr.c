/* Tests of decoder/addr.c: the one address formatter (IPv4 dotted decimal,
 * IPv6 as RFC 5952 §4-6 says). */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/addr.h"

static struct l2tp_ipaddr
v6(const char *text)
{
	struct l2tp_ipaddr a = {6, {0}};

	cr_assert_eq(inet_pton(AF_INET6, text, a.a), 1, "%s", text);
	return a;
}

static const char *
fmt(const struct l2tp_ipaddr *a)
{
	static char b[L2TP_IPADDR_STRLEN];
	size_t n = l2tp_ip_fmt(b, a->family, a->a);

	cr_assert_eq(n, strlen(b));
	return b;
}

/* RFC 5952 §4 and §5, one case per rule. */
Test(addr, rfc5952_forms)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    /* §4.1 leading zeros dropped; a zero group is "0" */
	    {"2001:0db8:00aa:000b:0000:0c00:0001:0abc",
	     "2001:db8:aa:b:0:c00:1:abc"},
	    /* §4.2.1 the longest run shortened as far as it goes */
	    {"2001:db8:0:0:0:0:2:1", "2001:db8::2:1"},
	    /* §4.2.2 a single zero group is not "::" */
	    {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
	    /* §4.2.3 the longest run; on a tie the first */
	    {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
	    {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
	    /* §4.3 lowercase */
	    {"2001:DB8::ABCD:EF", "2001:db8::abcd:ef"},
	    /* runs at either end, all zero, loopback */
	    {"::", "::"},
	    {"::1", "::1"},
	    {"1::", "1::"},
	    {"fe80::", "fe80::"},
	    {"0:0:1::", "0:0:1::"},
	    {"1:0:0:0:0:0:0:0", "1::"},
	    {"0:1:0:0:0:0:0:1", "0:1::1"},
	    {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	     "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
	    /* §5 IPv4-mapped in dotted decimal */
	    {"::ffff:1.2.3.4", "::ffff:1.2.3.4"},
	    {"::ffff:0:0", "::ffff:0.0.0.0"},
	    {"0:0:0:0:0:ffff:c000:0201", "::ffff:192.0.2.1"},
	    /* the deprecated IPv4-compatible form is plain hex: the same
	     * address now prints one way in lines and findings alike */
	    {"::1.2.3.4", "::102:304"},
	    {"::1:ffff:1.2.3.4", "::1:ffff:102:304"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct l2tp_ipaddr a = v6(cases[i].in);

		cr_expect_str_eq(fmt(&a), cases[i].out, "%s", cases[i].in);
	}
}

Test(addr, ipv4_and_no_family)
{
	struct l2tp_ipaddr a = {4, {0, 0, 0, 0}};
	struct l2tp_ipaddr b = {4, {255, 255, 255, 255}};
	struct l2tp_ipaddr c = {4, {10, 0, 99, 100}};
	struct l2tp_ipaddr none = {0, {0}};
	char buf[L2TP_IPADDR_STRLEN];

	cr_assert_str_eq(fmt(&a), "0.0.0.0");
	cr_assert_str_eq(fmt(&b), "255.255.255.255");
	cr_assert_str_eq(fmt(&c), "10.0.99.100");
	cr_assert_str_eq(fmt(&none), "?");
	cr_assert_str_eq(l2tp_ipaddr_str(&none, buf, sizeof(buf)), "-");
	cr_assert_str_eq(l2tp_ipaddr_str(&c, buf, sizeof(buf)), "10.0.99.100");
	/* a short buffer cuts, always NUL-terminated */
	cr_assert_str_eq(l2tp_ipaddr_str(&c, buf, 5), "10.0");
}

/* The text analysis findings and engine events use (l2tp_ipaddr_str) is
 * the decode lines' text: once ::1.2.3.4 there, ::102:304 here. */
Test(addr, findings_and_lines_agree)
{
	struct l2tp_ipaddr a = v6("::1.2.3.4");
	struct l2tp_sink s;
	char buf[L2TP_IPADDR_STRLEN];

	l2tp_ipaddr_str(&a, buf, sizeof(buf));
	cr_assert_str_eq(buf, "::102:304");
	l2tp_sink_init(&s, NULL);
	l2tp_sink_ipaddr(&s, &a);
	cr_assert_eq(s.len, strlen(buf));
	cr_assert(memcmp(s.buf, buf, s.len) == 0);
	l2tp_sink_free(&s);
}

Test(addr, with_port)
{
	struct l2tp_ipaddr a = {4, {127, 0, 0, 1}};
	struct l2tp_ipaddr b = v6("2001:db8::1");
	struct l2tp_ipaddr c = v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	char buf[L2TP_IPPORT_STRLEN];

	l2tp_ip_port_fmt(buf, a.family, a.a, 1701);
	cr_assert_str_eq(buf, "127.0.0.1:1701");
	l2tp_ip_port_fmt(buf, b.family, b.a, 0);
	cr_assert_str_eq(buf, "[2001:db8::1]:0");
	cr_assert_eq(l2tp_ip_port_fmt(buf, c.family, c.a, 65535), 47);
	cr_assert_str_eq(buf,
	                 "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
	l2tp_ip_port_fmt(buf, 0, a.a, 1);
	cr_assert_str_eq(buf, "?");
}

Test(addr, sink_form_is_the_same_text)
{
	struct l2tp_sink s;
	struct l2tp_ipaddr a = v6("2001:db8:0:0:1:0:0:1");

	l2tp_sink_init(&s, NULL);
	l2tp_sink_ipaddr(&s, &a);
	l2tp_sink_putc(&s, ' ');
	l2tp_sink_ip(&s, 4, (const uint8_t *)"\x01\x02\x03\x04");
	cr_assert_eq(s.len, strlen("2001:db8::1:0:0:1 1.2.3.4"));
	cr_assert(memcmp(s.buf, "2001:db8::1:0:0:1 1.2.3.4", s.len) == 0);
	l2tp_sink_free(&s);
}

/*
 * Random addresses with many zero groups against the C library's
 * inet_ntop, which follows RFC 5952 for addresses that embed no IPv4
 * (first group non-zero), and parsed back to the same bytes.
 */
Test(addr, random_against_inet_ntop)
{
	unsigned seed = 5952;

	for (int n = 0; n < 20000; n++) {
		struct l2tp_ipaddr a = {6, {0}}, back = {6, {0}};
		char ref[INET6_ADDRSTRLEN];

		for (int g = 0; g < 8; g++) {
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) & 1) {
				a.a[2 * g] = (uint8_t)(seed >> 24);
				a.a[2 * g + 1] = (uint8_t)(seed >> 8);
			}
		}
		if (a.a[0] == 0 && a.a[1] == 0)
			a.a[1] = 1;
		cr_assert(inet_ntop(AF_INET6, a.a, ref, sizeof(ref)));
		cr_assert_str_eq(fmt(&a), ref);
		cr_assert_eq(inet_pton(AF_INET6, fmt(&a), back.a), 1);
		cr_assert(memcmp(a.a, back.a, 16) == 0);
	}
}
