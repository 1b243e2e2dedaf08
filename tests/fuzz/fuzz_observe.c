/* Fuzz target: datagrams between two ends fed to the observer, then every view
 * of it and the analysis report, text and JSON (RFC 2661 §5.8, §6, §7). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/analyze.h"
#include "decoder/frame.h"
#include "decoder/l2tp.h"
#include "decoder/print.h"
#include "engine/observe.h"
#include "tests/json_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Input: records of a flags byte (bit 0: sent by 10.0.0.2, else by
 * 10.0.0.1; bit 1: from port 1702 instead of 1701; bits 2-7: time step in
 * units of 250 ms), a 2-byte big-endian length and that many bytes, each
 * one UDP payload.  Secrets "lab-secret-1701" and "fuzz" are tried.
 */

static void
check(int ok)
{
	if (!ok)
		abort();
}

static struct jdoc doc;

static void
walk(struct cli_an *an)
{
	struct l2tp_obs *o = cli_an_obs(an);
	const struct l2tp_obs_tunnel *t;
	const struct l2tp_obs_finding *f;
	struct l2tp_obs_stats st;
	size_t kept, n = 0;
	uint64_t cut;
	char key[160];

	for (size_t i = 0; (t = l2tp_obs_tunnel(o, i)); i++, n++) {
		const struct l2tp_obs_msg *h;
		struct l2tp_tunnel_info ti;

		l2tp_obs_tunnel_info(t, &ti);
		check(ti.local_id == t->p[0].tid);
		for (size_t c = 0; c < t->ncalls; c++) {
			struct l2tp_session_info si;

			l2tp_obs_call_info(t, &t->calls[c], &si);
		}
		for (size_t k = 0; (h = l2tp_obs_history(o, t, k, &kept, &cut));
		     k++) {
			l2tp_obs_msg_key(t, h, key, sizeof(key));
			check(strlen(key) < sizeof(key));
			check((h->flags & ~0x3f) == 0); /* L2TP_OBS_H_* only */
		}
		check(kept <= 128);
		for (size_t k = 0;
		     (f = l2tp_obs_tunnel_finding(o, t, k, &kept)); k++)
			check(f->cat < L2TP_OBS_C_COUNT);
	}
	l2tp_obs_stats(o, &st);
	check(st.tunnels == n);
	for (size_t k = 0; (f = l2tp_obs_orphan_finding(o, k, &kept)); k++)
		check(f->cat < L2TP_OBS_C_COUNT);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t scratch[65536];
	struct cli_decode_opts opts;
	struct l2tp_msg *m = malloc(sizeof(*m));
	struct cli_an *an;
	struct l2tp_frame fr;
	struct l2tp_pkt_meta meta;
	struct l2tp_sink s;
	uint64_t t_us = 1767225600000000ULL, frame = 0;
	size_t i = 0;

	memset(&opts, 0, sizeof(opts));
	opts.secrets[0] = "lab-secret-1701";
	opts.secrets[1] = "fuzz";
	opts.nsecrets = 2;
	check(m != NULL && (an = cli_an_new(&opts)) != NULL);
	while (size - i >= 3) {
		uint8_t fl = data[i];
		size_t len = (size_t)data[i + 1] << 8 | data[i + 2];
		int rc;

		i += 3;
		if (len > size - i)
			len = size - i;
		memset(&fr, 0, sizeof(fr));
		fr.kind = L2TP_FRAME_L2TP;
		fr.src.family = fr.dst.family = 4;
		memcpy(fr.src.a,
		       fl & 1 ? "\x0a\x00\x00\x02" : "\x0a\x00\x00\x01", 4);
		memcpy(fr.dst.a,
		       fl & 1 ? "\x0a\x00\x00\x01" : "\x0a\x00\x00\x02", 4);
		fr.sport = fl & 2 ? 1702 : 1701;
		fr.dport = 1701;
		fr.l2tp = data + i;
		fr.caplen = fr.wirelen = len;
		t_us += (uint64_t)(fl >> 2) * 250000;
		meta.frame = ++frame;
		meta.ts_sec = (int64_t)(t_us / 1000000);
		meta.ts_usec = (uint32_t)(t_us % 1000000);
		meta.fr = &fr;
		rc = l2tp_parse(fr.l2tp, len, len, L2TP_UDP, NULL, m);
		if (rc == 0 && m->control)
			l2tp_unhide(m, opts.secrets, opts.nsecrets, scratch,
			            sizeof(scratch));
		cli_an_l2tp(an, &meta, m, rc);
		i += len;
	}
	l2tp_sink_init(&s, NULL);
	cli_an_report(an, &s, false, true, 70);
	check(!s.oom);
	s.len = 0;
	cli_an_report(an, &s, true, false, 80);
	check(s.len > 0 && s.buf[s.len - 1] == '\n');
	/* valid JSON, unless it is larger than the strict reader holds */
	if (!jparse(&doc, s.buf, s.len - 1))
		check(doc.err != NULL &&
		      strcmp(doc.err, "too many nodes") == 0);
	walk(an);
	l2tp_sink_free(&s);
	cli_an_free(an);
	free(m);
	return 0;
}
