/* sim/engine.c: the pending-event set, a binary heap with a slab.
 *
 * The heap holds 16-byte entries {time, key} with key = seq << SLOT_BITS |
 * slot; the slab holds 16-byte event records {data, generation, kind}, where
 * kind indexes a small table of the distinct (fn, free_data) pairs the
 * program schedules (a handful: each caller passes the same pair every
 * time), so a pending event costs 32 bytes.  Records are reused through a
 * free list threaded through their data field, so scheduling allocates
 * nothing in steady state.  An id is (generation << 32 | slot + 1).  Cancelling frees the data
 * at once and marks the record; its slot stays taken until the heap entry is
 * popped and skipped (lazy deletion), so a heap entry always names its own
 * record.  A slot's generation changes when it is released, so stale ids
 * cancel nothing.
 * Invariant: heap order is (time, key) ascending; seq is unique, so the order
 * is total and equal times pop in scheduling order.  Limits: 2^28 events
 * pending at once, 2^36 scheduled in all. */
#include "sim/engine.h"

#define SLOT_BITS 28
#define SLOT_MASK ((UINT64_C(1) << SLOT_BITS) - 1)

typedef struct hentry {
    int64_t  t;
    uint64_t key;      /* seq << SLOT_BITS | slot */
} hentry;

typedef struct erec {
    union {
        void    *data;
        uint32_t next_free;     /* free list link, UINT32_MAX = end */
    } u;
    uint32_t gen;
    uint16_t kind;              /* index into engine.kinds */
    bool     live;              /* scheduled and neither fired nor cancelled */
} erec;

typedef struct ekind {
    engine_fire_fn fn;
    GDestroyNotify free_data;
} ekind;

#define MAX_KINDS 4096

struct engine {
    int64_t   now;
    uint64_t  seq;
    hentry   *heap;
    size_t    n, cap;
    erec     *slab;
    uint32_t  slab_n, slab_cap, free_head;
    size_t    live;
    ekind    *kinds;
    uint16_t  n_kinds, cap_kinds, last_kind;
};

/* The kind of (fn, free_data): the last one used, else a linear search of
 * the few there are, else a new one. */
static uint16_t kind_of(engine *e, engine_fire_fn fn, GDestroyNotify free_data)
{
    if (e->n_kinds && e->kinds[e->last_kind].fn == fn &&
        e->kinds[e->last_kind].free_data == free_data)
        return e->last_kind;
    for (uint16_t i = 0; i < e->n_kinds; i++)
        if (e->kinds[i].fn == fn && e->kinds[i].free_data == free_data)
            return e->last_kind = i;
    g_assert(e->n_kinds < MAX_KINDS);
    if (e->n_kinds == e->cap_kinds) {
        e->cap_kinds = e->cap_kinds ? (uint16_t)(e->cap_kinds * 2) : 8;
        e->kinds = g_renew(ekind, e->kinds, e->cap_kinds);
    }
    e->kinds[e->n_kinds] = (ekind){ fn, free_data };
    return e->last_kind = e->n_kinds++;
}

engine *engine_new(void)
{
    engine *e = g_new0(engine, 1);
    e->free_head = UINT32_MAX;
    return e;
}

void engine_free(engine *e)
{
    if (!e)
        return;
    for (uint32_t i = 0; i < e->slab_n; i++) {
        const erec *r = &e->slab[i];
        if (r->live && e->kinds[r->kind].free_data)
            e->kinds[r->kind].free_data(r->u.data);
    }
    g_free(e->heap);
    g_free(e->slab);
    g_free(e->kinds);
    g_free(e);
}

static inline bool before(const hentry *a, const hentry *b)
{
    return a->t < b->t || (a->t == b->t && a->key < b->key);
}

static void sift_up(hentry *h, size_t i)
{
    hentry x = h[i];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(&x, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
}

static void sift_down(hentry *h, size_t n, size_t i)
{
    hentry x = h[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(&h[c + 1], &h[c]))
            c++;
        if (!before(&h[c], &x))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

static uint32_t slot_alloc(engine *e)
{
    if (e->free_head != UINT32_MAX) {
        uint32_t s = e->free_head;
        e->free_head = e->slab[s].u.next_free;
        return s;
    }
    g_assert(e->slab_n <= SLOT_MASK);
    if (e->slab_n == e->slab_cap) {
        e->slab_cap = e->slab_cap ? e->slab_cap * 2 : 64;
        e->slab = g_renew(erec, e->slab, e->slab_cap);
    }
    e->slab[e->slab_n].gen = 0;
    return e->slab_n++;
}

static void slot_release(engine *e, uint32_t s)
{
    erec *r = &e->slab[s];
    r->live = false;
    r->gen++;
    r->u.next_free = e->free_head;
    e->free_head = s;
}

uint64_t engine_schedule(engine *e, int64_t at_us, engine_fire_fn fn, void *data,
                         GDestroyNotify free_data)
{
    g_return_val_if_fail(fn != NULL, 0);
    if (at_us < e->now)
        at_us = e->now;
    uint16_t k = kind_of(e, fn, free_data);
    uint32_t s = slot_alloc(e);
    erec *r = &e->slab[s];
    r->kind = k;
    r->u.data = data;
    r->live = true;
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 64;
        e->heap = g_renew(hentry, e->heap, e->cap);
    }
    e->heap[e->n] = (hentry){ at_us, (e->seq++ << SLOT_BITS) | s };
    sift_up(e->heap, e->n++);
    e->live++;
    return ((uint64_t)r->gen << 32) | ((uint64_t)s + 1);
}

bool engine_cancel(engine *e, uint64_t id)
{
    uint32_t s = (uint32_t)(id & 0xFFFFFFFFu);
    uint32_t gen = (uint32_t)(id >> 32);
    if (s == 0 || s > e->slab_n)
        return false;
    erec *r = &e->slab[s - 1];
    if (!r->live || r->gen != gen)
        return false;
    GDestroyNotify f = e->kinds[r->kind].free_data;
    void *d = r->u.data;
    /* The slot stays taken until its heap entry is popped. */
    r->live = false;
    r->gen++;
    r->u.data = NULL;
    e->live--;
    if (f)
        f(d);
    return true;
}

int64_t engine_now(const engine *e) { return e->now; }
size_t  engine_pending(const engine *e) { return e->live; }

/* Drops cancelled entries from the top of the heap. */
static void skip_dead(engine *e)
{
    while (e->n > 0) {
        uint32_t slot = (uint32_t)(e->heap[0].key & SLOT_MASK);
        if (e->slab[slot].live)
            return;
        e->heap[0] = e->heap[--e->n];
        if (e->n)
            sift_down(e->heap, e->n, 0);
        slot_release(e, slot);
    }
}

int64_t engine_next_time(engine *e)
{
    skip_dead(e);
    return e->n ? e->heap[0].t : INT64_MAX;
}

bool engine_step(engine *e)
{
    for (;;) {
        if (!e->n)
            return false;
        hentry top = e->heap[0];
        uint32_t slot = (uint32_t)(top.key & SLOT_MASK);
        erec *r = &e->slab[slot];
        /* Fetched while the heap sifts (the previous step asked for it too). */
        __builtin_prefetch(r);
        e->heap[0] = e->heap[--e->n];
        if (e->n)
            sift_down(e->heap, e->n, 0);
        if (!r->live) {             /* cancelled: its data is already freed */
            slot_release(e, slot);
            continue;
        }
        const ekind *k = &e->kinds[r->kind];
        engine_fire_fn fn = k->fn;
        GDestroyNotify f = k->free_data;
        void *data = r->u.data;
        /* Released before the call: the callback may schedule into this slot,
         * and cancelling its own (fired) id then finds a stale generation. */
        slot_release(e, slot);
        e->live--;
        e->now = top.t;
        /* The next event's record is fetched while this one fires. */
        if (e->n)
            __builtin_prefetch(&e->slab[e->heap[0].key & SLOT_MASK]);
        fn(e, data);
        if (f)
            f(data);
        return true;
    }
}

uint64_t engine_run(engine *e, int64_t until_us)
{
    uint64_t fired = 0;
    while (engine_next_time(e) <= until_us && engine_step(e))
        fired++;
    return fired;
}

uint64_t engine_advance_to(engine *e, int64_t until_us)
{
    uint64_t fired = engine_run(e, until_us);
    if (e->now < until_us)
        e->now = until_us;
    return fired;
}

size_t engine_bytes_per_event(void)
{
    return sizeof(hentry) + sizeof(erec);
}
