/* model/sm_cards.c: SageMaker model cards, their versions and export jobs,
 * across accounts (SPEC MC1-MC6).
 *
 * Owns every model card and export job of the world (the service state slot
 * "sagemaker-cards"): cards by ARN, each with its versions (1, 2, ... in
 * order; a version's content never changes, its status may), and export jobs
 * by ARN.  The account that creates a card owns it (MC1) and its quota counts
 * it (MC6); an export job is owned by the card's account whoever creates it,
 * and keeps a copy of its creator to write the PDF with the creator's rights
 * (MC3).  Cards and jobs are registered with world_resource_add so RAM can
 * share cards ("sagemaker:ModelCard") and owners can be looked up by ARN.
 *
 * Authorisation: every call on a card goes through api_authorize with the
 * policies RAM holds for the card (ram_resource_policies) as resource
 * policies.  Within the owner's account the identity policy decides; from
 * another account both the RAM permission and the caller's identity policy
 * must allow (MC2).  Another account's card is reached by ARN only; a name is
 * always read in the caller's own account.
 *
 * KMS (MC4): a card with SecurityConfig.KmsKeyId is encrypted with that key.
 * SageMaker uses the key with the caller's rights (kms_use: forward access,
 * kms:ViaService sagemaker.<region>.amazonaws.com) and the encryption context
 * {"aws:sagemaker:model-card-arn": card ARN}: GenerateDataKey to create or
 * update, Decrypt to describe (unless IncludedData is MetadataOnly) or
 * export.  Each of these KMS calls is a record of its own in the caller's
 * and the key owner's logs.
 *
 * Iteration order that reaches output is always sorted, never hash order. */
#include <string.h>

#include "model/api.h"
#include "model/world_int.h"
#include "model/api_aux.h"
#include "model/service.h"
#include "model/kms.h"
#include "model/ram.h"
#include "model/s3.h"
#include "model/sm_common.h"

#define CARDS_SLOT "sagemaker-cards"

#define CARD_QUOTA "sagemaker:model-cards"
#define CARD_QUOTA_DEFAULT 5000
#define EXPORT_MEDIAN_S 60.0
#define EXPORT_P99_S 300.0
#define CTX_CARD_ARN "aws:sagemaker:model-card-arn"

typedef struct card_version {
    int      n;                      /* 1, 2, ... */
    char    *content;
    char    *status;
    int64_t  created_us, modified_us;
    cJSON   *created_by, *modified_by;   /* UserContext */
} card_version;

typedef struct card {
    char      *name, *arn, *account;
    char      *kms_key_id;           /* SecurityConfig.KmsKeyId as given; NULL: AWS owned key */
    char      *kms_key_arn;          /* the key it resolved to at creation */
    GPtrArray *versions;             /* card_version*, versions[i]->n == i + 1 */
    cJSON     *tags;                 /* [{Key, Value}] or NULL */
    int64_t    created_us;
} card;

typedef struct export_job {
    char      *name, *arn, *account;     /* account: the card's owner */
    char      *card_arn, *card_name;
    int        version;
    char      *output_path;              /* OutputConfig.S3OutputPath */
    char      *status;                   /* InProgress | Completed | Failed */
    char      *failure, *artifact;       /* FailureReason, S3ExportArtifacts */
    int64_t    created_us, modified_us;
    principal *creator;                  /* owned copy */
    uint64_t   timer;                    /* the pending completion, 0 when done */
} export_job;

typedef struct cards_state {
    GHashTable *cards;     /* arn -> card* (owned) */
    GHashTable *jobs;      /* arn -> export_job* (owned) */
    GHashTable *counts;    /* account -> gint* cards owned (MC6) */
} cards_state;

/* ---- state ------------------------------------------------------------------------------ */

static void version_free(gpointer p)
{
    card_version *v = p;
    g_free(v->content);
    g_free(v->status);
    cJSON_Delete(v->created_by);
    cJSON_Delete(v->modified_by);
    g_free(v);
}

static void card_free(gpointer p)
{
    card *c = p;
    g_free(c->name); g_free(c->arn); g_free(c->account);
    g_free(c->kms_key_id); g_free(c->kms_key_arn);
    g_ptr_array_unref(c->versions);
    cJSON_Delete(c->tags);
    g_free(c);
}

static void job_free(gpointer p)
{
    export_job *j = p;
    g_free(j->name); g_free(j->arn); g_free(j->account);
    g_free(j->card_arn); g_free(j->card_name); g_free(j->output_path);
    g_free(j->status); g_free(j->failure); g_free(j->artifact);
    principal_free(j->creator);
    g_free(j);
}

static void state_free(gpointer p)
{
    cards_state *s = p;
    g_hash_table_unref(s->jobs);
    g_hash_table_unref(s->cards);
    g_hash_table_unref(s->counts);
    g_free(s);
}

static cards_state *state_of(world *w)
{
    cards_state *s = world_service_state(w, CARDS_SLOT);
    if (!s) {
        s = g_new0(cards_state, 1);
        s->cards = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, card_free);
        s->jobs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, job_free);
        s->counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        world_set_service_state(w, CARDS_SLOT, s, state_free);
    }
    return s;
}

static gint *count_of(cards_state *s, const char *account)
{
    gint *n = g_hash_table_lookup(s->counts, account);
    if (!n) {
        n = g_new0(gint, 1);
        g_hash_table_insert(s->counts, g_strdup(account), n);
    }
    return n;
}

static card_version *latest(const card *cd)
{
    return cd->versions->pdata[cd->versions->len - 1];
}

/* ---- small helpers -------------------------------------------------------------------- */

static char *card_arn_for(world *w, const char *account, const char *name)
{
    return g_strdup_printf("arn:aws:sagemaker:%s:%s:model-card/%s", world_region(w), account, name);
}

/* The card a ModelCardName member names (a name: the caller's own account;
 * an ARN: any account).  Sets *arn and *owner (owned) whether or not the card
 * exists, for authorisation before lookup; false for an ARN that is not a
 * model card's (ValidationException set). */
static bool card_ref(api_call *c, const char *ref, char **arn, char **owner)
{
    if (g_str_has_prefix(ref, "arn:")) {
        const char *tail = strstr(ref, ":model-card/");
        char *acct = api_arn_account(ref);
        if (!tail || !acct || strchr(tail + strlen(":model-card/"), '/')) {
            g_free(acct);
            api_error_set(&c->err, "ValidationException", "Invalid model card ARN: %s", ref);
            return false;
        }
        *arn = g_strdup(ref);
        *owner = acct;
        return true;
    }
    *owner = g_strdup(c->caller->account);
    *arn = card_arn_for(c->w, c->caller->account, ref);
    return true;
}

static const char *name_of_arn(const char *arn)
{
    const char *t = strstr(arn, ":model-card/");
    return t ? t + strlen(":model-card/") : arn;
}

static card *card_get(world *w, const char *arn)
{
    return g_hash_table_lookup(state_of(w)->cards, arn);
}

static bool card_missing(api_call *c, const char *arn)
{
    api_error_set(&c->err, "ResourceNotFound", "Model card %s does not exist.", name_of_arn(arn));
    return false;
}

/* Authorises action on resource (the card or one of its export jobs) with
 * the policies RAM holds for the card. */
static bool authorize_card(api_call *c, const char *action, const char *resource,
                           const char *card_arn, const char *owner, const card *cd)
{
    g_autoptr(iam_ctx) x = iam_ctx_new();
    api_ctx_resource_tags(x, cd ? cd->tags : NULL, "Key", "Value");
    GPtrArray *pol = ram_resource_policies(c->w, card_arn, c->caller);
    bool ok = api_authorize(c, action, resource, owner, pol, API_RES_OPTIONAL, x);
    if (pol)
        g_ptr_array_unref(pol);
    return ok;
}

/* Modelling choice (AWS-FACTS §7: unverified): a call on a card of another
 * account is recorded in the owner's account too, as KMS and STS calls are;
 * the ops are API_TO_CALLER_AND_OWNER and name the card as their resource. */
static void card_resource(api_call *c, const char *arn, const char *owner)
{
    api_resource(c, arn, owner, "AWS::SageMaker::ModelCard");
}

/* Uses the card's key through SageMaker with the caller's rights (MC4).
 * key_ref: the key as the caller named it at creation, else the resolved ARN. */
static bool card_kms(api_call *c, const char *card_arn, const char *key_ref, const char *action)
{
    if (!key_ref)
        return true;
    g_autoptr(cJSON) ectx = cJSON_CreateObject();
    cJSON_AddStringToObject(ectx, CTX_CARD_ARN, card_arn);
    api_error e = { 0 };
    if (kms_use(c->w, c->caller, c->rng, SM_SERVICE, action, key_ref, ectx, &e))
        return true;
    /* Modelling choice: SageMaker passes a KMS denial on as its own
     * AccessDeniedException, naming the KMS action and key; other KMS
     * failures (unknown or disabled key) are a ValidationException. */
    bool denied = g_strcmp0(e.code, "AccessDeniedException") == 0;
    api_error_set(&c->err, denied ? "AccessDeniedException" : "ValidationException",
                  "SageMaker could not use KMS key %s (%s) for model card %s with the caller's "
                  "permissions: %s: %s", key_ref, action, card_arn, e.code ? e.code : "Error",
                  e.message ? e.message : "");
    api_error_clear(&e);
    return false;
}

/* The request as logged: SageMaker hides model card content in CloudTrail. */
static void log_request(api_call *c)
{
    if (!cJSON_GetObjectItemCaseSensitive(c->input, "Content"))
        return;
    c->request_params = cJSON_Duplicate(c->input, 1);
    cJSON_ReplaceItemInObjectCaseSensitive(c->request_params, "Content",
                                           cJSON_CreateString("HIDDEN_DUE_TO_SECURITY_REASONS"));
}

/* ---- model cards ------------------------------------------------------------------------ */

static bool create_model_card(api_call *c)
{
    log_request(c);
    const char *name = api_str(c->input, "ModelCardName");
    const char *owner = c->caller->account;
    g_autofree char *arn = card_arn_for(c->w, owner, name);
    card_resource(c, arn, owner);
    g_autoptr(iam_ctx) x = iam_ctx_new();
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(c->input, "Tags");
    api_ctx_request_tags(x, tags, "Key", "Value");
    if (!api_authorize(c, "sagemaker:CreateModelCard", arn, owner, NULL, API_RES_OPTIONAL, x))
        return false;
    cards_state *s = state_of(c->w);
    if (card_get(c->w, arn)) {
        api_error_set(&c->err, "ConflictException", "Model card %s already exists.", name);
        return false;
    }
    /* MC6: cards count against the owner's account quota. */
    gint *n = count_of(s, owner);
    int64_t quota = world_quota(c->w, owner, CARD_QUOTA, CARD_QUOTA_DEFAULT);
    if (*n >= quota) {
        api_error_set(&c->err, "ResourceLimitExceeded",
                      "The account-level service limit 'Total number of model cards' is %" G_GINT64_FORMAT
                      " Model Cards, with current utilization of %d Model Cards and a request delta "
                      "of 1 Model Cards. Please use AWS Service Quotas to request an increase for "
                      "this quota.", quota, *n);
        return false;
    }
    const char *key_ref = api_str(cJSON_GetObjectItemCaseSensitive(c->input, "SecurityConfig"),
                                  "KmsKeyId");
    if (!card_kms(c, arn, key_ref, "kms:GenerateDataKey"))
        return false;
    const world_key *k = key_ref ? kms_key_find(c->w, key_ref, owner) : NULL;
    card *cd = g_new0(card, 1);
    cd->name = g_strdup(name);
    cd->arn = g_strdup(arn);
    cd->account = g_strdup(owner);
    cd->kms_key_id = g_strdup(key_ref);
    cd->kms_key_arn = g_strdup(k ? k->arn : key_ref);
    cd->versions = g_ptr_array_new_with_free_func(version_free);
    cd->tags = tags ? cJSON_Duplicate(tags, 1) : NULL;
    cd->created_us = c->now;
    card_version *v = g_new0(card_version, 1);
    v->n = 1;
    v->content = g_strdup(api_str(c->input, "Content"));
    v->status = g_strdup(api_str(c->input, "ModelCardStatus"));
    v->created_us = v->modified_us = c->now;
    v->created_by = sm_user_context(c->caller);
    v->modified_by = sm_user_context(c->caller);
    g_ptr_array_add(cd->versions, v);
    g_hash_table_insert(s->cards, cd->arn, cd);
    (*n)++;
    world_resource_add(c->w, cd->arn, owner, "sagemaker:ModelCard");
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "ModelCardArn", cd->arn);
    return true;
}

static bool describe_model_card(api_call *c)
{
    g_autofree char *arn = NULL, *owner = NULL;
    if (!card_ref(c, api_str(c->input, "ModelCardName"), &arn, &owner))
        return false;
    card_resource(c, arn, owner);
    card *cd = card_get(c->w, arn);
    if (!authorize_card(c, "sagemaker:DescribeModelCard", arn, arn, owner, cd))
        return false;
    if (!cd)
        return card_missing(c, arn);
    int want = (int)api_num(c->input, "ModelCardVersion", 0);
    if (want < 0 || want > (int)cd->versions->len) {
        api_error_set(&c->err, "ResourceNotFound", "Model card %s version %d does not exist.",
                      cd->name, want);
        return false;
    }
    const card_version *v = want ? cd->versions->pdata[want - 1] : latest(cd);
    /* IncludedData (newer API than the bundled service model): MetadataOnly
     * needs no kms:Decrypt and returns sanitized content. */
    bool metadata_only = g_strcmp0(api_str(c->input, "IncludedData"), "MetadataOnly") == 0;
    if (!metadata_only && !card_kms(c, cd->arn, cd->kms_key_arn, "kms:Decrypt"))
        return false;
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "ModelCardArn", cd->arn);
    cJSON_AddStringToObject(c->output, "ModelCardName", cd->name);
    cJSON_AddNumberToObject(c->output, "ModelCardVersion", v->n);
    cJSON_AddStringToObject(c->output, "Content", metadata_only ? "{}" : v->content);
    cJSON_AddStringToObject(c->output, "ModelCardStatus", v->status);
    if (cd->kms_key_id) {
        cJSON *sc = cJSON_AddObjectToObject(c->output, "SecurityConfig");
        cJSON_AddStringToObject(sc, "KmsKeyId", cd->kms_key_id);
    }
    api_add_time(c->w, c->output, "CreationTime", cd->created_us);
    cJSON_AddItemToObject(c->output, "CreatedBy", cJSON_Duplicate(v->created_by, 1));
    api_add_time(c->w, c->output, "LastModifiedTime", v->modified_us);
    cJSON_AddItemToObject(c->output, "LastModifiedBy", cJSON_Duplicate(v->modified_by, 1));
    return true;
}

static bool update_model_card(api_call *c)
{
    log_request(c);
    g_autofree char *arn = NULL, *owner = NULL;
    if (!card_ref(c, api_str(c->input, "ModelCardName"), &arn, &owner))
        return false;
    card_resource(c, arn, owner);
    card *cd = card_get(c->w, arn);
    if (!authorize_card(c, "sagemaker:UpdateModelCard", arn, arn, owner, cd))
        return false;
    if (!cd)
        return card_missing(c, arn);
    const char *content = api_str(c->input, "Content");
    const char *status = api_str(c->input, "ModelCardStatus");
    if (content && status) {
        api_error_set(&c->err, "ValidationException",
                      "Content and ModelCardStatus cannot be updated in the same request.");
        return false;
    }
    /* Re-encrypting what changed needs a data key from the card's key (MC4). */
    if ((content || status) && !card_kms(c, cd->arn, cd->kms_key_arn, "kms:GenerateDataKey"))
        return false;
    card_version *cur = latest(cd);
    if (content && strcmp(content, cur->content) != 0) {
        /* MC5: a content change makes a new version, with the status it had. */
        card_version *v = g_new0(card_version, 1);
        v->n = (int)cd->versions->len + 1;
        v->content = g_strdup(content);
        v->status = g_strdup(cur->status);
        v->created_us = v->modified_us = c->now;
        v->created_by = sm_user_context(c->caller);
        v->modified_by = sm_user_context(c->caller);
        g_ptr_array_add(cd->versions, v);
    } else if (status) {
        /* A status change updates the latest version in place. */
        g_free(cur->status);
        cur->status = g_strdup(status);
        cur->modified_us = c->now;
        cJSON_Delete(cur->modified_by);
        cur->modified_by = sm_user_context(c->caller);
    }
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "ModelCardArn", cd->arn);
    return true;
}

static gint cmp_card_by_name(gconstpointer a, gconstpointer b)
{
    return strcmp((*(card *const *)a)->name, (*(card *const *)b)->name);
}

static gint cmp_card_by_time(gconstpointer a, gconstpointer b)
{
    const card *x = *(card *const *)a, *y = *(card *const *)b;
    if (x->created_us != y->created_us)
        return x->created_us < y->created_us ? -1 : 1;
    return strcmp(x->name, y->name);
}

static bool list_model_cards(api_call *c)
{
    if (!api_authorize_simple(c, "sagemaker:ListModelCards", "*"))
        return false;
    const char *contains = api_str(c->input, "NameContains");
    const char *status = api_str(c->input, "ModelCardStatus");
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, state_of(c->w)->cards);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        card *cd = v;
        if (strcmp(cd->account, c->caller->account) != 0)
            continue;
        if (contains && !strstr(cd->name, contains))
            continue;
        if (status && strcmp(latest(cd)->status, status) != 0)
            continue;
        if (!sm_time_filter(c, cd->created_us))
            continue;
        g_ptr_array_add(rows, cd);
    }
    bool by_name = g_strcmp0(api_str(c->input, "SortBy"), "Name") == 0;
    g_ptr_array_sort(rows, by_name ? cmp_card_by_name : cmp_card_by_time);
    guint first, count;
    if (!sm_order_page(c, rows, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "ModelCardSummaries");
    for (guint i = first; i < first + count; i++) {
        const card *cd = rows->pdata[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "ModelCardName", cd->name);
        cJSON_AddStringToObject(e, "ModelCardArn", cd->arn);
        cJSON_AddStringToObject(e, "ModelCardStatus", latest(cd)->status);
        api_add_time(c->w, e, "CreationTime", cd->created_us);
        api_add_time(c->w, e, "LastModifiedTime", latest(cd)->modified_us);
        cJSON_AddItemToArray(list, e);
    }
    sm_page_token(c, first, count, rows->len);
    return true;
}

static bool list_model_card_versions(api_call *c)
{
    g_autofree char *arn = NULL, *owner = NULL;
    if (!card_ref(c, api_str(c->input, "ModelCardName"), &arn, &owner))
        return false;
    card_resource(c, arn, owner);
    card *cd = card_get(c->w, arn);
    if (!authorize_card(c, "sagemaker:ListModelCardVersions", arn, arn, owner, cd))
        return false;
    if (!cd)
        return card_missing(c, arn);
    const char *status = api_str(c->input, "ModelCardStatus");
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    for (guint i = 0; i < cd->versions->len; i++) {
        card_version *v = cd->versions->pdata[i];
        if ((!status || strcmp(v->status, status) == 0) && sm_time_filter(c, v->created_us))
            g_ptr_array_add(rows, v);
    }
    guint first, count;
    if (!sm_order_page(c, rows, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "ModelCardVersionSummaryList");
    for (guint i = first; i < first + count; i++) {
        const card_version *v = rows->pdata[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "ModelCardName", cd->name);
        cJSON_AddStringToObject(e, "ModelCardArn", cd->arn);
        cJSON_AddStringToObject(e, "ModelCardStatus", v->status);
        cJSON_AddNumberToObject(e, "ModelCardVersion", v->n);
        api_add_time(c->w, e, "CreationTime", v->created_us);
        api_add_time(c->w, e, "LastModifiedTime", v->modified_us);
        cJSON_AddItemToArray(list, e);
    }
    sm_page_token(c, first, count, rows->len);
    return true;
}

static bool delete_model_card(api_call *c)
{
    const char *name = api_str(c->input, "ModelCardName");
    const char *owner = c->caller->account;
    g_autofree char *arn = card_arn_for(c->w, owner, name);
    card_resource(c, arn, owner);
    card *cd = card_get(c->w, arn);
    if (!authorize_card(c, "sagemaker:DeleteModelCard", arn, arn, owner, cd))
        return false;
    if (!cd)
        return card_missing(c, arn);
    cards_state *s = state_of(c->w);
    /* The card's export jobs go with it; a pending completion is cancelled. */
    g_autoptr(GPtrArray) gone = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, s->jobs);
    while (g_hash_table_iter_next(&it, NULL, &v))
        if (strcmp(((export_job *)v)->card_arn, arn) == 0)
            g_ptr_array_add(gone, v);
    for (guint i = 0; i < gone->len; i++) {
        export_job *j = gone->pdata[i];
        if (j->timer)
            world_cancel(c->w, j->timer);
        world_resource_remove(c->w, j->arn);
        g_hash_table_remove(s->jobs, j->arn);
    }
    world_resource_remove(c->w, arn);
    g_hash_table_remove(s->cards, arn);
    (*count_of(s, owner))--;
    return true;
}

/* ---- export jobs -------------------------------------------------------------------------- */

static cJSON *job_json(world *w, const export_job *j)
{
    char b[21];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ModelCardExportJobName", j->name);
    cJSON_AddStringToObject(o, "ModelCardExportJobArn", j->arn);
    cJSON_AddStringToObject(o, "Status", j->status);
    cJSON_AddStringToObject(o, "ModelCardName", j->card_name);
    cJSON_AddNumberToObject(o, "ModelCardVersion", j->version);
    cJSON *oc = cJSON_AddObjectToObject(o, "OutputConfig");
    cJSON_AddStringToObject(oc, "S3OutputPath", j->output_path);
    world_iso_time(w, j->created_us, b);
    cJSON_AddStringToObject(o, "CreatedAt", b);
    world_iso_time(w, j->modified_us, b);
    cJSON_AddStringToObject(o, "LastModifiedAt", b);
    if (j->failure)
        cJSON_AddStringToObject(o, "FailureReason", j->failure);
    if (j->artifact) {
        cJSON *ea = cJSON_AddObjectToObject(o, "ExportArtifacts");
        cJSON_AddStringToObject(ea, "S3ExportArtifacts", j->artifact);
    }
    return o;
}

/* Why the export failed, in FailureReason's 1024 characters. */
static char *failure_reason(const char *action, const char *target, const principal *who,
                            const api_error *e)
{
    bool denied = e->code && g_str_has_prefix(e->code, "AccessDenied");
    char *s = denied
        ? g_strdup_printf("%s on %s was denied for %s (%s: %s)", action, target, who->arn,
                          e->code, e->message ? e->message : "")
        : g_strdup_printf("%s on %s failed for %s (%s: %s)", action, target, who->arn,
                          e->code ? e->code : "Error", e->message ? e->message : "");
    if (strlen(s) > 1024)
        s[1024] = '\0';
    return s;
}

static char *export_uri(const export_job *j)
{
    g_autofree char *base = g_strdup(j->output_path);
    gsize n = strlen(base);
    while (n > 0 && base[n - 1] == '/')
        base[--n] = '\0';
    return g_strdup_printf("%s/%s/%s.pdf", base, j->card_name, j->name);
}

/* The end of an export job: SageMaker reads the card (kms:Decrypt with the
 * creator's rights, if encrypted) and writes the PDF (s3:PutObject with the
 * creator's rights); either failing fails the job. */
static void export_finish(world *w, void *data)
{
    const char *job_arn = data;
    cards_state *s = state_of(w);
    export_job *j = g_hash_table_lookup(s->jobs, job_arn);
    if (!j)
        return;
    j->timer = 0;
    g_autofree char *stream = g_strdup_printf("sagemaker/export/%s", j->arn);
    rng *r = world_rng(w, stream);
    const card *cd = card_get(w, j->card_arn);
    api_error e = { 0 };
    char *failure = NULL;
    if (cd && cd->kms_key_arn) {
        g_autoptr(cJSON) ectx = cJSON_CreateObject();
        cJSON_AddStringToObject(ectx, CTX_CARD_ARN, cd->arn);
        if (!kms_use(w, j->creator, r, SM_SERVICE, "kms:Decrypt", cd->kms_key_arn, ectx, &e)) {
            g_autofree char *target = g_strdup_printf("KMS key %s", cd->kms_key_arn);
            failure = failure_reason("kms:Decrypt", target, j->creator, &e);
        }
        api_error_clear(&e);
    }
    g_autofree char *uri = export_uri(j);
    if (!failure) {
        if (!s3_put_as(w, j->creator, r, SM_SERVICE, uri, &e))
            failure = failure_reason("s3:PutObject", uri, j->creator, &e);
        api_error_clear(&e);
    }
    g_free(j->status);
    j->status = g_strdup(failure ? "Failed" : "Completed");
    j->failure = failure;
    j->artifact = failure ? NULL : g_strdup(uri);
    j->modified_us = world_now(w);

    /* Both the creator's account and the owner's may wait for the job. */
    g_autoptr(cJSON) payload = job_json(w, j);
    world_notify(w, j->creator->account, "sagemaker:model-card-export-job", payload);
    if (g_strcmp0(j->account, j->creator->account) != 0)
        world_notify(w, j->account, "sagemaker:model-card-export-job", payload);

    /* L3, modelling choice: AWS documents no CloudTrail service event for the
     * end of a model card export job; crossim records one named
     * ModelCardExportJobStateChange (after EventBridge's "... State Change"
     * events) in the owner's and the creator's accounts. */
    cJSON *details = cJSON_CreateObject();
    cJSON_AddStringToObject(details, "jobArn", j->arn);
    cJSON_AddStringToObject(details, "status", j->status);
    if (j->failure)
        cJSON_AddStringToObject(details, "failureReason", j->failure);
    else
        cJSON_AddNullToObject(details, "failureReason");
    cJSON *res = cJSON_CreateArray();
    cJSON *r1 = cJSON_CreateObject();
    cJSON_AddStringToObject(r1, "ARN", j->arn);
    cJSON_AddStringToObject(r1, "accountId", j->account);
    cJSON_AddStringToObject(r1, "type", "AWS::SageMaker::ModelCardExportJob");
    cJSON_AddItemToArray(res, r1);
    const char *accounts[] = { j->account, j->creator->account };
    api_service_event(w, SM_SERVICE, "ModelCardExportJobStateChange", details, res, accounts,
                      G_N_ELEMENTS(accounts));
}

static bool create_model_card_export_job(api_call *c)
{
    g_autofree char *arn = NULL, *owner = NULL;
    if (!card_ref(c, api_str(c->input, "ModelCardName"), &arn, &owner))
        return false;
    const char *job_name = api_str(c->input, "ModelCardExportJobName");
    g_autofree char *job_arn = g_strdup_printf("%s/export-job/%s", arn, job_name);
    card_resource(c, arn, owner);
    api_resource(c, job_arn, owner, "AWS::SageMaker::ModelCardExportJob");
    card *cd = card_get(c->w, arn);
    /* The action is authorised on the card and on the job (both owned by the
     * card's account, MC3), each with the card's RAM policies. */
    if (!authorize_card(c, "sagemaker:CreateModelCardExportJob", arn, arn, owner, cd) ||
        !authorize_card(c, "sagemaker:CreateModelCardExportJob", job_arn, arn, owner, cd))
        return false;
    if (!cd)
        return card_missing(c, arn);
    int want = (int)api_num(c->input, "ModelCardVersion", 0);
    if (want < 0 || want > (int)cd->versions->len) {
        api_error_set(&c->err, "ResourceNotFound", "Model card %s version %d does not exist.",
                      cd->name, want);
        return false;
    }
    cards_state *s = state_of(c->w);
    if (g_hash_table_contains(s->jobs, job_arn)) {
        api_error_set(&c->err, "ConflictException",
                      "Model card export job %s already exists.", job_name);
        return false;
    }
    export_job *j = g_new0(export_job, 1);
    j->name = g_strdup(job_name);
    j->arn = g_strdup(job_arn);
    j->account = g_strdup(cd->account);
    j->card_arn = g_strdup(cd->arn);
    j->card_name = g_strdup(cd->name);
    j->version = want ? want : latest(cd)->n;
    j->output_path = g_strdup(api_str(cJSON_GetObjectItemCaseSensitive(c->input, "OutputConfig"),
                                      "S3OutputPath"));
    j->status = g_strdup("InProgress");
    j->created_us = j->modified_us = c->now;
    j->creator = principal_copy(c->caller);
    g_hash_table_insert(s->jobs, j->arn, j);
    world_resource_add(c->w, j->arn, j->account, NULL);
    g_autofree char *stream = g_strdup_printf("sagemaker/export/%s", j->arn);
    double secs = rng_lognormal(world_rng(c->w, stream), EXPORT_MEDIAN_S, EXPORT_P99_S);
    j->timer = world_schedule(c->w, c->now + (int64_t)(secs * 1e6), export_finish,
                              g_strdup(j->arn), g_free);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "ModelCardExportJobArn", j->arn);
    return true;
}

static bool describe_model_card_export_job(api_call *c)
{
    const char *job_arn = api_str(c->input, "ModelCardExportJobArn");
    const char *cut = strstr(job_arn, "/export-job/");
    g_autofree char *owner = api_arn_account(job_arn);
    if (!cut || !owner || !strstr(job_arn, ":model-card/")) {
        api_error_set(&c->err, "ValidationException", "Invalid model card export job ARN: %s",
                      job_arn);
        return false;
    }
    g_autofree char *card_arn = g_strndup(job_arn, (gsize)(cut - job_arn));
    card_resource(c, card_arn, owner);
    api_resource(c, job_arn, owner, "AWS::SageMaker::ModelCardExportJob");
    if (!authorize_card(c, "sagemaker:DescribeModelCardExportJob", job_arn, card_arn, owner,
                        card_get(c->w, card_arn)))
        return false;
    const export_job *j = g_hash_table_lookup(state_of(c->w)->jobs, job_arn);
    if (!j) {
        api_error_set(&c->err, "ResourceNotFound", "Model card export job %s does not exist.",
                      job_arn);
        return false;
    }
    c->output = job_json(c->w, j);
    return true;
}

typedef struct job_sort { const char *by; } job_sort;

static gint cmp_job(gconstpointer a, gconstpointer b, gpointer user)
{
    const export_job *x = *(export_job *const *)a, *y = *(export_job *const *)b;
    const job_sort *js = user;
    int r = 0;
    if (g_strcmp0(js->by, "Name") == 0)
        r = strcmp(x->name, y->name);
    else if (g_strcmp0(js->by, "Status") == 0)
        r = strcmp(x->status, y->status);
    if (r == 0 && x->created_us != y->created_us)
        r = x->created_us < y->created_us ? -1 : 1;
    return r ? r : strcmp(x->arn, y->arn);
}

static bool list_model_card_export_jobs(api_call *c)
{
    if (!api_authorize(c, "sagemaker:ListModelCardExportJobs", "*", NULL, NULL,
                       API_RES_OPTIONAL, NULL))
        return false;
    g_autofree char *card_arn = card_arn_for(c->w, c->caller->account,
                                             api_str(c->input, "ModelCardName"));
    int version = (int)api_num(c->input, "ModelCardVersion", 0);
    const char *contains = api_str(c->input, "ModelCardExportJobNameContains");
    const char *status = api_str(c->input, "StatusEquals");
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, state_of(c->w)->jobs);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        export_job *j = v;
        if (strcmp(j->card_arn, card_arn) != 0 || (version && j->version != version) ||
            (contains && !strstr(j->name, contains)) || (status && strcmp(j->status, status) != 0) ||
            !sm_time_filter(c, j->created_us))
            continue;
        g_ptr_array_add(rows, j);
    }
    job_sort js = { api_str(c->input, "SortBy") };
    g_ptr_array_sort_with_data(rows, cmp_job, &js);
    guint first, count;
    if (!sm_order_page(c, rows, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "ModelCardExportJobSummaries");
    for (guint i = first; i < first + count; i++) {
        const export_job *j = rows->pdata[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "ModelCardExportJobName", j->name);
        cJSON_AddStringToObject(e, "ModelCardExportJobArn", j->arn);
        cJSON_AddStringToObject(e, "Status", j->status);
        cJSON_AddStringToObject(e, "ModelCardName", j->card_name);
        cJSON_AddNumberToObject(e, "ModelCardVersion", j->version);
        api_add_time(c->w, e, "CreatedAt", j->created_us);
        api_add_time(c->w, e, "LastModifiedAt", j->modified_us);
        cJSON_AddItemToArray(list, e);
    }
    sm_page_token(c, first, count, rows->len);
    return true;
}

/* Cross-account calls reach the owner's log too (card_resource: a modelling
 * choice); the List calls see only the caller's own account. */

static const api_op ops[] = {
    { "sagemaker:CreateModelCard", create_model_card, false, API_TO_CALLER_AND_OWNER },
    { "sagemaker:DescribeModelCard", describe_model_card, true, API_TO_CALLER_AND_OWNER },
    { "sagemaker:UpdateModelCard", update_model_card, false, API_TO_CALLER_AND_OWNER },
    { "sagemaker:ListModelCards", list_model_cards, true, API_TO_CALLER },
    { "sagemaker:ListModelCardVersions", list_model_card_versions, true, API_TO_CALLER_AND_OWNER },
    { "sagemaker:DeleteModelCard", delete_model_card, false, API_TO_CALLER_AND_OWNER },
    { "sagemaker:CreateModelCardExportJob", create_model_card_export_job, false,
      API_TO_CALLER_AND_OWNER },
    { "sagemaker:DescribeModelCardExportJob", describe_model_card_export_job, true,
      API_TO_CALLER_AND_OWNER },
    { "sagemaker:ListModelCardExportJobs", list_model_card_export_jobs, true, API_TO_CALLER },
    { NULL, NULL, false, API_TO_CALLER },
};

static const char *const happenings[] = { "sagemaker:model-card-export-job", NULL };

/* A card, or one of its export jobs: the policies RAM holds for the card. */
static bool resource_policies(world *w, const principal *caller, const char *action,
                              const char *resource, GPtrArray *out, api_resource_mode *mode,
                              char **owner)
{
    (void)action;
    return sm_explain_under(w, caller, ":model-card/", resource, out, mode, owner);
}

const api_service api_service_sagemaker_cards = {
    .name = "sagemaker-cards", .prefix = "sagemaker", .event_source = "sagemaker.amazonaws.com",
    .endpoint = "api.sagemaker.%s.amazonaws.com", .ops = ops,
    .happenings = happenings, .resource_policies = resource_policies,
};
