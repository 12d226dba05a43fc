/* sim/timeline.c: a static HTML page for reviewing who saw what, and when.
 *
 * Rows are sorted on (event time, account, delivery time, position in the
 * account's log), so the page is as deterministic as the logs. */
#include "sim/timeline.h"

#include <string.h>

typedef struct row {
    const char *account;
    const cJSON *rec;
    int64_t     delivered;
    guint       index;
} row;

static gint cmp_row(gconstpointer a, gconstpointer b)
{
    const row *x = a, *y = b;
    const char *tx = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x->rec, "eventTime"));
    const char *ty = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(y->rec, "eventTime"));
    int c = g_strcmp0(tx, ty);
    if (!c)
        c = strcmp(x->account, y->account);
    if (!c)
        c = x->delivered < y->delivered ? -1 : x->delivered > y->delivered;
    if (!c)
        c = x->index < y->index ? -1 : x->index > y->index;
    return c;
}

static void cell(GString *out, const char *text)
{
    g_autofree char *esc = g_markup_escape_text(text ? text : "", -1);
    g_string_append_printf(out, "<td>%s</td>", esc);
}

static const char *field(const cJSON *rec, const char *a, const char *b)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, a);
    if (b)
        v = cJSON_GetObjectItemCaseSensitive(v, b);
    return cJSON_GetStringValue(v);
}

bool timeline_write(recorder *r, const char *path, const char *title, const cJSON *aliases,
                    int64_t start_epoch_s, guint max_rows, GError **error)
{
    GArray *rows = g_array_new(FALSE, FALSE, sizeof(row));
    GPtrArray *accs = rec_accounts(r);
    for (guint i = 0; i < accs->len; i++) {
        GPtrArray *recs = rec_records(r, accs->pdata[i]);
        for (guint k = 0; recs && k < recs->len; k++) {
            row x = { accs->pdata[i], recs->pdata[k], rec_delivered_at(r, accs->pdata[i], k), k };
            g_array_append_val(rows, x);
        }
    }
    g_array_sort(rows, cmp_row);
    GString *out = g_string_new(NULL);
    g_autofree char *t = g_markup_escape_text(title, -1);
    g_string_append_printf(out,
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s: timeline</title>\n"
        "<style>body{font:13px sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}"
        "tr.err td{background:#fee}tr.svc td{background:#eef}</style></head><body>\n"
        "<h1>%s</h1><p>%u records; event time is when the call completed, delivered when the "
        "record reached that account's log. A red row failed; a blue row is a service event.</p>\n"
        "<table><tr><th>event time</th><th>delivered</th><th>log of</th><th>operation</th>"
        "<th>caller</th><th>identity type</th><th>outcome</th><th>shared event</th></tr>\n",
        t, t, rows->len);
    guint n = MIN(rows->len, max_rows);
    for (guint i = 0; i < n; i++) {
        const row *x = &g_array_index(rows, row, i);
        const char *err = field(x->rec, "errorCode", NULL);
        bool svc = g_strcmp0(field(x->rec, "eventType", NULL), "AwsServiceEvent") == 0;
        g_string_append_printf(out, "<tr%s>", err ? " class=\"err\"" : svc ? " class=\"svc\"" : "");
        cell(out, field(x->rec, "eventTime", NULL));
        GDateTime *dt = g_date_time_new_from_unix_utc(start_epoch_s + x->delivered / 1000000);
        g_autofree char *delivered = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
        g_date_time_unref(dt);
        cell(out, delivered);
        const char *alias = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(aliases, x->account));
        g_autofree char *who = alias ? g_strdup_printf("%s (%s)", x->account, alias) : g_strdup(x->account);
        cell(out, who);
        const char *src = field(x->rec, "eventSource", NULL);
        g_autofree char *op = g_strdup_printf("%.*s:%s", src ? (int)strcspn(src, ".") : 0,
                                              src ? src : "", field(x->rec, "eventName", NULL));
        cell(out, op);
        const char *caller = field(x->rec, "userIdentity", "arn");
        if (!caller)
            caller = field(x->rec, "userIdentity", "accountId");
        if (!caller)
            caller = field(x->rec, "userIdentity", "invokedBy");
        cell(out, caller);
        cell(out, field(x->rec, "userIdentity", "type"));
        cell(out, err ? err : "ok");
        cell(out, field(x->rec, "sharedEventID", NULL));
        g_string_append(out, "</tr>\n");
    }
    if (rows->len > n)
        g_string_append_printf(out, "<tr><td colspan=\"8\">... %u more records in the logs</td></tr>\n",
                               rows->len - n);
    g_string_append(out, "</table></body></html>\n");
    g_array_unref(rows);
    g_autofree char *tmp = g_strdup_printf("%s.tmp", path);
    bool ok = g_file_set_contents(tmp, out->str, (gssize)out->len, error) &&
              rename(tmp, path) == 0;
    if (!ok && error && !*error)
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot write %s", path);
    g_string_free(out, TRUE);
    return ok;
}
