/* Tests of the RFC 1661 automaton: its table against the RFC's, the restart
 * timer, Max-Configure and Max-Terminate at deadline-1 and deadline. */
#include "engine/ppp_int.h"
#include "test_ppp_harness.h"

/* RFC 1661 §4.1 as printed, without its footnote letters (r, x, p). */
static const char *const rfc[PE_COUNT][10] = {
    /* Up */ {"2", "irc,scr/6", "-", "-", "-", "-", "-", "-", "-", "-"},
    /* Down */ {"-", "-", "0", "tls/1", "0", "1", "1", "1", "1", "tld/1"},
    /* Open */ {"tls/1", "1", "irc,scr/6", "3", "5", "5", "6", "7", "8", "9"},
    /* Close */
    {"0", "tlf/0", "2", "2", "4", "4", "irc,str/4", "irc,str/4", "irc,str/4",
     "tld,irc,str/4"},
    /* TO+ */
    {"-", "-", "-", "-", "str/4", "str/5", "scr/6", "scr/6", "scr/8", "-"},
    /* TO- */
    {"-", "-", "-", "-", "tlf/2", "tlf/3", "tlf/3", "tlf/3", "tlf/3", "-"},
    /* RCR+ */
    {"-", "-", "sta/2", "irc,scr,sca/8", "4", "5", "sca/8", "sca,tlu/9",
     "sca/8", "tld,scr,sca/8"},
    /* RCR- */
    {"-", "-", "sta/2", "irc,scr,scn/6", "4", "5", "scn/6", "scn/7", "scn/6",
     "tld,scr,scn/6"},
    /* RCA */
    {"-", "-", "sta/2", "sta/3", "4", "5", "irc/7", "scr/6", "irc,tlu/9",
     "tld,scr/6"},
    /* RCN */
    {"-", "-", "sta/2", "sta/3", "4", "5", "irc,scr/6", "scr/6", "irc,scr/8",
     "tld,scr/6"},
    /* RTR */
    {"-", "-", "sta/2", "sta/3", "sta/4", "sta/5", "sta/6", "sta/6", "sta/6",
     "tld,zrc,sta/5"},
    /* RTA */
    {"-", "-", "2", "3", "tlf/2", "tlf/3", "6", "6", "8", "tld,scr/6"},
    /* RUC */
    {"-", "-", "scj/2", "scj/3", "scj/4", "scj/5", "scj/6", "scj/7", "scj/8",
     "scj/9"},
    /* RXJ+ */ {"-", "-", "2", "3", "4", "5", "6", "6", "8", "9"},
    /* RXJ- */
    {"-", "-", "tlf/2", "tlf/3", "tlf/2", "tlf/3", "tlf/3", "tlf/3", "tlf/3",
     "tld,irc,str/5"},
    /* RXR */ {"-", "-", "2", "3", "4", "5", "6", "7", "8", "ser/9"},
};

/* The RFC writes "sca,tlu": actions in its order; ours run in a fixed order
 * that must agree with every entry, so compare as sets. */
static void
render(int state, int ev, char *out, size_t cap)
{
	unsigned a;
	int next = ppp_fsm_lookup(state, ev, &a);
	size_t n = 0;

	if (next < 0) {
		snprintf(out, cap, "-");
		return;
	}
	out[0] = '\0';
	for (unsigned i = 0; i < PA_COUNT; i++)
		if (a & (1u << i))
			n += (size_t)snprintf(out + n, cap - n, "%s%s",
			                      n ? "," : "",
			                      ppp_fsm_action_name(1u << i));
	snprintf(out + n, cap - n, "%s%d", n ? "/" : "", next);
}

static unsigned
parse_acts(const char *s, int *next)
{
	unsigned a = 0;
	char buf[64], *tok, *save, *slash;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (!slash) {
		*next = strcmp(buf, "-") == 0 ? -1 : atoi(buf);
		return 0;
	}
	*slash = '\0';
	*next = atoi(slash + 1);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned i;

		for (i = 0; i < PA_COUNT; i++)
			if (strcmp(tok, ppp_fsm_action_name(1u << i)) == 0)
				break;
		cr_assert(i < PA_COUNT, "unknown action %s", tok);
		a |= 1u << i;
	}
	return a;
}

Test(ppp_fsm, table_is_rfc1661_row_by_row)
{
	for (int ev = 0; ev < PE_COUNT; ev++)
		for (int st = 0; st < 10; st++) {
			unsigned a, want;
			int next, wnext;
			char got[64];

			want = parse_acts(rfc[ev][st], &wnext);
			next = ppp_fsm_lookup(st, ev, &a);
			render(st, ev, got, sizeof(got));
			cr_expect(next == wnext && (next < 0 || a == want),
			          "%s in %s: RFC says %s, table says %s",
			          ppp_fsm_event_name(ev),
			          l2tp_ppp_state_name(st), rfc[ev][st], got);
		}
}

Test(ppp_fsm, action_order_fits_every_entry)
{
	/* Where the RFC lists actions, tld comes before any send and tlu
	 * after: the order our actions run in. */
	cr_assert_lt(PA_TLD, PA_SCR);
	cr_assert_lt(PA_SCA, PA_TLU);
	cr_assert_lt(PA_IRC, PA_SCR);
	cr_assert_lt(PA_ZRC, PA_STA);
}

Test(ppp_fsm, names)
{
	cr_assert_str_eq(l2tp_ppp_state_name(L2TP_PPP_ACK_SENT), "ack-sent");
	cr_assert_str_eq(l2tp_ppp_state_name(99), "unknown");
	cr_assert_str_eq(ppp_fsm_event_name(PE_RXJ_M), "RXJ-");
	cr_assert_str_eq(l2tp_ppp_phase_name(L2TP_PPP_AUTHENTICATE),
	                 "authenticate");
	cr_assert_str_eq(l2tp_ppp_event_kind_name(L2TP_PPP_EV_DEAD), "dead");
	cr_assert_eq(ppp_fsm_lookup(10, 0, &(unsigned){0}), -1);
}

/* A subscriber alone: the peer never answers. */
Test(ppp_fsm, restart_timer_and_max_configure)
{
	struct ppair *pr = ph_new();
	struct l2tp_ppp_info in;
	const struct pevent *d;

	pr->wired = false;
	ph_make(pr, SUB);
	ph_start(pr);
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_LCP, 1), 1);
	cr_assert_eq(l2tp_ppp_expiry(pr->e[SUB].l), 3000);
	for (unsigned k = 1; k < 10; k++) {
		ph_run_until(pr, 3000ull * k - 1);
		cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_LCP, 1), k,
		             "at %u s - 1 ms", 3 * k);
		ph_run_until(pr, 3000ull * k);
		cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_LCP, 1), k + 1,
		             "at %u s", 3 * k);
	}
	/* Ten sent; the tenth's timeout is TO-: the layer finishes. */
	ph_run_until(pr, 29999);
	cr_assert_null(ph_find(pr, SUB, L2TP_PPP_EV_DEAD, NULL));
	ph_run_until(pr, 30000);
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_LCP, 1), 10);
	d = ph_find(pr, SUB, L2TP_PPP_EV_DEAD, NULL);
	cr_assert_not_null(d);
	cr_assert_str_eq(d->text, "no answer to 10 LCP Configure-Requests");
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_GIVE_UP, "Max-Configure"));
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.lcp_state, L2TP_PPP_STOPPED);
	cr_assert_eq(in.phase, L2TP_PPP_DEAD);
	cr_assert_eq(l2tp_ppp_expiry(pr->e[SUB].l), UINT64_MAX);
	/* Each request took a new Identifier. */
	cr_assert_eq(ph_last(pr, SUB, L2TP_PPP_LCP, 1)->data[1], 10);
	ph_free(pr);
}

Test(ppp_fsm, max_terminate)
{
	struct ppair *pr = ph_new();
	const struct pevent *d;
	uint64_t t0;

	ph_up(pr);
	pr->drop[SRV] = true; /* the server goes silent */
	t0 = pr->now;
	cr_assert_eq(l2tp_ppp_close(pr->e[SUB].l, "operator said so", t0), 0);
	cr_assert_eq(l2tp_ppp_close(pr->e[SUB].l, "again", t0),
	             L2TP_PPP_E_STATE);
	ph_deliver(pr);
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_LCP, 5), 1);
	{
		const struct pframe *f = ph_last(pr, SUB, L2TP_PPP_LCP, 5);

		cr_assert_eq(f->len, 4 + strlen("operator said so"));
		cr_assert(memcmp(f->data + 4, "operator said so", 16) == 0);
	}
	ph_run_until(pr, t0 + 2999);
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_LCP, 5), 1);
	ph_run_until(pr, t0 + 3000);
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_LCP, 5), 2);
	ph_run_until(pr, t0 + 5999);
	cr_assert_null(ph_find(pr, SUB, L2TP_PPP_EV_DEAD, NULL));
	ph_run_until(pr, t0 + 6000);
	d = ph_find(pr, SUB, L2TP_PPP_EV_DEAD, NULL);
	cr_assert_not_null(d);
	cr_assert_str_eq(d->text, "operator said so");
	cr_assert_eq(ph_sent(pr, SUB, L2TP_PPP_LCP, 5), 2);
	ph_free(pr);
}

Test(ppp_fsm, terminate_ack_ends_at_once)
{
	struct ppair *pr = ph_new();
	const struct pevent *d;
	struct l2tp_ppp_info in;

	ph_up(pr);
	cr_assert_eq(l2tp_ppp_close(pr->e[SRV].l, "admin reset", pr->now), 0);
	ph_deliver(pr);
	d = ph_find(pr, SRV, L2TP_PPP_EV_DEAD, NULL);
	cr_assert_not_null(d);
	cr_assert_str_eq(d->text, "admin reset");
	/* The subscriber saw the reason; Stopping, then after one restart
	 * period it is finished (zrc). */
	cr_assert_not_null(
	    ph_find(pr, SUB, L2TP_PPP_EV_TERMINATE, "\"admin reset\""));
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.lcp_state, L2TP_PPP_STOPPING);
	ph_run_until(pr, pr->now + 2999);
	cr_assert_null(ph_find(pr, SUB, L2TP_PPP_EV_DEAD, NULL));
	ph_run_until(pr, pr->now + 1);
	d = ph_find(pr, SUB, L2TP_PPP_EV_DEAD, NULL);
	cr_assert_not_null(d);
	cr_assert_str_eq(d->text, "terminated by the peer: admin reset");
	ph_free(pr);
}

Test(ppp_fsm, lower_down_is_silent)
{
	struct ppair *pr = ph_new();
	struct l2tp_ppp_info in;
	size_t n;

	ph_up(pr);
	n = pr->e[SUB].nsent;
	cr_assert_eq(l2tp_ppp_lower_down(pr->e[SUB].l, pr->now), 0);
	cr_assert_eq(pr->e[SUB].nsent, n);
	ph_info(pr, SUB, &in);
	cr_assert_eq(in.phase, L2TP_PPP_DEAD);
	cr_assert_eq(in.lcp_state, L2TP_PPP_STARTING);
	cr_assert_eq(l2tp_ppp_expiry(pr->e[SUB].l), UINT64_MAX);
	cr_assert_null(ph_find(pr, SUB, L2TP_PPP_EV_DEAD, NULL));
	ph_free(pr);
}

/* Frames corrupted in flight, and random frames on every protocol, in every
 * phase: nothing crashes or loops, and the timers still end the link. */
static uint32_t
lcg(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 8;
}

Test(ppp_fsm, corrupted_and_random_frames)
{
	static const uint16_t protos[] = {0xc021, 0xc023, 0xc223,
	                                  0x8021, 0x8057, 0x0021,
	                                  0x0057, 0x80fd, 0x1234};

	for (uint32_t seed = 1; seed <= 40; seed++) {
		struct ppair *pr = ph_new();
		uint32_t x = seed;

		pr->wired = false;
		ph_make(pr, -1);
		ph_start(pr);
		for (int step = 0; step < 400; step++) {
			int to = (int)(lcg(&x) & 1);
			uint8_t b[64];
			size_t n;
			uint16_t proto;
			const struct pframe *f = NULL;

			/* Mostly the other end's real frames, some corrupted;
			 * sometimes pure noise. */
			if (pr->e[!to].nsent && lcg(&x) % 4) {
				f = &pr->e[!to]
				         .sent[lcg(&x) % pr->e[!to].nsent];
				n = f->len < sizeof(b) ? f->len : sizeof(b);
				memcpy(b, f->data, n);
				proto = f->proto;
				if (lcg(&x) % 3 == 0)
					b[lcg(&x) % n] ^=
					    (uint8_t)(1u << (lcg(&x) % 8));
				if (lcg(&x) % 5 == 0)
					n = lcg(&x) % (n + 1);
			} else {
				n = lcg(&x) % sizeof(b);
				for (size_t i = 0; i < n; i++)
					b[i] = (uint8_t)lcg(&x);
				if (n > 0)
					b[0] = (uint8_t)(1 + lcg(&x) % 14);
				proto = protos[lcg(&x) % 9];
			}
			l2tp_ppp_input(pr->e[to].l, proto, b, n, pr->now);
			if (pr->e[0].nsent > PH_MAXF - 200 ||
			    pr->e[1].nsent > PH_MAXF - 200)
				break;
			if (lcg(&x) % 8 == 0)
				ph_run_until(pr, pr->now + lcg(&x) % 4000);
		}
		/* Whatever happened, the link ends or stays sane: closing it
		 * and waiting out the timers leaves it dead on both ends. */
		for (int i = 0; i < 2; i++)
			l2tp_ppp_close(pr->e[i].l, "end of test", pr->now);
		ph_run_until(pr, pr->now + 120000);
		for (int i = 0; i < 2; i++) {
			struct l2tp_ppp_info in;

			ph_info(pr, i, &in);
			cr_assert(in.lcp_state != L2TP_PPP_OPENED,
			          "seed %u end %d still opened", seed, i);
			cr_assert(l2tp_ppp_expiry(pr->e[i].l) == UINT64_MAX ||
			              in.lcp_state == L2TP_PPP_REQ_SENT ||
			              in.lcp_state >= L2TP_PPP_CLOSING,
			          "seed %u end %d", seed, i);
		}
		ph_free(pr);
	}
}
