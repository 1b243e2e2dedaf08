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

#include "cli/analyze.h"
#include "cli/capture.h"
#include "cli/live.h"
#include "cli/loop.h"
#include "cli/settings.h"
#include "cli/secret.h"
#include "cli/shell.h"
#include "decoder/json.h"
#include "decoder/print.h"
#include "decoder/proto.h"
#include "engine/engine.h"

/* The values of the settings (cli/settings.c), as text, by table index. */
#define NSETTINGS SET_MAX_ROWS

struct sh {
	FILE *out, *err;
	bool json; /* -j */
	bool interactive;
	unsigned debug; /* SH_DBG_* */
	char val[NSETTINGS][256];
	char dflt[NSETTINGS][256]; /* the engine's defaults, as text */
	struct compl_providers pv;
	void *hist;
	sh_history_fn hist_fn;
	const char *where; /* of the line being run, for errors */
	unsigned debug_default;
	struct live *live;
	char prompt[160], shown_prompt[160];
	struct cli_an *an; /* the capture `analyze` loaded, or NULL */
	char an_file[256];
	struct cli_loop *loop;
	bool own_loop;       /* made by sh_new, freed with the shell */
	struct sh_term term; /* print NULL: plain output */
};

struct cli_loop *
sh_loop(struct sh *sh)
{
	return sh->loop;
}

void
sh_set_term(struct sh *sh, const struct sh_term *t)
{
	if (t)
		sh->term = *t;
	else
		memset(&sh->term, 0, sizeof(sh->term));
}

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
sh_json_everywhere(const struct sh *sh)
{
	return sh->json;
}

bool
sh_json(const struct sh *sh, const struct cmd_parsed *p)
{
	return sh->json || cmd_has(p, "json");
}

void
sh_print_event(struct sh *sh, const char *text)
{
	if (sh->interactive && sh->term.print) {
		sh->term.print(sh->term.arg, text);
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
		if (sh->term.redraw)
			sh->term.redraw(sh->term.arg);
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
sh_new_on(const struct cli_opts *o, struct cli_loop *loop, FILE *out, FILE *err)
{
	struct sh *sh = calloc(1, sizeof(*sh));

	if (sh == NULL)
		return NULL;
	if (loop == NULL) {
		if ((loop = loop_new()) == NULL) {
			free(sh);
			return NULL;
		}
		sh->own_loop = true;
	}
	sh->loop = loop;
	sh->out = out;
	sh->err = err;
	sh->json = o ? o->json : false;
	{
		size_t ns;
		const struct setting *st = set_table(&ns);

		for (size_t i = 0; i < ns && i < NSETTINGS; i++) {
			set_default(&st[i], sh->dflt[i], sizeof(sh->dflt[i]));
			memcpy(sh->val[i], sh->dflt[i], sizeof(sh->val[i]));
		}
	}
	sh->pv.fn = provide;
	sh->pv.arg = sh;
	if ((sh->live = live_new(sh)) == NULL) {
		if (sh->own_loop)
			loop_free(sh->loop);
		free(sh);
		return NULL;
	}
	return sh;
}

struct sh *
sh_new(const struct cli_opts *o, FILE *out, FILE *err)
{
	return sh_new_on(o, NULL, out, err);
}

void
sh_free(struct sh *sh)
{
	if (sh == NULL)
		return;
	cap_stop_all(sh);
	live_free(sh->live);
	cli_an_free(sh->an);
	if (sh->own_loop)
		loop_free(sh->loop);
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
	const struct setting *st = set_find(name);

	return st ? sh->val[set_index(st)] : NULL;
}

void
sh_settings(const struct sh *sh, const char **vals, size_t cap)
{
	size_t ns;

	set_table(&ns);
	for (size_t i = 0; i < ns && i < cap && i < NSETTINGS; i++)
		vals[i] = sh->val[i];
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

/*
 * set secret file PATH and set secret prompt: the secret into sec and *val
 * sec.  A secret the words file and prompt are not (give them in a file);
 * set secret with the history's mask is refused.
 * Returns 0, or -1 once the error is shown.
 */
static int
secret_source(struct sh *sh, const struct cmd_parsed *p, const char **name,
              const char **val, char *sec, size_t len)
{
	char err[600], warn[600];
	int rc;

	sec[0] = '\0';
	if (strcmp(*name, "secret") != 0)
		return 0;
	if (strcmp(*val, "file") == 0 && cmd_has(p, "PATH")) {
		rc = cli_secret_read_file(cmd_str(p, "PATH"), sec, len, warn,
		                          sizeof(warn), err, sizeof(err));
		if (rc == 0 && warn[0])
			fprintf(sh->err, "l2tpsh: warning: %s\n", warn);
	} else if (strcmp(*val, "prompt") == 0 && !cmd_has(p, "PATH")) {
		rc = cli_secret_prompt("Secret: ", sec, len, err, sizeof(err));
	} else if (cmd_has(p, "PATH") || strcmp(*val, "file") == 0) {
		sh_error(sh, "set secret: a PATH goes after the word file: set "
		             "secret file PATH");
		return -1;
	} else if (cli_secret_is_mask(*val)) {
		sh_error(sh,
		         "set secret: %s is what the history shows for a "
		         "secret, not one: type the secret again, or use set "
		         "secret prompt or set secret file PATH",
		         CLI_SECRET_MASK);
		return -1;
	} else {
		return 0;
	}
	if (rc < 0) {
		sh_error(sh, "set secret %s: %s", *val, err);
		return -1;
	}
	*val = sec;
	return 0;
}

int
sh_do_set(struct sh *sh, const struct cmd_parsed *p)
{
	const char *name = p->def->path + strlen("set ");
	const struct setting *st = set_find(name);
	const char *val = p->nval ? p->val[0].s : "";
	char v[256], old[256], sec[CLI_SECRET_MAX + 1];
	size_t i;
	int rc;

	if (st == NULL) {
		sh_error(sh, "'%s' is not a setting", name);
		return -1;
	}
	/* set secret file PATH | prompt: the value from outside the line */
	if ((rc = secret_source(sh, p, &name, &val, sec, sizeof(sec))) < 0)
		return -1;
	if (st->type == SET_SECRET &&
	    (cmd_has(p, "peer") || cmd_has(p, "host"))) {
		if (cmd_has(p, "peer") && cmd_has(p, "host")) {
			sh_error(sh,
			         "set %s: give peer ADDR or host NAME, "
			         "not both",
			         name);
			return -1;
		}
		rc = live_peer_secret(sh->live, cmd_str(p, "peer"),
		                      cmd_str(p, "host"), val);
		explicit_bzero(sec, sizeof(sec));
		return rc;
	}
	i = set_index(st);
	if (st->type == SET_SECONDS2) {
		long lo = cmd_num(p, st->meta, st->lo),
		     hi = cmd_num(p, st->meta2, st->lo2);

		if (hi < lo) {
			sh_error(sh,
			         "%s: %s (%ld) is below %s (%ld); give %s "
			         "then %s",
			         name, st->meta2, hi, st->meta, lo, st->meta,
			         st->meta2);
			return -1;
		}
		snprintf(v, sizeof(v), "%ld %ld", lo, hi);
	} else {
		if (strlen(val) >= sizeof(sh->val[i])) {
			explicit_bzero(sec, sizeof(sec));
			sh_error(sh, "%s: at most %zu characters", name,
			         sizeof(sh->val[i]) - 1);
			return -1;
		}
		snprintf(v, sizeof(v), "%s", val);
	}
	explicit_bzero(sec, sizeof(sec));
	memcpy(old, sh->val[i], sizeof(old));
	memcpy(sh->val[i], v, sizeof(v));
	explicit_bzero(v, sizeof(v));
	rc = live_settings_changed(sh->live);
	if (rc < 0) {
		memcpy(sh->val[i], old, sizeof(old));
		sh_error(sh, "set %s: the engine refused it: %s", name,
		         l2tp_engine_strerror(rc));
	}
	explicit_bzero(old, sizeof(old));
	return rc < 0 ? -1 : 0;
}

int
sh_do_no_secret(struct sh *sh, const struct cmd_parsed *p)
{
	if (cmd_has(p, "peer") || cmd_has(p, "host"))
		return live_peer_secret(sh->live, cmd_str(p, "peer"),
		                        cmd_str(p, "host"), NULL);
	{
		size_t ns;
		const struct setting *st = set_table(&ns);

		for (size_t i = 0; i < ns; i++)
			if (st[i].type == SET_SECRET)
				sh->val[i][0] = '\0';
	}
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

/* `display l2tp config` as JSON: one array of {setting, value, default},
 * through the decoder's JSON writer. */
static void
config_json(struct sh *sh, const struct setting *st, size_t ns,
            char (*names)[96], size_t np, const char *dbg)
{
	struct l2tp_sink k;
	struct l2tp_json j;

	l2tp_sink_init(&k, sh->out);
	l2tp_json_init(&j, &k);
	l2tp_json_arr(&j);
	for (size_t i = 0; i < ns; i++) {
		l2tp_json_obj(&j);
		l2tp_json_kstr(&j, "setting", st[i].name);
		l2tp_json_key(&j, "value");
		if (st[i].type == SET_SECRET)
			l2tp_json_str(&j, *sh->val[i] ? "********" : NULL);
		else
			l2tp_json_str(&j, sh->val[i]);
		l2tp_json_kbool(&j, "default",
		                strcmp(sh->val[i], sh->dflt[i]) == 0);
		l2tp_json_obj_end(&j);
	}
	for (size_t i = 0; i < np && i < 32; i++) {
		char label[128];

		snprintf(label, sizeof(label), "secret %.96s", names[i]);
		l2tp_json_obj(&j);
		l2tp_json_kstr(&j, "setting", label);
		l2tp_json_kstr(&j, "value", "********");
		l2tp_json_kbool(&j, "default", false);
		l2tp_json_obj_end(&j);
	}
	l2tp_json_obj(&j);
	l2tp_json_kstr(&j, "setting", "debugging");
	l2tp_json_kstr(&j, "value", dbg);
	l2tp_json_kbool(&j, "default", sh->debug == sh->debug_default);
	l2tp_json_obj_end(&j);
	l2tp_json_arr_end(&j);
	l2tp_sink_putc(&k, '\n');
	l2tp_sink_free(&k);
}

int
sh_do_disp_config(struct sh *sh, const struct cmd_parsed *p)
{
	bool json = sh->json || cmd_has(p, "json");
	char dbg[64], names[32][96];
	/* Secrets for one peer each, masked like the default one. */
	size_t np = live_peer_secrets(sh->live, names, 32), ns;
	const struct setting *st = set_table(&ns);
	int w = 20;

	for (size_t i = 0; i < np && i < 32; i++)
		if ((int)strlen(names[i]) + 7 > w)
			w = (int)strlen(names[i]) + 7;
	debug_text(sh->debug, dbg, sizeof(dbg));
	if (json) {
		fflush(sh->out);
		config_json(sh, st, ns, names, np, dbg);
		return 0;
	}
	fprintf(sh->out, "%-*s %-24s %s\n", w, "Setting", "Value", "Default");
	for (size_t i = 0; i < ns; i++) {
		const char *v = sh->val[i];
		bool dflt = strcmp(v, sh->dflt[i]) == 0;

		if (st[i].type == SET_SECRET)
			v = *v ? "********" : "(none)";
		fprintf(sh->out, "%-*s %-24s %s\n", w, st[i].name, v,
		        dflt ? "yes" : "no");
	}
	for (size_t i = 0; i < np && i < 32; i++) {
		char label[128];

		snprintf(label, sizeof(label), "secret %.96s", names[i]);
		fprintf(sh->out, "%-*s %-24s %s\n", w, label, "********", "no");
	}
	fprintf(sh->out, "%-*s %-24s %s\n", w, "debugging", dbg,
	        sh->debug != sh->debug_default ? "no" : "yes");
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
