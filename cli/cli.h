/* l2tpsh command-line options shared by main(), the decoder front end and the
 * shell. */
#ifndef L2TP_CLI_H
#define L2TP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cli_an;

#define CLI_MAX_SECRETS 16
#define CLI_MAX_PORTS 16
#define CLI_MAX_COMMANDS 64

enum cli_format {
	CLI_FMT_SUMMARY = 0, /* one line per packet */
	CLI_FMT_VERBOSE,     /* the full tree */
	CLI_FMT_JSON,        /* one JSON object per line */
};

/* What `l2tpsh -r` / `-i` and the shell's `decode` command take. */
struct cli_decode_opts {
	const char *path;   /* capture file, or NULL */
	const char *iface;  /* live capture interface, or NULL */
	const char *filter; /* BPF expression, or NULL */
	const char *secrets[CLI_MAX_SECRETS];
	size_t nsecrets;
	/* PPP passwords checked against CHAP and PAP (--password P) */
	const char *passwords[CLI_MAX_SECRETS];
	size_t npasswords;
	bool show_passwords;           /* PAP passwords shown in clear */
	uint16_t ports[CLI_MAX_PORTS]; /* UDP ports; none given = 1701 */
	size_t nports;
	enum cli_format format;
	bool analyze;
	/* with analyze: when not NULL, the analysis (struct cli_an) is
	 * handed back here instead of freed (the shell's display) */
	struct cli_an **analysis;
	uint8_t v3_cookie_len;
	long count; /* stop after this many packets (0 = all) */
};

struct cli_opts {
	struct cli_decode_opts decode;
	bool json;                              /* -j: JSON everywhere */
	const char *commands[CLI_MAX_COMMANDS]; /* -c 'cmd; cmd', in order */
	size_t ncommands;
	const char *script; /* -f FILE ("-" = stdin) */
	bool quiet;
};

/*
 * Decode a capture file or interface and print it to out; errors go to err.
 * Returns the process exit status (0 ok, 1 on a file or filter error).
 */
int cli_decode(const struct cli_decode_opts *o, FILE *out, FILE *err);

/* Run the shell: interactive, -c commands or a script.  Returns the exit
 * status (non-zero when a command failed). */
int cli_shell(const struct cli_opts *o);

#endif
