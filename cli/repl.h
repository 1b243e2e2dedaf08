/* The interactive loop: libedit line editing, Tab and `?`, history, one poll
 * loop owning the descriptors. */
#ifndef L2TP_CLI_REPL_H
#define L2TP_CLI_REPL_H

#include <stdbool.h>

struct sh;

/* Run the interactive shell on the terminal; returns the exit status. */
int repl_run(struct sh *sh);

/*
 * Let the poll loop run for ms milliseconds (timers and descriptors keep
 * being served).  Returns 0, or -1 when interrupted by Ctrl-C.
 */
int repl_pause(struct sh *sh, long ms);

/*
 * Descriptors the loop serves besides stdin (UDP sockets, the capture
 * handle): fn runs when fd is readable.  At most REPL_MAX_FDS.  Returns 0
 * or -1 when full.
 */
#define REPL_MAX_FDS 16
int repl_watch(int fd, void (*fn)(void *arg, int fd), void *arg);
void repl_unwatch(int fd);

/*
 * The engine's timer: deadline() answers the next deadline in monotonic
 * milliseconds (or -1 for none), expire(now) runs what is due.
 */
void repl_set_timer(long (*deadline)(void *arg),
                    void (*expire)(void *arg, long now), void *arg);

/* Monotonic milliseconds, the clock the engine is given. */
long repl_now_ms(void);

/* Print text above the prompt, the line being typed redrawn after it. */
void repl_print_async(const char *text);

/*
 * Commands from a pipe or a file on descriptor fd, one per line, the poll
 * loop serving the engine while the next line is awaited.  Each line goes
 * to fn (with its number); fn returns SH_QUIT to stop.  Lines longer than
 * the command line limit are refused with an error.  Returns 1 when a
 * command failed, else 0.
 */
int repl_run_fd(struct sh *sh, int fd, const char *name);

/* Redraw the prompt and the line being typed (the prompt changed). */
void repl_redraw(void);

#endif
