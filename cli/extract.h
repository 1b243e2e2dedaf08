/* --tunnel ID / --session ID: one tunnel or session of a capture picked out
 * for the decode, the analysis and -w (RFC 2661 §3.1, §5.1).  Either end's
 * id names it; the other end's id and the SCCRQ (or ICRQ/OCRQ) that opened
 * it are found by the Assigned Tunnel (Session) ID and the address pair. */
#ifndef L2TP_CLI_EXTRACT_H
#define L2TP_CLI_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "decoder/frame.h"
#include "decoder/l2tp.h"

struct cli_sel;

/* tunnel, session: the ids asked for, -1 when not given.  NULL when out of
 * memory. */
struct cli_sel *cli_sel_new(long tunnel, long session);
void cli_sel_free(struct cli_sel *s);

/* Learn the ids a message carries (its Assigned Tunnel ID and Assigned
 * Session ID, the header's ids).  Called for every L2TP message of a first
 * pass over a file, and of the one pass over standard input. */
void cli_sel_learn(struct cli_sel *s, const struct l2tp_frame *fr,
                   const struct l2tp_msg *m);

/*
 * After the first pass: -1 with err ("no tunnel 7 in the capture; its
 * tunnels are 1, 2, 3 ... (12 in all)") when the id asked for is not in
 * it; otherwise 0 (warn says when only one direction can be matched).
 */
int cli_sel_resolve(struct cli_sel *s, char *err, size_t len, char *warn,
                    size_t wlen);

/* Whether this message is in the selection. */
bool cli_sel_match(struct cli_sel *s, const struct l2tp_frame *fr,
                   const struct l2tp_msg *m);

/* "tunnel 5", "session 9", "session 9 of tunnel 5": for messages. */
const char *cli_sel_name(const struct cli_sel *s, char *buf, size_t len);

#endif
