/* The engine driver's recording: record start FILE writes every message the
 * engines send and receive to a capture file. */
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/live.h"
#include "cli/live_int.h"
#include "cli/sh.h"
#include "decoder/print.h"
#include "decoder/proto.h"
#include "cli/record.h"

int
live_do_record_start(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	char err[512];

	if (lv->rec) {
		sh_error(sh, "already recording to %s; record stop first",
		         rec_path(lv->rec));
		return -1;
	}
	if ((lv->rec = rec_open(cmd_str(p, "FILE"), err, sizeof(err))) ==
	    NULL) {
		sh_error(sh, "record start: %s", err);
		return -1;
	}
	sh_info(sh, "Info: recording every datagram to %s", cmd_str(p, "FILE"));
	return 0;
}

int
live_do_record_stop(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	uint64_t n;
	char path[1024];

	(void)p;
	if (lv->rec == NULL) {
		sh_error(sh, "nothing is being recorded; record start FILE "
		             "begins");
		return -1;
	}
	n = rec_count(lv->rec);
	snprintf(path, sizeof(path), "%s", rec_path(lv->rec));
	if (rec_close(lv->rec) < 0) {
		lv->rec = NULL;
		sh_error(sh, "record stop: writing %s failed", path);
		return -1;
	}
	lv->rec = NULL;
	sh_info(sh, "Info: %llu datagram%s written to %s",
	        (unsigned long long)n, n == 1 ? "" : "s", path);
	return 0;
}
