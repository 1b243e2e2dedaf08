/* Crafted control messages: each type's mandatory AVPs with defaults, then the
 * operator's changes (RFC 2661 §4.4, §6). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/craft.h"
#include "decoder/proto.h"

/* Default values of the AVPs a message must carry. */
enum dflt { D_NONE, D_HOST, D_TID, D_SID, D_WINDOW, D_TEXT };

static const struct {
	uint16_t type;
	enum dflt from;
	const char *text; /* for D_TEXT: as `avp NAME=TEXT` would give it */
} defaults[] = {
    {L2TP_AVP_PROTOCOL_VERSION, D_TEXT, "1.0"},
    {L2TP_AVP_FRAMING_CAP, D_TEXT, "3"},
    {L2TP_AVP_BEARER_CAP, D_TEXT, "3"},
    {L2TP_AVP_HOST_NAME, D_HOST, NULL},
    {L2TP_AVP_ASSIGNED_TUNNEL_ID, D_TID, NULL},
    {L2TP_AVP_RECEIVE_WINDOW, D_WINDOW, NULL},
    {L2TP_AVP_ASSIGNED_SESSION_ID, D_SID, NULL},
    {L2TP_AVP_CALL_SERIAL, D_TEXT, "1"},
    {L2TP_AVP_BEARER_TYPE, D_TEXT, "2"},
    {L2TP_AVP_FRAMING_TYPE, D_TEXT, "1"},
    {L2TP_AVP_TX_SPEED, D_TEXT, "10000000"},
    {L2TP_AVP_MIN_BPS, D_TEXT, "0"},
    {L2TP_AVP_MAX_BPS, D_TEXT, "100000000"},
    {L2TP_AVP_CALLED_NUMBER, D_TEXT, ""},
    {L2TP_AVP_CALL_ERRORS, D_TEXT,
     "0x"
     "0000"
     "00000000"
     "00000000"
     "00000000"
     "00000000"
     "00000000"
     "00000000"},
    {L2TP_AVP_ACCM, D_TEXT, "0x0000ffffffffffffffff"},
};

int
craft_msg_type(const char *name)
{
	const struct l2tp_msg_info *mi;

	if (strcasecmp(name, "zlb") == 0)
		return -1;
	mi = l2tp_msg_by_name(name);
	return mi ? (int)mi->type : -2;
}

/* Encode text as the value of AVP ai (decoder/value.c); the length, or -1
 * with the reason in err. */
static long
encode(const struct l2tp_avp_info *ai, const char *s, uint8_t *out, size_t cap,
       char *err, size_t errlen)
{
	long n = l2tp_avp_encode_text(ai, s, out, cap);

	switch (n) {
	case L2TP_ENC_NUMBER:
		snprintf(err, errlen,
		         "%s: '%s' is not a number that fits (decimal or "
		         "0x hex)",
		         ai->key, s);
		return -1;
	case L2TP_ENC_VERSION:
		snprintf(err, errlen, "%s: a version is MAJOR.MINOR (1.0)",
		         ai->key);
		return -1;
	case L2TP_ENC_RESULT:
		snprintf(err, errlen,
		         "%s: a result is CODE[,ERROR[,MESSAGE]] "
		         "('%s' is not)",
		         ai->key, s);
		return -1;
	case L2TP_ENC_EMPTY:
		snprintf(err, errlen, "%s takes no value: give %s=", ai->key,
		         ai->key);
		return -1;
	case L2TP_ENC_HEX:
		snprintf(err, errlen,
		         "%s: bad hex '%s' (an even number of hex digits after "
		         "0x)",
		         ai->key, s);
		return -1;
	case L2TP_ENC_BIG:
		snprintf(err, errlen, "%s: the value is too long", ai->key);
		return -1;
	}
	return n;
}

static struct l2tp_avp_spec *
find(struct craft *c, const struct l2tp_avp_info *ai)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->avp[i].vendor == ai->vendor &&
		    c->avp[i].type == ai->type)
			return &c->avp[i];
	return NULL;
}

static int
put(struct craft *c, const struct l2tp_avp_info *ai, const char *text,
    char *err, size_t errlen)
{
	struct l2tp_avp_spec *sp = find(c, ai);
	long n;

	if (sp == NULL) {
		if (c->n == CRAFT_MAX_AVPS) {
			snprintf(err, errlen, "at most %d AVPs",
			         CRAFT_MAX_AVPS);
			return -1;
		}
		sp = &c->avp[c->n++];
		memset(sp, 0, sizeof(*sp));
	}
	n = encode(ai, text, c->buf + c->used, sizeof(c->buf) - c->used, err,
	           errlen);
	if (n < 0) {
		if (sp->value == NULL)
			c->n--;
		return -1;
	}
	sp->vendor = ai->vendor;
	sp->type = ai->type;
	sp->m = ai->mrule == L2TP_M_SET;
	sp->h = false;
	sp->value = c->buf + c->used;
	sp->len = (size_t)n;
	c->used += (size_t)n;
	return 0;
}

int
craft_init(struct craft *c, int msg_type, const struct craft_ctx *x, char *err,
           size_t errlen)
{
	const struct l2tp_msg_info *mi =
	    msg_type >= 0 ? l2tp_msg_info(msg_type) : NULL;
	char num[16];

	memset(c, 0, offsetof(struct craft, buf));
	c->msg_type = msg_type;
	if (mi == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		const struct l2tp_avp_info *ai =
		    l2tp_avp_info(0, defaults[i].type);
		const char *v = defaults[i].text;

		if (ai == NULL || !(mi->required & (1ull << defaults[i].type)))
			continue;
		switch (defaults[i].from) {
		case D_HOST:
			v = x->host_name;
			break;
		case D_TID:
		case D_SID:
		case D_WINDOW:
			snprintf(num, sizeof(num), "%u",
			         defaults[i].from == D_TID   ? x->tunnel_id
			         : defaults[i].from == D_SID ? x->session_id
			                                     : x->window);
			v = num;
			break;
		default:
			break;
		}
		if (put(c, ai, v ? v : "", err, errlen) < 0)
			return -1;
	}
	/* Result codes the RFC requires in StopCCN and CDN: a plain clear. */
	if (msg_type == L2TP_STOPCCN || msg_type == L2TP_CDN) {
		const struct l2tp_avp_info *ai =
		    l2tp_avp_info(0, L2TP_AVP_RESULT_CODE);

		if (ai && put(c, ai, msg_type == L2TP_STOPCCN ? "1" : "3", err,
		              errlen) < 0)
			return -1;
	}
	return 0;
}

int
craft_set(struct craft *c, const char *nv, char *err, size_t errlen)
{
	const char *eq = strchr(nv, '=');
	const struct l2tp_avp_info *ai;
	bool hide = false;
	char key[64];

	if (eq == NULL || (size_t)(eq - nv) >= sizeof(key)) {
		snprintf(err, errlen, "'%s' is not NAME=VALUE", nv);
		return -1;
	}
	memcpy(key, nv, (size_t)(eq - nv));
	key[eq - nv] = '\0';
	if (eq > nv && key[eq - nv - 1] == '!') {
		key[eq - nv - 1] = '\0';
		hide = true;
	}
	if ((ai = l2tp_avp_by_key(key)) == NULL) {
		snprintf(err, errlen, "no AVP is called '%s' (Tab lists them)",
		         key);
		return -1;
	}
	if (hide && !ai->hideable) {
		snprintf(err, errlen, "%s may not be hidden (RFC 2661 4.3)",
		         key);
		return -1;
	}
	if (put(c, ai, eq + 1, err, errlen) < 0)
		return -1;
	find(c, ai)->h = hide;
	return 0;
}

int
craft_avp(const char *nv, struct l2tp_avp_spec *sp, uint8_t *buf, size_t cap,
          char *err, size_t errlen)
{
	const char *eq = strchr(nv, '=');
	const struct l2tp_avp_info *ai;
	char key[64];
	size_t kl;
	long n;

	if (eq == NULL || (kl = (size_t)(eq - nv)) >= sizeof(key) || kl == 0) {
		snprintf(err, errlen, "'%s' is not NAME=VALUE", nv);
		return -1;
	}
	memcpy(key, nv, kl);
	key[kl] = '\0';
	memset(sp, 0, sizeof(*sp));
	if (key[kl - 1] == '!') {
		key[kl - 1] = '\0';
		sp->h = true;
	}
	if ((ai = l2tp_avp_by_key(key)) == NULL) {
		snprintf(err, errlen, "no AVP is called '%s' (Tab lists them)",
		         key);
		return -1;
	}
	if (sp->h && !ai->hideable) {
		snprintf(err, errlen, "%s may not be hidden (RFC 2661 4.3)",
		         key);
		return -1;
	}
	if ((n = encode(ai, eq + 1, buf, cap, err, errlen)) < 0)
		return -1;
	sp->vendor = ai->vendor;
	sp->type = ai->type;
	sp->m = ai->mrule == L2TP_M_SET;
	sp->value = buf;
	sp->len = (size_t)n;
	return 0;
}

int
craft_omit(struct craft *c, const char *name, char *err, size_t errlen)
{
	const struct l2tp_avp_info *ai = l2tp_avp_by_key(name);
	struct l2tp_avp_spec *sp;

	if (ai == NULL) {
		snprintf(err, errlen, "no AVP is called '%s'", name);
		return -1;
	}
	if (ai->vendor == 0 && ai->type == L2TP_AVP_MESSAGE_TYPE) {
		/* Malformed on purpose: a control message with no type. */
		c->msg_type = -1;
		return 0;
	}
	if ((sp = find(c, ai)) == NULL) {
		snprintf(err, errlen, "the message has no %s to omit", name);
		return -1;
	}
	memmove(sp, sp + 1, (size_t)(&c->avp[c->n] - (sp + 1)) * sizeof(*sp));
	c->n--;
	return 0;
}
