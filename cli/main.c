/* l2tpsh: command-line options and dispatch to the decoder or the shell. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/secret.h"

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: l2tpsh [-jq] [-c 'cmd; cmd' [-c ...] | -f script]\n"
	        "       l2tpsh -r file [-v | -j] [-q] [-C count] [--analyze] "
	        "[--secret S]...\n"
	        "              [--secret-file FILE]... [--password P]... "
	        "[--show-passwords]\n"
	        "              [--port N]... [--cookie-len 0|4|8] [filter]\n"
	        "       l2tpsh -i iface [-v | -j] [-q] [-C count] "
	        "[--secret S]...\n"
	        "              [--secret-file FILE]... [--port N]...\n"
	        "              [--cookie-len 0|4|8] [filter]\n"
	        "       l2tpsh -h | --help | --version\n");
}

static int
parse_num(const char *opt, const char *s, long lo, long hi, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || *v < lo || *v > hi) {
		fprintf(stderr,
		        "l2tpsh: %s: '%s' is not a number from %ld "
		        "to %ld\n",
		        opt, s, lo, hi);
		return -1;
	}
	return 0;
}

/* --secret-file FILE: its first line, or NULL once the error is shown. */
static char *
secret_file(const char *path)
{
	char buf[CLI_SECRET_MAX + 1], warn[600], err[600], *s;

	if (cli_secret_read_file(path, buf, sizeof(buf), warn, sizeof(warn),
	                         err, sizeof(err)) < 0) {
		fprintf(stderr, "l2tpsh: --secret-file %s\n", err);
		return NULL;
	}
	if (warn[0])
		fprintf(stderr, "l2tpsh: warning: %s\n", warn);
	if ((s = strdup(buf)) == NULL)
		fprintf(stderr, "l2tpsh: out of memory\n");
	explicit_bzero(buf, sizeof(buf));
	return s;
}

static void
free_secrets(char **sec, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		explicit_bzero(sec[i], strlen(sec[i]));
		free(sec[i]);
	}
}

/* The words after the options form one BPF expression, as in tcpdump. */
static char *
join_args(int argc, char **argv)
{
	size_t n = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	if ((s = calloc(1, n)) == NULL)
		return NULL;
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

int
main(int argc, char **argv)
{
	enum {
		OPT_SECRET = 256,
		OPT_PASSWORD,
		OPT_SHOW_PASSWORDS,
		OPT_SECRET_FILE,
		OPT_PORT,
		OPT_ANALYZE,
		OPT_COOKIE,
		OPT_HELP,
		OPT_VERSION
	};
	static const struct option longopts[] = {
	    {"secret", required_argument, NULL, OPT_SECRET},
	    {"password", required_argument, NULL, OPT_PASSWORD},
	    {"show-passwords", no_argument, NULL, OPT_SHOW_PASSWORDS},
	    {"secret-file", required_argument, NULL, OPT_SECRET_FILE},
	    {"port", required_argument, NULL, OPT_PORT},
	    {"analyze", no_argument, NULL, OPT_ANALYZE},
	    {"cookie-len", required_argument, NULL, OPT_COOKIE},
	    {"json", no_argument, NULL, 'j'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, OPT_HELP},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {NULL, 0, NULL, 0},
	};
	struct cli_opts o;
	struct cli_decode_opts *d = &o.decode;
	char *sec[CLI_MAX_SECRETS];
	size_t nsec = 0;
	char *filter = NULL;
	long v;
	int c, rc;

	memset(&o, 0, sizeof(o));
	while ((c = getopt_long(argc, argv, "r:i:vjc:f:C:qh", longopts,
	                        NULL)) != -1) {
		switch (c) {
		case 'r':
			d->path = optarg;
			break;
		case 'i':
			d->iface = optarg;
			break;
		case 'v':
			d->format = CLI_FMT_VERBOSE;
			break;
		case 'j':
			o.json = true;
			break;
		case 'c':
			if (o.ncommands == CLI_MAX_COMMANDS) {
				fprintf(stderr,
				        "l2tpsh: at most %d -c options; "
				        "put more commands in one -c, split by "
				        "';', "
				        "or in a file for -f\n",
				        CLI_MAX_COMMANDS);
				return 2;
			}
			o.commands[o.ncommands++] = optarg;
			break;
		case 'f':
			o.script = optarg;
			break;
		case 'C':
			if (parse_num("-C", optarg, 1, LONG_MAX, &v) < 0)
				return 2;
			d->count = v;
			break;
		case 'q':
			o.quiet = true;
			break;
		case OPT_SECRET:
		case OPT_SECRET_FILE:
			if (d->nsecrets == CLI_MAX_SECRETS) {
				fprintf(stderr, "l2tpsh: at most %d secrets\n",
				        CLI_MAX_SECRETS);
				return 2;
			}
			if (c == OPT_SECRET_FILE) {
				/* Out of argv: what ps shows is the path. */
				if ((sec[nsec] = secret_file(optarg)) == NULL)
					return 2;
				d->secrets[d->nsecrets++] = sec[nsec++];
				break;
			}
			d->secrets[d->nsecrets++] = optarg;
			break;
		case OPT_PASSWORD:
			if (d->npasswords == CLI_MAX_SECRETS) {
				fprintf(stderr,
				        "l2tpsh: at most %d passwords\n",
				        CLI_MAX_SECRETS);
				return 2;
			}
			d->passwords[d->npasswords++] = optarg;
			break;
		case OPT_SHOW_PASSWORDS:
			d->show_passwords = true;
			break;
		case OPT_PORT:
			if (d->nports == CLI_MAX_PORTS) {
				fprintf(stderr, "l2tpsh: at most %d ports\n",
				        CLI_MAX_PORTS);
				return 2;
			}
			if (parse_num("--port", optarg, 1, 65535, &v) < 0)
				return 2;
			d->ports[d->nports++] = (uint16_t)v;
			break;
		case OPT_ANALYZE:
			d->analyze = true;
			break;
		case OPT_COOKIE:
			if (parse_num("--cookie-len", optarg, 0, 8, &v) < 0)
				return 2;
			if (v != 0 && v != 4 && v != 8) {
				fprintf(stderr,
				        "l2tpsh: --cookie-len: an "
				        "L2TPv3 cookie is 0, 4 or 8 bytes\n");
				return 2;
			}
			d->v3_cookie_len = (uint8_t)v;
			break;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			return 0;
		case OPT_VERSION:
			printf("l2tpsh %s\n", L2TPSH_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (o.json)
		d->format = CLI_FMT_JSON;
	if (d->path && d->iface) {
		fprintf(stderr, "l2tpsh: -r and -i exclude each other: read a "
		                "file or capture live\n");
		return 2;
	}
	if (o.ncommands && o.script) {
		fprintf(stderr, "l2tpsh: -c and -f exclude each other: give "
		                "the commands with -c or in the file for -f\n");
		return 2;
	}
	if (d->path || d->iface) {
		if (optind < argc) {
			if ((filter = join_args(argc - optind,
			                        argv + optind)) == NULL) {
				fprintf(stderr, "l2tpsh: out of memory\n");
				return 1;
			}
			d->filter = filter;
		}
		rc = cli_decode(d, stdout, stderr);
		free(filter);
		free_secrets(sec, nsec);
		return rc;
	}
	if (optind < argc) {
		fprintf(stderr,
		        "l2tpsh: unexpected argument '%s'; a filter "
		        "goes after -r FILE or -i IFACE\n",
		        argv[optind]);
		usage(stderr);
		free_secrets(sec, nsec);
		return 2;
	}
	rc = cli_shell(&o);
	free_secrets(sec, nsec);
	return rc;
}
