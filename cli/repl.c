/* The interactive loop: libedit wired to the command table (Tab, `?`, history),
 * one poll loop for every descriptor. */
#define _XOPEN_SOURCE 700 /* wcwidth */
#include <errno.h>
#include <histedit.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "cli/loop.h"
#include "cli/repl.h"
#include "cli/secret.h"
#include "cli/shell.h"
#include "completion/complete.h"

#define REPL_HISTORY_SIZE 1000

struct repl {
	EditLine *el;
	History *hist;
	struct sh *sh;
	char histfile[PATH_MAX];
	struct cli_loop *loop;
	bool abandon; /* Ctrl-C: drop the line being typed */
	bool reading; /* inside el_gets: async text must redraw the line */
	struct compl_result res;
	size_t prompt_cols; /* width of the prompt libedit last drew */
};

/* libedit gives a callback only the EditLine; the repl is its client data. */
static struct repl *
repl_of(EditLine *el)
{
	struct repl *r;

	el_get(el, EL_CLIENTDATA, &r);
	return r;
}

/* libedit's character source: the poll loop runs while the user thinks. */
static int
repl_getc(EditLine *el, wchar_t *wc)
{
	char buf[MB_LEN_MAX];
	size_t n = 0;
	mbstate_t st;
	struct cli_loop *loop = repl_of(el)->loop;

	memset(&st, 0, sizeof(st));
	for (;;) {
		int w = loop_wait(loop, STDIN_FILENO, -1);
		ssize_t r;
		size_t k;

		if (w < 0) {
			*wc = 3; /* Ctrl-C as a key, bound to abandon */
			return 1;
		}
		r = read(STDIN_FILENO, buf + n, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 ? 0 : -1;
		n++;
		k = mbrtowc(wc, buf, n, &st);
		if (k == (size_t)-2 && n < sizeof(buf))
			continue;
		if (k == (size_t)-1 || k == (size_t)-2) {
			/* Not valid in this locale: pass the byte through. */
			*wc = (unsigned char)buf[0];
			return 1;
		}
		return 1;
	}
}

/* The column a multibyte string drawn from column cols ends at, as libedit
 * draws it (a tab to the next multiple of 8, a control character as ^X). */
static size_t
screen_cols(size_t cols, const char *s, size_t len)
{
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	while (len > 0) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, len, &st);
		int w;

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			/* Not valid in this locale: libedit shows \ooo. */
			memset(&st, 0, sizeof(st));
			cols += 4;
			k = 1;
		} else if (wc == '\t') {
			cols = (cols | 7) + 1;
		} else if (wc < 0x20 || wc == 0x7f) {
			cols += 2;
		} else {
			w = wcwidth(wc);
			cols += w < 0 ? 4 : (size_t)w;
		}
		s += k;
		len -= k;
	}
	return cols;
}

/*
 * Wipe the prompt and the line being typed, every screen row of it: go up
 * from the cursor's row to the prompt's first row, then clear to the end of
 * the screen.  libedit redraws it all on EL_REFRESH, from where the cursor
 * is left, so text printed in between stays above the line, whole.
 */
static void
clear_edit_area(struct repl *cur)
{
	const LineInfo *li = el_line(cur->el);
	int tw = 0;
	size_t pos, up = 0;

	if (el_get(cur->el, EL_GETTC, "co", &tw) != 0 || tw <= 0)
		tw = 80;
	if (li != NULL) {
		pos = screen_cols(cur->prompt_cols, li->buffer,
		                  (size_t)(li->cursor - li->buffer));
		up = pos / (size_t)tw;
	}
	if (up > 0)
		printf("\r\033[%zuA", up);
	fputs("\r\033[J", stdout);
}

static void
repl_print_async(void *arg, const char *text)
{
	struct repl *cur = arg;

	if (!cur->reading) {
		fputs(text, stdout);
		fflush(stdout);
		return;
	}
	/* Clear the line being typed, print, then let libedit redraw it. */
	clear_edit_area(cur);
	fputs(text, stdout);
	if (*text && text[strlen(text) - 1] != '\n')
		fputc('\n', stdout);
	fflush(stdout);
	el_set(cur->el, EL_REFRESH);
}

static void
repl_redraw(void *arg)
{
	struct repl *cur = arg;

	if (!cur->reading)
		return;
	clear_edit_area(cur);
	fflush(stdout);
	el_set(cur->el, EL_REFRESH);
}

static char *
prompt_fn(EditLine *el)
{
	struct repl *r;
	const char *p;

	el_get(el, EL_CLIENTDATA, &r);
	p = sh_prompt(r->sh);
	r->prompt_cols = screen_cols(0, p, strlen(p));
	return (char *)p;
}

static unsigned char
fn_abandon(EditLine *el, int ch)
{
	struct repl *r;
	const LineInfo *li = el_line(el);

	(void)ch;
	el_get(el, EL_CLIENTDATA, &r);
	r->abandon = true;
	el_cursor(el, (int)(li->lastchar - li->cursor));
	el_insertstr(el, "^C");
	el_push(el, "\n");
	return CC_REFRESH;
}

/* Print words in columns the width of the terminal. */
static void
print_columns(struct repl *cur, const struct compl_result *res)
{
	size_t w = 0, cols, k = 0;
	int tw = 80;

	el_get(cur->el, EL_GETTC, "co", &tw);
	for (size_t i = 0; i < res->n; i++)
		if (strlen(res->c[i].word) > w)
			w = strlen(res->c[i].word);
	w += 2;
	cols = tw > 0 && (size_t)tw > w ? (size_t)tw / w : 1;
	for (size_t i = 0; i < res->n; i++) {
		const char *s = res->c[i].word;

		if (res->c[i].hint)
			printf("%-*s", (int)w, s);
		else
			printf("%-*s", (int)w, s);
		if (++k % cols == 0)
			putchar('\n');
	}
	if (k % cols)
		putchar('\n');
}

/* Insert text, escaping blanks and quotes so the lexer reads it back. */
static void
insert_word(EditLine *el, const char *s, bool quoted)
{
	char buf[CMD_LINE_MAX * 2];
	size_t o = 0;

	for (; *s && o + 2 < sizeof(buf); s++) {
		if (!quoted && strchr(" \t\"'\\#", *s))
			buf[o++] = '\\';
		buf[o++] = *s;
	}
	buf[o] = '\0';
	el_insertstr(el, buf);
}

static unsigned char
fn_complete(EditLine *el, int ch)
{
	struct repl *r;
	const LineInfo *li = el_line(el);
	char line[CMD_LINE_MAX], err[1024];
	size_t len = (size_t)(li->cursor - li->buffer);
	struct compl_result *res;
	size_t pl;

	(void)ch;
	el_get(el, EL_CLIENTDATA, &r);
	res = &r->res;
	if (len >= sizeof(line))
		return CC_REFRESH_BEEP;
	memcpy(line, li->buffer, len);
	line[len] = '\0';
	compl_complete(cmd_lang(), sh_providers(r->sh), line, len, res);
	switch (res->status) {
	case COMPL_ERR:
		/* Say why nothing can follow, the line stays as typed. */
		if (cmd_help(line, len, sh_providers(r->sh), stdout, err,
		             sizeof(err)) < 0)
			printf("\n%s\n", err);
		return CC_REDISPLAY;
	case COMPL_NONE:
		return CC_REFRESH_BEEP;
	case COMPL_ONE:
		pl = strlen(res->partial);
		insert_word(el, res->c[0].word + pl, res->lx.open_quote);
		if (!res->c[0].nospace)
			el_insertstr(el, res->lx.open_quote ? "\" " : " ");
		return CC_REFRESH;
	case COMPL_MANY:
		pl = strlen(res->partial);
		if (strlen(res->prefix) > pl) {
			insert_word(el, res->prefix + pl, res->lx.open_quote);
			return CC_REFRESH;
		}
		putchar('\n');
		print_columns(r, res);
		return CC_REDISPLAY;
	case COMPL_HINT:
		putchar('\n');
		cmd_help(line, len, sh_providers(r->sh), stdout, err,
		         sizeof(err));
		return CC_REDISPLAY;
	}
	return CC_NORM;
}

static unsigned char
fn_help(EditLine *el, int ch)
{
	struct repl *r;
	const LineInfo *li = el_line(el);
	char line[CMD_LINE_MAX], err[1024];
	size_t len = (size_t)(li->cursor - li->buffer);
	struct compl_lex *lx;

	(void)ch;
	el_get(el, EL_CLIENTDATA, &r);
	if (len >= sizeof(line))
		return CC_REFRESH_BEEP;
	memcpy(line, li->buffer, len);
	line[len] = '\0';
	lx = &r->res.lx;
	/* Inside quotes a '?' is just a character (a secret may have one). */
	if (compl_lex(line, len, lx) == 0 && lx->open_quote) {
		el_insertstr(el, "?");
		return CC_REFRESH;
	}
	printf("?\n");
	if (cmd_help(line, len, sh_providers(r->sh), stdout, err, sizeof(err)) <
	    0)
		printf("%s\n", err);
	fflush(stdout);
	return CC_REDISPLAY;
}

int
repl_run_fd(struct sh *sh, struct cli_loop *loop, int fd, const char *name)
{
	static char buf[CMD_LINE_MAX * 4];
	char where[CMD_LINE_MAX];
	size_t len = 0;
	long lineno = 0;
	bool eof = false, skipping = false;
	int status = 0;

	for (;;) {
		char *nl = memchr(buf, '\n', len);
		size_t n;
		ssize_t r;
		int rc;

		if (nl == NULL && !eof && len < sizeof(buf) - 1) {
			/* Serve sockets and timers until the next bytes. */
			if (loop_wait(loop, fd, -1) < 0)
				return 1;
			r = read(fd, buf + len, sizeof(buf) - 1 - len);
			if (r < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (r <= 0)
				eof = true;
			else
				len += (size_t)r;
			continue;
		}
		if (nl == NULL && len == 0)
			break;
		n = nl ? (size_t)(nl - buf) + 1 : len;
		if (nl == NULL && !eof) {
			/* A line that fills the buffer: refuse it whole. */
			if (!skipping) {
				lineno++;
				fprintf(stderr,
				        "l2tpsh: %s:%ld: line too long: at "
				        "most %d characters\n",
				        name, lineno, CMD_LINE_MAX - 1);
				status = 1;
			}
			skipping = true;
			len = 0;
			continue;
		}
		buf[n - (nl ? 1 : 0)] = '\0';
		if (skipping) {
			skipping = false;
		} else {
			lineno++;
			snprintf(where, sizeof(where), "%s:%ld", name, lineno);
			rc = sh_run_line(sh, buf, where);
			if (rc == SH_QUIT)
				break;
			if (rc < 0)
				status = 1;
		}
		memmove(buf, buf + n, len - n);
		len -= n;
	}
	return status;
}

static void
history_list(void *hist, FILE *out)
{
	HistEvent ev;
	int n = 0;

	if (history((History *)hist, &ev, H_LAST) < 0)
		return;
	do {
		fprintf(out, "%5d  %s", ++n, ev.str);
		if (*ev.str && ev.str[strlen(ev.str) - 1] != '\n')
			fputc('\n', out);
	} while (history((History *)hist, &ev, H_PREV) == 0);
}

static void
history_path(struct repl *r)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if ((home == NULL || *home == '\0') && (pw = getpwuid(getuid())))
		home = pw->pw_dir;
	r->histfile[0] = '\0';
	if (home && *home)
		snprintf(r->histfile, sizeof(r->histfile), "%s/.l2tpsh_history",
		         home);
}

int
repl_run(struct sh *sh, struct cli_loop *loop)
{
	struct repl *r = calloc(1, sizeof(*r));
	struct sh_term term;
	HistEvent ev;
	int status = 0, rc, count;
	const char *line;

	if (r == NULL) {
		fprintf(stderr, "l2tpsh: out of memory\n");
		return 1;
	}
	r->sh = sh;
	r->loop = loop;
	term.print = repl_print_async;
	term.redraw = repl_redraw;
	term.arg = r;
	sh_set_term(sh, &term);
	loop_catch_interrupt(true);

	r->hist = history_init();
	history(r->hist, &ev, H_SETSIZE, REPL_HISTORY_SIZE);
	history(r->hist, &ev, H_SETUNIQUE, 1);
	history_path(r);
	if (r->histfile[0] && history(r->hist, &ev, H_LOAD, r->histfile) >= 0 &&
	    cli_secret_mask_history(r->hist) > 0)
		history(r->hist, &ev, H_SAVE, r->histfile);
	sh_set_history(sh, r->hist);
	sh_set_history_fn(sh, history_list);

	r->el = el_init("l2tpsh", stdin, stdout, stderr);
	el_set(r->el, EL_CLIENTDATA, r);
	el_set(r->el, EL_EDITOR, "emacs");
	el_set(r->el, EL_SIGNAL, 1);
	el_set(r->el, EL_PROMPT, prompt_fn);
	el_set(r->el, EL_HIST, history, r->hist);
	el_set(r->el, EL_GETCFN, repl_getc);
	/* Ctrl-C reaches us as a key while editing, not as a signal. */
	el_set(r->el, EL_SETTY, "-d", "-isig", NULL);
	el_set(r->el, EL_ADDFN, "l2tpsh-complete",
	       "complete a keyword or "
	       "value",
	       fn_complete);
	el_set(r->el, EL_ADDFN, "l2tpsh-help", "list what may come next",
	       fn_help);
	el_set(r->el, EL_ADDFN, "l2tpsh-abandon", "drop the line", fn_abandon);
	el_set(r->el, EL_BIND, "^I", "l2tpsh-complete", NULL);
	el_set(r->el, EL_BIND, "?", "l2tpsh-help", NULL);
	el_set(r->el, EL_BIND, "^C", "l2tpsh-abandon", NULL);
	el_source(r->el, NULL); /* ~/.editrc may rebind any of this */

	for (;;) {
		r->abandon = false;
		r->reading = true;
		line = el_gets(r->el, &count);
		r->reading = false;
		if (line == NULL || count <= 0) {
			/* Ctrl-D on an empty line, or stdin closed. */
			putchar('\n');
			break;
		}
		if (r->abandon)
			continue;
		if (strspn(line, " \t\r\n") != strlen(line)) {
			/* Secrets go to the history masked (or not at all). */
			char *h = cli_secret_mask(line, NULL);

			if (h)
				history(r->hist, &ev, H_ENTER, h);
			free(h);
			if (r->histfile[0])
				history(r->hist, &ev, H_SAVE, r->histfile);
		}
		loop_clear_interrupt();
		rc = sh_run_line(sh, line, NULL);
		if (rc == SH_QUIT)
			break;
		status = rc < 0 ? 1 : 0;
	}
	fflush(stdout);
	if (r->histfile[0])
		history(r->hist, &ev, H_SAVE, r->histfile);
	el_end(r->el);
	history_end(r->hist);
	loop_catch_interrupt(false);
	sh_set_term(sh, NULL);
	free(r);
	(void)status;
	/* Interactively a failed command does not make the session fail. */
	return 0;
}
