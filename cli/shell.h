/* The shell's state and command handlers (configuration, debugging, display),
 * apart from the terminal. */
#ifndef L2TP_CLI_SHELL_H
#define L2TP_CLI_SHELL_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/sh.h"
#include "completion/complete.h"

/* Every handler of the command table: sh_do_<name>. */
/* clang-format off */
#define SH_HANDLERS(X)                                                   \
	X(set) X(no_secret)                                              \
	X(disp_config) X(decode) X(analyze) X(debugging)                 \
	X(undo_debugging) X(help) X(history) X(quit)
/* clang-format on */

#define SH_DECLARE(name)                                                       \
	int sh_do_##name(struct sh *sh, const struct cmd_parsed *p);
SH_HANDLERS(SH_DECLARE)
#undef SH_DECLARE

/*
 * A shell writing to out and err.  sh_new_on runs it on the caller's poll
 * loop (which must outlive it); sh_new on a loop of its own.  NULL when
 * out of memory.
 */
struct sh *sh_new(const struct cli_opts *o, FILE *out, FILE *err);
struct sh *sh_new_on(const struct cli_opts *o, struct cli_loop *loop, FILE *out,
                     FILE *err);
void sh_free(struct sh *sh);

/*
 * Run one line: parse it, print `?` help or an error, or call the
 * handler.  Returns 0, SH_QUIT, or -1 when the command failed (the error
 * has been written to the error stream, prefixed by where).
 */
int sh_run_line(struct sh *sh, const char *line, const char *where);

/* The prompt for the current state ("l2tpsh> "). */
const char *sh_prompt(struct sh *sh);

/* Completion values from live state and the decoder tables. */
const struct compl_providers *sh_providers(struct sh *sh);

/* Give the shell the libedit history (for `history`); opaque here. */
void sh_set_history(struct sh *sh, void *hist);

/* Printed when the interactive loop asks (history listing hook). */
typedef void (*sh_history_fn)(void *hist, FILE *out);
void sh_set_history_fn(struct sh *sh, sh_history_fn fn);

/* Interactive use: informational replies ("Info: ...") are shown. */
void sh_set_interactive(struct sh *sh, bool on);

/* Close open tunnels with a StopCCN before leaving, and say so. */
void sh_leave(struct sh *sh);

#endif
