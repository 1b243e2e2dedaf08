/* The one poll loop: descriptors and a timer served while the shell waits for
 * input.  An object owned by whoever runs the shell and handed to the parts
 * that register descriptors and timers; no state outside it. */
#ifndef L2TP_CLI_LOOP_H
#define L2TP_CLI_LOOP_H

#include <stdbool.h>

struct cli_loop;

#define LOOP_MAX_FDS 16

/* A loop with nothing registered; NULL when out of memory. */
struct cli_loop *loop_new(void);
void loop_free(struct cli_loop *l);

/* Monotonic milliseconds, the clock the engine is given. */
long loop_now_ms(void);

/*
 * fn runs when fd is readable.  At most LOOP_MAX_FDS.  Returns 0, or -1
 * when full.  loop_unwatch may be called from inside fn.
 */
int loop_watch(struct cli_loop *l, int fd, void (*fn)(void *arg, int fd),
               void *arg);
void loop_unwatch(struct cli_loop *l, int fd);

/*
 * The one timer: deadline() answers the next deadline in monotonic
 * milliseconds (or -1 for none), expire(now) runs what is due.  NULLs
 * remove it.
 */
void loop_set_timer(struct cli_loop *l, long (*deadline)(void *arg),
                    void (*expire)(void *arg, long now), void *arg);

/*
 * Serve the descriptors and the timer until infd (-1: none) is readable
 * (returns 1), ms milliseconds have passed (returns 0; ms < 0: never) or
 * Ctrl-C was pressed (returns -1).  Even a zero wait serves what is
 * ready once.
 */
int loop_wait(struct cli_loop *l, int infd, long ms);

/* Let the loop run for ms milliseconds: 0, or -1 when interrupted. */
int loop_pause(struct cli_loop *l, long ms);

/*
 * Ctrl-C: catch SIGINT so that a wait returns -1 (on); give the old
 * handler back (off).  loop_clear_interrupt forgets a pending one.
 */
void loop_catch_interrupt(bool on);
void loop_clear_interrupt(void);

#endif
