/* model/shapes.c: input validation from the trimmed botocore models.
 *
 * Owns the parsed model data (one cJSON tree, plus hash tables from names to
 * nodes) and a cache of compiled member patterns.  Validation walks the input
 * beside its shape and collects every violation in member order, then reports
 * them the way the services' front ends (Coral) do:
 *   "2 validation errors detected: Value null at 'modelCardName' failed to
 *    satisfy constraint: Member must not be null; Value ..."
 * Paths use the wire member names (SageMaker's and KMS's JSON protocols
 * lower-case the first letter), lists are "name.1.member" (1-based).
 * Unknown members are not checked here: a real client refuses them before
 * sending, so the scenario loader rejects them (scenario errors, exit 2). */
#include "model/shapes.h"

#include "model/base/jload.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

typedef struct svc {
    const cJSON *ops;          /* op name -> {in, out, errors, http} */
    const cJSON *meta;         /* the wire facts ('m' row), or NULL */
    GHashTable  *op_index;     /* op name -> const cJSON* of ops (hundreds a service) */
    GHashTable  *shapes;       /* shape name -> const cJSON* */
    const char  *protocol;
    gboolean     lower_first;  /* JSON and query protocols: paths start lower-case */
} svc;

struct shapes {
    cJSON      *root;
    GHashTable *svcs;          /* prefix -> svc* */
    GHashTable *regex;         /* pattern -> shape_rx* (NULL value: bad pattern) */
};

/* A member pattern compiled once, with its match data: GRegex made a match
 * context and a 20 KB frame vector for every string it checked, which was
 * most of the allocator's work in a sharing storm.  Compiled as GRegex
 * compiles (UTF-8, Unicode properties for \\w and \\d, "." stopping at any
 * Unicode line end, as Java's nearly does on the services), anchored at both ends;
 * JIT-compiled where PCRE2 can.  tests/unit/test-shapes.c checks every
 * pattern of the models against GRegex. */
typedef struct shape_rx {
    pcre2_code       *code;
    pcre2_match_data *md;
} shape_rx;

static void rx_free(shape_rx *x)
{
    if (!x)
        return;
    pcre2_match_data_free(x->md);
    pcre2_code_free(x->code);
    g_free(x);
}

/* NULL when pat does not compile. */
static shape_rx *rx_new(const char *pat)
{
    g_autofree char *full = g_strdup_printf("\\A(?:%s)\\z", pat);
    int err;
    PCRE2_SIZE off;
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    pcre2_set_newline(cc, PCRE2_NEWLINE_ANY);        /* "." stops at \r and U+2028 too */
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)full, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_UCP, &err, &off, cc);
    pcre2_compile_context_free(cc);
    if (!code)
        return NULL;
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);     /* the interpreter if it cannot */
    shape_rx *x = g_new0(shape_rx, 1);
    x->code = code;
    x->md = pcre2_match_data_create_from_pattern(code, NULL);
    return x;
}

/* Invalid UTF-8 matches nothing, as with GRegex. */
static bool rx_match(shape_rx *x, const char *subject)
{
    return pcre2_match(x->code, (PCRE2_SPTR)subject, strlen(subject), 0, 0, x->md, NULL) >= 0;
}

const char **shapes_op_names(const shapes *s, const char *prefix)
{
    const svc *v = g_hash_table_lookup(s->svcs, prefix);
    if (!v)
        return NULL;
    GPtrArray *names = g_ptr_array_new();
    const cJSON *op;
    cJSON_ArrayForEach(op, v->ops)
        g_ptr_array_add(names, op->string);
    g_ptr_array_add(names, NULL);
    return (const char **)g_ptr_array_free(names, FALSE);
}

bool shapes_pattern_match(const char *pattern, const char *subject, bool *compiled)
{
    shape_rx *x = rx_new(pattern);
    *compiled = x != NULL;
    bool m = x && rx_match(x, subject);
    rx_free(x);
    return m;
}

static void svc_free(gpointer p)
{
    svc *s = p;
    g_hash_table_unref(s->shapes);
    g_hash_table_unref(s->op_index);
    g_free(s);
}

static void regex_free(gpointer p)
{
    rx_free(p);
}

shapes *shapes_new(void)
{
    shapes *s = g_new0(shapes, 1);
    /* {prefix: {"protocol", "ops": {name: {errors, in} | null}, "shapes": {...}}} */
    s->root = cJSON_CreateObject();
    for (const shapes_row *r = shapes_rows; r->kind; r++) {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(s->root, r->prefix);
        if (!v) {
            v = cJSON_AddObjectToObject(s->root, r->prefix);
            cJSON_AddObjectToObject(v, "ops");
            cJSON_AddObjectToObject(v, "shapes");
        }
        if (r->kind == 'p') {
            cJSON_AddStringToObject(v, "protocol", r->body);
            continue;
        }
        if (r->kind == 'm') {
            cJSON *meta = cJSON_Parse(r->body);
            g_assert(meta != NULL);
            cJSON_AddItemToObject(v, "meta", meta);
            continue;
        }
        cJSON *body = r->body ? cJSON_Parse(r->body) : cJSON_CreateNull();
        g_assert(body != NULL);        /* generated: always valid JSON */
        cJSON_AddItemToObject(cJSON_GetObjectItemCaseSensitive(v, r->kind == 's' ? "shapes" : "ops"),
                              r->name, body);
    }
    s->svcs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, svc_free);
    s->regex = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, regex_free);
    const cJSON *it;
    cJSON_ArrayForEach(it, s->root) {
        svc *v = g_new0(svc, 1);
        v->ops = cJSON_GetObjectItemCaseSensitive(it, "ops");
        v->protocol = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "protocol"));
        v->meta = cJSON_GetObjectItemCaseSensitive(it, "meta");
        v->lower_first = g_strcmp0(v->protocol, "json") == 0 || g_strcmp0(v->protocol, "query") == 0;
        v->shapes = g_hash_table_new(g_str_hash, g_str_equal);
        v->op_index = g_hash_table_new(g_str_hash, g_str_equal);
        const cJSON *sh;
        cJSON_ArrayForEach(sh, v->ops)
            g_hash_table_insert(v->op_index, sh->string, (gpointer)sh);
        cJSON_ArrayForEach(sh, cJSON_GetObjectItemCaseSensitive(it, "shapes"))
            g_hash_table_insert(v->shapes, sh->string, (gpointer)sh);
        g_hash_table_insert(s->svcs, it->string, v);
    }
    return s;
}

void shapes_free(shapes *s)
{
    if (!s)
        return;
    g_hash_table_unref(s->svcs);
    g_hash_table_unref(s->regex);
    cJSON_Delete(s->root);
    g_free(s);
}

static const cJSON *find_op(const shapes *s, const char *prefix, const char *op,
                            const svc **out_svc)
{
    const svc *v = g_hash_table_lookup(s->svcs, prefix);
    if (out_svc)
        *out_svc = v;
    return v && op ? g_hash_table_lookup(v->op_index, op) : NULL;
}

bool shapes_has_op(const shapes *s, const char *prefix, const char *op)
{
    return find_op(s, prefix, op, NULL) != NULL;
}

bool shapes_simulated(const shapes *s, const char *prefix, const char *op)
{
    return cJSON_IsObject(find_op(s, prefix, op, NULL));
}

const char *shapes_protocol(const shapes *s, const char *prefix)
{
    const svc *v = g_hash_table_lookup(s->svcs, prefix);
    return v ? v->protocol : NULL;
}

const cJSON *shapes_meta(const shapes *s, const char *prefix)
{
    const svc *v = g_hash_table_lookup(s->svcs, prefix);
    return v ? v->meta : NULL;
}

const cJSON *shapes_op(const shapes *s, const char *prefix, const char *op)
{
    const cJSON *o = find_op(s, prefix, op, NULL);
    return cJSON_IsObject(o) ? o : NULL;
}

const cJSON *shapes_shape(const shapes *s, const char *prefix, const char *name)
{
    const svc *v = g_hash_table_lookup(s->svcs, prefix);
    return v && name ? g_hash_table_lookup(v->shapes, name) : NULL;
}

const char *shapes_prefix_at(const shapes *s, guint i)
{
    guint k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, s->root)
        if (k++ == i)
            return it->string;
    return NULL;
}

bool shapes_op_declares(const shapes *s, const char *prefix, const char *op,
                        const char *err_code)
{
    const cJSON *o = find_op(s, prefix, op, NULL), *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "errors"))
        if (g_strcmp0(cJSON_GetStringValue(e), err_code) == 0)
            return true;
    return false;
}

/* ---- validation ---------------------------------------------------------- */

typedef struct vstate {
    shapes    *s;
    const svc *v;
    GPtrArray *errors;          /* formatted "Value ... at '...' failed ..." */
    GString   *path;            /* where check is: "ModelCardName", "Tags.1.member" */
    bool       type_error;      /* a value of the wrong JSON type was seen */
    char      *type_message;
} vstate;

static double num(const cJSON *shape, const char *key, bool *has)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(shape, key);
    *has = cJSON_IsNumber(n);
    return *has ? n->valuedouble : 0;
}

static char *value_text(const cJSON *v)
{
    if (!v || cJSON_IsNull(v))
        return g_strdup("null");
    if (cJSON_IsString(v))
        return g_strdup_printf("'%s'", v->valuestring);
    if (cJSON_IsNumber(v))
        return g_strdup_printf("'%.15g'", v->valuedouble);
    if (cJSON_IsBool(v))
        return g_strdup(cJSON_IsTrue(v) ? "'true'" : "'false'");
    char *j = cJSON_PrintUnformatted(v);
    char *r = g_strdup_printf("'%s'", j);
    cJSON_free(j);
    return r;
}

static void violation(vstate *st, const cJSON *v, const char *path, const char *what)
{
    char *val = value_text(v);
    g_ptr_array_add(st->errors, g_strdup_printf(
        "Value %s at '%s' failed to satisfy constraint: %s", val, path, what));
    g_free(val);
}

static void wrong_type(vstate *st, const char *path, const char *want)
{
    if (st->type_error)
        return;
    st->type_error = true;
    st->type_message = g_strdup_printf("Unexpected value type at '%s': expected %s", path, want);
}

static shape_rx *pattern(vstate *st, const char *pat)
{
    gpointer found;
    if (g_hash_table_lookup_extended(st->s->regex, pat, NULL, &found))
        return found;
    shape_rx *re = rx_new(pat);
    g_hash_table_insert(st->s->regex, g_strdup(pat), re);
    return re;
}

static void check(vstate *st, const char *shape_name, const cJSON *v);

static void check_length(vstate *st, const cJSON *shape, const cJSON *v,
                         const char *path, double len)
{
    bool has;
    double lim = num(shape, "min", &has);
    if (has && len < lim) {
        char *w = g_strdup_printf("Member must have length greater than or equal to %.0f", lim);
        violation(st, v, path, w);
        g_free(w);
    }
    lim = num(shape, "max", &has);
    if (has && len > lim) {
        char *w = g_strdup_printf("Member must have length less than or equal to %.0f", lim);
        violation(st, v, path, w);
        g_free(w);
    }
}

static void check_string(vstate *st, const cJSON *shape, const cJSON *v, const char *path)
{
    if (!cJSON_IsString(v)) {
        wrong_type(st, path, "a string");
        return;
    }
    check_length(st, shape, v, path, (double)g_utf8_strlen(v->valuestring, -1));
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(shape, "enum");
    if (cJSON_IsArray(en)) {
        bool ok = false;
        const cJSON *e;
        GString *set = g_string_new("Member must satisfy enum value set: [");
        cJSON_ArrayForEach(e, en) {
            if (g_strcmp0(e->valuestring, v->valuestring) == 0)
                ok = true;
            g_string_append_printf(set, "%s%s", e == en->child ? "" : ", ", e->valuestring);
        }
        g_string_append_c(set, ']');
        if (!ok)
            violation(st, v, path, set->str);
        g_string_free(set, TRUE);
    }
    const char *pat = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(shape, "pattern"));
    if (pat) {
        shape_rx *re = pattern(st, pat);
        if (re && !rx_match(re, v->valuestring)) {
            char *w = g_strdup_printf("Member must satisfy regular expression pattern: %s", pat);
            violation(st, v, path, w);
            g_free(w);
        }
    }
}

static void check_number(vstate *st, const cJSON *shape, const cJSON *v,
                         const char *path, bool integral)
{
    if (!cJSON_IsNumber(v) || (integral && v->valuedouble != floor(v->valuedouble))) {
        wrong_type(st, path, integral ? "an integer" : "a number");
        return;
    }
    bool has;
    double lim = num(shape, "min", &has);
    if (has && v->valuedouble < lim) {
        char *w = g_strdup_printf("Member must have value greater than or equal to %.15g", lim);
        violation(st, v, path, w);
        g_free(w);
    }
    lim = num(shape, "max", &has);
    if (has && v->valuedouble > lim) {
        char *w = g_strdup_printf("Member must have value less than or equal to %.15g", lim);
        violation(st, v, path, w);
        g_free(w);
    }
}

/* Appends ".member" (or "member" at the top) to the path; returns the
 * length to truncate back to. */
static gsize push_member(vstate *st, const char *member)
{
    gsize at = st->path->len;
    if (at)
        g_string_append_c(st->path, '.');
    gsize first = st->path->len;
    g_string_append(st->path, member);
    if (st->v->lower_first && member[0])
        st->path->str[first] = g_ascii_tolower(member[0]);
    return at;
}

static void check_structure(vstate *st, const cJSON *shape, const cJSON *v)
{
    if (!cJSON_IsObject(v)) {
        wrong_type(st, st->path->len ? st->path->str : "input", "a structure");
        return;
    }
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(shape, "required");
    const cJSON *members = cJSON_GetObjectItemCaseSensitive(shape, "members");
    const cJSON *m;
    cJSON_ArrayForEach(m, members) {
        const cJSON *val = cJSON_GetObjectItemCaseSensitive(v, m->string);
        bool required = false;
        const cJSON *r;
        cJSON_ArrayForEach(r, req)
            if (g_strcmp0(r->valuestring, m->string) == 0)
                required = true;
        if ((!val || cJSON_IsNull(val)) && !required)
            continue;
        gsize back = push_member(st, m->string);
        if (!val || cJSON_IsNull(val))
            violation(st, NULL, st->path->str, "Member must not be null");
        else
            check(st, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "s")), val);
        g_string_truncate(st->path, back);
    }
}

static void check(vstate *st, const char *shape_name, const cJSON *v)
{
    const cJSON *shape = g_hash_table_lookup(st->v->shapes, shape_name);
    if (!shape)
        return;
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(shape, "type"));
    if (g_strcmp0(type, "structure") == 0) {
        check_structure(st, shape, v);
    } else if (g_strcmp0(type, "string") == 0) {
        check_string(st, shape, v, st->path->str);
    } else if (g_strcmp0(type, "integer") == 0 || g_strcmp0(type, "long") == 0) {
        check_number(st, shape, v, st->path->str, true);
    } else if (g_strcmp0(type, "float") == 0 || g_strcmp0(type, "double") == 0) {
        check_number(st, shape, v, st->path->str, false);
    } else if (g_strcmp0(type, "boolean") == 0) {
        if (!cJSON_IsBool(v))
            wrong_type(st, st->path->str, "a boolean");
    } else if (g_strcmp0(type, "timestamp") == 0) {
        if (!cJSON_IsString(v) && !cJSON_IsNumber(v))
            wrong_type(st, st->path->str, "a timestamp");
    } else if (g_strcmp0(type, "blob") == 0) {
        if (!cJSON_IsString(v))
            wrong_type(st, st->path->str, "a blob (base64 text)");
    } else if (g_strcmp0(type, "list") == 0) {
        if (!cJSON_IsArray(v)) {
            wrong_type(st, st->path->str, "a list");
            return;
        }
        check_length(st, shape, v, st->path->str, cJSON_GetArraySize(v));
        const char *ms = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(shape, "member"));
        int i = 1;
        const cJSON *e;
        gsize back = st->path->len;
        cJSON_ArrayForEach(e, v) {
            g_string_append_printf(st->path, ".%d.member", i++);
            check(st, ms, e);
            g_string_truncate(st->path, back);
        }
    } else if (g_strcmp0(type, "map") == 0) {
        if (!cJSON_IsObject(v)) {
            wrong_type(st, st->path->str, "a map");
            return;
        }
        check_length(st, shape, v, st->path->str, cJSON_GetArraySize(v));
        const char *ks = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(shape, "key"));
        const char *vs = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(shape, "value"));
        const cJSON *e;
        gsize back = st->path->len;
        cJSON_ArrayForEach(e, v) {
            cJSON *key = cJSON_CreateString(e->string);
            g_string_append_printf(st->path, ".%s.key", e->string);
            check(st, ks, key);
            g_string_truncate(st->path, back);
            g_string_append_printf(st->path, ".%s.value", e->string);
            check(st, vs, e);
            g_string_truncate(st->path, back);
            cJSON_Delete(key);
        }
    }
}

/* The code a service answers with for input that fails its constraints. */
static const char *validation_code(const char *prefix, const char *protocol)
{
    if (g_strcmp0(prefix, "ram") == 0)
        return "InvalidParameterException";
    if (g_strcmp0(protocol, "query") == 0)
        return "ValidationError";
    if (g_strcmp0(protocol, "rest-xml") == 0)
        return "InvalidArgument";
    if (g_strcmp0(protocol, "ec2") == 0)
        return "InvalidParameterValue";
    return "ValidationException";
}

bool shapes_validate(const shapes *cs, const char *prefix, const char *op,
                     const cJSON *input, const char **code, char **message)
{
    shapes *s = (shapes *)cs;  /* the regex cache is a memo, not state */
    const svc *v;
    const cJSON *o = find_op(s, prefix, op, &v);
    const char *in = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "in"));
    if (!o || !in)
        return true;
    cJSON *empty = NULL;
    if (!input)
        input = empty = cJSON_CreateObject();
    vstate st = { .s = s, .v = v, .errors = g_ptr_array_new_with_free_func(g_free),
                  .path = g_string_sized_new(64) };
    check(&st, in, input);
    cJSON_Delete(empty);
    bool ok = true;
    if (st.type_error) {
        ok = false;
        *code = g_strcmp0(v->protocol, "query") == 0 ? "ValidationError"
              : g_strcmp0(v->protocol, "ec2") == 0 ? "InvalidParameterValue"
              : "SerializationException";
        *message = st.type_message;
        st.type_message = NULL;
    } else if (st.errors->len > 0) {
        ok = false;
        bool missing_only = g_strcmp0(prefix, "ram") == 0;
        for (guint i = 0; i < st.errors->len; i++)
            if (!g_str_has_suffix(st.errors->pdata[i], "Member must not be null"))
                missing_only = false;
        if (missing_only) {
            /* RAM names the first missing member in its own exception. */
            const char *p = strstr(st.errors->pdata[0], "at '") + 4;
            *code = "MissingRequiredParameterException";
            *message = g_strdup_printf("The request is missing the required parameter: %.*s",
                                       (int)(strchr(p, '\'') - p), p);
        } else {
            *code = validation_code(prefix, v->protocol);
            GString *m = g_string_new(NULL);
            g_string_printf(m, "%u validation error%s detected: ", st.errors->len,
                            st.errors->len == 1 ? "" : "s");
            for (guint i = 0; i < st.errors->len; i++)
                g_string_append_printf(m, "%s%s", i ? "; " : "", (char *)st.errors->pdata[i]);
            *message = g_string_free(m, FALSE);
        }
    }
    g_free(st.type_message);
    g_ptr_array_unref(st.errors);
    g_string_free(st.path, TRUE);
    return ok;
}

/* ---- unknown members -------------------------------------------------------- */

static bool unknown_in(const svc *v, const char *shape_name, const cJSON *in,
                       const char *path, char **out_path, char **suggest)
{
    const cJSON *shape = g_hash_table_lookup(v->shapes, shape_name);
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(shape, "type"));
    if (!shape || !type)
        return false;
    if (strcmp(type, "structure") == 0 && cJSON_IsObject(in)) {
        const cJSON *members = cJSON_GetObjectItemCaseSensitive(shape, "members"), *e;
        cJSON_ArrayForEach(e, in) {
            const cJSON *m = cJSON_GetObjectItemCaseSensitive(members, e->string);
            g_autofree char *p = *path ? g_strdup_printf("%s.%s", path, e->string)
                                       : g_strdup(e->string);
            if (!m) {
                GPtrArray *names = g_ptr_array_new();
                const cJSON *x;
                cJSON_ArrayForEach(x, members)
                    g_ptr_array_add(names, x->string);
                *suggest = jload_suggest(e->string, (const char *const *)names->pdata, names->len);
                g_ptr_array_unref(names);
                *out_path = g_steal_pointer(&p);
                return true;
            }
            const char *ms = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "s"));
            if (unknown_in(v, ms, e, p, out_path, suggest))
                return true;
        }
    } else if (strcmp(type, "list") == 0 && cJSON_IsArray(in)) {
        const char *ms = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(shape, "member"));
        int i = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, in) {
            g_autofree char *p = g_strdup_printf("%s[%d]", path, i++);
            if (unknown_in(v, ms, e, p, out_path, suggest))
                return true;
        }
    } else if (strcmp(type, "map") == 0 && cJSON_IsObject(in)) {
        const char *vs = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(shape, "value"));
        const cJSON *e;
        cJSON_ArrayForEach(e, in) {
            g_autofree char *p = g_strdup_printf("%s.%s", path, e->string);
            if (unknown_in(v, vs, e, p, out_path, suggest))
                return true;
        }
    }
    return false;
}

bool shapes_unknown_member(const shapes *s, const char *prefix, const char *op,
                           const cJSON *input, char **path, char **suggest)
{
    const svc *v;
    const cJSON *o = find_op(s, prefix, op, &v);
    const char *in = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "in"));
    *path = NULL;
    *suggest = NULL;
    if (!o || !in || !input)
        return false;
    return unknown_in(v, in, input, "", path, suggest);
}

GPtrArray *shapes_input_members(const shapes *s, const char *prefix, const char *op)
{
    const svc *v;
    const cJSON *o = find_op(s, prefix, op, &v);
    if (!o)
        return NULL;
    GPtrArray *names = g_ptr_array_new();
    const char *in = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "in"));
    const cJSON *shape = in ? g_hash_table_lookup(v->shapes, in) : NULL, *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(shape, "members"))
        g_ptr_array_add(names, m->string);
    return names;
}
