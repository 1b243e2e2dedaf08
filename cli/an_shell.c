/* The shell's display of tunnels rebuilt from a capture (`analyze FILE`), in
 * the forms of live tunnels (RFC 2661 §5-7). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/an_ppp.h"
#include "cli/an_shell.h"
#include "cli/analyze.h"
#include "cli/display.h"
#include "cli/ladder.h"
#include "cli/sh.h"
#include "decoder/frame.h"
#include "decoder/json.h"
#include "decoder/proto.h"

static struct cli_an *
loaded(struct sh *sh, const char **file)
{
	return sh_capture(sh, file);
}

/* Uptimes of captured tunnels count to the capture's last message. */
static uint64_t
end_ms(const struct l2tp_obs_tunnel *t)
{
	return t->last_us / 1000;
}

size_t
cli_an_sh_tunnels(struct sh *sh, struct disp *d)
{
	const char *file;
	struct cli_an *an = loaded(sh, &file);
	const struct l2tp_obs_tunnel *t;
	size_t n = 0;

	if (an == NULL)
		return 0;
	disp_tunnels_begin(d, file);
	for (size_t i = 0; (t = l2tp_obs_tunnel(cli_an_obs(an), i)); i++) {
		struct l2tp_tunnel_info ti;

		l2tp_obs_tunnel_info(t, &ti);
		disp_tunnel(d, &ti, end_ms(t), file);
		n++;
	}
	disp_tunnels_end(d, n, file);
	return n;
}

/* The first captured tunnel with this local id, and how many have it. */
static const struct l2tp_obs_tunnel *
find_tunnel(struct cli_an *an, uint16_t tid, size_t *count)
{
	const struct l2tp_obs_tunnel *t, *first = NULL;

	*count = 0;
	for (size_t i = 0; (t = l2tp_obs_tunnel(cli_an_obs(an), i)); i++)
		if (t->p[0].tid == tid) {
			if (first == NULL)
				first = t;
			(*count)++;
		}
	return first;
}

int
cli_an_sh_tunnel(struct sh *sh, FILE *f, uint16_t tid, bool json)
{
	const char *file;
	struct cli_an *an = loaded(sh, &file);
	const struct l2tp_obs_tunnel *t;
	struct l2tp_tunnel_info ti;
	size_t count;

	if (an == NULL || (t = find_tunnel(an, tid, &count)) == NULL)
		return -1;
	l2tp_obs_tunnel_info(t, &ti);
	disp_tunnel_one(f, json, &ti, end_ms(t), file);
	if (json)
		return 0;
	if (count > 1)
		fprintf(f,
		        "  (%zu tunnels of the capture have local id %u; "
		        "this is the first)\n",
		        count, tid);
	return 0;
}

size_t
cli_an_sh_sessions(struct sh *sh, struct disp *d)
{
	const char *file;
	struct cli_an *an = loaded(sh, &file);
	const struct l2tp_obs_tunnel *t;
	size_t n = 0;

	if (an == NULL)
		return 0;
	disp_sessions_begin(d, file);
	for (size_t i = 0; (t = l2tp_obs_tunnel(cli_an_obs(an), i)); i++)
		for (size_t c = 0; c < t->ncalls; c++) {
			struct l2tp_session_info si;

			l2tp_obs_call_info(t, &t->calls[c], &si);
			disp_session(d, &si, file);
			n++;
		}
	disp_sessions_end(d, n, file);
	return n;
}

int
cli_an_sh_session(struct sh *sh, FILE *f, uint16_t sid, bool json)
{
	struct disp d;
	const char *file;
	struct cli_an *an = loaded(sh, &file);
	const struct l2tp_obs_tunnel *t;

	if (an == NULL)
		return -1;
	for (size_t i = 0; (t = l2tp_obs_tunnel(cli_an_obs(an), i)); i++)
		for (size_t c = 0; c < t->ncalls; c++) {
			struct l2tp_session_info si;

			l2tp_obs_call_info(t, &t->calls[c], &si);
			if (si.local_id != sid)
				continue;
			disp_open(&d, f, json, false, true);
			disp_session(&d, &si, file);
			disp_close(&d);
			if (!json)
				fprintf(f, "  %-16s %s\n", "Source", file);
			if (!json && t->calls[c].ppp) { /* its PPP story */
				struct l2tp_sink s;

				l2tp_sink_init(&s, f);
				cli_an_ppp_text(&s, cli_an_ppp_opts(an), t,
				                &t->calls[c]);
				l2tp_sink_free(&s);
			}
			return 0;
		}
	return -1;
}

void
cli_an_sh_stats(struct sh *sh, FILE *f, struct l2tp_json *j)
{
	const char *file;
	struct cli_an *an = loaded(sh, &file);
	struct l2tp_obs_stats st;

	if (an == NULL)
		return;
	l2tp_obs_stats(cli_an_obs(an), &st);
	if (j) {
		l2tp_json_kstr(j, "capture", file);
		l2tp_json_kuint(j, "capture_tunnels", st.tunnels);
		l2tp_json_kuint(j, "capture_sessions", st.calls);
		l2tp_json_kuint(j, "capture_control", st.control);
		l2tp_json_kuint(j, "capture_data", st.data);
		l2tp_json_kuint(j, "capture_zlb", st.zlb);
		l2tp_json_kuint(j, "capture_orphans", st.orphans);
		l2tp_json_kuint(j, "capture_findings", st.findings);
		return;
	}
	fprintf(f, "From capture %s:\n", file);
	fprintf(f, "%-20s %" PRIu64 "\n", "Tunnels", st.tunnels);
	fprintf(f, "%-20s %" PRIu64 "\n", "Sessions", st.calls);
	fprintf(f, "%-20s %" PRIu64 "\n", "ControlMessages", st.control);
	fprintf(f, "%-20s %" PRIu64 "\n", "Zlbs", st.zlb);
	fprintf(f, "%-20s %" PRIu64 "\n", "DataMessages", st.data);
	fprintf(f, "%-20s %" PRIu64 "\n", "NoTunnel", st.orphans);
	fprintf(f, "%-20s %" PRIu64 "\n", "Findings", st.findings);
}

static void
hist_text(struct l2tp_sink *s, struct cli_an *an,
          const struct l2tp_obs_tunnel *t, const struct l2tp_obs_msg *h,
          const char *file, bool json)
{
	char nb[24], key[160], from[48], to[48];
	uint64_t t0 = cli_an_t0(an), r = h->time_us - t0;
	struct l2tp_ipaddr ip;

	memset(&ip, 0, sizeof(ip));
	ip.family = t->p[h->side].addr.family;
	memcpy(ip.a, t->p[h->side].addr.addr, 16);
	l2tp_ipaddr_str(&ip, from, sizeof(from));
	ip.family = t->p[1 - h->side].addr.family;
	memcpy(ip.a, t->p[1 - h->side].addr.addr, 16);
	l2tp_ipaddr_str(&ip, to, sizeof(to));
	l2tp_obs_msg_key(t, h, key, sizeof(key));
	if (json) {
		l2tp_sink_printf(s,
		                 "{\"frame\":%" PRIu64 ",\"time\":%" PRIu64
		                 ".%06" PRIu64 ",\"from\":",
		                 h->frame, h->time_us / 1000000,
		                 h->time_us % 1000000);
		l2tp_sink_json_str(s, from, strlen(from));
		l2tp_sink_puts(s, ",\"to\":");
		l2tp_sink_json_str(s, to, strlen(to));
		l2tp_sink_puts(s, ",\"message\":");
		l2tp_msg_name(h->msg_type, nb, sizeof(nb));
		l2tp_sink_json_str(s, nb, strlen(nb));
		l2tp_sink_printf(s,
		                 ",\"tunnel\":%u,\"session\":%u,\"ns\":%u,"
		                 "\"nr\":%u,\"key\":",
		                 h->tunnel, h->session, h->ns, h->nr);
		l2tp_sink_json_str(s, key, strlen(key));
		l2tp_sink_printf(s,
		                 ",\"retransmission\":%s,\"source\":"
		                 "\"capture\",\"capture\":",
		                 h->flags & L2TP_OBS_H_RTX ? "true" : "false");
		l2tp_sink_json_str(s, file, strlen(file));
		l2tp_sink_puts(s, "}\n");
		return;
	}
	l2tp_sink_printf(
	    s,
	    "#%-6" PRIu64 " %4" PRIu64 ".%03" PRIu64
	    " %s -> %s %s tunnel %u session %u Ns %u Nr %u%s%s%s%s\n",
	    h->frame, r / 1000000, r % 1000000 / 1000, from, to,
	    l2tp_msg_name(h->msg_type, nb, sizeof(nb)), h->tunnel, h->session,
	    h->ns, h->nr, key[0] ? "  " : "", key,
	    h->flags & L2TP_OBS_H_RTX ? "  [retransmission]" : "",
	    h->flags & L2TP_OBS_H_FIND ? "  [finding]" : "");
}

int
cli_an_sh_history(struct sh *sh, FILE *f, uint16_t tid, bool ladder, bool json)
{
	const char *file;
	struct cli_an *an = loaded(sh, &file);
	const struct l2tp_obs_tunnel *t;
	const struct l2tp_obs_msg *h;
	struct l2tp_sink s;
	size_t count, kept;
	uint64_t cut;

	if (an == NULL || (t = find_tunnel(an, tid, &count)) == NULL)
		return -1;
	l2tp_sink_init(&s, f);
	if (ladder && !json) {
		l2tp_sink_printf(&s, "Tunnel %u from capture %s\n", tid, file);
		cli_an_ladder(&s, an, t,
		              isatty(fileno(f)) && getenv("NO_COLOR") == NULL,
		              cli_an_width(f));
	} else {
		for (size_t i = 0;
		     (h = l2tp_obs_history(cli_an_obs(an), t, i, &kept, &cut));
		     i++)
			hist_text(&s, an, t, h, file, json);
		if (!json && cut)
			l2tp_sink_printf(&s,
			                 "(%" PRIu64 " messages in the middle "
			                 "are not kept)\n",
			                 cut);
	}
	l2tp_sink_flush(&s);
	l2tp_sink_free(&s);
	return 0;
}

void
cli_an_sh_history_hint(struct sh *sh, struct l2tp_sink *s, bool json)
{
	const char *file;
	struct cli_an *an = loaded(sh, &file);

	if (an == NULL || json)
		return;
	l2tp_sink_printf(s,
	                 "The capture %s holds %zu tunnel%s: display l2tp "
	                 "history tunnel ID [ladder] shows one\n",
	                 file, l2tp_obs_tunnel_count(cli_an_obs(an)),
	                 l2tp_obs_tunnel_count(cli_an_obs(an)) == 1 ? "" : "s");
}
