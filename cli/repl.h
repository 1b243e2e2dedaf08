/* The interactive loop: libedit line editing, Tab and `?`, history, one poll loop owning the descriptors. */
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

/* Print text above the prompt, the line being typed redrawn after it. */
void repl_print_async(const char *text);

#endif
