/* The display of tunnels and sessions: rows, verbose blocks and JSON, from
 * the engine's info structs, whether a live engine or a capture's observer
 * filled them (RFC 2661 §5-7; the rows in Huawei VRP's wording). */
#ifndef L2TP_CLI_DISPLAY_H
#define L2TP_CLI_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "decoder/json.h"
#include "decoder/sink.h"

struct l2tp_tunnel_info;
struct l2tp_session_info;

/*
 * One listing: `display l2tp tunnel` or `session`, live tunnels first and
 * then those of a capture, into one table (text) or one JSON array.  The
 * listing writes its JSON through the decoder's writer, so the separators
 * are its business and no caller's.
 */
struct disp {
	FILE *f;
	bool json;
	bool verbose;          /* tunnels: blocks instead of rows */
	bool one;              /* sessions: one session, as a block */
	struct l2tp_sink sink; /* on f */
	struct l2tp_json j;    /* the one JSON writer: it places the commas */
	/* a captured session's PPP story, the JSON object of docs/analyze.md
	 * calls[].ppp, added as "ppp" to the next session's object; NULL:
	 * none */
	const char *ppp;
	size_t nppp;
};

/* Begin (JSON: '[') and end (JSON: "]\n") a listing. */
void disp_open(struct disp *d, FILE *f, bool json, bool verbose, bool one);
void disp_close(struct disp *d);

/*
 * A part of the listing: the live engine's (capture NULL) or a capture's,
 * named.  Text: its header row (a capture's after "From capture NAME:"),
 * its rows, then its total.  Nothing is written for JSON but the objects.
 */
void disp_tunnels_begin(struct disp *d, const char *capture);
void disp_tunnels_end(struct disp *d, size_t n, const char *capture);
void disp_sessions_begin(struct disp *d, const char *capture);
void disp_sessions_end(struct disp *d, size_t n, const char *capture);

/* One tunnel as a row, a block or an object; uptimes count to now_ms.  A
 * capture's tunnel is marked as such. */
void disp_tunnel(struct disp *d, const struct l2tp_tunnel_info *t,
                 uint64_t now_ms, const char *capture);
/* A live session with its PPP (pi NULL: none) and data counters: the
 * block of `display l2tp session ID`, and the JSON keys ppp and data. */
struct l2tp_ppp_info;
void disp_session_ppp(struct disp *d, const struct l2tp_session_info *s,
                      const struct l2tp_ppp_info *pi);
void disp_session(struct disp *d, const struct l2tp_session_info *s,
                  const char *capture);

/* `display l2tp tunnel ID`: a block, or one JSON object on a line. */
void disp_tunnel_one(FILE *f, bool json, const struct l2tp_tunnel_info *t,
                     uint64_t now_ms, const char *capture);

#endif
