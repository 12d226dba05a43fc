/* model/base/jload.c: checked JSON loading (see jload.h). */
#include "model/base/jload.h"

#include <stdarg.h>
#include <string.h>

#include "model/base/duration.h"

void jload_err(jload *l, const cJSON *node, bool at_key, const char *path, const char *fmt, ...)
{
    if (++l->n_errors > l->max_errors && l->max_errors > 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    l->report(l->user, node, at_key, path, msg);
}

char *jload_sub(const char *path, const char *key)
{
    return *path ? g_strdup_printf("%s.%s", path, key) : g_strdup(key);
}

char *jload_idx(const char *path, int i)
{
    return g_strdup_printf("%s[%d]", path, i);
}

const char *jload_type_name(const cJSON *v)
{
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsArray(v)) return "a list";
    if (cJSON_IsObject(v)) return "an object";
    return "null";
}

const cJSON *jload_member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* Levenshtein distance, case-insensitive. */
static guint edit_distance(const char *a, const char *b)
{
    gsize n = strlen(a), m = strlen(b);
    g_autofree guint *row = g_new(guint, m + 1);
    for (gsize j = 0; j <= m; j++)
        row[j] = (guint)j;
    for (gsize i = 1; i <= n; i++) {
        guint diag = row[0];
        row[0] = (guint)i;
        for (gsize j = 1; j <= m; j++) {
            guint up = row[j];
            guint cost = g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 1]) ? 0 : 1;
            row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1), diag + cost);
            diag = up;
        }
    }
    return row[m];
}

char *jload_suggest(const char *word, const char *const *candidates, gsize n)
{
    const char *best = NULL;
    guint best_d = G_MAXUINT;
    for (gsize i = 0; i < n; i++) {
        guint d = edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    gsize len = strlen(word);
    return best && best_d <= MAX(2u, (guint)len / 4) ? g_strdup(best) : NULL;
}

void jload_check_keys(jload *l, const cJSON *obj, const char *path, const char *const *known)
{
    const cJSON *e;
    /* Keys seen, for duplicates: a set, not a scan of the earlier keys
     * (200,000 keys took minutes). */
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    gsize n = g_strv_length((char **)known);
    cJSON_ArrayForEach(e, obj) {
        bool ok = g_strv_contains(known, e->string);
        if (!g_hash_table_add(seen, e->string)) {
            g_autofree char *p = jload_sub(path, e->string);
            jload_err(l, e, true, p, "duplicate key \"%s\"", e->string);
        }
        if (ok || (l->max_errors > 0 && l->n_errors > l->max_errors))
            continue;
        g_autofree char *p = jload_sub(path, e->string);
        g_autofree char *near = jload_suggest(e->string, known, n);
        if (near)
            jload_err(l, e, true, p, "unknown key \"%s\" (did you mean \"%s\"?)", e->string, near);
        else {
            g_autofree char *list = g_strjoinv(", ", (char **)known);
            jload_err(l, e, true, p, "unknown key \"%s\" (known keys: %s)", e->string, list);
        }
    }
    g_hash_table_unref(seen);
}

/* The member key of obj if present with type test; reports otherwise. */
static const cJSON *typed(jload *l, const cJSON *obj, const char *key, const char *path,
                          bool required, cJSON_bool (*test)(const cJSON *), const char *want)
{
    const cJSON *v = jload_member(obj, key);
    if (!v) {
        if (required)
            jload_err(l, obj, false, path, "missing required key \"%s\"", key);
        return NULL;
    }
    if (!test(v)) {
        g_autofree char *p = jload_sub(path, key);
        jload_err(l, v, false, p, "must be %s, not %s", want, jload_type_name(v));
        return NULL;
    }
    return v;
}

const char *jload_str(jload *l, const cJSON *obj, const char *key, const char *path,
                      bool required)
{
    const cJSON *v = typed(l, obj, key, path, required, cJSON_IsString, "a string");
    return v ? v->valuestring : NULL;
}

const cJSON *jload_obj(jload *l, const cJSON *obj, const char *key, const char *path,
                       bool required)
{
    return typed(l, obj, key, path, required, cJSON_IsObject, "an object");
}

const cJSON *jload_list(jload *l, const cJSON *obj, const char *key, const char *path)
{
    return typed(l, obj, key, path, false, cJSON_IsArray, "a list");
}

bool jload_dur(jload *l, const cJSON *obj, const char *key, const char *path, int64_t *out)
{
    const cJSON *v = jload_member(obj, key);
    if (!v)
        return false;
    g_autofree char *p = jload_sub(path, key);
    if (!cJSON_IsString(v) || !dur_parse(v->valuestring, out)) {
        g_autofree char *shown = cJSON_PrintUnformatted(v);
        jload_err(l, v, false, p, "%s is not a duration (use 90s, 10m, 2h, 1d)", shown);
        return false;
    }
    if (*out > DUR_MAX_US) {
        jload_err(l, v, false, p, "\"%s\" is longer than 100 years, the longest span a scenario "
                  "may name", v->valuestring);
        *out = DUR_MAX_US;
        return false;
    }
    return true;
}
