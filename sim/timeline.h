/* sim/timeline.h: DIR/timeline.html, the delivered records on one page.
 *
 * The timeline gathers rows as the recorder delivers records (timeline_add
 * is a rec_deliver_fn), keeping only the max_rows earliest in the page's
 * order and the count of the rest, so its memory does not grow with the run
 * (S2). */
#ifndef CROSSIM_TIMELINE_H
#define CROSSIM_TIMELINE_H

#include <glib.h>
#include <stdbool.h>

#include "sim/recorder.h"

typedef struct timeline timeline;

timeline *timeline_new(guint max_rows);
void      timeline_free(timeline *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(timeline, timeline_free)

/* Takes one delivered record (user is the timeline). */
void      timeline_add(void *user, const rec_row *row);

/* Writes path: one row per delivered record (at most max_rows, then a line
 * saying how many more the logs hold), ordered by event time, then account,
 * then delivery, then position in the account's log; showing both times, the
 * receiving account (with its alias from aliases, a cJSON object id -> alias,
 * may be NULL), the operation, the caller, the outcome, a failed call's
 * errorMessage and a denied call's deciding layer and statement (rec_row's
 * decision).  start_epoch_s is
 * the Unix time of simulated time 0.  false with *error when the file cannot
 * be written. */
bool      timeline_write(timeline *t, const char *path, const char *title,
                         const cJSON *aliases, int64_t start_epoch_s, GError **error);

#endif
