/* sim/sqlsink.c: delivered records into SQLite (see sqlsink.h). */
#include "sim/sqlsink.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "model/trail_table.h"

struct sqlsink {
    sqlite3      *db;
    sqlite3_stmt *insert;
    bool          in_txn;
    guint         rows;         /* added since the last commit */
    char         *error;      /* the first failure of an add */
    char         *path;
};

static bool fail(sqlsink *s, GError **error, const char *what)
{
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: %s: %s", s->path, what,
                sqlite3_errmsg(s->db));
    return false;
}

static bool exec(sqlsink *s, const char *sql, GError **error)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return true;
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: %s", s->path, msg ? msg : "SQLite error");
    sqlite3_free(msg);
    return false;
}

static void sink_free(sqlsink *s)
{
    sqlite3_finalize(s->insert);
    sqlite3_close(s->db);
    g_free(s->error);
    g_free(s->path);
    g_free(s);
}

sqlsink *sqlsink_open(const char *path, GError **error)
{
    sqlsink *s = g_new0(sqlsink, 1);
    s->path = g_strdup(path);
    g_autofree char *journal = g_strconcat(path, "-journal", NULL);
    if ((g_remove(path) != 0 && errno != ENOENT) || (g_remove(journal) != 0 && errno != ENOENT)) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: cannot replace: %s",
                    path, g_strerror(errno));
        sink_free(s);
        return NULL;
    }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        fail(s, error, "cannot create");
        sink_free(s);
        return NULL;
    }
    /* synchronous=OFF: a killed process still leaves the last commit whole;
     * only a machine crash could lose more, and a run can be made again. */
    GString *sql = g_string_new("PRAGMA synchronous=OFF;CREATE TABLE trail(");
    GString *ins = g_string_new("INSERT INTO trail VALUES(");
    for (size_t i = 0; i < trail_n_columns; i++) {
        g_string_append_printf(sql, "%s TEXT,", trail_columns[i].name);
        g_string_append(ins, "?,");
    }
    /* crossim's own columns: where the record sits in its log, when it was
     * delivered, what decided a denial (beside the record, never in it). */
    g_string_append(sql, "logindex INTEGER,deliverytime TEXT,decision TEXT,record TEXT);");
    g_string_append(ins, "?,?,?,?)");
    bool ok = exec(s, sql->str, error);
    if (ok && sqlite3_prepare_v2(s->db, ins->str, -1, &s->insert, NULL) != SQLITE_OK)
        ok = fail(s, error, "cannot prepare the insert");
    g_string_free(sql, TRUE);
    g_string_free(ins, TRUE);
    if (!ok) {
        sink_free(s);
        return NULL;
    }
    return s;
}

bool sqlsink_add(sqlsink *s, const rec_row *row, const char *delivery_time)
{
    if (s->error)
        return false;
    if (!s->in_txn) {
        if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
            goto failed;
        s->in_txn = true;
    }
    cJSON *rec = cJSON_Parse(row->text);
    int k = 1;
    for (size_t i = 0; i < trail_n_columns; i++, k++) {
        char *v = rec ? trail_column_value(&trail_columns[i], rec) : NULL;
        if (v)
            sqlite3_bind_text(s->insert, k, v, -1, g_free);
        else
            sqlite3_bind_null(s->insert, k);
    }
    cJSON_Delete(rec);
    sqlite3_bind_int64(s->insert, k++, row->index);
    sqlite3_bind_text(s->insert, k++, delivery_time, -1, SQLITE_TRANSIENT);
    if (row->decision)
        sqlite3_bind_text(s->insert, k++, row->decision, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s->insert, k++);
    sqlite3_bind_text(s->insert, k, row->text, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s->insert);
    sqlite3_reset(s->insert);
    sqlite3_clear_bindings(s->insert);
    if (rc != SQLITE_DONE)
        goto failed;
    /* Whole records on disk as the logs fill, not only at the end. */
    if (++s->rows >= SQLSINK_COMMIT_ROWS && !sqlsink_commit(s, NULL))
        return false;
    return true;
failed:
    s->error = g_strdup_printf("%s: %s", s->path, sqlite3_errmsg(s->db));
    return false;
}

bool sqlsink_commit(sqlsink *s, GError **error)
{
    if (s->error) {
        g_set_error_literal(error, G_FILE_ERROR, G_FILE_ERROR_IO, s->error);
        return false;
    }
    s->rows = 0;
    if (!s->in_txn)
        return true;
    s->in_txn = false;
    GError *e = NULL;
    if (exec(s, "COMMIT", &e))
        return true;
    s->error = g_strdup(e->message);     /* later adds refuse, as after a failed add */
    g_propagate_error(error, e);
    return false;
}

bool sqlsink_close(sqlsink *s, GError **error)
{
    if (!s)
        return true;
    bool ok = sqlsink_commit(s, error);
    for (guint i = 0; ok && trail_indexes[i]; i++) {
        g_autofree char *name = g_strdelimit(g_strdup(trail_indexes[i]), ", ", '_');
        g_autofree char *sql = g_strdup_printf("CREATE INDEX trail_by_%s ON trail(%s)", name,
                                               trail_indexes[i]);
        ok = exec(s, sql, error);
    }
    sink_free(s);
    return ok;
}

const char *sqlsink_error(const sqlsink *s)
{
    return s ? s->error : NULL;
}
