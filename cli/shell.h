/* The shell's state and command handlers (configuration, debugging, display),
 * apart from the terminal. */
#ifndef L2TP_CLI_SHELL_H
#define L2TP_CLI_SHELL_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/live.h"
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

/* Event classes `debugging l2tp ...` turns on. */
#define SH_DBG_EVENT 0x1
#define SH_DBG_PACKET 0x2
#define SH_DBG_AVP 0x4
#define SH_DBG_LAB 0x8 /* the lab peer's own view too, tagged lab: */
#define SH_DBG_ALL (SH_DBG_EVENT | SH_DBG_PACKET | SH_DBG_AVP | SH_DBG_LAB)

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

/* For the live side: its state, the output stream, JSON asked for, errors,
 * informational lines (interactive only), events (above the prompt). */
struct live *sh_live(struct sh *sh);
/* The capture `analyze FILE` loaded (and its name), or NULL. */
struct cli_an;
struct cli_an *sh_capture(struct sh *sh, const char **file);
FILE *sh_out(struct sh *sh);
bool sh_json(const struct sh *sh, const struct cmd_parsed *p);
void sh_error(struct sh *sh, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A JSON string literal of str, escaped as the decoder's JSON is. */
void sh_json_str(FILE *f, const char *str);
void sh_info(struct sh *sh, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sh_print_event(struct sh *sh, const char *text);
/* The prompt may have changed (a tunnel changed state): redraw it. */
void sh_prompt_changed(struct sh *sh);

/* Close open tunnels with a StopCCN before leaving, and say so. */
void sh_leave(struct sh *sh);

/* Settings as `display l2tp config` shows them. */
const char *sh_setting(const struct sh *sh, const char *name);

#endif
