/* model/creds.c: the keyring of a live crossim (see creds.h).
 *
 * One world slot, "credentials": the keys by id, and the issue order for the
 * credentials file.  A key holds the principal it stands for, made once, so
 * every request signed with it is the same identity (a session made again
 * would draw new ids). */
#include "model/creds.h"

#include <string.h>

#include "model/world_int.h"

#define SLOT "credentials"

typedef struct cred {
    char      *profile;          /* NULL for sessions from sts:AssumeRole */
    char      *key, *secret, *token;
    principal *who;              /* made on first use for sessions (below) */
    char      *role_arn, *session;
    int64_t    expires_us;       /* INT64_MAX: never */
} cred;

typedef struct keyring {
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
    g_ptr_array_unref(k->order);
    g_free(k);
}

static keyring *ring(world *w)
{
    keyring *k = world_service_state(w, SLOT);
    if (!k) {
        k = g_new0(keyring, 1);
        k->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, cred_free);
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
            add_static(w, k, profile, role->arn, "crossim", draw(r, "ASIA", 16, B32),
                       draw(r, "", 40, B64), draw(r, "", 64, B64));
        }
        for (guint j = 0; a->users && j < a->users->len; j++) {
            const world_user *u = a->users->pdata[j];
            g_autofree char *profile = g_strdup_printf("%s-user-%s", name, u->name);
            add_static(w, k, profile, u->arn, NULL, draw(r, "AKIA", 16, B32),
                       draw(r, "", 40, B64), NULL);
        }
        g_autofree char *profile = g_strdup_printf("%s-root", name);
        g_autofree char *root = g_strdup_printf("arn:aws:iam::%s:root", a->id);
        add_static(w, k, profile, root, NULL, g_strdup(a->id), g_strdup(CREDS_ROOT_SECRET), NULL);
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
