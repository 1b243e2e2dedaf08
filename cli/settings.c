/* The shell's settings, one row each. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/settings.h"

#define CFG(f) offsetof(struct l2tp_engine_config, f)

/* clang-format off */
static const struct setting table[] = {
    {"local-name", SET_NAME, "NAME", NULL, 0, 0, 0, 0,
     "Set the Host Name AVP this end sends",
     "host name sent in SCCRQ/SCCRP", NULL,
     SF_CHARS, CFG(host_name), 0, sizeof(((struct l2tp_engine_config *)0)->host_name)},
    {"secret", SET_SECRET, "SECRET", NULL, 0, 0, 0, 0,
     "Set the tunnel secret (authentication and hidden AVPs)",
     "the shared tunnel secret", NULL, SF_NONE, 0, 0, 0},
    {"hello-interval", SET_SECONDS, "SEC", NULL, 0, 3600, 0, 0,
     "Set the Hello interval for new tunnels",
     "seconds of silence before a Hello, 0 = never", NULL,
     SF_U32, CFG(hello_ms), 0, 0},
    {"window", SET_NUMBER, "N", NULL, 1, 65535, 0, 0,
     "Set the receive window size",
     "receive window advertised to the peer", NULL,
     SF_U16, CFG(rx_window), 0, 0},
    {"retransmit retries", SET_NUMBER, "N", NULL, 1, 100, 0, 0,
     "Set how many times a message is sent before the tunnel is cleared",
     "sends of a control message before giving up", NULL,
     SF_UINT, CFG(rtx_retries), 0, 0},
    {"retransmit timeout", SET_SECONDS2, "MIN", "MAX", 1, 60, 1, 600,
     "Set the retransmission timeout and its cap",
     "first retransmission timeout, seconds",
     "cap of the doubling timeout, seconds",
     SF_U32, CFG(rtx_min_ms), CFG(rtx_max_ms), 0},
    {"hide-avps", SET_BOOL, "on|off", NULL, 0, 0, 0, 0,
     "Hide AVPs (RFC 2661 4.3) with the secret",
     "hide hideable AVPs when a secret is set", NULL,
     SF_BOOL, CFG(hide_avps), 0, 0},
    {"challenge", SET_BOOL, "on|off", NULL, 0, 0, 0, 0,
     "Challenge the peer (tunnel authentication)",
     "send a Challenge AVP", NULL, SF_BOOL, CFG(challenge), 0, 0},
    {"tie-breaker", SET_BOOL, "on|off", NULL, 0, 0, 0, 0,
     "Send a Tie Breaker AVP",
     "send a Tie Breaker AVP in SCCRQ", NULL,
     SF_BOOL, CFG(tie_breaker), 0, 0},
    {"mode", SET_MODE, "auto|step", NULL, 0, 0, 0, 0,
     "Run the engine on its own or one message at a time",
     "auto answers by itself, step holds every message", NULL,
     SF_MODE, CFG(mode), 0, 0},
    {"setup-timeout", SET_SECONDS, "SEC", NULL, 0, 86400, 0, 0,
     "Clear tunnels and calls not up within this time",
     "seconds a tunnel or call may take to come up, 0 = never", NULL,
     SF_U32, CFG(setup_ms), 0, 0},
#define LIMIT(word, hi_, what, f)                                              \
    {"limit " word, SET_NUMBER, "N", NULL, 0, hi_, 0, 0, "Limit " what,        \
     what ", 0 = no limit", NULL, SF_U32, CFG(f), 0, 0}
    LIMIT("tunnels-per-peer", 65535, "tunnels from one peer address",
          max_tunnels_per_peer),
    LIMIT("tunnels", 65535, "tunnels in all", max_tunnels),
    LIMIT("sessions-per-tunnel", 65535, "sessions on one tunnel",
          max_sessions_per_tunnel),
    LIMIT("sessions", 65535, "sessions in all", max_sessions),
    LIMIT("held", 1000000, "messages held in step mode", max_held),
    LIMIT("out-of-order", 1000000,
          "messages queued ahead of a gap, all tunnels", max_out_of_order),
#undef LIMIT
};
/* clang-format on */
#define NSET (sizeof(table) / sizeof(table[0]))

const struct setting *
set_table(size_t *n)
{
	*n = NSET;
	return table;
}

const struct setting *
set_find(const char *name)
{
	for (size_t i = 0; i < NSET; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

size_t
set_index(const struct setting *s)
{
	return (size_t)(s - table);
}

static unsigned long
get(const struct l2tp_engine_config *c, enum set_field f, size_t off)
{
	const char *p = (const char *)c + off;

	switch (f) {
	case SF_U16:
		return *(const uint16_t *)(const void *)p;
	case SF_U32:
		return *(const uint32_t *)(const void *)p;
	case SF_UINT:
		return *(const unsigned *)(const void *)p;
	case SF_BOOL:
		return *(const bool *)(const void *)p;
	case SF_MODE:
		return (unsigned long)*(const enum l2tp_mode *)(const void *)p;
	default:
		return 0;
	}
}

static void
put(struct l2tp_engine_config *c, enum set_field f, size_t off, unsigned long v)
{
	char *p = (char *)c + off;

	switch (f) {
	case SF_U16:
		*(uint16_t *)(void *)p = (uint16_t)v;
		break;
	case SF_U32:
		*(uint32_t *)(void *)p = (uint32_t)v;
		break;
	case SF_UINT:
		*(unsigned *)(void *)p = (unsigned)v;
		break;
	case SF_BOOL:
		*(bool *)(void *)p = v != 0;
		break;
	case SF_MODE:
		*(enum l2tp_mode *)(void *)p = (enum l2tp_mode)v;
		break;
	default:
		break;
	}
}

void
set_default(const struct setting *s, char *buf, size_t len)
{
	struct l2tp_engine_config c;
	unsigned long v;

	l2tp_engine_config_default(&c);
	v = get(&c, s->field, s->off);
	switch (s->type) {
	case SET_NAME:
		snprintf(buf, len, "%s", (const char *)&c + s->off);
		break;
	case SET_SECRET:
		snprintf(buf, len, "%s", "");
		break;
	case SET_NUMBER:
		snprintf(buf, len, "%lu", v);
		break;
	case SET_SECONDS:
		snprintf(buf, len, "%lu", v / 1000);
		break;
	case SET_SECONDS2:
		snprintf(buf, len, "%lu %lu", v / 1000,
		         get(&c, s->field, s->off2) / 1000);
		break;
	case SET_BOOL:
		snprintf(buf, len, "%s", v ? "on" : "off");
		break;
	case SET_MODE:
		snprintf(buf, len, "%s", v == L2TP_MODE_STEP ? "step" : "auto");
		break;
	}
}

void
set_apply(struct l2tp_engine_config *c, const char *const *vals)
{
	for (size_t i = 0; i < NSET; i++) {
		const struct setting *s = &table[i];
		const char *v = vals[i];
		unsigned long a = 0, b = 0;

		switch (s->type) {
		case SET_NAME:
			snprintf((char *)c + s->off, s->size, "%s", v);
			break;
		case SET_SECRET:
			break;
		case SET_NUMBER:
			put(c, s->field, s->off, strtoul(v, NULL, 10));
			break;
		case SET_SECONDS:
			put(c, s->field, s->off, strtoul(v, NULL, 10) * 1000);
			break;
		case SET_SECONDS2:
			if (sscanf(v, "%lu %lu", &a, &b) == 2) {
				put(c, s->field, s->off, a * 1000);
				put(c, s->field, s->off2, b * 1000);
			}
			break;
		case SET_BOOL:
			put(c, s->field, s->off, strcmp(v, "on") == 0);
			break;
		case SET_MODE:
			put(c, s->field, s->off,
			    strcmp(v, "step") == 0 ? L2TP_MODE_STEP
			                           : L2TP_MODE_AUTO);
			break;
		}
	}
}
