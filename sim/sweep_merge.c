/* sim/sweep_merge.c: a sweep's finished tasks, merged into distributions (SW1).
 *
 * Per variant and metric, every value of every finished task of that
 * variant: n, mean, p50, p90, p99 (nearest rank: the smallest value with at
 * least p% of the values at or below it), min, max, and how many accounts
 * (BETWEEN) or runs (SUMMARY) gave no value.  Tasks without a result of
 * this plan are listed as missing.  Values are sorted before anything is
 * computed, so the merge of the same results is the same bytes whatever
 * order the tasks finished in. */
#include "sim/sweep.h"

#include "model/base/json.h"

#include <math.h>
#include <string.h>

#include "sim/wfile.h"

typedef struct stats { guint n; double mean, p50, p90, p99, min, max; } stats;

/* A whole, non-negative member, 0 when absent or anything else. */
static double number(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(x) && x->valuedouble >= 0 && x->valuedouble < 1e15 ? floor(x->valuedouble) : 0;
}

static int cmp_double(gconstpointer a, gconstpointer b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double rank(const GArray *v, double pct)
{
    guint k = (guint)ceil(pct / 100.0 * v->len);
    return g_array_index(v, double, k ? k - 1 : 0);
}

static stats stats_of(GArray *v)
{
    stats s = { .n = v->len };
    if (!v->len)
        return s;
    g_array_sort(v, cmp_double);
    double sum = 0;
    for (guint i = 0; i < v->len; i++)
        sum += g_array_index(v, double, i);
    s.mean = sum / v->len;
    s.p50 = rank(v, 50);
    s.p90 = rank(v, 90);
    s.p99 = rank(v, 99);
    s.min = g_array_index(v, double, 0);
    s.max = g_array_index(v, double, v->len - 1);
    return s;
}

/* A number as the CSV and the table show it: integers whole, others to 4 places. */
static void num(GString *o, double x)
{
    if (x == floor(x) && fabs(x) < 1e15)
        g_string_append_printf(o, "%.0f", x);
    else
        g_string_append_printf(o, "%.4f", x);
}

static char *csv_field(const char *s)
{
    if (!strpbrk(s, ",\"\n\r"))
        return g_strdup(s);
    GString *o = g_string_new("\"");
    for (; *s; s++) {
        if (*s == '"')
            g_string_append_c(o, '"');
        g_string_append_c(o, *s);
    }
    g_string_append_c(o, '"');
    return g_string_free(o, FALSE);
}

bool sweep_merge(const char *dir, FILE *out, guint *missing, GError **error)
{
    g_autoptr(sweep_plan) p = sweep_plan_read(dir, error);
    if (!p)
        return false;
    guint nv = p->variants->len, nm = p->metrics->len, ns = p->seeds->len;
    /* values[v * nm + m]: GArray of double; unmatched alike. */
    GPtrArray *values = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    g_autofree guint64 *unmatched = g_new0(guint64, (gsize)nv * nm);
    g_autofree guint *done = g_new0(guint, nv), *failing = g_new0(guint, nv);
    for (guint i = 0; i < nv * nm; i++)
        g_ptr_array_add(values, g_array_new(FALSE, FALSE, sizeof(double)));
    g_autoptr(cJSON) miss = cJSON_CreateArray();
    *missing = 0;
    for (guint t = 0; t < p->tasks; t++) {
        guint v = t / ns;
        g_autofree char *td = sweep_task_dir(p, t);
        g_autofree char *path = g_build_filename(td, "result.json", NULL);
        g_autofree char *text = NULL;
        gsize len;
        cJSON *r = g_file_get_contents(path, &text, &len, NULL) ? cJSON_ParseWithLength(text, len) : NULL;
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(r, "metrics");
        if (!r || g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "plan")), p->hash) ||
            !cJSON_IsObject(ms)) {
            cJSON_AddItemToArray(miss, cJSON_CreateNumber(t));
            (*missing)++;
            cJSON_Delete(r);
            continue;
        }
        done[v]++;
        if (number(r, "expectationsFailed") > 0)
            failing[v]++;
        for (guint m = 0; m < nm; m++) {
            const sweep_metric *mt = p->metrics->pdata[m];
            const cJSON *x = cJSON_GetObjectItemCaseSensitive(ms, mt->name), *e;
            cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(x, "values"))
                if (cJSON_IsNumber(e))
                    g_array_append_val((GArray *)values->pdata[v * nm + m], e->valuedouble);
            unmatched[v * nm + m] += (guint64)number(x, "unmatched");
        }
        cJSON_Delete(r);
    }

    g_autoptr(cJSON) j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "sweep", p->name);
    cJSON_AddStringToObject(j, "plan", p->hash);
    cJSON_AddNumberToObject(j, "tasks", p->tasks);
    cJSON_AddNumberToObject(j, "finished", p->tasks - *missing);
    cJSON_AddItemToObject(j, "missing", cJSON_Duplicate(miss, 1));
    cJSON *jv = cJSON_AddArrayToObject(j, "variants");
    GString *csv = g_string_new("variant,metric,n,mean,p50,p90,p99,min,max,unmatched,runs,runs_failing\n");
    GString *tab = g_string_new(NULL);
    g_string_append_printf(tab, "sweep %s: %u of %u tasks finished (%u variants x %u seeds)\n",
                           p->name, p->tasks - *missing, p->tasks, nv, ns);
    gsize w = 7;
    for (guint v = 0; v < nv; v++)
        w = MAX(w, strlen(((sweep_variant *)p->variants->pdata[v])->label));
    gsize wm = 6;
    for (guint m = 0; m < nm; m++)
        wm = MAX(wm, strlen(((sweep_metric *)p->metrics->pdata[m])->name));
    g_string_append_printf(tab, "  %-*s  %-*s %7s %10s %10s %10s %10s %10s %10s %9s\n", (int)w, "variant",
                           (int)wm, "metric", "n", "mean", "p50", "p90", "p99", "min", "max", "unmatched");
    for (guint v = 0; v < nv; v++) {
        const sweep_variant *var = p->variants->pdata[v];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", var->label);
        cJSON_AddItemToObject(x, "set", cJSON_Duplicate(var->set, 1));
        cJSON_AddNumberToObject(x, "runs", done[v]);
        cJSON_AddNumberToObject(x, "runsWithFailedExpectations", failing[v]);
        cJSON *xm = cJSON_AddObjectToObject(x, "metrics");
        cJSON_AddItemToArray(jv, x);
        g_autofree char *vf = csv_field(var->label);
        for (guint m = 0; m < nm; m++) {
            const sweep_metric *mt = p->metrics->pdata[m];
            stats s = stats_of(values->pdata[v * nm + m]);
            guint64 um = unmatched[v * nm + m];
            cJSON *o = cJSON_AddObjectToObject(xm, mt->name);
            cJSON_AddNumberToObject(o, "n", s.n);
            if (s.n) {
                const char *k[] = { "mean", "p50", "p90", "p99", "min", "max" };
                double val[] = { s.mean, s.p50, s.p90, s.p99, s.min, s.max };
                for (int i = 0; i < 6; i++)
                    cJSON_AddNumberToObject(o, k[i], val[i]);
            }
            cJSON_AddNumberToObject(o, "unmatched", (double)um);
            g_autofree char *mf = csv_field(mt->name);
            g_string_append_printf(csv, "%s,%s,%u", vf, mf, s.n);
            g_string_append_printf(tab, "  %-*s  %-*s %7u", (int)w, var->label, (int)wm, mt->name, s.n);
            double val[] = { s.mean, s.p50, s.p90, s.p99, s.min, s.max };
            for (int i = 0; i < 6; i++) {
                GString *n = g_string_new(NULL);
                if (s.n)
                    num(n, val[i]);
                g_string_append_printf(csv, ",%s", n->str);
                g_string_append_printf(tab, " %10s", s.n ? n->str : "-");
                g_string_free(n, TRUE);
            }
            g_string_append_printf(csv, ",%" G_GUINT64_FORMAT ",%u,%u\n", um, done[v], failing[v]);
            g_string_append_printf(tab, " %9" G_GUINT64_FORMAT "\n", um);
        }
    }
    if (*missing) {
        g_string_append(tab, "missing tasks:");
        const cJSON *e;
        guint shown = 0;
        cJSON_ArrayForEach(e, miss)
            if (shown++ < 20)
                g_string_append_printf(tab, " %d", (int)e->valuedouble);
        if (shown > 20)
            g_string_append_printf(tab, " and %u more", shown - 20);
        g_string_append_printf(tab, " (run them again: `crossim sweep run-one %s INDEX`)\n", dir);
    }
    g_ptr_array_unref(values);
    g_autofree char *text = cJSON_Print(j);
    g_autofree char *jtext = g_strconcat(text, "\n", NULL);
    g_autofree char *jpath = g_build_filename(p->dir, "sweep.json", NULL);
    g_autofree char *cpath = g_build_filename(p->dir, "sweep.csv", NULL);
    GError *e = NULL;
    bool ok = wfile_write(jpath, jtext, strlen(jtext), &e) && wfile_write(cpath, csv->str, csv->len, &e);
    if (!ok) {
        g_set_error_literal(error, SWEEP_ERROR, SWEEP_ERROR_IO, e->message);
        g_error_free(e);
    } else if (out) {
        g_autofree char *sj = g_build_filename(dir, "sweep.json", NULL);
        g_autofree char *sc = g_build_filename(dir, "sweep.csv", NULL);
        fputs(tab->str, out);
        fprintf(out, "merged into %s and %s\n", sj, sc);
    }
    g_string_free(csv, TRUE);
    g_string_free(tab, TRUE);
    return ok;
}
