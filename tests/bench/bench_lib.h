/* bench_lib.h: what the engine benchmarks share: a seeded random source for
 * the engines, the clocks and the heap figure, and a pair of engines in
 * memory with the wire between them on virtual time. */
#ifndef L2TPSH_BENCH_LIB_H
#define L2TPSH_BENCH_LIB_H

#include <malloc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "engine/engine.h"

/* xorshift64 over *ctx: the same bytes every run. */
static inline int
xrand(void *ctx, uint8_t *buf, size_t len)
{
	uint64_t *x = ctx;

	for (size_t i = 0; i < len; i++) {
		*x ^= *x << 13;
		*x ^= *x >> 7;
		*x ^= *x << 17;
		buf[i] = (uint8_t)(*x >> 32);
	}
	return 0;
}

static inline double
clock_secs(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The wall clock. */
static inline double
wall(void)
{
	return clock_secs(CLOCK_MONOTONIC);
}

/* CPU time of the process: the figures are "on one core" whatever else
 * shares the machine (the wall clock of a loaded box is not). */
static inline double
cpu_time(void)
{
	return clock_secs(CLOCK_PROCESS_CPUTIME_ID);
}

static inline size_t
heap_used(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* Two engines in memory: e[s] sees the other end at a[1 - s]. */
struct pair {
	struct l2tp_engine *e[2];
	struct l2tp_addr a[2];
	uint64_t now;
	uint64_t dgrams, bytes;
};

/* Move datagrams both ways until both ends are quiet. */
static inline void
flush(struct pair *p)
{
	for (;;) {
		bool moved = false;

		for (int s = 0; s < 2; s++) {
			struct l2tp_datagram d;

			while (l2tp_engine_next_datagram(p->e[s], &d)) {
				l2tp_engine_input(p->e[1 - s], &p->a[s], d.data,
				                  d.len, p->now);
				p->dgrams++;
				p->bytes += d.len;
				moved = true;
			}
		}
		if (!moved)
			return;
	}
}

/* Timers up to t (acks of calls queued behind the window need them). */
static inline void
run_until(struct pair *p, uint64_t t)
{
	flush(p);
	for (;;) {
		uint64_t a = l2tp_engine_expiry(p->e[0]);
		uint64_t b = l2tp_engine_expiry(p->e[1]);
		uint64_t x = a < b ? a : b;

		if (x > t)
			break;
		if (x > p->now)
			p->now = x;
		l2tp_engine_handle_expiry(p->e[0], p->now);
		l2tp_engine_handle_expiry(p->e[1], p->now);
		flush(p);
	}
	p->now = t;
}

#endif
