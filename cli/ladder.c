/* Ladder (sequence) diagrams of L2TP control messages between two ends, for
 * captures and the live engine (RFC 2661 §5.8, §7). */
#include <string.h>

#include "cli/ladder.h"

#define TIME_W 11 /* "   12.345  " */
#define ARROW_MIN 26

static const char *const mark_color[] = {
    [CLI_LADDER_PLAIN] = "",           [CLI_LADDER_ZLB] = "\033[2m",
    [CLI_LADDER_STATE] = "\033[32m",   [CLI_LADDER_RTX] = "\033[33m",
    [CLI_LADDER_FINDING] = "\033[31m",
};

/*
 * The time column: "%6u.%03u " when the seconds have at most six digits,
 * wider for the largest time the caller announced, so that the arrows stay
 * under the header and the lifelines whatever the times are.
 */
static int
time_w(const struct cli_ladder *l)
{
	int d = 1;

	for (uint64_t s = l->max_us / 1000000; s >= 10; s /= 10)
		d++;
	return d + 5 > TIME_W ? d + 5 : TIME_W;
}

static void
put_time(const struct cli_ladder *l, uint64_t t_us)
{
	l2tp_sink_printf(l->s, "%*llu.%03llu ", time_w(l) - 5,
	                 (unsigned long long)(t_us / 1000000),
	                 (unsigned long long)(t_us % 1000000 / 1000));
}

static int
arrow_w(const struct cli_ladder *l)
{
	int w = l->width < 60 ? 60 : l->width;

	/* a third of what is left after the time for the arrow */
	w = (w - time_w(l) - 2) / 3 + 6;
	return w < ARROW_MIN ? ARROW_MIN : w;
}

static int
note_w(const struct cli_ladder *l)
{
	int w = (l->width < 60 ? 60 : l->width) - time_w(l) - arrow_w(l) - 4;

	return w < 16 ? 16 : w;
}

static void
pad(struct l2tp_sink *s, char c, int n)
{
	while (n-- > 0)
		l2tp_sink_putc(s, c);
}

/* Printable bytes of p (at most n), others as '?'. */
static void
put_clean(struct l2tp_sink *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		l2tp_sink_putc(s, (unsigned char)p[i] >= 0x20 &&
		                          (unsigned char)p[i] < 0x7f
		                      ? p[i]
		                      : '?');
}

void
cli_ladder_head(struct cli_ladder *l, const char *left, const char *right)
{
	int aw = arrow_w(l);
	size_t ln = strlen(left);

	l2tp_sink_printf(l->s, "%-*s", time_w(l), "Time");
	if ((int)ln > aw)
		ln = (size_t)aw;
	put_clean(l->s, left, ln);
	pad(l->s, ' ', aw + 1 - (int)ln);
	{
		int room = (l->width < 60 ? 60 : l->width) - time_w(l) - aw - 1;
		size_t rn = strlen(right);

		if (room < 8)
			room = 8;
		put_clean(l->s, right, rn > (size_t)room ? (size_t)room : rn);
	}
	l2tp_sink_putc(l->s, '\n');
	pad(l->s, ' ', time_w(l));
	l2tp_sink_putc(l->s, '|');
	pad(l->s, ' ', aw - 1);
	l2tp_sink_puts(l->s, "|\n");
}

/* The lifelines alone, then the start of a note column. */
static void
blank_lines(struct cli_ladder *l)
{
	pad(l->s, ' ', time_w(l));
	l2tp_sink_putc(l->s, '|');
	pad(l->s, ' ', arrow_w(l) - 1);
	l2tp_sink_puts(l->s, "|  ");
}

/* Write up to one note line's worth of words; returns what was used. */
static size_t
note_chunk(const char *p, size_t left, size_t w)
{
	size_t n, best = 0;
	int depth = 0;

	if (left <= w)
		return left;
	/* the last space within w that is not inside [...] */
	for (n = 0; n <= w; n++) {
		if (p[n] == '[')
			depth++;
		else if (p[n] == ']' && depth > 0)
			depth--;
		else if (p[n] == ' ' && depth == 0 && n > 0)
			best = n;
	}
	if (best == 0) /* no such space: any space, else cut */
		for (n = w; n > 0 && best == 0; n--)
			if (p[n] == ' ')
				best = n;
	return best == 0 ? w : best;
}

void
cli_ladder_row(struct cli_ladder *l, const struct cli_ladder_row *r)
{
	int aw = arrow_w(l), inner = aw - 1; /* between the lifelines */
	size_t lab = r->label ? strlen(r->label) : 0;
	const char *col = l->color ? mark_color[r->mark] : "";
	const char *note = r->note ? r->note : "";
	size_t left = strlen(note), w = (size_t)note_w(l);

	if ((int)lab > inner - 5)
		lab = (size_t)(inner - 5);
	put_time(l, r->t_us);
	l2tp_sink_putc(l->s, '|');
	l2tp_sink_puts(l->s, col);
	if (r->to_right) {
		l2tp_sink_puts(l->s, "--");
		put_clean(l->s, r->label ? r->label : "", lab);
		pad(l->s, '-', inner - 3 - (int)lab);
		l2tp_sink_putc(l->s, '>');
	} else {
		l2tp_sink_puts(l->s, "<-");
		put_clean(l->s, r->label ? r->label : "", lab);
		pad(l->s, '-', inner - 2 - (int)lab);
	}
	if (*col)
		l2tp_sink_puts(l->s, "\033[0m");
	l2tp_sink_putc(l->s, '|');
	/* the note, wrapped by words under the arrow */
	while (left && *note == ' ')
		note++, left--;
	if (left == 0) {
		l2tp_sink_putc(l->s, '\n');
		return;
	}
	l2tp_sink_puts(l->s, "  ");
	for (bool first = true; left > 0; first = false) {
		size_t n = note_chunk(note, left, w);

		if (!first)
			blank_lines(l);
		put_clean(l->s, note, n);
		l2tp_sink_putc(l->s, '\n');
		note += n;
		left -= n;
		while (left && *note == ' ')
			note++, left--;
	}
}

void
cli_ladder_text(struct cli_ladder *l, const char *text)
{
	int aw = arrow_w(l);
	size_t n = strlen(text);

	pad(l->s, ' ', time_w(l));
	l2tp_sink_putc(l->s, '|');
	if ((int)n > aw - 3)
		n = (size_t)(aw - 3);
	l2tp_sink_putc(l->s, ' ');
	put_clean(l->s, text, n);
	pad(l->s, ' ', aw - 2 - (int)n);
	l2tp_sink_puts(l->s, "|\n");
}

void
cli_ladder_event(struct cli_ladder *l, uint64_t t_us, bool left,
                 const char *text, enum cli_ladder_mark mark)
{
	int aw = arrow_w(l);
	const char *col = l->color ? mark_color[mark] : "";
	size_t rest = strlen(text), w = (size_t)note_w(l);

	put_time(l, t_us);
	l2tp_sink_putc(l->s, left ? '*' : '|');
	pad(l->s, ' ', aw - 1);
	l2tp_sink_puts(l->s, left ? "|  " : "*  ");
	while (rest && *text == ' ')
		text++, rest--;
	for (bool first = true; first || rest > 0; first = false) {
		size_t n = note_chunk(text, rest, w);

		if (!first)
			blank_lines(l);
		l2tp_sink_puts(l->s, col);
		put_clean(l->s, text, n);
		if (*col)
			l2tp_sink_puts(l->s, "\033[0m");
		l2tp_sink_putc(l->s, '\n');
		text += n;
		rest -= n;
		while (rest && *text == ' ')
			text++, rest--;
	}
}
