/* sim/diff.c: `crossim diff RUN_A RUN_B`, what changes in each account's log
 * between two runs (RV2).
 *
 * Records are matched by what they say, never by their random ids: the
 * key of a record is (operation, principal, resource with every UUID in its
 * name written "*"), and the k-th record of
 * a key in an account's log, in event-time order, matches the k-th of the
 * same key in the other run's log of that account.  A record of B with no
 * match in A is gained, one of A with none in B lost; a matched pair whose
 * outcome differs (no error, or another error code) has a flipped decision,
 * and one whose delay from event to delivery differs was delivered at
 * another time. */
#include "sim/diff.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct drec {
    char   *key;          /* op \t principal \t resource */
    char   *err;          /* errorCode, or NULL */
    gint64  event_s, lag_s;
    guint   pos;          /* position in its log */
    guint   occ;          /* k-th record of its key, in event order */
    bool    matched;
} drec;

static void drec_free(gpointer p)
{
    drec *d = p;
    g_free(d->key);
    g_free(d->err);
    g_free(d);
}

static const char *str_at(const cJSON *o, const char *a, const char *b)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b)
        v = cJSON_GetObjectItemCaseSensitive(v, b);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Whether p starts a UUID, 8-4-4-4-12 hex digits: the form of the random
 * ids in resource names (shares, invitations, jobs).  Stops at the first
 * character that does not fit, so never reads past p's NUL. */
static bool is_uuid(const char *p)
{
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? p[i] != '-' : !g_ascii_isxdigit(p[i]))
            return false;
    }
    return true;
}

/* s with every UUID in it written as "*": two runs name the same share
 * with different random ids, and must still match. */
static char *without_ids(const char *s)
{
    GString *o = g_string_new(NULL);
    for (const char *p = s; *p;) {
        if (is_uuid(p)) {
            g_string_append_c(o, '*');
            p += 36;
        } else {
            g_string_append_c(o, *p++);
        }
    }
    return g_string_free(o, FALSE);
}

static gint64 epoch_of(const char *iso)
{
    if (!iso)
        return 0;
    g_autoptr(GDateTime) t = g_date_time_new_from_iso8601(iso, NULL);
    return t ? g_date_time_to_unix(t) : 0;
}

static gint cmp_event(gconstpointer a, gconstpointer b)
{
    const drec *x = *(drec *const *)a, *y = *(drec *const *)b;
    if (x->event_s != y->event_s)
        return x->event_s < y->event_s ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The records of one log, in event order with their occurrence numbers;
 * NULL with *error when the file is missing or a line is not a record. */
static GPtrArray *read_log(const char *path, GError **error)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    GPtrArray *out = g_ptr_array_new_with_free_func(drec_free);
    if (g_file_test(path, G_FILE_TEST_EXISTS) && !g_file_get_contents(path, &text, &len, error)) {
        g_ptr_array_unref(out);
        return NULL;
    }
    guint line = 0;
    for (char *p = text; p && *p; line++) {
        char *nl = strchr(p, '\n');
        cJSON *r = cJSON_ParseWithLength(p, nl ? (gsize)(nl - p) : strlen(p));
        if (!cJSON_IsObject(r)) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%u: not a JSON record",
                        path, line + 1);
            cJSON_Delete(r);
            g_ptr_array_unref(out);
            return NULL;
        }
        const char *src = str_at(r, "eventSource", NULL), *name = str_at(r, "eventName", NULL);
        const char *who = str_at(r, "userIdentity", "arn");
        if (!who)
            who = str_at(r, "userIdentity", "accountId");
        if (!who)
            who = str_at(r, "userIdentity", "invokedBy");
        const cJSON *res0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "resources"), 0);
        g_autofree char *res = str_at(res0, "ARN", NULL) ? without_ids(str_at(res0, "ARN", NULL))
                                                          : NULL;
        drec *d = g_new0(drec, 1);
        gsize dot = src ? strcspn(src, ".") : 0;
        d->key = g_strdup_printf("%.*s:%s\t%s\t%s", (int)dot, src ? src : "", name ? name : "?",
                                 who ? who : "-", res ? res : "-");
        d->err = g_strdup(str_at(r, "errorCode", NULL));
        d->event_s = epoch_of(str_at(r, "eventTime", NULL));
        d->lag_s = epoch_of(str_at(r, "crossimDeliveryTime", NULL)) - d->event_s;
        d->pos = line;
        g_ptr_array_add(out, d);
        cJSON_Delete(r);
        p = nl ? nl + 1 : NULL;
    }
    g_ptr_array_sort(out, cmp_event);
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < out->len; i++) {
        drec *d = out->pdata[i];
        guint n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, d->key));
        d->occ = n;
        g_hash_table_insert(seen, d->key, GUINT_TO_POINTER(n + 1));
    }
    return out;
}

/* The account ids that have a log in run/trail, added to set. */
static bool list_accounts(const char *run, GHashTable *set, GError **error)
{
    g_autofree char *dir = g_build_filename(run, "trail", NULL);
    GDir *d = g_dir_open(dir, 0, error);
    if (!d)
        return false;
    const char *name;
    while ((name = g_dir_read_name(d)))
        if (g_str_has_suffix(name, ".jsonl"))
            g_hash_table_add(set, g_strndup(name, strlen(name) - strlen(".jsonl")));
    g_dir_close(d);
    return true;
}

/* A change line, counted: "- lost     op by who on res". */
static void count_line(GHashTable *lines, char *line)
{
    gpointer n = g_hash_table_lookup(lines, line);
    g_hash_table_replace(lines, line, GUINT_TO_POINTER(GPOINTER_TO_UINT(n) + 1));
}

static char *describe(const char *tag, const char *key, const char *tail)
{
    g_auto(GStrv) f = g_strsplit(key, "\t", 3);
    return g_strdup_printf("%s %s by %s on %s%s", tag, f[0], f[1] ? f[1] : "-",
                           f[1] && f[2] ? f[2] : "-", tail ? tail : "");
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* h's keys (char*, borrowed), ascending: output never follows hash order. */
static GPtrArray *sorted_keys(GHashTable *h)
{
    GPtrArray *keys = g_ptr_array_new();
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, h);
    while (g_hash_table_iter_next(&it, &k, NULL))
        g_ptr_array_add(keys, k);
    g_ptr_array_sort(keys, cmp_str);
    return keys;
}

int diff_runs(const char *run_a, const char *run_b, FILE *out, GError **error)
{
    g_autoptr(GHashTable) set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (!list_accounts(run_a, set, error) || !list_accounts(run_b, set, error))
        return -1;
    g_autoptr(GPtrArray) accounts = sorted_keys(set);
    guint64 t_lost = 0, t_gained = 0, t_flipped = 0, t_moved = 0, t_same = 0;
    for (guint i = 0; i < accounts->len; i++) {
        const char *acct = accounts->pdata[i];
        g_autofree char *name = g_strconcat(acct, ".jsonl", NULL);
        g_autofree char *pa = g_build_filename(run_a, "trail", name, NULL);
        g_autofree char *pb = g_build_filename(run_b, "trail", name, NULL);
        g_autoptr(GPtrArray) a = read_log(pa, error);
        if (!a)
            return -1;
        g_autoptr(GPtrArray) b = read_log(pb, error);
        if (!b)
            return -1;
        g_autoptr(GHashTable) by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (guint j = 0; j < a->len; j++) {
            drec *d = a->pdata[j];
            g_hash_table_insert(by_key, g_strdup_printf("%s\t%u", d->key, d->occ), d);
        }
        g_autoptr(GHashTable) lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        guint lost = 0, gained = 0, flipped = 0, moved = 0, same = 0;
        gint64 max_shift = 0;
        for (guint j = 0; j < b->len; j++) {
            drec *y = b->pdata[j];
            g_autofree char *mk = g_strdup_printf("%s\t%u", y->key, y->occ);
            drec *x = g_hash_table_lookup(by_key, mk);
            if (!x) {
                gained++;
                count_line(lines, describe("+ gained ", y->key, NULL));
                continue;
            }
            x->matched = true;
            bool changed = false;
            if (g_strcmp0(x->err, y->err) != 0) {
                flipped++;
                changed = true;
                g_autofree char *tail = g_strdup_printf(": %s -> %s", x->err ? x->err : "ok",
                                                        y->err ? y->err : "ok");
                count_line(lines, describe("~ flipped", y->key, tail));
            }
            gint64 shift = (y->event_s + y->lag_s) - (x->event_s + x->lag_s);
            if (shift) {
                moved++;
                changed = true;
                if (ABS(shift) > ABS(max_shift))
                    max_shift = shift;
            }
            same += !changed;
        }
        for (guint j = 0; j < a->len; j++) {
            drec *x = a->pdata[j];
            if (!x->matched) {
                lost++;
                count_line(lines, describe("- lost   ", x->key, NULL));
            }
        }
        t_lost += lost, t_gained += gained, t_flipped += flipped, t_moved += moved, t_same += same;
        if (!lost && !gained && !flipped && !moved)
            continue;
        fprintf(out, "%s: %u records in A, %u in B: %u lost, %u gained, %u flipped, "
                     "%u delivered at another time", acct, a->len, b->len, lost, gained, flipped,
                moved);
        if (moved)
            fprintf(out, " (largest shift %+" G_GINT64_FORMAT " s)", max_shift);
        fputc('\n', out);
        g_autoptr(GPtrArray) sorted = sorted_keys(lines);
        for (guint j = 0; j < sorted->len; j++) {
            guint n = GPOINTER_TO_UINT(g_hash_table_lookup(lines, sorted->pdata[j]));
            fprintf(out, "  %s", (const char *)sorted->pdata[j]);
            if (n > 1)
                fprintf(out, " (x%u)", n);
            fputc('\n', out);
        }
    }
    fprintf(out, "total: %" G_GUINT64_FORMAT " lost, %" G_GUINT64_FORMAT " gained, %"
                 G_GUINT64_FORMAT " flipped, %" G_GUINT64_FORMAT " delivered at another time, %"
                 G_GUINT64_FORMAT " unchanged\n", t_lost, t_gained, t_flipped, t_moved, t_same);
    return (t_lost || t_gained || t_flipped || t_moved) ? 1 : 0;
}

int diff_main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: crossim diff RUN_A RUN_B   (two --out folders)\n", stderr);
        return 2;
    }
    GError *e = NULL;
    int rc = diff_runs(argv[1], argv[2], stdout, &e);
    if (rc < 0) {
        fprintf(stderr, "crossim: diff: %s\n", e->message);
        g_error_free(e);
        return 2;
    }
    return rc;
}
