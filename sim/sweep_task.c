/* sim/sweep_task.c: one task of a sweep, and the metrics of its run (SW1).
 *
 * A task's folder is DIR/tasks/NNNNNN: run/ holds the run's outputs,
 * result.json (written whole, last) says the task finished and carries the
 * plan's hash, the run's digest and the metric values.  A folder without a
 * result of this plan is half-finished: it is emptied and the task run
 * again.  A lock file beside it (flock) makes a second run-one of the same
 * task wait for the first, then find it finished. */
#include "sim/sweep.h"

#include "model/base/json.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "model/base/duration.h"
#include "model/world.h"
#include "sim/jsonpos.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/wfile.h"

static bool fail(GError **error, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static bool fail(GError **error, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *m = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(error, SWEEP_ERROR, code, m);
    return false;
}

/* ---- metrics -------------------------------------------------------------------------- */

/* Calls fn for every record of account's log (its crossimDeliveryTime kept). */
typedef bool (*each_fn)(void *user, const cJSON *rec);

static bool each_record(const char *out_dir, const char *account, each_fn fn, void *user,
                        GError **error)
{
    g_autofree char *name = g_strdup_printf("%s.jsonl", account);
    g_autofree char *path = g_build_filename(out_dir, "trail", name, NULL);
    if (!g_file_test(path, G_FILE_TEST_EXISTS))
        return true;
    GError *e = NULL;
    g_autoptr(GMappedFile) f = g_mapped_file_new(path, FALSE, &e);
    if (!f) {
        fail(error, SWEEP_ERROR_IO, "%s", e->message);
        g_error_free(e);
        return false;
    }
    const char *p = g_mapped_file_get_contents(f), *end = p + g_mapped_file_get_length(f);
    for (guint line = 1; p && p < end; line++) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        gsize len = nl ? (gsize)(nl - p) : (gsize)(end - p);
        cJSON *rec = cJSON_ParseWithLength(p, len);
        if (!rec)
            return fail(error, SWEEP_ERROR_IO, "%s:%u: not a record", path, line);
        bool more = fn(user, rec);
        cJSON_Delete(rec);
        if (!more)
            break;
        p += len + 1;
    }
    return true;
}

typedef struct counter { const cJSON *of; double n; } counter;

static bool count_one(void *user, const cJSON *rec)
{
    counter *c = user;
    if (scen_match(rec, c->of))
        c->n++;
    return true;
}

/* The first record matching `of` at or after `after` (epoch seconds). */
typedef struct first { const cJSON *of; int64_t after, at; bool found, delivered; } first;

static bool first_one(void *user, const cJSON *rec)
{
    first *f = user;
    if (!scen_match(rec, f->of))
        return true;
    int64_t t;
    const char *field = f->delivered ? "crossimDeliveryTime" : "eventTime";
    if (!time_parse_iso(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, field)), &t) ||
        t < f->after)
        return true;
    if (!f->found || t < f->at)
        f->at = t;
    f->found = true;
    return true;    /* a log is in delivery order, not event order: read it all */
}

static double reduce(sweep_reduce how, const GArray *v)
{
    double acc = how == REDUCE_MIN ? INFINITY : how == REDUCE_MAX ? -INFINITY : 0;
    for (guint i = 0; i < v->len; i++) {
        double x = g_array_index(v, double, i);
        acc = how == REDUCE_MIN ? fmin(acc, x) : how == REDUCE_MAX ? fmax(acc, x) : acc + x;
    }
    return how == REDUCE_MEAN ? acc / v->len : acc;
}

cJSON *sweep_metric_values(const sweep_metric *m, const char *out_dir, const cJSON *summary,
                           const GPtrArray *accounts, const char *from_id, const char *to_id,
                           guint *unmatched, GError **error)
{
    *unmatched = 0;
    cJSON *out = cJSON_CreateArray();
    if (m->kind == METRIC_SUMMARY) {
        /* A pointer into summary.json: a number, or a boolean as 0 or 1.
         * Absent (an error code never seen) or of another kind: no value. */
        const cJSON *at = sweep_pointer_get(summary, m->pointer);
        if (cJSON_IsNumber(at))
            cJSON_AddItemToArray(out, cJSON_CreateNumber(at->valuedouble));
        else if (cJSON_IsBool(at))
            cJSON_AddItemToArray(out, cJSON_CreateNumber(cJSON_IsTrue(at) ? 1 : 0));
        else
            *unmatched = 1;
        return out;
    }
    if (m->kind == METRIC_COUNT) {
        counter c = { .of = m->of };
        for (guint i = 0; i < accounts->len; i++)
            if ((!to_id || strcmp(to_id, accounts->pdata[i]) == 0) &&
                !each_record(out_dir, accounts->pdata[i], count_one, &c, error)) {
                cJSON_Delete(out);
                return NULL;
            }
        cJSON_AddItemToArray(out, cJSON_CreateNumber(c.n));
        return out;
    }
    /* METRIC_BETWEEN: from the first `from` in from_id to the first `to` at
     * or after it, in each account (to_id alone when named; else every
     * account with a log but from_id). */
    first f = { .of = m->from, .after = INT64_MIN, .delivered = m->from_delivered };
    if (!each_record(out_dir, from_id, first_one, &f, error)) {
        cJSON_Delete(out);
        return NULL;
    }
    g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(double));
    for (guint i = 0; i < accounts->len; i++) {
        const char *acc = accounts->pdata[i];
        if (to_id ? strcmp(to_id, acc) != 0 : strcmp(from_id, acc) == 0)
            continue;
        first t = { .of = m->of, .after = f.found ? f.at : INT64_MAX, .delivered = m->to_delivered };
        if (f.found && !each_record(out_dir, acc, first_one, &t, error)) {
            cJSON_Delete(out);
            return NULL;
        }
        if (!t.found) {
            (*unmatched)++;
            continue;
        }
        double d = (double)(t.at - f.at);
        g_array_append_val(v, d);
    }
    if (m->reduce == REDUCE_EACH) {
        for (guint i = 0; i < v->len; i++)
            cJSON_AddItemToArray(out, cJSON_CreateNumber(g_array_index(v, double, i)));
    } else if (v->len) {
        cJSON_AddItemToArray(out, cJSON_CreateNumber(reduce(m->reduce, v)));
    }
    return out;
}

/* ---- run-one ---------------------------------------------------------------------------- */

/* result.json of this plan in task dir t: the parsed result, or NULL. */
static cJSON *finished_result(const sweep_plan *p, const char *t)
{
    g_autofree char *path = g_build_filename(t, "result.json", NULL);
    g_autofree char *text = NULL;
    gsize len;
    if (!g_file_get_contents(path, &text, &len, NULL))
        return NULL;
    cJSON *r = cJSON_ParseWithLength(text, len);
    if (!r || g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "plan")), p->hash)) {
        cJSON_Delete(r);
        return NULL;
    }
    return r;
}

static const char *resolve(const scenario *s, const char *name)
{
    const world_account *a = name ? world_account_get(s->world, name) : NULL;
    return a ? world_account_id(a) : NULL;
}

bool sweep_run_one(const char *dir, guint index, FILE *msg, bool *skipped, GError **error)
{
    *skipped = false;
    g_autoptr(sweep_plan) p = sweep_plan_read(dir, error);
    if (!p)
        return false;
    if (index >= p->tasks)
        return fail(error, SWEEP_ERROR_INPUT, "%s: the plan has tasks 0 to %u, not %u", dir,
                    p->tasks - 1, index);
    g_autofree char *t = sweep_task_dir(p, index);
    g_autofree char *lock = g_strconcat(t, ".lock", NULL);
    int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (lfd < 0)
        return fail(error, SWEEP_ERROR_IO, "cannot open %s: %s", lock, g_strerror(errno));
    while (flock(lfd, LOCK_EX) != 0 && errno == EINTR)
        ;
    const sweep_variant *v = p->variants->pdata[index / p->seeds->len];
    uint64_t seed = g_array_index(p->seeds, uint64_t, index % p->seeds->len);
    cJSON *done = finished_result(p, t);
    if (done) {
        if (msg)
            fprintf(msg, "task %u: finished earlier (digest sha256:%s), skipped\n", index,
                    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(done, "digest")));
        cJSON_Delete(done);
        close(lfd);
        *skipped = true;
        return true;
    }
    wfile_remove_tree(t);       /* half-finished, or of another plan: redone whole */
    g_autofree char *out = g_build_filename(t, "run", NULL);
    if (g_mkdir_with_parents(out, 0755) != 0) {
        int err = errno;
        close(lfd);
        return fail(error, SWEEP_ERROR_IO, "cannot create %s: %s", out, g_strerror(err));
    }
    g_autofree char *file = g_build_filename(p->dir, v->file, NULL);
    scenario *s = scen_load(file, &seed, error);
    if (!s) {
        close(lfd);
        sweep_error_as(error, SWEEP_ERROR_INPUT);
        return false;
    }
    /* Accounts the metrics name, resolved before the run changes the world. */
    GPtrArray *from_ids = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *to_ids = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < p->metrics->len; i++) {
        const sweep_metric *m = p->metrics->pdata[i];
        g_ptr_array_add(from_ids, g_strdup(resolve(s, m->from_account)));
        g_ptr_array_add(to_ids, g_strdup(resolve(s, m->account)));
    }
    run_opts o = { .out_dir = out };
    run_result r;
    bool ok = run_scenario(s, &o, &r, error);
    cJSON *res = NULL;
    if (ok) {
        res = cJSON_CreateObject();
        cJSON_AddStringToObject(res, "plan", p->hash);
        cJSON_AddNumberToObject(res, "task", index);
        cJSON_AddStringToObject(res, "variant", v->label);
        cJSON_AddNumberToObject(res, "seed", (double)seed);
        cJSON_AddStringToObject(res, "digest", r.digest);
        cJSON_AddNumberToObject(res, "expectationsPassed", r.passed);
        cJSON_AddNumberToObject(res, "expectationsFailed", r.failed);
        cJSON_AddNumberToObject(res, "events", (double)r.events);
        cJSON *ms = cJSON_AddObjectToObject(res, "metrics");
        for (guint i = 0; ok && i < p->metrics->len; i++) {
            const sweep_metric *m = p->metrics->pdata[i];
            guint unmatched = 0;
            cJSON *vals = sweep_metric_values(m, out, r.summary, r.accounts, from_ids->pdata[i],
                                              to_ids->pdata[i], &unmatched, error);
            if (!vals) {
                ok = false;
                break;
            }
            cJSON *x = cJSON_AddObjectToObject(ms, m->name);
            cJSON_AddItemToObject(x, "values", vals);
            cJSON_AddNumberToObject(x, "unmatched", unmatched);
        }
    } else {
        sweep_error_as(error, SWEEP_ERROR_IO);
    }
    if (ok) {
        g_autofree char *text = cJSON_Print(res);
        g_autofree char *path = g_build_filename(t, "result.json", NULL);
        GError *e = NULL;
        if (!wfile_write(path, text, strlen(text), &e)) {      /* last: the task is finished */
            fail(error, SWEEP_ERROR_IO, "%s", e->message);
            g_error_free(e);
            ok = false;
        }
    }
    if (ok && msg)
        fprintf(msg, "task %u: variant %s, seed %" G_GUINT64_FORMAT ": %u expectations held, "
                "%u failed, digest sha256:%s\n", index, *v->label ? v->label : "base", seed,
                r.passed, r.failed, r.digest);
    cJSON_Delete(res);
    g_ptr_array_unref(from_ids);
    g_ptr_array_unref(to_ids);
    run_result_clear(&r);
    scen_free(s);
    close(lfd);
    return ok;
}
