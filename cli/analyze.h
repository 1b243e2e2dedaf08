/* l2tpsh -r FILE --analyze: tunnels rebuilt from a capture, explained in words,
 * JSON and ladders (RFC 2661 §4.4, §5, §6, §7). */
#ifndef L2TP_CLI_ANALYZE_H
#define L2TP_CLI_ANALYZE_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"
#include "decoder/l2tp.h"
#include "decoder/print.h"
#include "engine/observe.h"

struct cli_an;
struct cli_an_ppp_opts;

/* An analysis with the options' secrets and ports; NULL when out of
 * memory.  The options must outlive it. */
struct cli_an *cli_an_new(const struct cli_decode_opts *o);
void cli_an_free(struct cli_an *a);

/* One L2TP datagram: rc is what l2tp_parse returned; m is unhidden. */
void cli_an_l2tp(struct cli_an *a, const struct l2tp_pkt_meta *meta,
                 const struct l2tp_msg *m, int rc);
/* Any other frame (UDP on another port is checked for L2TP). */
void cli_an_frame(struct cli_an *a, const struct l2tp_pkt_meta *meta);

/* The end of the capture: the report, as text (with ladders) or one JSON
 * object.  width: columns for the ladders. */
void cli_an_report(struct cli_an *a, struct l2tp_sink *s, bool json, bool color,
                   int width);

/* Columns of a terminal (or $COLUMNS, else 80) for the ladders. */
int cli_an_width(FILE *f);

/* The observer inside, for the shell's display commands. */
struct l2tp_obs *cli_an_obs(struct cli_an *a);
/* When the capture started (microseconds since the epoch). */
uint64_t cli_an_t0(const struct cli_an *a);
/* What the PPP story needs (cli/an_ppp.h): the start, the passwords. */
const struct cli_an_ppp_opts *cli_an_ppp_opts(const struct cli_an *a);

/* One tunnel's ladder, and its whole analysis as one JSON object. */
void cli_an_ladder(struct l2tp_sink *s, const struct cli_an *a,
                   const struct l2tp_obs_tunnel *t, bool color, int width);
void cli_an_json_tunnel(struct l2tp_sink *s, const struct cli_an *a,
                        const struct l2tp_obs_tunnel *t);

/* Keep the analysis past the options it was made with (the shell): it
 * then only answers the display functions below. */
void cli_an_detach(struct cli_an *a);

/* Words for a StopCCN / CDN result: the likely cause and what to check.
 * Never NULL. */
const char *cli_an_stop_cause(uint16_t result, uint16_t error,
                              const char *message, const char **check);
const char *cli_an_cdn_cause(uint16_t result, uint16_t error,
                             const char **check);

#endif
