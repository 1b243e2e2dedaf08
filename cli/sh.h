/* What the shell offers the parts that run commands (engine driver, capture,
 * display, analysis): its output and error streams, JSON asked for, settings,
 * debugging classes, the poll loop, text above the prompt.  Implemented by
 * cli/shell.c; the parts include this and not shell.h, so that the shell may
 * include them without a cycle. */
#ifndef L2TP_CLI_SH_H
#define L2TP_CLI_SH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct sh;
struct live;
struct cli_an;
struct cli_loop;
struct cmd_parsed;

/* Event classes `debugging l2tp ...` turns on. */
#define SH_DBG_EVENT 0x1
#define SH_DBG_PACKET 0x2
#define SH_DBG_AVP 0x4
#define SH_DBG_LAB 0x8 /* the lab peer's own view too, tagged lab: */
#define SH_DBG_ALL (SH_DBG_EVENT | SH_DBG_PACKET | SH_DBG_AVP | SH_DBG_LAB)

/* Returned by a handler to end the shell (quit). */
#define SH_QUIT 1

/* The poll loop the shell runs on: register descriptors and the timer. */
struct cli_loop *sh_loop(struct sh *sh);

/* The engine driver; the capture `analyze FILE` loaded (and its name), or
 * NULL. */
struct live *sh_live(struct sh *sh);
struct cli_an *sh_capture(struct sh *sh, const char **file);

/* The output stream, JSON asked for (-j or the json keyword), errors
 * (prefixed by where the line came from), informational lines
 * (interactive only), events (above the prompt). */
FILE *sh_out(struct sh *sh);
bool sh_json(const struct sh *sh, const struct cmd_parsed *p);
void sh_error(struct sh *sh, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sh_info(struct sh *sh, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sh_print_event(struct sh *sh, const char *text);
/* -j: every output of the shell is JSON (events too). */
bool sh_json_everywhere(const struct sh *sh);
/* A JSON string literal of str, escaped as the decoder's JSON is. */
void sh_json_str(FILE *f, const char *str);
/* The prompt may have changed (a tunnel changed state): redraw it. */
void sh_prompt_changed(struct sh *sh);

/* What `debugging` shows (SH_DBG_*). */
unsigned sh_debug_mask(const struct sh *sh);

/* Settings as `display l2tp config` shows them; every value, in the order
 * of the settings table (at most cap). */
const char *sh_setting(const struct sh *sh, const char *name);
void sh_settings(const struct sh *sh, const char **vals, size_t cap);

/*
 * The terminal while the line editor runs: print puts text above the
 * prompt and redraws the line being typed, redraw draws the prompt
 * again.  NULL: plain output.
 */
struct sh_term {
	void (*print)(void *arg, const char *text);
	void (*redraw)(void *arg);
	void *arg;
};
void sh_set_term(struct sh *sh, const struct sh_term *t);

#endif
