/* sim/timeline.h: DIR/timeline.html, every delivered record on one page. */
#ifndef CROSSIM_TIMELINE_H
#define CROSSIM_TIMELINE_H

#include <glib.h>
#include <stdbool.h>

#include "sim/recorder.h"

/* Writes path: one row per delivered record (at most max_rows), ordered by
 * event time, then account, then delivery; showing both times, the
 * receiving account (with its alias from aliases, a cJSON object id -> alias,
 * may be NULL), the operation, the caller and the outcome.  start_epoch_s is
 * the Unix time of simulated time 0.  false with *error when the file cannot
 * be written. */
bool timeline_write(recorder *r, const char *path, const char *title,
                    const cJSON *aliases, int64_t start_epoch_s, guint max_rows,
                    GError **error);

#endif
