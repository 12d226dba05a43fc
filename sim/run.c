/* sim/run.c: one replay, wired end to end.
 *
 * Owns the engine, the recorder and the actors of a run, and is the world's
 * host: the model asks it for the time, hands it future happenings (wrapped
 * into engine events), trail events (to the recorder) and notifications (to
 * the actors of the account concerned).  Output happens only here and in the
 * recorder, in orders fixed by sorted arrays and the engine's total order. */
#include "sim/run.h"

#include <event2/event.h>
#include <string.h>

#include "model/api.h"
#include "model/base/json.h"
#include "model/trails.h"
#include "sim/actor.h"
#include "model/base/duration.h"
#include "sim/engine.h"
#include "sim/recorder.h"
#include "sim/sqlsink.h"
#include "sim/summary.h"
#include "sim/timeline.h"
#include "sim/tmpl.h"
#include "sim/wfile.h"

struct run_session {
    scenario   *s;
    run_opts    opts;
    engine     *e;
    recorder   *rec;
    actor_env   env;
    GPtrArray  *actors;        /* actor*, in scenario order */
    GHashTable *by_account;    /* account id -> GPtrArray of actor* (borrowed) */
    guint64     fired;
    timeline   *tl;            /* NULL without an output folder */
    sqlsink    *sql;           /* NULL without --sqlite */
    FILE       *live;
};
typedef run_session run;

typedef struct wrapped {
    run            *r;
    world_fire_fn   fn;
    void           *data;
    GDestroyNotify  free_data;
} wrapped;

static int64_t host_now(void *self)
{
    return engine_now(((run *)self)->e);
}

static void wrapped_fire(engine *e, void *data)
{
    (void)e;
    wrapped *w = data;
    w->fn(w->r->s->world, w->data);
}

static void wrapped_free(void *data)
{
    wrapped *w = data;
    if (w->free_data)
        w->free_data(w->data);
    g_free(w);
}

static uint64_t host_schedule(void *self, int64_t at, world_fire_fn fn, void *data,
                              GDestroyNotify free_data)
{
    run *r = self;
    wrapped *w = g_new(wrapped, 1);
    *w = (wrapped){ r, fn, data, free_data };
    return engine_schedule(r->e, at, wrapped_fire, w, wrapped_free);
}

static bool host_cancel(void *self, uint64_t id)
{
    return engine_cancel(((run *)self)->e, id);
}

static void host_emit(void *self, trail_event *ev)
{
    rec_submit(((run *)self)->rec, ev);
}

static void host_notify(void *self, const char *account, const char *kind,
                        const cJSON *payload)
{
    run *r = self;
    GPtrArray *list = g_hash_table_lookup(r->by_account, account);
    if (!list || !list->len)
        return;
    happening *h = happening_new(kind, payload);
    for (guint i = 0; i < list->len; i++)
        actor_deliver_shared(list->pdata[i], h);
    happening_unref(h);
}

typedef struct each_ctx { void (*fn)(void *user, const cJSON *record); void *user; } each_ctx;

static void each_one(void *user, const cJSON *record, int64_t delivered_us)
{
    (void)delivered_us;
    each_ctx *c = user;
    c->fn(c->user, record);
}

/* The model reads an account's delivered records (cloudtrail:LookupEvents):
 * what is waiting in memory is written out first, then the log is read back. */
static bool host_each_record(void *self, const char *account,
                             void (*fn)(void *user, const cJSON *record), void *user)
{
    run *r = self;
    if (!rec_flush(r->rec, NULL))
        return false;
    each_ctx c = { fn, user };
    return rec_each_record(r->rec, account, NULL, each_one, &c, NULL);
}

/* ---- live printing ---------------------------------------------------------- */

static void live_print(FILE *out, const rec_row *row)
{
    fprintf(out, "%s  %s  %s:%s  %s%s%s\n", row->event_time, row->account, row->event_source,
            row->event_name, row->arn ? row->arn : "-", row->error_code ? "  " : "",
            row->error_code ? row->error_code : "");
    fflush(out);
}

static void on_deliver(void *user, const rec_row *row)
{
    run *r = user;
    if (r->tl)
        timeline_add(r->tl, row);
    if (r->sql) {
        char t[21];
        json_iso_utc(r->s->start_epoch_s + row->delivered_us / 1000000, t);
        sqlsink_add(r->sql, row, t);
    }
    if (r->live)
        live_print(r->live, row);
}

/* ---- pacing against the wall clock (--speed) ---------------------------------- */

typedef struct pacer {
    run               *r;
    struct event_base *base;
    struct event      *tick;
    double             speed;
    int64_t            until;
} pacer;

static void pace(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    pacer *p = arg;
    int64_t t = engine_next_time(p->r->e);
    if (t == INT64_MAX || t > p->until) {
        event_base_loopbreak(p->base);
        return;
    }
    p->r->fired += engine_run(p->r->e, t);
    int64_t next = engine_next_time(p->r->e);
    if (next == INT64_MAX || next > p->until) {
        event_base_loopbreak(p->base);
        return;
    }
    double wall_us = (double)(next - t) / p->speed;
    struct timeval tv = { .tv_sec = (time_t)(wall_us / 1e6),
                          .tv_usec = (suseconds_t)((int64_t)wall_us % 1000000) };
    evtimer_add(p->tick, &tv);
}

static void run_paced(run *r, double speed, int64_t until)
{
    pacer p = { .r = r, .base = event_base_new(), .speed = speed, .until = until };
    p.tick = evtimer_new(p.base, pace, &p);
    struct timeval zero = { 0, 0 };
    evtimer_add(p.tick, &zero);
    event_base_dispatch(p.base);
    event_free(p.tick);
    event_base_free(p.base);
}

/* ---- expectations ---------------------------------------------------------------- */

static const cJSON *scenario_lookup(void *user, const char *ref)
{
    run *r = user;
    return actor_lookup(&r->env, NULL, ref);
}

/* One expectation on its way through its account's log. */
/* A matching record, for expectations across records. */
typedef struct hit {
    char    shared[40];       /* sharedEventID, or "" */
    int64_t delivered_s, event_s;
} hit;

typedef struct check {
    const scen_expect *ex;
    check_result *res;        /* NULL: the other side of a cross-record expectation */
    const char   *account;
    cJSON        *pattern;    /* expanded; NULL when a reference had no value */
    GPtrArray    *needles;    /* char*: JSON string tokens each matching line holds */
    int64_t       n;
    bool          maybe;      /* the current line may match: it holds every needle */
    GArray       *hits;       /* hit, when the verdict needs them; else NULL */
    struct check *other;      /* same_event_in / before: the other account's side */
    int64_t       start_s;    /* the scenario's start, for eventTime */
} check;

/* The literal string values of a pattern, as the record writer prints
 * them: a record whose member equals one holds it, quotes included, so a
 * line without it is skipped unparsed.  Wildcards and non-strings give none. */
static GPtrArray *needles_of(const cJSON *pattern)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    const cJSON *m;
    cJSON_ArrayForEach(m, pattern) {
        if (!cJSON_IsString(m) || strchr(m->valuestring, '*'))
            continue;
        GString *t = g_string_new(NULL);
        json_append_string(t, m->valuestring);
        g_ptr_array_add(out, g_string_free(t, FALSE));
    }
    return out;
}

/* The checks of one account, read in one pass over its log. */
typedef struct account_checks { GPtrArray *checks; } account_checks;

static bool want_line(void *user, const char *text, gsize len)
{
    GPtrArray *checks = user;
    bool any = false;
    for (guint i = 0; i < checks->len; i++) {
        check *c = checks->pdata[i];
        c->maybe = true;
        for (guint k = 0; k < c->needles->len && c->maybe; k++) {
            const char *nd = c->needles->pdata[k];
            c->maybe = memmem(text, len, nd, strlen(nd)) != NULL;
        }
        any |= c->maybe;
    }
    return any;
}

/* Counts the line for every check want_line let through; the flags are
 * then all true again, as they are for records read from memory, which
 * want_line never sees. */
static void match_line(void *user, const cJSON *rec, int64_t delivered_us)
{
    GPtrArray *checks = user;
    for (guint i = 0; i < checks->len; i++) {
        check *c = checks->pdata[i];
        if (c->maybe && scen_match(rec, c->pattern)) {
            c->n++;
            if (c->hits) {
                hit h = { .delivered_s = c->start_s + delivered_us / 1000000 };
                g_strlcpy(h.shared, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
                              rec, "sharedEventID")) ?: "", sizeof h.shared);
                h.event_s = h.delivered_s;
                time_parse_iso(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
                                   rec, "eventTime")), &h.event_s);
                g_array_append_val(c->hits, h);
            }
        }
        c->maybe = true;
    }
}

static const char *aka(const char *account) { return account ? account : "?"; }

/* The verdict of "sees" with same_event_in, before or delivery bounds. */
static void verdict_across(const check *c, const char *pattern, const char *note)
{
    const scen_expect *ex = c->ex;
    check_result *res = c->res;
    const char *sep = *note ? " — " : "";
    if (ex->same_event_in) {
        for (guint i = 0; i < c->hits->len && !res->ok; i++)
            for (guint k = 0; k < c->other->hits->len && !res->ok; k++) {
                const hit *a = &g_array_index(c->hits, hit, i);
                const hit *b = &g_array_index(c->other->hits, hit, k);
                res->ok = *a->shared && strcmp(a->shared, b->shared) == 0;
            }
        res->message = g_strdup_printf("accounts %s and %s %s a record matching %s with the same "
                                       "sharedEventID (%u and %u matches)%s%s", ex->account,
                                       ex->same_event_in, res->ok ? "have" : "do not have",
                                       pattern, c->hits->len, c->other->hits->len, sep, note);
        return;
    }
    if (ex->before_account) {
        int64_t first = INT64_MAX, then = INT64_MAX;
        for (guint i = 0; i < c->hits->len; i++)
            first = MIN(first, g_array_index(c->hits, hit, i).delivered_s);
        for (guint i = 0; i < c->other->hits->len; i++)
            then = MIN(then, g_array_index(c->other->hits, hit, i).delivered_s);
        g_autofree char *other = cJSON_PrintUnformatted(c->other->pattern);
        res->ok = first != INT64_MAX && then != INT64_MAX && first < then;
        res->message = g_strdup_printf("account %s's first record matching %s %s account %s's "
                                       "first matching %s%s%s", ex->account, pattern,
                                       first == INT64_MAX ? "is missing, so is not delivered before"
                                       : then == INT64_MAX ? "has nothing to precede:"
                                       : res->ok ? "is delivered before" : "is not delivered before",
                                       aka(ex->before_account), other, sep, note);
        return;
    }
    int64_t worst = -1, least = INT64_MAX;
    for (guint i = 0; i < c->hits->len; i++) {
        const hit *h = &g_array_index(c->hits, hit, i);
        worst = MAX(worst, h->delivered_s - h->event_s);
        least = MIN(least, h->delivered_s - h->event_s);
    }
    res->ok = c->hits->len > 0 && (ex->lag_max_us < 0 || worst * 1000000 <= ex->lag_max_us) &&
              least * 1000000 >= ex->lag_min_us;
    char lo[32], hi[32];
    dur_format(ex->lag_min_us, lo);
    if (ex->lag_max_us >= 0)
        dur_format(ex->lag_max_us, hi);
    else
        g_strlcpy(hi, "any", sizeof hi);
    res->message = c->hits->len
        ? g_strdup_printf("account %s's %u records matching %s were delivered %" G_GINT64_FORMAT
                          "s to %" G_GINT64_FORMAT "s after their eventTime (want %s..%s)%s%s",
                          ex->account, c->hits->len, pattern, least, worst, lo, hi, sep, note)
        : g_strdup_printf("account %s has no record matching %s to time (want delivery %s..%s "
                          "after eventTime)%s%s", ex->account, pattern, lo, hi, sep, note);
}

static void verdict(const check *c)
{
    const scen_expect *ex = c->ex;
    check_result *res = c->res;
    g_autofree char *pattern = cJSON_PrintUnformatted(c->pattern);
    int64_t n = c->n;
    const char *note = ex->note ? ex->note : "";
    if (c->hits) {
        verdict_across(c, pattern, note);
        return;
    }
    switch (ex->kind) {
    case EXPECT_SEES:
        res->ok = n > 0;
        res->message = g_strdup_printf("account %s %s record matching %s%s%s", ex->account,
                                       res->ok ? "has a" : "has no", pattern,
                                       *note ? " — " : "", note);
        break;
    case EXPECT_LACKS:
        res->ok = n == 0;
        res->message = g_strdup_printf("account %s %s %s%s%s", ex->account,
                                       res->ok ? "has no record matching" : "unexpectedly has a record matching",
                                       pattern, *note ? " — " : "", note);
        break;
    case EXPECT_COUNT: {
        char maxs[24] = "";
        if (ex->max >= 0)
            g_snprintf(maxs, sizeof maxs, "%" G_GINT64_FORMAT, ex->max);
        res->ok = n >= ex->min && (ex->max < 0 || n <= ex->max);
        res->message = g_strdup_printf("account %s has %" G_GINT64_FORMAT " records matching %s "
                                       "(want %" G_GINT64_FORMAT "..%s)%s%s", ex->account, n,
                                       pattern, ex->min,
                                       maxs, *note ? " — " : "", note);
        break;
    }
    }
}

/* Adds a check to its account's list (accounts in order of first mention). */
static void enlist(GHashTable *by_account, GPtrArray *order, check *c)
{
    GPtrArray *list = g_hash_table_lookup(by_account, c->account);
    if (!list) {
        list = g_ptr_array_new();
        g_hash_table_insert(by_account, (gpointer)c->account, list);
        g_ptr_array_add(order, (gpointer)c->account);
    }
    g_ptr_array_add(list, c);
}

/* Checks every end-of-run expectation, each account's log read once (and
 * only lines that can match parsed), the results in the file's order. */
static void check_expectations(run *r)
{
    GPtrArray *expects = r->s->expects;
    /* Room for every expectation and the other side of each cross-record one. */
    check *checks = g_new0(check, 2 * expects->len + 1);
    guint n_aux = 0;
    GHashTable *by_account = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                                   (GDestroyNotify)g_ptr_array_unref);
    GPtrArray *order = g_ptr_array_new();       /* account ids, first mention first */
    for (guint i = 0; i < expects->len; i++) {
        const scen_expect *ex = expects->pdata[i];
        check *c = &checks[i];
        c->ex = ex;
        c->res = g_new0(check_result, 1);
        c->res->where = g_strdup(ex->path);
        c->res->who = g_strdup(ex->account);
        c->res->line = ex->line;
        c->res->col = ex->col;
        c->res->spec = ex->spec;
        c->res->at_us = engine_now(r->e);
        g_ptr_array_add(r->env.results, c->res);
        char *missing = NULL;
        c->pattern = tmpl_expand(ex->match, scenario_lookup, r, &missing);
        if (!c->pattern) {
            c->res->message = g_strdup_printf("the pattern refers to ${%s}, which has no value",
                                              missing);
            g_free(missing);
            continue;
        }
        c->needles = needles_of(c->pattern);
        c->maybe = true;
        c->account = ex->account;
        c->start_s = r->s->start_epoch_s;
        bool across = ex->same_event_in || ex->before_account || ex->lag_max_us >= 0 ||
                      ex->lag_min_us > 0;
        if (across)
            c->hits = g_array_new(FALSE, FALSE, sizeof(hit));
        if (ex->same_event_in || ex->before_account) {
            check *o = &checks[expects->len + n_aux++];
            o->ex = ex;
            o->account = ex->same_event_in ? ex->same_event_in : ex->before_account;
            o->pattern = ex->same_event_in ? cJSON_Duplicate(c->pattern, 1)
                                           : tmpl_expand(ex->before_match, scenario_lookup, r, &missing);
            g_free(missing);
            missing = NULL;
            if (!o->pattern) {
                c->res->message = g_strdup("the \"before\" pattern refers to a value that does not exist");
                continue;
            }
            o->needles = needles_of(o->pattern);
            o->maybe = true;
            o->start_s = c->start_s;
            o->hits = g_array_new(FALSE, FALSE, sizeof(hit));
            c->other = o;
        }
        enlist(by_account, order, c);
        if (c->other)
            enlist(by_account, order, c->other);
    }
    for (guint i = 0; i < order->len; i++) {
        GPtrArray *list = g_hash_table_lookup(by_account, order->pdata[i]);
        GError *err = NULL;
        bool read = rec_each_record(r->rec, order->pdata[i], want_line, match_line, list,
                                    &err);
        if (!read)
            for (guint k = 0; k < list->len; k++) {
                check *c = list->pdata[k];
                if (c->res && !c->res->message)
                    c->res->message = g_strdup_printf("the log of %s cannot be read back: %s",
                                                      c->account, err->message);
            }
        g_clear_error(&err);
    }
    /* Verdicts once every log has been read: a cross-record one needs both. */
    for (guint i = 0; i < expects->len; i++)
        if (checks[i].pattern && !checks[i].res->message)
            verdict(&checks[i]);
    for (guint i = 0; i < expects->len + n_aux; i++) {
        cJSON_Delete(checks[i].pattern);
        if (checks[i].needles)
            g_ptr_array_unref(checks[i].needles);
        if (checks[i].hits)
            g_array_unref(checks[i].hits);
    }
    g_ptr_array_unref(order);
    g_hash_table_unref(by_account);
    g_free(checks);
}

/* ---- the run ----------------------------------------------------------------------------- */

void run_result_clear(run_result *r)
{
    g_free(r->digest);
    if (r->results)
        g_ptr_array_unref(r->results);
    if (r->stuck)
        g_ptr_array_unref(r->stuck);
    if (r->accounts)
        g_ptr_array_unref(r->accounts);
    cJSON_Delete(r->summary);
    memset(r, 0, sizeof *r);
}

/* The recorder asks which trails an account's records reach (the S3 layout's
 * folders); the model's trail configuration answers. */
static void trails_for(void *user, const char *account, GArray *out)
{
    trails_trail t[2];
    guint n = trails_of(user, account, t);
    for (guint i = 0; i < n; i++) {
        rec_trail rt = { t[i].org, t[i].data_types, false };
        g_array_append_val(out, rt);
    }
}

/* The run's wiring, before any event has fired: the recorder, the world's
 * host, the actors started. */
run_session *run_open(scenario *s, const run_opts *o, GError **error)
{
    run *r = g_new0(run, 1);
    r->s = s;
    r->e = engine_new();
    rec_config cfg = { .out_dir = o->out_dir, .s3_layout = o->s3_layout, .region = s->region,
                       .start_epoch_s = s->start_epoch_s, .seed = s->streams, .delay = s->delay,
                       .live = o->live };
    r->rec = rec_new(&cfg, r->e, error);
    if (!r->rec) {
        engine_free(r->e);
        g_free(r);
        return NULL;
    }
    r->opts = *o;
    r->live = o->live;
    if (o->sqlite && !(r->sql = sqlsink_open(o->sqlite, error))) {
        rec_free(r->rec);
        engine_free(r->e);
        g_free(r);
        return NULL;
    }
    if (o->out_dir)
        r->tl = timeline_new(20000);
    rec_on_deliver(r->rec, on_deliver, r);
    rec_set_trails(r->rec, trails_for, s->world);
    world_host host = { .self = r, .now = host_now, .schedule = host_schedule,
                        .cancel = host_cancel, .emit = host_emit, .notify = host_notify,
                        .each_record = host_each_record };
    world_set_host(s->world, &host);
    r->env = (actor_env){
        .w = s->world, .e = r->e, .s = s,
        .saved = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)cJSON_Delete),
        .results = g_ptr_array_new_with_free_func((GDestroyNotify)check_result_free),
        .principals = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify)principal_free),
    };
    r->actors = g_ptr_array_new_with_free_func((GDestroyNotify)actor_free);
    r->by_account = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify)g_ptr_array_unref);
    for (guint i = 0; i < s->actors->len; i++) {
        const scen_actor *def = s->actors->pdata[i];
        for (int c = 0; c < def->count; c++) {
            actor *a = actor_new(&r->env, def, c);
            g_ptr_array_add(r->actors, a);
            GPtrArray *list = g_hash_table_lookup(r->by_account, actor_account(a));
            if (!list) {
                list = g_ptr_array_new();
                g_hash_table_insert(r->by_account, g_strdup(actor_account(a)), list);
            }
            g_ptr_array_add(list, a);
        }
    }
    for (guint i = 0; i < r->actors->len; i++)
        actor_start(r->actors->pdata[i]);
    return r;
}

void run_advance(run_session *r, int64_t until_us)
{
    r->fired += engine_advance_to(r->e, until_us);
}

int64_t run_now(const run_session *r)
{
    return engine_now(r->e);
}

bool run_flush(run_session *r, GError **error)
{
    return rec_flush(r->rec, error) && (!r->sql || sqlsink_commit(r->sql, error));
}

void run_counts(const run_session *r, run_progress *p)
{
    *p = (run_progress){ engine_now(r->e), r->fired, rec_calls(r->rec), rec_delivered(r->rec), false };
}

bool run_close(run_session *rp, run_result *res, GError **error)
{
    run *rr = rp;
    scenario *s = rr->s;
    const run_opts *o = &rr->opts;
    memset(res, 0, sizeof *res);
    bool ok = rec_finish(rr->rec, error);
    GError *sql_error = NULL;
    if (!sqlsink_close(rr->sql, &sql_error)) {
        if (ok)
            g_propagate_error(error, sql_error);
        else
            g_clear_error(&sql_error);
        ok = false;
    }
    rr->sql = NULL;
    check_expectations(rr);

    res->results = g_steal_pointer(&rr->env.results);
    res->stuck = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < rr->actors->len; i++) {
        char *st = actor_stuck(rr->actors->pdata[i]);
        if (st)
            g_ptr_array_add(res->stuck, st);
    }
    for (guint i = 0; i < res->results->len; i++) {
        const check_result *c = res->results->pdata[i];
        if (c->ok)
            res->passed++;
        else
            res->failed++;
    }
    res->digest = rec_digest(rr->rec);
    res->end_us = engine_now(rr->e);
    res->events = rr->fired;
    res->accounts = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *accs = rec_accounts(rr->rec);
    for (guint i = 0; i < accs->len; i++)
        g_ptr_array_add(res->accounts, g_strdup(accs->pdata[i]));

    res->summary = summary_build(s, res, rr->rec);
    cJSON *aliases = cJSON_GetObjectItemCaseSensitive(res->summary, "aliases");
    cJSON *sum = res->summary;
    if (ok && o->out_dir) {
        g_autofree char *path = g_build_filename(o->out_dir, "summary.json", NULL);
        GString *text = g_string_sized_new(64 * 1024);
        json_append_pretty(text, sum);
        g_string_append_c(text, '\n');
        ok = wfile_write(path, text->str, text->len, error);
        g_string_free(text, TRUE);
        g_autofree char *tl = g_build_filename(o->out_dir, "timeline.html", NULL);
        if (ok)
            ok = timeline_write(rr->tl, tl, s->name, aliases, s->start_epoch_s, error);
    }

    if (o->exiting && run_keep_heap()) {
        world_set_host(s->world, NULL);
        return ok;            /* the process ends: the kernel takes the heap back */
    }
    g_ptr_array_unref(rr->actors);
    g_hash_table_unref(rr->by_account);
    g_hash_table_unref(rr->env.saved);
    g_hash_table_unref(rr->env.principals);
    timeline_free(rr->tl);
    rec_free(rr->rec);
    engine_free(rr->e);
    world_set_host(s->world, NULL);   /* the host was this call's; the world outlives it */
    g_free(rr);
    return ok;
}

#if defined(__SANITIZE_ADDRESS__)
#define RUN_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define RUN_SANITIZED 1
#endif
#endif

bool run_keep_heap(void)
{
#ifdef RUN_SANITIZED
    return false;
#else
    return g_getenv("CROSSIM_FREE_AT_EXIT") == NULL;
#endif
}

bool run_scenario(scenario *s, const run_opts *o, run_result *res, GError **error)
{
    memset(res, 0, sizeof *res);
    run *r = run_open(s, o, error);
    if (!r)
        return false;
    if (o->speed > 0)
        run_paced(r, o->speed, s->until_us);
    else if (!o->tick)
        r->fired = engine_run(r->e, s->until_us);
    else {
        run_progress pr = { 0 };
        while (engine_next_time(r->e) <= s->until_us && engine_step(r->e)) {
            if (++r->fired % RUN_TICK_EVENTS)
                continue;
            pr = (run_progress){ engine_now(r->e), r->fired, rec_calls(r->rec), rec_delivered(r->rec), false };
            o->tick(o->tick_user, &pr);
        }
        pr = (run_progress){ engine_now(r->e), r->fired, rec_calls(r->rec), rec_delivered(r->rec), true };
        o->tick(o->tick_user, &pr);
    }
    return run_close(r, res, error);
}
