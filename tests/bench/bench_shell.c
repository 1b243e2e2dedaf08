/* Shell speed: start-up time, and each command's answer time with 1,000 tunnels
 * up against the lab peer. */
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/loop.h"
#include "cli/shell.h"

extern char **environ;

static double
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Wall time of `l2tpsh -c quit`: exec, set-up, one command, exit. */
static double
startup(const char *bin)
{
	char *argv[] = {(char *)bin, "-c", "quit", NULL};
	double best = 1e9;

	for (int i = 0; i < 20; i++) {
		double t = ms_now();
		pid_t pid;
		int st;

		if (posix_spawn(&pid, bin, NULL, NULL, argv, environ) != 0)
			return -1;
		waitpid(pid, &st, 0);
		t = ms_now() - t;
		if (t < best)
			best = t;
	}
	return best;
}

/* Time from exec to the prompt on a terminal (a pty): what a person sees. */
static double
prompt_time(const char *bin)
{
	char home[] = "/tmp/bench_shell.XXXXXX", henv[64];
	char *argv[] = {(char *)bin, NULL};
	char *envp[] = {henv, "TERM=vt100", "LC_ALL=C", NULL};
	double best = 1e9;

	if (mkdtemp(home) == NULL)
		return -1;
	snprintf(henv, sizeof(henv), "HOME=%s", home);
	for (int i = 0; i < 10; i++) {
		posix_spawn_file_actions_t fa;
		char buf[4096];
		size_t got = 0;
		double t0, t = -1;
		int m, sl, st;
		pid_t pid;

		if (openpty(&m, &sl, NULL, NULL, NULL) < 0)
			break;
		posix_spawn_file_actions_init(&fa);
		for (int fd = 0; fd < 3; fd++)
			posix_spawn_file_actions_adddup2(&fa, sl, fd);
		posix_spawn_file_actions_addclose(&fa, m);
		t0 = ms_now();
		if (posix_spawn(&pid, bin, &fa, NULL, argv, envp) != 0) {
			posix_spawn_file_actions_destroy(&fa);
			close(m);
			close(sl);
			break;
		}
		posix_spawn_file_actions_destroy(&fa);
		close(sl);
		/* Read what it draws until the prompt, at most 5 s. */
		while (ms_now() - t0 < 5000 && got < sizeof(buf) - 1) {
			struct pollfd pf = {m, POLLIN, 0};
			ssize_t r;

			if (poll(&pf, 1, 100) <= 0)
				continue;
			if ((r = read(m, buf + got, sizeof(buf) - 1 - got)) <=
			    0)
				break;
			got += (size_t)r;
			buf[got] = '\0';
			if (strstr(buf, "l2tpsh> ")) {
				t = ms_now() - t0;
				break;
			}
		}
		if (write(m, "quit\n", 5) < 0)
			t = -1;
		/* Drain until it leaves, so it never blocks on the pty. */
		for (int k = 0; k < 50 && waitpid(pid, &st, WNOHANG) == 0;
		     k++) {
			struct pollfd pf = {m, POLLIN, 0};

			if (poll(&pf, 1, 100) > 0 &&
			    read(m, buf, sizeof(buf)) <= 0)
				break;
		}
		if (waitpid(pid, &st, WNOHANG) == 0) {
			kill(pid, SIGTERM);
			waitpid(pid, &st, 0);
		}
		close(m);
		if (t < 0)
			break;
		if (t < best)
			best = t;
	}
	{
		char hist[96];

		snprintf(hist, sizeof(hist), "%s/.l2tpsh_history", home);
		unlink(hist);
		rmdir(home);
	}
	return best < 1e9 ? best : -1;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

int
main(int argc, char **argv)
{
	const char *bin = argc > 1 ? argv[1] : getenv("L2TPSH");
	int ntun = argc > 2 ? atoi(argv[2]) : 1000;
	static const char *const cmds[] = {
	    "display l2tp tunnel",
	    "display l2tp tunnel verbose",
	    "display l2tp tunnel json",
	    "display l2tp session",
	    "display l2tp statistics",
	    "display l2tp config",
	    "display l2tp history",
	    "display l2tp history ladder",
	    "display packet 1",
	    "help",
	    "dis l2tp tu ?",
	    "disply",
	    "set hello-interval 60",
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len), *null = fopen("/dev/null", "w");
	struct sh *sh = sh_new(NULL, out, null);
	double t, worst = 0, prompt_ms = 0;
	size_t up = 0;

	if (sh == NULL || out == NULL || null == NULL) {
		fprintf(stderr, "bench_shell: cannot set up\n");
		return 1;
	}
	if (bin) {
		t = startup(bin);
		printf("start-up (l2tpsh -c quit, best of 20): %.2f ms "
		       "(target < 50 ms)\n",
		       t);
		t = prompt_time(bin);
		printf("prompt shown on a terminal (exec to 'l2tpsh> ', best "
		       "of 10): %.2f ms (target < 50 ms)\n",
		       t);
		prompt_ms = t;
	}
	if (sh_run_line(sh, "lab start", "bench") != 0)
		return 1;
	t = ms_now();
	for (int i = 0; i < ntun; i++)
		if (sh_run_line(sh, "lac connect lab", "bench") != 0)
			return 1;
	/* Let the loop run until every tunnel is up (bounded: 30 s). */
	for (int i = 0; i < 600 && up < (size_t)ntun; i++) {
		loop_pause(sh_loop(sh), 50);
		fflush(out);
		rewind(out);
		len = 0;
		sh_run_line(sh, "display l2tp tunnel", "bench");
		fflush(out);
		up = count(buf, " established ");
	}
	printf("%zu of %d tunnels established with the lab peer in %.0f ms\n",
	       up, ntun, ms_now() - t);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		double best = 1e9;

		for (int k = 0; k < 5; k++) {
			rewind(out);
			t = ms_now();
			sh_run_line(sh, cmds[i], "bench");
			fflush(out);
			t = ms_now() - t;
			if (t < best)
				best = t;
		}
		if (best > worst)
			worst = best;
		printf("  %-30s %8.3f ms\n", cmds[i], best);
	}
	printf("slowest command with %zu tunnels: %.3f ms (target < 10 ms)\n",
	       up, worst);
	sh_leave(sh);
	sh_free(sh);
	fclose(out);
	fclose(null);
	free(buf);
	return up == (size_t)ntun && worst < 10 && prompt_ms >= 0 &&
	               prompt_ms < 50
	           ? 0
	           : 2;
}
