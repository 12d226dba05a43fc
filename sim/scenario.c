/* sim/scenario.c: loading and validating scenario files.
 *
 * Owns the whole of a scenario's checking.  It reads the file once
 * (sim/jsonpos), walks every key against the lists below, collects every
 * problem it finds (up to a limit) as "file:line:col: path: message", and
 * only when there is none builds the world and the actors.  Nothing here
 * writes a file or runs a step. */
#include "sim/scenario.h"

#include <string.h>

#include "model/api.h"
#include "model/estate.h"
#include "model/shapes.h"
#include "model/base/duration.h"
#include "model/base/jload.h"
#include "model/base/rng.h"
#include "sim/jsonpos.h"
#include "sim/recorder.h"
#include "sim/tmpl.h"

#define MAX_ERRORS 25

typedef struct ld {
    jload       j;            /* reports to report() below */
    jdoc       *doc;
    GString    *errors;
    scenario   *s;
    GHashTable *saves;        /* save names, every copy's, for reference checks */
    GPtrArray  *dyn_saves;    /* ref_at*: save names that are templates ("inv-${i}") */
    GPtrArray  *refs;         /* ref_at*: every ${...} of the file */
    const struct scen_actor *cur_actor;  /* the actor whose steps are loading */
    const cJSON *cur_node;    /* the string being scanned for references */
    const char  *cur_path;
} ld;

/* A reference (or a templated save name) and where the file holds it. */
typedef struct ref_at {
    char             *ref;
    const cJSON      *node;
    char             *path;
    const scen_actor *actor;   /* its copies expand ${i}; NULL outside actors */
} ref_at;

static void ref_at_free(gpointer p)
{
    ref_at *r = p;
    g_free(r->ref);
    g_free(r->path);
    g_free(r);
}

/* References may hold references ("${accounts.p-${i}}"), not without end. */
#define MAX_REF_DEPTH 8

/* Where the model's and our own checks report: "file:line:col: path: message". */
static void report(void *user, const cJSON *node, bool at_key, const char *path,
                   const char *msg)
{
    ld *l = user;
    g_autofree char *line = jdoc_where(l->doc, node, at_key, path, msg);
    g_autofree char *shown = jdoc_printable(line);
    g_string_append_printf(l->errors, "%s%s", l->errors->len ? "\n" : "", shown);
}

static GPtrArray *get_spec(ld *l, const cJSON *obj, const char *path)
{
    const cJSON *v = jload_member(obj, "spec");
    GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
    if (!v)
        return ids;
    g_autofree char *p = jload_sub(path, "spec");
    if (cJSON_IsString(v)) {
        g_ptr_array_add(ids, g_strdup(v->valuestring));
    } else if (cJSON_IsArray(v)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, v) {
            if (cJSON_IsString(e))
                g_ptr_array_add(ids, g_strdup(e->valuestring));
            else
                jload_err(&l->j, e, FALSE, p, "SPEC ids are strings such as \"RAM2\"");
        }
    } else {
        jload_err(&l->j, v, FALSE, p, "must be a SPEC id or a list of them, not %s", jload_type_name(v));
    }
    for (guint i = 0; i < ids->len; i++) {
        const char *id = ids->pdata[i];
        gsize k = 0;
        while (g_ascii_isupper(id[k]))
            k++;
        if (k == 0 || !id[k] || !g_ascii_isdigit(id[k]))
            jload_err(&l->j, v, FALSE, p, "\"%s\" is not a SPEC id (letters then a number, e.g. MC4)", id);
    }
    return ids;
}

/* Loads the body ac of account id (model/estate: its quotas and every
 * service's keys); path names ac in messages. */
static void load_account(ld *l, const cJSON *ac, const char *id, const char *path)
{
    world *w = l->s->world;
    estate_load_account(w, world_account_get(w, id), ac, path, &l->j);
}

/* ---- account sets: many accounts from one template (stress) ------------------ */

static const char *const set_keys[] = { "count", "first_id", "alias", "account", NULL };

static void load_account_sets(ld *l, const cJSON *sets)
{
    const cJSON *set;
    int k = 0;
    cJSON_ArrayForEach(set, sets) {
        g_autofree char *path = g_strdup_printf("account_sets[%d]", k++);
        if (!cJSON_IsObject(set)) {
            jload_err(&l->j, set, FALSE, path, "an account set is {count, first_id, alias, account}");
            continue;
        }
        jload_check_keys(&l->j, set, path, set_keys);
        const cJSON *cnt = jload_member(set, "count");
        const char *first = jload_str(&l->j, set, "first_id", path, true);
        const char *alias = jload_str(&l->j, set, "alias", path, false);
        const cJSON *body = jload_obj(&l->j, set, "account", path, false);
        g_autofree char *bpath = jload_sub(path, "account");
        if (!cJSON_IsNumber(cnt) || cnt->valuedouble < 1 || cnt->valuedouble > 100000 ||
            cnt->valuedouble != (double)(int)cnt->valuedouble) {
            jload_err(&l->j, cnt ? cnt : set, FALSE, path, "count is a whole number from 1 to 100000");
            continue;
        }
        if (!first || !world_is_account_id(first)) {
            if (first)
                jload_err(&l->j, jload_member(set, "first_id"), FALSE, path, "\"%s\" is not an account id (12 digits)", first);
            continue;
        }
        if (body && jload_member(body, "alias"))
            jload_err(&l->j, jload_member(body, "alias"), TRUE, bpath, "give the alias on the set, with ${i}");
        guint64 base = g_ascii_strtoull(first, NULL, 10);
        int n = (int)cnt->valuedouble;
        if (base + (guint64)n > 999999999999ULL) {
            jload_err(&l->j, cnt, FALSE, path, "the ids run past 999999999999");
            continue;
        }
        int before = l->j.n_errors;
        for (int i = 0; i < n && l->j.n_errors == before; i++) {
            char id[13];
            g_snprintf(id, sizeof id, "%012" G_GUINT64_FORMAT, base + (guint64)i);
            g_autofree char *al = NULL;
            if (alias) {
                GString *a = g_string_new(alias);
                g_autofree char *num = g_strdup_printf("%d", i);
                g_string_replace(a, "${i}", num, 0);
                al = g_string_free(a, FALSE);
            }
            if (world_account_get(l->s->world, id) || (al && world_account_get(l->s->world, al))) {
                jload_err(&l->j, set, FALSE, path, "account %s (alias %s) is already defined", id, al ? al : "-");
                break;
            }
            world_add_account(l->s->world, id, al);
            if (body)
                load_account(l, body, id, bpath);
        }
    }
}

/* ---- actors and steps -------------------------------------------------------- */

static const char *const actor_keys[] = { "name", "as", "count", "script", "source_ip",
                                          "source_vpc", "source_vpce", "user_agent", "note", NULL };
static const char *const step_keys[] = { "at", "after", "call", "input", "as", "save", "expect",
                                         "expect_output", "spec", "wait", "match", "every",
                                         "timeout", "repeat", "note", NULL };
static const char *const poll_keys[] = { "call", "input", "until", NULL };

static void note_ref(void *user, const char *ref)
{
    ld *l = user;
    ref_at *r = g_new0(ref_at, 1);
    r->ref = g_strdup(ref);
    r->node = l->cur_node;
    r->path = g_strdup(l->cur_path);
    r->actor = l->cur_actor;
    g_ptr_array_add(l->refs, r);
}


/* Notes the references of every string under t (a node of the file), each
 * at its own string. */
static void note_refs_in(ld *l, const cJSON *t, const char *path)
{
    if (cJSON_IsString(t)) {
        l->cur_node = t;
        l->cur_path = path;
        int depth = tmpl_each_ref(t->valuestring, MAX_REF_DEPTH, note_ref, l);
        if (depth > MAX_REF_DEPTH)
            jload_err(&l->j, t, FALSE, path, "references nest %d deep here; at most %d", depth,
                MAX_REF_DEPTH);
        return;
    }
    const cJSON *c;
    int i = 0;
    cJSON_ArrayForEach(c, t) {
        g_autofree char *p = cJSON_IsArray(t) ? jload_idx(path, i) : jload_sub(path, c->string);
        note_refs_in(l, c, p);
        i++;
    }
}

static bool has_ref(const char *s)
{
    return s && strstr(s, "${");
}

/* The principal an actor or step names: an ARN, or {account, role|user|root}. */
static char *named_principal(ld *l, const cJSON *v, const char *path)
{
    if (cJSON_IsString(v))
        return g_strdup(v->valuestring);
    static const char *const keys[] = { "account", "role", "user", "root", NULL };
    if (!cJSON_IsObject(v)) {
        jload_err(&l->j, v, FALSE, path, "must be an ARN or {\"account\": ..., \"role\": ...}");
        return NULL;
    }
    jload_check_keys(&l->j, v, path, keys);
    const char *acc = jload_str(&l->j, v, "account", path, true);
    const char *role = jload_str(&l->j, v, "role", path, false);
    const char *user = jload_str(&l->j, v, "user", path, false);
    if (acc && has_ref(acc)) {
        /* "t-${i}": expanded when the actor starts, like the ARN form; the
         * account (an alias or an id) resolves through ${accounts.X}. */
        g_autofree char *ref = g_strdup_printf("${accounts.%s}", acc);
        return estate_principal_arn(ref, role, user);
    }
    world_account *a = acc ? world_account_get(l->s->world, acc) : NULL;
    if (acc && !a) {
        jload_err(&l->j, jload_member(v, "account"), FALSE, path, "\"%s\" is not an account of this scenario", acc);
        return NULL;
    }
    if (!a)
        return NULL;
    return estate_principal_arn(world_account_id(a), role, user);
}

static void check_principal(ld *l, const char *arn, const cJSON *node, const char *path)
{
    if (!arn || has_ref(arn))
        return;
    GError *e = NULL;
    if (!world_principal_known(l->s->world, arn, &e)) {
        jload_err(&l->j, node, FALSE, path, "%s", e->message);
        g_error_free(e);
    }
}

/* What an actor's "as" can refer to when the actor starts: its copy
 * number, account aliases and the scenario's names (saved responses do
 * not exist yet).  As sim/actor.c resolves them. */
typedef struct copy_ctx { ld *l; const char *actor; cJSON *i, *scratch; } copy_ctx;

static const cJSON *copy_lookup(void *user, const char *ref)
{
    copy_ctx *c = user;
    gsize n = strcspn(ref, ".[");
    const char *v = NULL;
    if (n == 1 && ref[0] == 'i')
        return c->i;
    if (n == 6 && strncmp(ref, "region", 6) == 0)
        v = c->l->s->region;
    else if (n == 8 && strncmp(ref, "scenario", 8) == 0)
        v = c->l->s->name;
    else if (n == 5 && strncmp(ref, "actor", 5) == 0)
        v = c->actor;
    else if (n == 8 && strncmp(ref, "accounts", 8) == 0 && ref[8] == '.') {
        world_account *a = world_account_get(c->l->s->world, ref + 9);
        v = a ? world_account_id(a) : NULL;
    }
    if (!v)
        return NULL;
    cJSON *sv = cJSON_CreateString(v);
    cJSON_AddItemToArray(c->scratch, sv);
    return sv;
}

/* Every copy of a counted actor resolves its "as" to a principal of the
 * scenario, or the file is refused: an actor that cannot act would make no
 * call and fail no check.  Reports the first copy that does not. */
static void check_copies(ld *l, const scen_actor *a, const cJSON *node, const char *path)
{
    if (!a->as || !has_ref(a->as))
        return;
    copy_ctx c = { .l = l, .scratch = cJSON_CreateArray() };
    for (int k = 0; k < a->count; k++) {
        g_autofree char *name = a->count > 1 ? g_strdup_printf("%s-%d", a->name, k)
                                             : g_strdup(a->name);
        g_autofree char *who = a->count > 1 ? g_strdup_printf("copy %d of actor \"%s\"", k, a->name)
                                            : g_strdup_printf("actor \"%s\"", a->name);
        c.actor = name;
        c.i = cJSON_CreateNumber(k);
        char *missing = NULL;
        g_autofree char *arn = tmpl_expand_string(a->as, copy_lookup, &c, &missing);
        GError *e = NULL;
        if (!arn && g_str_has_prefix(missing, "accounts.")) {
            jload_err(&l->j, node, FALSE, path, "%s: \"%s\" is not an account of this scenario", who,
                missing + strlen("accounts."));
            g_free(missing);
        } else if (!arn) {
            jload_err(&l->j, node, FALSE, path, "%s: ${%s} has no value when the actor starts (\"as\" "
                "can use ${i}, ${accounts.ALIAS}, ${region}, ${scenario}, ${actor})", who, missing);
            g_free(missing);
        }
        bool known = arn && world_principal_known(l->s->world, arn, &e);
        if (arn && !known) {
            jload_err(&l->j, node, FALSE, path, "%s: %s", who, e->message);
            g_error_free(e);
        }
        cJSON_Delete(c.i);
        cJSON_Delete(c.scratch);
        c.scratch = cJSON_CreateArray();
        if (!known)
            break;
    }
    cJSON_Delete(c.scratch);
}

static void check_call(ld *l, const char *call, const cJSON *input, const cJSON *node,
                       const char *path, bool expects_error)
{
    const char *colon = strchr(call, ':');
    if (!colon || colon == call || !g_ascii_isupper(colon[1])) {
        jload_err(&l->j, node, FALSE, path, "\"%s\" is not service:Operation (e.g. ram:CreateResourceShare)",
            call);
        return;
    }
    g_autofree char *prefix = g_strndup(call, (gsize)(colon - call));
    const shapes *sh = api_shapes();
    if (!api_lookup(call)) {
        /* A call that can only fail is a mistake unless the step says it
         * expects the failure (scenarios/api-errors.json does). */
        bool aws = shapes_has_op(sh, prefix, colon + 1);
        g_autofree const char **ops = aws ? NULL : shapes_op_names(sh, prefix);
        g_autofree char *near = ops ? jload_suggest(colon + 1, ops, g_strv_length((char **)ops))
                                    : NULL;
        g_autofree char *w = aws
            ? g_strdup_printf("%s is an AWS operation crossim does not simulate yet; calls to it "
                              "fail", call)
            : near ? g_strdup_printf("%s is not an AWS operation (did you mean %s:%s?); calls to "
                                     "it fail as a real endpoint would answer", call, prefix, near)
                   : g_strdup_printf("%s is not an AWS operation; calls to it fail as a real "
                                     "endpoint would answer", call);
        if (expects_error)
            g_ptr_array_add(l->s->warnings, g_strdup_printf("%s: %s", path, w));
        else
            jload_err(&l->j, node, FALSE, path, "%s (give the step the \"expect\" of its error if that "
                "is the point)", w);
    }
    char *bad = NULL, *near = NULL;
    if (input && shapes_unknown_member(sh, prefix, colon + 1, input, &bad, &near)) {
        g_autofree char *p = g_strdup_printf("%s.input.%s", path, bad);
        /* Point at the offending key when it is a direct member. */
        const cJSON *at = cJSON_GetObjectItemCaseSensitive(input, bad);
        if (near)
            jload_err(&l->j, at ? at : input, at != NULL, p,
                "unknown parameter \"%s\" for %s (did you mean \"%s\"?)", bad, call, near);
        else
            jload_err(&l->j, at ? at : input, at != NULL, p, "unknown parameter \"%s\" for %s", bad, call);
    }
    g_free(bad);
    g_free(near);
}

static void step_free(gpointer p)
{
    scen_step *s = p;
    g_free(s->path); g_free(s->call); cJSON_Delete(s->input); g_free(s->as); g_free(s->save);
    g_strfreev(s->expect); g_free(s->expect_text); cJSON_Delete(s->expect_output); g_ptr_array_unref(s->spec);
    g_free(s->wait); cJSON_Delete(s->match); cJSON_Delete(s->until);
    g_free(s);
}

/* "expect": "ok", an error code, "error" (any error), "timeout" (waits),
 * or a list of these.  Read once per step (call steps need it early). */
static void load_expect_outcomes(ld *l, const cJSON *st, scen_step *s, const char *path)
{
    const cJSON *ex = jload_member(st, "expect");
    if (!ex || s->expect)
        return;
    g_autofree char *p = jload_sub(path, "expect");
    GPtrArray *all = g_ptr_array_new();
    if (cJSON_IsString(ex)) {
        g_ptr_array_add(all, g_strdup(ex->valuestring));
    } else if (cJSON_IsArray(ex) && cJSON_GetArraySize(ex) > 0) {
        const cJSON *e;
        int i = 0;
        cJSON_ArrayForEach(e, ex) {
            g_autofree char *ep = jload_idx(p, i++);
            if (cJSON_IsString(e) && *e->valuestring)
                g_ptr_array_add(all, g_strdup(e->valuestring));
            else
                jload_err(&l->j, e, FALSE, ep, "an outcome is \"ok\", an error code, \"error\" or "
                    "\"timeout\"");
        }
    } else {
        jload_err(&l->j, ex, FALSE, p, "expect is \"ok\", an error code, \"error\" (any error), "
            "\"timeout\" (waits) or a non-empty list of these");
    }
    for (guint i = 0; i < all->len; i++) {
        const char *e = all->pdata[i];
        if (!*e)
            jload_err(&l->j, ex, FALSE, p, "an outcome is \"ok\", an error code, \"error\" or \"timeout\"");
        if (strcmp(e, "timeout") == 0 && s->kind == STEP_CALL)
            jload_err(&l->j, ex, FALSE, p, "\"timeout\" is expected of waits only");
        if (strcmp(e, "error") == 0 && s->kind == STEP_WAIT_EVENT)
            jload_err(&l->j, ex, FALSE, p, "a wait for a happening gets it or times out: expect \"ok\" or "
                "\"timeout\"");
    }
    g_ptr_array_add(all, NULL);
    s->expect = (char **)g_ptr_array_free(all, FALSE);
    s->expect_text = g_strjoinv(" or ", s->expect);
}

bool scen_expects(const scen_step *st, const char *got)
{
    for (char **e = st->expect; e && *e; e++)
        if (strcmp(*e, got) == 0 ||
            (strcmp(*e, "error") == 0 && strcmp(got, "ok") != 0 && strcmp(got, "timeout") != 0))
            return true;
    return false;
}

static scen_step *load_step(ld *l, const cJSON *st, const char *path)
{
    if (!cJSON_IsObject(st)) {
        jload_err(&l->j, st, FALSE, path, "a step is an object (call, wait, at, after, ...)");
        return NULL;
    }
    jload_check_keys(&l->j, st, path, step_keys);
    scen_step *s = g_new0(scen_step, 1);
    s->path = g_strdup(path);
    jdoc_pos(l->doc, st, &s->line, &s->col);
    s->repeat = 1;
    s->timeout_us = 3600LL * 1000000;      /* waits give up after an hour */
    s->spec = get_spec(l, st, path);

    const cJSON *at = jload_member(st, "at");
    if (at) {
        int64_t epoch;
        g_autofree char *p = jload_sub(path, "at");
        if (cJSON_IsString(at) && dur_parse(at->valuestring, &s->at_us)) {
            s->has_at = true;
            if (s->at_us > DUR_MAX_US) {
                jload_err(&l->j, at, FALSE, p, "\"%s\" is longer than 100 years, the longest span a "
                    "scenario may name", at->valuestring);
                s->at_us = DUR_MAX_US;
            }
        } else if (cJSON_IsString(at) && time_parse_iso(at->valuestring, &epoch)) {
            if (epoch < l->s->start_epoch_s)
                jload_err(&l->j, at, FALSE, p, "%s is before the scenario's start", at->valuestring);
            if (epoch > TIME_MAX_EPOCH_S || epoch - l->s->start_epoch_s > DUR_MAX_US / 1000000) {
                jload_err(&l->j, at, FALSE, p, "%s is more than 100 years after the start", at->valuestring);
                epoch = l->s->start_epoch_s;
            }
            s->has_at = true;
            s->at_us = (epoch - l->s->start_epoch_s) * 1000000;
        } else {
            g_autofree char *shown = cJSON_PrintUnformatted(at);
            jload_err(&l->j, at, FALSE, p, "%s is not a duration from the start (90s, 10m, 2h, 1d) "
                "or an ISO 8601 time", shown);
        }
        if (jload_member(st, "after"))
            jload_err(&l->j, jload_member(st, "after"), TRUE, path, "give \"at\" or \"after\", not both");
    }
    jload_dur(&l->j, st, "after", path, &s->after_us);
    jload_dur(&l->j, st, "every", path, &s->every_us);
    jload_dur(&l->j, st, "timeout", path, &s->timeout_us);
    const cJSON *rep = jload_member(st, "repeat");
    if (rep) {
        g_autofree char *p = jload_sub(path, "repeat");
        if (!cJSON_IsNumber(rep) || rep->valuedouble < 1 || rep->valuedouble > 1e6 ||
            rep->valuedouble != (double)(int)rep->valuedouble)
            jload_err(&l->j, rep, FALSE, p, "repeat is a whole number from 1 to 1000000");
        else
            s->repeat = (int)rep->valuedouble;
        if (s->repeat > 1 && !jload_member(st, "every"))
            jload_err(&l->j, rep, TRUE, path, "repeat needs \"every\" (the interval between runs)");
    }
    const char *call = jload_str(&l->j, st, "call", path, false);
    const cJSON *wait = jload_member(st, "wait");
    const cJSON *input = jload_member(st, "input");
    if (call && wait)
        jload_err(&l->j, wait, TRUE, path, "a step either calls or waits, not both");
    else if (!call && !wait)
        jload_err(&l->j, st, FALSE, path, "a step needs \"call\" or \"wait\"");
    if (input && !cJSON_IsObject(input)) {
        g_autofree char *p = jload_sub(path, "input");
        jload_err(&l->j, input, FALSE, p, "input must be an object of the operation's members");
    }
    if (call) {
        s->kind = STEP_CALL;
        s->call = g_strdup(call);
        s->input = input && cJSON_IsObject(input) ? cJSON_Duplicate(input, 1) : cJSON_CreateObject();
        /* Checked on the file's own nodes, so errors point into the file. */
        load_expect_outcomes(l, st, s, path);
        bool error_expected = false;
        for (char **e = s->expect; e && *e; e++)
            error_expected |= strcmp(*e, "ok") != 0;
        check_call(l, call, cJSON_IsObject(input) ? input : NULL, jload_member(st, "call"), path,
                   error_expected);
    } else if (cJSON_IsString(wait)) {
        s->kind = STEP_WAIT_EVENT;
        s->wait = g_strdup(wait->valuestring);
        if (!g_strv_contains(api_happening_kinds(), wait->valuestring)) {
            /* It would only time out at run time. */
            g_autofree char *near = jload_suggest(wait->valuestring, api_happening_kinds(),
                                                   g_strv_length((char **)api_happening_kinds()));
            g_autofree char *wp = jload_sub(path, "wait");
            g_autofree char *all = g_strjoinv(", ", (char **)api_happening_kinds());
            if (near)
                jload_err(&l->j, wait, FALSE, wp, "\"%s\" is not a happening actors can wait for "
                    "(did you mean \"%s\"?)", wait->valuestring, near);
            else
                jload_err(&l->j, wait, FALSE, wp, "\"%s\" is not a happening actors can wait for (%s)",
                    wait->valuestring, all);
        }
        if (input)
            jload_err(&l->j, input, TRUE, path, "input goes with call, or inside a polling wait");
    } else if (cJSON_IsObject(wait)) {
        g_autofree char *wp = jload_sub(path, "wait");
        jload_check_keys(&l->j, wait, wp, poll_keys);
        s->kind = STEP_WAIT_POLL;
        const char *wc = jload_str(&l->j, wait, "call", wp, true);
        const cJSON *wi = jload_member(wait, "input");
        const cJSON *until = jload_obj(&l->j, wait, "until", wp, true);
        s->call = g_strdup(wc);
        s->input = cJSON_IsObject(wi) ? cJSON_Duplicate(wi, 1) : cJSON_CreateObject();
        s->until = until ? cJSON_Duplicate(until, 1) : NULL;
        if (wc)
            check_call(l, wc, cJSON_IsObject(wi) ? wi : NULL, jload_member(wait, "call"), wp, false);
        if (!jload_member(st, "every"))
            s->every_us = 30LL * 1000000;
        else if (s->every_us < 1000000) {
            /* "0m" polled at one instant forever: simulated time never reached the timeout. */
            g_autofree char *ep = jload_sub(path, "every");
            jload_err(&l->j, jload_member(st, "every"), FALSE, ep, "a polling wait polls every 1s or more");
        }
    } else if (wait) {
        g_autofree char *wp = jload_sub(path, "wait");
        jload_err(&l->j, wait, FALSE, wp, "wait is a happening (\"%s\") or "
                  "{\"call\", \"input\", \"until\"}", api_happening_kinds()[0]);
    }
    const cJSON *m = jload_member(st, "match");
    if (m) {
        g_autofree char *p = jload_sub(path, "match");
        if (s->kind != STEP_WAIT_EVENT)
            jload_err(&l->j, m, TRUE, path, "match goes with a wait for a happening");
        else if (!cJSON_IsObject(m))
            jload_err(&l->j, m, FALSE, p, "match is an object of field -> value");
        else
            s->match = cJSON_Duplicate(m, 1);
    }
    const cJSON *as = jload_member(st, "as");
    if (as) {
        g_autofree char *p = jload_sub(path, "as");
        s->as = named_principal(l, as, p);
        check_principal(l, s->as, as, p);
    }
    const char *save = jload_str(&l->j, st, "save", path, false);
    if (save) {
        s->save = g_strdup(save);
        if (has_ref(save)) {
            ref_at *r = g_new0(ref_at, 1);
            r->ref = g_strdup(save);
            r->node = jload_member(st, "save");
            r->path = jload_sub(path, "save");
            r->actor = l->cur_actor;
            g_ptr_array_add(l->dyn_saves, r);
        } else {
            g_hash_table_add(l->saves, g_strdup(save));
        }
    }
    load_expect_outcomes(l, st, s, path);
    const cJSON *eo = jload_member(st, "expect_output");
    if (eo) {
        g_autofree char *p = jload_sub(path, "expect_output");
        if (!cJSON_IsObject(eo))
            jload_err(&l->j, eo, FALSE, p, "expect_output is an object of response path -> value");
        else
            s->expect_output = cJSON_Duplicate(eo, 1);
    }
    g_autofree char *ip = jload_sub(path, "input");
    if (cJSON_IsObject(input))
        note_refs_in(l, input, ip);
    const cJSON *wait_input = cJSON_IsObject(wait) ? jload_member(wait, "input") : NULL;
    g_autofree char *wip = jload_sub(path, "wait.input");
    if (cJSON_IsObject(wait_input))
        note_refs_in(l, wait_input, wip);
    if (as) {
        g_autofree char *p = jload_sub(path, "as");
        note_refs_in(l, as, p);
    }
    g_autofree char *op = jload_sub(path, "expect_output");
    if (s->expect_output)
        note_refs_in(l, eo, op);
    return s;
}

static void actor_free(gpointer p)
{
    scen_actor *a = p;
    g_free(a->name); g_free(a->as); g_ptr_array_unref(a->steps);
    g_free(a->source_ip); g_free(a->source_vpc); g_free(a->source_vpce); g_free(a->user_agent);
    g_free(a->path);
    g_free(a);
}

static void load_actor(ld *l, const cJSON *ac, const char *path, GHashTable *names)
{
    if (!cJSON_IsObject(ac)) {
        jload_err(&l->j, ac, FALSE, path, "an actor is an object (name, as, script)");
        return;
    }
    jload_check_keys(&l->j, ac, path, actor_keys);
    scen_actor *a = g_new0(scen_actor, 1);
    a->path = g_strdup(path);
    a->steps = g_ptr_array_new_with_free_func(step_free);
    a->count = 1;
    const char *name = jload_str(&l->j, ac, "name", path, true);
    a->name = g_strdup(name ? name : "?");
    if (name && !g_hash_table_add(names, g_strdup(name)))
        jload_err(&l->j, jload_member(ac, "name"), FALSE, path, "another actor is already named \"%s\"", name);
    const cJSON *as = jload_member(ac, "as");
    g_autofree char *ap = jload_sub(path, "as");
    if (!as)
        jload_err(&l->j, ac, FALSE, path, "missing required key \"as\" (the principal the actor acts as)");
    else {
        a->as = named_principal(l, as, ap);
        if (a->as && !has_ref(a->as))
            check_principal(l, a->as, as, ap);
    }
    const cJSON *cnt = jload_member(ac, "count");
    if (cnt) {
        g_autofree char *p = jload_sub(path, "count");
        if (!cJSON_IsNumber(cnt) || cnt->valuedouble < 1 || cnt->valuedouble > 1e6 ||
            cnt->valuedouble != (double)(int)cnt->valuedouble)
            jload_err(&l->j, cnt, FALSE, p, "count is a whole number from 1 to 1000000");
        else
            a->count = (int)cnt->valuedouble;
    }
    if (as && a->as)
        check_copies(l, a, as, ap);
    a->source_ip = g_strdup(jload_str(&l->j, ac, "source_ip", path, false));
    a->source_vpc = g_strdup(jload_str(&l->j, ac, "source_vpc", path, false));
    a->source_vpce = g_strdup(jload_str(&l->j, ac, "source_vpce", path, false));
    a->user_agent = g_strdup(jload_str(&l->j, ac, "user_agent", path, false));
    const cJSON *script = jload_list(&l->j, ac, "script", path), *st;
    if (!jload_member(ac, "script"))
        jload_err(&l->j, ac, FALSE, path, "missing required key \"script\"");
    g_autofree char *sp = jload_sub(path, "script");
    int i = 0;
    l->cur_actor = a;
    cJSON_ArrayForEach(st, script) {
        g_autofree char *p = jload_idx(sp, i++);
        scen_step *s = load_step(l, st, p);
        if (s)
            g_ptr_array_add(a->steps, s);
    }
    l->cur_actor = NULL;
    g_ptr_array_add(l->s->actors, a);
}

/* ---- expectations -------------------------------------------------------------- */

static const char *const expect_keys[] = { "account", "sees", "lacks", "count", "spec", "note",
                                           "same_event_in", "before", "delivered_within",
                                           "delivered_after", NULL };
static const char *const before_keys[] = { "account", "sees", NULL };
static const char *const count_keys[] = { "of", "min", "max", NULL };

static void expect_free(gpointer p)
{
    scen_expect *e = p;
    g_free(e->path); g_free(e->account); cJSON_Delete(e->match);
    g_free(e->same_event_in); g_free(e->before_account); cJSON_Delete(e->before_match);
    g_ptr_array_unref(e->spec); g_free(e->note);
    g_free(e);
}

static const char *account_id(ld *l, const cJSON *v, const char *path)
{
    if (!cJSON_IsString(v)) {
        jload_err(&l->j, v, FALSE, path, "an account alias or id");
        return NULL;
    }
    world_account *a = world_account_get(l->s->world, v->valuestring);
    if (!a)
        jload_err(&l->j, v, FALSE, path, "\"%s\" is not an account of this scenario", v->valuestring);
    return a ? world_account_id(a) : NULL;
}

static void check_pattern_fields(ld *l, const cJSON *m, const char *path);

/* Expectations across records, beside "sees": the same event in another
 * account (sharedEventID), delivered before another account's record, and
 * delivery lag bounds. */
static void load_across(ld *l, const cJSON *ex, scen_expect *e, const char *path)
{
    const cJSON *same = jload_member(ex, "same_event_in"), *bef = jload_member(ex, "before");
    const cJSON *within = jload_member(ex, "delivered_within"), *after = jload_member(ex, "delivered_after");
    e->lag_max_us = -1;
    if ((same || bef || within || after) && e->kind != EXPECT_SEES) {
        jload_err(&l->j, ex, FALSE, path, "same_event_in, before, delivered_within and delivered_after go "
            "with \"sees\"");
        return;
    }
    if (same) {
        g_autofree char *p = jload_sub(path, "same_event_in");
        const char *id = account_id(l, same, p);
        e->same_event_in = g_strdup(id);
        if (id && e->account && strcmp(id, e->account) == 0)
            jload_err(&l->j, same, FALSE, p, "the other account must differ from \"account\"");
    }
    if (bef) {
        g_autofree char *p = jload_sub(path, "before");
        if (!cJSON_IsObject(bef)) {
            jload_err(&l->j, bef, FALSE, p, "before is {\"account\": ..., \"sees\": {pattern}}");
        } else {
            jload_check_keys(&l->j, bef, p, before_keys);
            g_autofree char *pa = jload_sub(p, "account");
            const cJSON *acc = jload_member(bef, "account"), *m = jload_member(bef, "sees");
            if (!acc)
                jload_err(&l->j, bef, FALSE, p, "missing required key \"account\"");
            else
                e->before_account = g_strdup(account_id(l, acc, pa));
            g_autofree char *pm = jload_sub(p, "sees");
            if (!cJSON_IsObject(m))
                jload_err(&l->j, m ? m : bef, FALSE, pm, "a record pattern is an object of field path -> value");
            else {
                e->before_match = cJSON_Duplicate(m, 1);
                check_pattern_fields(l, m, pm);
                l->cur_actor = NULL;
                note_refs_in(l, m, pm);
            }
        }
    }
    if (within) {
        jload_dur(&l->j, ex, "delivered_within", path, &e->lag_max_us);
    }
    if (after) {
        jload_dur(&l->j, ex, "delivered_after", path, &e->lag_min_us);
        if (e->lag_max_us >= 0 && e->lag_min_us > e->lag_max_us)
            jload_err(&l->j, after, FALSE, path, "delivered_after is later than delivered_within");
    }
}

/* A misspelt field matches nothing, and "lacks" would always hold: every
 * field path must be one crossim's records can have. */
static void check_pattern_fields(ld *l, const cJSON *m, const char *path)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, m) {
        char *near = NULL;
        if (rec_field_known(f->string, &near))
            continue;
        g_autofree char *full = jload_sub(path, f->string);
        if (near)
            jload_err(&l->j, f, TRUE, full, "no record crossim writes has a field \"%s\" (did you mean "
                "\"%s\"?)", f->string, near);
        else
            jload_err(&l->j, f, TRUE, full, "no record crossim writes has a field \"%s\"", f->string);
        g_free(near);
    }
}

static void load_expect(ld *l, const cJSON *ex, const char *path)
{
    if (!cJSON_IsObject(ex)) {
        jload_err(&l->j, ex, FALSE, path, "an expectation is an object (account, sees | lacks | count)");
        return;
    }
    jload_check_keys(&l->j, ex, path, expect_keys);
    scen_expect *e = g_new0(scen_expect, 1);
    e->path = g_strdup(path);
    jdoc_pos(l->doc, ex, &e->line, &e->col);
    e->spec = get_spec(l, ex, path);
    e->note = g_strdup(jload_str(&l->j, ex, "note", path, false));
    e->max = -1;
    const char *acc = jload_str(&l->j, ex, "account", path, true);
    world_account *a = acc ? world_account_get(l->s->world, acc) : NULL;
    if (acc && !a)
        jload_err(&l->j, jload_member(ex, "account"), FALSE, path, "\"%s\" is not an account of this scenario", acc);
    e->account = g_strdup(a ? world_account_id(a) : acc);
    int kinds = 0;
    const cJSON *m;
    if ((m = jload_member(ex, "sees"))) {
        e->kind = EXPECT_SEES;
        kinds++;
    }
    if (jload_member(ex, "lacks")) {
        m = jload_member(ex, "lacks");
        e->kind = EXPECT_LACKS;
        kinds++;
    }
    const cJSON *c = jload_member(ex, "count");
    if (c) {
        kinds++;
        e->kind = EXPECT_COUNT;
        g_autofree char *cp = jload_sub(path, "count");
        if (!cJSON_IsObject(c))
            jload_err(&l->j, c, FALSE, cp, "count is {\"of\": {...}, \"min\": n, \"max\": n}");
        else {
            jload_check_keys(&l->j, c, cp, count_keys);
            m = jload_member(c, "of");
            const cJSON *mn = jload_member(c, "min"), *mx = jload_member(c, "max");
            /* Refused rather than cast: 1e30 would wrap negative and "at
             * least 10^30" pass on an empty log; -1 would mean unbounded. */
            e->min = 0;
            e->max = -1;
            g_autofree char *pmin = jload_sub(cp, "min"), *pmax = jload_sub(cp, "max");
            if (mn && !json_whole(mn, 0, JSON_WHOLE_MAX, &e->min))
                jload_err(&l->j, mn, FALSE, pmin, "min is a whole number from 0 to 2^53-1");
            if (mx && !json_whole(mx, 0, JSON_WHOLE_MAX, &e->max))
                jload_err(&l->j, mx, FALSE, pmax, "max is a whole number from 0 to 2^53-1");
            else if (mx && e->max < e->min)
                jload_err(&l->j, mx, FALSE, pmax, "max is less than min");
            if (!mn && !mx)
                jload_err(&l->j, c, FALSE, cp, "count needs min, max or both");
        }
    }
    if (kinds != 1)
        jload_err(&l->j, ex, FALSE, path, "an expectation has exactly one of sees, lacks, count");
    if (m && !cJSON_IsObject(m))
        jload_err(&l->j, m, FALSE, path, "a record pattern is an object of field path -> value");
    if (cJSON_IsObject(m)) {
        g_autofree char *mp = jload_sub(path, e->kind == EXPECT_SEES ? "sees" : e->kind == EXPECT_LACKS
                                        ? "lacks" : "count.of");
        check_pattern_fields(l, m, mp);
    }
    e->match = cJSON_IsObject(m) ? cJSON_Duplicate(m, 1) : cJSON_CreateObject();
    load_across(l, ex, e, path);
    if (cJSON_IsObject(m)) {
        g_autofree char *mp = jload_sub(path, e->kind == EXPECT_SEES ? "sees" : e->kind == EXPECT_LACKS
                                        ? "lacks" : "count.of");
        l->cur_actor = NULL;
        note_refs_in(l, m, mp);
    }
    g_ptr_array_add(l->s->expects, e);
}

/* ---- references ---------------------------------------------------------------- */

/* Why a reference with no templates left in it resolves to nothing
 * (NULL: it can resolve).  A new string. */
static char *unresolved(ld *l, const char *ref)
{
    gsize n = strcspn(ref, ".[");
    g_autofree char *head = g_strndup(ref, n);
    if (strcmp(head, "i") == 0 || strcmp(head, "region") == 0 ||
        strcmp(head, "scenario") == 0 || strcmp(head, "actor") == 0)
        return NULL;
    if (strcmp(head, "accounts") == 0) {
        if (ref[n] == '.' && world_account_get(l->s->world, ref + n + 1))
            return NULL;
        return g_strdup_printf("${%s} names no account of this scenario", ref);
    }
    if (g_hash_table_contains(l->saves, head))
        return NULL;
    return g_strdup_printf("${%s} refers to \"%s\", which no step saves (add \"save\": \"%s\" "
                           "to the step whose response it is)", ref, head, head);
}

/* Expands r's templates for copy k of its actor; NULL with *why. */
static char *for_copy(ld *l, const ref_at *r, int k, char **why)
{
    const scen_actor *a = r->actor;
    g_autofree char *name = a && a->count > 1 ? g_strdup_printf("%s-%d", a->name, k)
                                              : g_strdup(a ? a->name : "");
    copy_ctx c = { .l = l, .actor = name, .scratch = cJSON_CreateArray(),
                   .i = a ? cJSON_CreateNumber(k) : NULL };
    char *missing = NULL;
    char *out = tmpl_expand_string(r->ref, copy_lookup, &c, &missing);
    if (!out) {
        g_autofree char *inner = g_strdup_printf("${%s}", missing);
        *why = g_str_has_prefix(missing, "accounts.")
             ? g_strdup_printf("${%s} names no account of this scenario", missing)
             : g_strdup_printf("%s has no value here (inside a reference only ${i}, "
                               "${accounts.ALIAS}, ${region}, ${scenario} and ${actor} can "
                               "be used)", inner);
        g_free(missing);
    }
    cJSON_Delete(c.i);
    cJSON_Delete(c.scratch);
    return out;
}

static int copies_of(const ref_at *r)
{
    return r->actor && has_ref(r->ref) ? r->actor->count : 1;
}

/* Every reference, for every copy of its actor, names an account or a
 * value some step saves (any copy's save name counts). */
static void check_refs(ld *l)
{
    for (guint i = 0; i < l->dyn_saves->len; i++) {
        const ref_at *r = l->dyn_saves->pdata[i];
        for (int k = 0; k < copies_of(r); k++) {
            char *why = NULL;
            char *name = for_copy(l, r, k, &why);
            if (!name) {
                jload_err(&l->j, r->node, FALSE, r->path, "the save name: %s", why);
                g_free(why);
                break;
            }
            g_hash_table_add(l->saves, name);
        }
    }
    for (guint i = 0; i < l->refs->len; i++) {
        const ref_at *r = l->refs->pdata[i];
        int n = copies_of(r);
        for (int k = 0; k < n; k++) {
            char *why = NULL;
            g_autofree char *ref = has_ref(r->ref) ? for_copy(l, r, k, &why) : g_strdup(r->ref);
            if (ref)
                why = unresolved(l, ref);
            if (why) {
                if (n > 1)
                    jload_err(&l->j, r->node, FALSE, r->path, "copy %d of actor \"%s\": %s", k,
                        r->actor->name, why);
                else
                    jload_err(&l->j, r->node, FALSE, r->path, "%s", why);
                g_free(why);
                break;
            }
        }
    }
}

/* ---- top level ------------------------------------------------------------------ */

/* The scenario's own keys; the services own more ("organization", "jobs"). */
static const char *const own_top_keys[] = { "scenario", "description", "variant", "seed",
                                            "start", "region",
                                            "accounts", "account_sets", "actors", "expect",
                                            "delivery", "until", NULL };

static const char *const *top_keys(void)
{
    static gsize init;
    static const char *const *keys;
    if (g_once_init_enter(&init)) {
        GStrvBuilder *b = g_strv_builder_new();
        g_strv_builder_addv(b, (const char **)own_top_keys);
        g_strv_builder_addv(b, (const char **)estate_scenario_keys());
        keys = (const char *const *)g_strv_builder_end(b);
        g_strv_builder_unref(b);
        g_once_init_leave(&init, 1);
    }
    return keys;
}
static const char *const delivery_keys[] = { "median", "p99", "max", "min", "fixed", NULL };

static void load_delivery(ld *l, const cJSON *d)
{
    const char *p = "delivery";
    jload_check_keys(&l->j, d, p, delivery_keys);
    rec_delay *r = &l->s->delay;
    int64_t v;
    if (jload_dur(&l->j, d, "fixed", p, &v)) {
        r->kind = REC_DELAY_FIXED;
        r->fixed_us = v;
        return;
    }
    if (jload_member(d, "median") || jload_member(d, "p99")) {
        r->kind = REC_DELAY_LOGNORMAL;
        jload_dur(&l->j, d, "median", p, &r->median_us);
        jload_dur(&l->j, d, "p99", p, &r->p99_us);
        jload_dur(&l->j, d, "max", p, &r->max_us);
        if (r->p99_us < r->median_us || r->median_us <= 0)
            jload_err(&l->j, d, FALSE, p, "need 0 < median <= p99");
        return;
    }
    if (jload_member(d, "min") || jload_member(d, "max")) {
        r->kind = REC_DELAY_UNIFORM;
        r->min_us = 0;
        jload_dur(&l->j, d, "min", p, &r->min_us);
        jload_dur(&l->j, d, "max", p, &r->max_us);
        if (r->max_us < r->min_us)
            jload_err(&l->j, d, FALSE, p, "need min <= max");
    }
}

void scen_free(scenario *s)
{
    if (!s)
        return;
    g_free(s->file); g_free(s->name); g_free(s->description); g_free(s->variant); g_free(s->region);
    if (s->actors)
        g_ptr_array_unref(s->actors);
    if (s->expects)
        g_ptr_array_unref(s->expects);
    if (s->warnings)
        g_ptr_array_unref(s->warnings);
    world_free(s->world);
    g_free(s);
}

static scenario *load_doc(jdoc *doc, const char *path, const uint64_t *seed_override,
                          GError **error);

scenario *scen_load(const char *path, const uint64_t *seed_override, GError **error)
{
    g_autoptr(jdoc) doc = jdoc_load(path, error);
    return doc ? load_doc(doc, path, seed_override, error) : NULL;
}

scenario *scen_parse(const char *path, const char *text, gsize len, GError **error)
{
    g_autoptr(jdoc) doc = jdoc_parse(path, text, len, error);
    return doc ? load_doc(doc, path, NULL, error) : NULL;
}

static scenario *load_doc(jdoc *doc, const char *path, const uint64_t *seed_override,
                          GError **error)
{
    const cJSON *root = jdoc_root(doc);
    scenario *s = g_new0(scenario, 1);
    s->file = g_strdup(path);
    s->actors = g_ptr_array_new_with_free_func(actor_free);
    s->expects = g_ptr_array_new_with_free_func(expect_free);
    s->warnings = g_ptr_array_new_with_free_func(g_free);
    s->delay = rec_delay_default();
    s->until_us = 30LL * 86400 * 1000000;
    ld l = { .j = { .report = report, .user = &l, .max_errors = MAX_ERRORS },
             .doc = doc, .errors = g_string_new(NULL), .s = s,
             .saves = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
             .dyn_saves = g_ptr_array_new_with_free_func(ref_at_free),
             .refs = g_ptr_array_new_with_free_func(ref_at_free) };
    if (!cJSON_IsObject(root)) {
        jload_err(&l.j, root, FALSE, "$", "a scenario is a JSON object");
        goto done;
    }
    jload_check_keys(&l.j, root, "", top_keys());
    s->name = g_strdup(jload_str(&l.j, root, "scenario", "", true));
    s->description = g_strdup(jload_str(&l.j, root, "description", "", false));
    const cJSON *seed = jload_member(root, "seed");
    bool seed_ok = !seed || (cJSON_IsNumber(seed) && seed->valuedouble >= 0 &&
                             seed->valuedouble <= 9007199254740991.0 &&
                             seed->valuedouble == (double)(uint64_t)seed->valuedouble);
    if (!seed_ok)
        jload_err(&l.j, seed, FALSE, "seed", "the seed is a whole number from 0 to 2^53-1");
    /* Converted only once known to fit: a double beyond uint64_t is undefined. */
    s->seed = seed_override ? *seed_override : seed && seed_ok ? (uint64_t)seed->valuedouble : 0;
    s->variant = g_strdup(jload_str(&l.j, root, "variant", "", false));
    const char *salt[] = { s->name, s->variant };
    s->streams = rng_derive(s->seed, salt, G_N_ELEMENTS(salt));
    const char *start = jload_str(&l.j, root, "start", "", false);
    s->start_epoch_s = 1767225600;   /* 2026-01-01T00:00:00Z */
    if (start && !time_parse_iso(start, &s->start_epoch_s))
        jload_err(&l.j, jload_member(root, "start"), FALSE, "start",
            "\"%s\" is not an ISO 8601 time such as 2026-01-05T09:00:00Z", start);
    const char *region = jload_str(&l.j, root, "region", "", false);
    if (region && !estate_region_valid(region))
        jload_err(&l.j, jload_member(root, "region"), FALSE, "region", "\"%s\" is not an AWS region name", region);
    s->region = g_strdup(region ? region : "us-east-1");
    jload_dur(&l.j, root, "until", "", &s->until_us);
    if (s->start_epoch_s < 0 || s->start_epoch_s > TIME_MAX_EPOCH_S - s->until_us / 1000000) {
        /* Past that, eventTime cannot be written. */
        const cJSON *at = jload_member(root, "start");
        jload_err(&l.j, at ? at : root, FALSE, "start", "the run would reach past "
            "9999-12-31T23:59:59Z (start plus until, which defaults to 30 days); CloudTrail "
            "times end there");
    }
    const cJSON *del = jload_obj(&l.j, root, "delivery", "", false);
    if (del)
        load_delivery(&l, del);
    s->world = world_new(s->streams, s->region, s->start_epoch_s);

    const cJSON *accounts = jload_obj(&l.j, root, "accounts", "", true), *ac;
    cJSON_ArrayForEach(ac, accounts) {
        g_autofree char *p = g_strdup_printf("accounts.%s", ac->string);
        if (!world_is_account_id(ac->string)) {
            jload_err(&l.j, ac, TRUE, p, "\"%s\" is not an account id (12 digits)", ac->string);
            continue;
        }
        if (!cJSON_IsObject(ac)) {
            jload_err(&l.j, ac, FALSE, p, "an account is an object (alias, roles, ...)");
            continue;
        }
        if (world_account_get(s->world, ac->string)) {
            jload_err(&l.j, ac, TRUE, p, "account %s is defined twice", ac->string);
            continue;
        }
        const char *alias = jload_str(&l.j, ac, "alias", p, false);
        if (alias && world_account_get(s->world, alias)) {
            jload_err(&l.j, jload_member(ac, "alias"), FALSE, p, "alias \"%s\" is already used", alias);
            alias = NULL;
        }
        world_add_account(s->world, ac->string, alias);
    }
    cJSON_ArrayForEach(ac, accounts)
        if (cJSON_IsObject(ac) && world_account_get(s->world, ac->string)) {
            g_autofree char *p = g_strdup_printf("accounts.%s", ac->string);
            load_account(&l, ac, ac->string, p);
        }
    load_account_sets(&l, jload_list(&l.j, root, "account_sets", ""));
    /* What services configure from the top level ("organization", "jobs"),
     * once every account exists. */
    estate_configure(s->world, root, &l.j);

    const cJSON *actors = jload_list(&l.j, root, "actors", ""), *a;
    GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    int i = 0;
    cJSON_ArrayForEach(a, actors) {
        g_autofree char *p = jload_idx("actors", i++);
        load_actor(&l, a, p, names);
    }
    g_hash_table_unref(names);
    const cJSON *ex = jload_list(&l.j, root, "expect", ""), *e;
    i = 0;
    cJSON_ArrayForEach(e, ex) {
        g_autofree char *p = jload_idx("expect", i++);
        load_expect(&l, e, p);
    }
    if (!l.j.n_errors)
        check_refs(&l);
done:
    g_hash_table_unref(l.saves);
    g_ptr_array_unref(l.dyn_saves);
    g_ptr_array_unref(l.refs);
    if (l.j.n_errors) {
        if (l.j.n_errors > MAX_ERRORS)
            g_string_append_printf(l.errors, "\n%s: and %d more problems", path,
                                   l.j.n_errors - MAX_ERRORS);
        g_set_error_literal(error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, l.errors->str);
        g_string_free(l.errors, TRUE);
        scen_free(s);
        return NULL;
    }
    g_string_free(l.errors, TRUE);
    return s;
}

/* ---- record matching -------------------------------------------------------------- */

bool scen_match(const cJSON *record, const cJSON *match)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, match) {
        const cJSON *v = tmpl_path(record, m->string);
        if (cJSON_IsNull(m)) {
            if (v && !cJSON_IsNull(v))
                return false;
        } else if (cJSON_IsString(m)) {
            if (!cJSON_IsString(v))
                return false;
            if (strchr(m->valuestring, '*') ? !g_pattern_match_simple(m->valuestring, v->valuestring)
                                            : strcmp(m->valuestring, v->valuestring) != 0)
                return false;
        } else if (!v || !cJSON_Compare(m, v, 1)) {
            return false;
        }
    }
    return true;
}
