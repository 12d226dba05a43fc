/* sim/bench_pipelines.c: `crossim bench pipelines`: the pipeline stress
 * scenario (scenarios/pipeline-stress.json, 200 concurrent executions) run
 * flat out, as step jobs created per second of wall time and engine events
 * per second, beside the bare engine's events per second on the hold model
 * measured in the same process (the ratio compares across machines); and the
 * heap bytes one pending execution costs (an execution started and not yet
 * run, with its step runs, parameters and role session), from glibc's
 * allocator statistics around 200 StartPipelineExecution calls. */
#include "sim/bench.h"

#include <glib.h>
#include <malloc.h>
#include <string.h>

#include "model/api.h"
#include "sim/engine.h"
#include "sim/run.h"
#include "sim/scenario.h"

#define STRESS "scenarios/pipeline-stress.json"

/* A host that keeps what is scheduled pending and drops every record. */
typedef struct idle_host { GPtrArray *pending; uint64_t seq; } idle_host;
typedef struct idle_ev { void *data; GDestroyNotify free_data; } idle_ev;

static void idle_ev_free(gpointer p)
{
    idle_ev *e = p;
    if (e->free_data)
        e->free_data(e->data);
    g_free(e);
}

static int64_t idle_now(void *self) { (void)self; return 0; }
static uint64_t idle_schedule(void *self, int64_t at, world_fire_fn fn, void *data,
                              GDestroyNotify free_data)
{
    (void)at; (void)fn;
    idle_host *h = self;
    idle_ev *e = g_new0(idle_ev, 1);
    e->data = data;
    e->free_data = free_data;
    g_ptr_array_add(h->pending, e);
    return ++h->seq;
}
static bool idle_cancel(void *self, uint64_t id) { (void)self; (void)id; return false; }
static void idle_emit(void *self, trail_event *ev) { (void)self; trail_event_free(ev); }
static void idle_notify(void *self, const char *a, const char *k, const cJSON *p)
{
    (void)self; (void)a; (void)k; (void)p;
}

/* The CreatePipeline input of the stress scenario's first step. */
static const cJSON *create_input(const scenario *s)
{
    const scen_actor *a = s->actors->pdata[0];
    const scen_step *st = a->steps->pdata[0];
    return st->input;
}

static size_t bytes_per_execution(int n)
{
    g_autoptr(GError) err = NULL;
    scenario *s = scen_load(STRESS, NULL, &err);
    if (!s)
        return 0;
    idle_host h = { .pending = g_ptr_array_new_with_free_func(idle_ev_free) };
    world_host host = { .self = &h, .now = idle_now, .schedule = idle_schedule,
                        .cancel = idle_cancel, .emit = idle_emit, .notify = idle_notify };
    world_set_host(s->world, &host);
    principal *p = world_principal_for(s->world, "arn:aws:iam::111111111111:role/DataScientist",
                                       "bench", NULL);
    api_invoke(s->world, p, "sagemaker:CreatePipeline", create_input(s), NULL, NULL, NULL);
    /* Each start with its own ClientRequestToken (a repeated one starts
     * nothing); the tokens are made before measuring. */
    GPtrArray *ins = g_ptr_array_new_with_free_func((GDestroyNotify)cJSON_Delete);
    for (int i = 0; i < n; i++) {
        cJSON *in = cJSON_CreateObject();
        cJSON_AddStringToObject(in, "PipelineName", "churn-nightly");
        g_autofree char *tok = g_strdup_printf("bench-client-request-token-%06d", i);
        cJSON_AddStringToObject(in, "ClientRequestToken", tok);
        g_ptr_array_add(ins, in);
    }
    /* Warm the allocator and the module's tables with one execution. */
    api_invoke(s->world, p, "sagemaker:StartPipelineExecution", ins->pdata[0], NULL, NULL, NULL);
    struct mallinfo2 before = mallinfo2();
    for (int i = 1; i < n; i++)
        api_invoke(s->world, p, "sagemaker:StartPipelineExecution", ins->pdata[i], NULL, NULL,
                   NULL);
    struct mallinfo2 after = mallinfo2();
    g_ptr_array_unref(ins);
    principal_free(p);
    scen_free(s);
    g_ptr_array_unref(h.pending);
    return (after.uordblks - before.uordblks) / (size_t)(n - 1);
}

static double engine_rate(void)
{
    /* The hold model at 1000 pending, like the stress run's event set. */
    return bench_hold_rate(1000, 2000000);
}

int bench_pipelines(FILE *out, int quick)
{
    g_autoptr(GError) err = NULL;
    scenario *s = scen_load(STRESS, NULL, &err);
    if (!s) {
        fprintf(out, "pipelines: %s not found or invalid (run from the source tree): %s\n",
                STRESS, err ? err->message : "");
        return 0;
    }
    run_opts o = { 0 };
    run_result r;
    gint64 t0 = g_get_monotonic_time();
    bool ok = run_scenario(s, &o, &r, NULL);
    gint64 t1 = g_get_monotonic_time();
    double secs = (double)(t1 - t0) / 1e6;
    const cJSON *pl = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(r.summary, "services"), "pipelines");
    double jobs = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(pl, "stepJobsCreated"));
    double ev_rate = (double)r.events / secs;
    double base = engine_rate();
    fprintf(out, "pipelines: %s (200 concurrent executions), %s, %.2f s wall\n", STRESS,
            ok && r.failed == 0 ? "all expectations held" : "EXPECTATIONS FAILED", secs);
    fprintf(out, "  step jobs created per second of wall time: %.0f (%.0f jobs)\n",
            jobs / secs, jobs);
    fprintf(out, "  engine events per second: %.0f (%" G_GUINT64_FORMAT " events), bare engine "
            "(hold, 1000 pending) %.0f ev/s, ratio %.4f\n", ev_rate, r.events, base,
            ev_rate / base);
    fprintf(out, "  step jobs per second / bare engine events per second: %.6f\n",
            jobs / secs / base);
    run_result_clear(&r);
    scen_free(s);
    int n = quick ? 50 : 200;
    fprintf(out, "bytes per pending execution: %zu (3-step pipeline, measured over %d "
            "executions)\n", bytes_per_execution(n), n);
    return 0;
}
