/* Shell speed: start-up time, and each command's answer time with 1,000 tunnels
 * up against the lab peer. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "cli/repl.h"
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
	double t, worst = 0;
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
	}
	if (sh_run_line(sh, "lab start", "bench") != 0)
		return 1;
	t = ms_now();
	for (int i = 0; i < ntun; i++)
		if (sh_run_line(sh, "lac connect lab", "bench") != 0)
			return 1;
	/* Let the loop run until every tunnel is up (bounded: 30 s). */
	for (int i = 0; i < 600 && up < (size_t)ntun; i++) {
		repl_pause(sh, 50);
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
	return up == (size_t)ntun && worst < 10 ? 0 : 2;
}
