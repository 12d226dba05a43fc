/* sim/bench.c: the engine against a bare binary heap, in one process.
 *
 * Two classic workloads: the hold model (pop the earliest event, push one
 * at now + an exponential increment, so the pending set stays at N) and
 * PHOLD (N events spread over logical processes; each firing schedules one
 * new event after an exponential delay).  Both run on the crossim engine
 * (callbacks, slab, cancellable ids) and on a plain array binary heap of
 * (time, seq) written here as the floor; the figure that matters is the
 * ratio, which carries across machines.  The wall clock is read only here,
 * around the timed loops. */
#include "sim/bench.h"

#include <glib.h>
#include <string.h>

#include <malloc.h>

#include "model/world.h"
#include "sim/engine.h"
#include "model/base/rng.h"

/* ---- the baseline: a bare binary heap ------------------------------------- */

/* Each entry carries the payload the engine's event carries (a pointer). */
typedef struct bentry { int64_t t; uint64_t seq; void *payload; } bentry;
typedef struct bheap { bentry *a; size_t n, cap; uint64_t seq; } bheap;

static inline bool bh_before(const bentry *x, const bentry *y)
{
    return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}

static void bh_push(bheap *h, int64_t t, void *payload)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 1024;
        h->a = g_renew(bentry, h->a, h->cap);
    }
    size_t i = h->n++;
    bentry x = { t, h->seq++, payload };
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!bh_before(&x, &h->a[p]))
            break;
        h->a[i] = h->a[p];
        i = p;
    }
    h->a[i] = x;
}

static bentry bh_pop(bheap *h)
{
    bentry top = h->a[0];
    bentry x = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && bh_before(&h->a[c + 1], &h->a[c]))
            c++;
        if (!bh_before(&h->a[c], &x))
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n)
        h->a[i] = x;
    return top;
}

/* ---- workloads ---------------------------------------------------------------- */

/* Time unit of the models: 1.0 = 1e6 ticks. */
#define UNIT 1000000.0

typedef struct wl wl;
typedef struct lp { wl *w; uint32_t id; uint64_t count; } lp;   /* a PHOLD logical process */

struct wl {
    rng      r;
    uint64_t left;
    lp      *lps;
    uint32_t n_lps;
};

/* Hold model: exponential increments, mean 1.0. */
static int64_t hold_incr(rng *r)
{
    return 1 + (int64_t)rng_exponential(r, UNIT);
}

/* PHOLD as in ns-3 and ROSS: lookahead 0.1 plus an exponential of mean 1.0;
 * with probability 0.25 the new event goes to a uniformly chosen process,
 * else to the same one. */
#define PHOLD_REMOTE    0.25
#define PHOLD_LOOKAHEAD (0.1 * UNIT)

static int64_t phold_delay(rng *r)
{
    return (int64_t)PHOLD_LOOKAHEAD + (int64_t)rng_exponential(r, UNIT);
}

static lp *phold_dest(wl *w, lp *here)
{
    if (rng_uniform(&w->r) < PHOLD_REMOTE)
        return &w->lps[rng_below(&w->r, w->n_lps)];
    return here;
}

static void hold_fire(engine *e, void *data)
{
    wl *w = data;
    if (w->left == 0)
        return;
    w->left--;
    engine_schedule(e, engine_now(e) + hold_incr(&w->r), hold_fire, w, NULL);
}

static void phold_fire(engine *e, void *data)
{
    lp *p = data;
    wl *w = p->w;
    if (w->left == 0)
        return;
    w->left--;
    p->count++;
    engine_schedule(e, engine_now(e) + phold_delay(&w->r), phold_fire, phold_dest(w, p), NULL);
}

static void wl_init(wl *w, size_t n, uint64_t ops)
{
    *w = (wl){ .left = ops, .n_lps = (uint32_t)(n / 4 + 1) };
    rng_init(&w->r, 42, "bench");
    w->lps = g_new0(lp, w->n_lps);
    for (uint32_t i = 0; i < w->n_lps; i++)
        w->lps[i] = (lp){ w, i, 0 };
}

/* Events per second of the engine: fill to n pending, then ops events. */
static double run_engine(size_t n, uint64_t ops, bool phold)
{
    engine *e = engine_new();
    wl w;
    wl_init(&w, n, ops);
    for (size_t i = 0; i < n; i++) {
        if (phold)
            engine_schedule(e, phold_delay(&w.r), phold_fire, &w.lps[i % w.n_lps], NULL);
        else
            engine_schedule(e, hold_incr(&w.r), hold_fire, &w, NULL);
    }
    gint64 t0 = g_get_monotonic_time();
    uint64_t fired = 0;
    while (w.left > 0 && engine_step(e))
        fired++;
    gint64 t1 = g_get_monotonic_time();
    engine_free(e);
    g_free(w.lps);
    return (double)fired / ((double)(t1 - t0 + 1) / 1e6);
}

/* The same workloads on the bare heap: the same draws, the same payload. */
static double run_heap(size_t n, uint64_t ops, bool phold)
{
    bheap h = { 0 };
    wl w;
    wl_init(&w, n, ops);
    for (size_t i = 0; i < n; i++) {
        if (phold)
            bh_push(&h, phold_delay(&w.r), &w.lps[i % w.n_lps]);
        else
            bh_push(&h, hold_incr(&w.r), &w);
    }
    gint64 t0 = g_get_monotonic_time();
    uint64_t fired = 0;
    while (w.left > 0 && h.n) {
        bentry x = bh_pop(&h);
        w.left--;
        if (phold) {
            lp *p = x.payload;
            p->count++;
            bh_push(&h, x.t + phold_delay(&w.r), phold_dest(&w, p));
        } else {
            bh_push(&h, x.t + hold_incr(&w.r), x.payload);
        }
        fired++;
    }
    gint64 t1 = g_get_monotonic_time();
    g_free(h.a);
    g_free(w.lps);
    return (double)fired / ((double)(t1 - t0 + 1) / 1e6);
}

static double best_of(double (*fn)(size_t, uint64_t, bool), size_t n, uint64_t ops, bool ph,
                      int reps)
{
    double best = 0;
    for (int i = 0; i < reps; i++) {
        double v = fn(n, ops, ph);
        if (v > best)
            best = v;
    }
    return best;
}

double bench_hold_rate(size_t n, uint64_t ops)
{
    return best_of(run_engine, n, ops, false, 3);
}

/* Heap bytes an account costs in the world: accounts with one role each and
 * its inline policy (one template's, shared as the scenario loader shares
 * it), measured with glibc's allocator statistics around their creation. */
static size_t bytes_per_account(int n)
{
    world *w = world_new(1, "us-east-1", 0);
    cJSON *doc = cJSON_Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                             "\"Action\":\"sagemaker:Describe*\",\"Resource\":\"*\"}]}");
    /* Warm the allocator and the world's own tables first. */
    world_add_account(w, "000000000000", NULL);
    struct mallinfo2 before = mallinfo2();
    for (int i = 1; i <= n; i++) {
        char id[13];
        g_snprintf(id, sizeof id, "%012d", i);
        world_account *a = world_add_account(w, id, NULL);
        world_role *r = world_add_role(w, a, "DataScientist", "/", NULL);
        world_role_add_inline(r, world_policy_share(w, "p", NULL, doc, NULL));
    }
    struct mallinfo2 after = mallinfo2();
    cJSON_Delete(doc);
    world_free(w);
    return (after.uordblks - before.uordblks) / (size_t)n;
}

int bench_engine(FILE *out, const char *which, int quick)
{
    bool hold = strcmp(which, "hold") == 0 || strcmp(which, "engine") == 0;
    bool phold = strcmp(which, "phold") == 0 || strcmp(which, "engine") == 0;
    if (!hold && !phold)
        return 2;
    static const size_t full[] = { 1000, 100000, 1000000 };
    static const size_t small[] = { 1000, 10000 };
    const size_t *sizes = quick ? small : full;
    size_t n_sizes = quick ? G_N_ELEMENTS(small) : G_N_ELEMENTS(full);
    uint64_t ops = quick ? 20000 : 2000000;
    int reps = quick ? 1 : 3;
    fprintf(out, "engine: events per second, best of %d runs of %" G_GUINT64_FORMAT
            " events, beside a bare binary heap in the same process\n", reps, ops);
    fprintf(out, "  %-6s %9s %14s %14s %8s %10s\n", "model", "pending", "engine ev/s",
            "heap ev/s", "ratio", "ns/event");
    for (int m = 0; m < 2; m++) {
        bool ph = m == 1;
        if ((ph && !phold) || (!ph && !hold))
            continue;
        for (size_t i = 0; i < n_sizes; i++) {
            double eng = best_of(run_engine, sizes[i], ops, ph, reps);
            double base = best_of(run_heap, sizes[i], ops, ph, reps);
            fprintf(out, "  %-6s %9zu %14.0f %14.0f %8.2f %10.1f  %s\n", ph ? "phold" : "hold",
                    sizes[i], eng, base, eng / base, 1e9 / eng,
                    eng / base >= 0.85 ? "(target >= 0.85: met)" : "(target >= 0.85: missed)");
        }
    }
    fprintf(out, "bytes per pending event: %zu (heap entry and event record; target <= 40)\n",
            engine_bytes_per_event());
    fprintf(out, "bytes per account: %zu (an account with one role and its inline policy, "
            "measured over %d accounts)\n", bytes_per_account(quick ? 200 : 10000),
            quick ? 200 : 10000);
    return 0;
}
