/* model/kms_grants.c: AWS KMS grants (the KMS Developer Guide, "Grants in
 * AWS KMS", and the API reference of CreateGrant, ListGrants, RetireGrant
 * and RevokeGrant).
 *
 * A grant lets its grantee principal use one key for the operations it
 * lists, within its encryption-context constraints, beside the key policy
 * and IAM: kms__authorize asks kms__grant_allows when those leave a request
 * implicitly denied, never against an explicit deny (api_authorize_granted).
 * A grant naming an account root lets that account's principals whose own
 * policies allow the action use it, as a key policy naming the account does.
 * Who may retire a grant is the grant's business, not a policy's: its
 * retiring principal, its grantee when the grant lists RetireGrant, or the
 * account the key belongs to (its root).  An encryption-context constraint
 * binds the cryptographic operations a grant lists, not DescribeKey or
 * RetireGrant, and may not go with asymmetric or HMAC operations.  Grant ids are 64 hex digits and
 * tokens opaque text, both drawn from the call's stream. */
#include "model/kms_int.h"
#include "model/api_aux.h"

#include <string.h>

#define GRANTS_STATE "kms/grants"
#define GRANTS_PER_KEY 50000          /* KMS quota "Grants per KMS key" */

typedef struct kms_grant {
    char   *key_arn, *key_account, *id, *token, *name;
    char   *grantee, *retiring, *issuing;  /* issuing: "arn:aws:iam::ACCT:root" */
    GStrv   ops;                           /* "Decrypt", ... in request order */
    cJSON  *constraints;                   /* {EncryptionContextSubset|Equals: {...}} or NULL */
    int64_t created_us;
} kms_grant;

typedef struct grants_state {
    GPtrArray *all;                        /* kms_grant*, creation order (owned) */
} grants_state;

static void grant_free(gpointer p)
{
    kms_grant *g = p;
    g_free(g->key_arn); g_free(g->key_account); g_free(g->id); g_free(g->token);
    g_free(g->name); g_free(g->grantee); g_free(g->retiring); g_free(g->issuing);
    g_strfreev(g->ops);
    cJSON_Delete(g->constraints);
    g_free(g);
}

static void state_free(gpointer p)
{
    grants_state *s = p;
    g_ptr_array_unref(s->all);
    g_free(s);
}

static grants_state *state_of(world *w)
{
    grants_state *s = world_service_state(w, GRANTS_STATE);
    if (!s) {
        s = g_new0(grants_state, 1);
        s->all = g_ptr_array_new_with_free_func(grant_free);
        world_set_service_state(w, GRANTS_STATE, s, state_free);
    }
    return s;
}

static kms_grant *grant_by_id(world *w, const char *key_arn, const char *id)
{
    grants_state *s = state_of(w);
    for (guint i = 0; id && i < s->all->len; i++) {
        kms_grant *g = s->all->pdata[i];
        if (strcmp(g->key_arn, key_arn) == 0 && strcmp(g->id, id) == 0)
            return g;
    }
    return NULL;
}

static void grant_remove(world *w, kms_grant *g)
{
    g_ptr_array_remove(state_of(w)->all, g);
}

/* ---- matching ---------------------------------------------------------------------- */

/* Operations of asymmetric and HMAC keys: a grant with an encryption
 * context constraint may not list them (CreateGrant's Constraints). */
static const char *const NO_CONSTRAINT_OPS[] = {
    "GetPublicKey", "Sign", "Verify", "GenerateMac", "VerifyMac", "DeriveSharedSecret",
    "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", NULL
};
/* A constrained grant may list these, but the constraint does not apply to them. */
static const char *const UNCONSTRAINED_OPS[] = { "DescribeKey", "RetireGrant", NULL };


/* Does the grant's grantee (or retiring) principal name the caller itself? */
static bool names_caller(const principal *p, const char *who)
{
    if (!who)
        return false;
    if (strcmp(who, p->arn) == 0)
        return true;
    return p->kind == PRINCIPAL_ROLE_SESSION && strcmp(who, p->role->arn) == 0;
}

static bool names_account_of(const principal *p, const char *who)
{
    if (!who || p->kind == PRINCIPAL_SERVICE || !p->account)
        return false;
    g_autofree char *root = g_strconcat("arn:aws:iam::", p->account, ":root", NULL);
    return strcmp(who, root) == 0;
}

/* The request's encryption context keeps the grant's constraint. */
static bool context_keeps(const cJSON *constraints, const cJSON *ectx)
{
    const cJSON *sub = cJSON_GetObjectItemCaseSensitive(constraints, "EncryptionContextSubset");
    const cJSON *eq = cJSON_GetObjectItemCaseSensitive(constraints, "EncryptionContextEquals");
    const cJSON *want = sub ? sub : eq, *e;
    if (!want)
        return true;
    cJSON_ArrayForEach(e, want) {
        const char *have = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ectx, e->string));
        if (!have || g_strcmp0(have, cJSON_GetStringValue(e)) != 0)
            return false;
    }
    return sub || cJSON_GetArraySize(ectx) == cJSON_GetArraySize(want);
}

api_grant_match kms__grant_allows(api_call *c, const void *key, const void *ectx,
                                  const char *action)
{
    return kms__grant_match(c, key, ectx, action, NULL);
}

api_grant_match kms__grant_match(api_call *c, const world_key *k, const cJSON *ectx,
                                 const char *action, const char **grant_id)
{
    const char *op = g_str_has_prefix(action, "kms:") ? action + 4 : action;
    grants_state *s = state_of(c->w);
    api_grant_match best = API_GRANT_NONE;
    for (guint i = 0; i < s->all->len && best != API_GRANT_CALLER; i++) {
        const kms_grant *g = s->all->pdata[i];
        if (strcmp(g->key_arn, k->arn) != 0 || !g_strv_contains((const char *const *)g->ops, op) ||
            (!g_strv_contains(UNCONSTRAINED_OPS, op) && !context_keeps(g->constraints, ectx)))
            continue;
        api_grant_match m = names_caller(c->caller, g->grantee) ? API_GRANT_CALLER
                          : names_account_of(c->caller, g->grantee) ? API_GRANT_ACCOUNT
                          : API_GRANT_NONE;
        /* A grant for the caller itself beats one for its account. */
        if (m != API_GRANT_NONE && (best == API_GRANT_NONE || m == API_GRANT_CALLER)) {
            best = m;
            if (grant_id)
                *grant_id = g->id;
        }
    }
    return best;
}

/* ---- CreateGrant ------------------------------------------------------------------- */

/* A principal KMS accepts as grantee or retiring principal: an account
 * root, an IAM role or user, an assumed-role session, or a service. */
static bool principal_arn_ok(const char *s)
{
    char acct[13];
    if (g_str_has_prefix(s, "arn:aws:iam::") && api_arn_account_in(s, acct)) {
        const char *rest = strchr(s + strlen("arn:aws:iam::"), ':') + 1;
        return strcmp(rest, "root") == 0 || g_str_has_prefix(rest, "role/") ||
               g_str_has_prefix(rest, "user/");
    }
    if (g_str_has_prefix(s, "arn:aws:sts::") && api_arn_account_in(s, acct))
        return strstr(s, ":assumed-role/") != NULL;
    return g_str_has_suffix(s, ".amazonaws.com") && !strchr(s, ':');
}

static bool same_grant(const kms_grant *g, const char *grantee, const char *retiring,
                       const cJSON *ops, const cJSON *constraints)
{
    if (g_strcmp0(g->grantee, grantee) != 0 || g_strcmp0(g->retiring, retiring) != 0 ||
        (guint)cJSON_GetArraySize(ops) != g_strv_length(g->ops))
        return false;
    const cJSON *o;
    int i = 0;
    cJSON_ArrayForEach(o, ops)
        if (g_strcmp0(cJSON_GetStringValue(o), g->ops[i++]) != 0)
            return false;
    return cJSON_Compare(g->constraints, constraints, true) ||
           (!g->constraints && !constraints);
}

bool kms__create_grant(api_call *c)
{
    kms__log_request(c);
    world_key *k = kms__key_for(c, "KeyId", false);
    if (!k)
        return false;
    const char *grantee = api_str(c->input, "GranteePrincipal");
    const char *retiring = api_str(c->input, "RetiringPrincipal");
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(c->input, "Operations"), *o;
    const cJSON *cons = cJSON_GetObjectItemCaseSensitive(c->input, "Constraints");
    for (const char *p = grantee; p; p = p == grantee ? retiring : NULL)
        if (!principal_arn_ok(p)) {
            api_error_set(&c->err, "InvalidArnException", "%s is not a valid principal", p);
            return false;
        }
    if (cJSON_GetArraySize(ops) == 0) {
        api_error_set(&c->err, "ValidationException",
                      "1 validation error detected: Value '[]' at 'operations' failed to satisfy "
                      "constraint: Member must have length greater than or equal to 1");
        return false;
    }
    bool constrained = cJSON_GetArraySize(cons) > 0;
    cJSON_ArrayForEach(o, ops)
        if (constrained && g_strv_contains(NO_CONSTRAINT_OPS, cJSON_GetStringValue(o))) {
            api_error_set(&c->err, "ValidationException",
                          "Grant constraints are not supported for the %s operation",
                          cJSON_GetStringValue(o));
            return false;
        }
    g_autoptr(iam_ctx) x = kms__context(c, NULL, api_str(c->input, "KeyId"));
    iam_ctx_set(x, "kms:GranteePrincipal", grantee);
    iam_ctx_set(x, "kms:RetiringPrincipal", retiring);
    cJSON_ArrayForEach(o, ops)
        iam_ctx_add(x, "kms:GrantOperations", cJSON_GetStringValue(o));
    if (cJSON_GetObjectItemCaseSensitive(cons, "EncryptionContextSubset"))
        iam_ctx_set(x, "kms:GrantConstraintType", "EncryptionContextSubset");
    else if (cJSON_GetObjectItemCaseSensitive(cons, "EncryptionContextEquals"))
        iam_ctx_set(x, "kms:GrantConstraintType", "EncryptionContextEquals");
    iam_ctx_set(x, "kms:GrantIsForAWSResource", c->invoked_by ? "true" : "false");
    if (!kms__authorize(c, "kms:CreateGrant", k, x, NULL) || !kms__key_usable(c, k))
        return false;
    grants_state *s = state_of(c->w);
    const char *name = api_str(c->input, "Name");
    kms_grant *g = NULL;
    guint on_key = 0;
    for (guint i = 0; i < s->all->len; i++) {
        kms_grant *h = s->all->pdata[i];
        if (strcmp(h->key_arn, k->arn) != 0)
            continue;
        on_key++;
        /* A retried CreateGrant with the same name and grant is the same grant. */
        if (name && g_strcmp0(h->name, name) == 0 && same_grant(h, grantee, retiring, ops, cons))
            g = h;
    }
    if (!g && on_key >= GRANTS_PER_KEY) {
        api_error_set(&c->err, "LimitExceededException",
                      "The request was rejected because a quota was exceeded: grants per KMS key "
                      "(%d).", GRANTS_PER_KEY);
        return false;
    }
    if (kms__dry_run(c))
        return false;
    char token[161];
    rng_chars(c->rng, token, 160, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    if (!g) {
        g = g_new0(kms_grant, 1);
        char id[65];
        rng_chars(c->rng, id, 64, "0123456789abcdef");
        g->key_arn = g_strdup(k->arn);
        g->key_account = g_strdup(k->account);
        g->id = g_strdup(id);
        g->name = g_strdup(name);
        g->grantee = g_strdup(grantee);
        g->retiring = g_strdup(retiring);
        g->issuing = g_strconcat("arn:aws:iam::", c->caller->account ? c->caller->account
                                                                       : k->account, ":root", NULL);
        GStrvBuilder *b = g_strv_builder_new();
        cJSON_ArrayForEach(o, ops)
            g_strv_builder_add(b, cJSON_GetStringValue(o));
        g->ops = g_strv_builder_end(b);
        g_strv_builder_unref(b);
        g->constraints = constrained ? cJSON_Duplicate(cons, 1) : NULL;
        g->created_us = c->now;
        g_ptr_array_add(s->all, g);
    }
    g_free(g->token);
    g->token = g_strdup(token);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "GrantToken", g->token);
    cJSON_AddStringToObject(c->output, "GrantId", g->id);
    /* Its record keeps the id; the token is the grantee's to use. */
    c->response_elements = cJSON_CreateObject();
    cJSON_AddStringToObject(c->response_elements, "grantId", g->id);
    return true;
}

/* ---- ListGrants -------------------------------------------------------------------- */

/* Limit 1 to 100, 50 when not given (the API reference). */
static const api_paging GRANTS_PAGE = {
    .token = "Marker", .next = "NextMarker", .max = "Limit", .dflt = 50,
    .bad_code = "InvalidMarkerException", .bad_fmt = "Invalid marker: %s" };

static cJSON *grant_json(api_call *c, const kms_grant *g)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "KeyId", g->key_arn);
    cJSON_AddStringToObject(o, "GrantId", g->id);
    if (g->name)
        cJSON_AddStringToObject(o, "Name", g->name);
    api_add_time(c->w, o, "CreationDate", g->created_us);
    cJSON_AddStringToObject(o, "GranteePrincipal", g->grantee);
    if (g->retiring)
        cJSON_AddStringToObject(o, "RetiringPrincipal", g->retiring);
    cJSON_AddStringToObject(o, "IssuingAccount", g->issuing);
    cJSON *ops = cJSON_AddArrayToObject(o, "Operations");
    for (GStrv p = g->ops; *p; p++)
        cJSON_AddItemToArray(ops, cJSON_CreateString(*p));
    if (g->constraints)
        cJSON_AddItemToObject(o, "Constraints", cJSON_Duplicate(g->constraints, 1));
    return o;
}

bool kms__list_grants(api_call *c)
{
    kms__log_request(c);
    world_key *k = kms__key_for(c, "KeyId", false);
    if (!k)
        return false;
    g_autoptr(iam_ctx) x = kms__context(c, NULL, api_str(c->input, "KeyId"));
    if (!kms__authorize(c, "kms:ListGrants", k, x, NULL))
        return false;
    const char *want_id = api_str(c->input, "GrantId");
    const char *want_grantee = api_str(c->input, "GranteePrincipal");
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    grants_state *s = state_of(c->w);
    for (guint i = 0; i < s->all->len; i++) {
        kms_grant *g = s->all->pdata[i];
        if (strcmp(g->key_arn, k->arn) == 0 && (!want_id || strcmp(g->id, want_id) == 0) &&
            (!want_grantee || strcmp(g->grantee, want_grantee) == 0))
            g_ptr_array_add(rows, g);
    }
    guint first, count;
    if (!api_page(c, &GRANTS_PAGE, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "Grants");
    for (guint i = first; i < first + count; i++)
        cJSON_AddItemToArray(list, grant_json(c, rows->pdata[i]));
    api_page_token(&GRANTS_PAGE, c->output, first, count, rows->len);
    cJSON_AddBoolToObject(c->output, "Truncated", first + count < rows->len);
    return true;
}

/* ---- RetireGrant, RevokeGrant ------------------------------------------------------- */

static bool valid_grant_id(const char *id)
{
    if (!id || strlen(id) != 64)
        return false;
    for (const char *p = id; *p; p++)
        if (!g_ascii_isxdigit(*p))
            return false;
    return true;
}

bool kms__retire_grant(api_call *c)
{
    kms__log_request(c);
    const char *token = api_str(c->input, "GrantToken");
    const char *id = api_str(c->input, "GrantId");
    kms_grant *g = NULL;
    if (token) {
        grants_state *s = state_of(c->w);
        for (guint i = 0; i < s->all->len && !g; i++)
            if (strcmp(((kms_grant *)s->all->pdata[i])->token, token) == 0)
                g = s->all->pdata[i];
        if (!g) {
            api_error_set(&c->err, "InvalidGrantTokenException", "Invalid grant token.");
            return false;
        }
        world_key *k = world_key_get(c->w, g->key_arn, NULL);
        api_resource(c, g->key_arn, k ? k->account : g->key_account, "AWS::KMS::Key");
    } else {
        if (!api_str(c->input, "KeyId") || !id) {
            api_error_set(&c->err, "ValidationException",
                          "Either a grant token, or a key ID and a grant ID, is required.");
            return false;
        }
        world_key *k = kms__key_for(c, "KeyId", false);
        if (!k)
            return false;
        if (!valid_grant_id(id)) {
            api_error_set(&c->err, "InvalidGrantIdException", "Invalid grant ID: %s", id);
            return false;
        }
        if (!(g = grant_by_id(c->w, k->arn, id))) {
            api_error_set(&c->err, "NotFoundException", "Grant ID %s not found", id);
            return false;
        }
    }
    /* The grant decides who may retire it, not a policy. */
    g_autofree char *owner_root = g_strconcat("arn:aws:iam::", g->key_account, ":root", NULL);
    bool may = names_caller(c->caller, g->retiring) ||
               (names_caller(c->caller, g->grantee) &&
                g_strv_contains((const char *const *)g->ops, "RetireGrant")) ||
               strcmp(c->caller->arn, owner_root) == 0;
    if (!may) {
        api_error_set(&c->err, "AccessDeniedException",
                      "User: %s is not authorized to perform: kms:RetireGrant on resource: %s "
                      "because no resource-based policy allows the kms:RetireGrant action",
                      c->caller->arn, g->key_arn);
        c->denied_layer = (int)IAM_LAYER_RESOURCE;
        g_free(c->decision);
        c->decision = g_strdup("resource: only the grant's retiring principal, its grantee "
                               "principal or the key's account may retire a grant");
        return false;
    }
    if (kms__dry_run(c))
        return false;
    grant_remove(c->w, g);
    return true;
}

bool kms__revoke_grant(api_call *c)
{
    kms__log_request(c);
    world_key *k = kms__key_for(c, "KeyId", false);
    if (!k)
        return false;
    g_autoptr(iam_ctx) x = kms__context(c, NULL, api_str(c->input, "KeyId"));
    if (!kms__authorize(c, "kms:RevokeGrant", k, x, NULL))
        return false;
    const char *id = api_str(c->input, "GrantId");
    if (!valid_grant_id(id)) {
        api_error_set(&c->err, "InvalidGrantIdException", "Invalid grant ID: %s", id ? id : "");
        return false;
    }
    kms_grant *g = grant_by_id(c->w, k->arn, id);
    if (!g) {
        api_error_set(&c->err, "NotFoundException", "Grant ID %s not found", id);
        return false;
    }
    if (kms__dry_run(c))
        return false;
    grant_remove(c->w, g);
    return true;
}
