/* model/world.c: the estate the scenario describes, and the host plumbing.
 *
 * Owns accounts (and their roles, users, keys, managed policies), buckets,
 * the organization, the service state slots and the named random streams.
 * Accounts are kept in a hash table for lookup and in an array sorted by id
 * for every listing, so no hash order reaches output.  Generated ids (AROA...,
 * AIDA..., key ids) are drawn from streams named after the resource, so
 * adding one resource never changes another's id. */
#include "model/world.h"
#include "model/world_int.h"

#include "model/aws_policies.h"

#include <gio/gio.h>
#include <string.h>

#include "model/api.h"

struct world {
    uint64_t      seed;
    char         *region;
    int64_t       start_epoch_s;
    world_host    host;
    bool          has_host;
    GHashTable   *accounts;      /* id -> world_account* (owned) */
    GHashTable   *aliases;       /* alias -> world_account* */
    GPtrArray    *sorted;        /* world_account*, ascending id */
    world_org    *org;
    GHashTable   *buckets;       /* name -> world_bucket* (owned) */
    GHashTable   *streams;       /* name -> rng* (owned) */
    GHashTable   *slots;         /* service -> world_slot* (owned) */
    GHashTable   *resources;     /* arn -> char*[2] {owner, ram type} (owned) */
    GPtrArray    *slot_order;    /* service names in creation order, for freeing */
    GHashTable   *policies;      /* "name\ndocument" -> world_policy* (world_policy_share) */
    GPtrArray    *calls;         /* call_scope*, innermost last: the calls in progress */
    GPtrArray    *removed_roles; /* world_role*: deleted, kept until the end because
                                    sessions made earlier still point at them */
    GHashTable   *aws_managed;   /* arn -> world_policy*: AWS managed policies compiled
                                    on first use (a memo of constant data) */
};

/* What one call in progress has done that others would see: notifications
 * held back, and the ids of the timers it scheduled (world_call_begin). */
typedef struct held_note { char *account, *kind; cJSON *payload; } held_note;
typedef struct call_scope {
    GArray *notes;               /* held_note */
    GArray *timers;              /* uint64_t */
} call_scope;

static void held_note_clear(gpointer p)
{
    held_note *n = p;
    g_free(n->account);
    g_free(n->kind);
    cJSON_Delete(n->payload);
}

static void call_scope_free(gpointer p)
{
    call_scope *s = p;
    g_array_unref(s->notes);
    g_array_unref(s->timers);
    g_free(s);
}

bool world_is_account_id(const char *s)
{
    if (!s || strlen(s) != 12)
        return false;
    for (int i = 0; i < 12; i++)
        if (!g_ascii_isdigit(s[i]))
            return false;
    return true;
}

/* ---- policies ------------------------------------------------------------ */

world_policy *world_policy_share(world *w, const char *name, const char *arn,
                                 const cJSON *doc, GError **error)
{
    char *text = cJSON_PrintUnformatted(doc);
    g_autofree char *key = g_strdup_printf("%s\n%s", name ? name : "", text ? text : "");
    cJSON_free(text);
    const world_policy *first = g_hash_table_lookup(w->policies, key);
    if (!first) {
        world_policy *proto = world_policy_new(name, NULL, doc, error);
        if (!proto)
            return NULL;
        g_hash_table_insert(w->policies, g_steal_pointer(&key), proto);
        first = proto;
    }
    world_policy *p = g_new0(world_policy, 1);
    p->name = g_strdup(name);
    p->arn = g_strdup(arn);
    p->doc = first->doc;
    p->shared_doc = true;
    p->compiled = iam_policy_ref(first->compiled);
    return p;
}

world_policy *world_policy_new(const char *name, const char *arn, const cJSON *doc,
                               GError **error)
{
    iam_policy *c = iam_policy_compile(doc, error);
    if (!c)
        return NULL;
    iam_policy_set_name(c, name);
    world_policy *p = g_new0(world_policy, 1);
    p->name = g_strdup(name);
    p->arn = g_strdup(arn);
    p->doc = cJSON_Duplicate(doc, 1);
    p->compiled = c;
    return p;
}

void world_policy_free(world_policy *p)
{
    if (!p)
        return;
    g_free(p->name);
    g_free(p->arn);
    if (!p->shared_doc)
        cJSON_Delete(p->doc);
    if (p->compiled)
        iam_policy_unref(p->compiled);
    g_free(p);
}

static void tag_free(gpointer p)
{
    world_tag *t = p;
    g_free(t->key);
    g_free(t->value);
    g_free(t);
}

/* ---- accounts -------------------------------------------------------------- */

static void role_free(gpointer p)
{
    world_role *r = p;
    g_free(r->name); g_free(r->path); g_free(r->arn); g_free(r->id); g_free(r->account);
    world_policy_free(r->trust);
    g_ptr_array_unref(r->inline_policies);
    g_ptr_array_unref(r->managed);
    g_ptr_array_unref(r->tags);
    g_free(r);
}

static void user_free(gpointer p)
{
    world_user *u = p;
    g_free(u->name); g_free(u->path); g_free(u->arn); g_free(u->id); g_free(u->account);
    g_ptr_array_unref(u->inline_policies);
    g_ptr_array_unref(u->managed);
    g_ptr_array_unref(u->tags);
    g_free(u);
}

static void key_free(gpointer p)
{
    world_key *k = p;
    g_free(k->id); g_free(k->arn); g_free(k->account); g_free(k->name);
    world_policy_free(k->policy);
    g_free(k);
}

static void account_free(gpointer p)
{
    world_account *a = p;
    g_free(a->id);
    g_free(a->alias);
    g_free(a->ou_id);
    g_free(a->org_path);
    g_ptr_array_unref(a->scps);
    if (a->rcps)
        g_ptr_array_unref(a->rcps);
    g_ptr_array_unref(a->roles);
    g_ptr_array_unref(a->users);
    g_ptr_array_unref(a->keys);
    g_ptr_array_unref(a->managed_policies);
    if (a->quotas)
        g_hash_table_unref(a->quotas);
    g_ptr_array_unref(a->identity_center_regions);
    g_free(a);
}

static void bucket_free(gpointer p)
{
    world_bucket *b = p;
    g_free(b->name);
    g_free(b->account);
    world_policy_free(b->policy);
    g_hash_table_unref(b->objects);
    g_free(b);
}

static void ou_free(gpointer p)
{
    world_ou *o = p;
    g_free(o->id); g_free(o->name); g_free(o->parent_id);
    g_ptr_array_unref(o->scps);
    if (o->rcps)
        g_ptr_array_unref(o->rcps);
    g_free(o);
}

static void org_free(world_org *o)
{
    if (!o)
        return;
    g_free(o->id); g_free(o->arn); g_free(o->management); g_free(o->root_id);
    g_ptr_array_unref(o->ous);
    g_ptr_array_unref(o->scps);
    if (o->rcps)
        g_ptr_array_unref(o->rcps);
    g_free(o);
}

static void slot_free(gpointer p)
{
    world_slot *s = p;
    if (s->free_state && s->state)
        s->free_state(s->state);
    g_free(s);
}

world *world_new(uint64_t seed, const char *region, int64_t start_epoch_s)
{
    world *w = g_new0(world, 1);
    w->seed = seed;
    w->region = g_strdup(region);
    w->start_epoch_s = start_epoch_s;
    w->accounts = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, account_free);
    w->aliases = g_hash_table_new(g_str_hash, g_str_equal);
    w->sorted = g_ptr_array_new();
    w->buckets = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, bucket_free);
    w->streams = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    w->slots = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, slot_free);
    w->slot_order = g_ptr_array_new_with_free_func(g_free);
    w->policies = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify)world_policy_free);
    w->resources = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)g_strfreev);
    w->calls = g_ptr_array_new_with_free_func(call_scope_free);
    w->removed_roles = g_ptr_array_new_with_free_func(role_free);
    w->aws_managed = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify)world_policy_free);
    return w;
}

void world_free(world *w)
{
    if (!w)
        return;
    /* Services go first, newest first: they may point into accounts. */
    for (guint i = w->slot_order->len; i-- > 0;)
        g_hash_table_remove(w->slots, w->slot_order->pdata[i]);
    g_ptr_array_unref(w->slot_order);
    g_hash_table_unref(w->slots);
    g_ptr_array_unref(w->calls);
    g_hash_table_unref(w->aws_managed);
    g_ptr_array_unref(w->removed_roles);
    g_hash_table_unref(w->policies);     /* freeing never reads a shared document */
    g_hash_table_unref(w->resources);
    g_hash_table_unref(w->buckets);
    g_ptr_array_unref(w->sorted);
    g_hash_table_unref(w->aliases);
    g_hash_table_unref(w->accounts);
    org_free(w->org);
    g_hash_table_unref(w->streams);
    g_free(w->region);
    g_free(w);
}

void world_set_host(world *w, const world_host *host)
{
    if (host)
        w->host = *host;
    w->has_host = host != NULL;
}

const char *world_region(const world *w) { return w->region; }
uint64_t    world_seed(const world *w) { return w->seed; }

int64_t world_now(const world *w)
{
    return w->has_host ? w->host.now(w->host.self) : 0;
}

int64_t world_epoch_s(const world *w, int64_t t_us)
{
    return w->start_epoch_s + t_us / 1000000;
}

void world_iso_time(const world *w, int64_t t_us, char out[21])
{
    json_iso_utc(world_epoch_s(w, t_us), out);
}

uint64_t world_schedule(world *w, int64_t at_us, world_fire_fn fn, void *data,
                        GDestroyNotify free_data)
{
    if (!w->has_host) {
        /* Nothing will run it: the data is ours to free, as the host's would be. */
        if (free_data)
            free_data(data);
        return 0;
    }
    uint64_t id = w->host.schedule(w->host.self, at_us, fn, data, free_data);
    if (w->calls->len > 0)
        g_array_append_val(((call_scope *)g_ptr_array_index(w->calls, w->calls->len - 1))->timers,
                           id);
    return id;
}

bool world_cancel(world *w, uint64_t id)
{
    return w->has_host && w->host.cancel(w->host.self, id);
}

void world_emit(world *w, trail_event *ev)
{
    if (w->has_host && w->host.emit)
        w->host.emit(w->host.self, ev);
    else
        trail_event_free(ev);
}

void world_notify(world *w, const char *account, const char *kind, const cJSON *payload)
{
    /* The loader refuses waits for kinds not in the table. */
    g_warn_if_fail(g_strv_contains(api_happening_kinds(), kind));
    if (w->calls->len > 0) {
        call_scope *s = g_ptr_array_index(w->calls, w->calls->len - 1);
        held_note n = { g_strdup(account), g_strdup(kind), cJSON_Duplicate(payload, 1) };
        g_array_append_val(s->notes, n);
        return;
    }
    if (w->has_host && w->host.notify)
        w->host.notify(w->host.self, account, kind, payload);
}

bool world_each_record(world *w, const char *account,
                       void (*fn)(void *user, const cJSON *record), void *user)
{
    if (!w->has_host || !w->host.each_record)
        return false;
    return w->host.each_record(w->host.self, account, fn, user);
}

void world_call_begin(world *w)
{
    call_scope *s = g_new(call_scope, 1);
    s->notes = g_array_new(FALSE, FALSE, sizeof(held_note));
    g_array_set_clear_func(s->notes, held_note_clear);
    s->timers = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    g_ptr_array_add(w->calls, s);
}

void world_call_end(world *w, bool commit)
{
    g_return_if_fail(w->calls->len > 0);
    call_scope *s = g_ptr_array_steal_index(w->calls, w->calls->len - 1);
    call_scope *outer = w->calls->len > 0 ? g_ptr_array_index(w->calls, w->calls->len - 1) : NULL;
    if (!commit) {
        /* A timer the handler already cancelled is stale here: cancel says no. */
        for (guint i = 0; i < s->timers->len; i++)
            world_cancel(w, g_array_index(s->timers, uint64_t, i));
    } else if (outer) {
        /* A nested call's effects become the outer call's: they stand or
         * fall with it. */
        g_array_append_vals(outer->timers, s->timers->data, s->timers->len);
        for (guint i = 0; i < s->notes->len; i++) {
            held_note *n = &g_array_index(s->notes, held_note, i);
            g_array_append_val(outer->notes, *n);
            *n = (held_note){ 0 };
        }
    } else if (w->has_host && w->host.notify) {
        for (guint i = 0; i < s->notes->len; i++) {
            held_note *n = &g_array_index(s->notes, held_note, i);
            w->host.notify(w->host.self, n->account, n->kind, n->payload);
        }
    }
    call_scope_free(s);
}

rng *world_rng(world *w, const char *name)
{
    rng *r = g_hash_table_lookup(w->streams, name);
    if (!r) {
        r = g_new(rng, 1);
        rng_init(r, w->seed, name);
        g_hash_table_insert(w->streams, g_strdup(name), r);
    }
    return r;
}

world_account *world_add_account(world *w, const char *id, const char *alias)
{
    g_return_val_if_fail(!g_hash_table_contains(w->accounts, id), NULL);
    world_account *a = g_new0(world_account, 1);
    a->id = g_strdup(id);
    a->alias = g_strdup(alias);
    a->scps = g_ptr_array_new();
    a->roles = g_ptr_array_new_with_free_func(role_free);
    a->users = g_ptr_array_new_with_free_func(user_free);
    a->keys = g_ptr_array_new_with_free_func(key_free);
    a->managed_policies = g_ptr_array_new_with_free_func((GDestroyNotify)world_policy_free);
    a->identity_center_regions = g_ptr_array_new_with_free_func(g_free);
    g_hash_table_insert(w->accounts, a->id, a);
    if (alias)
        g_hash_table_insert(w->aliases, a->alias, a);
    /* Keep the listing sorted: binary search for the place, then insert. */
    guint lo = 0, hi = w->sorted->len;
    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        if (strcmp(((world_account *)w->sorted->pdata[mid])->id, a->id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    g_ptr_array_insert(w->sorted, (gint)lo, a);
    return a;
}

world_account *world_account_get(const world *w, const char *id_or_alias)
{
    if (!id_or_alias)
        return NULL;
    world_account *a = g_hash_table_lookup(w->accounts, id_or_alias);
    return a ? a : g_hash_table_lookup(w->aliases, id_or_alias);
}

GPtrArray *world_accounts(const world *w) { return w->sorted; }

/* ---- organization ------------------------------------------------------------ */

world_org *world_org_get(const world *w) { return w->org; }

world_org *world_set_org(world *w, const char *id, const char *management)
{
    g_return_val_if_fail(w->org == NULL, w->org);
    world_org *o = g_new0(world_org, 1);
    o->id = g_strdup(id);
    o->management = g_strdup(management);
    o->arn = g_strdup_printf("arn:aws:organizations::%s:organization/%s", management, id);
    /* r- followed by 4 lower-case alphanumerics, drawn from the org's stream. */
    char tail[5];
    rng_chars(world_rng(w, "org/root"), tail, 4, "abcdefghijklmnopqrstuvwxyz0123456789");
    o->root_id = g_strdup_printf("r-%s", tail);
    o->ous = g_ptr_array_new_with_free_func(ou_free);
    o->scps = g_ptr_array_new_with_free_func((GDestroyNotify)world_policy_free);
    world_ou *root = g_new0(world_ou, 1);
    root->id = g_strdup(o->root_id);
    root->name = g_strdup("Root");
    root->scps = g_ptr_array_new();
    g_ptr_array_add(o->ous, root);
    w->org = o;
    return o;
}

world_ou *world_ou_get(const world *w, const char *id_or_name)
{
    if (!w->org || !id_or_name)
        return NULL;
    for (guint i = 0; i < w->org->ous->len; i++) {
        world_ou *o = w->org->ous->pdata[i];
        if (strcmp(o->id, id_or_name) == 0 || strcmp(o->name, id_or_name) == 0)
            return o;
    }
    return NULL;
}

bool world_same_org(const world *w, const char *a, const char *b)
{
    if (!w->org)
        return false;
    const world_account *x = world_account_get(w, a), *y = world_account_get(w, b);
    return x && y && x->ou_id && y->ou_id;
}

/* ---- lookups ---------------------------------------------------------------- */

world_role *world_role_get(const world *w, const char *account, const char *name)
{
    const world_account *a = world_account_get(w, account);
    if (!a || !name)
        return NULL;
    for (guint i = 0; i < a->roles->len; i++) {
        world_role *r = a->roles->pdata[i];
        if (g_ascii_strcasecmp(r->name, name) == 0)   /* IAM names are case-insensitive */
            return r;
    }
    return NULL;
}

/* Splits "arn:aws:iam::ACCT:KIND/path/name" into account and last name. */
static bool split_iam_arn(const char *arn, const char *kind, char **account, char **name)
{
    if (!arn || !g_str_has_prefix(arn, "arn:aws:iam::"))
        return false;
    const char *acct = arn + strlen("arn:aws:iam::");
    const char *colon = strchr(acct, ':');
    if (!colon || !g_str_has_prefix(colon + 1, kind) || colon[1 + strlen(kind)] != '/')
        return false;
    const char *last = strrchr(colon, '/');
    *account = g_strndup(acct, (gsize)(colon - acct));
    *name = g_strdup(last + 1);
    return true;
}

world_role *world_role_by_arn(const world *w, const char *arn)
{
    g_autofree char *acct = NULL, *name = NULL;
    if (!split_iam_arn(arn, "role", &acct, &name))
        return NULL;
    return world_role_get(w, acct, name);
}

world_user *world_user_by_arn(const world *w, const char *arn)
{
    g_autofree char *acct = NULL, *name = NULL;
    if (!split_iam_arn(arn, "user", &acct, &name))
        return NULL;
    const world_account *a = world_account_get(w, acct);
    for (guint i = 0; a && i < a->users->len; i++) {
        world_user *u = a->users->pdata[i];
        if (g_ascii_strcasecmp(u->name, name) == 0)
            return u;
    }
    return NULL;
}

world_key *world_key_get(const world *w, const char *ref, const char *caller_account)
{
    if (!ref)
        return NULL;
    for (guint i = 0; i < w->sorted->len; i++) {
        const world_account *a = w->sorted->pdata[i];
        for (guint j = 0; j < a->keys->len; j++) {
            world_key *k = a->keys->pdata[j];
            if (strcmp(k->arn, ref) == 0)
                return k;
            bool own = g_strcmp0(a->id, caller_account) == 0;
            if (own && (strcmp(k->id, ref) == 0 ||
                        (g_str_has_prefix(ref, "alias/") && strcmp(k->name, ref + 6) == 0)))
                return k;
            if (g_str_has_suffix(ref, k->name) && g_str_has_prefix(ref, "arn:aws:kms:")) {
                g_autofree char *alias_arn = g_strdup_printf("arn:aws:kms:%s:%s:alias/%s",
                                                             w->region, a->id, k->name);
                if (strcmp(alias_arn, ref) == 0)
                    return k;
            }
        }
    }
    return NULL;
}

world_bucket *world_bucket_get(const world *w, const char *name)
{
    return name ? g_hash_table_lookup(w->buckets, name) : NULL;
}

static gint bucket_by_name(gconstpointer a, gconstpointer b)
{
    return strcmp((*(world_bucket *const *)a)->name, (*(world_bucket *const *)b)->name);
}

GPtrArray *world_buckets_of(const world *w, const char *account)
{
    GPtrArray *out = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, w->buckets);
    while (g_hash_table_iter_next(&it, NULL, &v))
        if (g_strcmp0(((world_bucket *)v)->account, account) == 0)
            g_ptr_array_add(out, v);
    g_ptr_array_sort(out, bucket_by_name);    /* no hash order reaches output */
    return out;
}

world_bucket *world_add_bucket(world *w, const char *account, const char *name)
{
    g_return_val_if_fail(!g_hash_table_contains(w->buckets, name), NULL);
    world_bucket *b = g_new0(world_bucket, 1);
    b->name = g_strdup(name);
    b->account = g_strdup(account);
    b->objects = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify)cJSON_Delete);
    b->created_us = world_now(w);
    g_hash_table_insert(w->buckets, b->name, b);
    return b;
}

world_policy *world_managed_policy(const world *w, const char *arn)
{
    const aws_policy_row *row = aws_policy_get(arn);
    if (row) {
        world_policy *p = g_hash_table_lookup(w->aws_managed, row->arn);
        if (!p) {
            g_autoptr(cJSON) doc = cJSON_Parse(row->document);
            GError *e = NULL;
            p = world_policy_new(row->name, row->arn, doc, &e);
            g_assert_no_error(e);    /* tests/unit/test-iam.c compiles every one */
            g_hash_table_insert(((world *)w)->aws_managed, (gpointer)row->arn, p);
        }
        return p;
    }
    g_autofree char *acct = NULL, *name = NULL;
    if (!split_iam_arn(arn, "policy", &acct, &name))
        return NULL;
    const world_account *a = world_account_get(w, acct);
    for (guint i = 0; a && i < a->managed_policies->len; i++) {
        world_policy *p = a->managed_policies->pdata[i];
        if (g_strcmp0(p->arn, arn) == 0)
            return p;
    }
    return NULL;
}

void world_set_quota(world *w, world_account *a, const char *name, int64_t value)
{
    (void)w;
    if (!a->quotas)
        a->quotas = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_hash_table_replace(a->quotas, g_strdup(name), g_memdup2(&value, sizeof value));
}

int64_t world_quota(const world *w, const char *account, const char *name, int64_t dflt)
{
    const world_account *a = world_account_get(w, account);
    const gint64 *v = a && a->quotas ? g_hash_table_lookup(a->quotas, name) : NULL;
    return v ? *v : dflt;
}

/* ---- principals ---------------------------------------------------------------- */

void principal_free(principal *p)
{
    if (!p)
        return;
    g_free(p->arn); g_free(p->account); g_free(p->principal_id); g_free(p->access_key_id);
    g_free(p->session_name); g_free(p->source_ip); g_free(p->source_vpc);
    g_free(p->source_vpce); g_free(p->user_agent);
    g_free(p);
}

principal *principal_copy(const principal *p)
{
    principal *c = g_new0(principal, 1);
    *c = *p;
    c->arn = g_strdup(p->arn); c->account = g_strdup(p->account);
    c->principal_id = g_strdup(p->principal_id); c->access_key_id = g_strdup(p->access_key_id);
    c->session_name = g_strdup(p->session_name); c->source_ip = g_strdup(p->source_ip);
    c->source_vpc = g_strdup(p->source_vpc); c->source_vpce = g_strdup(p->source_vpce);
    c->user_agent = g_strdup(p->user_agent);
    return c;
}

static char *draw_id(world *w, const char *prefix, const char *stream, size_t n)
{
    char buf[33];
    g_return_val_if_fail(n < sizeof buf, NULL);
    rng_chars(world_rng(w, stream), buf, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    return g_strconcat(prefix, buf, NULL);
}

/* The unique id of a new role or user: 17 characters drawn from the
 * stream "iam/id/<arn>".  The stream is kept in the world only once an
 * entity of that ARN is removed, so that one made again with the same ARN
 * draws on and gets a new id, as IAM gives it; the many entities never
 * removed keep nothing (a stream and its name were a sixth of an
 * account's memory). */
#define IAM_ID_CHARS 17
static char *draw_iam_id(world *w, const char *prefix, const char *arn)
{
    g_autofree char *name = g_strconcat("iam/id/", arn, NULL);
    rng local, *r = g_hash_table_lookup(w->streams, name);
    if (!r) {
        rng_init(&local, w->seed, name);
        r = &local;
    }
    char buf[IAM_ID_CHARS + 1];
    rng_chars(r, buf, IAM_ID_CHARS, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    return g_strconcat(prefix, buf, NULL);
}

/* At removal: the ARN's stream from now on lives in the world, where it
 * stands after the draws made so far (draw_iam_id advanced a kept one). */
static void keep_iam_id_stream(world *w, const char *arn)
{
    g_autofree char *name = g_strconcat("iam/id/", arn, NULL);
    if (g_hash_table_contains(w->streams, name))
        return;
    rng *r = world_rng(w, name);
    char buf[IAM_ID_CHARS + 1];
    rng_chars(r, buf, IAM_ID_CHARS, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
}

/* Which principal arn names, into p (kind, role or user, session name;
 * the account for a root): false when nothing in the world matches.  No
 * draws: the loader asks this of every copy of a counted actor. */
static bool resolve(world *w, const char *arn, const char *session_name, principal *p)
{
    if (g_str_has_prefix(arn, "arn:aws:sts::") && strstr(arn, ":assumed-role/")) {
        /* arn:aws:sts::ACCT:assumed-role/ROLE/SESSION */
        const char *acct = arn + strlen("arn:aws:sts::");
        const char *rest = strstr(acct, ":assumed-role/") + strlen(":assumed-role/");
        const char *slash = strchr(rest, '/');
        g_autofree char *account = g_strndup(acct, (gsize)(strchr(acct, ':') - acct));
        g_autofree char *rname = slash ? g_strndup(rest, (gsize)(slash - rest)) : g_strdup(rest);
        world_role *r = world_role_get(w, account, rname);
        if (!r || !slash || !slash[1])
            return false;
        p->kind = PRINCIPAL_ROLE_SESSION;
        p->role = r;
        p->session_name = g_strdup(slash + 1);
    } else if (world_role_by_arn(w, arn)) {
        p->kind = PRINCIPAL_ROLE_SESSION;
        p->role = world_role_by_arn(w, arn);
        p->session_name = g_strdup(session_name ? session_name : "crossim");
    } else if (world_user_by_arn(w, arn)) {
        p->kind = PRINCIPAL_USER;
        p->user = world_user_by_arn(w, arn);
    } else if (g_str_has_prefix(arn, "arn:aws:iam::") && g_str_has_suffix(arn, ":root")) {
        g_autofree char *account = g_strndup(arn + 13, strlen(arn) - 13 - 5);
        if (!world_account_get(w, account))
            return false;
        p->kind = PRINCIPAL_ROOT;
        p->account = g_strdup(account);
    } else {
        return false;
    }
    return true;
}

static void set_unknown(GError **error, const char *arn)
{
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                "%s is not a role, user, session or account root of this scenario", arn);
}

bool world_principal_known(world *w, const char *arn, GError **error)
{
    principal p = { 0 };
    bool ok = resolve(w, arn, NULL, &p);
    g_free(p.session_name);
    g_free(p.account);
    if (!ok)
        set_unknown(error, arn);
    return ok;
}

principal *world_principal_for(world *w, const char *arn, const char *session_name,
                               GError **error)
{
    return world_principal_from(w, arn, session_name, NULL, error);
}

principal *world_principal_from(world *w, const char *arn, const char *session_name,
                                const principal_origin *origin, GError **error)
{
    principal *p = g_new0(principal, 1);
    if (!resolve(w, arn, session_name, p)) {
        set_unknown(error, arn);
        principal_free(p);
        return NULL;
    }
    static const principal_origin none;
    const principal_origin *o = origin ? origin : &none;
    p->user_agent = g_strdup(o->user_agent ? o->user_agent : "aws-cli/2.15.0 crossim");
    p->source_ip = g_strdup(o->source_ip ? o->source_ip : "203.0.113.10");
    if (o->source_vpc || o->source_vpce) {
        p->source_vpc = g_strdup(o->source_vpc);
        p->source_vpce = g_strdup(o->source_vpce);
    }
    p->session_start_us = world_now(w);
    g_autofree char *stream = g_strconcat("sts/keys/", arn, "/", session_name ? session_name : "",
                                          NULL);
    switch (p->kind) {
    case PRINCIPAL_ROOT:
        p->arn = g_strdup(arn);
        p->principal_id = g_strdup(p->account);
        p->access_key_id = draw_id(w, "AKIA", stream, 16);
        break;
    case PRINCIPAL_ROLE_SESSION:
        p->account = g_strdup(p->role->account);
        p->arn = g_strconcat("arn:aws:sts::", p->account, ":assumed-role/", p->role->name, "/",
                             p->session_name, NULL);
        p->principal_id = g_strconcat(p->role->id, ":", p->session_name, NULL);
        p->access_key_id = draw_id(w, "ASIA", stream, 16);
        break;
    default:
        p->account = g_strdup(p->user->account);
        p->arn = g_strdup(p->user->arn);
        p->principal_id = g_strdup(p->user->id);
        p->access_key_id = draw_id(w, "AKIA", stream, 16);
        break;
    }
    return p;
}

principal *world_service_principal(const char *service)
{
    principal *p = g_new0(principal, 1);
    p->kind = PRINCIPAL_SERVICE;
    p->arn = g_strdup(service);
    p->principal_id = g_strdup(service);
    p->access_key_id = g_strdup("");
    p->source_ip = g_strdup(service);
    p->user_agent = g_strdup(service);
    return p;
}

const char *world_identity_type(const principal *p)
{
    switch (p->kind) {
    case PRINCIPAL_SERVICE:      return "AWSService";
    case PRINCIPAL_ROOT:         return "Root";
    case PRINCIPAL_USER:         return "IAMUser";
    case PRINCIPAL_ROLE_SESSION: return "AssumedRole";
    }
    return "Unknown";
}

#define ID_MEMBER(o, key, v) do { JSON_APPEND_LIT((o), ",\"" key "\":"); \
                                  json_append_string((o), (v)); } while (0)

void world_user_identity_append(GString *o, const world *w, const principal *p,
                                const char *invoked_by)
{
    JSON_APPEND_LIT(o, "{\"type\":");
    json_append_string(o, world_identity_type(p));
    if (p->kind == PRINCIPAL_SERVICE) {
        ID_MEMBER(o, "invokedBy", p->arn);
    } else {
        ID_MEMBER(o, "principalId", p->principal_id);
        ID_MEMBER(o, "arn", p->arn);
        ID_MEMBER(o, "accountId", p->account);
        ID_MEMBER(o, "accessKeyId", p->access_key_id ? p->access_key_id : "");
        if (p->kind == PRINCIPAL_USER)
            ID_MEMBER(o, "userName", p->user->name);
        if (p->kind == PRINCIPAL_ROLE_SESSION) {
            JSON_APPEND_LIT(o, ",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\"");
            ID_MEMBER(o, "principalId", p->role->id);
            ID_MEMBER(o, "arn", p->role->arn);
            ID_MEMBER(o, "accountId", p->account);
            ID_MEMBER(o, "userName", p->role->name);
            char iso[21];
            world_iso_time(w, p->session_start_us, iso);
            JSON_APPEND_LIT(o, "},\"attributes\":{\"creationDate\":");
            json_append_string(o, iso);
            JSON_APPEND_LIT(o, ",\"mfaAuthenticated\":\"false\"}}");
        }
    }
    if (invoked_by)
        ID_MEMBER(o, "invokedBy", invoked_by);
    JSON_APPEND_LIT(o, "}");
}

/* ---- service state -------------------------------------------------------------- */

void *world_service_state(world *w, const char *service)
{
    world_slot *s = g_hash_table_lookup(w->slots, service);
    return s ? s->state : NULL;
}

void world_set_service_state(world *w, const char *service, void *state,
                             GDestroyNotify free_state)
{
    world_slot *s = g_new0(world_slot, 1);
    s->state = state;
    s->free_state = free_state;
    if (!g_hash_table_contains(w->slots, service))
        g_ptr_array_add(w->slot_order, g_strdup(service));
    g_hash_table_replace(w->slots, g_strdup(service), s);
}

const world_policy *world_role_trust(const world_role *cr)
{
    world_role *r = (world_role *)cr;       /* the default is a memo, not a change */
    if (!r->trust && r->trust_default) {
        g_autofree char *t = g_strdup_printf(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            "\"Principal\":{\"AWS\":\"arn:aws:iam::%s:root\"},\"Action\":\"sts:AssumeRole\"}]}",
            r->account);
        g_autoptr(cJSON) doc = cJSON_Parse(t);
        g_autofree char *name = g_strdup_printf("role/%s trust policy", r->name);
        r->trust = world_policy_new(name, NULL, doc, NULL);
        g_assert(r->trust);             /* made here: always valid */
        r->trust_default = false;
    }
    return r->trust;
}

/* Helpers for the scenario loader to build roles and users. */
world_role *world_add_role(world *w, world_account *a, const char *name, const char *path,
                           world_policy *trust)
{
    world_role *r = g_new0(world_role, 1);
    r->name = g_strdup(name);
    r->path = g_strdup(path ? path : "/");
    r->account = g_strdup(a->id);
    r->arn = g_strconcat("arn:aws:iam::", a->id, ":role", r->path, name, NULL);
    r->id = draw_iam_id(w, "AROA", r->arn);
    r->trust = trust;
    r->inline_policies = g_ptr_array_new_with_free_func((GDestroyNotify)world_policy_free);
    r->managed = g_ptr_array_new();
    r->tags = g_ptr_array_new_with_free_func(tag_free);
    r->created_us = world_now(w);
    r->max_session_s = 3600;
    g_ptr_array_add(a->roles, r);
    return r;
}

void world_remove_role(world *w, world_role *r)
{
    world_account *a = world_account_get(w, r->account);
    guint i;
    if (a && g_ptr_array_find(a->roles, r, &i)) {
        keep_iam_id_stream(w, r->arn);
        g_ptr_array_add(w->removed_roles, g_ptr_array_steal_index(a->roles, i));
    }
}

world_user *world_add_user(world *w, world_account *a, const char *name, const char *path)
{
    world_user *u = g_new0(world_user, 1);
    u->name = g_strdup(name);
    u->path = g_strdup(path ? path : "/");
    u->account = g_strdup(a->id);
    u->arn = g_strdup_printf("arn:aws:iam::%s:user%s%s", a->id, u->path, name);
    u->id = draw_iam_id(w, "AIDA", u->arn);
    u->inline_policies = g_ptr_array_new_with_free_func((GDestroyNotify)world_policy_free);
    u->managed = g_ptr_array_new();
    u->tags = g_ptr_array_new_with_free_func(tag_free);
    u->created_us = world_now(w);
    g_ptr_array_add(a->users, u);
    return u;
}

world_key *world_add_key(world *w, world_account *a, const char *label, world_policy *policy)
{
    world_key *k = g_new0(world_key, 1);
    g_autofree char *stream = g_strdup_printf("kms/id/%s/%s", a->id, label);
    char id[37];
    rng_uuid(world_rng(w, stream), id);
    k->id = g_strdup(id);
    k->arn = g_strdup_printf("arn:aws:kms:%s:%s:key/%s", w->region, a->id, id);
    k->account = g_strdup(a->id);
    k->name = g_strdup(label);
    k->policy = policy;
    k->state = KEY_ENABLED;
    k->created_us = world_now(w);
    g_ptr_array_add(a->keys, k);
    return k;
}

void world_tags_set(GPtrArray *tags, const char *key, const char *value)
{
    g_return_if_fail(key != NULL);     /* handlers validate keys first */
    for (guint i = 0; i < tags->len; i++) {
        world_tag *t = tags->pdata[i];
        if (strcmp(t->key, key) == 0) {
            g_free(t->value);
            t->value = g_strdup(value);
            return;
        }
    }
    world_tag *t = g_new0(world_tag, 1);
    t->key = g_strdup(key);
    t->value = g_strdup(value);
    g_ptr_array_add(tags, t);
}

const char *world_tags_get(const GPtrArray *tags, const char *key)
{
    for (guint i = 0; tags && i < tags->len; i++) {
        const world_tag *t = tags->pdata[i];
        if (strcmp(t->key, key) == 0)
            return t->value;
    }
    return NULL;
}

void world_tags_remove(GPtrArray *tags, const char *key)
{
    for (guint i = 0; i < tags->len; i++)
        if (strcmp(((world_tag *)tags->pdata[i])->key, key) == 0) {
            g_ptr_array_remove_index(tags, i);
            return;
        }
}

GPtrArray *world_scp_levels(const world *w, const char *account)
{
    GPtrArray *levels = g_ptr_array_new();
    const world_account *a = world_account_get(w, account);
    if (!w->org || !a || !a->ou_id || g_strcmp0(a->id, w->org->management) == 0)
        return levels;
    /* Walk up from the parent to the root, then reverse. */
    for (world_ou *o = world_ou_get(w, a->ou_id); o; o = world_ou_get(w, o->parent_id))
        g_ptr_array_insert(levels, 0, o->scps);
    g_ptr_array_add(levels, a->scps);
    return levels;
}

GPtrArray *world_rcp_levels(const world *w, const char *account)
{
    GPtrArray *levels = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    const world_account *a = world_account_get(w, account);
    /* Only member accounts' resources: never the management account's. */
    if (!w->org || !w->org->rcps || !a || !a->ou_id || g_strcmp0(a->id, w->org->management) == 0)
        return levels;
    const world_policy *full = w->org->rcps->pdata[0];
    GPtrArray *path = g_ptr_array_new();
    for (world_ou *o = world_ou_get(w, a->ou_id); o; o = world_ou_get(w, o->parent_id))
        g_ptr_array_insert(path, 0, o->rcps);
    g_ptr_array_add(path, a->rcps);
    for (guint i = 0; i < path->len; i++) {
        /* RCPFullAWSAccess sits on every level and cannot be detached. */
        GPtrArray *level = g_ptr_array_new();
        g_ptr_array_add(level, (gpointer)full);
        const GPtrArray *attached = path->pdata[i];
        for (guint k = 0; attached && k < attached->len; k++)
            g_ptr_array_add(level, attached->pdata[k]);
        g_ptr_array_add(levels, level);
    }
    g_ptr_array_unref(path);
    return levels;
}

void world_resource_add(world *w, const char *arn, const char *owner, const char *ram_type)
{
    char **v = g_new0(char *, 3);
    v[0] = g_strdup(owner);
    v[1] = g_strdup(ram_type ? ram_type : "");
    g_hash_table_replace(w->resources, g_strdup(arn), v);
}

void world_resource_remove(world *w, const char *arn)
{
    g_hash_table_remove(w->resources, arn);
}

const char *world_resource_owner(const world *w, const char *arn)
{
    char **v = arn ? g_hash_table_lookup(w->resources, arn) : NULL;
    return v ? v[0] : NULL;
}

const char *world_resource_type(const world *w, const char *arn)
{
    char **v = arn ? g_hash_table_lookup(w->resources, arn) : NULL;
    return v && *v[1] ? v[1] : NULL;
}

const char *world_account_id(const world_account *a) { return a->id; }
const char *world_account_alias(const world_account *a) { return a->alias; }
const char *principal_arn(const principal *p) { return p->arn; }
const char *principal_account(const principal *p) { return p->account; }
void world_role_add_inline(world_role *r, world_policy *p) { g_ptr_array_add(r->inline_policies, p); }
