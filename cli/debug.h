/* Debugging: the event classes the shell shows, and their handlers. */
#ifndef L2TP_CLI_DEBUG_H
#define L2TP_CLI_DEBUG_H

#include <stddef.h>

struct sh;
struct cmd_parsed;

/* The classes of mask m (SH_DBG_*) as `display l2tp config` shows them:
 * "event,packet", or "none". */
void cli_debug_text(unsigned m, char *buf, size_t len);

/* debugging l2tp [CLASS], undo debugging [l2tp CLASS]. */
int sh_do_debugging(struct sh *sh, const struct cmd_parsed *p);
int sh_do_undo_debugging(struct sh *sh, const struct cmd_parsed *p);

#endif
