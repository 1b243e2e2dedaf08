/* Secrets kept out of the history and argv: which command words carry a
 * secret, the history mask, the secret file and the no-echo prompt. */
#include <errno.h>
#include <fcntl.h>
#include <histedit.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cli/secret.h"

/*
 * The commands whose words carry a secret.  kw NULL: the first value after
 * the command words is the secret (`set secret S [peer ADDR | host NAME]`,
 * unless it is the word file or prompt); else the word after kw is.  Words
 * match as the shell's abbreviations do; where that makes a word stand for
 * a keyword the shell would not take, more is masked, never less.
 */
struct secret_rule {
	const char *path[4];
	const char *kw;
};

static const struct secret_rule rules[] = {
    {{"set", "secret"}, NULL},
    {{"set", "ppp", "user"}, "password"},
    {{"set", "ppp", "local-user"}, "password"},
    {{"decode"}, "secret"},
    {{"analyze"}, "secret"},
    {{"analyze"}, "password"},
};

struct tok {
	size_t start, end; /* in the line, quotes included */
	bool quoted;
	char *s; /* unquoted text */
};

/* As the shell's own words: does s abbreviate keyword kw? */
static bool
abbrev(const struct tok *t, const char *kw)
{
	size_t n = strlen(t->s);

	return !t->quoted && n > 0 && n <= strlen(kw) &&
	       strncasecmp(t->s, kw, n) == 0;
}

/*
 * Splits line[*at..] into words up to the end of one command (`;` outside
 * quotes, a `#` that starts a word, or the end).  The words' text goes to
 * buf (as long as the line).  Returns the number of words, *at moves past
 * the command.
 */
static size_t
lex(const char *line, size_t *at, struct tok *tk, size_t max, char *buf)
{
	size_t i = *at, len = strlen(line), n = 0, o = 0;

	while (i < len) {
		char q = 0;

		while (i < len && strchr(" \t\r\n", line[i]))
			i++;
		if (i == len)
			break;
		if (line[i] == '#') {
			i = len;
			break;
		}
		if (line[i] == ';') {
			i++;
			break;
		}
		struct tok *t = n < max ? &tk[n] : NULL;

		if (t) {
			t->start = i;
			t->quoted = false;
			t->s = buf + o;
		}
		for (; i < len; i++) {
			char c = line[i];

			if (q) {
				if (c == q) {
					q = 0;
					continue;
				}
				if (c == '\\' && q == '"' && i + 1 < len)
					c = line[++i];
			} else if (strchr(" \t\r\n;", c)) {
				break;
			} else if (c == '"' || c == '\'') {
				q = c;
				if (t)
					t->quoted = true;
				continue;
			} else if (c == '\\' && i + 1 < len) {
				c = line[++i];
			}
			if (t)
				buf[o++] = c;
		}
		if (t) {
			buf[o++] = '\0';
			t->end = i;
			n++;
		}
	}
	*at = i;
	return n;
}

/* Marks in sec[] the words of one command that carry a secret. */
static void
find_secrets(const struct tok *tk, size_t n, bool *sec)
{
	for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		const struct secret_rule *ru = &rules[r];
		size_t d = 0;

		while (d < 4 && ru->path[d] && d < n &&
		       abbrev(&tk[d], ru->path[d]))
			d++;
		if (d < 4 && ru->path[d])
			continue; /* not this command */
		if (ru->kw) {
			/* Every word after one that may stand for kw. */
			for (size_t i = d; i + 1 < n; i++)
				if (abbrev(&tk[i], ru->kw))
					sec[i + 1] = true;
			continue;
		}
		/* The first word after the command, as the shell takes it:
		 * set secret file PATH and set secret prompt only in full. */
		if (d < n && (tk[d].quoted || (strcmp(tk[d].s, "file") != 0 &&
		                               strcmp(tk[d].s, "prompt") != 0)))
			sec[d] = true;
	}
}

char *
cli_secret_mask(const char *line, size_t *masked)
{
	size_t len = strlen(line), at = 0, done = 0, o = 0, nm = 0;
	/* A word takes at least one character and one blank after it. */
	size_t maxtok = len / 2 + 1;
	size_t cap = len + maxtok * strlen(CLI_SECRET_MASK) + 1;
	struct tok *tk = malloc(maxtok * sizeof(*tk));
	bool *sec = malloc(maxtok * sizeof(*sec));
	char *buf = malloc(len + 1), *out = malloc(cap);

	if (tk == NULL || sec == NULL || buf == NULL || out == NULL) {
		free(tk);
		free(sec);
		free(buf);
		free(out);
		return NULL;
	}
	while (at < len) {
		size_t n = lex(line, &at, tk, maxtok, buf);

		memset(sec, 0, maxtok * sizeof(*sec));
		find_secrets(tk, n, sec);
		for (size_t i = 0; i < n; i++) {
			if (!sec[i])
				continue;
			memcpy(out + o, line + done, tk[i].start - done);
			o += tk[i].start - done;
			memcpy(out + o, CLI_SECRET_MASK,
			       strlen(CLI_SECRET_MASK));
			o += strlen(CLI_SECRET_MASK);
			done = tk[i].end;
			nm++;
		}
	}
	memcpy(out + o, line + done, len - done);
	out[o + len - done] = '\0';
	explicit_bzero(buf, len + 1);
	free(tk);
	free(sec);
	free(buf);
	if (masked)
		*masked = nm;
	return out;
}

bool
cli_secret_is_mask(const char *s)
{
	return strcmp(s, CLI_SECRET_MASK) == 0;
}

int
cli_secret_read_file(const char *path, char *buf, size_t len, char *warn,
                     size_t wlen, char *err, size_t elen)
{
	char tmp[CLI_SECRET_MAX + 2];
	struct stat st;
	size_t n = 0, sl;
	ssize_t r;
	char *nl;
	int fd;

	warn[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		snprintf(err, elen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, elen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	/* The first line; enough to see that it is too long. */
	while (n < sizeof(tmp) &&
	       (r = read(fd, tmp + n, sizeof(tmp) - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, elen, "%s: %s", path, strerror(errno));
			close(fd);
			explicit_bzero(tmp, sizeof(tmp));
			return -1;
		}
		if (memchr(tmp + n, '\n', (size_t)r)) {
			n += (size_t)r;
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	nl = memchr(tmp, '\n', n);
	sl = nl ? (size_t)(nl - tmp) : n;
	if (sl > 0 && tmp[sl - 1] == '\r')
		sl--;
	if (sl == 0)
		snprintf(err, elen, "%s: no secret: the first line is empty",
		         path);
	else if ((nl == NULL && n == sizeof(tmp)) || sl > CLI_SECRET_MAX ||
	         sl >= len)
		snprintf(err, elen,
		         "%s: the secret is longer than %d characters", path,
		         CLI_SECRET_MAX);
	else if (memchr(tmp, '\0', sl))
		snprintf(err, elen, "%s: the secret holds a NUL byte", path);
	else
		err[0] = '\0';
	if (err[0]) {
		explicit_bzero(tmp, sizeof(tmp));
		return -1;
	}
	memcpy(buf, tmp, sl);
	buf[sl] = '\0';
	explicit_bzero(tmp, sizeof(tmp));
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		snprintf(warn, wlen,
		         "%s can be read or changed by group or others (mode "
		         "%04o): chmod 600 %s",
		         path, (unsigned)(st.st_mode & 07777), path);
	return 0;
}

/* ---- the prompt ---- */

static volatile sig_atomic_t prompt_sig;

static void
on_prompt_sig(int sig)
{
	prompt_sig = sig;
}

static const int prompt_sigs[] = {SIGINT, SIGTSTP, SIGTERM, SIGHUP, SIGQUIT};
#define NPROMPT_SIGS (sizeof(prompt_sigs) / sizeof(prompt_sigs[0]))

int
cli_secret_prompt(const char *prompt, char *buf, size_t len, char *err,
                  size_t elen)
{
	struct sigaction sa, old[NPROMPT_SIGS];
	struct termios saved, quiet;
	size_t n = 0;
	bool done = false, over = false;
	int fd = STDIN_FILENO, rc = -1;
	char c;

	if (!isatty(fd) || tcgetattr(fd, &saved) < 0) {
		snprintf(err, elen,
		         "the prompt needs a terminal; give the secret in a "
		         "file: set secret file PATH");
		return -1;
	}
	/* Signals interrupt the read (no SA_RESTART): the modes come back
	 * before anything else happens. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_prompt_sig;
	sigemptyset(&sa.sa_mask);
	prompt_sig = 0;
	for (size_t i = 0; i < NPROMPT_SIGS; i++)
		sigaction(prompt_sigs[i], &sa, &old[i]);
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	quiet.c_lflag |= ICANON | ISIG;
	if (tcsetattr(fd, TCSAFLUSH, &quiet) < 0) {
		snprintf(err, elen, "cannot turn echo off: %s",
		         strerror(errno));
		goto restore;
	}
	fputs(prompt, stderr);
	fflush(stderr);
	while (!done && !prompt_sig) {
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n' || c == '\r') {
			done = r == 1 || n > 0;
			if (!done)
				snprintf(err, elen, "no secret: end of input");
			break;
		}
		if (n + 1 < len && n < CLI_SECRET_MAX)
			buf[n++] = c;
		else
			over = true;
	}
	buf[n] = '\0';
	fputc('\n', stderr);
	if (prompt_sig) {
		snprintf(err, elen, "cancelled: the secret is unchanged");
		done = false;
	} else if (done && over) {
		snprintf(err, elen, "the secret is longer than %d characters",
		         CLI_SECRET_MAX);
		done = false;
	} else if (done && n == 0) {
		snprintf(err, elen, "no secret typed: the secret is unchanged");
		done = false;
	}
	rc = done ? 0 : -1;
	if (rc < 0)
		explicit_bzero(buf, len);
restore:
	tcsetattr(fd, TCSAFLUSH, &saved);
	for (size_t i = 0; i < NPROMPT_SIGS; i++)
		sigaction(prompt_sigs[i], &old[i], NULL);
	/* The terminal is sane again: a signal meant to end us does. */
	if (prompt_sig == SIGTERM || prompt_sig == SIGHUP ||
	    prompt_sig == SIGQUIT)
		raise(prompt_sig);
	return rc;
}

/* ---- a history file written before the mask ---- */

size_t
cli_secret_mask_history(void *hist)
{
	History *h = hist;
	HistEvent ev;
	char **lines = NULL;
	size_t n = 0, cap = 0, changed = 0;

	/* Oldest first, as the file holds them. */
	for (int rc = history(h, &ev, H_LAST); rc == 0;
	     rc = history(h, &ev, H_PREV)) {
		size_t k = 0;

		if (n == cap) {
			char **more = realloc(lines, (cap ? cap * 2 : 64) *
			                                 sizeof(*lines));

			if (more == NULL)
				break;
			lines = more;
			cap = cap ? cap * 2 : 64;
		}
		if ((lines[n] = cli_secret_mask(ev.str, &k)) == NULL)
			break;
		/* A line already masked masks to itself. */
		changed += strcmp(lines[n], ev.str) != 0;
		n++;
	}
	if (changed) {
		history(h, &ev, H_CLEAR);
		for (size_t i = 0; i < n; i++)
			history(h, &ev, H_ENTER, lines[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return changed;
}
