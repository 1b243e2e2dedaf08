/* engine_peer: the engine on a real UDP socket with the real clock, as a LAC or
 * LNS, for interop tests (RFC 2661). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "cli/udp.h"
#include "decoder/proto.h"
#include "engine/engine.h"

/*
 * engine_peer --role lac --peer 127.0.0.1:1701 [options]
 * engine_peer --role lns [--bind 127.0.0.1:0] [options]
 *
 *   --bind A:P        local address [127.0.0.1:0]
 *   --secret S        default secret
 *   --challenge on|off  [on]
 *   --host NAME       our Host Name [engine-peer]
 *   --hello SEC       Hello interval set on the tunnel once up [60]
 *   --call            LAC: open one incoming call once the tunnel is up
 *   --run SEC         LAC: stay up this long, then close [5]
 *   --timeout SEC     hard limit on the whole run [30]
 *
 * Prints every event as "EV <ms> <kind> t<tid> s<sid> <text>", the bound
 * port as "BOUND <port>", and at the end one line
 * "SUMMARY key=value ...".  Exit status 0 when the run ended as asked
 * (LAC: tunnel up, then our StopCCN acknowledged), 1 otherwise, 2 on a
 * usage error.
 */

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
rand_fn(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}

static void
usage(void)
{
	fprintf(stderr,
	        "usage: engine_peer --role lac|lns [--peer A:P] "
	        "[--bind A:P] [--secret S] [--challenge on|off] [--host NAME] "
	        "[--hello SEC] [--call] [--run SEC] [--timeout SEC]\n");
	exit(2);
}

struct counts {
	unsigned established, auth_ok, auth_fail, stop_in, stop_out, cdn_in,
	    calls_up, give_up, hello_zlb;
	uint16_t stop_in_result;
};

static void
drain(struct l2tp_engine *e, struct udp_sock *s, struct counts *c, uint64_t t0)
{
	struct l2tp_datagram d;
	struct l2tp_event ev;

	while (l2tp_engine_next_datagram(e, &d)) {
		int rc = udp_send(s, &d.to, d.data, d.len);

		if (rc < 0)
			printf("ERR send: %s\n", strerror(-rc));
	}
	while (l2tp_engine_next_event(e, &ev)) {
		printf("EV %llu %s t%u s%u %s\n",
		       (unsigned long long)(ev.time_ms - t0),
		       l2tp_event_kind_name(ev.kind), ev.tunnel, ev.session,
		       ev.text);
		switch (ev.kind) {
		case L2TP_EV_TUNNEL_STATE:
			if (ev.state == L2TP_TS_ESTABLISHED)
				c->established++;
			break;
		case L2TP_EV_SESSION_STATE:
			if (ev.state == L2TP_SS_ESTABLISHED)
				c->calls_up++;
			break;
		case L2TP_EV_AUTH:
			if (ev.ok)
				c->auth_ok++;
			else
				c->auth_fail++;
			break;
		case L2TP_EV_STOPCCN:
			if (ev.outgoing) {
				c->stop_out++;
			} else {
				c->stop_in++;
				c->stop_in_result = ev.result;
			}
			break;
		case L2TP_EV_CDN:
			if (!ev.outgoing)
				c->cdn_in++;
			break;
		case L2TP_EV_GIVE_UP:
			c->give_up++;
			break;
		default:
			break;
		}
	}
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct l2tp_engine_config cfg;
	struct l2tp_engine *e;
	struct udp_sock sock;
	struct l2tp_addr bind_a, peer_a;
	struct counts c;
	const char *role = NULL, *peer = NULL, *bind_s = "127.0.0.1:0";
	const char *secret = NULL;
	bool call = false, chal = true, lac, closed = false, called = false;
	long hello = 60, run = 5, timeout = 30;
	char err[200], ab[64];
	uint16_t tid = 0;
	uint64_t t0, up_at = 0, deadline;
	static uint8_t buf[65536];
	int status = 1;

	memset(&c, 0, sizeof(c));
	l2tp_engine_config_default(&cfg);
	snprintf(cfg.host_name, sizeof(cfg.host_name), "engine-peer");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--call") == 0) {
			call = true;
			continue;
		}
		if (v == NULL)
			usage();
		i++;
		if (strcmp(a, "--role") == 0)
			role = v;
		else if (strcmp(a, "--peer") == 0)
			peer = v;
		else if (strcmp(a, "--bind") == 0)
			bind_s = v;
		else if (strcmp(a, "--secret") == 0)
			secret = v;
		else if (strcmp(a, "--challenge") == 0)
			chal = strcmp(v, "off") != 0;
		else if (strcmp(a, "--host") == 0)
			snprintf(cfg.host_name, sizeof(cfg.host_name), "%s", v);
		else if (strcmp(a, "--hello") == 0)
			hello = strtol(v, NULL, 10);
		else if (strcmp(a, "--run") == 0)
			run = strtol(v, NULL, 10);
		else if (strcmp(a, "--timeout") == 0)
			timeout = strtol(v, NULL, 10);
		else
			usage();
	}
	if (role == NULL || (strcmp(role, "lac") && strcmp(role, "lns")))
		usage();
	lac = strcmp(role, "lac") == 0;
	if (lac && peer == NULL)
		usage();
	if (timeout <= 0 || timeout > 600 || hello < 0 || run < 0)
		usage();
	if (udp_parse_addr(bind_s, 0, &bind_a, err, sizeof(err)) < 0 ||
	    (peer &&
	     udp_parse_addr(peer, 1701, &peer_a, err, sizeof(err)) < 0)) {
		fprintf(stderr, "engine_peer: %s\n", err);
		return 2;
	}
	cfg.challenge = chal;
	cfg.random = rand_fn;
	e = l2tp_engine_new(&cfg);
	if (e == NULL) {
		fprintf(stderr, "engine_peer: bad config\n");
		return 2;
	}
	if (secret && l2tp_engine_set_secret_default(e, secret) < 0) {
		fprintf(stderr, "engine_peer: bad secret\n");
		return 2;
	}
	if (udp_open(&sock, &bind_a, err, sizeof(err)) < 0) {
		fprintf(stderr, "engine_peer: %s\n", err);
		return 1;
	}
	printf("BOUND %u\n", sock.local.port);
	fflush(stdout);
	t0 = now_ms();
	deadline = t0 + (uint64_t)timeout * 1000;
	if (lac) {
		int rc = l2tp_engine_tunnel_open(e, &peer_a, L2TP_ROLE_LAC, t0,
		                                 &tid);

		if (rc < 0) {
			fprintf(stderr, "engine_peer: open: %s\n",
			        l2tp_engine_strerror(rc));
			return 1;
		}
	} else {
		l2tp_engine_listen(e, true, L2TP_ROLE_LNS);
	}
	drain(e, &sock, &c, t0);
	/* Bounded: the hard deadline ends the loop whatever happens. */
	for (;;) {
		uint64_t now = now_ms(), next = l2tp_engine_expiry(e);
		struct l2tp_tunnel_info ti;
		struct pollfd pfd = {sock.fd, POLLIN, 0};
		int wait;

		if (now >= deadline)
			break;
		if (next > deadline)
			next = deadline;
		wait = next > now ? (int)(next - now) : 0;
		if (wait > 200)
			wait = 200;
		if (poll(&pfd, 1, wait) < 0 && errno != EINTR)
			break;
		now = now_ms();
		for (int k = 0; k < 64 && (pfd.revents & POLLIN); k++) {
			struct l2tp_addr from;
			int trunc = 0;
			long n =
			    udp_recv(&sock, buf, sizeof(buf), &from, &trunc);

			if (n <= 0)
				break;
			l2tp_engine_input(e, &from, buf, (size_t)n, now);
		}
		if (l2tp_engine_expiry(e) <= now)
			l2tp_engine_handle_expiry(e, now);
		drain(e, &sock, &c, t0);
		if (!lac) {
			/* An LNS serves the first tunnel that comes. */
			uint16_t ids[1];

			if (l2tp_engine_tunnel_ids(e, ids, 1) == 0) {
				if (c.established)
					break; /* cleared */
				continue;
			}
			tid = ids[0];
		}
		if (l2tp_engine_tunnel_info(e, tid, &ti) < 0)
			break; /* cleared */
		if (ti.state == L2TP_TS_ESTABLISHED && up_at == 0 && lac) {
			up_at = now;
			l2tp_engine_tunnel_set_hello(
			    e, tid, (uint32_t)hello * 1000, now);
			if (call && !called) {
				called = true;
				l2tp_engine_call_open(e, tid, NULL, now, NULL);
			}
			drain(e, &sock, &c, t0);
		}
		if (up_at && !closed && now - up_at >= (uint64_t)run * 1000) {
			closed = true;
			l2tp_engine_tunnel_close(e, tid, 1, -1,
			                         "engine_peer done", now);
			drain(e, &sock, &c, t0);
		}
		if (ti.state == L2TP_TS_CLOSING && ti.unacked == 0 &&
		    (closed || c.stop_in || c.stop_out))
			break; /* our StopCCN acked, or theirs acked by us */
	}
	{
		struct l2tp_tunnel_info ti;
		int have = tid ? l2tp_engine_tunnel_info(e, tid, &ti) : -1;

		printf("SUMMARY established=%u auth_ok=%u auth_fail=%u "
		       "stop_out=%u stop_in=%u stop_in_result=%u cdn_in=%u "
		       "calls_up=%u give_up=%u",
		       c.established, c.auth_ok, c.auth_fail, c.stop_out,
		       c.stop_in, c.stop_in_result, c.cdn_in, c.calls_up,
		       c.give_up);
		if (have == 0)
			printf(" state=%s unacked=%u hellos_out=%llu "
			       "hellos_in=%llu zlb_in=%llu retransmits=%llu "
			       "peer_window=%u peer_host=%s peer=%s",
			       l2tp_tunnel_state_name(ti.state), ti.unacked,
			       (unsigned long long)ti.hellos_out,
			       (unsigned long long)ti.hellos_in,
			       (unsigned long long)ti.zlb_in,
			       (unsigned long long)ti.retransmits,
			       ti.peer_window,
			       ti.peer_host[0] ? ti.peer_host : "-",
			       udp_addr_str(&ti.peer, ab, sizeof(ab)));
		else
			printf(" state=gone");
		printf("\n");
		if (lac)
			status = c.established && closed && have == 0 &&
			                 ti.state == L2TP_TS_CLOSING &&
			                 ti.unacked == 0
			             ? 0
			             : 1;
		else
			status =
			    c.established && (c.stop_in || c.stop_out) ? 0 : 1;
	}
	l2tp_engine_free(e);
	udp_close(&sock);
	return status;
}
