/* sim/tmpl.c: substitution of ${...} references in scenario JSON. */
#include "sim/tmpl.h"

#include <stdlib.h>
#include <string.h>

const cJSON *tmpl_path(const cJSON *v, const char *path)
{
    const char *p = path;
    while (v && *p) {
        if (*p == '.') {
            p++;
            continue;
        }
        if (*p == '[') {
            char *end;
            long idx = strtol(p + 1, &end, 10);
            if (*end != ']' || !cJSON_IsArray(v))
                return NULL;
            v = cJSON_GetArrayItem(v, (int)idx);
            p = end + 1;
            continue;
        }
        size_t n = strcspn(p, ".[");
        g_autofree char *key = g_strndup(p, n);
        v = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, key) : NULL;
        p += n;
    }
    return v;
}

/* Finds the next "${...}" at or after s; sets *start and *end (at its own
 * '}', so "${accounts.p-${i}}" is one reference holding another). */
static bool next_ref(const char *s, const char **start, const char **end)
{
    const char *a = strstr(s, "${");
    if (!a)
        return false;
    int depth = 0;
    for (const char *p = a; *p; p++) {
        if (p[0] == '$' && p[1] == '{') {
            depth++;
            p++;
        } else if (*p == '}' && --depth == 0) {
            *start = a;
            *end = p;
            return true;
        }
    }
    return false;
}

/* IAM policy variables (${aws:username}, ${*}, ...) share the syntax; they
 * always hold a colon or are one of three one-character escapes.  They are
 * left as written. */
static bool is_policy_variable(const char *ref)
{
    return strchr(ref, ':') || strcmp(ref, "*") == 0 || strcmp(ref, "?") == 0 ||
           strcmp(ref, "$") == 0;
}

char *tmpl_expand_string(const char *s, tmpl_lookup_fn lookup, void *user, char **missing)
{
    GString *out = g_string_new(NULL);
    const char *a, *b;
    while (next_ref(s, &a, &b)) {
        g_string_append_len(out, s, a - s);
        g_autofree char *ref = g_strndup(a + 2, (gsize)(b - a - 2));
        if (is_policy_variable(ref)) {
            g_string_append_len(out, a, b - a + 1);
            s = b + 1;
            continue;
        }
        if (strstr(ref, "${")) {
            char *inner = tmpl_expand_string(ref, lookup, user, missing);
            if (!inner) {
                g_string_free(out, TRUE);
                return NULL;
            }
            g_free(ref);
            ref = inner;
        }
        const cJSON *v = lookup(user, ref);
        if (!v || cJSON_IsNull(v)) {
            *missing = g_steal_pointer(&ref);
            g_string_free(out, TRUE);
            return NULL;
        }
        if (cJSON_IsString(v)) {
            g_string_append(out, v->valuestring);
        } else if (cJSON_IsNumber(v) && v->valuedouble == (double)(long long)v->valuedouble) {
            g_string_append_printf(out, "%lld", (long long)v->valuedouble);
        } else {
            char *j = cJSON_PrintUnformatted(v);
            g_string_append(out, j);
            cJSON_free(j);
        }
        s = b + 1;
    }
    g_string_append(out, s);
    return g_string_free(out, FALSE);
}

cJSON *tmpl_expand(const cJSON *t, tmpl_lookup_fn lookup, void *user, char **missing)
{
    if (cJSON_IsString(t)) {
        const char *a, *b;
        const char *s = t->valuestring;
        /* A string that is exactly one reference takes the value itself. */
        if (next_ref(s, &a, &b) && a == s && b[1] == '\0') {
            g_autofree char *ref = g_strndup(s + 2, strlen(s) - 3);
            if (is_policy_variable(ref))
                return cJSON_CreateString(s);
            if (strstr(ref, "${")) {
                char *inner = tmpl_expand_string(ref, lookup, user, missing);
                if (!inner)
                    return NULL;
                g_free(ref);
                ref = inner;
            }
            const cJSON *v = lookup(user, ref);
            if (!v || cJSON_IsNull(v)) {
                *missing = g_steal_pointer(&ref);
                return NULL;
            }
            return cJSON_Duplicate(v, 1);
        }
        char *x = tmpl_expand_string(s, lookup, user, missing);
        if (!x)
            return NULL;
        cJSON *r = cJSON_CreateString(x);
        g_free(x);
        return r;
    }
    if (cJSON_IsArray(t) || cJSON_IsObject(t)) {
        cJSON *r = cJSON_IsArray(t) ? cJSON_CreateArray() : cJSON_CreateObject();
        const cJSON *e;
        cJSON_ArrayForEach(e, t) {
            cJSON *c = tmpl_expand(e, lookup, user, missing);
            if (!c) {
                cJSON_Delete(r);
                return NULL;
            }
            if (cJSON_IsArray(t))
                cJSON_AddItemToArray(r, c);
            else
                cJSON_AddItemToObject(r, e->string, c);
        }
        return r;
    }
    return cJSON_Duplicate(t, 1);
}

int tmpl_each_ref(const char *s, int max_depth, void (*fn)(void *user, const char *ref),
                  void *user)
{
    int deepest = 0, depth = 0;
    for (const char *p = s; *p; p++) {
        if (p[0] == '$' && p[1] == '{') {
            depth++;
            p++;
        } else if (*p == '}' && depth > 0) {
            depth--;
        }
        if (depth > deepest)
            deepest = depth;
    }
    if (deepest > max_depth)
        return deepest;
    const char *a, *b;
    while (next_ref(s, &a, &b)) {
        g_autofree char *ref = g_strndup(a + 2, (gsize)(b - a - 2));
        if (strstr(ref, "${") || !is_policy_variable(ref))
            fn(user, ref);
        s = b + 1;
    }
    return deepest;
}
