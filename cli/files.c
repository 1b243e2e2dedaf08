/* The file handlers: decode FILE and analyze FILE, run through the
 * decoder as -r and --analyze are (cli/decode.c), their errors said as
 * every command's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/analyze.h"
#include "cli/cli.h"
#include "cli/files.h"
#include "cli/sh.h"
#include "completion/cmdlang.h"
#include "engine/observe.h"

/* The decoder's errors said like every other command's: with the place
 * (-c command 2, script:3) or as Error: at the prompt. */
static int
run_decode(struct sh *sh, const struct cli_decode_opts *o)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);
	int rc;

	if (err == NULL)
		return cli_decode(o, sh_out(sh), sh_err(sh));
	rc = cli_decode(o, sh_out(sh), err);
	fclose(err);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		/* Errors start "l2tpsh: "; a summary or warning stays as is. */
		if (strncmp(line, "l2tpsh: ", 8) != 0 ||
		    strstr(line, ": warning: "))
			fprintf(sh_err(sh), "%s\n", line);
		else
			sh_error(sh, "%s", line + 8);
	free(buf);
	return rc;
}

int
sh_do_decode(struct sh *sh, const struct cmd_parsed *p)
{
	struct cli_decode_opts o;
	const char *ports[CLI_MAX_PORTS + 1];
	size_t np;

	memset(&o, 0, sizeof(o));
	o.path = cmd_str(p, "FILE");
	o.filter = cmd_str(p, "filter");
	o.format = sh_json(sh, p)          ? CLI_FMT_JSON
	           : cmd_has(p, "verbose") ? CLI_FMT_VERBOSE
	                                   : CLI_FMT_SUMMARY;
	o.count = cmd_num(p, "count", 0);
	o.analyze = strcmp(p->def->path, "analyze") == 0;
	o.tunnel = cmd_num(p, "tunnel", 0); /* 0: not given */
	o.session = cmd_num(p, "session", 0);
	o.write_path = cmd_str(p, "write");
	o.nsecrets = cmd_all(p, "secret", o.secrets, CLI_MAX_SECRETS + 1);
	if (o.nsecrets > CLI_MAX_SECRETS) {
		sh_error(sh, "at most %d secrets", CLI_MAX_SECRETS);
		return -1;
	}
	o.npasswords = cmd_all(p, "password", o.passwords, CLI_MAX_SECRETS + 1);
	if (o.npasswords > CLI_MAX_SECRETS) {
		sh_error(sh, "at most %d passwords", CLI_MAX_SECRETS);
		return -1;
	}
	/* The configured secret is tried too. */
	if (*sh_setting(sh, "secret") && o.nsecrets < CLI_MAX_SECRETS)
		o.secrets[o.nsecrets++] = sh_setting(sh, "secret");
	np = cmd_all(p, "port", ports, CLI_MAX_PORTS + 1);
	if (np > CLI_MAX_PORTS) {
		sh_error(sh, "at most %d ports", CLI_MAX_PORTS);
		return -1;
	}
	for (size_t i = 0; i < p->nval; i++)
		if (p->def->args[p->val[i].arg].kw &&
		    strcmp(p->def->args[p->val[i].arg].kw, "port") == 0)
			o.ports[o.nports++] = (uint16_t)p->val[i].n;
	fflush(sh_out(sh));
	if (o.analyze) {
		/* keep the tunnels for display (the previous capture's go) */
		struct cli_an *an = NULL;

		o.analysis = &an;
		if (run_decode(sh, &o) != 0)
			return -1;
		if (an != NULL) {
			sh_set_capture(sh, an, o.path);
			if (o.format != CLI_FMT_JSON) /* stdout stays JSON */
				fprintf(sh_out(sh),
				        "Info: %zu tunnel%s of %s loaded: "
				        "display l2tp "
				        "tunnel, session, statistics and "
				        "history show "
				        "them, marked 'capture'\n",
				        l2tp_obs_tunnel_count(cli_an_obs(an)),
				        l2tp_obs_tunnel_count(cli_an_obs(an)) ==
				                1
				            ? ""
				            : "s",
				        o.path);
		}
		return 0;
	}
	return run_decode(sh, &o) == 0 ? 0 : -1;
}

int
sh_do_analyze(struct sh *sh, const struct cmd_parsed *p)
{
	return sh_do_decode(sh, p); /* o.analyze from the command's name */
}
