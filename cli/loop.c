/* The one poll loop: watched descriptors and a timer, in an object. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/loop.h"

struct cli_loop {
	struct {
		int fd;
		void (*fn)(void *arg, int fd);
		void *arg;
	} w[LOOP_MAX_FDS];
	size_t nw;
	long (*deadline)(void *arg);
	void (*expire)(void *arg, long now);
	void *timer_arg;
};

/* The only process-wide state: a signal handler has no argument, and there
 * is one SIGINT per process. */
static volatile sig_atomic_t got_int;
static struct sigaction old_int;
static bool catching;

static void
on_sigint(int sig)
{
	(void)sig;
	got_int = 1;
}

void
loop_catch_interrupt(bool on)
{
	struct sigaction sa;

	if (on == catching)
		return;
	if (on) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigint;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, &old_int);
	} else {
		sigaction(SIGINT, &old_int, NULL);
	}
	catching = on;
}

void
loop_clear_interrupt(void)
{
	got_int = 0;
}

struct cli_loop *
loop_new(void)
{
	return calloc(1, sizeof(struct cli_loop));
}

void
loop_free(struct cli_loop *l)
{
	free(l);
}

long
loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
loop_watch(struct cli_loop *l, int fd, void (*fn)(void *arg, int fd), void *arg)
{
	if (l->nw == LOOP_MAX_FDS)
		return -1;
	l->w[l->nw].fd = fd;
	l->w[l->nw].fn = fn;
	l->w[l->nw].arg = arg;
	l->nw++;
	return 0;
}

void
loop_unwatch(struct cli_loop *l, int fd)
{
	for (size_t i = 0; i < l->nw; i++)
		if (l->w[i].fd == fd) {
			l->w[i] = l->w[--l->nw];
			return;
		}
}

void
loop_set_timer(struct cli_loop *l, long (*deadline)(void *arg),
               void (*expire)(void *arg, long now), void *arg)
{
	l->deadline = deadline;
	l->expire = expire;
	l->timer_arg = arg;
}

int
loop_wait(struct cli_loop *l, int infd, long ms)
{
	bool want_in = infd >= 0;
	struct pollfd pfd[LOOP_MAX_FDS + 1];
	long end = ms < 0 ? -1 : loop_now_ms() + ms;
	bool polled = false;

	for (;;) {
		long now = loop_now_ms(), wake = end, dl;
		size_t n = 0, nw = l->nw;
		int k, timeout;

		if (got_int) {
			got_int = 0;
			return -1;
		}
		if (end >= 0 && now >= end && polled)
			return 0;
		if (l->deadline && (dl = l->deadline(l->timer_arg)) >= 0) {
			if (dl <= now) {
				l->expire(l->timer_arg, now);
				continue;
			}
			if (wake < 0 || dl < wake)
				wake = dl;
		}
		if (want_in)
			pfd[n++] = (struct pollfd){infd, POLLIN, 0};
		for (size_t i = 0; i < nw; i++)
			pfd[n++] = (struct pollfd){l->w[i].fd, POLLIN, 0};
		timeout = wake < 0               ? -1
		          : wake <= now          ? 0
		          : wake - now > INT_MAX ? INT_MAX
		                                 : (int)(wake - now);
		k = poll(pfd, (nfds_t)n, timeout);
		polled = true;
		if (k < 0 && errno != EINTR)
			return -1;
		if (k <= 0)
			continue;
		/* Sockets first: a burst of input never starves the engine.
		 * A callback may unwatch: check the slot still holds the fd. */
		for (size_t i = want_in ? 1 : 0, w = 0; i < n; i++, w++)
			if (pfd[i].revents && w < l->nw &&
			    l->w[w].fd == pfd[i].fd)
				l->w[w].fn(l->w[w].arg, pfd[i].fd);
		if (want_in && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			return 1;
	}
}

int
loop_pause(struct cli_loop *l, long ms)
{
	return loop_wait(l, -1, ms) < 0 ? -1 : 0;
}
