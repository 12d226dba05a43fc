/* sim/outdir.h: an output folder for one run.
 *
 * A run writes its files under --out DIR: summary.json, timeline.html,
 * trail/<account>.jsonl, with --s3-layout AWSLogs/..., and for serve
 * credentials.  A folder that already holds any of them holds an earlier
 * run, whose files a second run would mix with its own: outdir_prepare
 * refuses it, unless force, which first removes crossim's own outputs (the
 * names above, *.jsonl in trail/, *.json.gz under AWSLogs/) and nothing
 * else: a user's other files stay, and so do folders that are not empty. */
#ifndef CROSSIM_OUTDIR_H
#define CROSSIM_OUTDIR_H

#include <glib.h>
#include <stdbool.h>

/* false with *error when dir holds an earlier run (and !force), or when
 * its outputs cannot be removed.  Writes nothing otherwise. */
bool outdir_prepare(const char *dir, bool force, GError **error);

/* The same rule for one output file named on the command line (--sqlite):
 * false with *error (G_FILE_ERROR_EXIST) when path exists and !force, or
 * when it is not a regular file.  Writes nothing; the writer replaces it. */
bool outdir_claim_file(const char *path, bool force, GError **error);

#endif
