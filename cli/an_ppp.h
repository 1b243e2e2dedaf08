/* The PPP story of a captured call in words and JSON, for --analyze (RFC 1661,
 * 1332, 1334, 1994, 5072; RFC 2661 §5.4). */
#ifndef L2TP_CLI_AN_PPP_H
#define L2TP_CLI_AN_PPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decoder/print.h"
#include "engine/observe.h"

struct cli_an_ppp_opts {
	uint64_t t0;         /* the capture's first frame, for times */
	size_t npasswords;   /* --password given */
	bool show_passwords; /* --show-passwords: PAP passwords in clear */
};

/* The call's story as lines indented under its "Call N" line; nothing
 * when it has none. */
void cli_an_ppp_text(struct l2tp_sink *s, const struct cli_an_ppp_opts *po,
                     const struct l2tp_obs_tunnel *t,
                     const struct l2tp_obs_call *c);

/* ,"ppp":{...} inside the call's JSON object; nothing when it has none. */
void cli_an_ppp_json(struct l2tp_sink *s, const struct cli_an_ppp_opts *po,
                     const struct l2tp_obs_tunnel *t,
                     const struct l2tp_obs_call *c);

/* What went wrong in the call's PPP, in words, with the likely cause and
 * the next check; NULL when nothing did. */
const char *cli_an_ppp_failure(const struct l2tp_obs_tunnel *t,
                               const struct l2tp_obs_call *c, char *buf,
                               size_t len, const char **cause,
                               const char **check);

#endif
