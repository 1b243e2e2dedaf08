/* Tests for secrets kept out of the history: the mask of every command that
 * takes a secret, the secret file and its checks, the no-echo prompt on a
 * pseudo-terminal. */
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, unlockpt, ptsname */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <histedit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "cli/secret.h"

struct mask_case {
	const char *line, *want;
	size_t n; /* values masked */
};

static const struct mask_case mask_cases[] = {
    {"set secret TopSecret99", "set secret ********", 1},
    {"se sec TopSecret99 peer 10.0.0.1", "se sec ******** peer 10.0.0.1", 1},
    {"SET SECRET TopSecret99 host lns.lab", "SET SECRET ******** host lns.lab",
     1},
    {"  set   secret   x  ", "  set   secret   ********  ", 1},
    {"set secret 'two words' peer ::1", "set secret ******** peer ::1", 1},
    {"set secret \"a \\\" b\"", "set secret ********", 1},
    {"set secret file /etc/l2tpsh.secret", "set secret file /etc/l2tpsh.secret",
     0},
    {"set secret prompt", "set secret prompt", 0},
    {"set secret prompt host lns.lab", "set secret prompt host lns.lab", 0},
    {"set secret 'file'", "set secret ********", 1},
    {"set secret fil", "set secret ********", 1},
    {"set secret", "set secret", 0},
    {"set secret ********", "set secret ********", 1},
    {"set ppp user bob password hunter2", "set ppp user bob password ********",
     1},
    {"set ppp local-user bob password hunter2",
     "set ppp local-user bob password ********", 1},
    {"set ppp user p password hunter2", "set ppp user p ******** ********", 2},
    {"decode cap.pcap secret S1 secret S2 port 1701",
     "decode cap.pcap secret ******** secret ******** port 1701", 2},
    {"dec cap.pcap sec S1 json", "dec cap.pcap sec ******** json", 1},
    {"analyze cap.pcap password P1 secret S1",
     "analyze cap.pcap password ******** secret ********", 2},
    {"set secret X; decode f secret Y",
     "set secret ********; decode f secret ********", 2},
    {"set secret X;set secret Y", "set secret ********;set secret ********", 2},
    {"display l2tp tunnel", "display l2tp tunnel", 0},
    {"set local-name secret", "set local-name secret", 0},
    {"no secret", "no secret", 0},
    {"set secretive x", "set secretive x", 0},
    {"# set secret X", "# set secret X", 0},
    {"", "", 0},
};

Test(secret, mask_every_command_that_takes_one)
{
	for (size_t i = 0; i < sizeof(mask_cases) / sizeof(mask_cases[0]);
	     i++) {
		const struct mask_case *c = &mask_cases[i];
		size_t n = 99;
		char *m = cli_secret_mask(c->line, &n);

		cr_assert_not_null(m, "%s", c->line);
		cr_expect_str_eq(m, c->want, "mask of '%s'", c->line);
		cr_expect_eq(n, c->n, "'%s': %zu masked, not %zu", c->line, n,
		             c->n);
		free(m);
	}
}

Test(secret, mask_hides_the_length)
{
	char *a = cli_secret_mask("set secret a", NULL);
	char *b = cli_secret_mask(
	    "set secret a-much-longer-secret-of-forty-characters", NULL);

	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_expect_str_eq(a, b);
	free(a);
	free(b);
}

Test(secret, mask_of_many_short_words)
{
	/* Every word a secret at most: the line grows, never overflows. */
	char line[4096], want[16384];
	size_t o = 0, w = 0;
	char *m;

	o += (size_t)snprintf(line, sizeof(line), "decode f");
	w += (size_t)snprintf(want, sizeof(want), "decode f");
	for (int i = 0; i < 600; i++) {
		line[o++] = ' ';
		line[o++] = 's';
		want[w++] = ' ';
		memcpy(want + w, i ? CLI_SECRET_MASK : "s", i ? 8 : 1);
		w += i ? 8 : 1;
	}
	line[o] = want[w] = '\0';
	m = cli_secret_mask(line, NULL);
	cr_assert_not_null(m);
	cr_expect_str_eq(m, want);
	free(m);
}

Test(secret, is_mask)
{
	cr_expect(cli_secret_is_mask(CLI_SECRET_MASK));
	cr_expect(!cli_secret_is_mask("*******"));
	cr_expect(!cli_secret_is_mask("TopSecret99"));
}

/* A file in a fresh directory with the given bytes and mode. */
static void
put_file(char *path, size_t len, const char *bytes, size_t n, mode_t mode)
{
	char dir[] = "/tmp/l2tpsh-secret-XXXXXX";
	int fd;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, len, "%s/secret", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, bytes, n), (ssize_t)n);
	cr_assert_eq(fchmod(fd, mode), 0);
	close(fd);
}

static void
rm_file(const char *path)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	unlink(path);
	rmdir(dir);
}

Test(secret, file_first_line)
{
	static const struct {
		const char *bytes, *want;
	} cases[] = {
	    {"TopSecret99\n", "TopSecret99"},
	    {"TopSecret99", "TopSecret99"},
	    {"TopSecret99\r\n", "TopSecret99"},
	    {"two words\nsecond line\n", "two words"},
	    {"  spaced  \n", "  spaced  "},
	};
	char path[4096], buf[CLI_SECRET_MAX + 1], warn[600], err[600];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		put_file(path, sizeof(path), cases[i].bytes,
		         strlen(cases[i].bytes), 0600);
		cr_expect_eq(cli_secret_read_file(path, buf, sizeof(buf), warn,
		                                  sizeof(warn), err,
		                                  sizeof(err)),
		             0, "%s", err);
		cr_expect_str_eq(buf, cases[i].want);
		cr_expect_str_empty(warn, "mode 0600 warns: %s", warn);
		rm_file(path);
	}
}

Test(secret, file_readable_by_others_warns)
{
	static const mode_t modes[] = {0640, 0604, 0644, 0620, 0700 | 0007};
	char path[4096], buf[64], warn[600], err[600];

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		put_file(path, sizeof(path), "s3cret\n", 7, modes[i]);
		cr_assert_eq(cli_secret_read_file(path, buf, sizeof(buf), warn,
		                                  sizeof(warn), err,
		                                  sizeof(err)),
		             0, "%s", err);
		cr_expect_str_eq(buf, "s3cret");
		cr_expect(strstr(warn, "group or others") != NULL, "%s", warn);
		cr_expect(strstr(warn, "chmod 600") != NULL, "%s", warn);
		cr_expect(strstr(warn, path) != NULL, "%s", warn);
		rm_file(path);
	}
	put_file(path, sizeof(path), "s3cret\n", 7, 0400);
	cr_assert_eq(cli_secret_read_file(path, buf, sizeof(buf), warn,
	                                  sizeof(warn), err, sizeof(err)),
	             0);
	cr_expect_str_empty(warn);
	rm_file(path);
}

Test(secret, file_errors)
{
	char path[4096], buf[CLI_SECRET_MAX + 1], warn[600], err[600];
	char big[CLI_SECRET_MAX + 2];

	cr_expect_eq(cli_secret_read_file("/nonexistent/l2tpsh", buf,
	                                  sizeof(buf), warn, sizeof(warn), err,
	                                  sizeof(err)),
	             -1);
	cr_expect(strstr(err, "No such file") != NULL, "%s", err);
	cr_expect_eq(cli_secret_read_file("/tmp", buf, sizeof(buf), warn,
	                                  sizeof(warn), err, sizeof(err)),
	             -1);
	cr_expect(strstr(err, "not a regular file") != NULL, "%s", err);

	put_file(path, sizeof(path), "\nsecond\n", 8, 0600);
	cr_expect_eq(cli_secret_read_file(path, buf, sizeof(buf), warn,
	                                  sizeof(warn), err, sizeof(err)),
	             -1);
	cr_expect(strstr(err, "empty") != NULL, "%s", err);
	rm_file(path);

	put_file(path, sizeof(path), "", 0, 0600);
	cr_expect_eq(cli_secret_read_file(path, buf, sizeof(buf), warn,
	                                  sizeof(warn), err, sizeof(err)),
	             -1);
	rm_file(path);

	put_file(path, sizeof(path), "ab\0cd\n", 6, 0600);
	cr_expect_eq(cli_secret_read_file(path, buf, sizeof(buf), warn,
	                                  sizeof(warn), err, sizeof(err)),
	             -1);
	cr_expect(strstr(err, "NUL") != NULL, "%s", err);
	rm_file(path);

	/* 255 characters fit, 256 do not. */
	memset(big, 'x', sizeof(big));
	put_file(path, sizeof(path), big, CLI_SECRET_MAX, 0600);
	cr_expect_eq(cli_secret_read_file(path, buf, sizeof(buf), warn,
	                                  sizeof(warn), err, sizeof(err)),
	             0, "%s", err);
	cr_expect_eq(strlen(buf), CLI_SECRET_MAX);
	rm_file(path);
	put_file(path, sizeof(path), big, CLI_SECRET_MAX + 1, 0600);
	cr_expect_eq(cli_secret_read_file(path, buf, sizeof(buf), warn,
	                                  sizeof(warn), err, sizeof(err)),
	             -1);
	cr_expect(strstr(err, "longer than 255") != NULL, "%s", err);
	rm_file(path);
	/* A caller's buffer smaller than the secret is an error too. */
	put_file(path, sizeof(path), "0123456789\n", 11, 0600);
	cr_expect_eq(cli_secret_read_file(path, buf, 8, warn, sizeof(warn), err,
	                                  sizeof(err)),
	             -1);
	rm_file(path);
}

Test(secret, prompt_needs_a_terminal)
{
	char buf[64], err[600];
	int fd = open("/dev/null", O_RDONLY);

	cr_assert_geq(fd, 0);
	cr_assert_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	cr_expect_eq(
	    cli_secret_prompt("Secret: ", buf, sizeof(buf), err, sizeof(err)),
	    -1);
	cr_expect(strstr(err, "terminal") != NULL, "%s", err);
	cr_expect(strstr(err, "set secret file") != NULL, "%s", err);
	close(fd);
}

/* A pseudo-terminal on stdin; returns the master side. */
static int
pty_on_stdin(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY), s;

	cr_assert_geq(m, 0);
	cr_assert_eq(grantpt(m), 0);
	cr_assert_eq(unlockpt(m), 0);
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	cr_assert_geq(s, 0);
	cr_assert_eq(dup2(s, STDIN_FILENO), STDIN_FILENO);
	close(s);
	return m;
}

/* A child that waits (at most 10 s) until echo is off, then types. */
static pid_t
typist(int m, const char *keys)
{
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct termios t;

		for (int i = 0; i < 1000; i++) {
			if (tcgetattr(m, &t) == 0 && !(t.c_lflag & ECHO))
				break;
			usleep(10000);
		}
		usleep(50000); /* past the TCSAFLUSH */
		_exit(write(m, keys, strlen(keys)) == (ssize_t)strlen(keys)
		          ? 0
		          : 1);
	}
	return pid;
}

Test(secret, prompt_reads_without_echo_and_restores)
{
	char buf[64], err[600], echo[256];
	struct termios before, after;
	int m = pty_on_stdin(), st;
	pid_t pid;
	ssize_t n;

	cr_assert_eq(tcgetattr(STDIN_FILENO, &before), 0);
	cr_assert(before.c_lflag & ECHO);
	pid = typist(m, "hunter2\n");
	cr_expect_eq(
	    cli_secret_prompt("Secret: ", buf, sizeof(buf), err, sizeof(err)),
	    0, "%s", err);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	cr_expect_str_eq(buf, "hunter2");
	cr_assert_eq(tcgetattr(STDIN_FILENO, &after), 0);
	cr_expect_eq(after.c_lflag, before.c_lflag, "the modes came back");
	/* Nothing was echoed to the terminal. */
	fcntl(m, F_SETFL, O_NONBLOCK);
	n = read(m, echo, sizeof(echo) - 1);
	echo[n > 0 ? n : 0] = '\0';
	cr_expect(strstr(echo, "hunter2") == NULL, "echoed: '%s'", echo);
	close(m);
}

Test(secret, prompt_empty_and_too_long_lines_set_nothing)
{
	char buf[CLI_SECRET_MAX + 1], err[600], keys[400];
	struct termios before, after;
	int m = pty_on_stdin(), st;
	pid_t pid;

	cr_assert_eq(tcgetattr(STDIN_FILENO, &before), 0);
	pid = typist(m, "\n");
	cr_expect_eq(
	    cli_secret_prompt("Secret: ", buf, sizeof(buf), err, sizeof(err)),
	    -1);
	cr_expect(strstr(err, "unchanged") != NULL, "%s", err);
	waitpid(pid, &st, 0);
	memset(keys, 'y', 300);
	keys[300] = '\n';
	keys[301] = '\0';
	pid = typist(m, keys);
	cr_expect_eq(
	    cli_secret_prompt("Secret: ", buf, sizeof(buf), err, sizeof(err)),
	    -1);
	cr_expect(strstr(err, "longer than 255") != NULL, "%s", err);
	waitpid(pid, &st, 0);
	cr_assert_eq(tcgetattr(STDIN_FILENO, &after), 0);
	cr_expect_eq(after.c_lflag, before.c_lflag);
	close(m);
}

Test(secret, history_loaded_in_clear_is_masked)
{
	static const char *const in[] = {"set secret OldSecret1\n",
	                                 "display l2tp tunnel\n",
	                                 "decode a.pcap secret OldSecret2\n"};
	static const char *const want[] = {"set secret ********\n",
	                                   "display l2tp tunnel\n",
	                                   "decode a.pcap secret ********\n"};
	History *h = history_init();
	HistEvent ev;
	size_t i = 0;

	cr_assert_not_null(h);
	history(h, &ev, H_SETSIZE, 100);
	for (size_t k = 0; k < 3; k++)
		history(h, &ev, H_ENTER, in[k]);
	cr_expect_eq(cli_secret_mask_history(h), 2);
	for (int rc = history(h, &ev, H_LAST); rc == 0;
	     rc = history(h, &ev, H_PREV), i++) {
		cr_assert_lt(i, 3);
		cr_expect_str_eq(ev.str, want[i]);
	}
	cr_expect_eq(i, 3);
	/* Masked already: nothing changes, nothing to save. */
	cr_expect_eq(cli_secret_mask_history(h), 0);
	history_end(h);
}
