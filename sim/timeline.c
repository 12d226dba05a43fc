/* sim/timeline.c: a static HTML page for reviewing who saw what, and when.
 *
 * Rows are sorted on (event time, account, delivery time, position in the
 * account's log), so the page is as deterministic as the logs.  Rows arrive
 * in delivery order, not page order; the collector keeps at most
 * 2 * max_rows, and when full sorts them and drops all but the max_rows
 * first, which are then the first max_rows of the whole run's order. */
#include "sim/timeline.h"

#include <string.h>

#include "model/base/json.h"
#include "sim/wfile.h"

/* A row borrows the recorder's interned strings (rec_row says which), so
 * keeping one costs no allocation; the recorder outlives the timeline. */
typedef struct row {
    const char *account;
    guint       index;
    int64_t     delivered;
    char        event_time[21];
    const char *op, *caller, *itype, *err, *msg, *decision;
    char        shared[37];     /* "" when none */
    bool        svc;
} row;

struct timeline {
    guint   max_rows;
    GArray *rows;       /* row */
    guint64 total;
    row     bar;        /* once trimmed: the last row kept */
    bool    has_bar;
};

timeline *timeline_new(guint max_rows)
{
    timeline *t = g_new0(timeline, 1);
    t->max_rows = max_rows;
    t->rows = g_array_new(FALSE, FALSE, sizeof(row));
    return t;
}

void timeline_free(timeline *t)
{
    if (!t)
        return;
    g_array_unref(t->rows);
    g_free(t);
}

static gint cmp_row(gconstpointer a, gconstpointer b)
{
    const row *x = a, *y = b;
    int c = strcmp(x->event_time, y->event_time);
    if (!c)
        c = strcmp(x->account, y->account);
    if (!c)
        c = x->delivered < y->delivered ? -1 : x->delivered > y->delivered;
    if (!c)
        c = x->index < y->index ? -1 : x->index > y->index;
    return c;
}

/* Keeps the max_rows first rows; the last kept is then the bar a later row
 * must be under to ever be shown. */
static void trim(timeline *t)
{
    g_array_sort(t->rows, cmp_row);
    if (t->rows->len > t->max_rows)
        g_array_set_size(t->rows, t->max_rows);
    if (!t->rows->len)
        return;             /* a run that delivered nothing: no bar */
    t->bar = g_array_index(t->rows, row, t->rows->len - 1);
    t->has_bar = true;
}

void timeline_add(void *user, const rec_row *r)
{
    timeline *t = user;
    t->total++;
    if (t->max_rows == 0)
        return;
    row x = { .account = r->account, .index = r->index, .delivered = r->delivered_us,
              .op = r->op, .caller = r->caller, .itype = r->identity_type,
              .err = r->error_code, .msg = r->error_message, .decision = r->decision,
              .svc = r->service_event };
    if (r->shared_id)
        g_strlcpy(x.shared, r->shared_id, sizeof x.shared);
    g_strlcpy(x.event_time, r->event_time, sizeof x.event_time);
    if (t->has_bar && cmp_row(&x, &t->bar) > 0)
        return;             /* after max_rows earlier rows: never shown */
    g_array_append_val(t->rows, x);
    if (t->rows->len >= 2 * t->max_rows)
        trim(t);
}

/* One cell, its text escaped as g_markup_escape_text escapes it: printable
 * ASCII here, anything else through GLib (control characters and UTF-8). */
/* 1 for the bytes a cell must escape, and NUL (ends a run). */
static const unsigned char special[256] = {
    [0] = 1, ['&'] = 1, ['<'] = 1, ['>'] = 1, ['\''] = 1, ['"'] = 1,
};

static void cell(GString *out, const char *text)
{
    JSON_APPEND_LIT(out, "<td>");
    const char *p = text ? text : "";
    for (const char *q = p; *q; q++)
        if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f) {
            g_autofree char *esc = g_markup_escape_text(p, -1);
            g_string_append(out, esc);
            JSON_APPEND_LIT(out, "</td>");
            return;
        }
    for (;;) {
        const char *run = p;
        while (!special[(unsigned char)*p])
            p++;
        json_buf_append(out, run, (gsize)(p - run));
        if (!*p)
            break;
        switch (*p++) {
        case '&':  JSON_APPEND_LIT(out, "&amp;"); break;
        case '<':  JSON_APPEND_LIT(out, "&lt;"); break;
        case '>':  JSON_APPEND_LIT(out, "&gt;"); break;
        case '\'': JSON_APPEND_LIT(out, "&#39;"); break;
        default:   JSON_APPEND_LIT(out, "&quot;"); break;
        }
    }
    JSON_APPEND_LIT(out, "</td>");
}

bool timeline_write(timeline *t, const char *path, const char *title, const cJSON *aliases,
                    int64_t start_epoch_s, GError **error)
{
    trim(t);
    GString *out = g_string_new(NULL);
    g_autofree char *ttl = g_markup_escape_text(title, -1);
    g_string_append_printf(out,
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s: timeline</title>\n"
        "<style>body{font:13px sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}"
        "tr.err td{background:#fee}tr.svc td{background:#eef}</style></head><body>\n"
        "<h1>%s</h1><p>%" G_GUINT64_FORMAT " records; event time is when the call completed, "
        "delivered when the record reached that account's log. A red row failed; a blue row is "
        "a service event. A denied call's <i>decided by</i> names the policy layer (scp, rcp, "
        "resource, identity, boundary, session) and the statement that decided it; it is "
        "crossim's, beside the record, not part of it.</p>\n"
        "<table><tr><th>event time</th><th>delivered</th><th>log of</th><th>operation</th>"
        "<th>caller</th><th>identity type</th><th>outcome</th><th>why (errorMessage)</th>"
        "<th>decided by</th><th>shared event</th></tr>\n",
        ttl, ttl, t->total);
    /* Looked up once per row: a hash, not a walk of every account's alias. */
    g_autoptr(GHashTable) alias_of = g_hash_table_new(g_str_hash, g_str_equal);
    const cJSON *al;
    cJSON_ArrayForEach(al, aliases)
        if (cJSON_IsString(al))
            g_hash_table_insert(alias_of, al->string, al->valuestring);
    for (guint i = 0; i < t->rows->len; i++) {
        const row *x = &g_array_index(t->rows, row, i);
        g_string_append(out, x->err ? "<tr class=\"err\">" : x->svc ? "<tr class=\"svc\">" : "<tr>");
        cell(out, x->event_time);
        char delivered[21];
        json_iso_utc(start_epoch_s + x->delivered / 1000000, delivered);
        cell(out, delivered);
        const char *alias = g_hash_table_lookup(alias_of, x->account);
        if (alias) {
            g_autofree char *who = g_strdup_printf("%s (%s)", x->account, alias);
            cell(out, who);
        } else {
            cell(out, x->account);
        }
        cell(out, x->op);
        cell(out, x->caller);
        cell(out, x->itype);
        cell(out, x->err ? x->err : "ok");
        cell(out, x->msg);
        cell(out, x->decision);
        cell(out, x->shared[0] ? x->shared : NULL);
        g_string_append(out, "</tr>\n");
    }
    if (t->total > t->rows->len)
        g_string_append_printf(out, "<tr><td colspan=\"10\">... %" G_GUINT64_FORMAT
                               " more records in the logs</td></tr>\n", t->total - t->rows->len);
    g_string_append(out, "</table></body></html>\n");
    bool ok = wfile_write(path, out->str, out->len, error);
    g_string_free(out, TRUE);
    return ok;
}
