/* The debugging handlers: which classes of events the shell shows
 * (debugging l2tp CLASS, undo debugging). */
#include <stdio.h>
#include <string.h>

#include "cli/debug.h"
#include "cli/sh.h"
#include "completion/cmdlang.h"

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

void
cli_debug_text(unsigned m, char *buf, size_t len)
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

	sh_set_debug_mask(sh, sh_debug_mask(sh) | debug_bits(p->val[0].s));
	cli_debug_text(sh_debug_mask(sh), now, sizeof(now));
	sh_info(sh, "Info: L2TP debugging shown: %s", now);
	return 0;
}

int
sh_do_undo_debugging(struct sh *sh, const struct cmd_parsed *p)
{
	char now[64];

	sh_set_debug_mask(sh,
	                  sh_debug_mask(sh) & ~debug_bits(cmd_str(p, "l2tp")));
	cli_debug_text(sh_debug_mask(sh), now, sizeof(now));
	sh_info(sh, "Info: L2TP debugging shown: %s", now);
	return 0;
}
