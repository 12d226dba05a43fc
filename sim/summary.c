/* sim/summary.c: what a run tells about itself (see summary.h). */
#include "sim/summary.h"

#include <string.h>

#include "model/api.h"
#include "sim/actor.h"
#include "sim/jsonpos.h"

/* ---- summary.json --------------------------------------------------------------------- */

/* "key":<TAB> at depth d of the pretty printer (model/base/json), after the
 * first member of an object. */
static void member(GString *out, bool first, int depth, const char *key)
{
    if (!first)
        g_string_append(out, ",\n");
    for (int i = 0; i < depth; i++)
        g_string_append_c(out, '\t');
    json_append_string(out, key);
    g_string_append(out, ":\t");
}

static void str_member(GString *out, bool *first, int depth, const char *key, const char *v)
{
    if (!v)
        return;         /* as cJSON_AddStringToObject leaves a NULL out */
    member(out, *first, depth, key);
    *first = false;
    json_append_string(out, v);
}

/* Every expectation's result, as the JSON text json_append_pretty would
 * print for the array of objects at summary.json's "expectations"."results"
 * (depth 2), built straight as text: a stress run checks hundreds of
 * thousands of steps, and a tree of seven nodes for each cost more than the
 * run's calls.  A raw node carries it into the summary's tree. */
static cJSON *results_json(const run_result *res, const world *w)
{
    GString *out = g_string_sized_new(256 * (res->results->len + 1));
    g_string_append_c(out, '[');
    for (guint i = 0; i < res->results->len; i++) {
        const check_result *c = res->results->pdata[i];
        if (i)
            g_string_append(out, ", ");
        g_string_append(out, "{\n");
        bool first = true;
        str_member(out, &first, 4, "where", c->where);
        str_member(out, &first, 4, "who", c->who);
        member(out, first, 4, "line");
        first = false;
        g_string_append_printf(out, "%d", c->line);
        member(out, first, 4, "spec");
        g_string_append_c(out, '[');
        for (guint k = 0; c->spec && k < c->spec->len; k++) {
            if (k)
                g_string_append(out, ", ");
            json_append_string(out, c->spec->pdata[k]);
        }
        g_string_append_c(out, ']');
        member(out, first, 4, "ok");
        g_string_append(out, c->ok ? "true" : "false");
        str_member(out, &first, 4, "message", c->message);
        char iso[21];
        world_iso_time(w, c->at_us, iso);
        str_member(out, &first, 4, "time", iso);
        g_string_append(out, "\n\t\t\t}");
    }
    g_string_append_c(out, ']');
    cJSON *raw = cJSON_CreateRaw(out->str);
    g_string_free(out, TRUE);
    return raw;
}

cJSON *summary_build(const scenario *s, const run_result *res, recorder *rec)
{
    cJSON *sum = cJSON_CreateObject();
    cJSON_AddStringToObject(sum, "scenario", s->name);
    cJSON_AddStringToObject(sum, "file", s->file);
    cJSON_AddNumberToObject(sum, "seed", (double)s->seed);
    cJSON_AddStringToObject(sum, "region", s->region);
    char iso[21];
    world_iso_time(s->world, 0, iso);
    cJSON_AddStringToObject(sum, "start", iso);
    world_iso_time(s->world, res->end_us, iso);
    cJSON_AddStringToObject(sum, "end", iso);
    cJSON_AddStringToObject(sum, "digest", res->digest);
    cJSON *ex = cJSON_AddObjectToObject(sum, "expectations");
    cJSON_AddNumberToObject(ex, "passed", res->passed);
    cJSON_AddNumberToObject(ex, "failed", res->failed);
    cJSON_AddItemToObject(ex, "results", results_json(res, s->world));
    cJSON *counts = rec_summary(rec);
    cJSON *item;
    while ((item = counts->child)) {
        cJSON_DetachItemViaPointer(counts, item);
        cJSON_AddItemToObject(sum, item->string, item);
    }
    cJSON_Delete(counts);
    cJSON *aliases = cJSON_AddObjectToObject(sum, "aliases");
    GPtrArray *all = world_accounts(s->world);
    for (guint i = 0; i < all->len; i++) {
        const world_account *a = all->pdata[i];
        if (world_account_alias(a))
            cJSON_AddStringToObject(aliases, world_account_id(a), world_account_alias(a));
    }
    cJSON *un = cJSON_AddArrayToObject(sum, "unfinished");
    for (guint i = 0; i < res->stuck->len; i++)
        cJSON_AddItemToArray(un, cJSON_CreateString(res->stuck->pdata[i]));
    cJSON *wn = cJSON_AddArrayToObject(sum, "warnings");
    for (guint i = 0; i < s->warnings->len; i++)
        cJSON_AddItemToArray(wn, cJSON_CreateString(s->warnings->pdata[i]));
    cJSON *svc = api_service_stats(s->world);
    if (svc)
        cJSON_AddItemToObject(sum, "services", svc);
    cJSON_AddItemToObject(sum, "whoSawWhat", rec_who_saw_what(rec));
    return sum;
}

/* ---- the terminal summary ------------------------------------------------------------------ */

static gint64 count_of(const cJSON *acct, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(acct, k);
    return cJSON_IsNumber(v) ? (gint64)v->valuedouble : 0;
}

void summary_print(FILE *out, const scenario *s, const run_opts *o, const run_result *r)
{
    fprintf(out, "crossim: %s (seed %" G_GUINT64_FORMAT ") %s .. %s, %" G_GUINT64_FORMAT
            " events\n", s->name, s->seed,
            cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r->summary, "start")),
            cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r->summary, "end")), r->events);
    const cJSON *accs = cJSON_GetObjectItemCaseSensitive(r->summary, "accounts");
    const cJSON *aliases = cJSON_GetObjectItemCaseSensitive(r->summary, "aliases");
    guint n = r->accounts->len;
    fprintf(out, "  %-14s %-20s %8s %9s %7s %7s\n", "account", "alias", "calls", "received",
            "denied", "errors");
    for (guint i = 0; i < n && i < 40; i++) {
        const char *id = r->accounts->pdata[i];
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(accs, id);
        gint64 errors = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(a, "errors"))
            errors += (gint64)e->valuedouble;
        const char *alias = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(aliases, id));
        fprintf(out, "  %-14s %-20s %8" G_GINT64_FORMAT " %9" G_GINT64_FORMAT " %7" G_GINT64_FORMAT
                " %7" G_GINT64_FORMAT "\n", id, alias ? alias : "-", count_of(a, "callsMade"),
                count_of(a, "recordsReceived"), count_of(a, "deniedCalls"), errors);
    }
    if (n > 40)
        fprintf(out, "  ... and %u more accounts (see summary.json)\n", n - 40);
    for (guint i = 0; i < s->warnings->len; i++) {
        g_autofree char *w = jdoc_printable(s->warnings->pdata[i]);
        fprintf(out, "  warning: %s\n", w);
    }
    const cJSON *svc = cJSON_GetObjectItemCaseSensitive(r->summary, "services"), *sv;
    cJSON_ArrayForEach(sv, svc) {
        char *text = cJSON_PrintUnformatted(sv);
        fprintf(out, "%s: %s\n", sv->string, text);
        cJSON_free(text);
    }
    fprintf(out, "expectations: %u passed, %u failed\n", r->passed, r->failed);
    guint shown = 0;
    for (guint i = 0; i < r->results->len && shown < 30; i++) {
        const check_result *c = r->results->pdata[i];
        if (c->ok)
            continue;
        shown++;
        g_autofree char *spec = NULL;
        if (c->spec && c->spec->len) {
            g_ptr_array_add(c->spec, NULL);
            spec = g_strjoinv(",", (char **)c->spec->pdata);
            g_ptr_array_remove_index(c->spec, c->spec->len - 1);
        }
        g_autofree char *msg = jdoc_printable(c->message);
        fprintf(out, "  FAIL %s:%d %s%s%s%s (%s): %s\n", s->file, c->line, c->where,
                spec ? " [" : "", spec ? spec : "", spec ? "]" : "", c->who, msg);
    }
    for (guint i = 0; i < r->stuck->len; i++)
        fprintf(out, "  unfinished: %s\n", (char *)r->stuck->pdata[i]);
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(r->summary, "whoSawWhat");
    if (n > 0 && n <= 6 && m && m->child) {
        /* The operation column fits the longest name. */
        int wide = 44;
        const cJSON *op;
        cJSON_ArrayForEach(op, m)
            wide = MAX(wide, (int)strlen(op->string));
        fprintf(out, "who saw what (records each account's log received):\n  %-*s", wide, "operation");
        for (guint i = 0; i < n; i++) {
            const char *alias = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(aliases, r->accounts->pdata[i]));
            fprintf(out, " %14.14s", alias ? alias : (char *)r->accounts->pdata[i]);
        }
        fputc('\n', out);
        cJSON_ArrayForEach(op, m) {
            fprintf(out, "  %-*s", wide, op->string);
            for (guint i = 0; i < n; i++) {
                const cJSON *c = cJSON_GetObjectItemCaseSensitive(op, r->accounts->pdata[i]);
                if (c)
                    fprintf(out, " %14d", c->valueint);
                else
                    fprintf(out, " %14s", "-");
            }
            fputc('\n', out);
        }
    }
    if (o->out_dir) {
        for (guint i = 0; i < n && i < 10; i++)
            fprintf(out, "log: %s/trail/%s.jsonl\n", o->out_dir, (char *)r->accounts->pdata[i]);
        fprintf(out, "logs: %s/trail/<account>.jsonl (%u accounts)", o->out_dir, n);
        if (o->s3_layout)
            fprintf(out, ", %s/AWSLogs/ (CloudTrail S3 layout)", o->out_dir);
        fprintf(out, "\nsummary: %s/summary.json\ntimeline: %s/timeline.html\n", o->out_dir,
                o->out_dir);
    }
    fprintf(out, "digest: sha256:%s\n", r->digest);
}
