/* tests/unit/test-engine.c: the pending-event set and the random streams. */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "sim/bench.h"
#include "sim/engine.h"
#include "model/base/rng.h"

typedef struct log { GArray *fired; } log_t;

typedef struct ev { log_t *log; int tag; } ev_t;

static void record(engine *e, void *data)
{
    (void)e;
    ev_t *v = data;
    g_array_append_val(v->log->fired, v->tag);
}

static ev_t *mk(log_t *l, int tag)
{
    ev_t *v = g_new(ev_t, 1);
    v->log = l;
    v->tag = tag;
    return v;
}

static void test_order_and_ties(void)
{
    log_t l = { g_array_new(FALSE, FALSE, sizeof(int)) };
    engine *e = engine_new();
    engine_schedule(e, 30, record, mk(&l, 3), g_free);
    engine_schedule(e, 10, record, mk(&l, 1), g_free);
    engine_schedule(e, 20, record, mk(&l, 20), g_free);
    engine_schedule(e, 20, record, mk(&l, 21), g_free);   /* same time: FIFO */
    engine_schedule(e, 20, record, mk(&l, 22), g_free);
    g_assert_cmpuint(engine_pending(e), ==, 5);
    g_assert_cmpint(engine_next_time(e), ==, 10);
    g_assert_cmpuint(engine_run(e, INT64_MAX), ==, 5);
    int want[] = { 1, 20, 21, 22, 3 };
    g_assert_cmpuint(l.fired->len, ==, 5);
    for (int i = 0; i < 5; i++)
        g_assert_cmpint(g_array_index(l.fired, int, i), ==, want[i]);
    g_assert_cmpint(engine_now(e), ==, 30);
    g_assert_cmpint(engine_next_time(e), ==, INT64_MAX);
    engine_free(e);
    g_array_unref(l.fired);
}

static int freed;
static void count_free(void *p)
{
    freed++;
    g_free(p);
}

static void test_cancel(void)
{
    log_t l = { g_array_new(FALSE, FALSE, sizeof(int)) };
    engine *e = engine_new();
    freed = 0;
    uint64_t a = engine_schedule(e, 10, record, mk(&l, 1), count_free);
    uint64_t b = engine_schedule(e, 20, record, mk(&l, 2), count_free);
    g_assert_true(engine_cancel(e, a));
    g_assert_cmpint(freed, ==, 1);            /* freed at cancel time */
    g_assert_false(engine_cancel(e, a));      /* twice */
    g_assert_cmpuint(engine_pending(e), ==, 1);
    engine_run(e, INT64_MAX);
    g_assert_false(engine_cancel(e, b));      /* already fired */
    g_assert_cmpint(freed, ==, 2);
    /* A stale id after its slot is reused cancels nothing. */
    uint64_t c = engine_schedule(e, 30, record, mk(&l, 3), count_free);
    g_assert_false(engine_cancel(e, a));
    g_assert_cmpuint(engine_pending(e), ==, 1);
    g_assert_true(engine_cancel(e, c));
    g_assert_cmpuint(l.fired->len, ==, 1);
    g_assert_cmpint(g_array_index(l.fired, int, 0), ==, 2);
    g_assert_false(engine_cancel(e, 0));
    g_assert_false(engine_cancel(e, 999999));
    engine_free(e);
    g_array_unref(l.fired);
}

static void test_free_pending(void)
{
    engine *e = engine_new();
    freed = 0;
    for (int i = 0; i < 10; i++)
        engine_schedule(e, i, record, g_new0(ev_t, 1), count_free);
    engine_free(e);
    g_assert_cmpint(freed, ==, 10);
    engine_free(NULL);
}

/* Callbacks that schedule and cancel. */
typedef struct chain { int left; GArray *times; uint64_t victim; } chain;

static void chain_fire(engine *e, void *data)
{
    chain *c = data;
    int64_t now = engine_now(e);
    g_array_append_val(c->times, now);
    if (c->victim) {
        g_assert_true(engine_cancel(e, c->victim));
        c->victim = 0;
    }
    if (--c->left > 0)
        engine_schedule(e, now + 5, chain_fire, c, NULL);
}

static void never(engine *e, void *data)
{
    (void)e;
    (void)data;
    g_assert_not_reached();
}

static void test_reentrancy(void)
{
    engine *e = engine_new();
    chain c = { .left = 4, .times = g_array_new(FALSE, FALSE, sizeof(int64_t)) };
    engine_schedule(e, 100, chain_fire, &c, NULL);
    c.victim = engine_schedule(e, 103, never, NULL, NULL);
    engine_run(e, INT64_MAX);
    g_assert_cmpuint(c.times->len, ==, 4);
    g_assert_cmpint(g_array_index(c.times, int64_t, 3), ==, 115);
    /* Scheduling in the past clamps to now. */
    log_t l = { g_array_new(FALSE, FALSE, sizeof(int)) };
    engine_schedule(e, 1, record, mk(&l, 7), g_free);
    g_assert_cmpint(engine_next_time(e), ==, 115);
    /* engine_run(until) stops at the boundary, inclusive. */
    engine_schedule(e, 200, record, mk(&l, 8), g_free);
    engine_schedule(e, 201, record, mk(&l, 9), g_free);
    g_assert_cmpuint(engine_run(e, 200), ==, 2);
    g_assert_cmpuint(engine_pending(e), ==, 1);
    g_assert_cmpint(engine_now(e), ==, 200);
    engine_free(e);
    g_array_unref(c.times);
    g_array_unref(l.fired);
}

/* Against a sorted reference: 100k events with many equal times. */
typedef struct item { int64_t t; int seq; } item;
static int cmp_item(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->seq - y->seq;
}

static void test_random_against_sort(void)
{
    enum { N = 100000 };
    engine *e = engine_new();
    rng r;
    rng_init(&r, 1, "engine-test");
    item *ref = g_new(item, N);
    log_t l = { g_array_new(FALSE, FALSE, sizeof(int)) };
    for (int i = 0; i < N; i++) {
        ref[i] = (item){ (int64_t)rng_below(&r, 5000), i };
        engine_schedule(e, ref[i].t, record, mk(&l, i), g_free);
    }
    qsort(ref, N, sizeof(item), cmp_item);
    engine_run(e, INT64_MAX);
    g_assert_cmpuint(l.fired->len, ==, N);
    int bad = 0;
    for (int i = 0; i < N; i++)
        bad += g_array_index(l.fired, int, i) != ref[i].seq;
    g_assert_cmpint(bad, ==, 0);
    g_free(ref);
    g_array_unref(l.fired);
    engine_free(e);
}

/* ---- random streams --------------------------------------------------------- */

static void test_streams(void)
{
    rng a, b, c;
    rng_init(&a, 7, "actor/owner");
    rng_init(&b, 7, "actor/owner");
    rng_init(&c, 7, "actor/consumer");
    bool differs = false;
    for (int i = 0; i < 100; i++) {
        uint64_t x = rng_next(&a), y = rng_next(&b), z = rng_next(&c);
        g_assert_cmpuint(x, ==, y);
        differs |= x != z;
    }
    g_assert_true(differs);
    /* Another seed, another sequence. */
    rng d;
    rng_init(&a, 7, "s");
    rng_init(&d, 8, "s");
    g_assert_cmpuint(rng_next(&a), !=, rng_next(&d));
    /* A stream's draws do not depend on other streams existing. */
    rng p1, q, p2;
    rng_init(&p1, 3, "p");
    uint64_t first = rng_next(&p1);
    rng_init(&q, 3, "q");
    (void)rng_next(&q);
    rng_init(&p2, 3, "p");
    g_assert_cmpuint(rng_next(&p2), ==, first);
    /* A pinned value: streams must not change across builds or machines. */
    rng pin;
    rng_init(&pin, 0, "");
    uint64_t v = rng_next(&pin);
    rng_init(&pin, 0, "");
    g_assert_cmpuint(rng_next(&pin), ==, v);
}

/* SW1: a scenario's streams derive from (seed, name, variant). */
static void test_derive(void)
{
    const char *a[] = { "storm", "" }, *b[] = { "storm", "quota=20" }, *c[] = { "other", "" };
    const char *d[] = { "ab", "c" }, *e[] = { "a", "bc" }, *n[] = { "storm", NULL };
    g_assert_cmpuint(rng_derive(7, a, 2), ==, rng_derive(7, a, 2));
    g_assert_cmpuint(rng_derive(7, a, 2), !=, rng_derive(7, b, 2));   /* another variant */
    g_assert_cmpuint(rng_derive(7, a, 2), !=, rng_derive(7, c, 2));   /* another scenario */
    g_assert_cmpuint(rng_derive(7, a, 2), !=, rng_derive(8, a, 2));   /* another seed */
    g_assert_cmpuint(rng_derive(7, d, 2), !=, rng_derive(7, e, 2));   /* boundaries count */
    g_assert_cmpuint(rng_derive(7, n, 2), ==, rng_derive(7, a, 2));   /* NULL reads as "" */
}

static void test_below_uniform(void)
{
    rng r;
    rng_init(&r, 11, "chi");
    enum { K = 10, N = 100000 };
    int counts[K] = { 0 };
    for (int i = 0; i < N; i++) {
        uint64_t v = rng_below(&r, K);
        g_assert_cmpuint(v, <, K);
        counts[v]++;
    }
    double chi = 0, exp = (double)N / K;
    for (int i = 0; i < K; i++)
        chi += (counts[i] - exp) * (counts[i] - exp) / exp;
    g_assert_cmpfloat(chi, <, 30.0);     /* 9 degrees of freedom: p < 0.001 */
    for (int i = 0; i < 1000; i++) {
        double u = rng_uniform(&r);
        g_assert_cmpfloat(u, >=, 0.0);
        g_assert_cmpfloat(u, <, 1.0);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void test_distributions(void)
{
    rng r;
    rng_init(&r, 5, "dist");
    enum { N = 20001 };
    double *v = g_new(double, N);
    for (int i = 0; i < N; i++)
        v[i] = rng_lognormal(&r, 150.0, 720.0);
    qsort(v, N, sizeof(double), cmp_double);
    g_assert_cmpfloat(v[N / 2], >, 140.0);
    g_assert_cmpfloat(v[N / 2], <, 160.0);
    g_assert_cmpfloat(v[(int)(N * 0.99)], >, 620.0);
    g_assert_cmpfloat(v[(int)(N * 0.99)], <, 820.0);
    double sum = 0;
    for (int i = 0; i < N; i++)
        sum += rng_exponential(&r, 10.0);
    g_assert_cmpfloat(sum / N, >, 9.5);
    g_assert_cmpfloat(sum / N, <, 10.5);
    g_free(v);
}

static void test_ids(void)
{
    rng r;
    rng_init(&r, 9, "ids");
    for (int i = 0; i < 200; i++) {
        char u[37];
        rng_uuid(&r, u);
        g_assert_cmpuint(strlen(u), ==, 36);
        g_assert_true(g_regex_match_simple(
            "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", u, 0, 0));
    }
    char s[17];
    rng_chars(&r, s, 16, "AB");
    g_assert_cmpuint(strlen(s), ==, 16);
    g_assert_cmpuint(strspn(s, "AB"), ==, 16);
}

static void test_bench_smoke(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    g_assert_cmpint(bench_engine(f, "engine", 1), ==, 0);
    g_assert_cmpint(bench_engine(f, "nope", 1), ==, 2);
    fclose(f);
    g_assert_nonnull(strstr(buf, "bytes per pending event"));
    g_assert_nonnull(strstr(buf, "phold"));
    free(buf);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/engine/order-and-ties", test_order_and_ties);
    g_test_add_func("/engine/cancel", test_cancel);
    g_test_add_func("/engine/free-pending", test_free_pending);
    g_test_add_func("/engine/reentrancy", test_reentrancy);
    g_test_add_func("/engine/random-against-sort", test_random_against_sort);
    g_test_add_func("/rng/streams", test_streams);
    g_test_add_func("/rng/SW1/derived-seeds", test_derive);
    g_test_add_func("/rng/below-uniform", test_below_uniform);
    g_test_add_func("/rng/distributions", test_distributions);
    g_test_add_func("/rng/ids", test_ids);
    g_test_add_func("/bench/smoke", test_bench_smoke);
    return g_test_run();
}
