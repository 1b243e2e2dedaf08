/* UDP sockets for the shell's engines: the only code in l2tpsh that sends and receives datagrams (RFC 2661 §8.1). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/sock.h"

int
sock_parse_addr(const char *s, uint16_t port, struct l2tp_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->port = port;
	if (inet_pton(AF_INET, s, a->addr) == 1) {
		a->family = L2TP_AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->addr) == 1) {
		a->family = L2TP_AF_INET6;
		return 0;
	}
	return -1;
}

const char *
sock_addr_str(const struct l2tp_addr *a, char *buf, size_t len)
{
	if (inet_ntop(a->family == L2TP_AF_INET6 ? AF_INET6 : AF_INET,
	    a->addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

static socklen_t
to_sockaddr(const struct l2tp_addr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == L2TP_AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(a->port);
		memcpy(&s6->sin6_addr, a->addr, 16);
		return sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(a->port);
		memcpy(&s4->sin_addr, a->addr, 4);
		return sizeof(*s4);
	}
}

static void
from_sockaddr(const struct sockaddr_storage *ss, struct l2tp_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		a->family = L2TP_AF_INET6;
		a->port = ntohs(s6->sin6_port);
		memcpy(a->addr, &s6->sin6_addr, 16);
	} else {
		const struct sockaddr_in *s4 = (const void *)ss;

		a->family = L2TP_AF_INET;
		a->port = ntohs(s4->sin_port);
		memcpy(a->addr, &s4->sin_addr, 4);
	}
}

int
sock_open(const struct l2tp_addr *a, struct l2tp_addr *bound)
{
	struct sockaddr_storage ss;
	socklen_t sl = to_sockaddr(a, &ss);
	int fd, e, rcvbuf = 1 << 20;

	fd = socket(a->family == L2TP_AF_INET6 ? AF_INET6 : AF_INET,
	    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* Bursts (a thousand tunnels at once) should queue, not drop; the
	 * kernel caps this at net.core.rmem_max. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	sl = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		from_sockaddr(&ss, bound);
	else
		*bound = *a;
	return fd;
}

int
sock_send(int fd, const struct l2tp_addr *to, const uint8_t *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = to_sockaddr(to, &ss);

	for (int i = 0; i < 3; i++) {
		if (sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sl) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
	return -EINTR;
}

ssize_t
sock_recv(int fd, uint8_t *buf, size_t cap, struct l2tp_addr *from)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	ssize_t n;

	do
		n = recvfrom(fd, buf, cap, 0, (struct sockaddr *)&ss, &sl);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	from_sockaddr(&ss, from);
	return n;
}
