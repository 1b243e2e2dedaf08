/* Ladder (sequence) diagrams of L2TP control messages between two ends, for
 * captures and the live engine (RFC 2661 §5.8, §7). */
#ifndef L2TP_CLI_LADDER_H
#define L2TP_CLI_LADDER_H

#include <stdbool.h>
#include <stdint.h>

#include "decoder/print.h"

enum cli_ladder_mark {
	CLI_LADDER_PLAIN = 0,
	CLI_LADDER_ZLB,     /* an acknowledgement: drawn lighter */
	CLI_LADDER_STATE,   /* the tunnel changed state */
	CLI_LADDER_RTX,     /* a retransmission or duplicate */
	CLI_LADDER_FINDING, /* something is wrong with it */
};

struct cli_ladder {
	struct l2tp_sink *s;
	bool color; /* ANSI colour: only when writing to a terminal */
	int width;  /* columns; below 60 is taken as 60 */
	/* the largest time a row or event will have: the time column is as
	 * wide as it needs (0: times under 1,000,000 s) */
	uint64_t max_us;
};

/* The two ends' names over their lifelines. */
void cli_ladder_head(struct cli_ladder *l, const char *left, const char *right);

struct cli_ladder_row {
	uint64_t t_us;     /* time since the start */
	bool to_right;     /* sent by the left end */
	const char *label; /* "SCCRQ 0/0": on the arrow, cut to fit */
	const char *note;  /* after the right lifeline, wrapped; may be NULL */
	enum cli_ladder_mark mark;
};

/* One message: an arrow in its direction, then its note wrapped under it
 * with both lifelines kept, so wide text never breaks the drawing. */
void cli_ladder_row(struct cli_ladder *l, const struct cli_ladder_row *r);

/* Something that happened at one end (a state change, a verdict): a '*' on
 * its lifeline (left or right) at time t_us, the text wrapped beside it. */
void cli_ladder_event(struct cli_ladder *l, uint64_t t_us, bool left,
                      const char *text, enum cli_ladder_mark mark);

/* A line across both lifelines ("... 12 messages not kept ..."). */
void cli_ladder_text(struct cli_ladder *l, const char *text);

#endif
