/* Printer benchmark: packets per second of parse alone and of each output form
 * over built L2TP messages (RFC 2661 messages). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/print_samples.h"

#define NMSG 8

struct sample {
	const char *name;
	uint8_t b[512];
	size_t n;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum form { F_PARSE, F_LINE, F_TREE, F_JSON };

static const char *const form_name[] = {"parse only", "one line (-r)",
                                        "tree (-v)", "JSON (-j)"};

int
main(int argc, char **argv)
{
	static struct sample s[NMSG];
	static struct l2tp_msg m;
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
	FILE *devnull = fopen("/dev/null", "w");
	struct l2tp_frame fr = v4frame();
	struct l2tp_print_opts po = {0, false};
	struct l2tp_sink sink;
	size_t k = 0;
	double base = 0;

	const char *only = argc > 2 ? argv[2] : NULL; /* line, tree, json */

	if (devnull == NULL || n <= 0 ||
	    (only && strcmp(only, "line") && strcmp(only, "tree") &&
	     strcmp(only, "json"))) {
		fprintf(stderr,
		        "usage: bench_print [packets [line|tree|json]]\n");
		return 1;
	}
	/* A control-plane mix like a busy LNS: handshakes, calls, hellos,
	 * acks, a teardown, and a data packet. */
	s[k].name = "SCCRQ";
	s[k].n = (size_t)build_sccrq(s[k].b, sizeof(s[k].b));
	k++;
	s[k].name = "StopCCN";
	s[k].n = (size_t)build_stopccn(s[k].b, sizeof(s[k].b));
	k++;
	s[k].name = "SCCRP hidden";
	s[k].n = (size_t)build_hidden(s[k].b, sizeof(s[k].b));
	k++;
	s[k].name = "ICRQ";
	s[k].n = (size_t)build_vendor_bad(s[k].b, sizeof(s[k].b));
	k++;
	s[k].name = "CDN";
	s[k].n = (size_t)build_cdn(s[k].b, sizeof(s[k].b));
	k++;
	s[k].name = "ICCN";
	s[k].n = (size_t)build_iccn(s[k].b, sizeof(s[k].b));
	k++;
	s[k].name = "ZLB";
	s[k].n = (size_t)build_zlb(s[k].b, sizeof(s[k].b));
	k++;
	s[k].name = "data LCP";
	s[k].n = (size_t)build_data(s[k].b, sizeof(s[k].b), lcp_creq,
	                            sizeof(lcp_creq));
	k++;

	printf("%ld packets, %zu message kinds, output to /dev/null\n", n, k);
	for (int f = F_PARSE; f <= F_JSON; f++) {
		static const char *const key[] = {"parse", "line", "tree",
		                                  "json"};

		if (only && f != F_PARSE && strcmp(only, key[f]) != 0)
			continue;
		struct l2tp_pkt_meta meta = {0, 1700000000, 0, &fr};
		struct l2tp_sink mem;
		size_t bytes;
		double t0, dt;

		/* the average output size, from one round into memory */
		l2tp_sink_init(&mem, NULL);
		for (size_t j = 0; j < k; j++) {
			l2tp_parse(s[j].b, s[j].n, s[j].n, L2TP_UDP, NULL, &m);
			if (f == F_LINE)
				l2tp_print_line(&mem, &po, &meta, &m);
			else if (f == F_TREE)
				l2tp_print_tree(&mem, &po, &meta, &m);
			else if (f == F_JSON)
				l2tp_print_json(&mem, &po, &meta, &m);
		}
		bytes = mem.len / k;
		l2tp_sink_free(&mem);

		l2tp_sink_init(&sink, devnull);
		t0 = now();
		for (long i = 0; i < n; i++) {
			const struct sample *x = &s[i % (long)k];

			meta.frame = (uint64_t)i + 1;
			meta.ts_usec = (uint32_t)(i % 1000000);
			fr.caplen = fr.wirelen = x->n;
			l2tp_parse(x->b, x->n, x->n, L2TP_UDP, NULL, &m);
			if (f == F_LINE)
				l2tp_print_line(&sink, &po, &meta, &m);
			else if (f == F_TREE)
				l2tp_print_tree(&sink, &po, &meta, &m);
			else if (f == F_JSON)
				l2tp_print_json(&sink, &po, &meta, &m);
		}
		l2tp_sink_free(&sink);
		dt = now() - t0;
		if (f == F_PARSE)
			base = dt;
		printf("%-14s %10.0f packets/s  %6.0f ns/packet  (printing "
		       "%4.0f ns)  ~%zu bytes/packet\n",
		       form_name[f], (double)n / dt, dt / (double)n * 1e9,
		       (dt - base) / (double)n * 1e9, bytes);
	}
	fclose(devnull);
	return 0;
}
