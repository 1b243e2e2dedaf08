/* Messages the operator crafts with send: default AVPs per message type, values
 * typed as text (RFC 2661 §4.4, §6). */
#ifndef L2TP_CLI_CRAFT_H
#define L2TP_CLI_CRAFT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

#define CRAFT_MAX_AVPS 32
#define CRAFT_BUF 4096

/* What the defaults are filled from. */
struct craft_ctx {
	const char *host_name;
	uint16_t tunnel_id;  /* our local tunnel id (Assigned Tunnel ID) */
	uint16_t session_id; /* our local session id (Assigned Session ID) */
	uint16_t window;
};

struct craft {
	int msg_type; /* -1: ZLB */
	size_t n;
	struct l2tp_avp_spec avp[CRAFT_MAX_AVPS];
	size_t used;
	uint8_t buf[CRAFT_BUF];
};

/* The message type a name stands for ("sccrq", "zlb" = -1); -2 unknown. */
int craft_msg_type(const char *name);

/* Start a message with the mandatory AVPs of its type, default values. */
int craft_init(struct craft *c, int msg_type, const struct craft_ctx *x,
               char *err, size_t errlen);

/*
 * "NAME=VALUE": add the AVP, or change it when the message has it.  Values
 * by kind: numbers (decimal or 0x...), text, hex bytes (0x...), a result
 * "CODE[,ERROR[,MESSAGE]]", a version "1.0".  Returns 0 or -1 with err.
 */
int craft_set(struct craft *c, const char *name_value, char *err,
              size_t errlen);

/*
 * One "NAME=VALUE" (NAME may end in '!' to hide it) as an AVP spec whose
 * value is written into buf.  Returns 0 or -1 with err.
 */
int craft_avp(const char *name_value, struct l2tp_avp_spec *sp, uint8_t *buf,
              size_t cap, char *err, size_t errlen);

/* Leave an AVP out; -1 with err when the message does not have it. */
int craft_omit(struct craft *c, const char *name, char *err, size_t errlen);

#endif
