/* UDP transport: nonblocking IPv4/IPv6 sockets for the engine's datagrams (RFC
 * 2661 §8.1). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/udp.h"
#include "decoder/addr.h"

static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

int
udp_parse_addr(const char *text, uint16_t port, struct l2tp_addr *out,
               char *err, size_t errlen)
{
	char host[64];
	const char *p = text, *colon;
	size_t n;
	long pv = port;

	memset(out, 0, sizeof(*out));
	if (text == NULL || *text == 0) {
		snprintf(err, errlen,
		         "empty address: expected an IPv4 or "
		         "IPv6 address such as 127.0.0.1 or ::1");
		return -1;
	}
	if (*p == '[') {
		const char *end = strchr(p, ']');

		if (end == NULL) {
			snprintf(err, errlen,
			         "'%s': '[' without ']' (write "
			         "[::1]:1701)",
			         text);
			return -1;
		}
		n = (size_t)(end - p - 1);
		if (n >= sizeof(host))
			goto toolong;
		memcpy(host, p + 1, n);
		host[n] = 0;
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] && !colon) {
			snprintf(err, errlen,
			         "'%s': expected ':PORT' after "
			         "']'",
			         text);
			return -1;
		}
	} else {
		colon = strchr(p, ':');
		/* More than one colon without brackets: a bare IPv6 address. */
		if (colon && strchr(colon + 1, ':'))
			colon = NULL;
		n = colon ? (size_t)(colon - p) : strlen(p);
		if (n >= sizeof(host))
			goto toolong;
		memcpy(host, p, n);
		host[n] = 0;
	}
	if (colon) {
		char *end;

		errno = 0;
		pv = strtol(colon + 1, &end, 10);
		if (errno || *end || end == colon + 1 || pv < 0 || pv > 65535) {
			snprintf(err, errlen,
			         "'%s': port must be a number "
			         "0..65535",
			         text);
			return -1;
		}
	}
	if (inet_pton(AF_INET, host, out->addr) == 1) {
		out->family = L2TP_AF_INET;
	} else if (inet_pton(AF_INET6, host, out->addr) == 1) {
		out->family = L2TP_AF_INET6;
	} else {
		snprintf(err, errlen,
		         "'%s' is not an IPv4 or IPv6 address "
		         "(host names are not looked up)",
		         host);
		return -1;
	}
	out->port = (uint16_t)pv;
	return 0;
toolong:
	snprintf(err, errlen, "address '%s' is too long", text);
	return -1;
}

const char *
udp_addr_str(const struct l2tp_addr *a, char *buf, size_t len)
{
	char t[L2TP_IPPORT_STRLEN];

	if (a->family == L2TP_AF_INET || a->family == L2TP_AF_INET6) {
		l2tp_ip_port_fmt(t, a->family, a->addr, a->port);
		snprintf(buf, len, "%s", t);
	} else {
		snprintf(buf, len, "(no address)");
	}
	return buf;
}

static socklen_t
to_sockaddr(const struct l2tp_addr *a, int family, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, a->addr, 4);
		s4->sin_port = htons(a->port);
		return sizeof(*s4);
	}
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	s6->sin6_family = AF_INET6;
	if (a->family == L2TP_AF_INET) {
		/* An IPv4 peer through a dual-stack socket. */
		memcpy(s6->sin6_addr.s6_addr, v4mapped, 12);
		memcpy(s6->sin6_addr.s6_addr + 12, a->addr, 4);
	} else {
		memcpy(s6->sin6_addr.s6_addr, a->addr, 16);
	}
	s6->sin6_port = htons(a->port);
	return sizeof(*s6);
}

static int
from_sockaddr(const struct sockaddr_storage *ss, struct l2tp_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		a->family = L2TP_AF_INET;
		memcpy(a->addr, &s4->sin_addr, 4);
		a->port = ntohs(s4->sin_port);
		return 0;
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		if (memcmp(s6->sin6_addr.s6_addr, v4mapped, 12) == 0) {
			a->family = L2TP_AF_INET;
			memcpy(a->addr, s6->sin6_addr.s6_addr + 12, 4);
		} else {
			a->family = L2TP_AF_INET6;
			memcpy(a->addr, s6->sin6_addr.s6_addr, 16);
		}
		a->port = ntohs(s6->sin6_port);
		return 0;
	}
	return -1;
}

int
udp_open(struct udp_sock *s, const struct l2tp_addr *bind_to, char *err,
         size_t errlen)
{
	int family = bind_to->family == L2TP_AF_INET6 ? AF_INET6 : AF_INET;
	struct sockaddr_storage ss;
	socklen_t sl = to_sockaddr(bind_to, family, &ss);
	char ab[64];
	int fd, one = 1, rcvbuf = 1 << 20, rc;

	s->fd = -1;
	if (bind_to->family != L2TP_AF_INET &&
	    bind_to->family != L2TP_AF_INET6) {
		snprintf(err, errlen, "no address family to bind");
		return -EINVAL;
	}
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot open a UDP socket: %s",
		         strerror(errno));
		return rc;
	}
#ifdef UDP_NO_CHECK6_RX
	/* Accept a zero UDP checksum over IPv6 too, as IPv4 does. */
	if (family == AF_INET6)
		setsockopt(fd, SOL_UDP, UDP_NO_CHECK6_RX, &one, sizeof(one));
#endif
	(void)one;
	/*
	 * An LNS answering many LACs at once (or the lab peer during a burst
	 * of tunnels) receives bursts; a small default buffer drops them and
	 * turns each drop into a 1 s retransmission.  Best effort: the kernel
	 * caps it at net.core.rmem_max.
	 */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		rc = -errno;
		udp_addr_str(bind_to, ab, sizeof(ab));
		if (errno == EADDRINUSE)
			snprintf(err, errlen,
			         "address in use: %s is taken by "
			         "another program (choose another port)",
			         ab);
		else if (errno == EACCES)
			snprintf(err, errlen,
			         "no permission to bind %s "
			         "(ports below 1024 need root or "
			         "CAP_NET_BIND_SERVICE)",
			         ab);
		else if (errno == EADDRNOTAVAIL)
			snprintf(
			    err, errlen,
			    "%s is not an address of this "
			    "machine (give one it has, such as 127.0.0.1, or "
			    "none to use them all)",
			    ab);
		else
			snprintf(err, errlen, "cannot bind %s: %s", ab,
			         strerror(errno));
		close(fd);
		return rc;
	}
	sl = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0 ||
	    from_sockaddr(&ss, &s->local) < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot read the bound address: %s",
		         strerror(errno));
		close(fd);
		return rc ? rc : -EINVAL;
	}
	s->fd = fd;
	return 0;
}

long
udp_recv(struct udp_sock *s, uint8_t *buf, size_t cap, struct l2tp_addr *from,
         int *truncated)
{
	struct sockaddr_storage ss;
	struct iovec iov = {buf, cap};
	struct msghdr mh;
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &ss;
	mh.msg_namelen = sizeof(ss);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	n = recvmsg(s->fd, &mh, MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		return -errno;
	}
	if (truncated)
		*truncated = (mh.msg_flags & MSG_TRUNC) != 0;
	if (from_sockaddr(&ss, from) < 0)
		return 0;
	return (long)n;
}

int
udp_send(struct udp_sock *s, const struct l2tp_addr *to, const uint8_t *p,
         size_t len)
{
	struct sockaddr_storage ss;
	int family = s->local.family == L2TP_AF_INET6 ? AF_INET6 : AF_INET;
	socklen_t sl;

	if (family == AF_INET && to->family != L2TP_AF_INET)
		return -EAFNOSUPPORT;
	sl = to_sockaddr(to, family, &ss);
	if (sendto(s->fd, p, len, 0, (struct sockaddr *)&ss, sl) < 0)
		return -errno;
	return 0;
}

void
udp_close(struct udp_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
