/* l2tpsh's shell run as a program: the poll loop made here and handed to the
 * shell, then -c commands, a script, a pipe or the terminal. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/loop.h"
#include "cli/repl.h"
#include "cli/shell.h"

int
cli_shell(const struct cli_opts *o)
{
	struct cli_loop *loop = loop_new();
	struct sh *sh;
	int status = 0, rc;

	if (loop == NULL || (sh = sh_new_on(o, loop, stdout, stderr)) == NULL) {
		fprintf(stderr, "l2tpsh: out of memory\n");
		loop_free(loop);
		return 1;
	}
	if (o->ncommands) {
		int k = 0;
		bool quit = false;

		/* Every -c in order, numbered across them all. */
		for (size_t j = 0; j < o->ncommands && !quit; j++) {
			size_t len = strlen(o->commands[j]) + 1, max = 1;
			char **parts, *buf, where[64];
			int n;

			for (const char *c = o->commands[j]; *c; c++)
				max += *c == ';';
			parts = calloc(max, sizeof(*parts));
			buf = malloc(len);
			n = parts && buf ? cmd_split(o->commands[j], parts,
			                             (int)max, buf, len)
			                 : -1;
			for (int i = 0; i < n && !quit; i++) {
				snprintf(where, sizeof(where), "-c command %d",
				         ++k);
				rc = sh_run_line(sh, parts[i], where);
				if (rc == SH_QUIT)
					quit = true;
				else if (rc < 0)
					status = 1;
			}
			if (n < 0) {
				fprintf(stderr, "l2tpsh: out of memory\n");
				status = 1;
			}
			free(parts);
			free(buf);
		}
	} else if (o->script && strcmp(o->script, "-") != 0) {
		int fd = open(o->script, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			fprintf(stderr, "l2tpsh: -f %s: %s\n", o->script,
			        strerror(errno));
			sh_free(sh);
			loop_free(loop);
			return 2;
		}
		status = repl_run_fd(sh, loop, fd, o->script);
		close(fd);
	} else if (o->script || !isatty(STDIN_FILENO)) {
		status = repl_run_fd(sh, loop, STDIN_FILENO, "stdin");
	} else {
		sh_set_interactive(sh, true);
		status = repl_run(sh, loop);
	}
	sh_leave(sh);
	sh_free(sh);
	loop_free(loop);
	return status;
}
