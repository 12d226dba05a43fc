/* model/ram.c: AWS RAM: resource shares, invitations, managed permissions.
 *
 * Owns every share, its associations (principals and resources) and
 * permissions, the invitations, and the customer managed permissions.  All
 * lists are kept in creation order; nothing reaches output in hash order.
 * Lifecycles settle through world_schedule: a share goes PENDING -> ACTIVE,
 * associations ASSOCIATING -> ASSOCIATED (principals that need an invitation
 * wait for its acceptance), DISASSOCIATING -> DISASSOCIATED; invitations
 * PENDING -> ACCEPTED / REJECTED / EXPIRED.  Every change bumps a generation
 * counter that invalidates the cache of RAM-written resource policies.
 *
 * Modelling choices (AWS does not document them; see AWS-FACTS.md §7):
 * RAM calls are logged in the caller's account only; settle delays are 2 s
 * (quota "ram:settle-ms"); a rejected or expired invitation leaves its
 * principal DISASSOCIATED; an invitation's expiry is recorded as a service
 * event "ResourceShareInvitationExpired" in both accounts. */
#include "model/ram_int.h"
#include "model/service.h"

#include <string.h>

#define SETTLE_DEFAULT_MS 2000
#define EXPIRY_DEFAULT_S  43200          /* 12 hours for SageMaker types */

/* ---- AWS managed permissions -------------------------------------------------- */

typedef struct managed_perm {
    const char *name, *type;
    bool        is_default;
    const char *actions[12];
} managed_perm;

static const managed_perm managed[] = {
    { "AWSRAMPermissionSageMakerModelCards", "sagemaker:ModelCard", true,
      { "sagemaker:DescribeModelCard", "sagemaker:ListModelCardVersions",
        "sagemaker:UpdateModelCard" } },
    { "AWSRAMPermissionSageMakerModelCardsAllowExport", "sagemaker:ModelCard", false,
      { "sagemaker:DescribeModelCard", "sagemaker:ListModelCardVersions",
        "sagemaker:UpdateModelCard", "sagemaker:CreateModelCardExportJob",
        "sagemaker:DescribeModelCardExportJob" } },
    /* Model package groups: the three names are those RAM's managed-permission
     * ARNs carry (arn:aws:ram::aws:permission/<name>); the default's actions
     * are those SageMaker's discoverability guide (model-registry-ram-discover)
     * puts in its example group policy; the Allow* variants add the one call
     * their names give. */
    { "AWSRAMDefaultPermissionSageMakerModelPackageGroup", "sagemaker:ModelPackageGroup", true,
      { "sagemaker:DescribeModelPackageGroup", "sagemaker:DescribeModelPackage",
        "sagemaker:ListModelPackages" } },
    { "AWSRAMPermissionSageMakerModelPackageGroupAllowRegister", "sagemaker:ModelPackageGroup", false,
      { "sagemaker:DescribeModelPackageGroup", "sagemaker:DescribeModelPackage",
        "sagemaker:ListModelPackages", "sagemaker:CreateModelPackage" } },
    { "AWSRAMPermissionSageMakerModelPackageGroupAllowDeploy", "sagemaker:ModelPackageGroup", false,
      { "sagemaker:DescribeModelPackageGroup", "sagemaker:DescribeModelPackage",
        "sagemaker:ListModelPackages", "sagemaker:CreateModel" } },
    { "AWSRAMDefaultPermissionSageMakerPipeline", "sagemaker:Pipeline", true,
      { "sagemaker:DescribePipeline", "sagemaker:DescribePipelineDefinitionForExecution",
        "sagemaker:DescribePipelineExecution", "sagemaker:ListPipelineExecutions",
        "sagemaker:ListPipelineExecutionSteps", "sagemaker:ListPipelineParametersForExecution",
        "sagemaker:Search" } },
    { "AWSRAMPermissionSageMakerPipelineAllowExecution", "sagemaker:Pipeline", false,
      { "sagemaker:DescribePipeline", "sagemaker:DescribePipelineDefinitionForExecution",
        "sagemaker:DescribePipelineExecution", "sagemaker:ListPipelineExecutions",
        "sagemaker:ListPipelineExecutionSteps", "sagemaker:ListPipelineParametersForExecution",
        "sagemaker:Search", "sagemaker:StartPipelineExecution",
        "sagemaker:StopPipelineExecution", "sagemaker:RetryPipelineExecution" } },
};

static const struct { const char *marker, *type; } arn_types[] = {
    { ":model-card/", "sagemaker:ModelCard" },
    { ":model-package-group/", "sagemaker:ModelPackageGroup" },
    { ":pipeline/", "sagemaker:Pipeline" },
};

const char *ram_type_of_arn(const char *arn)
{
    if (!arn || !g_str_has_prefix(arn, "arn:aws:sagemaker:"))
        return NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(arn_types); i++) {
        const char *m = strstr(arn, arn_types[i].marker);
        /* Only the resource itself, not its children (model-card/x/export-job/y). */
        if (m && !strchr(m + strlen(arn_types[i].marker), '/'))
            return arn_types[i].type;
    }
    return NULL;
}

/* ---- state --------------------------------------------------------------------- */

void ram__perm_free(gpointer p)
{
    perm *x = p;
    g_free(x->arn); g_free(x->name); g_free(x->type); g_free(x->ptype);
    g_free(x->owner);
    g_ptr_array_unref(x->actions);
    g_free(x);
}

static void assoc_free(gpointer p)
{
    assoc *a = p;
    g_free(a->entity); g_free(a->account); g_free(a->type); g_free(a->message);
    g_free(a);
}

static void tag_free(gpointer p)
{
    world_tag *t = p;
    g_free(t->key);
    g_free(t->value);
    g_free(t);
}

static void share_free(gpointer p)
{
    share *s = p;
    g_free(s->arn); g_free(s->name); g_free(s->owner);
    g_free(s->policy_resource);
    g_ptr_array_unref(s->tags);
    g_ptr_array_unref(s->resources);
    g_ptr_array_unref(s->principals);
    g_hash_table_unref(s->res_idx);
    g_hash_table_unref(s->prin_idx);
    g_ptr_array_unref(s->perms);
    if (s->pcache)
        g_hash_table_unref(s->pcache);
    g_free(s);
}

static void invitation_free(gpointer p)
{
    invitation *i = p;
    g_free(i->arn); g_free(i->share_arn); g_free(i->share_name); g_free(i->sender);
    g_free(i->receiver); g_free(i->receiver_arn);
    g_free(i);
}

static void state_free(gpointer p)
{
    ram_state *st = p;
    g_ptr_array_unref(st->shares);
    g_ptr_array_unref(st->invitations);
    g_ptr_array_unref(st->perms);
    g_hash_table_unref(st->share_by_arn);
    g_hash_table_unref(st->inv_by_arn);
    g_hash_table_unref(st->by_owner);
    g_hash_table_unref(st->by_account);
    g_hash_table_unref(st->by_resource);
    g_hash_table_unref(st->inv_by_receiver);
    g_hash_table_unref(st->pending);
    g_hash_table_unref(st->owned);
    g_ptr_array_unref(st->org_shares);
    g_hash_table_unref(st->org_by_resource);
    g_free(st);
}

ram_state *ram__state(world *w)
{
    ram_state *st = world_service_state(w, "ram");
    if (st)
        return st;
    st = g_new0(ram_state, 1);
    st->shares = g_ptr_array_new_with_free_func(share_free);
    st->invitations = g_ptr_array_new_with_free_func(invitation_free);
    st->perms = g_ptr_array_new_with_free_func(ram__perm_free);
    st->share_by_arn = g_hash_table_new(g_str_hash, g_str_equal);
    st->inv_by_arn = g_hash_table_new(g_str_hash, g_str_equal);
    st->by_owner = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)g_ptr_array_unref);
    st->by_account = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify)g_ptr_array_unref);
    st->by_resource = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify)g_ptr_array_unref);
    st->inv_by_receiver = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify)g_ptr_array_unref);
    st->pending = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    st->owned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    st->org_shares = g_ptr_array_new();
    st->org_by_resource = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify)g_ptr_array_unref);
    for (gsize i = 0; i < G_N_ELEMENTS(managed); i++) {
        perm *x = g_new0(perm, 1);
        x->name = g_strdup(managed[i].name);
        x->arn = g_strdup_printf("arn:aws:ram::aws:permission/%s", managed[i].name);
        x->type = g_strdup(managed[i].type);
        x->ptype = g_strdup("AWS_MANAGED");
        x->feature_set = FS_STANDARD;
        x->is_default = managed[i].is_default;
        x->actions = g_ptr_array_new_with_free_func(g_free);
        for (int k = 0; managed[i].actions[k]; k++)
            g_ptr_array_add(x->actions, g_strdup(managed[i].actions[k]));
        g_ptr_array_add(st->perms, x);
    }
    world_set_service_state(w, "ram", st, state_free);
    return st;
}

/* An organization-wide change: every share's cached policies go. */
static void changed(world *w)
{
    ram__state(w)->generation++;
}

/* A change to one share (its status, feature set, resources, permissions or
 * org principals): its cached policies go. */
void ram__touch(share *s)
{
    s->gen++;
}

static share *find_share(world *w, const char *arn)
{
    return arn ? g_hash_table_lookup(ram__state(w)->share_by_arn, arn) : NULL;
}

/* The list idx[key], made on first use. */
static GPtrArray *list_of(GHashTable *idx, const char *key)
{
    GPtrArray *l = g_hash_table_lookup(idx, key);
    if (!l) {
        l = g_ptr_array_new();
        g_hash_table_insert(idx, g_strdup(key), l);
    }
    return l;
}

/* Removes p from l, searching from the end (it is usually the last). */
static void remove_from(GPtrArray *l, gpointer p)
{
    for (guint i = l ? l->len : 0; i-- > 0;)
        if (l->pdata[i] == p) {
            g_ptr_array_remove_index(l, i);
            return;
        }
}

static void count_add(GHashTable *counts, const char *key, int delta)
{
    guint n = GPOINTER_TO_UINT(g_hash_table_lookup(counts, key));
    n = (guint)((int)n + delta);
    g_hash_table_replace(counts, g_strdup(key), GUINT_TO_POINTER(n));
}

static guint count_of(GHashTable *counts, const char *key)
{
    return GPOINTER_TO_UINT(g_hash_table_lookup(counts, key));
}

/* Every status change of a share goes through here: it keeps the count of
 * the owner's live shares (the "ram:resource-shares" quota). */
void ram__share_set_status(world *w, share *s, share_status status)
{
    bool was = s->status == SHARE_DELETED, is = status == SHARE_DELETED;
    if (was != is)
        count_add(ram__state(w)->owned, s->owner, is ? -1 : 1);
    s->status = status;
    ram__touch(s);
}

static gint by_seq(gconstpointer a, gconstpointer b)
{
    const share *x = *(share *const *)a, *y = *(share *const *)b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The shares that name account (by id, or by a role or user ARN in it) and
 * the shares with an org or OU principal (all of them, or with resource,
 * only those that hold it), each once, in creation order.  A new array. */
GPtrArray *ram__shares_naming(world *w, const char *account, const char *resource)
{
    ram_state *st = ram__state(w);
    GPtrArray *out = g_ptr_array_new();
    GPtrArray *l = account ? g_hash_table_lookup(st->by_account, account) : NULL;
    for (guint i = 0; l && i < l->len; i++)
        g_ptr_array_add(out, l->pdata[i]);
    GPtrArray *org = resource ? g_hash_table_lookup(st->org_by_resource, resource) : st->org_shares;
    for (guint i = 0; org && i < org->len; i++)
        g_ptr_array_add(out, org->pdata[i]);
    g_ptr_array_sort(out, by_seq);
    guint k = 0;
    for (guint i = 0; i < out->len; i++)
        if (k == 0 || out->pdata[k - 1] != out->pdata[i])
            out->pdata[k++] = out->pdata[i];
    g_ptr_array_set_size(out, k);
    return out;
}

perm *ram__find_perm(world *w, const char *arn)
{
    ram_state *st = ram__state(w);
    for (guint i = 0; arn && i < st->perms->len; i++) {
        perm *p = st->perms->pdata[i];
        if (strcmp(p->arn, arn) == 0)
            return p;
    }
    return NULL;
}

static perm *default_perm(world *w, const char *type)
{
    ram_state *st = ram__state(w);
    for (guint i = 0; i < st->perms->len; i++) {
        perm *p = st->perms->pdata[i];
        if (p->is_default && g_strcmp0(p->type, type) == 0)
            return p;
    }
    return NULL;
}

static char *iso(world *w, int64_t t)
{
    char b[21];
    world_iso_time(w, t, b);
    return g_strdup(b);
}

static int64_t settle_us(world *w, const char *owner)
{
    return world_quota(w, owner, "ram:settle-ms", SETTLE_DEFAULT_MS) * 1000;
}

/* ---- JSON views -------------------------------------------------------------------- */

static cJSON *share_json(world *w, const share *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "resourceShareArn", s->arn);
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddStringToObject(o, "owningAccountId", s->owner);
    cJSON_AddBoolToObject(o, "allowExternalPrincipals", s->allow_external);
    cJSON_AddStringToObject(o, "status", share_status_names[s->status]);
    if (s->tags->len) {
        cJSON *tags = cJSON_AddArrayToObject(o, "tags");
        for (guint i = 0; i < s->tags->len; i++) {
            const world_tag *t = s->tags->pdata[i];
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "key", t->key);
            cJSON_AddStringToObject(x, "value", t->value);
            cJSON_AddItemToArray(tags, x);
        }
    }
    g_autofree char *c = iso(w, s->created), *u = iso(w, s->updated);
    cJSON_AddStringToObject(o, "creationTime", c);
    cJSON_AddStringToObject(o, "lastUpdatedTime", u);
    cJSON_AddStringToObject(o, "featureSet", feature_set_names[s->feature_set]);
    return o;
}

static cJSON *assoc_json(world *w, const share *s, const assoc *a)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "resourceShareArn", s->arn);
    cJSON_AddStringToObject(o, "resourceShareName", s->name);
    cJSON_AddStringToObject(o, "associatedEntity", a->entity);
    cJSON_AddStringToObject(o, "associationType", a->principal ? "PRINCIPAL" : "RESOURCE");
    cJSON_AddStringToObject(o, "status", assoc_status_names[a->status]);
    if (a->message)
        cJSON_AddStringToObject(o, "statusMessage", a->message);
    g_autofree char *c = iso(w, a->created), *u = iso(w, a->updated);
    cJSON_AddStringToObject(o, "creationTime", c);
    cJSON_AddStringToObject(o, "lastUpdatedTime", u);
    cJSON_AddBoolToObject(o, "external", a->external);
    return o;
}

static cJSON *invitation_json(world *w, const invitation *i)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "resourceShareInvitationArn", i->arn);
    cJSON_AddStringToObject(o, "resourceShareName", i->share_name);
    cJSON_AddStringToObject(o, "resourceShareArn", i->share_arn);
    cJSON_AddStringToObject(o, "senderAccountId", i->sender);
    cJSON_AddStringToObject(o, "receiverAccountId", i->receiver);
    g_autofree char *t = iso(w, i->created);
    cJSON_AddStringToObject(o, "invitationTimestamp", t);
    cJSON_AddStringToObject(o, "status", inv_status_names[i->status]);
    if (i->receiver_arn)
        cJSON_AddStringToObject(o, "receiverArn", i->receiver_arn);
    return o;
}

cJSON *ram__perm_summary(world *w, const perm *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "arn", p->arn);
    cJSON_AddStringToObject(o, "version", "1");
    cJSON_AddBoolToObject(o, "defaultVersion", true);
    cJSON_AddStringToObject(o, "name", p->name);
    cJSON_AddStringToObject(o, "resourceType", p->type);
    cJSON_AddStringToObject(o, "status", "ATTACHABLE");
    g_autofree char *c = iso(w, p->created);
    cJSON_AddStringToObject(o, "creationTime", c);
    cJSON_AddStringToObject(o, "lastUpdatedTime", c);
    cJSON_AddBoolToObject(o, "isResourceTypeDefault", p->is_default);
    cJSON_AddStringToObject(o, "permissionType", p->ptype);
    cJSON_AddStringToObject(o, "featureSet", feature_set_names[p->feature_set]);
    return o;
}

static char *perm_template(const perm *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Effect", "Allow");
    cJSON *a = cJSON_AddArrayToObject(o, "Action");
    for (guint i = 0; i < p->actions->len; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(p->actions->pdata[i]));
    char *t = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    char *r = g_strdup(t);
    cJSON_free(t);
    return r;
}

/* ---- lifecycles -------------------------------------------------------------------- */

typedef struct settle_ev {
    char     *share_arn, *entity;   /* entity NULL: the whole share */
    settle_to to;
    bool      principal;
} settle_ev;

static void settle_free(void *p)
{
    settle_ev *e = p;
    g_free(e->share_arn); g_free(e->entity);
    g_free(e);
}

assoc *ram__find_assoc(const share *s, const char *entity, bool is_principal)
{
    return entity ? g_hash_table_lookup(is_principal ? s->prin_idx : s->res_idx, entity) : NULL;
}

/* Adds a new association to its share and to the indexes that find the
 * share from the association's side. */
void ram__assoc_add(world *w, share *s, assoc *a)
{
    ram_state *st = ram__state(w);
    a->sh = s;
    g_ptr_array_add(a->principal ? s->principals : s->resources, a);
    g_hash_table_insert(a->principal ? s->prin_idx : s->res_idx, a->entity, a);
    if (!a->principal) {
        g_ptr_array_add(list_of(st->by_resource, a->entity), s);
        if (s->has_org)
            g_ptr_array_add(list_of(st->org_by_resource, a->entity), s);
    }
    ram__touch(s);
}

/* Records which account a principal association stands for (NULL: an org
 * or OU), so that the account's calls find the share. */
static void assoc_set_account(world *w, assoc *a, const char *account)
{
    ram_state *st = ram__state(w);
    g_free(a->account);
    a->account = g_strdup(account);
    if (account)
        g_ptr_array_add(list_of(st->by_account, account), a->sh);
    else if (!a->sh->has_org) {
        a->sh->has_org = true;
        g_ptr_array_add(st->org_shares, a->sh);
        for (guint i = 0; i < a->sh->resources->len; i++)
            g_ptr_array_add(list_of(st->org_by_resource,
                                    ((assoc *)a->sh->resources->pdata[i])->entity), a->sh);
    }
    ram__touch(a->sh);
}

static void set_status(world *w, assoc *a, assoc_status status)
{
    a->status = status;
    a->updated = world_now(w);
    /* An account or role principal's status is read live by the share's
     * policy (principal_in_share); anything else changes the policy. */
    if (!a->principal || !a->account)
        ram__touch(a->sh);
}

static void invite_on_promotion(world *w, share *s);

static void settle_fire(world *w, void *data)
{
    settle_ev *e = data;
    share *s = find_share(w, e->share_arn);
    if (!s)
        return;
    if (!e->entity) {
        /* PENDING -> ACTIVE, DELETING -> DELETED, PROMOTING_TO_STANDARD -> STANDARD */
        if (e->to == TO_STANDARD) {
            s->feature_set = FS_STANDARD;
            ram__touch(s);
            /* No record marks the end of a promotion: AWS documents none; the
             * share's featureSet tells it (GetResourceShares). */
            invite_on_promotion(w, s);
        } else if (s->status == SHARE_PENDING && e->to == TO_ACTIVE) {
            ram__share_set_status(w, s, SHARE_ACTIVE);
        } else if (s->status == SHARE_DELETING && e->to == TO_DELETED) {
            ram__share_set_status(w, s, SHARE_DELETED);
        }
        s->updated = world_now(w);
        return;
    }
    assoc *a = ram__find_assoc(s, e->entity, e->principal);
    if (!a)
        return;
    if (a->status == AS_ASSOCIATING && e->to == TO_ASSOCIATED)
        set_status(w, a, AS_ASSOCIATED);
    else if (a->status == AS_DISASSOCIATING && e->to == TO_DISASSOCIATED)
        set_status(w, a, AS_DISASSOCIATED);
}

/* Schedules the end of a transition: of the whole share when entity is
 * NULL, else of that association. */
void ram__settle_later(world *w, const share *s, const char *entity, bool is_principal,
                         settle_to to)
{
    settle_ev *e = g_new0(settle_ev, 1);
    e->share_arn = g_strdup(s->arn);
    e->entity = g_strdup(entity);
    e->principal = is_principal;
    e->to = to;
    world_schedule(w, world_now(w) + settle_us(w, s->owner), settle_fire, e, settle_free);
}

static invitation *find_invitation(world *w, const char *arn)
{
    return arn ? g_hash_table_lookup(ram__state(w)->inv_by_arn, arn) : NULL;
}

/* Every status change of an invitation goes through here: it keeps the
 * sender's count of PENDING invitations (the "ram:pending-invitations" quota). */
static void inv_set_status(world *w, invitation *v, inv_status status)
{
    bool is = status == INV_PENDING;
    if (v->counted != is)
        count_add(ram__state(w)->pending, v->sender, is ? 1 : -1);
    v->counted = is;
    v->status = status;
}

static void expire_fire(world *w, void *data)
{
    invitation *v = find_invitation(w, data);
    if (!v || v->status != INV_PENDING)
        return;
    inv_set_status(w, v, INV_EXPIRED);
    share *s = find_share(w, v->share_arn);
    assoc *a = s ? ram__find_assoc(s, v->receiver_arn ? v->receiver_arn : v->receiver, true) : NULL;
    if (a)
        set_status(w, a, AS_DISASSOCIATED);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "resourceShareInvitationArn", v->arn);
    cJSON_AddStringToObject(d, "resourceShareArn", v->share_arn);
    cJSON_AddStringToObject(d, "status", "EXPIRED");
    const char *acc[] = { v->sender, v->receiver };
    api_service_event(w, "ram.amazonaws.com", "ResourceShareInvitationExpired", d, NULL, acc, 2);
}

static guint pending_sent(world *w, const char *sender)
{
    return count_of(ram__state(w)->pending, sender);
}

/* ---- principals and resources ----------------------------------------------------------- */


/* The account a principal entity belongs to; NULL for org and OU ARNs. */
static char *entity_account(const char *p)
{
    if (world_is_account_id(p))
        return g_strdup(p);
    if (g_str_has_prefix(p, "arn:aws:iam::")) {
        /* The account field must be an account id: "../../x" is a malformed ARN. */
        char *a = api_arn_account(p);
        if (world_is_account_id(a))
            return a;
        g_free(a);
    }
    return NULL;
}

/* Checks and adds one principal; false with c->err set. */
/* Invites the account of principal association a to share s. */
static void send_invitation(world *w, const share *s, const assoc *a, rng *r)
{
    invitation *v = g_new0(invitation, 1);
    char id[37];
    rng_uuid(r, id);
    v->arn = g_strdup_printf("arn:aws:ram:%s:%s:resource-share-invitation/%s", world_region(w),
                             s->owner, id);
    v->share_arn = g_strdup(s->arn);
    v->share_name = g_strdup(s->name);
    v->sender = g_strdup(s->owner);
    v->receiver = g_strdup(a->account);
    v->receiver_arn = world_is_account_id(a->entity) ? NULL : g_strdup(a->entity);
    inv_set_status(w, v, INV_PENDING);
    v->created = world_now(w);
    ram_state *st = ram__state(w);
    g_ptr_array_add(st->invitations, v);
    g_hash_table_insert(st->inv_by_arn, v->arn, v);
    g_ptr_array_add(list_of(st->inv_by_receiver, v->receiver), v);
    int64_t expiry = world_quota(w, s->owner, "ram:invitation-expiry-seconds", EXPIRY_DEFAULT_S);
    v->expiry = world_schedule(w, world_now(w) + expiry * 1000000, expire_fire, g_strdup(v->arn),
                               g_free);
    cJSON *payload = invitation_json(w, v);
    world_notify(w, a->account, "ram:invitation", payload);
    cJSON_Delete(payload);
}

/* A promoted share becomes visible to its principals: the accounts that
 * would have been invited had the share been made in RAM are invited now
 * (MPG5); the policy keeps granting access meanwhile. */
static void invite_on_promotion(world *w, share *s)
{
    world_org *org = world_org_get(w);
    g_autofree char *stream = g_strdup_printf("ram/promote/%s", s->arn);
    rng *r = world_rng(w, stream);
    for (guint i = 0; i < s->principals->len; i++) {
        assoc *a = s->principals->pdata[i];
        if (!a->account || a->status != AS_ASSOCIATED ||
            !(a->external || !(org && org->ram_sharing)))
            continue;
        set_status(w, a, AS_ASSOCIATING);
        send_invitation(w, s, a, r);
    }
}

bool ram__add_principal(api_call *c, share *s, const char *p)
{
    world *w = c->w;
    world_org *org = world_org_get(w);
    bool is_org = g_str_has_prefix(p, "arn:aws:organizations::") &&
                  (strstr(p, ":organization/") || strstr(p, ":ou/"));
    g_autofree char *acct = entity_account(p);
    if (!is_org && !acct) {
        api_error_set(&c->err, g_str_has_prefix(p, "arn:") ? "MalformedArnException"
                                                           : "InvalidParameterException",
                      "The principal %s is not an AWS account ID, an organization or OU ARN, "
                      "or an IAM role or user ARN.", p);
        return false;
    }
    if (ram__find_assoc(s, p, true)) {
        const assoc *a = ram__find_assoc(s, p, true);
        if (a->status == AS_ASSOCIATED || a->status == AS_ASSOCIATING)
            return true;
    }
    if (is_org && !(org && org->ram_sharing)) {
        api_error_set(&c->err, "OperationNotPermittedException",
                      "Unable to share with AWS Organizations: sharing with AWS Organizations is not "
                      "enabled (EnableSharingWithAwsOrganization).");
        return false;
    }
    bool external = !is_org && !world_same_org(w, s->owner, acct);
    if (external && !s->allow_external) {
        api_error_set(&c->err, "InvalidParameterException",
                      "Principal %s is not in your AWS organization. You cannot share resources "
                      "with accounts outside your organization.", p);
        return false;
    }
    if (acct && strcmp(acct, s->owner) == 0) {
        api_error_set(&c->err, "InvalidParameterException",
                      "The resource share cannot have its owner %s as a principal.", acct);
        return false;
    }
    guint64 limit = (guint64)world_quota(w, s->owner, "ram:principals-per-share", 5000);
    if (s->principals->len + 1 > limit) {
        api_error_set(&c->err, "ResourceShareLimitExceededException",
                      "The resource share has reached its quota of %" G_GUINT64_FORMAT
                      " principal associations.", limit);
        return false;
    }
    /* A share created from a policy: the policy already grants access, and
     * RAM invites outside accounts only once the share is promoted (MPG3, MPG5). */
    bool from_policy = s->feature_set == FS_CREATED_FROM_POLICY;
    bool invite = !from_policy && !is_org && (external || !(org && org->ram_sharing));
    if (invite) {
        guint64 q = (guint64)world_quota(w, s->owner, "ram:pending-invitations", 20);
        if (pending_sent(w, s->owner) + 1 > q) {
            api_error_set(&c->err, "ResourceShareLimitExceededException",
                          "Account %s has reached its quota of %" G_GUINT64_FORMAT
                          " pending resource share invitations.", s->owner, q);
            return false;
        }
    }
    assoc *a = ram__find_assoc(s, p, true);
    if (!a) {
        a = g_new0(assoc, 1);
        a->entity = g_strdup(p);
        a->principal = true;
        a->created = c->now;
        ram__assoc_add(w, s, a);
        assoc_set_account(w, a, acct);
    }
    a->external = external;
    a->status = from_policy ? AS_ASSOCIATED : AS_ASSOCIATING;
    a->updated = c->now;
    ram__touch(s);
    if (from_policy)
        return true;
    if (!invite) {
        ram__settle_later(w, s, p, true, TO_ASSOCIATED);
        return true;
    }
    send_invitation(w, s, a, c->rng);
    return true;
}

static bool add_resource(api_call *c, share *s, const char *arn)
{
    world *w = c->w;
    const char *owner = world_resource_owner(w, arn);
    if (!g_str_has_prefix(arn, "arn:")) {
        api_error_set(&c->err, "MalformedArnException", "The ARN %s is not valid.", arn);
        return false;
    }
    if (!owner || strcmp(owner, s->owner) != 0) {
        api_error_set(&c->err, "UnknownResourceException",
                      "The resource %s does not exist or is not owned by account %s.", arn, s->owner);
        return false;
    }
    const char *type = world_resource_type(w, arn);
    if (!type)
        type = ram_type_of_arn(arn);
    if (!type) {
        api_error_set(&c->err, "InvalidParameterException",
                      "The resource type of %s cannot be shared with AWS RAM.", arn);
        return false;
    }
    if (ram__find_assoc(s, arn, false))
        return true;
    guint64 limit = (guint64)world_quota(w, s->owner, "ram:resources-per-share", 5000);
    if (s->resources->len + 1 > limit) {
        api_error_set(&c->err, "ResourceShareLimitExceededException",
                      "The resource share has reached its quota of %" G_GUINT64_FORMAT
                      " resource associations.", limit);
        return false;
    }
    assoc *a = g_new0(assoc, 1);
    a->entity = g_strdup(arn);
    a->type = g_strdup(type);
    a->status = AS_ASSOCIATING;
    a->created = a->updated = c->now;
    ram__assoc_add(w, s, a);
    bool have = false;
    for (guint i = 0; i < s->perms->len; i++)
        have |= strcmp(((perm *)s->perms->pdata[i])->type, type) == 0;
    if (!have) {
        perm *d = default_perm(w, type);
        if (d)
            g_ptr_array_add(s->perms, d);
    }
    ram__settle_later(w, s, arn, false, TO_ASSOCIATED);
    return true;
}

/* ---- authorisation ------------------------------------------------------------------ */

bool ram__authorize(api_call *c, const char *action, const char *resource, const share *s)
{
    g_autoptr(iam_ctx) ctx = iam_ctx_new();
    if (s)
        api_ctx_world_tags(ctx, s->tags);
    g_autofree char *full = g_strdup_printf("ram:%s", action);
    return api_authorize(c, full, resource, NULL, NULL, API_RES_OPTIONAL, ctx);
}

share *ram__owned_share(api_call *c, const char *arn)
{
    if (!arn || !g_str_has_prefix(arn, "arn:aws:ram:")) {
        api_error_set(&c->err, "MalformedArnException", "The ARN %s is not valid.", arn ? arn : "");
        return NULL;
    }
    share *s = find_share(c->w, arn);
    if (!s || strcmp(s->owner, c->caller->account) != 0 || s->status == SHARE_DELETED) {
        api_error_set(&c->err, "UnknownResourceException",
                      "ResourceShare %s could not be found.", arn);
        return NULL;
    }
    return s;
}

/* ---- operations --------------------------------------------------------------------- */

share *ram__new_share(api_call *c, const char *name, bool allow_external, feature_set feature)
{
    share *s = g_new0(share, 1);
    char id[37];
    rng_uuid(c->rng, id);
    s->arn = g_strdup_printf("arn:aws:ram:%s:%s:resource-share/%s", world_region(c->w),
                             c->caller->account, id);
    s->name = g_strdup(name);
    s->owner = g_strdup(c->caller->account);
    s->status = SHARE_DELETED;      /* not yet counted; share_register sets PENDING */
    s->feature_set = feature;
    s->allow_external = allow_external;
    s->created = s->updated = c->now;
    s->tags = g_ptr_array_new_with_free_func(tag_free);
    s->resources = g_ptr_array_new_with_free_func(assoc_free);
    s->principals = g_ptr_array_new_with_free_func(assoc_free);
    s->res_idx = g_hash_table_new(g_str_hash, g_str_equal);
    s->prin_idx = g_hash_table_new(g_str_hash, g_str_equal);
    s->perms = g_ptr_array_new();
    return s;
}

/* Adds a new share to the state and its indexes, with the given status. */
void ram__share_register(world *w, share *s, share_status status)
{
    ram_state *st = ram__state(w);
    s->seq = st->next_seq++;
    g_ptr_array_add(st->shares, s);
    g_hash_table_insert(st->share_by_arn, s->arn, s);
    g_ptr_array_add(list_of(st->by_owner, s->owner), s);
    ram__share_set_status(w, s, status);
}

/* Undoes share_register and every index entry of s's associations and
 * invitations (a CreateResourceShare that failed part way); frees s. */
static void share_withdraw(world *w, share *s)
{
    ram_state *st = ram__state(w);
    /* The share's invitations were all sent by this call: they are the
     * newest, at the end of the list. */
    for (guint i = st->invitations->len; i-- > 0;) {
        invitation *v = st->invitations->pdata[i];
        if (strcmp(v->share_arn, s->arn) != 0)
            break;
        inv_set_status(w, v, INV_REJECTED);      /* uncounts it */
        g_hash_table_remove(st->inv_by_arn, v->arn);
        remove_from(g_hash_table_lookup(st->inv_by_receiver, v->receiver), v);
        g_ptr_array_remove_index(st->invitations, i);
    }
    for (guint i = 0; i < s->resources->len; i++)
        remove_from(g_hash_table_lookup(st->by_resource, ((assoc *)s->resources->pdata[i])->entity), s);
    for (guint i = 0; i < s->principals->len; i++) {
        const assoc *a = s->principals->pdata[i];
        if (a->account)
            remove_from(g_hash_table_lookup(st->by_account, a->account), s);
    }
    if (s->has_org) {
        remove_from(st->org_shares, s);
        for (guint i = 0; i < s->resources->len; i++)
            remove_from(g_hash_table_lookup(st->org_by_resource,
                                            ((assoc *)s->resources->pdata[i])->entity), s);
    }
    ram__share_set_status(w, s, SHARE_DELETED);
    remove_from(g_hash_table_lookup(st->by_owner, s->owner), s);
    g_hash_table_remove(st->share_by_arn, s->arn);
    remove_from(st->shares, s);           /* frees s */
}

/* Every tag has a key (RAM's model marks no member required, but "every
 * tag must have a key"): checked before the call changes anything. */
static bool tags_valid(api_call *c, const cJSON *tags)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, tags) {
        const char *k = api_str(t, "key");
        if (!k || !*k) {
            api_error_set(&c->err, "InvalidParameterException",
                          "A tag key is required and cannot be empty.");
            return false;
        }
    }
    return true;
}

static void add_tags(share *s, const cJSON *tags)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, tags)
        world_tags_set(s->tags, api_str(t, "key"), api_str(t, "value") ? api_str(t, "value") : "");
}

static bool set_permissions(api_call *c, share *s, const cJSON *arns)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, arns) {
        perm *x = ram__find_perm(c->w, p->valuestring);
        if (!x || (x->owner && strcmp(x->owner, s->owner) != 0)) {
            api_error_set(&c->err, "UnknownResourceException", "Permission %s could not be found.",
                          p->valuestring);
            return false;
        }
        for (guint i = 0; i < s->perms->len; i++)
            if (strcmp(((perm *)s->perms->pdata[i])->type, x->type) == 0) {
                api_error_set(&c->err, "InvalidParameterException",
                              "Only one permission per resource type can be associated "
                              "with a resource share.");
                return false;
            }
        g_ptr_array_add(s->perms, x);
    }
    return true;
}

static guint owned_count(world *w, const char *owner)
{
    return count_of(ram__state(w)->owned, owner);
}

static bool create_resource_share(api_call *c)
{
    g_autofree char *res = g_strdup_printf("arn:aws:ram:%s:%s:resource-share/*",
                                           world_region(c->w), c->caller->account);
    if (!ram__authorize(c, "CreateResourceShare", res, NULL) ||
        !tags_valid(c, cJSON_GetObjectItemCaseSensitive(c->input, "tags")))
        return false;
    guint64 q = (guint64)world_quota(c->w, c->caller->account, "ram:resource-shares", 25000);
    if (owned_count(c->w, c->caller->account) + 1 > q) {
        api_error_set(&c->err, "ResourceShareLimitExceededException",
                      "Account %s has reached its quota of %" G_GUINT64_FORMAT " resource shares.",
                      c->caller->account, q);
        return false;
    }
    share *s = ram__new_share(c, api_str(c->input, "name"),
                         api_bool(c->input, "allowExternalPrincipals", true), FS_STANDARD);
    add_tags(s, cJSON_GetObjectItemCaseSensitive(c->input, "tags"));
    /* All-or-nothing: the share is kept only when every part is valid. */
    ram__share_register(c->w, s, SHARE_PENDING);
    bool ok = set_permissions(c, s, cJSON_GetObjectItemCaseSensitive(c->input, "permissionArns"));
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(c->input, "resourceArns"))
        if (ok)
            ok = add_resource(c, s, e->valuestring);
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(c->input, "principals"))
        if (ok)
            ok = ram__add_principal(c, s, e->valuestring);
    if (!ok) {
        /* Withdraw invitations this call sent, then the share. */
        share_withdraw(c->w, s);
        return false;
    }
    api_resource(c, s->arn, s->owner, "AWS::RAM::ResourceShare");
    ram__settle_later(c->w, s, NULL, false, TO_ACTIVE);
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "resourceShare", share_json(c->w, s));
    const char *tok = api_str(c->input, "clientToken");
    if (tok)
        cJSON_AddStringToObject(c->output, "clientToken", tok);
    return true;
}

bool ram__visible_to(world *w, const share *s, const char *account)
{
    if (s->feature_set != FS_STANDARD || s->status != SHARE_ACTIVE)
        return false;
    world_org *org = world_org_get(w);
    for (guint i = 0; i < s->principals->len; i++) {
        const assoc *a = s->principals->pdata[i];
        if (a->status != AS_ASSOCIATED)
            continue;
        if (g_strcmp0(a->account, account) == 0)
            return true;
        if (!a->account && org && world_same_org(w, s->owner, account))
            return true;
    }
    return false;
}

/* RAM's paging: maxResults (default 500), nextToken; a token RAM did not
 * give is InvalidNextTokenException, as the RAM API reference lists. */
static const api_paging RAM_PAGING = {
    .token = "nextToken", .max = "maxResults", .dflt = 500,
    .bad_code = "InvalidNextTokenException",
    .bad_fmt = "The specified value for NextToken isn't valid." };

/* The page of items (cJSON* in order; taken) as c->output {key: [...]}. */
static bool page(api_call *c, GPtrArray *items, const char *key)
{
    g_ptr_array_set_free_func(items, (GDestroyNotify)cJSON_Delete);
    guint first, count;
    bool ok = api_page(c, &RAM_PAGING, items->len, &first, &count);
    if (ok) {
        c->output = cJSON_CreateObject();
        cJSON *arr = cJSON_AddArrayToObject(c->output, key);
        for (guint i = first; i < first + count; i++)
            cJSON_AddItemToArray(arr, g_steal_pointer(&items->pdata[i]));
        api_page_token(&RAM_PAGING, c->output, first, count, items->len);
    }
    g_ptr_array_unref(items);
    return ok;
}

static bool in_list(const cJSON *list, const char *v)
{
    if (!list)
        return true;
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
        if (g_strcmp0(e->valuestring, v) == 0)
            return true;
    return false;
}

/* SELF: shares the caller owns; OTHER-ACCOUNTS: shares it can see as a principal. */
static bool in_view(api_call *c, const share *s, bool self)
{
    bool mine = strcmp(s->owner, c->caller->account) == 0;
    return self ? mine : !mine && ram__visible_to(c->w, s, c->caller->account);
}

/* The shares in_view can accept, in creation order: the caller's own
 * (SELF), or those naming its account or an org (OTHER-ACCOUNTS).  A new array. */
static GPtrArray *viewable(api_call *c, bool self)
{
    if (!self)
        return ram__shares_naming(c->w, c->caller->account, NULL);
    GPtrArray *out = g_ptr_array_new();
    GPtrArray *l = g_hash_table_lookup(ram__state(c->w)->by_owner, c->caller->account);
    for (guint i = 0; l && i < l->len; i++)
        g_ptr_array_add(out, l->pdata[i]);
    return out;
}

static bool get_resource_shares(api_call *c)
{
    if (!ram__authorize(c, "GetResourceShares", "*", NULL))
        return false;
    bool self = g_strcmp0(api_str(c->input, "resourceOwner"), "SELF") == 0;
    const char *status = api_str(c->input, "resourceShareStatus");
    const char *name = api_str(c->input, "name");
    const cJSON *arns = cJSON_GetObjectItemCaseSensitive(c->input, "resourceShareArns");
    GPtrArray *items = g_ptr_array_new();
    g_autoptr(GPtrArray) view = viewable(c, self);
    for (guint i = 0; i < view->len; i++) {
        const share *s = view->pdata[i];
        if (!in_view(c, s, self))
            continue;
        if ((status && strcmp(status, share_status_names[s->status]) != 0) || (name && strcmp(name, s->name) != 0) ||
            !in_list(arns, s->arn))
            continue;
        g_ptr_array_add(items, share_json(c->w, s));
    }
    return page(c, items, "resourceShares");
}

static bool update_resource_share(api_call *c)
{
    share *s = ram__owned_share(c, api_str(c->input, "resourceShareArn"));
    if (!s || !ram__authorize(c, "UpdateResourceShare", s->arn, s))
        return false;
    if (s->feature_set != FS_STANDARD) {
        api_error_set(&c->err, "OperationNotPermittedException",
                      "A resource share created from a policy cannot be modified in AWS RAM.");
        return false;
    }
    if (api_str(c->input, "name")) {
        g_free(s->name);
        s->name = g_strdup(api_str(c->input, "name"));
    }
    s->allow_external = api_bool(c->input, "allowExternalPrincipals", s->allow_external);
    s->updated = c->now;
    api_resource(c, s->arn, s->owner, "AWS::RAM::ResourceShare");
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "resourceShare", share_json(c->w, s));
    return true;
}

void ram__disassociate_all(world *w, share *s, GPtrArray *list)
{
    for (guint i = 0; i < list->len; i++) {
        assoc *a = list->pdata[i];
        if (a->status != AS_DISASSOCIATED && a->status != AS_FAILED)
            set_status(w, a, AS_DISASSOCIATED);
    }
    (void)s;
}

static bool delete_resource_share(api_call *c)
{
    share *s = ram__owned_share(c, api_str(c->input, "resourceShareArn"));
    if (!s || !ram__authorize(c, "DeleteResourceShare", s->arn, s))
        return false;
    if (s->status == SHARE_DELETING) {
        api_error_set(&c->err, "InvalidStateTransitionException",
                      "The resource share %s is already being deleted.", s->arn);
        return false;
    }
    ram__share_set_status(c->w, s, SHARE_DELETING);
    ram__disassociate_all(c->w, s, s->principals);
    ram__disassociate_all(c->w, s, s->resources);
    ram__settle_later(c->w, s, NULL, false, TO_DELETED);
    api_resource(c, s->arn, s->owner, "AWS::RAM::ResourceShare");
    c->output = cJSON_CreateObject();
    cJSON_AddBoolToObject(c->output, "returnValue", true);
    return true;
}

static bool associate_resource_share(api_call *c)
{
    share *s = ram__owned_share(c, api_str(c->input, "resourceShareArn"));
    if (!s || !ram__authorize(c, "AssociateResourceShare", s->arn, s))
        return false;
    if (s->feature_set != FS_STANDARD || s->status == SHARE_DELETING ||
        s->status == SHARE_DELETED) {
        api_error_set(&c->err, "InvalidStateTransitionException",
                      "The resource share %s cannot be changed in its current state.", s->arn);
        return false;
    }
    cJSON *out = cJSON_CreateArray();
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(c->input, "resourceArns")) {
        if (!add_resource(c, s, e->valuestring)) {
            cJSON_Delete(out);
            return false;
        }
        cJSON_AddItemToArray(out, assoc_json(c->w, s, ram__find_assoc(s, e->valuestring, false)));
    }
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(c->input, "principals")) {
        if (!ram__add_principal(c, s, e->valuestring)) {
            cJSON_Delete(out);
            return false;
        }
        cJSON_AddItemToArray(out, assoc_json(c->w, s, ram__find_assoc(s, e->valuestring, true)));
    }
    api_resource(c, s->arn, s->owner, "AWS::RAM::ResourceShare");
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "resourceShareAssociations", out);
    return true;
}

static bool disassociate_resource_share(api_call *c)
{
    const char *arn = api_str(c->input, "resourceShareArn");
    share *s = find_share(c->w, arn);
    const cJSON *principals = cJSON_GetObjectItemCaseSensitive(c->input, "principals");
    bool leaving = s && strcmp(s->owner, c->caller->account) != 0;
    if (leaving) {
        /* A consumer leaves by removing its own account, when it was added by id. */
        if (!ram__authorize(c, "DisassociateResourceShare", arn, s))
            return false;
        if (cJSON_GetArraySize(principals) != 1 ||
            g_strcmp0(cJSON_GetArrayItem(principals, 0)->valuestring, c->caller->account) != 0 ||
            !ram__find_assoc(s, c->caller->account, true) ||
            cJSON_GetObjectItemCaseSensitive(c->input, "resourceArns")) {
            api_error_set(&c->err, "OperationNotPermittedException",
                          "You can only remove your own account from a resource share you were "
                          "added to by account ID.");
            return false;
        }
    } else {
        s = ram__owned_share(c, arn);
        if (!s || !ram__authorize(c, "DisassociateResourceShare", s->arn, s))
            return false;
    }
    cJSON *out = cJSON_CreateArray();
    const cJSON *e;
    for (int pass = 0; pass < 2; pass++) {
        bool is_principal = pass == 1;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(c->input,
                                                              is_principal ? "principals" : "resourceArns")) {
            assoc *a = ram__find_assoc(s, e->valuestring, is_principal);
            if (!a) {
                cJSON_Delete(out);
                api_error_set(&c->err, "UnknownResourceException",
                              "%s is not associated with resource share %s.", e->valuestring, s->arn);
                return false;
            }
            /* Access ends now; the association reports DISASSOCIATING until it settles. */
            set_status(c->w, a, AS_DISASSOCIATING);
            ram__settle_later(c->w, s, a->entity, is_principal, TO_DISASSOCIATED);
            cJSON_AddItemToArray(out, assoc_json(c->w, s, a));
        }
    }
    api_resource(c, s->arn, s->owner, "AWS::RAM::ResourceShare");
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "resourceShareAssociations", out);
    return true;
}

static bool get_resource_share_associations(api_call *c)
{
    if (!ram__authorize(c, "GetResourceShareAssociations", "*", NULL))
        return false;
    bool is_principal = g_strcmp0(api_str(c->input, "associationType"), "PRINCIPAL") == 0;
    const char *res = api_str(c->input, "resourceArn");
    const char *pr = api_str(c->input, "principal");
    const char *status = api_str(c->input, "associationStatus");
    if ((is_principal && res) || (!is_principal && pr)) {
        api_error_set(&c->err, "InvalidParameterException",
                      "resourceArn goes with associationType RESOURCE, principal with PRINCIPAL.");
        return false;
    }
    const cJSON *arns = cJSON_GetObjectItemCaseSensitive(c->input, "resourceShareArns");
    GPtrArray *items = g_ptr_array_new();
    g_autoptr(GPtrArray) mine = viewable(c, true);
    for (guint i = 0; i < mine->len; i++) {
        const share *s = mine->pdata[i];
        if (!in_list(arns, s->arn))
            continue;
        GPtrArray *list = is_principal ? s->principals : s->resources;
        for (guint k = 0; k < list->len; k++) {
            const assoc *a = list->pdata[k];
            if ((res && strcmp(res, a->entity) != 0) || (pr && strcmp(pr, a->entity) != 0) ||
                (status && strcmp(status, assoc_status_names[a->status]) != 0))
                continue;
            g_ptr_array_add(items, assoc_json(c->w, s, a));
        }
    }
    return page(c, items, "resourceShareAssociations");
}

static bool get_resource_share_invitations(api_call *c)
{
    if (!ram__authorize(c, "GetResourceShareInvitations", "*", NULL))
        return false;
    const cJSON *arns = cJSON_GetObjectItemCaseSensitive(c->input, "resourceShareInvitationArns");
    const cJSON *shares = cJSON_GetObjectItemCaseSensitive(c->input, "resourceShareArns");
    GPtrArray *items = g_ptr_array_new();
    GPtrArray *received = g_hash_table_lookup(ram__state(c->w)->inv_by_receiver, c->caller->account);
    for (guint i = 0; received && i < received->len; i++) {
        const invitation *v = received->pdata[i];
        if (strcmp(v->receiver, c->caller->account) != 0 || !in_list(arns, v->arn) ||
            !in_list(shares, v->share_arn))
            continue;
        g_ptr_array_add(items, invitation_json(c->w, v));
    }
    if (arns && items->len == 0) {
        g_ptr_array_unref(items);
        api_error_set(&c->err, "ResourceShareInvitationArnNotFoundException",
                      "The invitation ARN could not be found.");
        return false;
    }
    return page(c, items, "resourceShareInvitations");
}

static bool answer(api_call *c, bool accept)
{
    const char *arn = api_str(c->input, "resourceShareInvitationArn");
    if (!g_str_has_prefix(arn, "arn:aws:ram:")) {
        api_error_set(&c->err, "MalformedArnException", "The ARN %s is not valid.", arn);
        return false;
    }
    if (!ram__authorize(c, accept ? "AcceptResourceShareInvitation" : "RejectResourceShareInvitation",
                   arn, NULL))
        return false;
    invitation *v = find_invitation(c->w, arn);
    if (!v || strcmp(v->receiver, c->caller->account) != 0) {
        api_error_set(&c->err, "ResourceShareInvitationArnNotFoundException",
                      "The invitation %s could not be found.", arn);
        return false;
    }
    if (v->status == INV_ACCEPTED) {
        api_error_set(&c->err, "ResourceShareInvitationAlreadyAcceptedException",
                      "The invitation %s has already been accepted.", arn);
        return false;
    }
    if (v->status == INV_REJECTED) {
        api_error_set(&c->err, "ResourceShareInvitationAlreadyRejectedException",
                      "The invitation %s has already been rejected.", arn);
        return false;
    }
    if (v->status == INV_EXPIRED) {
        api_error_set(&c->err, "ResourceShareInvitationExpiredException",
                      "The invitation %s has expired.", arn);
        return false;
    }
    inv_set_status(c->w, v, accept ? INV_ACCEPTED : INV_REJECTED);
    if (v->expiry)
        world_cancel(c->w, v->expiry);
    v->expiry = 0;
    share *s = find_share(c->w, v->share_arn);
    assoc *a = s ? ram__find_assoc(s, v->receiver_arn ? v->receiver_arn : v->receiver, true) : NULL;
    if (a && accept)
        ram__settle_later(c->w, s, a->entity, true, TO_ASSOCIATED);
    else if (a)
        set_status(c->w, a, AS_DISASSOCIATED);
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "resourceShareInvitation", invitation_json(c->w, v));
    return true;
}

static bool accept_invitation(api_call *c) { return answer(c, true); }
static bool reject_invitation(api_call *c) { return answer(c, false); }

static bool list_resources(api_call *c)
{
    if (!ram__authorize(c, "ListResources", "*", NULL))
        return false;
    bool self = g_strcmp0(api_str(c->input, "resourceOwner"), "SELF") == 0;
    const char *type = api_str(c->input, "resourceType");
    const cJSON *arns = cJSON_GetObjectItemCaseSensitive(c->input, "resourceArns");
    const cJSON *shares = cJSON_GetObjectItemCaseSensitive(c->input, "resourceShareArns");
    GPtrArray *items = g_ptr_array_new();
    g_autoptr(GPtrArray) view = viewable(c, self);
    for (guint i = 0; i < view->len; i++) {
        const share *s = view->pdata[i];
        if (!in_view(c, s, self))
            continue;
        if (!in_list(shares, s->arn))
            continue;
        for (guint k = 0; k < s->resources->len; k++) {
            const assoc *a = s->resources->pdata[k];
            if ((type && strcmp(type, a->type) != 0) || !in_list(arns, a->entity))
                continue;
            if (!self && a->status != AS_ASSOCIATED)
                continue;
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "arn", a->entity);
            cJSON_AddStringToObject(o, "type", a->type);
            cJSON_AddStringToObject(o, "resourceShareArn", s->arn);
            cJSON_AddStringToObject(o, "status", a->status == AS_ASSOCIATED ? "AVAILABLE"
                                                                                      : "UNAVAILABLE");
            g_autofree char *t = iso(c->w, a->created);
            cJSON_AddStringToObject(o, "creationTime", t);
            cJSON_AddStringToObject(o, "lastUpdatedTime", t);
            cJSON_AddStringToObject(o, "resourceRegionScope", "REGIONAL");
            g_ptr_array_add(items, o);
        }
    }
    return page(c, items, "resources");
}

static bool list_principals(api_call *c)
{
    if (!ram__authorize(c, "ListPrincipals", "*", NULL))
        return false;
    bool self = g_strcmp0(api_str(c->input, "resourceOwner"), "SELF") == 0;
    GPtrArray *items = g_ptr_array_new();
    g_autoptr(GPtrArray) view = viewable(c, self);
    for (guint i = 0; i < view->len; i++) {
        const share *s = view->pdata[i];
        bool mine = strcmp(s->owner, c->caller->account) == 0;
        if (self && mine) {
            for (guint k = 0; k < s->principals->len; k++) {
                const assoc *a = s->principals->pdata[k];
                cJSON *o = cJSON_CreateObject();
                cJSON_AddStringToObject(o, "id", a->entity);
                cJSON_AddStringToObject(o, "resourceShareArn", s->arn);
                cJSON_AddBoolToObject(o, "external", a->external);
                g_ptr_array_add(items, o);
            }
        } else if (!self && !mine && ram__visible_to(c->w, s, c->caller->account)) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", s->owner);
            cJSON_AddStringToObject(o, "resourceShareArn", s->arn);
            g_ptr_array_add(items, o);
        }
    }
    return page(c, items, "principals");
}

static bool list_permissions(api_call *c)
{
    if (!ram__authorize(c, "ListPermissions", "*", NULL))
        return false;
    const char *type = api_str(c->input, "resourceType");
    const char *ptype = api_str(c->input, "permissionType");
    GPtrArray *items = g_ptr_array_new();
    ram_state *st = ram__state(c->w);
    for (guint i = 0; i < st->perms->len; i++) {
        const perm *p = st->perms->pdata[i];
        if (p->owner && strcmp(p->owner, c->caller->account) != 0)
            continue;
        if ((type && g_ascii_strcasecmp(type, p->type) != 0) ||
            (ptype && strcmp(ptype, "ALL") != 0 && strcmp(ptype, p->ptype) != 0))
            continue;
        g_ptr_array_add(items, ram__perm_summary(c->w, p));
    }
    return page(c, items, "permissions");
}

static bool get_permission(api_call *c)
{
    const char *arn = api_str(c->input, "permissionArn");
    if (!ram__authorize(c, "GetPermission", arn, NULL))
        return false;
    perm *p = ram__find_perm(c->w, arn);
    if (!p || (p->owner && strcmp(p->owner, c->caller->account) != 0)) {
        api_error_set(&c->err, "UnknownResourceException", "Permission %s could not be found.", arn);
        return false;
    }
    c->output = cJSON_CreateObject();
    cJSON *o = ram__perm_summary(c->w, p);
    g_autofree char *t = perm_template(p);
    cJSON_AddStringToObject(o, "permission", t);
    cJSON_AddItemToObject(c->output, "permission", o);
    return true;
}

static bool list_resource_share_permissions(api_call *c)
{
    const char *arn = api_str(c->input, "resourceShareArn");
    share *s = find_share(c->w, arn);
    bool mine = s && strcmp(s->owner, c->caller->account) == 0;
    if (!s || (!mine && !ram__visible_to(c->w, s, c->caller->account))) {
        if (!ram__authorize(c, "ListResourceSharePermissions", arn ? arn : "*", NULL))
            return false;
        api_error_set(&c->err, "UnknownResourceException", "ResourceShare %s could not be found.", arn);
        return false;
    }
    if (!ram__authorize(c, "ListResourceSharePermissions", s->arn, s))
        return false;
    GPtrArray *items = g_ptr_array_new();
    for (guint i = 0; i < s->perms->len; i++) {
        const perm *p = s->perms->pdata[i];
        cJSON *o = ram__perm_summary(c->w, p);
        /* While a promotion runs the share's permission reports it (RAM4). */
        if (s->feature_set == FS_PROMOTING_TO_STANDARD) {
            cJSON_ReplaceItemInObject(o, "featureSet", cJSON_CreateString(feature_set_names[FS_PROMOTING_TO_STANDARD]));
        }
        g_ptr_array_add(items, o);
    }
    return page(c, items, "permissions");
}

static bool associate_resource_share_permission(api_call *c)
{
    share *s = ram__owned_share(c, api_str(c->input, "resourceShareArn"));
    if (!s || !ram__authorize(c, "AssociateResourceSharePermission", s->arn, s))
        return false;
    perm *p = ram__find_perm(c->w, api_str(c->input, "permissionArn"));
    if (!p || (p->owner && strcmp(p->owner, s->owner) != 0)) {
        api_error_set(&c->err, "UnknownResourceException", "Permission %s could not be found.",
                      api_str(c->input, "permissionArn"));
        return false;
    }
    bool replace = api_bool(c->input, "replace", false);
    for (guint i = 0; i < s->perms->len; i++) {
        perm *x = s->perms->pdata[i];
        if (strcmp(x->type, p->type) != 0)
            continue;
        if (!replace && x != p) {
            api_error_set(&c->err, "InvalidParameterException",
                          "A permission for %s is already associated; set replace to true.", p->type);
            return false;
        }
        g_ptr_array_remove_index(s->perms, i);
        break;
    }
    g_ptr_array_add(s->perms, p);
    ram__touch(s);
    api_resource(c, s->arn, s->owner, "AWS::RAM::ResourceShare");
    c->output = cJSON_CreateObject();
    cJSON_AddBoolToObject(c->output, "returnValue", true);
    return true;
}

static bool enable_org_sharing(api_call *c)
{
    if (!ram__authorize(c, "EnableSharingWithAwsOrganization", "*", NULL))
        return false;
    world_org *org = world_org_get(c->w);
    if (!org || strcmp(org->management, c->caller->account) != 0) {
        api_error_set(&c->err, "OperationNotPermittedException",
                      "Only the management account of an organization can enable sharing with "
                      "AWS Organizations.");
        return false;
    }
    org->ram_sharing = true;
    changed(c->w);
    c->output = cJSON_CreateObject();
    cJSON_AddBoolToObject(c->output, "returnValue", true);
    return true;
}

static bool tag_resource(api_call *c)
{
    share *s = ram__owned_share(c, api_str(c->input, "resourceShareArn"));
    if (!s || !ram__authorize(c, "TagResource", s->arn, s))
        return false;
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(c->input, "tags");
    if (!tags_valid(c, tags))
        return false;
    if ((guint)cJSON_GetArraySize(tags) + s->tags->len > 50) {
        api_error_set(&c->err, "TagLimitExceededException", "A resource share can have 50 tags.");
        return false;
    }
    add_tags(s, tags);
    c->output = cJSON_CreateObject();
    return true;
}

static bool untag_resource(api_call *c)
{
    share *s = ram__owned_share(c, api_str(c->input, "resourceShareArn"));
    if (!s || !ram__authorize(c, "UntagResource", s->arn, s))
        return false;
    const cJSON *k;
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(c->input, "tagKeys"))
        world_tags_remove(s->tags, k->valuestring);
    c->output = cJSON_CreateObject();
    return true;
}

static bool list_resource_types(api_call *c)
{
    if (!ram__authorize(c, "ListResourceTypes", "*", NULL))
        return false;
    GPtrArray *items = g_ptr_array_new();
    for (gsize i = 0; i < G_N_ELEMENTS(arn_types); i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "resourceType", arn_types[i].type);
        cJSON_AddStringToObject(o, "serviceName", "sagemaker");
        cJSON_AddStringToObject(o, "resourceRegionScope", "REGIONAL");
        g_ptr_array_add(items, o);
    }
    return page(c, items, "resourceTypes");
}

static const api_op ops[] = {
    { "ram:CreateResourceShare", create_resource_share, false, API_TO_CALLER },
    { "ram:GetResourceShares", get_resource_shares, true, API_TO_CALLER },
    { "ram:UpdateResourceShare", update_resource_share, false, API_TO_CALLER },
    { "ram:DeleteResourceShare", delete_resource_share, false, API_TO_CALLER },
    { "ram:AssociateResourceShare", associate_resource_share, false, API_TO_CALLER },
    { "ram:DisassociateResourceShare", disassociate_resource_share, false, API_TO_CALLER },
    { "ram:GetResourceShareAssociations", get_resource_share_associations, true, API_TO_CALLER },
    { "ram:GetResourceShareInvitations", get_resource_share_invitations, true, API_TO_CALLER },
    { "ram:AcceptResourceShareInvitation", accept_invitation, false, API_TO_CALLER },
    { "ram:RejectResourceShareInvitation", reject_invitation, false, API_TO_CALLER },
    { "ram:ListResources", list_resources, true, API_TO_CALLER },
    { "ram:ListPrincipals", list_principals, true, API_TO_CALLER },
    { "ram:ListPermissions", list_permissions, true, API_TO_CALLER },
    { "ram:GetPermission", get_permission, true, API_TO_CALLER },
    { "ram:ListResourceSharePermissions", list_resource_share_permissions, true, API_TO_CALLER },
    { "ram:AssociateResourceSharePermission", associate_resource_share_permission, false, API_TO_CALLER },
    { "ram:EnableSharingWithAwsOrganization", enable_org_sharing, false, API_TO_CALLER },
    { "ram:TagResource", tag_resource, false, API_TO_CALLER },
    { "ram:UntagResource", untag_resource, false, API_TO_CALLER },
    { "ram:ListResourceTypes", list_resource_types, true, API_TO_CALLER },
    { "ram:PromotePermissionCreatedFromPolicy", ram__promote_permission, false, API_TO_CALLER },
    { "ram:PromoteResourceShareCreatedFromPolicy", ram__promote_share, false, API_TO_CALLER },
    { NULL, NULL, false, API_TO_CALLER },
};

static const char *const happenings[] = { "ram:invitation", NULL };

const api_service api_service_ram = {
    .name = "ram", .prefix = "ram", .event_source = "ram.amazonaws.com",
    .endpoint = "ram.%s.amazonaws.com", .ops = ops,
    .happenings = happenings,
};
