/* The interactive loop: libedit wired to the command table (Tab, `?`, history),
 * one poll loop for every descriptor. */
#define _XOPEN_SOURCE 700 /* wcwidth */
#include <errno.h>
#include <histedit.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

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
	bool abandon; /* Ctrl-C: drop the line being typed */
	bool reading; /* inside el_gets: async text must redraw the line */
	struct compl_result res;
	size_t prompt_cols; /* width of the prompt libedit last drew */
};

static struct repl *cur; /* for async printing; one terminal per process */
static volatile sig_atomic_t got_int;

static void
on_sigint(int sig)
{
	(void)sig;
	got_int = 1;
}

long
repl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct {
	int fd;
	void (*fn)(void *arg, int fd);
	void *arg;
} watched[REPL_MAX_FDS];
static size_t nwatched;
static long (*timer_deadline)(void *arg);
static void (*timer_expire)(void *arg, long now);
static void *timer_arg;

int
repl_watch(int fd, void (*fn)(void *arg, int fd), void *arg)
{
	if (nwatched == REPL_MAX_FDS)
		return -1;
	watched[nwatched].fd = fd;
	watched[nwatched].fn = fn;
	watched[nwatched].arg = arg;
	nwatched++;
	return 0;
}

void
repl_unwatch(int fd)
{
	for (size_t i = 0; i < nwatched; i++)
		if (watched[i].fd == fd) {
			watched[i] = watched[--nwatched];
			return;
		}
}

void
repl_set_timer(long (*deadline)(void *arg), void (*expire)(void *arg, long now),
               void *arg)
{
	timer_deadline = deadline;
	timer_expire = expire;
	timer_arg = arg;
}

/*
 * The one poll loop: infd (stdin or a script; -1 for none), the watched
 * descriptors and the engine's deadline.  Returns 1 when infd is readable, 0
 * when ms have passed (ms < 0: never), -1 on Ctrl-C.
 */
static int
loop_wait_fd(int infd, long ms)
{
	bool want_stdin = infd >= 0;
	struct pollfd pfd[REPL_MAX_FDS + 1];
	long end = ms < 0 ? -1 : repl_now_ms() + ms;
	bool polled = false;

	for (;;) {
		long now = repl_now_ms(), wake = end, dl;
		size_t n = 0, nw = nwatched;
		int k, timeout;

		if (got_int) {
			got_int = 0;
			return -1;
		}
		/* Even a zero wait serves what is ready once. */
		if (end >= 0 && now >= end && polled)
			return 0;
		if (timer_deadline && (dl = timer_deadline(timer_arg)) >= 0) {
			if (dl <= now) {
				timer_expire(timer_arg, now);
				continue;
			}
			if (wake < 0 || dl < wake)
				wake = dl;
		}
		if (want_stdin)
			pfd[n++] = (struct pollfd){infd, POLLIN, 0};
		for (size_t i = 0; i < nw; i++)
			pfd[n++] = (struct pollfd){watched[i].fd, POLLIN, 0};
		timeout = wake < 0               ? -1
		          : wake <= now          ? 0
		          : wake - now > INT_MAX ? INT_MAX
		                                 : (int)(wake - now);
		k = poll(pfd, (nfds_t)n, timeout);
		polled = true;
		if (k < 0 && errno != EINTR)
			return -1;
		if (k <= 0)
			continue;
		/* Sockets first: a burst of input never starves the engine. */
		for (size_t i = want_stdin ? 1 : 0, w = 0; i < n; i++, w++)
			if (pfd[i].revents && w < nwatched &&
			    watched[w].fd == pfd[i].fd)
				watched[w].fn(watched[w].arg, pfd[i].fd);
		if (want_stdin &&
		    (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			return 1;
	}
}

static int
loop_wait(bool want_stdin, long ms)
{
	return loop_wait_fd(want_stdin ? STDIN_FILENO : -1, ms);
}

int
repl_pause(struct sh *sh, long ms)
{
	(void)sh;
	return loop_wait(false, ms) < 0 ? -1 : 0;
}

/* libedit's character source: the poll loop runs while the user thinks. */
static int
repl_getc(EditLine *el, wchar_t *wc)
{
	char buf[MB_LEN_MAX];
	size_t n = 0;
	mbstate_t st;

	(void)el;
	memset(&st, 0, sizeof(st));
	for (;;) {
		int w = loop_wait(true, -1);
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
clear_edit_area(void)
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

void
repl_print_async(const char *text)
{
	if (cur == NULL || !cur->reading) {
		fputs(text, stdout);
		fflush(stdout);
		return;
	}
	/* Clear the line being typed, print, then let libedit redraw it. */
	clear_edit_area();
	fputs(text, stdout);
	if (*text && text[strlen(text) - 1] != '\n')
		fputc('\n', stdout);
	fflush(stdout);
	el_set(cur->el, EL_REFRESH);
}

void
repl_redraw(void)
{
	if (cur == NULL || !cur->reading)
		return;
	clear_edit_area();
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
print_columns(const struct compl_result *res)
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
	size_t len = (size_t)(li->cursor - li->buffer), ntab, nn;
	const struct cmd_def *tab = cmd_table(&ntab);
	const struct cmd_node *nd = cmd_nodes(&nn);
	struct compl_result *res;
	size_t pl;

	(void)ch;
	el_get(el, EL_CLIENTDATA, &r);
	res = &r->res;
	if (len >= sizeof(line))
		return CC_REFRESH_BEEP;
	memcpy(line, li->buffer, len);
	line[len] = '\0';
	switch (compl_complete(tab, ntab, nd, nn, sh_providers(r->sh), line,
	                       len, res)) {
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
		print_columns(res);
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
repl_run_fd(struct sh *sh, int fd, const char *name)
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
			if (loop_wait_fd(fd, -1) < 0)
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
repl_run(struct sh *sh)
{
	struct repl *r = calloc(1, sizeof(*r));
	struct sigaction sa, old_int;
	HistEvent ev;
	int status = 0, rc, count;
	const char *line;

	if (r == NULL) {
		fprintf(stderr, "l2tpsh: out of memory\n");
		return 1;
	}
	r->sh = sh;
	cur = r;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);

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
		got_int = 0;
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
	sigaction(SIGINT, &old_int, NULL);
	cur = NULL;
	free(r);
	(void)status;
	/* Interactively a failed command does not make the session fail. */
	return 0;
}
