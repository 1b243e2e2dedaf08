/* Ended calls and done tunnels that the analysis no longer keeps in full,
 * told as sums (memory that follows live state, docs/analyze.md). */
#ifndef L2TP_CLI_AN_FOLD_H
#define L2TP_CLI_AN_FOLD_H

#include "decoder/print.h"
#include "engine/observe.h"

/* One line: "144 calls ended and summed: ...", after `lead`. */
void cli_an_fold_text(struct l2tp_sink *s, const char *lead,
                      const struct l2tp_obs_folded *f);
/* ,"KEY":{...} when anything was folded; nothing otherwise. */
void cli_an_fold_json(struct l2tp_sink *s, const char *key,
                      const struct l2tp_obs_folded *f);

#endif
