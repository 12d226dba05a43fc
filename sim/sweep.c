/* sim/sweep.c: sweep files and plans (SW1); see sweep.h.
 *
 * A sweep file names a base scenario, the seeds, the variants (JSON-pointer
 * overrides of the scenario: an object of pointer -> list of values, whose
 * product is the variants, or a list of {"name", "set"}) and the metrics.
 * Planning checks all of it, including every variant's scenario, before it
 * writes anything; plan.json is then the only input of run-one and merge,
 * read back through the same checks. */
#include "sim/sweep.h"

#include "model/base/json.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "model/base/jload.h"
#include "sim/jsonpos.h"
#include "sim/recorder.h"
#include "sim/scenario.h"
#include "sim/sha256.h"
#include "sim/wfile.h"

#define MAX_ERRORS 25
#define MAX_TASKS  1000000

G_DEFINE_QUARK(crossim-sweep-error-quark, sweep_error)

typedef struct sl {
    jload    j;
    jdoc    *doc;
    GString *errors;
} sl;

static void report(void *user, const cJSON *node, bool at_key, const char *path, const char *msg)
{
    sl *l = user;
    g_autofree char *line = jdoc_where(l->doc, node, at_key, path, msg);
    g_autofree char *shown = jdoc_printable(line);
    g_string_append_printf(l->errors, "%s%s", l->errors->len ? "\n" : "", shown);
}

static bool finish(sl *l, const char *file, GError **error)
{
    if (!l->j.n_errors)
        return true;
    if (l->j.n_errors > MAX_ERRORS)
        g_string_append_printf(l->errors, "\n%s: and %d more problems", file,
                               l->j.n_errors - MAX_ERRORS);
    g_set_error_literal(error, SWEEP_ERROR, SWEEP_ERROR_INPUT, l->errors->str);
    return false;
}

static void metric_free(gpointer p)
{
    sweep_metric *m = p;
    g_free(m->name);
    g_free(m->pointer);
    g_free(m->account);
    g_free(m->from_account);
    cJSON_Delete(m->of);
    cJSON_Delete(m->from);
    g_free(m);
}

static void variant_free(gpointer p)
{
    sweep_variant *v = p;
    g_free(v->label);
    g_free(v->file);
    cJSON_Delete(v->set);
    g_free(v);
}

void sweep_plan_free(sweep_plan *p)
{
    if (!p)
        return;
    g_free(p->dir);
    g_free(p->name);
    g_free(p->hash);
    g_ptr_array_unref(p->variants);
    g_array_unref(p->seeds);
    g_ptr_array_unref(p->metrics);
    g_free(p);
}

static sweep_plan *plan_new(void)
{
    sweep_plan *p = g_new0(sweep_plan, 1);
    p->variants = g_ptr_array_new_with_free_func(variant_free);
    p->seeds = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    p->metrics = g_ptr_array_new_with_free_func(metric_free);
    return p;
}

char *sweep_task_dir(const sweep_plan *p, guint index)
{
    char name[16];
    g_snprintf(name, sizeof name, "%06u", index);
    return g_build_filename(p->dir, "tasks", name, NULL);
}

/* ---- JSON pointers (RFC 6901) --------------------------------------------------- */

/* The next reference token of *ptr (after its '/'), unescaped; NULL at the end. */
static char *next_token(const char **ptr)
{
    if (**ptr != '/')
        return NULL;
    const char *s = *ptr + 1, *end = strchr(s, '/');
    gsize n = end ? (gsize)(end - s) : strlen(s);
    GString *t = g_string_sized_new(n);
    for (gsize i = 0; i < n; i++) {
        if (s[i] == '~' && i + 1 < n && (s[i + 1] == '0' || s[i + 1] == '1')) {
            g_string_append_c(t, s[i + 1] == '0' ? '~' : '/');
            i++;
        } else {
            g_string_append_c(t, s[i]);
        }
    }
    *ptr = s + n;
    return g_string_free(t, FALSE);
}

static bool array_index(const char *tok, int size, int *out)
{
    if (!*tok || (tok[0] == '0' && tok[1]) || strspn(tok, "0123456789") != strlen(tok) ||
        strlen(tok) > 9)
        return false;
    *out = atoi(tok);
    return *out < size;
}

const cJSON *sweep_pointer_get(const cJSON *root, const char *ptr)
{
    const cJSON *at = root;
    const char *p = ptr;
    char *tok;
    while (at && (tok = next_token(&p))) {
        int idx;
        at = cJSON_IsArray(at) ? (array_index(tok, cJSON_GetArraySize(at), &idx)
                                  ? cJSON_GetArrayItem(at, idx) : NULL)
           : cJSON_IsObject(at) ? cJSON_GetObjectItemCaseSensitive(at, tok) : NULL;
        g_free(tok);
    }
    return *p ? NULL : at;
}

/* A copy of v without its member name (v may be a member of the set). */
static cJSON *bare_copy(const cJSON *v)
{
    cJSON *c = cJSON_Duplicate(v, 1);
    if (c && c->string && !(c->type & cJSON_StringIsConst))
        cJSON_free(c->string);
    if (c)
        c->string = NULL;
    return c;
}

/* Sets the value at ptr in root to a copy of value.  Members missing on the
 * way are created as objects; an array index must exist.  false with *why. */
static bool pointer_set(cJSON *root, const char *ptr, const cJSON *value, char **why)
{
    if (!*ptr || *ptr != '/') {
        *why = g_strdup("a JSON pointer starts with \"/\" (e.g. /accounts/111111111111/quotas)");
        return false;
    }
    cJSON *at = root;
    const char *p = ptr;
    char *tok;
    while ((tok = next_token(&p))) {
        bool last = *p == '\0';
        cJSON *child = NULL;
        int idx = 0;
        if (cJSON_IsObject(at)) {
            child = cJSON_GetObjectItemCaseSensitive(at, tok);
            if (last) {
                cJSON *copy = bare_copy(value);
                if (child)
                    cJSON_ReplaceItemInObjectCaseSensitive(at, tok, copy);
                else
                    cJSON_AddItemToObject(at, tok, copy);
            } else if (!child) {
                child = cJSON_AddObjectToObject(at, tok);
            }
        } else if (cJSON_IsArray(at)) {
            if (!array_index(tok, cJSON_GetArraySize(at), &idx)) {
                *why = g_strdup_printf("\"%s\" is not an index of the list there (0 to %d)", tok,
                                       cJSON_GetArraySize(at) - 1);
                g_free(tok);
                return false;
            }
            child = cJSON_GetArrayItem(at, idx);
            if (last)
                cJSON_ReplaceItemInArray(at, idx, bare_copy(value));
        } else {
            *why = g_strdup_printf("the scenario has %s before \"%s\", not an object or a list",
                                   jload_type_name(at), tok);
            g_free(tok);
            return false;
        }
        g_free(tok);
        at = child;
    }
    return true;
}

/* The last token of a pointer, for variant labels. */
static char *pointer_tail(const char *ptr)
{
    const char *p = ptr;
    char *tok, *last = NULL;
    while ((tok = next_token(&p))) {
        g_free(last);
        last = tok;
    }
    return last ? last : g_strdup(ptr);
}

static char *value_text(const cJSON *v)
{
    if (cJSON_IsString(v))
        return g_strdup(v->valuestring);
    return cJSON_PrintUnformatted(v);
}

/* ---- metrics --------------------------------------------------------------------- */

static const char *const metric_keys[] = { "summary", "count", "between", "reduce", "note", NULL };
static const char *const count_keys[] = { "account", "of", NULL };
static const char *const between_keys[] = { "from", "to", NULL };
static const char *const end_keys[] = { "account", "of", "time", NULL };

static void check_fields(sl *l, const cJSON *m, const char *path)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, m) {
        char *near = NULL;
        if (rec_field_known(f->string, &near))
            continue;
        g_autofree char *full = jload_sub(path, f->string);
        jload_err(&l->j, f, TRUE, full, "no record crossim writes has a field \"%s\"%s%s%s",
                  f->string, near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
        g_free(near);
    }
}

/* {"account"?, "of": {...}, "time"?} into *account, *of and *delivered. */
static void load_end(sl *l, const cJSON *obj, const char *path, const char *const *keys,
                     bool need_account, char **account, cJSON **of, bool *delivered)
{
    if (!cJSON_IsObject(obj)) {
        jload_err(&l->j, obj, FALSE, path, "an object: {\"account\": ..., \"of\": {...}}");
        return;
    }
    jload_check_keys(&l->j, obj, path, keys);
    *account = g_strdup(jload_str(&l->j, obj, "account", path, need_account));
    const char *time = delivered ? jload_str(&l->j, obj, "time", path, false) : NULL;
    if (time && strcmp(time, "event") != 0 && strcmp(time, "delivered") != 0)
        jload_err(&l->j, jload_member(obj, "time"), FALSE, path, "time is \"event\" (the record's "
                  "eventTime, the default) or \"delivered\" (when it reached the log), not \"%s\"", time);
    if (delivered)
        *delivered = time && strcmp(time, "delivered") == 0;
    const cJSON *m = jload_obj(&l->j, obj, "of", path, true);
    if (m) {
        g_autofree char *mp = jload_sub(path, "of");
        check_fields(l, m, mp);
        *of = cJSON_Duplicate(m, 1);
    }
}

static void load_metrics(sl *l, const cJSON *obj, GPtrArray *out)
{
    if (!cJSON_IsObject(obj) || !cJSON_GetArraySize(obj)) {
        jload_err(&l->j, obj, FALSE, "metrics", "metrics is an object of at least one metric: "
                  "{\"name\": {\"summary\": \"/json/pointer\"} | {\"count\": ...} | {\"between\": ...}}");
        return;
    }
    const cJSON *mj;
    cJSON_ArrayForEach(mj, obj) {
        g_autofree char *path = jload_sub("metrics", mj->string);
        if (!cJSON_IsObject(mj)) {
            jload_err(&l->j, mj, FALSE, path, "a metric is an object with summary, count or between");
            continue;
        }
        jload_check_keys(&l->j, mj, path, metric_keys);
        sweep_metric *m = g_new0(sweep_metric, 1);
        m->name = g_strdup(mj->string);
        g_ptr_array_add(out, m);
        const cJSON *sum = jload_member(mj, "summary"), *cnt = jload_member(mj, "count"),
                    *btw = jload_member(mj, "between");
        if ((sum != NULL) + (cnt != NULL) + (btw != NULL) != 1) {
            jload_err(&l->j, mj, FALSE, path, "a metric has exactly one of summary, count, between");
            continue;
        }
        const char *reduce = jload_str(&l->j, mj, "reduce", path, false);
        jload_str(&l->j, mj, "note", path, false);
        if (reduce && !btw)
            jload_err(&l->j, jload_member(mj, "reduce"), FALSE, path,
                      "reduce applies to a between metric only (the others give one value a run)");
        if (sum) {
            m->kind = METRIC_SUMMARY;
            m->pointer = g_strdup(jload_str(&l->j, mj, "summary", path, true));
            if (m->pointer && m->pointer[0] != '/')
                jload_err(&l->j, sum, FALSE, path, "\"%s\" is not a JSON pointer into summary.json "
                          "(e.g. /expectations/failed)", m->pointer);
        } else if (cnt) {
            m->kind = METRIC_COUNT;
            g_autofree char *cp = jload_sub(path, "count");
            load_end(l, cnt, cp, count_keys, false, &m->account, &m->of, NULL);
        } else {
            m->kind = METRIC_BETWEEN;
            g_autofree char *bp = jload_sub(path, "between");
            if (!cJSON_IsObject(btw)) {
                jload_err(&l->j, btw, FALSE, bp, "between is {\"from\": {...}, \"to\": {...}}");
                continue;
            }
            jload_check_keys(&l->j, btw, bp, between_keys);
            g_autofree char *fp = jload_sub(bp, "from"), *tp = jload_sub(bp, "to");
            const cJSON *from = jload_obj(&l->j, btw, "from", bp, true),
                        *to = jload_obj(&l->j, btw, "to", bp, true);
            if (from)
                load_end(l, from, fp, end_keys, true, &m->from_account, &m->from, &m->from_delivered);
            if (to)
                load_end(l, to, tp, end_keys, false, &m->account, &m->of, &m->to_delivered);
            static const char *const names[] = { "each", "max", "min", "mean", "sum" };
            m->reduce = REDUCE_EACH;
            gsize k;
            for (k = 0; reduce && k < G_N_ELEMENTS(names) && strcmp(reduce, names[k]); k++)
                ;
            if (reduce && k == G_N_ELEMENTS(names))
                jload_err(&l->j, jload_member(mj, "reduce"), FALSE, path,
                          "reduce is each, max, min, mean or sum, not \"%s\"", reduce);
            else if (reduce)
                m->reduce = (sweep_reduce)k;
        }
    }
}

/* Accounts a metric names, resolved in a variant's scenario: NULL and a
 * report when one is not there. */
static void check_accounts(sl *l, const cJSON *metrics, const GPtrArray *ms, const scenario *s,
                           const char *label)
{
    for (guint i = 0; i < ms->len; i++) {
        const sweep_metric *m = ms->pdata[i];
        const char *names[] = { m->account, m->from_account };
        for (int k = 0; k < 2; k++)
            if (names[k] && !world_account_get(s->world, names[k])) {
                g_autofree char *path = jload_sub("metrics", m->name);
                jload_err(&l->j, cJSON_GetObjectItemCaseSensitive(metrics, m->name), FALSE, path,
                          "\"%s\" is not an account of the scenario%s%s", names[k],
                          *label ? " in variant " : "", label);
            }
    }
}

/* ---- seeds and variants ------------------------------------------------------------ */

static void load_seeds(sl *l, const cJSON *v, GArray *out)
{
    if (cJSON_IsArray(v)) {
        const cJSON *e;
        int i = 0;
        cJSON_ArrayForEach(e, v) {
            g_autofree char *p = jload_idx("seeds", i++);
            if (!cJSON_IsNumber(e) || e->valuedouble < 0 || e->valuedouble > 9007199254740991.0 ||
                e->valuedouble != (double)(uint64_t)e->valuedouble) {
                jload_err(&l->j, e, FALSE, p, "a seed is a whole number from 0 to 2^53-1");
                continue;
            }
            uint64_t s = (uint64_t)e->valuedouble;
            g_array_append_val(out, s);
        }
    } else if (cJSON_IsObject(v)) {
        static const char *const keys[] = { "from", "count", NULL };
        jload_check_keys(&l->j, v, "seeds", keys);
        const cJSON *from = jload_member(v, "from"), *count = jload_member(v, "count");
        if (!cJSON_IsNumber(from) || from->valuedouble < 0 || from->valuedouble > 9e15 ||
            from->valuedouble != (double)(uint64_t)from->valuedouble)
            jload_err(&l->j, from ? from : v, FALSE, "seeds.from", "from is the first seed, a whole number");
        else if (!cJSON_IsNumber(count) || count->valuedouble < 1 || count->valuedouble > MAX_TASKS ||
                 count->valuedouble != (double)(int)count->valuedouble)
            jload_err(&l->j, count ? count : v, FALSE, "seeds.count",
                      "count is how many seeds, 1 to %d", MAX_TASKS);
        else
            for (int i = 0; i < (int)count->valuedouble; i++) {
                uint64_t s = (uint64_t)from->valuedouble + (uint64_t)i;
                g_array_append_val(out, s);
            }
    } else {
        jload_err(&l->j, v, FALSE, "seeds", "seeds is a list of seeds or {\"from\": 1, \"count\": 20}");
    }
    if (cJSON_IsArray(v) && out->len == 0)
        jload_err(&l->j, v, FALSE, "seeds", "a sweep needs at least one seed");
}

/* Every combination of the lists in obj (pointer -> [values]), the last
 * pointer varying fastest. */
static void product(sl *l, const cJSON *obj, GPtrArray *out)
{
    guint n = 1;
    const cJSON *e;
    bool ok = true;
    cJSON_ArrayForEach(e, obj) {
        g_autofree char *p = jload_sub("variants", e->string);
        if (!cJSON_IsArray(e) || !cJSON_GetArraySize(e)) {
            jload_err(&l->j, e, FALSE, p, "a list of the values to try at %s", e->string);
            ok = false;
            continue;
        }
        n *= (guint)cJSON_GetArraySize(e);
        if (n > MAX_TASKS) {
            jload_err(&l->j, e, FALSE, p, "more than %d variants", MAX_TASKS);
            return;
        }
    }
    if (!ok)
        return;
    for (guint k = 0; k < n; k++) {
        sweep_variant *v = g_new0(sweep_variant, 1);
        v->set = cJSON_CreateObject();
        GString *label = g_string_new(NULL);
        guint rest = k, stride = n;
        cJSON_ArrayForEach(e, obj) {
            guint size = (guint)cJSON_GetArraySize(e);
            stride /= size;
            const cJSON *val = cJSON_GetArrayItem(e, (int)(rest / stride));
            rest %= stride;
            cJSON_AddItemToObject(v->set, e->string, cJSON_Duplicate(val, 1));
            g_autofree char *tail = pointer_tail(e->string), *vt = value_text(val);
            g_string_append_printf(label, "%s%s=%s", label->len ? " " : "", tail, vt);
        }
        v->label = g_string_free(label, FALSE);
        g_ptr_array_add(out, v);
    }
}

static void load_variants(sl *l, const cJSON *v, GPtrArray *out)
{
    if (!v) {
        sweep_variant *one = g_new0(sweep_variant, 1);
        one->label = g_strdup("");
        one->set = cJSON_CreateObject();
        g_ptr_array_add(out, one);
        return;
    }
    if (cJSON_IsObject(v) && cJSON_GetArraySize(v)) {
        product(l, v, out);
    } else if (cJSON_IsArray(v) && cJSON_GetArraySize(v)) {
        static const char *const keys[] = { "name", "set", NULL };
        const cJSON *e;
        int i = 0;
        cJSON_ArrayForEach(e, v) {
            g_autofree char *p = jload_idx("variants", i++);
            if (!cJSON_IsObject(e)) {
                jload_err(&l->j, e, FALSE, p, "a variant is {\"name\": ..., \"set\": {\"/pointer\": value}}");
                continue;
            }
            jload_check_keys(&l->j, e, p, keys);
            const char *name = jload_str(&l->j, e, "name", p, true);
            const cJSON *set = jload_obj(&l->j, e, "set", p, true);
            for (guint k = 0; name && k < out->len; k++)
                if (strcmp(((sweep_variant *)out->pdata[k])->label, name) == 0)
                    jload_err(&l->j, jload_member(e, "name"), FALSE, p, "another variant is named \"%s\"", name);
            if (!name || !set)
                continue;
            if (!*name)
                jload_err(&l->j, jload_member(e, "name"), FALSE, p, "a variant's name is not empty");
            sweep_variant *one = g_new0(sweep_variant, 1);
            one->label = g_strdup(name);
            one->set = cJSON_Duplicate(set, 1);
            g_ptr_array_add(out, one);
        }
    } else {
        jload_err(&l->j, v, FALSE, "variants", "variants is {\"/json/pointer\": [values...]} (every "
                  "combination) or [{\"name\": ..., \"set\": {\"/json/pointer\": value}}]");
    }
}

/* ---- the sweep file ------------------------------------------------------------------ */

typedef struct sweep_file {
    char      *name, *description, *base;   /* base: the scenario's path */
    cJSON     *metrics;                     /* the file's metrics object, copied */
    sweep_plan *plan;
    GPtrArray *texts;                       /* char*: each variant's scenario, printed */
} sweep_file;

static void sweep_file_free(sweep_file *f)
{
    g_free(f->name);
    g_free(f->description);
    g_free(f->base);
    cJSON_Delete(f->metrics);
    sweep_plan_free(f->plan);
    if (f->texts)
        g_ptr_array_unref(f->texts);
    g_free(f);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sweep_file, sweep_file_free)

static const char *const sweep_keys[] = { "sweep", "description", "scenario", "seeds", "variants",
                                          "metrics", NULL };

void sweep_error_as(GError **error, int code)
{
    if (error && *error) {
        (*error)->domain = SWEEP_ERROR;
        (*error)->code = code;
    }
}

/* Each variant's scenario: the overrides applied to the base, then checked
 * whole as `crossim check` would. */
static void expand_variants(sl *l, sweep_file *f, const cJSON *root, const char *path,
                            const char *scen)
{
    g_autofree char *folder = g_path_get_dirname(path);
    f->base = g_path_is_absolute(scen) ? g_strdup(scen) : g_build_filename(folder, scen, NULL);
    GError *e = NULL;
    g_autoptr(jdoc) base = jdoc_load(f->base, &e);
    if (!base) {
        jload_err(&l->j, jload_member(root, "scenario"), FALSE, "scenario", "%s", e->message);
        g_error_free(e);
        return;
    }
    const cJSON *vars = jload_member(root, "variants"), *metrics = jload_member(root, "metrics");
    for (guint i = 0; i < f->plan->variants->len; i++) {
        sweep_variant *v = f->plan->variants->pdata[i];
        g_autoptr(cJSON) tree = cJSON_Duplicate(jdoc_root(base), 1);
        const cJSON *o;
        int before = l->j.n_errors;
        cJSON_ArrayForEach(o, v->set) {
            char *why = NULL;
            if (pointer_set(tree, o->string, o, &why))
                continue;
            bool product_form = cJSON_IsObject(vars);
            const cJSON *at = product_form ? cJSON_GetObjectItemCaseSensitive(vars, o->string)
                                           : cJSON_GetArrayItem(vars, (int)i);
            g_autofree char *p = product_form ? jload_sub("variants", o->string)
                                              : jload_idx("variants", (int)i);
            /* The product repeats a pointer in every variant: said once. */
            if (!product_form || i == 0 || before == l->j.n_errors)
                jload_err(&l->j, at ? at : vars, product_form, p, "%s: %s", o->string, why);
            g_free(why);
        }
        if (*v->label && cJSON_IsObject(tree)) {
            cJSON_DeleteItemFromObjectCaseSensitive(tree, "variant");
            cJSON_AddStringToObject(tree, "variant", v->label);
        }
        char *text = cJSON_Print(tree);
        g_ptr_array_add(f->texts, text);
        v->file = g_strdup_printf("variants/%03u.json", i);
        if (l->j.n_errors > before)
            continue;
        g_autofree char *name = g_strdup_printf("%s (variant %s)", f->base,
                                                *v->label ? v->label : "base");
        g_autoptr(scenario) s = scen_parse(name, text, strlen(text), &e);
        if (!s) {
            const cJSON *at = vars ? vars : jload_member(root, "scenario");
            g_auto(GStrv) lines = g_strsplit(e->message, "\n", -1);
            g_autofree char *joined = g_strjoinv("; ", lines);
            jload_err(&l->j, at, vars != NULL, vars ? "variants" : "scenario", "the scenario%s "
                      "is not valid: %s", *v->label ? " with this variant" : "", joined);
            g_clear_error(&e);
            continue;
        }
        check_accounts(l, metrics, f->plan->metrics, s, v->label);
    }
}

/* path read and parsed, and l set to report against it; NULL with *error. */
static jdoc *open_doc(const char *path, sl *l, GError **error)
{
    jdoc *doc = jdoc_load(path, error);
    if (!doc) {
        sweep_error_as(error, SWEEP_ERROR_INPUT);
        return NULL;
    }
    *l = (sl){ .j = { .report = report, .user = l, .max_errors = MAX_ERRORS }, .doc = doc,
               .errors = g_string_new(NULL) };
    return doc;
}

static sweep_file *load_sweep(const char *path, GError **error)
{
    sl l;
    g_autoptr(jdoc) doc = open_doc(path, &l, error);
    if (!doc)
        return NULL;
    g_autoptr(sweep_file) f = g_new0(sweep_file, 1);
    f->plan = plan_new();
    f->texts = g_ptr_array_new_with_free_func(g_free);
    const cJSON *root = jdoc_root(doc);
    if (!cJSON_IsObject(root)) {
        jload_err(&l.j, root, FALSE, "$", "a sweep is a JSON object (sweep, scenario, seeds, "
                  "variants, metrics)");
    } else {
        jload_check_keys(&l.j, root, "", sweep_keys);
        f->name = g_strdup(jload_str(&l.j, root, "sweep", "", true));
        f->description = g_strdup(jload_str(&l.j, root, "description", "", false));
        const char *scen = jload_str(&l.j, root, "scenario", "", true);
        const cJSON *seeds = jload_member(root, "seeds"), *metrics = jload_member(root, "metrics");
        if (!seeds)
            jload_err(&l.j, root, FALSE, "seeds", "a sweep needs seeds: [1, 2, 3] or "
                      "{\"from\": 1, \"count\": 20}");
        else
            load_seeds(&l, seeds, f->plan->seeds);
        load_variants(&l, jload_member(root, "variants"), f->plan->variants);
        if (!metrics)
            jload_err(&l.j, root, FALSE, "metrics", "a sweep needs metrics to gather");
        else
            load_metrics(&l, metrics, f->plan->metrics);
        if ((guint64)f->plan->seeds->len * f->plan->variants->len > MAX_TASKS)
            jload_err(&l.j, root, FALSE, "", "more than %d tasks", MAX_TASKS);
        if (scen && !l.j.n_errors)
            expand_variants(&l, f, root, path, scen);
        f->metrics = cJSON_Duplicate(metrics, 1);
    }
    bool ok = finish(&l, path, error);
    g_string_free(l.errors, TRUE);
    return ok ? g_steal_pointer(&f) : NULL;
}

/* ---- plan.json ------------------------------------------------------------------------ */

static cJSON *plan_json(const sweep_file *f, const char *sweep_path, const char *exe)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "sweep", f->name);
    if (f->description)
        cJSON_AddStringToObject(o, "description", f->description);
    cJSON_AddStringToObject(o, "file", sweep_path);
    cJSON_AddStringToObject(o, "scenario", f->base);
    cJSON_AddStringToObject(o, "crossim", exe);
    cJSON *seeds = cJSON_AddArrayToObject(o, "seeds");
    for (guint i = 0; i < f->plan->seeds->len; i++)
        cJSON_AddItemToArray(seeds, cJSON_CreateNumber((double)g_array_index(f->plan->seeds, uint64_t, i)));
    cJSON *vars = cJSON_AddArrayToObject(o, "variants");
    for (guint i = 0; i < f->plan->variants->len; i++) {
        const sweep_variant *v = f->plan->variants->pdata[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", v->label);
        cJSON_AddItemToObject(x, "set", cJSON_Duplicate(v->set, 1));
        cJSON_AddStringToObject(x, "file", v->file);
        cJSON_AddItemToArray(vars, x);
    }
    cJSON_AddItemToObject(o, "metrics", cJSON_Duplicate(f->metrics, 1));
    cJSON_AddNumberToObject(o, "tasks", (double)(f->plan->seeds->len * f->plan->variants->len));
    return o;
}

static char *hash_of(const char *text)
{
    sha256 c;
    char hex[65];
    sha256_init(&c);
    sha256_update(&c, text, strlen(text));
    sha256_hex(&c, hex);
    return g_strdup(hex);
}

static const char *const plan_keys[] = { "sweep", "description", "file", "scenario", "crossim",
                                         "seeds", "variants", "metrics", "tasks", "plan", NULL };

sweep_plan *sweep_plan_read(const char *dir, GError **error)
{
    g_autofree char *path = g_build_filename(dir, "plan.json", NULL);
    sl l;
    g_autoptr(jdoc) doc = open_doc(path, &l, error);
    if (!doc)
        return NULL;
    sweep_plan *p = plan_new();
    p->dir = g_canonicalize_filename(dir, NULL);
    const cJSON *root = jdoc_root(doc);
    if (!cJSON_IsObject(root)) {
        jload_err(&l.j, root, FALSE, "$", "a plan is a JSON object");
        goto done;
    }
    jload_check_keys(&l.j, root, "", plan_keys);
    p->name = g_strdup(jload_str(&l.j, root, "sweep", "", true));
    const char *hash = jload_str(&l.j, root, "plan", "", true);
    load_seeds(&l, jload_member(root, "seeds"), p->seeds);
    const cJSON *vars = jload_list(&l.j, root, "variants", ""), *v;
    int i = 0;
    cJSON_ArrayForEach(v, vars) {
        g_autofree char *vp = jload_idx("variants", i);
        sweep_variant *x = g_new0(sweep_variant, 1);
        x->label = g_strdup(jload_str(&l.j, v, "name", vp, true));
        x->file = g_strdup(jload_str(&l.j, v, "file", vp, true));
        g_autofree char *want = g_strdup_printf("variants/%03d.json", i++);
        if (x->file && strcmp(x->file, want) != 0)     /* nothing read from outside the plan */
            jload_err(&l.j, jload_member(v, "file"), FALSE, vp, "the file is %s", want);
        const cJSON *set = jload_obj(&l.j, v, "set", vp, true);
        x->set = set ? cJSON_Duplicate(set, 1) : cJSON_CreateObject();
        g_ptr_array_add(p->variants, x);
    }
    if (!p->variants->len)
        jload_err(&l.j, root, FALSE, "variants", "a plan has at least one variant");
    const cJSON *metrics = jload_member(root, "metrics");
    if (metrics)
        load_metrics(&l, metrics, p->metrics);
    else
        jload_err(&l.j, root, FALSE, "metrics", "a plan has metrics");
    p->tasks = p->seeds->len * p->variants->len;
    if (!l.j.n_errors) {
        /* The hash covers the plan without its own member. */
        g_autoptr(cJSON) copy = cJSON_Duplicate(root, 1);
        cJSON_DeleteItemFromObjectCaseSensitive(copy, "plan");
        g_autofree char *text = cJSON_PrintUnformatted(copy);
        p->hash = hash_of(text);
        if (g_strcmp0(hash, p->hash) != 0)
            jload_err(&l.j, jload_member(root, "plan"), FALSE, "plan",
                      "the plan was changed after `crossim sweep plan` wrote it; plan again");
    }
done:;
    bool ok = finish(&l, path, error);
    g_string_free(l.errors, TRUE);
    if (!ok) {
        sweep_plan_free(p);
        return NULL;
    }
    return p;
}

static bool io_error(GError **error, const char *what, const char *path, int err)
{
    g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_IO, "cannot %s %s: %s", what, path, g_strerror(err));
    return false;
}

static bool write_text(const char *dir, const char *name, const char *text, GError **error)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    GError *e = NULL;
    if (!wfile_write(path, text, strlen(text), &e)) {
        g_set_error_literal(error, SWEEP_ERROR, SWEEP_ERROR_IO, e->message);
        g_error_free(e);
        return false;
    }
    return true;
}

/* The task list and the Slurm script. */
static bool write_runners(const char *dir, const char *exe, const char *name, guint tasks,
                          GError **error)
{
    g_autofree char *qexe = g_shell_quote(exe), *qdir = g_shell_quote(dir);
    GString *t = g_string_new(NULL);
    for (guint i = 0; i < tasks; i++)
        g_string_append_printf(t, "%s sweep run-one %s %u\n", qexe, qdir, i);
    bool ok = write_text(dir, "tasks.txt", t->str, error);
    g_string_free(t, TRUE);
    if (!ok)
        return false;
    g_autofree char *jobname = g_strdup(name);
    for (char *c = jobname; *c; c++)
        if (!g_ascii_isalnum(*c) && *c != '-' && *c != '_')
            *c = '_';
    g_autofree char *logs = g_build_filename(dir, "tasks", "slurm-%A_%a.out", NULL);
    g_autofree char *qlogs = g_shell_quote(logs);
    g_autofree char *list = g_build_filename(dir, "tasks.txt", NULL);
    g_autofree char *qlist = g_shell_quote(list);
    g_autofree char *script = g_strdup_printf(
        "#!/bin/sh\n"
        "# crossim sweep %s: one array task a line of tasks.txt; submit with\n"
        "#   sbatch %s/sweep.sbatch\n"
        "# then, when the array has finished: crossim sweep merge %s\n"
        "#SBATCH --job-name=crossim-%s\n"
        "#SBATCH --array=0-%u\n"
        "#SBATCH --output=%s\n"
        "#SBATCH --ntasks=1\n"
        "line=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" %s)\n"
        "[ -n \"$line\" ] || { echo \"no task $SLURM_ARRAY_TASK_ID in %s\" >&2; exit 2; }\n"
        "eval \"exec $line\"\n",
        name, dir, dir, jobname, tasks - 1, logs, qlist, list);
    (void)qlogs;
    return write_text(dir, "sweep.sbatch", script, error);
}

bool sweep_plan_write(const char *sweep_path, const char *dir, const char *exe, bool force,
                      guint *tasks, FILE *msg, GError **error)
{
    g_autoptr(sweep_file) f = load_sweep(sweep_path, error);
    if (!f)
        return false;
    g_autofree char *abs_sweep = g_canonicalize_filename(sweep_path, NULL);
    g_autofree char *abs_dir = g_canonicalize_filename(dir, NULL);
    g_autofree char *canon_base = g_canonicalize_filename(f->base, NULL);
    g_free(f->base);
    f->base = g_steal_pointer(&canon_base);
    g_autoptr(cJSON) pj = plan_json(f, abs_sweep, exe);
    g_autofree char *flat = cJSON_PrintUnformatted(pj);
    g_autofree char *hash = hash_of(flat);
    cJSON_AddStringToObject(pj, "plan", hash);
    *tasks = f->plan->seeds->len * f->plan->variants->len;

    /* The folder: new, empty, or holding this very plan (finished tasks kept). */
    g_autofree char *plan_path = g_build_filename(abs_dir, "plan.json", NULL);
    if (g_file_test(plan_path, G_FILE_TEST_EXISTS)) {
        GError *e = NULL;
        g_autoptr(sweep_plan) old = sweep_plan_read(abs_dir, &e);
        if (old && strcmp(old->hash, hash) == 0) {
            if (msg)
                fprintf(msg, "%s: the same plan is there already (%u tasks); finished tasks are kept\n",
                        dir, *tasks);
            return write_runners(abs_dir, exe, f->name, *tasks, error);
        }
        g_clear_error(&e);
        if (!force) {
            g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_INPUT, "%s holds another plan; give another "
                        "--out, or --force to replace it and its tasks' results", dir);
            return false;
        }
        static const char *const ours[] = { "tasks", "variants", "plan.json", "tasks.txt",
                                             "sweep.sbatch", "sweep.json", "sweep.csv" };
        for (gsize i = 0; i < G_N_ELEMENTS(ours); i++) {
            g_autofree char *p = g_build_filename(abs_dir, ours[i], NULL);
            wfile_remove_tree(p);
        }
    } else if (g_file_test(abs_dir, G_FILE_TEST_IS_DIR)) {
        GDir *d = g_dir_open(abs_dir, 0, NULL);
        bool empty = !d || !g_dir_read_name(d);
        if (d)
            g_dir_close(d);
        if (!empty) {
            g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_INPUT, "%s is not empty and holds no plan; "
                        "a sweep plans into a new or empty folder", dir);
            return false;
        }
    }
    g_autofree char *vdir = g_build_filename(abs_dir, "variants", NULL);
    g_autofree char *tdir = g_build_filename(abs_dir, "tasks", NULL);
    if (g_mkdir_with_parents(vdir, 0755) != 0)
        return io_error(error, "create", vdir, errno);
    if (g_mkdir_with_parents(tdir, 0755) != 0)
        return io_error(error, "create", tdir, errno);
    for (guint i = 0; i < f->plan->variants->len; i++) {
        const sweep_variant *v = f->plan->variants->pdata[i];
        g_autofree char *text = g_strconcat(f->texts->pdata[i], "\n", NULL);
        if (!write_text(abs_dir, v->file, text, error))
            return false;
    }
    if (!write_runners(abs_dir, exe, f->name, *tasks, error))
        return false;
    g_autofree char *text = cJSON_Print(pj);
    g_autofree char *nl = g_strconcat(text, "\n", NULL);
    if (!write_text(abs_dir, "plan.json", nl, error))   /* last: a plan exists only whole */
        return false;
    if (msg)
        fprintf(msg, "%s: %u tasks (%u variants x %u seeds); run them with\n"
                "  parallel -j N < %s/tasks.txt     (or sbatch %s/sweep.sbatch)\n"
                "then: crossim sweep merge %s\n", dir, *tasks, f->plan->variants->len,
                f->plan->seeds->len, dir, dir, dir);
    return true;
}
