/* sim/actor.c: the script interpreter.
 *
 * Invariants: an actor has at most one pending engine event of its own (the
 * next step, a poll, or a wait's timeout), whose id it keeps so it can cancel
 * it; a finished actor has none.  Every value that reaches output (ids,
 * names) is drawn from the actor's own stream, "actor/<name>". */
#include "sim/actor.h"

#include <string.h>

#include "model/api.h"
#include "model/base/duration.h"
#include "sim/tmpl.h"

/* A happening is shared by every actor of the account it is addressed to
 * (reference counted, read-only once made). */
struct happening {
    char  *kind;
    cJSON *payload;
};

struct actor {
    actor_env        *env;
    const scen_actor *def;
    int               copy;
    char             *name;
    char             *as;          /* resolved ARN of the default principal */
    principal        *as_p;        /* its principal (borrowed from env.principals), or NULL */
    char             *account;
    rng               rng;
    guint             step;        /* index of the current step */
    int               runs_left;   /* repeat */
    int64_t           deadline;    /* of the current wait */
    uint64_t          pending;     /* engine event id, 0 = none */
    bool              waiting, done;
    GQueue            mailbox;     /* happening* */
    cJSON            *i_value;     /* ${i} */
    cJSON            *scratch;     /* values made for lookups, freed per step */
};

void check_result_free(check_result *r)
{
    if (!r)
        return;
    g_free(r->where);
    g_free(r->who);
    g_free(r->message);
    g_free(r);
}

static void happening_clear(gpointer p)
{
    happening *h = p;
    g_free(h->kind);
    cJSON_Delete(h->payload);
}

happening *happening_new(const char *kind, const cJSON *payload)
{
    happening *h = g_rc_box_new0(happening);
    h->kind = g_strdup(kind);
    h->payload = payload ? cJSON_Duplicate(payload, 1) : cJSON_CreateObject();
    return h;
}

void happening_unref(happening *h)
{
    if (h)
        g_rc_box_release_full(h, happening_clear);
}

static void happening_free(gpointer p)
{
    happening_unref(p);
}

/* ---- references ------------------------------------------------------------- */

const cJSON *actor_lookup(actor_env *env, const actor *a, const char *ref)
{
    gsize n = strcspn(ref, ".[");
    g_autofree char *head = g_strndup(ref, n);
    const char *rest = ref + n;
    cJSON *scratch = a ? a->scratch : NULL;
    if (strcmp(head, "i") == 0 && a)
        return a->i_value;
    if ((strcmp(head, "region") == 0 || strcmp(head, "scenario") == 0 ||
         strcmp(head, "actor") == 0) && scratch) {
        const char *v = strcmp(head, "region") == 0 ? env->s->region
                      : strcmp(head, "scenario") == 0 ? env->s->name : a->name;
        cJSON *s = cJSON_CreateString(v);
        cJSON_AddItemToArray(scratch, s);
        return s;
    }
    if (strcmp(head, "accounts") == 0 && *rest == '.' && scratch) {
        world_account *acc = world_account_get(env->w, rest + 1);
        if (!acc)
            return NULL;
        cJSON *s = cJSON_CreateString(world_account_id(acc));
        cJSON_AddItemToArray(scratch, s);
        return s;
    }
    const cJSON *v = g_hash_table_lookup(env->saved, head);
    return v ? tmpl_path(v, rest) : NULL;
}

static const cJSON *lookup_cb(void *user, const char *ref)
{
    actor *a = user;
    return actor_lookup(a->env, a, ref);
}

/* ---- results ------------------------------------------------------------------ */

static void report(actor *a, const scen_step *st, bool ok, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
static void report(actor *a, const scen_step *st, bool ok, const char *fmt, ...)
{
    check_result *r = g_new0(check_result, 1);
    va_list ap;
    va_start(ap, fmt);
    r->message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    r->where = g_strdup(st->path);
    r->who = g_strdup(a->name);
    r->line = st->line;
    r->col = st->col;
    r->spec = st->spec;
    r->ok = ok;
    r->at_us = engine_now(a->env->e);
    g_ptr_array_add(a->env->results, r);
}

static bool has_expectation(const scen_step *st)
{
    return st->expect || st->expect_output;
}

/* ---- stepping --------------------------------------------------------------------- */

static void run_step(engine *e, void *data);

static void schedule_at(actor *a, int64_t at)
{
    a->pending = engine_schedule(a->env->e, at, run_step, a, NULL);
}

/* Moves to the next step (or the next run of a repeated one). */
static void advance(actor *a)
{
    const scen_step *st = a->def->steps->pdata[a->step];
    int64_t now = engine_now(a->env->e);
    if (--a->runs_left > 0) {
        schedule_at(a, now + st->every_us);
        return;
    }
    a->step++;
    if (a->step >= a->def->steps->len) {
        a->done = true;
        a->pending = 0;
        return;
    }
    st = a->def->steps->pdata[a->step];
    a->runs_left = st->repeat;
    schedule_at(a, st->has_at ? MAX(now, st->at_us) : now + st->after_us);
}

static void save_value(actor *a, const scen_step *st, const cJSON *v)
{
    if (!st->save)
        return;
    char *missing = NULL;
    char *name = tmpl_expand_string(st->save, lookup_cb, a, &missing);
    if (!name) {
        report(a, st, false, "save name refers to ${%s}, which has no value", missing);
        g_free(missing);
        return;
    }
    g_hash_table_replace(a->env->saved, name, v ? cJSON_Duplicate(v, 1) : cJSON_CreateObject());
}

static principal *principal_of(actor *a, const char *arn)
{
    /* Most calls are the actor's own: no key to build, no lookup. */
    if (a->as_p && a->as && strcmp(arn, a->as) == 0)
        return a->as_p;
    g_autofree char *key = g_strconcat(arn, "|", a->name, NULL);
    principal *p = g_hash_table_lookup(a->env->principals, key);
    if (p)
        return p;
    const principal_origin from = { a->def->source_ip, a->def->source_vpc, a->def->source_vpce,
                                    a->def->user_agent };
    p = world_principal_from(a->env->w, arn, a->name, &from, NULL);
    if (!p)
        return NULL;
    g_hash_table_insert(a->env->principals, g_steal_pointer(&key), p);
    return p;
}

/* Makes the call of a step.  Returns the output (owned, never NULL on
 * success) or NULL with *err set; false when the step could not run at all. */
static bool do_call(actor *a, const scen_step *st, cJSON **out, api_error *err)
{
    char *missing = NULL;
    g_autoptr(cJSON) input = tmpl_expand(st->input, lookup_cb, a, &missing);
    if (!input) {
        report(a, st, false, "could not run %s: ${%s} has no value", st->call, missing);
        g_free(missing);
        return false;
    }
    g_autofree char *as = st->as ? tmpl_expand_string(st->as, lookup_cb, a, &missing)
                                 : g_strdup(a->as);
    if (!as) {
        report(a, st, false, "could not run %s: \"as\" refers to ${%s}, which has no value",
               st->call, missing);
        g_free(missing);
        return false;
    }
    principal *who = principal_of(a, as);
    if (!who) {
        report(a, st, false, "could not run %s: %s is no principal of this scenario",
               st->call, as);
        return false;
    }
    a->env->calls++;
    *out = NULL;
    if (api_invoke(a->env->w, who, st->call, input, &a->rng, out, err) && !*out)
        *out = cJSON_CreateObject();
    return true;
}

static cJSON *error_value(const api_error *err)
{
    cJSON *v = cJSON_CreateObject();
    cJSON *e = cJSON_AddObjectToObject(v, "Error");
    cJSON_AddStringToObject(e, "Code", err->code);
    cJSON_AddStringToObject(e, "Message", err->message ? err->message : "");
    return v;
}

static void check_output(actor *a, const scen_step *st, const cJSON *out)
{
    char *missing = NULL;
    g_autoptr(cJSON) want = tmpl_expand(st->expect_output, lookup_cb, a, &missing);
    if (!want) {
        report(a, st, false, "expect_output refers to ${%s}, which has no value", missing);
        g_free(missing);
        return;
    }
    const cJSON *m;
    cJSON_ArrayForEach(m, want) {
        g_autoptr(cJSON) one = cJSON_CreateObject();
        cJSON_AddItemToObject(one, m->string, cJSON_Duplicate(m, 1));
        bool ok = scen_match(out, one);
        const cJSON *got = tmpl_path(out, m->string);
        char *g = got ? cJSON_PrintUnformatted(got) : NULL;
        char *w = cJSON_PrintUnformatted(m);
        report(a, st, ok, "%s: %s expected %s, got %s", st->call, m->string, w,
               g ? g : "(absent)");
        cJSON_free(w);
        cJSON_free(g);
    }
}

static void finish_call(actor *a, const scen_step *st, cJSON *out, api_error *err)
{
    const char *got = err->code ? err->code : "ok";
    if (st->expect) {
        bool ok = scen_expects(st, got);
        if (err->code)
            report(a, st, ok, "%s: expected %s, got %s: %s", st->call, st->expect_text, got,
                   err->message ? err->message : "");
        else
            report(a, st, ok, "%s: expected %s, got ok", st->call, st->expect_text);
    }
    /* expect_output reads what the step saves: the response, or on an
     * error {"Error": {"Code", "Message"}}. */
    g_autoptr(cJSON) ev = err->code ? error_value(err) : NULL;
    if (st->expect_output)
        check_output(a, st, ev ? ev : out);
    save_value(a, st, ev ? ev : out);
}

static void wait_timeout(actor *a, const scen_step *st)
{
    char d[32];
    dur_format(st->timeout_us, d);
    bool ok = scen_expects(st, "timeout");
    if (has_expectation(st) || !ok)
        report(a, st, ok, "wait for %s %s after %s", st->wait ? st->wait : st->call,
               ok ? "timed out as expected" : "timed out", d);
    a->waiting = false;
}

/* Looks for a matching happening in the mailbox; consumes it. */
static bool take_happening(actor *a, const scen_step *st)
{
    /* The pattern is expanded once, not once per happening in the mailbox. */
    g_autoptr(cJSON) m = NULL;
    if (st->match) {
        char *missing = NULL;
        m = tmpl_expand(st->match, lookup_cb, a, &missing);
        g_free(missing);
        if (!m)
            return false;
    }
    for (GList *l = a->mailbox.head; l; l = l->next) {
        happening *h = l->data;
        if (strcmp(h->kind, st->wait) != 0 || (m && !scen_match(h->payload, m)))
            continue;
        save_value(a, st, h->payload);
        if (st->expect)
            report(a, st, scen_expects(st, "ok"), "wait for %s: expected %s, got it",
                   st->wait, st->expect_text);
        g_queue_delete_link(&a->mailbox, l);
        happening_free(h);
        return true;
    }
    return false;
}

static void run_step(engine *e, void *data)
{
    actor *a = data;
    a->pending = 0;
    const scen_step *st = a->def->steps->pdata[a->step];
    int64_t now = engine_now(e);
    a->env->steps_run++;
    if (a->scratch)
        cJSON_Delete(a->scratch);
    a->scratch = cJSON_CreateArray();
    switch (st->kind) {
    case STEP_CALL: {
        cJSON *out = NULL;
        api_error err = { 0 };
        if (do_call(a, st, &out, &err))
            finish_call(a, st, out, &err);
        cJSON_Delete(out);
        api_error_clear(&err);
        advance(a);
        break;
    }
    case STEP_WAIT_EVENT:
        if (a->waiting && now >= a->deadline) {
            wait_timeout(a, st);
            advance(a);
        } else if (take_happening(a, st)) {
            a->waiting = false;
            advance(a);
        } else {
            if (!a->waiting) {
                a->waiting = true;
                a->deadline = now + st->timeout_us;
            }
            schedule_at(a, a->deadline);
        }
        break;
    case STEP_WAIT_POLL: {
        if (!a->waiting) {
            a->waiting = true;
            a->deadline = now + st->timeout_us;
        }
        cJSON *out = NULL;
        api_error err = { 0 };
        bool ran = do_call(a, st, &out, &err);
        if (ran && !err.code && scen_match(out, st->until)) {
            a->waiting = false;
            finish_call(a, st, out, &err);
            advance(a);
        } else if (!ran || now + st->every_us > a->deadline) {
            if (ran)
                wait_timeout(a, st);
            a->waiting = false;
            advance(a);
        } else {
            schedule_at(a, now + st->every_us);
        }
        cJSON_Delete(out);
        api_error_clear(&err);
        break;
    }
    }
}

/* ---- lifecycle ------------------------------------------------------------------------ */

actor *actor_new(actor_env *env, const scen_actor *def, int copy)
{
    actor *a = g_new0(actor, 1);
    a->env = env;
    a->def = def;
    a->copy = copy;
    a->name = def->count > 1 ? g_strdup_printf("%s-%d", def->name, copy) : g_strdup(def->name);
    a->i_value = cJSON_CreateNumber(copy);
    a->scratch = cJSON_CreateArray();
    g_queue_init(&a->mailbox);
    g_autofree char *stream = g_strdup_printf("actor/%s", a->name);
    rng_init(&a->rng, env->s->streams, stream);
    char *missing = NULL;
    a->as = tmpl_expand_string(def->as, lookup_cb, a, &missing);
    g_free(missing);
    principal *p = a->as ? principal_of(a, a->as) : NULL;
    a->as_p = p;
    a->account = g_strdup(p ? principal_account(p) : "");
    return a;
}

void actor_free(actor *a)
{
    if (!a)
        return;
    g_queue_clear_full(&a->mailbox, happening_free);
    cJSON_Delete(a->i_value);
    cJSON_Delete(a->scratch);
    g_free(a->name);
    g_free(a->as);
    g_free(a->account);
    g_free(a);
}

void actor_start(actor *a)
{
    if (a->def->steps->len && !*a->account)
        /* The loader refuses such files; should one get through, the
         * actor's steps fail here rather than vanish. */
        report(a, a->def->steps->pdata[0], false, "%s cannot act: \"as\" (%s) names no "
               "principal of this scenario, so none of its steps ran", a->name,
               a->as ? a->as : a->def->as);
    if (!a->def->steps->len || !*a->account) {
        a->done = true;
        return;
    }
    const scen_step *st = a->def->steps->pdata[0];
    a->runs_left = st->repeat;
    schedule_at(a, st->has_at ? st->at_us : st->after_us);
}

void actor_deliver(actor *a, const char *kind, const cJSON *payload)
{
    happening *h = happening_new(kind, payload);
    actor_deliver_shared(a, h);
    happening_unref(h);
}

void actor_deliver_shared(actor *a, happening *h)
{
    const char *kind = h->kind;
    g_queue_push_tail(&a->mailbox, g_rc_box_acquire(h));
    if (a->waiting && !a->done) {
        const scen_step *st = a->def->steps->pdata[a->step];
        if (st->kind == STEP_WAIT_EVENT && strcmp(st->wait, kind) == 0) {
            /* Re-run the wait now; it takes the happening if it matches. */
            if (a->pending)
                engine_cancel(a->env->e, a->pending);
            schedule_at(a, engine_now(a->env->e));
        }
    }
}

const char *actor_account(const actor *a) { return a->account; }
const char *actor_name(const actor *a) { return a->name; }
bool        actor_done(const actor *a) { return a->done; }

char *actor_stuck(const actor *a)
{
    if (a->done)
        return NULL;
    const scen_step *st = a->def->steps->pdata[a->step];
    return g_strdup_printf("%s stopped at %s (%s)", a->name, st->path,
                           st->wait ? st->wait : st->call);
}
