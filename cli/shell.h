/* The shell's state and command handlers (configuration, debugging, display), apart from the terminal. */
#ifndef L2TP_CLI_SHELL_H
#define L2TP_CLI_SHELL_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cmd.h"
#include "completion/complete.h"

/* Every handler of the command table: sh_do_<name>. */
#define SH_HANDLERS(X)                                                   \
	X(set) X(no_secret) X(lns_listen) X(lac_connect) X(lab_start)    \
	X(lab_stop) X(step) X(pending) X(drop) X(edit) X(wait) X(send)   \
	X(call_open) X(call_close) X(hello_tunnel) X(reset_tunnel)       \
	X(reset_session) X(disp_tunnel) X(disp_session) X(disp_stats)    \
	X(disp_config) X(disp_history) X(disp_packet) X(decode)          \
	X(analyze) X(capture_start) X(capture_stop) X(record_start)      \
	X(record_stop) X(debugging) X(undo_debugging) X(help)            \
	X(history) X(quit)

#define SH_DECLARE(name) \
	int sh_do_##name(struct sh *sh, const struct cmd_parsed *p);
SH_HANDLERS(SH_DECLARE)
#undef SH_DECLARE

/* Event classes `debugging l2tp ...` turns on. */
#define SH_DBG_EVENT 0x1
#define SH_DBG_PACKET 0x2
#define SH_DBG_AVP 0x4
#define SH_DBG_ALL (SH_DBG_EVENT | SH_DBG_PACKET | SH_DBG_AVP)

/* Returned by a handler to end the shell (quit). */
#define SH_QUIT 1

struct sh *sh_new(const struct cli_opts *o, FILE *out, FILE *err);
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

/* What `debugging` shows (SH_DBG_*). */
unsigned sh_debug_mask(const struct sh *sh);

/* Give the shell the libedit history (for `history`); opaque here. */
void sh_set_history(struct sh *sh, void *hist);

/* Printed when the interactive loop asks (history listing hook). */
typedef void (*sh_history_fn)(void *hist, FILE *out);
void sh_set_history_fn(struct sh *sh, sh_history_fn fn);

/* Interactive use: informational replies ("Info: ...") are shown. */
void sh_set_interactive(struct sh *sh, bool on);

/* Settings as `display l2tp config` shows them. */
const char *sh_setting(const struct sh *sh, const char *name);

#endif
