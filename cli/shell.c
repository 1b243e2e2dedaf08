/* The shell: settings, debugging classes, command handlers and non-interactive
 * runs (RFC 2661 operations). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/capture.h"
#include "cli/repl.h"
#include "cli/analyze.h"
#include "cli/shell.h"
#include "decoder/print.h"
#include "decoder/proto.h"
#include "engine/engine.h"

/* Settings `set ...` changes, with their defaults. */
struct setting {
	const char *name; /* as after "set " */
	const char *dflt;
	bool secret; /* masked in display */
};

static const struct setting settings[] = {
    {"local-name", "l2tpsh", false},
    {"secret", "", true},
    {"hello-interval", "60", false},
    {"window", "4", false},
    {"retransmit retries", "5", false},
    {"retransmit timeout", "1 8", false},
    {"hide-avps", "off", false},
    /* As the engine's defaults: a challenge whenever a secret is set. */
    {"challenge", "on", false},
    {"tie-breaker", "on", false},
    {"mode", "auto", false},
    /* As the engine's defaults (l2tp_engine_config_default). */
    {"setup-timeout", "60", false},
    {"limit tunnels-per-peer", "64", false},
    {"limit tunnels", "4096", false},
    {"limit sessions-per-tunnel", "4096", false},
    {"limit sessions", "32768", false},
    {"limit held", "256", false},
    {"limit out-of-order", "1024", false},
};
#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

struct sh {
	FILE *out, *err;
	bool json; /* -j */
	bool interactive;
	unsigned debug; /* SH_DBG_* */
	char val[NSETTINGS][256];
	struct compl_providers pv;
	void *hist;
	sh_history_fn hist_fn;
	const char *where; /* of the line being run, for errors */
	unsigned debug_default;
	struct live *live;
	char prompt[160], shown_prompt[160];
	struct cli_an *an; /* the capture `analyze` loaded, or NULL */
	char an_file[256];
};

void
sh_error(struct sh *sh, const char *fmt, ...)
{
	va_list ap;

	if (sh->where && *sh->where)
		fprintf(sh->err, "l2tpsh: %s: ", sh->where);
	else
		fprintf(sh->err, "Error: ");
	va_start(ap, fmt);
	vfprintf(sh->err, fmt, ap);
	va_end(ap);
	fputc('\n', sh->err);
	fflush(sh->err);
}

void
sh_info(struct sh *sh, const char *fmt, ...)
{
	va_list ap;

	if (!sh->interactive)
		return;
	va_start(ap, fmt);
	vfprintf(sh->out, fmt, ap);
	va_end(ap);
	fputc('\n', sh->out);
}

struct live *
sh_live(struct sh *sh)
{
	return sh->live;
}

struct cli_an *
sh_capture(struct sh *sh, const char **file)
{
	if (file)
		*file = sh->an_file;
	return sh->an;
}

FILE *
sh_out(struct sh *sh)
{
	return sh->out;
}

bool
sh_json(const struct sh *sh, const struct cmd_parsed *p)
{
	return sh->json || cmd_has(p, "json");
}

void
sh_print_event(struct sh *sh, const char *text)
{
	if (sh->interactive) {
		repl_print_async(text);
		snprintf(sh->shown_prompt, sizeof(sh->shown_prompt), "%s",
		         sh_prompt(sh));
	} else {
		fputs(text, sh->out);
		fflush(sh->out);
	}
}

void
sh_prompt_changed(struct sh *sh)
{
	if (!sh->interactive)
		return;
	live_prompt(sh->live, sh->prompt, sizeof(sh->prompt));
	if (strcmp(sh->prompt, sh->shown_prompt) != 0) {
		repl_redraw();
		snprintf(sh->shown_prompt, sizeof(sh->shown_prompt), "%s",
		         sh->prompt);
	}
}

static void
provide(void *arg, int kind, const char *partial, struct compl_result *r)
{
	size_t n;

	switch (kind) {
	case CMD_C_MSG: {
		const struct l2tp_msg_info *m = l2tp_msg_table(&n);
		char low[32];

		for (size_t i = 0; i < n; i++) {
			size_t j;

			for (j = 0; m[i].name[j] && j + 1 < sizeof(low); j++)
				low[j] =
				    (char)tolower((unsigned char)m[i].name[j]);
			low[j] = '\0';
			compl_add(r, low, m[i].long_name, false);
		}
		compl_add(r, "zlb", "Zero-Length Body acknowledgement", false);
		break;
	}
	case CMD_C_AVP:
	case CMD_C_AVPNAME: {
		const struct l2tp_avp_info *a = l2tp_avp_table(&n);
		char key[80];

		for (size_t i = 0; i < n; i++) {
			snprintf(key, sizeof(key), "%s%s", a[i].key,
			         kind == CMD_C_AVP ? "=" : "");
			compl_add(r, key, a[i].name, kind == CMD_C_AVP);
		}
		break;
	}
	case CMD_C_FILE: {
		char dir[CMD_LINE_MAX], path[CMD_LINE_MAX * 2];
		const char *base = strrchr(partial, '/');
		DIR *dp;
		struct dirent *de;
		size_t dl, k = 0;

		if (base) {
			dl = (size_t)(base - partial) + 1;
			snprintf(dir, sizeof(dir), "%.*s", (int)dl, partial);
			base++;
		} else {
			dl = 0;
			dir[0] = '\0';
			base = partial;
		}
		if ((dp = opendir(dl ? dir : ".")) == NULL)
			break;
		/* Bounded: a huge directory yields its first entries. */
		while ((de = readdir(dp)) != NULL && k++ < 4096) {
			struct stat st;
			bool isdir;

			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0 ||
			    (de->d_name[0] == '.' && base[0] != '.'))
				continue;
			snprintf(path, sizeof(path), "%s%s", dir, de->d_name);
			isdir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
			if (isdir)
				strcat(path, "/");
			if (compl_add(r, path, NULL, isdir) < 0)
				break;
		}
		closedir(dp);
		break;
	}
	case CMD_C_IFACE: {
		struct if_nameindex *ifs = if_nameindex(), *i;

		for (i = ifs; i && i->if_name; i++)
			compl_add(r, i->if_name, "network interface", false);
		if (ifs)
			if_freenameindex(ifs);
		compl_add(r, "any", "every interface (Linux)", false);
		break;
	}
	case CMD_C_TUNNEL:
	case CMD_C_SESSION:
		live_complete_ids(((struct sh *)arg)->live,
		                  kind == CMD_C_SESSION, r);
		break;
	case CMD_C_HELD:
		live_complete_held(((struct sh *)arg)->live, r);
		break;
	default:
		break;
	}
}

struct sh *
sh_new(const struct cli_opts *o, FILE *out, FILE *err)
{
	struct sh *sh = calloc(1, sizeof(*sh));

	if (sh == NULL)
		return NULL;
	sh->out = out;
	sh->err = err;
	sh->json = o ? o->json : false;
	for (size_t i = 0; i < NSETTINGS; i++)
		snprintf(sh->val[i], sizeof(sh->val[i]), "%s",
		         settings[i].dflt);
	sh->pv.fn = provide;
	sh->pv.arg = sh;
	if ((sh->live = live_new(sh)) == NULL) {
		free(sh);
		return NULL;
	}
	return sh;
}

void
sh_free(struct sh *sh)
{
	if (sh == NULL)
		return;
	live_free(sh->live);
	cli_an_free(sh->an);
	free(sh);
}

const struct compl_providers *
sh_providers(struct sh *sh)
{
	return &sh->pv;
}

unsigned
sh_debug_mask(const struct sh *sh)
{
	return sh->debug;
}

void
sh_set_history(struct sh *sh, void *hist)
{
	sh->hist = hist;
}

void
sh_set_history_fn(struct sh *sh, sh_history_fn fn)
{
	sh->hist_fn = fn;
}

const char *
sh_prompt(struct sh *sh)
{
	return live_prompt(sh->live, sh->prompt, sizeof(sh->prompt));
}

const char *
sh_setting(const struct sh *sh, const char *name)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].name, name) == 0)
			return sh->val[i];
	return NULL;
}

int
sh_run_line(struct sh *sh, const char *line, const char *where)
{
	struct cmd_parsed *p;
	char err[1024];
	int rc;

	sh->where = where;
	if ((p = malloc(sizeof(*p))) == NULL) {
		sh_error(sh, "out of memory");
		return -1;
	}
	rc = cmd_parse(line, p, err, sizeof(err));
	if (rc == CMD_E_EMPTY) {
		rc = 0;
	} else if (rc < 0) {
		sh_error(sh, "%s", err);
		rc = -1;
	} else if (p->help) {
		if (cmd_help(line, p->help_at, &sh->pv, sh->out, err,
		             sizeof(err)) < 0) {
			sh_error(sh, "%s", err);
			rc = -1;
		}
	} else {
		rc = cmd_run(sh, p);
	}
	fflush(sh->out);
	free(p);
	return rc;
}

int
sh_do_set(struct sh *sh, const struct cmd_parsed *p)
{
	const char *name = p->def->path + strlen("set ");
	char v[256];
	int rc;

	if (strcmp(name, "secret") == 0 &&
	    (cmd_has(p, "peer") || cmd_has(p, "host"))) {
		if (cmd_has(p, "peer") && cmd_has(p, "host")) {
			sh_error(sh, "set secret: give peer ADDR or host NAME, "
			             "not both");
			return -1;
		}
		return live_peer_secret(sh->live, cmd_str(p, "peer"),
		                        cmd_str(p, "host"),
		                        cmd_str(p, "SECRET"));
	}

	for (size_t i = 0; i < NSETTINGS; i++) {
		if (strcmp(settings[i].name, name) != 0)
			continue;
		if (strcmp(name, "retransmit timeout") == 0) {
			long lo = cmd_num(p, "MIN", 1),
			     hi = cmd_num(p, "MAX", 8);

			if (hi < lo) {
				sh_error(sh,
				         "retransmit timeout: MAX (%ld) is "
				         "below MIN (%ld); give MIN then MAX",
				         hi, lo);
				return -1;
			}
			snprintf(v, sizeof(v), "%ld %ld", lo, hi);
		} else {
			snprintf(v, sizeof(v), "%s", p->val[0].s);
		}
		if (strlen(p->val[0].s) >= sizeof(sh->val[i])) {
			sh_error(sh, "%s: at most %zu characters", name,
			         sizeof(sh->val[i]) - 1);
			return -1;
		}
		char old[sizeof(sh->val[i])];

		memcpy(old, sh->val[i], sizeof(old));
		memcpy(sh->val[i], v, sizeof(v));
		if ((rc = live_settings_changed(sh->live)) < 0) {
			memcpy(sh->val[i], old, sizeof(old));
			sh_error(sh, "set %s: the engine refused it: %s", name,
			         l2tp_engine_strerror(rc));
			return -1;
		}
		return 0;
	}
	sh_error(sh, "'%s' is not a setting", name);
	return -1;
}

int
sh_do_no_secret(struct sh *sh, const struct cmd_parsed *p)
{
	if (cmd_has(p, "peer") || cmd_has(p, "host"))
		return live_peer_secret(sh->live, cmd_str(p, "peer"),
		                        cmd_str(p, "host"), NULL);
	for (size_t i = 0; i < NSETTINGS; i++)
		if (settings[i].secret)
			sh->val[i][0] = '\0';
	live_settings_changed(sh->live);
	return 0;
}

void
sh_json_str(FILE *f, const char *str)
{
	struct l2tp_sink k;

	/* The decoder's escaping: names from the wire may be any bytes. */
	l2tp_sink_init(&k, NULL);
	l2tp_sink_json_str(&k, str, strlen(str));
	if (k.len)
		fwrite(k.buf, 1, k.len, f);
	l2tp_sink_free(&k);
}

/* Debug classes, in the order `display l2tp config` lists them. */
static const struct {
	const char *name;
	unsigned bit;
} dbg_classes[] = {
    {"event", SH_DBG_EVENT},
    {"packet", SH_DBG_PACKET},
    {"avp", SH_DBG_AVP},
    {"lab", SH_DBG_LAB},
};

static void
debug_text(unsigned m, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(dbg_classes) / sizeof(dbg_classes[0]);
	     i++)
		if (m & dbg_classes[i].bit)
			o +=
			    (size_t)snprintf(buf + o, len - o, "%s%s",
			                     o ? "," : "", dbg_classes[i].name);
	if (o == 0)
		snprintf(buf, len, "none");
}

int
sh_do_disp_config(struct sh *sh, const struct cmd_parsed *p)
{
	bool json = sh->json || cmd_has(p, "json");
	char dbg[64], names[32][96];
	/* Secrets for one peer each, masked like the default one. */
	size_t np = live_peer_secrets(sh->live, names, 32);
	int w = 20;

	for (size_t i = 0; i < np && i < 32; i++)
		if ((int)strlen(names[i]) + 7 > w)
			w = (int)strlen(names[i]) + 7;
	debug_text(sh->debug, dbg, sizeof(dbg));
	if (json)
		fputc('[', sh->out);
	else
		fprintf(sh->out, "%-*s %-24s %s\n", w, "Setting", "Value",
		        "Default");
	for (size_t i = 0; i < NSETTINGS; i++) {
		const char *v = sh->val[i];
		bool dflt = strcmp(v, settings[i].dflt) == 0;

		if (settings[i].secret)
			v = *v ? "********" : "(none)";
		if (json) {
			fprintf(sh->out, "%s{\"setting\":", i ? "," : "");
			sh_json_str(sh->out, settings[i].name);
			fprintf(sh->out, ",\"value\":");
			if (settings[i].secret)
				fprintf(sh->out, "%s",
				        *sh->val[i] ? "\"********\"" : "null");
			else
				sh_json_str(sh->out, v);
			fprintf(sh->out, ",\"default\":%s}",
			        dflt ? "true" : "false");
		} else {
			fprintf(sh->out, "%-*s %-24s %s\n", w, settings[i].name,
			        v, dflt ? "yes" : "no");
		}
	}
	for (size_t i = 0; i < np && i < 32; i++) {
		char label[128];

		snprintf(label, sizeof(label), "secret %.96s", names[i]);
		if (json) {
			fprintf(sh->out, ",{\"setting\":");
			sh_json_str(sh->out, label);
			fprintf(sh->out,
			        ",\"value\":\"********\",\"default\":false}");
		} else {
			fprintf(sh->out, "%-*s %-24s %s\n", w, label,
			        "********", "no");
		}
	}
	if (json) {
		fprintf(sh->out, ",{\"setting\":\"debugging\",\"value\":");
		sh_json_str(sh->out, dbg);
		fprintf(sh->out, ",\"default\":%s}]\n",
		        sh->debug != sh->debug_default ? "false" : "true");
	} else {
		fprintf(sh->out, "%-*s %-24s %s\n", w, "debugging", dbg,
		        sh->debug != sh->debug_default ? "no" : "yes");
	}
	return 0;
}

static unsigned
debug_bits(const char *cls)
{
	if (cls == NULL || strcmp(cls, "all") == 0)
		return SH_DBG_ALL;
	for (size_t i = 0; i < sizeof(dbg_classes) / sizeof(dbg_classes[0]);
	     i++)
		if (strcmp(dbg_classes[i].name, cls) == 0)
			return dbg_classes[i].bit;
	return 0;
}

int
sh_do_debugging(struct sh *sh, const struct cmd_parsed *p)
{
	char now[64];

	sh->debug |= debug_bits(p->val[0].s);
	debug_text(sh->debug, now, sizeof(now));
	if (sh->interactive)
		fprintf(sh->out, "Info: L2TP debugging shown: %s\n", now);
	return 0;
}

int
sh_do_undo_debugging(struct sh *sh, const struct cmd_parsed *p)
{
	char now[64];

	sh->debug &= ~debug_bits(cmd_str(p, "l2tp"));
	debug_text(sh->debug, now, sizeof(now));
	if (sh->interactive)
		fprintf(sh->out, "Info: L2TP debugging shown: %s\n", now);
	return 0;
}

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
		return cli_decode(o, sh->out, sh->err);
	rc = cli_decode(o, sh->out, err);
	fclose(err);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		/* Errors start "l2tpsh: "; a summary or warning stays as is. */
		if (strncmp(line, "l2tpsh: ", 8) != 0 ||
		    strstr(line, ": warning: "))
			fprintf(sh->err, "%s\n", line);
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
	o.format = sh->json || cmd_has(p, "json") ? CLI_FMT_JSON
	           : cmd_has(p, "verbose")        ? CLI_FMT_VERBOSE
	                                          : CLI_FMT_SUMMARY;
	o.count = cmd_num(p, "count", 0);
	o.analyze = strcmp(p->def->path, "analyze") == 0;
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
	fflush(sh->out);
	if (o.analyze) {
		/* keep the tunnels for display (the previous capture's go) */
		struct cli_an *an = NULL;

		o.analysis = &an;
		if (run_decode(sh, &o) != 0)
			return -1;
		if (an != NULL) {
			cli_an_free(sh->an);
			sh->an = an;
			snprintf(sh->an_file, sizeof(sh->an_file), "%s",
			         o.path);
			if (o.format != CLI_FMT_JSON) /* stdout stays JSON */
				fprintf(sh->out,
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

int
sh_do_help(struct sh *sh, const struct cmd_parsed *p)
{
	const char *what = cmd_str(p, "COMMAND");
	int shown = cmd_lang_usage(cmd_lang(), what, sh->out);

	if (shown < 0) {
		sh_error(sh, "help: cannot read '%s'", what);
		return -1;
	}
	if (shown == 0) {
		sh_error(sh,
		         "help: no command starts with '%s'; type help for "
		         "the list",
		         what);
		return -1;
	}
	if (!what)
		fprintf(sh->out,
		        "\nKeywords may be abbreviated (dis l2tp tu). "
		        "Type ? anywhere for what may come next, Tab to "
		        "complete.\n");
	return 0;
}

int
sh_do_history(struct sh *sh, const struct cmd_parsed *p)
{
	(void)p;
	if (sh->hist_fn == NULL) {
		sh_error(sh, "history is kept only in interactive use");
		return -1;
	}
	sh->hist_fn(sh->hist, sh->out);
	return 0;
}

int
sh_do_quit(struct sh *sh, const struct cmd_parsed *p)
{
	(void)sh;
	(void)p;
	return SH_QUIT;
}

void
sh_leave(struct sh *sh)
{
	size_t n, unacked;

	cap_stop_all(sh);
	n = live_close_all(sh->live, 1000, &unacked);
	if (n && unacked)
		sh_info(sh,
		        "Info: sent %zu tunnel%s a StopCCN (result 6, shutting "
		        "down); %zu not acknowledged within 1 s",
		        n, n == 1 ? "" : "s", unacked);
	else if (n)
		sh_info(sh,
		        "Info: closed %zu tunnel%s with a StopCCN "
		        "(result 6, shutting down)",
		        n, n == 1 ? "" : "s");
}

void
sh_set_interactive(struct sh *sh, bool on)
{
	sh->interactive = on;
	/* At a terminal, state changes and verdicts show by default. */
	sh->debug = sh->debug_default = on ? SH_DBG_EVENT : 0;
}

int
cli_shell(const struct cli_opts *o)
{
	struct sh *sh;
	int status = 0, rc;

	if ((sh = sh_new(o, stdout, stderr)) == NULL) {
		fprintf(stderr, "l2tpsh: out of memory\n");
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
			return 2;
		}
		status = repl_run_fd(sh, fd, o->script);
		close(fd);
	} else if (o->script || !isatty(STDIN_FILENO)) {
		status = repl_run_fd(sh, STDIN_FILENO, "stdin");
	} else {
		sh_set_interactive(sh, true);
		status = repl_run(sh);
	}
	sh_leave(sh);
	sh_free(sh);
	return status;
}
