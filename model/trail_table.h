/* model/trail_table.h: a CloudTrail record as one row of a SQL table.
 *
 * The columns follow the CloudTrail table that Athena's documentation
 * creates (lower-case names: eventtime, eventsource, errorcode,
 * recipientaccountid, sharedeventid, ...), with userIdentity both flattened
 * into useridentity_<field> columns and kept whole as JSON, as CloudTrail
 * Lake lets a query reach either.  Nested members (requestParameters,
 * resources, tlsDetails, ...) are JSON text, for SQLite's json_extract.
 * Booleans are the strings "true" and "false", as in Athena's table.  The
 * sink that writes the rows (sim/sqlsink.c) knows no record field: it asks
 * this table. */
#ifndef CROSSIM_TRAIL_TABLE_H
#define CROSSIM_TRAIL_TABLE_H

#include <cjson/cJSON.h>
#include <stddef.h>

typedef enum trail_col_kind {
    TRAIL_COL_TEXT,    /* a string member, as it is */
    TRAIL_COL_JSON,    /* any member, as compact JSON text */
    TRAIL_COL_BOOL,    /* a boolean member, as "true" or "false" */
} trail_col_kind;

typedef struct trail_column {
    const char    *name;    /* the SQL column */
    const char    *path;    /* the record member, dotted: "userIdentity.arn" */
    trail_col_kind kind;
} trail_column;

extern const trail_column trail_columns[];
extern const size_t       trail_n_columns;

/* The value of column c in rec: a new string (g_free), or NULL for SQL
 * NULL (the member is absent, JSON null, or of another kind). */
char *trail_column_value(const trail_column *c, const cJSON *rec);

/* Indexes worth having for a reviewer's questions: each a column list,
 * "recipientaccountid, eventtime".  NULL-terminated. */
extern const char *const trail_indexes[];

#endif
