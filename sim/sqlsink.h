/* sim/sqlsink.h: every delivered record as a row of a SQLite table.
 *
 * `run --sqlite FILE` and `serve --sqlite FILE` open one sink; the recorder's
 * delivery hook adds each record as it reaches its log, in delivery order.
 * The table, `trail`, has the CloudTrail table's columns (model/trail_table)
 * and four of crossim's: logindex (the record's position in its account's
 * log, from 0), deliverytime (when it reached the log), decision (a denied
 * call's deciding layer and statement, rec_row's decision, or NULL) and
 * record (its JSON text).  Rows are written in transactions committed when the run flushes
 * its logs, so a killed run leaves a database holding whole records only. */
#ifndef CROSSIM_SQLSINK_H
#define CROSSIM_SQLSINK_H

#include <glib.h>
#include <stdbool.h>

#include "sim/recorder.h"

typedef struct sqlsink sqlsink;

/* Creates path afresh (an existing file there is replaced: the caller
 * decides whether that is allowed) with the table and its indexes. */
sqlsink *sqlsink_open(const char *path, GError **error);
/* Rows between two commits the sink makes by itself, about as often as the
 * recorder writes its logs out. */
#define SQLSINK_COMMIT_ROWS 4096
/* Adds one delivered record (delivery_time "YYYY-MM-DDTHH:MM:SSZ"),
 * committing every SQLSINK_COMMIT_ROWS rows. */
bool     sqlsink_add(sqlsink *s, const rec_row *row, const char *delivery_time);
/* Commits what was added since the last commit. */
bool     sqlsink_commit(sqlsink *s, GError **error);
/* Commits, creates the indexes and closes; NULL is a no-op. */
bool     sqlsink_close(sqlsink *s, GError **error);
/* The first error met by sqlsink_add, or NULL. */
const char *sqlsink_error(const sqlsink *s);

#endif
