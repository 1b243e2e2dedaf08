/* IP address text: IPv4 dotted decimal, IPv6 in RFC 5952 form. */
#include <string.h>

#include "decoder/addr.h"

static const char hexd[] = "0123456789abcdef";

static size_t
fmt_v4(char *b, const uint8_t *a)
{
	size_t k = 0;

	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];

		if (i)
			b[k++] = '.';
		if (v >= 100)
			b[k++] = (char)('0' + v / 100);
		if (v >= 10)
			b[k++] = (char)('0' + v / 10 % 10);
		b[k++] = (char)('0' + v % 10);
	}
	return k;
}

static size_t
fmt_v6(char *b, const uint8_t *a)
{
	uint16_t g[8];
	int best = -1, bestlen = 0;
	size_t k = 0;

	for (int i = 0; i < 8; i++)
		g[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	/* IPv4-mapped addresses end in dotted decimal (RFC 5952 §5). */
	if (!g[0] && !g[1] && !g[2] && !g[3] && !g[4] && g[5] == 0xffff) {
		memcpy(b, "::ffff:", 7);
		return 7 + fmt_v4(b + 7, a + 12);
	}
	/* The longest run of zero groups, two at least (§4.2.2), the first
	 * of equal runs (§4.2.3). */
	for (int i = 0; i < 8;) {
		int j = i;

		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			b[k++] = ':';
			if (i == 0)
				b[k++] = ':';
			i += bestlen - 1;
			continue;
		}
		bool lead = true;

		for (int d = 3; d >= 0; d--) {
			unsigned x = (g[i] >> (4 * d)) & 0xf;

			if (x == 0 && lead && d > 0)
				continue;
			lead = false;
			b[k++] = hexd[x];
		}
		if (i < 7)
			b[k++] = ':';
	}
	return k;
}

static size_t
fmt_ip(char *b, unsigned family, const uint8_t *a)
{
	if (family == 4)
		return fmt_v4(b, a);
	if (family == 6)
		return fmt_v6(b, a);
	b[0] = '?';
	return 1;
}

size_t
l2tp_ip_fmt(char *buf, unsigned family, const uint8_t *a)
{
	size_t k = fmt_ip(buf, family, a);

	buf[k] = '\0';
	return k;
}

size_t
l2tp_ip_port_fmt(char *buf, unsigned family, const uint8_t *a, uint16_t port)
{
	char d[5];
	size_t k = 0, n = 0;

	if (family != 4 && family != 6)
		return l2tp_ip_fmt(buf, family, a);
	if (family == 6)
		buf[k++] = '[';
	k += fmt_ip(buf + k, family, a);
	if (family == 6)
		buf[k++] = ']';
	buf[k++] = ':';
	do {
		d[n++] = (char)('0' + port % 10);
		port /= 10;
	} while (port);
	while (n)
		buf[k++] = d[--n];
	buf[k] = '\0';
	return k;
}

const char *
l2tp_ipaddr_str(const struct l2tp_ipaddr *a, char *buf, size_t len)
{
	char t[L2TP_IPADDR_STRLEN];
	size_t n;

	if (len == 0)
		return buf;
	if (a->family != 4 && a->family != 6) {
		t[0] = '-';
		n = 1;
	} else {
		n = fmt_ip(t, a->family, a->a);
	}
	if (n >= len)
		n = len - 1;
	memcpy(buf, t, n);
	buf[n] = '\0';
	return buf;
}

void
l2tp_sink_ip(struct l2tp_sink *s, unsigned family, const uint8_t *a)
{
	char b[L2TP_IPADDR_STRLEN];

	l2tp_sink_write(s, b, fmt_ip(b, family, a));
}

void
l2tp_sink_ipaddr(struct l2tp_sink *s, const struct l2tp_ipaddr *a)
{
	l2tp_sink_ip(s, a->family, a->a);
}
