/* model/svc_kms.c: AWS KMS: keys, key policies, aliases and the
 * cryptographic calls other services make with a customer's key.
 *
 * Keys live in the world (world_key, made by the scenario or by CreateKey);
 * this module keeps what the world does not: the aliases made by CreateAlias
 * and the descriptions of the keys CreateKey made.  A scenario key's label is
 * also its alias (alias/LABEL); a key CreateKey made has an empty label and
 * only the aliases CreateAlias gives it.
 *
 * Authorisation: every call on a key goes through api_authorize with the key
 * policy as the root of access (API_RES_KEY_POLICY).  The request's
 * encryption context becomes kms:EncryptionContext:<k> and
 * kms:EncryptionContextKeys; a call that a service makes with the caller's
 * rights (c->invoked_by, see kms_use) adds kms:ViaService and friends.
 *
 * Ciphertext is not encrypted: a blob is the base64 of
 * "crossim-kms-v1\n<key ARN>\n<encryption context, canonical JSON>\n<plaintext>"
 * so Decrypt can tell which key made it and whether the context matches,
 * which is all the simulator needs.
 *
 * Records: calls on a key of another account are logged in both accounts
 * (CloudTrail documents this for KMS), so the ops are API_TO_CALLER_AND_OWNER
 * and each names its key with api_resource.  CloudTrail logs KMS
 * requestParameters with lower-case member names and never logs plaintext or
 * ciphertext. */
#include "model/api_aux.h"
#include "model/world_int.h"
#include "model/kms.h"
#include "model/estate.h"
#include "model/service.h"
#include "model/kms_int.h"

#include <string.h>

#define KMS_SERVICE "kms"
#define BLOB_MAGIC "crossim-kms-v1"

typedef struct kms_alias {
    char   *account, *name, *key_arn;    /* name: "alias/x" */
    int64_t created_us, updated_us;
} kms_alias;

typedef struct kms_state {
    GHashTable *aliases;    /* "ACCOUNT/alias/x" -> kms_alias* (owned) */
    GHashTable *described;  /* key ARN -> char* Description (owned) */
    GHashTable *counters;   /* account -> gint* keys made by CreateKey */
} kms_state;

static void alias_free(gpointer p)
{
    kms_alias *a = p;
    g_free(a->account);
    g_free(a->name);
    g_free(a->key_arn);
    g_free(a);
}

static void state_free(gpointer p)
{
    kms_state *s = p;
    g_hash_table_unref(s->aliases);
    g_hash_table_unref(s->described);
    g_hash_table_unref(s->counters);
    g_free(s);
}

static kms_state *state_of(world *w)
{
    kms_state *s = world_service_state(w, KMS_SERVICE);
    if (!s) {
        s = g_new0(kms_state, 1);
        s->aliases = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, alias_free);
        s->described = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        s->counters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        world_set_service_state(w, KMS_SERVICE, s, state_free);
    }
    return s;
}

static kms_alias *alias_get(world *w, const char *account, const char *name)
{
    g_autofree char *k = g_strdup_printf("%s/%s", account, name);
    return g_hash_table_lookup(state_of(w)->aliases, k);
}

/* ---- key references ------------------------------------------------------------ */

/* The key a scenario label names: alias/LABEL in account, never the empty
 * label of a key CreateKey made. */
static world_key *labelled_key(world *w, const char *account, const char *label)
{
    const world_account *a = world_account_get(w, account);
    if (!a || !label || !*label)
        return NULL;
    for (guint i = 0; i < a->keys->len; i++) {
        world_key *k = a->keys->pdata[i];
        if (strcmp(k->name, label) == 0)
            return k;
    }
    return NULL;
}

static world_key *key_by_arn(world *w, const char *arn)
{
    g_autofree char *acct = api_arn_account(arn);
    const world_account *a = world_account_get(w, acct);
    for (guint i = 0; a && i < a->keys->len; i++) {
        world_key *k = a->keys->pdata[i];
        if (strcmp(k->arn, arn) == 0)
            return k;
    }
    return NULL;
}

world_key *kms_key_find(world *w, const char *ref, const char *caller_account)
{
    if (!ref || !*ref)
        return NULL;
    g_autofree char *acct = NULL;
    const char *alias = NULL;
    if (g_str_has_prefix(ref, "alias/")) {
        acct = g_strdup(caller_account);
        alias = ref;
    } else if (g_str_has_prefix(ref, "arn:") && strstr(ref, ":alias/")) {
        acct = api_arn_account(ref);
        alias = strstr(ref, ":alias/") + 1;
        g_autofree char *want = g_strdup_printf("arn:aws:kms:%s:%s:%s", world_region(w),
                                                acct ? acct : "", alias);
        if (strcmp(want, ref) != 0)        /* another region or partition */
            return NULL;
    } else if (g_str_has_prefix(ref, "arn:")) {
        return key_by_arn(w, ref);
    } else {
        const world_account *a = world_account_get(w, caller_account);
        for (guint i = 0; a && i < a->keys->len; i++) {
            world_key *k = a->keys->pdata[i];
            if (strcmp(k->id, ref) == 0)
                return k;
        }
        return NULL;
    }
    if (!acct)
        return NULL;
    kms_alias *al = alias_get(w, acct, alias);
    if (al)
        return key_by_arn(w, al->key_arn);
    return labelled_key(w, acct, alias + strlen("alias/"));
}

/* ---- small helpers ---------------------------------------------------------------- */

static char *iso(const api_call *c, int64_t t)
{
    char b[21];
    world_iso_time(c->w, t, b);
    return g_strdup(b);
}

/* A copy of obj with the first letter of each top-level member lower-cased,
 * as CloudTrail logs KMS requests; `drop` members (secrets) are left out. */
static cJSON *lower_top(const cJSON *obj, const char *const *drop)
{
    cJSON *o = cJSON_CreateObject();
    const cJSON *e;
    cJSON_ArrayForEach(e, obj) {
        bool skip = false;
        for (const char *const *d = drop; d && *d; d++)
            skip = skip || strcmp(*d, e->string) == 0;
        if (skip)
            continue;
        g_autofree char *k = g_strdup(e->string);
        k[0] = g_ascii_tolower(k[0]);
        cJSON_AddItemToObject(o, k, cJSON_Duplicate(e, 1));
    }
    return o;
}

static const char *const secrets[] = { "Plaintext", "CiphertextBlob", NULL };

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The encryption context as canonical JSON (members sorted by name). */
static char *context_text(const cJSON *ectx)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    const cJSON *e;
    cJSON_ArrayForEach(e, ectx)
        g_ptr_array_add(names, e->string);
    g_ptr_array_sort(names, cmp_str);
    g_autoptr(cJSON) o = cJSON_CreateObject();
    for (guint i = 0; i < names->len; i++) {
        const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ectx, names->pdata[i]));
        cJSON_AddStringToObject(o, names->pdata[i], v ? v : "");
    }
    return cJSON_PrintUnformatted(o);
}

static char *blob_wrap(const char *key_arn, const cJSON *ectx, const char *plaintext_b64)
{
    g_autofree char *ctx = context_text(ectx);
    g_autofree char *raw = g_strdup_printf(BLOB_MAGIC "\n%s\n%s\n%s", key_arn, ctx,
                                           plaintext_b64 ? plaintext_b64 : "");
    return g_base64_encode((const guchar *)raw, strlen(raw));
}

/* Splits a blob made by blob_wrap; false when it is not one. */
static bool blob_unwrap(const char *b64, char **key_arn, char **ctx, char **plaintext_b64)
{
    if (!b64)
        return false;
    gsize n = 0;
    g_autofree guchar *raw = g_base64_decode(b64, &n);
    if (!raw || n == 0 || memchr(raw, '\0', n))
        return false;
    g_autofree char *text = g_strndup((const char *)raw, n);
    g_auto(GStrv) parts = g_strsplit(text, "\n", 4);
    if (g_strv_length(parts) != 4 || strcmp(parts[0], BLOB_MAGIC) != 0)
        return false;
    *key_arn = g_strdup(parts[1]);
    *ctx = g_strdup(parts[2]);
    *plaintext_b64 = g_strdup(parts[3]);
    return true;
}

static char *random_b64(rng *r, size_t n)
{
    guchar buf[1024];
    g_return_val_if_fail(n <= sizeof buf, NULL);
    for (size_t i = 0; i < n; i++)
        buf[i] = (guchar)(rng_next(r) >> 56);
    return g_base64_encode(buf, n);
}

/* ---- authorisation ----------------------------------------------------------------- */

/* The request context KMS adds to the caller's: the encryption context, and
 * for calls a service makes with the caller's rights, kms:ViaService etc. */
iam_ctx *kms__context(const api_call *c, const cJSON *ectx, const char *key_ref)
{
    iam_ctx *x = iam_ctx_new();
    if (c->caller->account)
        iam_ctx_set(x, "kms:CallerAccount", c->caller->account);
    if (key_ref && (g_str_has_prefix(key_ref, "alias/") || strstr(key_ref, ":alias/")))
        iam_ctx_set(x, "kms:RequestAlias",
                    g_str_has_prefix(key_ref, "alias/") ? key_ref : strstr(key_ref, ":alias/") + 1);
    const cJSON *e;
    cJSON_ArrayForEach(e, ectx) {
        if (!cJSON_IsString(e))
            continue;
        g_autofree char *k = g_strdup_printf("kms:EncryptionContext:%s", e->string);
        iam_ctx_set(x, k, e->valuestring);
        iam_ctx_add(x, "kms:EncryptionContextKeys", e->string);
    }
    if (c->invoked_by) {
        /* "sagemaker.amazonaws.com" -> "sagemaker.us-west-2.amazonaws.com" */
        const char *dot = strchr(c->invoked_by, '.');
        g_autofree char *label = dot ? g_strndup(c->invoked_by, (gsize)(dot - c->invoked_by))
                                     : g_strdup(c->invoked_by);
        g_autofree char *via = g_strdup_printf("%s.%s.amazonaws.com", label, world_region(c->w));
        iam_ctx_set(x, "kms:ViaService", via);
        /* api_authorize sets these for every call a service makes with the
         * caller's rights; KMS documents them, so they are spelled out here. */
        iam_ctx_set(x, "aws:ViaAWSService", "true");
        iam_ctx_add(x, "aws:CalledVia", c->invoked_by);
        iam_ctx_set(x, "aws:CalledViaFirst", c->invoked_by);
        iam_ctx_set(x, "aws:CalledViaLast", c->invoked_by);
        /* Modelling choice: a service that uses a customer key for an AWS
         * resource (SageMaker encrypting a model card) does so through a grant
         * it creates for that resource, so its calls carry
         * kms:GrantIsForAWSResource = true.  That grant is not a grant object
         * here (kms_grants.c holds the ones callers make); the seed's key
         * policy (MC4) relies on this key. */
        iam_ctx_set(x, "kms:GrantIsForAWSResource", "true");
    }
    return x;
}

/* The key policy decides, with the caller's IAM policies, SCPs and RCPs;
 * a grant for the caller may allow what they leave implicitly denied
 * (kms_grants.c).  ectx: the request's encryption context, for grant
 * constraints. */
bool kms__authorize(api_call *c, const char *action, const world_key *k, const iam_ctx *x,
                    const cJSON *ectx)
{
    g_autoptr(GPtrArray) pol = g_ptr_array_new();
    if (k->policy && k->policy->compiled)
        g_ptr_array_add(pol, k->policy->compiled);
    api_grant_fn grant = { kms__grant_allows, (void *)k, ectx };
    return api_authorize_granted(c, action, k->arn, k->account, pol, API_RES_KEY_POLICY, x, &grant);
}

static bool authorize_key(api_call *c, const char *action, const world_key *k, const iam_ctx *x)
{
    return kms__authorize(c, action, k, x, NULL);
}

/* Resolves the key the member names and records it as the call's resource.
 * same_account_only: operations KMS does not allow across accounts, where a
 * key of another account is not found. */
world_key *kms__key_for(api_call *c, const char *member, bool same_account_only)
{
    const char *ref = api_str(c->input, member);
    world_key *k = kms_key_find(c->w, ref, c->caller->account);
    if (k && same_account_only && g_strcmp0(k->account, c->caller->account) != 0)
        k = NULL;
    if (!k) {
        if (ref && g_str_has_prefix(ref, "alias/"))
            api_error_set(&c->err, "NotFoundException", "Alias arn:aws:kms:%s:%s:%s is not found.",
                          world_region(c->w), c->caller->account, ref);
        else if (ref && g_str_has_prefix(ref, "arn:") && strstr(ref, ":alias/"))
            api_error_set(&c->err, "NotFoundException", "Alias %s is not found.", ref);
        else if (ref && g_str_has_prefix(ref, "arn:"))
            api_error_set(&c->err, "NotFoundException", "Key '%s' does not exist", ref);
        else
            api_error_set(&c->err, "NotFoundException", "Key 'arn:aws:kms:%s:%s:key/%s' does not exist",
                          world_region(c->w), c->caller->account, ref ? ref : "");
        return NULL;
    }
    api_resource(c, k->arn, k->account, "AWS::KMS::Key");
    return k;
}

bool kms__key_usable(api_call *c, const world_key *k)
{
    static const char *const names[] = { KEY_STATE_MAP(ENUMX_NAME) };
    if (k->state == KEY_ENABLED)
        return true;
    if (k->state == KEY_DISABLED)
        api_error_set(&c->err, "DisabledException", "%s is disabled.", k->arn);
    else
        api_error_set(&c->err, "KMSInvalidStateException", "%s is %s.", k->arn, names[k->state]);
    return false;
}

bool kms__dry_run(api_call *c)
{
    if (!api_bool(c->input, "DryRun", false))
        return false;
    api_error_set(&c->err, "DryRunOperationException",
                  "The request would have succeeded, but the DryRun option is set.");
    return true;
}

void kms__log_request(api_call *c)
{
    c->request_params = lower_top(c->input, secrets);
}

/* ---- key metadata ------------------------------------------------------------------ */

static cJSON *key_metadata(api_call *c, const world_key *k)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "AWSAccountId", k->account);
    cJSON_AddStringToObject(m, "KeyId", k->id);
    cJSON_AddStringToObject(m, "Arn", k->arn);
    g_autofree char *created = iso(c, k->created_us);
    cJSON_AddStringToObject(m, "CreationDate", created);
    static const char *const names[] = { KEY_STATE_MAP(ENUMX_NAME) };
    cJSON_AddBoolToObject(m, "Enabled", k->state == KEY_ENABLED);
    const char *desc = g_hash_table_lookup(state_of(c->w)->described, k->arn);
    cJSON_AddStringToObject(m, "Description", desc ? desc : "");
    cJSON_AddStringToObject(m, "KeyUsage", "ENCRYPT_DECRYPT");
    cJSON_AddStringToObject(m, "KeyState", names[k->state]);
    cJSON_AddStringToObject(m, "Origin", "AWS_KMS");
    cJSON_AddStringToObject(m, "KeyManager", "CUSTOMER");
    cJSON_AddStringToObject(m, "CustomerMasterKeySpec", "SYMMETRIC_DEFAULT");
    cJSON_AddStringToObject(m, "KeySpec", "SYMMETRIC_DEFAULT");
    cJSON *algs = cJSON_AddArrayToObject(m, "EncryptionAlgorithms");
    cJSON_AddItemToArray(algs, cJSON_CreateString("SYMMETRIC_DEFAULT"));
    cJSON_AddBoolToObject(m, "MultiRegion", false);
    return m;
}

static char *default_policy_text(const char *account)
{
    return g_strdup_printf(
        "{\"Version\":\"2012-10-17\",\"Id\":\"key-default-1\",\"Statement\":[{\"Sid\":"
        "\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
        "\"arn:aws:iam::%s:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}", account);
}

/* Compiles policy text into a key policy; NULL with MalformedPolicyDocument. */
static world_policy *compile_key_policy(api_call *c, const char *text)
{
    g_autoptr(cJSON) doc = cJSON_Parse(text);
    if (!cJSON_IsObject(doc)) {
        api_error_set(&c->err, "MalformedPolicyDocumentException",
                      "The key policy is not valid JSON.");
        return NULL;
    }
    g_autoptr(GError) gerr = NULL;
    world_policy *p = world_policy_new("default", NULL, doc, &gerr);
    if (!p)
        api_error_set(&c->err, "MalformedPolicyDocumentException", "%s",
                      gerr ? gerr->message : "The key policy is malformed.");
    return p;
}

/* ---- operations -------------------------------------------------------------------- */

static bool create_key(api_call *c)
{
    kms__log_request(c);
    g_autoptr(iam_ctx) x = iam_ctx_new();
    api_ctx_request_tags(x, cJSON_GetObjectItemCaseSensitive(c->input, "Tags"), "TagKey", "TagValue");
    if (!api_authorize(c, "kms:CreateKey", "*", NULL, NULL, API_RES_OPTIONAL, x))
        return false;
    world_account *a = world_account_get(c->w, c->caller->account);
    if (!a) {
        api_error_set(&c->err, "UnsupportedOperationException",
                      "%s cannot own KMS keys.", c->caller->arn);
        return false;
    }
    const char *usage = api_str(c->input, "KeyUsage");
    const char *spec = api_str(c->input, "KeySpec");
    if (!spec)
        spec = api_str(c->input, "CustomerMasterKeySpec");
    if ((usage && strcmp(usage, "ENCRYPT_DECRYPT") != 0) ||
        (spec && strcmp(spec, "SYMMETRIC_DEFAULT") != 0)) {
        api_error_set(&c->err, "UnsupportedOperationException",
                      "crossim simulates symmetric ENCRYPT_DECRYPT keys only.");
        return false;
    }
    const char *text = api_str(c->input, "Policy");
    g_autofree char *dflt = text ? NULL : default_policy_text(a->id);
    /* The key-policy lockout safety check (BypassPolicyLockoutSafetyCheck)
     * is not simulated: any well-formed policy is accepted. */
    world_policy *kp = compile_key_policy(c, text ? text : dflt);
    if (!kp)
        return false;
    /* The label names the key's id stream; a key CreateKey made has no
     * scenario label, so it is cleared once the key exists. */
    kms_state *s = state_of(c->w);
    gint *n = g_hash_table_lookup(s->counters, a->id);
    if (!n) {
        n = g_new0(gint, 1);
        g_hash_table_insert(s->counters, g_strdup(a->id), n);
    }
    g_autofree char *label = g_strdup_printf("\ncreate-key/%d", (*n)++);
    world_key *k = world_add_key(c->w, a, label, kp);
    g_free(k->name);
    k->name = g_strdup("");
    g_hash_table_replace(s->described, g_strdup(k->arn),
                         g_strdup(api_str(c->input, "Description") ? api_str(c->input, "Description") : ""));
    api_resource(c, k->arn, k->account, "AWS::KMS::Key");
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "KeyMetadata", key_metadata(c, k));
    c->response_elements = cJSON_CreateObject();
    cJSON_AddItemToObject(c->response_elements, "keyMetadata",
                          lower_top(cJSON_GetObjectItemCaseSensitive(c->output, "KeyMetadata"), NULL));
    return true;
}

static bool check_policy_name(api_call *c)
{
    const char *name = api_str(c->input, "PolicyName");
    if (name && strcmp(name, "default") != 0) {
        api_error_set(&c->err, "NotFoundException", "Policy %s does not exist.", name);
        return false;
    }
    return true;
}

static bool put_key_policy(api_call *c)
{
    kms__log_request(c);
    /* PutKeyPolicy does not work across accounts. */
    world_key *k = kms__key_for(c, "KeyId", true);
    if (!k)
        return false;
    g_autoptr(iam_ctx) x = kms__context(c, NULL, api_str(c->input, "KeyId"));
    if (!authorize_key(c, "kms:PutKeyPolicy", k, x) || !check_policy_name(c))
        return false;
    world_policy *kp = compile_key_policy(c, api_str(c->input, "Policy"));
    if (!kp)
        return false;
    world_policy_free(k->policy);
    k->policy = kp;
    return true;
}

static bool get_key_policy(api_call *c)
{
    kms__log_request(c);
    world_key *k = kms__key_for(c, "KeyId", true);
    if (!k)
        return false;
    g_autoptr(iam_ctx) x = kms__context(c, NULL, api_str(c->input, "KeyId"));
    if (!authorize_key(c, "kms:GetKeyPolicy", k, x) || !check_policy_name(c))
        return false;
    g_autofree char *text = k->policy ? cJSON_Print(k->policy->doc) : default_policy_text(k->account);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "Policy", text);
    cJSON_AddStringToObject(c->output, "PolicyName", "default");
    return true;
}

static bool describe_key(api_call *c)
{
    kms__log_request(c);
    world_key *k = kms__key_for(c, "KeyId", false);
    if (!k)
        return false;
    g_autoptr(iam_ctx) x = kms__context(c, NULL, api_str(c->input, "KeyId"));
    if (!authorize_key(c, "kms:DescribeKey", k, x))
        return false;
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "KeyMetadata", key_metadata(c, k));
    return true;
}

/* What KMS's records of its cryptographic calls add (the KMS Developer
 * Guide's CloudTrail examples for Encrypt, Decrypt, GenerateDataKey):
 * requestParameters.encryptionAlgorithm for Encrypt and Decrypt ("always",
 * for Decrypt, "even if the encryption algorithm wasn't specified"), the
 * key's ARN as Decrypt's keyId; and, when the call succeeds,
 * additionalEventData.keyMaterialId, the key material it used (64 hex
 * digits; one material a key here, its id drawn from the key's ARN). */
static void log_crypto(api_call *c, const world_key *k, bool decrypt)
{
    const char *alg = api_str(c->input, "EncryptionAlgorithm");
    if (decrypt) {
        /* encryptionAlgorithm first, then keyId (the key's ARN when the
         * request named none), then what the request gave. */
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "encryptionAlgorithm", alg ? alg : "SYMMETRIC_DEFAULT");
        if (k && !cJSON_GetObjectItemCaseSensitive(c->request_params, "keyId"))
            cJSON_AddStringToObject(o, "keyId", k->arn);
        cJSON *m;
        while ((m = c->request_params->child)) {
            cJSON_DetachItemViaPointer(c->request_params, m);
            if (strcmp(m->string, "encryptionAlgorithm") == 0)
                cJSON_Delete(m);
            else
                cJSON_AddItemToObject(o, m->string, m);
        }
        cJSON_Delete(c->request_params);
        c->request_params = o;
    } else if (!cJSON_GetObjectItemCaseSensitive(c->request_params, "encryptionAlgorithm")) {
        cJSON_AddStringToObject(c->request_params, "encryptionAlgorithm",
                                alg ? alg : "SYMMETRIC_DEFAULT");
    }
}

/* A successful cryptographic call's additionalEventData.keyMaterialId. */
static void log_key_material(api_call *c, const world_key *k)
{
    g_autofree char *seed = g_strdup_printf("kms/key-material/%s", k->arn);
    g_autofree char *id = g_compute_checksum_for_string(G_CHECKSUM_SHA256, seed, -1);
    cJSON_Delete(c->additional_data);
    c->additional_data = cJSON_CreateObject();
    cJSON_AddStringToObject(c->additional_data, "keyMaterialId", id);
}

static bool encrypt(api_call *c)
{
    kms__log_request(c);
    world_key *k = kms__key_for(c, "KeyId", false);
    log_crypto(c, k, false);
    if (!k)
        return false;
    const cJSON *ectx = cJSON_GetObjectItemCaseSensitive(c->input, "EncryptionContext");
    g_autoptr(iam_ctx) x = kms__context(c, ectx, api_str(c->input, "KeyId"));
    iam_ctx_set(x, "kms:EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    if (!kms__authorize(c, "kms:Encrypt", k, x, ectx) || !kms__key_usable(c, k) || kms__dry_run(c))
        return false;
    g_autofree char *blob = blob_wrap(k->arn, ectx, api_str(c->input, "Plaintext"));
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "CiphertextBlob", blob);
    cJSON_AddStringToObject(c->output, "KeyId", k->arn);
    cJSON_AddStringToObject(c->output, "EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    log_key_material(c, k);
    return true;
}

static bool generate_data_key(api_call *c)
{
    kms__log_request(c);
    world_key *k = kms__key_for(c, "KeyId", false);
    if (!k)
        return false;
    const cJSON *ectx = cJSON_GetObjectItemCaseSensitive(c->input, "EncryptionContext");
    g_autoptr(iam_ctx) x = kms__context(c, ectx, api_str(c->input, "KeyId"));
    if (!kms__authorize(c, "kms:GenerateDataKey", k, x, ectx) || !kms__key_usable(c, k))
        return false;
    const char *spec = api_str(c->input, "KeySpec");
    double nbytes = api_num(c->input, "NumberOfBytes", 0);
    if ((spec != NULL) == (nbytes > 0)) {
        api_error_set(&c->err, "ValidationException",
                      "Please specify either number of bytes or key spec.");
        return false;
    }
    if (kms__dry_run(c))
        return false;
    size_t n = spec ? (strcmp(spec, "AES_128") == 0 ? 16 : 32) : (size_t)nbytes;
    g_autofree char *plain = random_b64(c->rng, n);
    g_autofree char *blob = blob_wrap(k->arn, ectx, plain);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "CiphertextBlob", blob);
    cJSON_AddStringToObject(c->output, "Plaintext", plain);
    cJSON_AddStringToObject(c->output, "KeyId", k->arn);
    log_key_material(c, k);
    return true;
}

static bool decrypt(api_call *c)
{
    kms__log_request(c);
    log_crypto(c, NULL, true);
    world_key *named = NULL;
    if (api_str(c->input, "KeyId") && !(named = kms__key_for(c, "KeyId", false)))
        return false;
    g_autofree char *arn = NULL, *ctx = NULL, *plain = NULL;
    if (!blob_unwrap(api_str(c->input, "CiphertextBlob"), &arn, &ctx, &plain)) {
        api_error_set(&c->err, "InvalidCiphertextException",
                      "The ciphertext refers to a customer master key that does not exist, "
                      "does not exist in this region, or you are not allowed to access.");
        return false;
    }
    world_key *k = key_by_arn(c->w, arn);
    if (!k) {
        api_error_set(&c->err, "InvalidCiphertextException",
                      "The ciphertext refers to a customer master key that does not exist, "
                      "does not exist in this region, or you are not allowed to access.");
        return false;
    }
    if (named && named != k) {
        api_error_set(&c->err, "IncorrectKeyException",
                      "The key ID in the request does not identify a CMK that can perform this operation.");
        return false;
    }
    if (!named)
        api_resource(c, k->arn, k->account, "AWS::KMS::Key");
    log_crypto(c, k, true);
    const cJSON *ectx = cJSON_GetObjectItemCaseSensitive(c->input, "EncryptionContext");
    g_autoptr(iam_ctx) x = kms__context(c, ectx, api_str(c->input, "KeyId"));
    iam_ctx_set(x, "kms:EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    if (!kms__authorize(c, "kms:Decrypt", k, x, ectx) || !kms__key_usable(c, k))
        return false;
    /* The encryption context must match exactly the one used to encrypt. */
    g_autofree char *given = context_text(ectx);
    if (strcmp(given, ctx) != 0) {
        api_error_set(&c->err, "InvalidCiphertextException",
                      "The encryption context does not match the one the ciphertext was made with.");
        return false;
    }
    if (kms__dry_run(c))
        return false;
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "KeyId", k->arn);
    cJSON_AddStringToObject(c->output, "Plaintext", plain);
    cJSON_AddStringToObject(c->output, "EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    log_key_material(c, k);
    return true;
}

/* KMS pages with Limit and Marker, handing out NextMarker and Truncated;
 * ListKeys gives 100 by default, ListAliases 50 (the API reference). */
static const api_paging KMS_KEYS = {
    .token = "Marker", .next = "NextMarker", .max = "Limit", .dflt = 100,
    .bad_code = "InvalidMarkerException", .bad_fmt = "Invalid marker: %s" };
static const api_paging KMS_ALIASES = {
    .token = "Marker", .next = "NextMarker", .max = "Limit", .dflt = 50,
    .bad_code = "InvalidMarkerException", .bad_fmt = "Invalid marker: %s" };

static void page_end(api_call *c, guint first, guint count, guint n)
{
    api_page_token(&KMS_KEYS, c->output, first, count, n);
    cJSON_AddBoolToObject(c->output, "Truncated", first + count < n);
}

static bool list_keys(api_call *c)
{
    kms__log_request(c);
    if (!api_authorize_simple(c, "kms:ListKeys", "*"))
        return false;
    const world_account *a = world_account_get(c->w, c->caller->account);
    guint n = a ? a->keys->len : 0, first, count;
    if (!api_page(c, &KMS_KEYS, n, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *keys = cJSON_AddArrayToObject(c->output, "Keys");
    for (guint i = first; i < first + count; i++) {
        const world_key *k = a->keys->pdata[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "KeyId", k->id);
        cJSON_AddStringToObject(e, "KeyArn", k->arn);
        cJSON_AddItemToArray(keys, e);
    }
    page_end(c, first, count, n);
    return true;
}

typedef struct alias_row { char *name; const world_key *key; int64_t created, updated; } alias_row;

static gint cmp_alias_row(gconstpointer a, gconstpointer b)
{
    return strcmp((*(alias_row *const *)a)->name, (*(alias_row *const *)b)->name);
}

static void alias_row_free(gpointer p)
{
    alias_row *r = p;
    g_free(r->name);
    g_free(r);
}

static bool list_aliases(api_call *c)
{
    kms__log_request(c);
    const world_key *only = NULL;
    if (api_str(c->input, "KeyId") && !(only = kms__key_for(c, "KeyId", true)))
        return false;
    if (!api_authorize_simple(c, "kms:ListAliases", "*"))
        return false;
    const world_account *a = world_account_get(c->w, c->caller->account);
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(alias_row_free);
    for (guint i = 0; a && i < a->keys->len; i++) {
        const world_key *k = a->keys->pdata[i];
        if (!*k->name)
            continue;
        alias_row *r = g_new0(alias_row, 1);
        r->name = g_strdup_printf("alias/%s", k->name);
        r->key = k;
        r->created = r->updated = k->created_us;
        g_ptr_array_add(rows, r);
    }
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, state_of(c->w)->aliases);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const kms_alias *al = v;
        const world_key *k = key_by_arn(c->w, al->key_arn);
        if (!a || strcmp(al->account, a->id) != 0 || !k)
            continue;
        alias_row *r = g_new0(alias_row, 1);
        r->name = g_strdup(al->name);
        r->key = k;
        r->created = al->created_us;
        r->updated = al->updated_us;
        g_ptr_array_add(rows, r);
    }
    g_ptr_array_sort(rows, cmp_alias_row);    /* no hash order reaches output */
    if (only)
        for (guint i = rows->len; i-- > 0;)
            if (((alias_row *)rows->pdata[i])->key != only)
                g_ptr_array_remove_index(rows, i);
    guint first, count;
    if (!api_page(c, &KMS_ALIASES, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "Aliases");
    for (guint i = first; i < first + count; i++) {
        const alias_row *r = rows->pdata[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "AliasName", r->name);
        g_autofree char *arn = g_strdup_printf("arn:aws:kms:%s:%s:%s", world_region(c->w),
                                               r->key->account, r->name);
        cJSON_AddStringToObject(e, "AliasArn", arn);
        cJSON_AddStringToObject(e, "TargetKeyId", r->key->id);
        g_autofree char *cr = iso(c, r->created), *up = iso(c, r->updated);
        cJSON_AddStringToObject(e, "CreationDate", cr);
        cJSON_AddStringToObject(e, "LastUpdatedDate", up);
        cJSON_AddItemToArray(list, e);
    }
    page_end(c, first, count, rows->len);
    return true;
}

/* alias/aws/ names AWS managed keys' aliases: no caller may make or change
 * one, whatever its policies say. */
static const char *reserved(const char *action, const char *resource, const char **code)
{
    static const char *const alias_ops[] = { "kms:CreateAlias", "kms:UpdateAlias",
                                             "kms:DeleteAlias", NULL };
    const char *name = resource ? strstr(resource, "alias/") : NULL;
    if (!name || !g_str_has_prefix(name, "alias/aws/") ||
        !g_strv_contains(alias_ops, action))
        return NULL;
    *code = "NotAuthorizedException";
    return "Alias names beginning with alias/aws/ are reserved for AWS managed keys.";
}

static bool create_alias(api_call *c)
{
    kms__log_request(c);
    const char *name = api_str(c->input, "AliasName");
    if (!g_str_has_prefix(name, "alias/") || !name[strlen("alias/")]) {
        api_error_set(&c->err, "InvalidAliasNameException",
                      "Alias must start with the prefix \"alias/\". Please see "
                      "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
        return false;
    }
    const char *code, *why = reserved("kms:CreateAlias", name, &code);
    if (why) {
        api_error_set(&c->err, code, "%s", why);
        return false;
    }
    /* CreateAlias does not work across accounts: the key must be the caller's. */
    world_key *k = kms__key_for(c, "TargetKeyId", true);
    if (!k)
        return false;
    g_autofree char *alias_arn = g_strdup_printf("arn:aws:kms:%s:%s:%s", world_region(c->w),
                                                 c->caller->account, name);
    /* Two checks, as KMS makes them: the alias (identity policy only) and
     * the key (its key policy). */
    if (!api_authorize_simple(c, "kms:CreateAlias", alias_arn))
        return false;
    g_autoptr(iam_ctx) x = kms__context(c, NULL, NULL);
    if (!authorize_key(c, "kms:CreateAlias", k, x))
        return false;
    if (alias_get(c->w, c->caller->account, name) ||
        labelled_key(c->w, c->caller->account, name + strlen("alias/"))) {
        api_error_set(&c->err, "AlreadyExistsException", "An alias with the name %s already exists",
                      alias_arn);
        return false;
    }
    kms_alias *al = g_new0(kms_alias, 1);
    al->account = g_strdup(c->caller->account);
    al->name = g_strdup(name);
    al->key_arn = g_strdup(k->arn);
    al->created_us = al->updated_us = c->now;
    g_hash_table_insert(state_of(c->w)->aliases,
                        g_strdup_printf("%s/%s", al->account, al->name), al);
    return true;
}


/* ---- the scenario's keys ------------------------------------------------------------- */

static const char *const key_keys[] = { "policy", "description", NULL };

static void load_account(world *w, world_account *a, const cJSON *ac, const char *path, jload *l)
{
    const cJSON *keys = jload_obj(l, ac, "kms_keys", path, false), *k;
    cJSON_ArrayForEach(k, keys) {
        g_autofree char *p = g_strdup_printf("%s.kms_keys.%s", path, k->string);
        if (!cJSON_IsObject(k)) {
            jload_err(l, k, false, p, "a key is an object (policy, description)");
            continue;
        }
        jload_check_keys(l, k, p, key_keys);
        const cJSON *doc = jload_member(k, "policy");
        g_autoptr(cJSON) dflt = NULL;
        if (!doc) {
            /* The default key policy: the account's IAM decides. */
            g_autofree char *t = g_strdup_printf(
                "{\"Version\":\"2012-10-17\",\"Id\":\"key-default-1\",\"Statement\":[{\"Sid\":"
                "\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                "\"arn:aws:iam::%s:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}", a->id);
            doc = dflt = cJSON_Parse(t);
        }
        g_autofree char *pp = jload_sub(p, "policy");
        g_autofree char *kname = g_strdup_printf("key %s key policy", k->string);
        world_policy *kp = estate_policy(w, l, doc, pp, kname, NULL, IAM_DOC_RESOURCE);
        if (kp)
            world_add_key(w, a, k->string, kp);
    }
}

static const api_op ops[] = {
    { "kms:CreateKey", create_key, false, API_TO_CALLER_AND_OWNER },
    { "kms:PutKeyPolicy", put_key_policy, false, API_TO_CALLER_AND_OWNER },
    { "kms:GetKeyPolicy", get_key_policy, true, API_TO_CALLER_AND_OWNER },
    { "kms:DescribeKey", describe_key, true, API_TO_CALLER_AND_OWNER },
    /* CloudTrail marks the cryptographic calls readOnly: no responseElements. */
    { "kms:Encrypt", encrypt, true, API_TO_CALLER_AND_OWNER },
    { "kms:Decrypt", decrypt, true, API_TO_CALLER_AND_OWNER },
    { "kms:GenerateDataKey", generate_data_key, true, API_TO_CALLER_AND_OWNER },
    { "kms:ListKeys", list_keys, true, API_TO_CALLER },
    { "kms:CreateAlias", create_alias, false, API_TO_CALLER_AND_OWNER },
    { "kms:ListAliases", list_aliases, true, API_TO_CALLER },
    { "kms:CreateGrant", kms__create_grant, false, API_TO_CALLER_AND_OWNER },
    { "kms:ListGrants", kms__list_grants, true, API_TO_CALLER_AND_OWNER },
    { "kms:RetireGrant", kms__retire_grant, false, API_TO_CALLER_AND_OWNER },
    { "kms:RevokeGrant", kms__revoke_grant, false, API_TO_CALLER_AND_OWNER },
    { NULL, NULL, false, API_TO_CALLER },
};

static const char *const account_keys[] = { "kms_keys", NULL };

/* A key's key policy is the root of access to it. */
static bool resource_policies(world *w, const principal *caller, const char *action,
                              const char *resource, GPtrArray *out, api_resource_mode *mode,
                              char **owner)
{
    (void)caller;
    (void)action;
    (void)owner;
    world_key *key = g_str_has_prefix(resource, "arn:aws:kms:") ? world_key_get(w, resource, NULL)
                                                                : NULL;
    if (!key)
        return false;
    *mode = API_RES_KEY_POLICY;
    if (key->policy)
        g_ptr_array_add(out, key->policy->compiled);
    return true;
}

/* `crossim explain`: a grant on the key the resource names, as the call
 * path asks kms__grant_match when the policies leave a request implicitly
 * denied. */
static api_grant_match grant_for(api_call *c, const char *action, const char *resource,
                                 const cJSON *ectx, const char **grant_id)
{
    world_key *key = g_str_has_prefix(resource, "arn:aws:kms:") ? world_key_get(c->w, resource, NULL)
                                                                : NULL;
    return key ? kms__grant_match(c, key, ectx, action, grant_id) : API_GRANT_NONE;
}

const api_service api_service_kms = {
    .name = "kms", .prefix = "kms", .event_source = "kms.amazonaws.com",
    .endpoint = "kms.%s.amazonaws.com", .ops = ops, .rcp = true, .refuses = reserved,
    .account_keys = account_keys, .load_account = load_account,
    .resource_policies = resource_policies, .grant_for = grant_for,
};

/* ---- use by other services ----------------------------------------------------------- */

bool kms_use(world *w, const principal *caller, rng *r, const char *service,
             const char *action, const char *key_ref, const cJSON *encryption_context,
             api_error *err)
{
    g_return_val_if_fail(w && caller && action && key_ref, false);
    g_autoptr(cJSON) in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "KeyId", key_ref);
    if (encryption_context)
        cJSON_AddItemToObject(in, "EncryptionContext", cJSON_Duplicate(encryption_context, 1));
    if (strcmp(action, "kms:Decrypt") == 0) {
        /* The ciphertext SageMaker holds: made by this key with this context. */
        const world_key *k = kms_key_find(w, key_ref, caller->account);
        if (k) {
            g_autofree char *blob = blob_wrap(k->arn, encryption_context, "");
            cJSON_AddStringToObject(in, "CiphertextBlob", blob);
        }
    } else if (strcmp(action, "kms:GenerateDataKey") == 0) {
        cJSON_AddStringToObject(in, "KeySpec", "AES_256");
    } else if (strcmp(action, "kms:Encrypt") == 0) {
        cJSON_AddStringToObject(in, "Plaintext", "Y3Jvc3NpbQ==");
    }
    g_autoptr(cJSON) out = NULL;
    return api_invoke_via(w, caller, service, action, in, r, &out, err);
}
