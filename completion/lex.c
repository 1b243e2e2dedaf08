/* The command language's lexer: blanks, quotes, backslash escapes, comments,
 * a trailing '?' for help, and the ';' split of -c. */
#include <string.h>

#include "completion/cmdlang.h"

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* An unquoted '?' asks for help when it ends the line or a word. */
static bool
help_mark(const char *line, size_t len, size_t i)
{
	return line[i] == '?' &&
	       (i + 1 == len || line[i + 1] == ' ' || line[i + 1] == '\n');
}

int
compl_lex(const char *line, size_t len, struct compl_lex *lx)
{
	size_t i = 0, o = 0;

	lx->n = 0;
	lx->open_quote = false;
	lx->help = false;
	while (i < len) {
		struct compl_tok *t;
		char q = 0;

		while (i < len && blank(line[i]))
			i++;
		if (i == len || line[i] == '#')
			break;
		if (help_mark(line, len, i)) {
			lx->help = true;
			lx->help_at = i;
			break;
		}
		if (lx->n == CMD_MAX_TOK)
			return CMD_E_LONG;
		t = &lx->tok[lx->n];
		t->start = i;
		t->quoted = false;
		t->s = lx->buf + o;
		for (; i < len; i++) {
			char c = line[i];

			if (q) {
				if (c == q) {
					q = 0;
					continue;
				}
				if (c == '\\' && q == '"' && i + 1 < len)
					c = line[++i];
			} else if (blank(c)) {
				break;
			} else if (c == '"' || c == '\'') {
				q = c;
				t->quoted = true;
				continue;
			} else if (c == '\\' && i + 1 < len) {
				c = line[++i];
			} else if (help_mark(line, len, i)) {
				/* "dis?" asks what "dis" may become. */
				lx->help = true;
				lx->help_at = i;
				break;
			}
			if (o + 1 >= sizeof(lx->buf))
				return CMD_E_LONG;
			lx->buf[o++] = c;
		}
		lx->buf[o++] = '\0';
		t->end = i;
		lx->n++;
		if (q) {
			lx->open_quote = true;
			break;
		}
		if (lx->help)
			break;
	}
	return 0;
}

int
cmd_split(const char *s, char **out, int max, char *buf, size_t len)
{
	size_t o = 0;
	int n = 0;
	char q = 0;

	if (strlen(s) >= len)
		return -1;
	out[n++] = buf;
	for (; *s; s++) {
		if (q && *s == q)
			q = 0;
		else if (!q && (*s == '"' || *s == '\''))
			q = *s;
		else if (!q && *s == '\\' && s[1]) {
			buf[o++] = *s++;
		} else if (!q && *s == ';') {
			buf[o++] = '\0';
			if (n == max)
				return -1;
			out[n++] = buf + o;
			continue;
		}
		buf[o++] = *s;
	}
	buf[o] = '\0';
	return n;
}
