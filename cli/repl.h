/* The libedit adapter: reads lines at the terminal (Tab, `?`, history) while
 * the poll loop serves the descriptors, and commands from a pipe or a file. */
#ifndef L2TP_CLI_REPL_H
#define L2TP_CLI_REPL_H

struct sh;
struct cli_loop;

/* Run the interactive shell on the terminal; returns the exit status.
 * While it runs, the shell's text printed above the prompt goes through it
 * (sh_set_term). */
int repl_run(struct sh *sh, struct cli_loop *loop);

/*
 * Commands from a pipe or a file on descriptor fd, one per line, the poll
 * loop serving the engine while the next line is awaited.  Each line goes
 * to sh_run_line (with its number); SH_QUIT stops.  Lines longer than the
 * command line limit are refused with an error.  Returns 1 when a command
 * failed, else 0.
 */
int repl_run_fd(struct sh *sh, struct cli_loop *loop, int fd, const char *name);

#endif
