/* Ended calls and done tunnels that the analysis no longer keeps in full,
 * in words and JSON: counts, CDN results, set-up times, data (RFC 2661 §5.7,
 * §6.11-6.14). */
#include <inttypes.h>

#include "cli/an_fold.h"
#include "decoder/proto.h"

static void
calls_words(struct l2tp_sink *s, const struct l2tp_obs_folded *f)
{
	const char *sep = "";

	l2tp_sink_printf(s,
	                 "%" PRIu64 " call%s ended and summed: %" PRIu64
	                 " connected, %" PRIu64 " failed, %" PRIu64
	                 " data messages",
	                 f->calls, f->calls == 1 ? "" : "s", f->connected,
	                 f->failed, f->data);
	if (f->setup_n)
		l2tp_sink_printf(
		    s,
		    ", set up in %" PRIu64 ".%" PRIu64
		    " ms on average (%" PRIu64 ".%" PRIu64 " ms at most)",
		    f->setup_us_sum / f->setup_n / 1000,
		    f->setup_us_sum / f->setup_n % 1000 / 100,
		    f->setup_us_max / 1000, f->setup_us_max % 1000 / 100);
	if (f->ppp_opened)
		l2tp_sink_printf(s, ", %" PRIu64 " with LCP opened",
		                 f->ppp_opened);
	l2tp_sink_puts(s, "; CDN results ");
	for (int i = 0; i < 12; i++) {
		if (f->by_result[i] == 0)
			continue;
		l2tp_sink_printf(s, "%s%s%d x%" PRIu64, sep,
		                 i == 11 ? ">=" : "", i, f->by_result[i]);
		sep = ", ";
	}
	if (sep[0] == '\0')
		l2tp_sink_puts(s, "none");
}

void
cli_an_fold_text(struct l2tp_sink *s, const char *lead,
                 const struct l2tp_obs_folded *f)
{
	if (f->calls == 0 && f->tunnels == 0)
		return;
	l2tp_sink_puts(s, lead);
	if (f->tunnels)
		l2tp_sink_printf(s,
		                 "%" PRIu64 " tunnel%s that went well, done "
		                 "after their hold and summed (%" PRIu64
		                 " control messages); their ",
		                 f->tunnels, f->tunnels == 1 ? "" : "s",
		                 f->tunnel_msgs);
	calls_words(s, f);
	l2tp_sink_putc(s, '\n');
}

void
cli_an_fold_json(struct l2tp_sink *s, const char *key,
                 const struct l2tp_obs_folded *f)
{
	const char *sep = "";

	if (f->calls == 0 && f->tunnels == 0)
		return;
	l2tp_sink_printf(
	    s,
	    ",\"%s\":{\"tunnels\":%" PRIu64 ",\"tunnel_messages\":%" PRIu64
	    ",\"calls\":%" PRIu64 ",\"connected\":%" PRIu64
	    ",\"failed\":%" PRIu64 ",\"data\":%" PRIu64
	    ",\"ppp_opened\":%" PRIu64 ",\"setup_avg_us\":%" PRIu64
	    ",\"setup_max_us\":%" PRIu64 ",\"cdn_results\":{",
	    key, f->tunnels, f->tunnel_msgs, f->calls, f->connected, f->failed,
	    f->data, f->ppp_opened,
	    f->setup_n ? f->setup_us_sum / f->setup_n : 0, f->setup_us_max);
	for (int i = 0; i < 12; i++) {
		if (f->by_result[i] == 0)
			continue;
		l2tp_sink_printf(s, "%s\"%s%d\":%" PRIu64, sep,
		                 i == 11 ? ">=" : "", i, f->by_result[i]);
		sep = ",";
	}
	l2tp_sink_puts(s, "}}");
}
