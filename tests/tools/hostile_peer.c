/* hostile_peer: a naive scripted L2TP peer over real UDP that leaves tunnels
 * and calls half-open, floods SCCRQs and sends wrong-length AVPs, for
 * t_hostile.sh against the built l2tpsh (RFC 2661 §4.4, §7.1, §7.2). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "decoder/avpval.h"
#include "decoder/l2tp.h"
#include "decoder/proto.h"

/*
 * hostile_peer freeport
 *     print a UDP port on 127.0.0.1 free right now
 * hostile_peer bound PORT
 *     exit 0 when something is bound to 127.0.0.1:PORT
 * hostile_peer lns-timeouts PORT
 *     l2tpsh is an LNS on 127.0.0.1:PORT with a 5 s setup timeout: a tunnel
 *     whose SCCRP is acked and never followed by an SCCCN, then a call
 *     whose ICRP is acked and never followed by an ICCN, each cleared
 * hostile_peer lns-flood PORT CAP COUNT
 *     COUNT SCCRQs with distinct ids from 127.0.0.1, every SCCRP acked:
 *     at most CAP tunnels, the rest refused (StopCCN result 2 error 4);
 *     meanwhile a good peer on 127.0.0.2 brings its tunnel up; then every
 *     accepted tunnel is cleared by the setup timeout
 * hostile_peer lns-badresp PORT
 *     l2tpsh is an LNS with a secret: an SCCCN whose Challenge Response
 *     is 15 bytes is answered with a StopCCN result 4
 * hostile_peer lac MODE PORT
 *     play the LNS on 127.0.0.1:PORT for an l2tpsh LAC; prints LISTENING
 *     once bound.  MODE: badresp (SCCRP with a 15-byte Challenge
 *     Response: StopCCN result 4 expected), halfopen-tunnel (the SCCRQ
 *     only acked: it must carry no Challenge, and a StopCCN with Tunnel
 *     ID 0 must come at the setup timeout), halfopen-call (tunnel up, the
 *     ICRQ only acked: CDN result 10 at the setup timeout)
 *
 * Prints "ok: ..." and "FAIL: ..." lines; exit status 0 when all passed,
 * 1 when one failed, 2 on a usage or socket error.  Every wait is
 * bounded.
 */

static int fails;

static void ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
ok(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("ok: ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	fflush(stdout);
}

static void
bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("FAIL: ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	fflush(stdout);
	fails++;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
sock_on(const char *addr, uint16_t port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int big = 4 << 20;

	if (fd < 0) {
		perror("socket");
		exit(2);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	inet_pton(AF_INET, addr, &sa.sin_addr);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "hostile_peer: bind %s:%u: %s\n", addr, port,
		        strerror(errno));
		exit(2);
	}
	return fd;
}

static struct sockaddr_in
to_addr(uint16_t port)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	return sa;
}

static void
tx(int fd, const struct sockaddr_in *to, const uint8_t *p, size_t len)
{
	if (sendto(fd, p, len, 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		bad("sendto: %s", strerror(errno));
}

/* One received control message, parsed; false on timeout. */
struct rx {
	uint8_t buf[2048];
	size_t len;
	struct sockaddr_in from;
	struct l2tp_msg m;
};

static bool
rx_one(int fd, int timeout_ms, struct rx *r)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	socklen_t sl = sizeof(r->from);
	ssize_t n;

	if (poll(&p, 1, timeout_ms) <= 0)
		return false;
	n = recvfrom(fd, r->buf, sizeof(r->buf), 0, (struct sockaddr *)&r->from,
	             &sl);
	if (n <= 0)
		return false;
	r->len = (size_t)n;
	if (l2tp_parse(r->buf, r->len, r->len, L2TP_UDP, NULL, &r->m) < 0)
		return false;
	return r->m.control;
}

static size_t
build_end(struct l2tp_builder *b)
{
	int n = l2tp_build_end(b);

	if (n < 0) {
		fprintf(stderr, "hostile_peer: message does not build\n");
		exit(2);
	}
	return (size_t)n;
}

static void
zlb(int fd, const struct sockaddr_in *to, uint16_t tunnel, uint16_t ns,
    uint16_t nr)
{
	struct l2tp_builder b;
	uint8_t buf[16];

	l2tp_build_control(&b, buf, sizeof(buf), tunnel, 0, ns, nr);
	tx(fd, to, buf, build_end(&b));
}

static const uint8_t ver10[2] = {1, 0};

static void
scc_avps(struct l2tp_builder *b, const char *host, uint16_t atid)
{
	l2tp_build_avp(b, true, false, 0, L2TP_AVP_PROTOCOL_VERSION, ver10, 2);
	l2tp_build_u32(b, true, L2TP_AVP_FRAMING_CAP, 3);
	l2tp_build_u32(b, true, L2TP_AVP_BEARER_CAP, 3);
	l2tp_build_str(b, true, L2TP_AVP_HOST_NAME, host);
	l2tp_build_u16(b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, atid);
	l2tp_build_u16(b, true, L2TP_AVP_RECEIVE_WINDOW, 4);
}

static void
sccrq(int fd, const struct sockaddr_in *to, uint16_t atid)
{
	struct l2tp_builder b;
	uint8_t buf[256];

	l2tp_build_control(&b, buf, sizeof(buf), 0, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_SCCRQ);
	scc_avps(&b, "hostile", atid);
	tx(fd, to, buf, build_end(&b));
}

/* Wait for a message of `type` on fd, acking every other non-ZLB one. */
static bool
wait_for(int fd, int type, int timeout_ms, struct rx *r)
{
	uint64_t end = now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		uint64_t t = now_ms();

		if (t >= end)
			return false;
		if (!rx_one(fd, (int)(end - t), r))
			continue;
		if (r->m.msg_type == type)
			return true;
	}
}

static void
result_of(const struct l2tp_msg *m, uint16_t *res, uint16_t *err, char *msg,
          size_t cap)
{
	const struct l2tp_avp *a = l2tp_find_avp(m, 0, L2TP_AVP_RESULT_CODE);
	struct l2tp_value v;

	*res = *err = 0;
	msg[0] = 0;
	if (a == NULL || l2tp_avp_value(a, &v) < 0)
		return;
	*res = v.result;
	*err = v.has_error ? v.error : 0;
	if (v.has_message)
		snprintf(msg, cap, "%.*s", (int)v.b.len, (const char *)v.b.p);
}

static uint16_t
atid_of(const struct l2tp_msg *m)
{
	uint16_t v = 0;

	return l2tp_avp_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &v) ? v : 0;
}

/* Expect a StopCCN (or CDN) `type` from 4.5 s to 12 s after t0, with this
 * result and the words in its message. */
static void
expect_clear(int fd, int type, uint64_t t0, uint16_t result, const char *words,
             const char *what, uint16_t tunnel)
{
	struct rx r;
	uint16_t res, err;
	char msg[128];
	uint64_t dt;

	if (!wait_for(fd, type, 15000, &r)) {
		bad("%s: no %s within 15 s", what,
		    type == L2TP_CDN ? "CDN" : "StopCCN");
		return;
	}
	dt = now_ms() - t0;
	result_of(&r.m, &res, &err, msg, sizeof(msg));
	/* Ack it so it is not retransmitted. */
	zlb(fd, &r.from, tunnel, r.m.nr, (uint16_t)(r.m.ns + 1));
	if (dt < 4500 || dt > 12000)
		bad("%s: cleared after %llu ms, not at the 5 s setup timeout",
		    what, (unsigned long long)dt);
	else
		ok("%s: cleared after %llu ms", what, (unsigned long long)dt);
	if (res != result || (words && strstr(msg, words) == NULL))
		bad("%s: result %u error %u \"%s\", wanted result %u and "
		    "\"%s\"",
		    what, res, err, msg, result, words ? words : "");
	else
		ok("%s: result %u error %u \"%s\"", what, res, err, msg);
}

/* ---- l2tpsh as LNS ---- */

static void
lns_timeouts(uint16_t port)
{
	struct sockaddr_in lns = to_addr(port);
	struct l2tp_builder b;
	uint8_t buf[256];
	struct rx r;
	uint16_t lid;
	uint64_t t0;
	int fd = sock_on("127.0.0.1", 0);

	/* A: SCCRQ, SCCRP acked, no SCCCN. */
	sccrq(fd, &lns, 101);
	if (!wait_for(fd, L2TP_SCCRP, 10000, &r)) {
		bad("half-open tunnel: no SCCRP");
		return;
	}
	t0 = now_ms();
	lid = atid_of(&r.m);
	zlb(fd, &r.from, lid, 1, 1);
	expect_clear(fd, L2TP_STOPCCN, t0, 2,
	             "setup timed out in wait-ctl-conn",
	             "half-open tunnel (LNS)", lid);
	close(fd);

	/* B: a tunnel up, an ICRQ whose ICRP is acked, no ICCN. */
	fd = sock_on("127.0.0.1", 0);
	sccrq(fd, &lns, 102);
	if (!wait_for(fd, L2TP_SCCRP, 10000, &r)) {
		bad("half-open call: no SCCRP");
		return;
	}
	lid = atid_of(&r.m);
	l2tp_build_control(&b, buf, sizeof(buf), lid, 0, 1, 1);
	l2tp_build_msg_type(&b, L2TP_SCCCN);
	tx(fd, &r.from, buf, build_end(&b));
	l2tp_build_control(&b, buf, sizeof(buf), lid, 0, 2, 1);
	l2tp_build_msg_type(&b, L2TP_ICRQ);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID, 7);
	l2tp_build_u32(&b, true, L2TP_AVP_CALL_SERIAL, 1);
	tx(fd, &r.from, buf, build_end(&b));
	if (!wait_for(fd, L2TP_ICRP, 10000, &r)) {
		bad("half-open call: no ICRP");
		return;
	}
	t0 = now_ms();
	zlb(fd, &r.from, lid, 3, (uint16_t)(r.m.ns + 1));
	expect_clear(fd, L2TP_CDN, t0, 2, "setup timed out in wait-connect",
	             "half-open call (LNS)", lid);
	close(fd);
}

static void
lns_flood(uint16_t port, unsigned cap, unsigned count)
{
	struct sockaddr_in lns = to_addr(port);
	int fd = sock_on("127.0.0.1", 0), good = sock_on("127.0.0.2", 0);
	unsigned sccrps = 0, refused = 0, cleared = 0, other = 0;
	uint64_t t0 = now_ms(), t_last = 0, end;
	bool good_up = false;
	struct rx r;
	struct l2tp_builder b;
	uint8_t buf[256];
	uint16_t glid = 0;

	for (unsigned i = 0; i < count; i++) {
		sccrq(fd, &lns, (uint16_t)(1000 + i));
		if (i == count / 2)
			sccrq(good, &lns, 7); /* the good peer, meanwhile */
		/* A burst, then a breath: a flood the kernel's socket
		 * buffers drop would test the kernel, not l2tpsh. */
		if (i % 64 == 63)
			poll(NULL, 0, 2);
		/* Drain what came back so far, acking every SCCRP. */
		while (rx_one(fd, 0, &r)) {
			if (r.m.msg_type == L2TP_SCCRP) {
				sccrps++;
				t_last = now_ms();
				zlb(fd, &r.from, atid_of(&r.m), 1, 1);
			} else if (r.m.msg_type == L2TP_STOPCCN) {
				uint16_t res, err;
				char msg[96];

				result_of(&r.m, &res, &err, msg, sizeof(msg));
				if (res == 2 && err == 4)
					refused++;
				else
					cleared++;
			}
		}
	}
	/* The rest of the answers, the good peer's handshake, then the
	 * setup timeouts of the accepted ones (5 s, bounded at 20 s). */
	end = now_ms() + 20000;
	while (now_ms() < end &&
	       (cleared < sccrps || !good_up || sccrps + refused < count)) {
		struct pollfd p[2] = {{.fd = fd, .events = POLLIN},
		                      {.fd = good, .events = POLLIN}};

		if (poll(p, 2, 200) <= 0)
			continue;
		if ((p[1].revents & POLLIN) && rx_one(good, 0, &r)) {
			if (r.m.msg_type == L2TP_SCCRP) {
				glid = atid_of(&r.m);
				l2tp_build_control(&b, buf, sizeof(buf), glid,
				                   0, 1, 1);
				l2tp_build_msg_type(&b, L2TP_SCCCN);
				tx(good, &r.from, buf, build_end(&b));
			} else if (r.m.navps == 0 && glid && r.m.nr == 2) {
				good_up = true; /* our SCCCN acked */
			} else if (r.m.msg_type == L2TP_STOPCCN) {
				uint16_t res, err;
				char msg[96];

				result_of(&r.m, &res, &err, msg, sizeof(msg));
				bad("good peer: its tunnel was stopped: result "
				    "%u error %u \"%s\"",
				    res, err, msg);
			}
		}
		if ((p[0].revents & POLLIN) && rx_one(fd, 0, &r)) {
			if (r.m.msg_type == L2TP_SCCRP) {
				sccrps++;
				t_last = now_ms();
				zlb(fd, &r.from, atid_of(&r.m), 1, 1);
			} else if (r.m.msg_type == L2TP_STOPCCN) {
				uint16_t res, err;
				char msg[96];

				result_of(&r.m, &res, &err, msg, sizeof(msg));
				if (res == 2 && err == 4) {
					refused++;
				} else {
					cleared++;
					zlb(fd, &r.from, atid_of(&r.m), r.m.nr,
					    (uint16_t)(r.m.ns + 1));
					if (strstr(msg, "setup timed out") ==
					    NULL)
						other++;
				}
			}
		}
	}
	printf("flood: %u SCCRQs in %llu ms: %u SCCRPs, %u refused, %u "
	       "cleared\n",
	       count, (unsigned long long)(now_ms() - t0), sccrps, refused,
	       cleared);
	if (sccrps == cap)
		ok("flood: the per-peer cap holds: %u tunnels for %u SCCRQs",
		   sccrps, count);
	else
		bad("flood: %u tunnels accepted, cap is %u", sccrps, cap);
	if (refused == count - sccrps)
		ok("flood: %u refused with StopCCN result 2 error 4", refused);
	else
		bad("flood: %u refusals for %u over the cap", refused,
		    count - sccrps);
	if (cleared == sccrps && other == 0)
		ok("flood: every accepted tunnel cleared by the setup timeout");
	else
		bad("flood: %u of %u accepted tunnels cleared (%u otherwise)",
		    cleared, sccrps, other);
	if (good_up)
		ok("flood: the good peer on 127.0.0.2 got its tunnel up");
	else
		bad("flood: the good peer on 127.0.0.2 did not get its tunnel "
		    "up");
	(void)t_last;
	close(fd);
	close(good);
}

static void
lns_badresp(uint16_t port)
{
	struct sockaddr_in lns = to_addr(port);
	int fd = sock_on("127.0.0.1", 0);
	struct l2tp_builder b;
	uint8_t buf[256], resp[15] = {0};
	uint16_t lid, res, err;
	char msg[128];
	struct rx r;

	sccrq(fd, &lns, 301);
	if (!wait_for(fd, L2TP_SCCRP, 10000, &r)) {
		bad("15-byte response (LNS): no SCCRP");
		return;
	}
	if (l2tp_find_avp(&r.m, 0, L2TP_AVP_CHALLENGE) == NULL)
		bad("15-byte response (LNS): the SCCRP has no Challenge");
	lid = atid_of(&r.m);
	l2tp_build_control(&b, buf, sizeof(buf), lid, 0, 1, 1);
	l2tp_build_msg_type(&b, L2TP_SCCCN);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CHALLENGE_RESPONSE, resp,
	               sizeof(resp));
	tx(fd, &r.from, buf, build_end(&b));
	if (!wait_for(fd, L2TP_STOPCCN, 10000, &r)) {
		bad("15-byte response (LNS): no StopCCN");
		return;
	}
	result_of(&r.m, &res, &err, msg, sizeof(msg));
	if (res == 4 && strstr(msg, "Challenge Response"))
		ok("15-byte response (LNS): StopCCN result 4 \"%s\"", msg);
	else
		bad("15-byte response (LNS): StopCCN result %u error %u \"%s\"",
		    res, err, msg);
	zlb(fd, &r.from, lid, 2, (uint16_t)(r.m.ns + 1));
	close(fd);
}

/* ---- l2tpsh as LAC ---- */

static void
lac(const char *mode, uint16_t port)
{
	int fd = sock_on("127.0.0.1", port);
	struct l2tp_builder b;
	uint8_t buf[256], resp[15] = {0};
	uint16_t rid, res, err;
	char msg[128];
	struct rx r;
	uint64_t t0;
	bool chal;

	printf("LISTENING %u\n", port);
	fflush(stdout);
	if (!wait_for(fd, L2TP_SCCRQ, 20000, &r)) {
		bad("%s: no SCCRQ from l2tpsh", mode);
		return;
	}
	rid = atid_of(&r.m);
	chal = l2tp_find_avp(&r.m, 0, L2TP_AVP_CHALLENGE) != NULL;
	if (strcmp(mode, "halfopen-tunnel") == 0) {
		if (chal)
			bad("secret bound to another address: the SCCRQ "
			    "carries a Challenge");
		else
			ok("secret bound to another address: the SCCRQ "
			   "carries no Challenge");
		t0 = now_ms();
		zlb(fd, &r.from, rid, 0, 1);
		if (!wait_for(fd, L2TP_STOPCCN, 15000, &r)) {
			bad("half-open tunnel (LAC): no StopCCN");
			return;
		}
		result_of(&r.m, &res, &err, msg, sizeof(msg));
		if (r.m.tunnel == 0 && atid_of(&r.m) == rid)
			ok("half-open tunnel (LAC): StopCCN with Tunnel ID 0 "
			   "names its tunnel %u",
			   rid);
		else
			bad("half-open tunnel (LAC): StopCCN Tunnel ID %u, "
			    "Assigned Tunnel ID %u (SCCRQ said %u)",
			    (unsigned)r.m.tunnel, atid_of(&r.m), rid);
		if (now_ms() - t0 >= 4500 &&
		    strstr(msg, "setup timed out in wait-ctl-reply"))
			ok("half-open tunnel (LAC): cleared after %llu ms: "
			   "\"%s\"",
			   (unsigned long long)(now_ms() - t0), msg);
		else
			bad("half-open tunnel (LAC): after %llu ms: \"%s\"",
			    (unsigned long long)(now_ms() - t0), msg);
		zlb(fd, &r.from, rid, 0, (uint16_t)(r.m.ns + 1));
		return;
	}
	l2tp_build_control(&b, buf, sizeof(buf), rid, 0, 0, 1);
	l2tp_build_msg_type(&b, L2TP_SCCRP);
	scc_avps(&b, "hostile-lns", 4000);
	if (strcmp(mode, "badresp") == 0) {
		if (!chal)
			bad("badresp: l2tpsh (with a secret) sent no "
			    "Challenge");
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CHALLENGE_RESPONSE,
		               resp, sizeof(resp));
		tx(fd, &r.from, buf, build_end(&b));
		if (!wait_for(fd, L2TP_STOPCCN, 10000, &r)) {
			bad("15-byte response (LAC): no StopCCN");
			return;
		}
		result_of(&r.m, &res, &err, msg, sizeof(msg));
		if (res == 4 && strstr(msg, "Challenge Response"))
			ok("15-byte response (LAC): StopCCN result 4 \"%s\"",
			   msg);
		else
			bad("15-byte response (LAC): StopCCN result %u error "
			    "%u \"%s\"",
			    res, err, msg);
		zlb(fd, &r.from, rid, 1, (uint16_t)(r.m.ns + 1));
		return;
	}
	/* halfopen-call */
	tx(fd, &r.from, buf, build_end(&b));
	if (!wait_for(fd, L2TP_SCCCN, 10000, &r)) {
		bad("half-open call (LAC): no SCCCN");
		return;
	}
	zlb(fd, &r.from, rid, 1, 2);
	if (!wait_for(fd, L2TP_ICRQ, 15000, &r)) {
		bad("half-open call (LAC): no ICRQ");
		return;
	}
	t0 = now_ms();
	zlb(fd, &r.from, rid, 1, (uint16_t)(r.m.ns + 1));
	expect_clear(fd, L2TP_CDN, t0, 10, "setup timed out in wait-reply",
	             "half-open call (LAC)", rid);
}

static uint16_t
port_arg(const char *s)
{
	long v = strtol(s, NULL, 10);

	if (v <= 0 || v > 65535) {
		fprintf(stderr, "hostile_peer: bad port %s\n", s);
		exit(2);
	}
	return (uint16_t)v;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "freeport") == 0) {
		struct sockaddr_in sa;
		socklen_t sl = sizeof(sa);
		int fd = sock_on("127.0.0.1", 0);

		getsockname(fd, (struct sockaddr *)&sa, &sl);
		printf("%u\n", ntohs(sa.sin_port));
		close(fd);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "bound") == 0) {
		/* Exit 0 once something listens on 127.0.0.1:PORT. */
		struct sockaddr_in sa = to_addr(port_arg(argv[2]));
		int fd = socket(AF_INET, SOCK_DGRAM, 0), rc;

		rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
		close(fd);
		return rc < 0 && errno == EADDRINUSE ? 0 : 1;
	}
	if (argc == 3 && strcmp(argv[1], "lns-timeouts") == 0)
		lns_timeouts(port_arg(argv[2]));
	else if (argc == 5 && strcmp(argv[1], "lns-flood") == 0)
		lns_flood(port_arg(argv[2]), (unsigned)atoi(argv[3]),
		          (unsigned)atoi(argv[4]));
	else if (argc == 3 && strcmp(argv[1], "lns-badresp") == 0)
		lns_badresp(port_arg(argv[2]));
	else if (argc == 4 && strcmp(argv[1], "lac") == 0)
		lac(argv[2], port_arg(argv[3]));
	else {
		fprintf(stderr,
		        "usage: hostile_peer freeport | lns-timeouts "
		        "PORT | lns-flood PORT CAP COUNT | lns-badresp "
		        "PORT | lac badresp|halfopen-tunnel|halfopen-call "
		        "PORT\n");
		return 2;
	}
	return fails ? 1 : 0;
}
