/* The shell's display of the tunnels `analyze FILE` rebuilt from a capture, in
 * the forms of live tunnels (RFC 2661 §5-7). */
#ifndef L2TP_CLI_AN_SHELL_H
#define L2TP_CLI_AN_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct sh;
struct disp;
struct l2tp_sink;
struct l2tp_json;

/*
 * The shell's display of the capture `analyze` loaded, in the forms live
 * tunnels use (cli/display.c), marked as from the capture.  Each does nothing
 * when no capture is loaded.  Local ids are the initiator's.
 */
struct sh;
/* Its part of a listing the live tunnels began: rows, verbose blocks or
 * JSON objects; returns how many. */
size_t cli_an_sh_tunnels(struct sh *sh, struct disp *d);
/* One tunnel by local id: 0 when shown, -1 when the capture has none. */
int cli_an_sh_tunnel(struct sh *sh, FILE *f, uint16_t tid, bool json);
size_t cli_an_sh_sessions(struct sh *sh, struct disp *d);
int cli_an_sh_session(struct sh *sh, FILE *f, uint16_t sid, bool json);
/* Lines (text, j NULL) or "capture_..." members of the object j is
 * writing (JSON). */
void cli_an_sh_stats(struct sh *sh, FILE *f, struct l2tp_json *j);
/* One captured tunnel's messages, or its ladder: 0, or -1 when none. */
int cli_an_sh_history(struct sh *sh, FILE *f, uint16_t tid, bool ladder,
                      bool json);
/* After the live history: how to see the capture's. */
void cli_an_sh_history_hint(struct sh *sh, struct l2tp_sink *s, bool json);

#endif
