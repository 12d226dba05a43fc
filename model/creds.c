/* model/creds.c: the keyring of a live crossim (see creds.h).
 *
 * One world slot, "credentials": the keys by id, and the issue order for the
 * credentials file.  A key holds the principal it stands for, made once, so
 * every request signed with it is the same identity (a session made again
 * would draw new ids). */
#include "model/creds.h"

#include <string.h>

#include "model/service.h"
#include "model/world_int.h"

#define SLOT "credentials"

typedef struct cred {
    char      *profile;          /* NULL for sessions from sts:AssumeRole */
    char      *key, *secret, *token;
    principal *who;              /* made on first use for sessions (below) */
    char      *role_arn, *session;
    int64_t    expires_us;       /* INT64_MAX: never */
} cred;

/* A key the scenario declares for a principal ("access_keys"). */
typedef struct declared { char *key, *secret, *token; } declared;

static void declared_free(gpointer p)
{
    declared *d = p;
    g_free(d->key);
    g_free(d->secret);
    g_free(d->token);
    g_free(d);
}

typedef struct keyring {
    GHashTable *declared;        /* "account\nRole" | "account\nuser/Name" | "account\nroot" */
    GHashTable *declared_ids;    /* the declared key ids (borrowed from declared) */
    GHashTable *by_key;          /* key -> cred* (owned) */
    GPtrArray  *order;           /* cred*, issue order (borrowed) */
    bool        issued;
} keyring;

static void cred_free(gpointer p)
{
    cred *c = p;
    g_free(c->profile);
    g_free(c->key);
    g_free(c->secret);
    g_free(c->token);
    g_free(c->role_arn);
    g_free(c->session);
    principal_free(c->who);
    g_free(c);
}

static void keyring_free(gpointer p)
{
    keyring *k = p;
    g_hash_table_unref(k->by_key);
    g_hash_table_unref(k->declared_ids);
    g_hash_table_unref(k->declared);
    g_ptr_array_unref(k->order);
    g_free(k);
}

static keyring *ring(world *w)
{
    keyring *k = world_service_state(w, SLOT);
    if (!k) {
        k = g_new0(keyring, 1);
        k->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, cred_free);
        k->declared = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, declared_free);
        k->declared_ids = g_hash_table_new(g_str_hash, g_str_equal);
        k->order = g_ptr_array_new();
        world_set_service_state(w, SLOT, k, keyring_free);
    }
    return k;
}

static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *draw(rng *r, const char *prefix, size_t n, const char *alphabet)
{
    char buf[80];
    g_assert(n < sizeof buf);
    rng_chars(r, buf, n, alphabet);
    return g_strconcat(prefix, buf, NULL);
}

/* A key already held keeps its first meaning (ids are drawn at random). */
static void add(keyring *k, cred *c)
{
    if (g_hash_table_contains(k->by_key, c->key)) {
        cred_free(c);
        return;
    }
    g_hash_table_insert(k->by_key, c->key, c);
    g_ptr_array_add(k->order, c);
}

static void add_static(world *w, keyring *k, const char *profile, const char *arn,
                       const char *session, char *key, char *secret, char *token)
{
    principal *p = world_principal_for(w, arn, session, NULL);
    if (!p) {
        g_free(key);
        g_free(secret);
        g_free(token);
        return;
    }
    g_free(p->access_key_id);
    p->access_key_id = g_strdup(key);
    cred *c = g_new0(cred, 1);
    *c = (cred){ .profile = g_strdup(profile), .key = key, .secret = secret, .token = token,
                 .who = p, .expires_us = INT64_MAX };
    add(k, c);
}

/* The declared key of account's principal `name`, or NULL. */
static const declared *declared_of(keyring *k, const char *account, const char *name)
{
    g_autofree char *id = g_strconcat(account, "\n", name, NULL);
    return g_hash_table_lookup(k->declared, id);
}

void creds_issue(world *w)
{
    keyring *k = ring(w);
    if (k->issued)
        return;
    k->issued = true;
    rng *r = world_rng(w, "serve/credentials");
    GPtrArray *accs = world_accounts(w);
    for (guint i = 0; i < accs->len; i++) {
        const world_account *a = accs->pdata[i];
        const char *name = a->alias ? a->alias : a->id;
        for (guint j = 0; a->roles && j < a->roles->len; j++) {
            const world_role *role = a->roles->pdata[j];
            g_autofree char *profile = g_strdup_printf("%s-%s", name, role->name);
            const declared *d = declared_of(k, a->id, role->name);
            char *key = draw(r, "ASIA", 16, B32), *secret = draw(r, "", 40, B64),
                 *token = draw(r, "", 64, B64);     /* drawn even when declared: */
            if (d) {                                /* others' keys do not move */
                g_free(key);
                g_free(secret);
                key = g_strdup(d->key);
                secret = g_strdup(d->secret);
                if (d->token) {
                    g_free(token);
                    token = g_strdup(d->token);
                }
            }
            add_static(w, k, profile, role->arn, "crossim", key, secret, token);
        }
        for (guint j = 0; a->users && j < a->users->len; j++) {
            const world_user *u = a->users->pdata[j];
            g_autofree char *profile = g_strdup_printf("%s-user-%s", name, u->name);
            g_autofree char *uname = g_strconcat("user/", u->name, NULL);
            const declared *d = declared_of(k, a->id, uname);
            char *key = draw(r, "AKIA", 16, B32), *secret = draw(r, "", 40, B64);
            if (d) {
                g_free(key);
                g_free(secret);
                key = g_strdup(d->key);
                secret = g_strdup(d->secret);
            }
            add_static(w, k, profile, u->arn, NULL, key, secret, NULL);
        }
        g_autofree char *profile = g_strdup_printf("%s-root", name);
        g_autofree char *root = g_strdup_printf("arn:aws:iam::%s:root", a->id);
        const declared *d = declared_of(k, a->id, "root");
        add_static(w, k, profile, root, NULL, g_strdup(d ? d->key : a->id),
                   g_strdup(d ? d->secret : CREDS_ROOT_SECRET), NULL);
    }
}

char *creds_file_text(world *w)
{
    keyring *k = ring(w);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < k->order->len; i++) {
        const cred *c = k->order->pdata[i];
        if (!c->profile)
            continue;
        g_string_append_printf(s, "%s[%s]\n# %s\naws_access_key_id = %s\naws_secret_access_key = %s\n",
                               s->len ? "\n" : "", c->profile, principal_arn(c->who), c->key,
                               c->secret);
        if (c->token)
            g_string_append_printf(s, "aws_session_token = %s\n", c->token);
    }
    return g_string_free(s, FALSE);
}

creds_status creds_lookup(world *w, const char *access_key, const char *token, int64_t now_us,
                          const principal_origin *origin, const char **secret, principal **who)
{
    keyring *k = ring(w);
    cred *c = access_key ? g_hash_table_lookup(k->by_key, access_key) : NULL;
    if (!c)
        return CREDS_UNKNOWN;
    if (!c->who) {
        c->who = world_principal_for(w, c->role_arn, c->session, NULL);
        if (!c->who)               /* the role was deleted since */
            return CREDS_UNKNOWN;
        g_free(c->who->access_key_id);
        c->who->access_key_id = g_strdup(c->key);
    }
    if (g_strcmp0(c->token, token) != 0 && (c->token || token))
        return CREDS_BAD_TOKEN;
    if (now_us >= c->expires_us)
        return CREDS_EXPIRED;
    principal *p = principal_copy(c->who);
    if (origin) {
        if (origin->source_ip) {
            g_free(p->source_ip);
            p->source_ip = g_strdup(origin->source_ip);
        }
        if (origin->user_agent) {
            g_free(p->user_agent);
            p->user_agent = g_strdup(origin->user_agent);
        }
    }
    *secret = c->secret;
    *who = p;
    return CREDS_OK;
}

void creds_add_session(world *w, const char *access_key, const char *secret, const char *token,
                       const char *role_arn, const char *session, int64_t expires_us)
{
    /* The principal is made when the key is first used: making it here would
     * draw from the session's id stream in every replay, serve or not. */
    cred *c = g_new0(cred, 1);
    *c = (cred){ .key = g_strdup(access_key), .secret = g_strdup(secret),
                 .token = g_strdup(token), .role_arn = g_strdup(role_arn),
                 .session = g_strdup(session), .expires_us = expires_us };
    add(ring(w), c);
}

guint creds_count(world *w)
{
    return g_hash_table_size(ring(w)->by_key);
}

/* ---- the scenario's "access_keys" ------------------------------------------------- */

static const char *const account_keys[] = { "access_keys", NULL };
static const char *const key_keys[] = { "access_key_id", "secret_access_key", "session_token", NULL };

static bool key_id_ok(const char *s)
{
    gsize n = strlen(s);
    if (n < 12 || n > 128)
        return false;
    for (const char *p = s; *p; p++)
        if (!g_ascii_isupper(*p) && !g_ascii_isdigit(*p))
            return false;
    return true;
}

/* "access_keys": {"Role": {...}, "user/Name": {...}, "root": {...}} in an
 * account: the keys `crossim serve` gives those principals instead of drawn
 * ones.  Loaded after IAM's roles and users (model/services.c). */
static void load_account(world *w, world_account *a, const cJSON *body, const char *path,
                         jload *l)
{
    const cJSON *keys = jload_member(body, "access_keys"), *e;
    if (!keys)
        return;
    g_autofree char *kp = jload_sub(path, "access_keys");
    if (!cJSON_IsObject(keys)) {
        jload_err(l, keys, false, kp, "access_keys is an object: {\"RoleName\" | \"user/Name\" | "
                  "\"root\": {\"access_key_id\", \"secret_access_key\"}}");
        return;
    }
    keyring *k = ring(w);
    cJSON_ArrayForEach(e, keys) {
        g_autofree char *ep = jload_sub(kp, e->string);
        const char *name = e->string;
        bool user = g_str_has_prefix(name, "user/"), root = strcmp(name, "root") == 0;
        bool known = root;
        for (guint i = 0; !known && !user && a->roles && i < a->roles->len; i++)
            known = strcmp(((world_role *)a->roles->pdata[i])->name, name) == 0;
        for (guint i = 0; !known && user && a->users && i < a->users->len; i++)
            known = strcmp(((world_user *)a->users->pdata[i])->name, name + 5) == 0;
        if (!known) {
            jload_err(l, e, true, ep, "\"%s\" is not a role, \"user/<name>\" of a user, or "
                      "\"root\" of account %s", name, a->id);
            continue;
        }
        if (!cJSON_IsObject(e)) {
            jload_err(l, e, false, ep, "a key is {\"access_key_id\", \"secret_access_key\"}");
            continue;
        }
        jload_check_keys(l, e, ep, key_keys);
        const char *id = jload_str(l, e, "access_key_id", ep, true);
        const char *secret = jload_str(l, e, "secret_access_key", ep, true);
        const char *token = jload_str(l, e, "session_token", ep, false);
        g_autofree char *ip = jload_sub(ep, "access_key_id");
        if (!id || !secret)
            continue;
        if (!key_id_ok(id)) {
            jload_err(l, jload_member(e, "access_key_id"), false, ip,
                      "an access key id is 12 to 128 upper-case letters and digits");
            continue;
        }
        if (!*secret) {
            g_autofree char *sp = jload_sub(ep, "secret_access_key");
            jload_err(l, jload_member(e, "secret_access_key"), false, sp, "the secret is empty");
            continue;
        }
        if (token && (user || root)) {
            g_autofree char *tp = jload_sub(ep, "session_token");
            jload_err(l, jload_member(e, "session_token"), false, tp,
                      "only a role's session has a session token");
            continue;
        }
        if (g_hash_table_contains(k->declared_ids, id)) {
            jload_err(l, jload_member(e, "access_key_id"), false, ip,
                      "access key id %s is declared twice", id);
            continue;
        }
        g_autofree char *slot = g_strconcat(a->id, "\n", name, NULL);
        if (g_hash_table_contains(k->declared, slot)) {
            jload_err(l, e, true, ep, "%s has a key already", name);
            continue;
        }
        declared *d = g_new0(declared, 1);
        *d = (declared){ g_strdup(id), g_strdup(secret), g_strdup(token) };
        g_hash_table_insert(k->declared, g_steal_pointer(&slot), d);
        g_hash_table_add(k->declared_ids, d->key);
    }
}

static const api_op ops[] = {
    { NULL, NULL, false, API_TO_CALLER },
};

const api_service api_service_credentials = {
    .name = "credentials", .ops = ops, .account_keys = account_keys, .load_account = load_account,
};
