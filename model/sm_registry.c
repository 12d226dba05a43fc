/* model/sm_registry.c: the SageMaker model registry across accounts (SPEC
 * MPG1-MPG8), and the deploy path of a registered version (models, endpoint
 * configurations, endpoints).
 *
 * Owns every model package group, model package, model, endpoint
 * configuration and endpoint of the world (the service state slot
 * "sagemaker-registry").  A group belongs to the account that creates it; a
 * version registered into it belongs to the group's account whoever
 * registers it (MPG8), numbered 1, 2, ... in the group.
 *
 * Two questions, kept apart as AWS keeps them (MPG1):
 * - accessible: every call on a group or its versions is authorised by the
 *   IAM engine with the group's resource policy (PutModelPackageGroupPolicy)
 *   and the policies RAM holds for the group (shares made in RAM) as resource
 *   policies.  The attached policy counts as soon as it is put, promoted or
 *   not, and stops counting for an account the owner removes from the share
 *   RAM made of it, or for everyone once that share is deleted (MPG7,
 *   ram_policy_share_state).
 * - discoverable: ListModelPackageGroups with CrossAccountFilterOption
 *   CrossAccount lists the groups of other accounts that RAM makes visible to
 *   the caller's account (ram_discoverable): a STANDARD share, made in RAM
 *   with a managed permission (MPG6) or promoted (MPG3), whose invitation the
 *   account accepted (MPG5).  A policy RAM cannot promote (MPG4) leaves the
 *   group accessible and never discoverable.
 *
 * Another account's group or version is reached by ARN only; a name is always
 * read in the caller's own account.  Calls on another account's group are
 * recorded in the owner's log too (API_TO_CALLER_AND_OWNER), as for model
 * cards.  Listings are sorted, never in hash order. */
#include <string.h>

#include "model/api.h"
#include "model/world_int.h"
#include "model/api_aux.h"
#include "model/service.h"
#include "model/ram.h"
#include "model/sm_common.h"

#define REG_SLOT "sagemaker-registry"
#define GROUP_TYPE "AWS::SageMaker::ModelPackageGroup"
#define PACKAGE_TYPE "AWS::SageMaker::ModelPackage"
#define ENDPOINT_MEDIAN_S 360.0     /* CreateEndpoint to InService: median, p99 */
#define ENDPOINT_P99_S 900.0
#define ENDPOINT_DELETE_S 60.0

typedef struct group {
    char       *name, *arn, *account, *description;
    char       *policy;              /* ResourcePolicy text, or NULL */
    iam_policy *compiled;            /* of policy */
    int         next_version;
    int64_t     created_us;
    cJSON      *created_by;
} group;

typedef struct package {
    char    *arn, *account;          /* account: the group's (MPG8) */
    char    *name;                   /* unversioned: its name; versioned: NULL */
    char    *group_name, *group_arn; /* versioned only */
    int      version;
    char    *description, *approval, *approval_description;
    cJSON   *inference;              /* InferenceSpecification, or NULL */
    cJSON   *customer_metadata;
    int64_t  created_us, modified_us;
    cJSON   *created_by, *modified_by;
} package;

typedef struct model {
    char    *name, *arn, *account, *role_arn;
    cJSON   *primary, *containers;   /* as given, or NULL */
    int64_t  created_us;
} model;

/* An endpoint's EndpointStatus, and EP_GONE: removed after deletion. */
#define EP_STATUS_MAP(X) X(EP_CREATING, "Creating") X(EP_IN_SERVICE, "InService") \
    X(EP_DELETING, "Deleting") X(EP_GONE, NULL)
typedef enum ep_status { EP_STATUS_MAP(ENUMX_ID) } ep_status;
static const char *const EP_STATUS[] = { EP_STATUS_MAP(ENUMX_NAME) };

typedef struct endpoint_config {
    char    *name, *arn, *account;
    cJSON   *variants;
    int64_t  created_us;
} endpoint_config;

typedef struct endpoint {
    char    *name, *arn, *account, *config_name;
    ep_status status;
    cJSON   *variants;
    int64_t  created_us, modified_us;
    uint64_t timer;
} endpoint;

typedef struct reg_state {
    GHashTable *groups;     /* arn -> group* */
    GHashTable *packages;   /* arn -> package* */
    GHashTable *models, *configs, *endpoints;   /* arn -> ... */
} reg_state;

/* ---- state ------------------------------------------------------------------------------ */

static void group_free(gpointer p)
{
    group *g = p;
    g_free(g->name); g_free(g->arn); g_free(g->account); g_free(g->description);
    g_free(g->policy);
    iam_policy_unref(g->compiled);
    cJSON_Delete(g->created_by);
    g_free(g);
}

static void package_free(gpointer p)
{
    package *k = p;
    g_free(k->arn); g_free(k->account); g_free(k->name);
    g_free(k->group_name); g_free(k->group_arn);
    g_free(k->description); g_free(k->approval); g_free(k->approval_description);
    cJSON_Delete(k->inference);
    cJSON_Delete(k->customer_metadata);
    cJSON_Delete(k->created_by);
    cJSON_Delete(k->modified_by);
    g_free(k);
}

static void model_free(gpointer p)
{
    model *m = p;
    g_free(m->name); g_free(m->arn); g_free(m->account); g_free(m->role_arn);
    cJSON_Delete(m->primary);
    cJSON_Delete(m->containers);
    g_free(m);
}

static void config_free(gpointer p)
{
    endpoint_config *e = p;
    g_free(e->name); g_free(e->arn); g_free(e->account);
    cJSON_Delete(e->variants);
    g_free(e);
}

static void endpoint_free(gpointer p)
{
    endpoint *e = p;
    g_free(e->name); g_free(e->arn); g_free(e->account); g_free(e->config_name);
    cJSON_Delete(e->variants);
    g_free(e);
}

static void state_free(gpointer p)
{
    reg_state *s = p;
    g_hash_table_unref(s->endpoints);
    g_hash_table_unref(s->configs);
    g_hash_table_unref(s->models);
    g_hash_table_unref(s->packages);
    g_hash_table_unref(s->groups);
    g_free(s);
}

static reg_state *state_of(world *w)
{
    reg_state *s = world_service_state(w, REG_SLOT);
    if (!s) {
        s = g_new0(reg_state, 1);
        s->groups = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, group_free);
        s->packages = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, package_free);
        s->models = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, model_free);
        s->configs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, config_free);
        s->endpoints = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, endpoint_free);
        world_set_service_state(w, REG_SLOT, s, state_free);
    }
    return s;
}

/* ---- references -------------------------------------------------------------------------- */

static char *arn_for(world *w, const char *account, const char *kind, const char *name)
{
    return g_strdup_printf("arn:aws:sagemaker:%s:%s:%s/%s", world_region(w), account, kind, name);
}

/* The group a ModelPackageGroupName member names: a name in the caller's own
 * account, or an ARN in any account.  Sets *arn and *owner (owned) whether or
 * not the group exists, so authorisation can come first. */
static bool group_ref(api_call *c, const char *ref, char **arn, char **owner)
{
    if (ref && g_str_has_prefix(ref, "arn:")) {
        const char *tail = strstr(ref, ":model-package-group/");
        char *acct = api_arn_account(ref);
        if (!tail || !acct || strchr(tail + strlen(":model-package-group/"), '/')) {
            g_free(acct);
            api_error_set(&c->err, "ValidationException",
                          "%s is not a valid model package group ARN.", ref);
            return false;
        }
        *arn = g_strdup(ref);
        *owner = acct;
        return true;
    }
    *owner = g_strdup(c->caller->account);
    *arn = arn_for(c->w, c->caller->account, "model-package-group", ref);
    return true;
}

static const char *tail_of(const char *arn, const char *marker)
{
    const char *t = strstr(arn, marker);
    return t ? t + strlen(marker) : arn;
}

static group *group_get(world *w, const char *arn)
{
    return g_hash_table_lookup(state_of(w)->groups, arn);
}

static bool group_missing(api_call *c, const char *arn)
{
    api_error_set(&c->err, "ValidationException", "ModelPackageGroup %s does not exist.",
                  tail_of(arn, ":model-package-group/"));
    return false;
}

/* The group's attached policy as it stands for account: NULL when there is
 * none, when RAM deleted the share made of it (the policy goes with it), or
 * when the owner removed account from that share (MPG7). */
static iam_policy *attached_policy(world *w, group *g, const char *account)
{
    if (!g || !g->compiled)
        return NULL;
    switch (ram_policy_share_state(w, g->arn, account)) {
    case RAM_POLICY_NONE:
        g_clear_pointer(&g->policy, g_free);
        g_clear_pointer(&g->compiled, iam_policy_unref);
        return NULL;
    case RAM_POLICY_REVOKED:
        return NULL;
    case RAM_POLICY_LIVE:
        break;
    }
    return g->compiled;
}

/* Authorises action on resource (the group or one of its versions) with the
 * group's resource policies (MPG1: accessibility). */
static bool authorize_group_ctx(api_call *c, const char *action, const char *resource,
                                const char *group_arn, const char *owner, group *g,
                                const iam_ctx *x)
{
    GPtrArray *pol = ram_resource_policies(c->w, group_arn, c->caller);
    g_autoptr(GPtrArray) all = g_ptr_array_new();
    for (guint i = 0; i < pol->len; i++)
        g_ptr_array_add(all, pol->pdata[i]);
    iam_policy *own = attached_policy(c->w, g, c->caller->account);
    if (own)
        g_ptr_array_add(all, own);
    bool ok = api_authorize(c, action, resource, owner, all, API_RES_OPTIONAL, x);
    g_ptr_array_unref(pol);
    return ok;
}

static bool authorize_group(api_call *c, const char *action, const char *resource,
                            const char *group_arn, const char *owner, group *g)
{
    return authorize_group_ctx(c, action, resource, group_arn, owner, g, NULL);
}

static void tags_context(const api_call *c, iam_ctx *x)
{
    api_ctx_request_tags(x, cJSON_GetObjectItemCaseSensitive(c->input, "Tags"), "Key", "Value");
}

/* Authorises a create in the caller's own account (identity policies only). */
static bool authorize_create(api_call *c, const char *action, const char *arn, const char *type)
{
    api_resource(c, arn, c->caller->account, type);
    g_autoptr(iam_ctx) x = iam_ctx_new();
    tags_context(c, x);
    return api_authorize(c, action, arn, c->caller->account, NULL, API_RES_OPTIONAL, x);
}

/* ---- model package groups --------------------------------------------------------------- */

static bool create_group(api_call *c)
{
    const char *name = api_str(c->input, "ModelPackageGroupName");
    g_autofree char *arn = arn_for(c->w, c->caller->account, "model-package-group", name);
    if (!authorize_create(c, "sagemaker:CreateModelPackageGroup", arn, GROUP_TYPE))
        return false;
    if (group_get(c->w, arn)) {
        api_error_set(&c->err, "ValidationException", "Model Package Group already exists: %s",
                      arn);
        return false;
    }
    group *g = g_new0(group, 1);
    g->name = g_strdup(name);
    g->arn = g_strdup(arn);
    g->account = g_strdup(c->caller->account);
    g->description = g_strdup(api_str(c->input, "ModelPackageGroupDescription"));
    g->next_version = 1;
    g->created_us = c->now;
    g->created_by = sm_user_context(c->caller);
    g_hash_table_insert(state_of(c->w)->groups, g->arn, g);
    world_resource_add(c->w, g->arn, g->account, "sagemaker:ModelPackageGroup");
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "ModelPackageGroupArn", g->arn);
    return true;
}

/* Resolves, records and authorises a call on a group; *out is the group. */
static bool on_group(api_call *c, const char *action, group **out)
{
    g_autofree char *arn = NULL, *owner = NULL;
    if (!group_ref(c, api_str(c->input, "ModelPackageGroupName"), &arn, &owner))
        return false;
    api_resource(c, arn, owner, GROUP_TYPE);
    group *g = group_get(c->w, arn);
    if (!authorize_group(c, action, arn, arn, owner, g))
        return false;
    if (!g)
        return group_missing(c, arn);
    *out = g;
    return true;
}

static cJSON *group_summary(const api_call *c, const group *g)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ModelPackageGroupName", g->name);
    cJSON_AddStringToObject(o, "ModelPackageGroupArn", g->arn);
    if (g->description)
        cJSON_AddStringToObject(o, "ModelPackageGroupDescription", g->description);
    api_add_time(c->w, o, "CreationTime", g->created_us);
    cJSON_AddStringToObject(o, "ModelPackageGroupStatus", "Completed");
    return o;
}

static bool describe_group(api_call *c)
{
    group *g;
    if (!on_group(c, "sagemaker:DescribeModelPackageGroup", &g))
        return false;
    c->output = group_summary(c, g);
    cJSON_AddItemToObject(c->output, "CreatedBy", cJSON_Duplicate(g->created_by, 1));
    return true;
}

static gint cmp_group_time(gconstpointer a, gconstpointer b)
{
    const group *x = *(group *const *)a, *y = *(group *const *)b;
    if (x->created_us != y->created_us)
        return x->created_us < y->created_us ? -1 : 1;
    return strcmp(x->arn, y->arn);
}

static gint cmp_group_name(gconstpointer a, gconstpointer b)
{
    const group *x = *(group *const *)a, *y = *(group *const *)b;
    int r = strcmp(x->name, y->name);
    return r ? r : strcmp(x->arn, y->arn);
}

/* SameAccount lists the caller's groups; CrossAccount the groups other
 * accounts made discoverable to it (MPG1, MPG3, MPG5, MPG6). */
static bool list_groups(api_call *c)
{
    if (!api_authorize(c, "sagemaker:ListModelPackageGroups", "*", NULL, NULL, API_RES_OPTIONAL,
                       NULL))
        return false;
    bool cross = g_strcmp0(api_str(c->input, "CrossAccountFilterOption"), "CrossAccount") == 0;
    const char *contains = api_str(c->input, "NameContains");
    bool by_name = g_strcmp0(api_str(c->input, "SortBy"), "Name") == 0;
    g_autoptr(GPtrArray) all = sm_sorted_values(state_of(c->w)->groups,
                                             by_name ? cmp_group_name : cmp_group_time);
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    for (guint i = 0; i < all->len; i++) {
        group *g = all->pdata[i];
        bool mine = strcmp(g->account, c->caller->account) == 0;
        if (cross ? (mine || !ram_discoverable(c->w, g->arn, c->caller->account)) : !mine)
            continue;
        if ((contains && !strstr(g->name, contains)) || !sm_time_filter(c, g->created_us))
            continue;
        g_ptr_array_add(rows, g);
    }
    guint first, count;
    if (!sm_order_page(c, rows, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "ModelPackageGroupSummaryList");
    for (guint i = first; i < first + count; i++)
        cJSON_AddItemToArray(list, group_summary(c, rows->pdata[i]));
    sm_page_token(c, first, count, rows->len);
    return true;
}

static guint versions_in(world *w, const char *group_arn)
{
    guint n = 0;
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, state_of(w)->packages);
    while (g_hash_table_iter_next(&it, NULL, &v))
        n += g_strcmp0(((package *)v)->group_arn, group_arn) == 0;
    return n;
}

static bool delete_group(api_call *c)
{
    group *g;
    if (!on_group(c, "sagemaker:DeleteModelPackageGroup", &g))
        return false;
    if (versions_in(c->w, g->arn)) {
        api_error_set(&c->err, "ConflictException",
                      "Model Package Group %s cannot be deleted: it still has model package "
                      "versions. Delete them first.", g->name);
        return false;
    }
    if (g->policy)
        ram_policy_share_sync(c->w, g->arn, g->account, NULL);
    world_resource_remove(c->w, g->arn);
    g_hash_table_remove(state_of(c->w)->groups, g->arn);
    c->output = cJSON_CreateObject();
    return true;
}

/* A resource policy names its principals in every statement. */
static bool policy_has_principals(const cJSON *doc)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "Statement"), *s;
    if (cJSON_IsObject(st))
        return cJSON_GetObjectItemCaseSensitive(st, "Principal") ||
               cJSON_GetObjectItemCaseSensitive(st, "NotPrincipal");
    cJSON_ArrayForEach(s, st)
        if (!cJSON_GetObjectItemCaseSensitive(s, "Principal") &&
            !cJSON_GetObjectItemCaseSensitive(s, "NotPrincipal"))
            return false;
    return true;
}

/* MPG2: the policy is attached, and RAM makes a CREATED_FROM_POLICY share. */
static bool put_group_policy(api_call *c)
{
    group *g;
    if (!on_group(c, "sagemaker:PutModelPackageGroupPolicy", &g))
        return false;
    const char *text = api_str(c->input, "ResourcePolicy");
    g_autoptr(cJSON) doc = cJSON_Parse(text);
    GError *e = NULL;
    iam_policy *p = doc ? iam_policy_compile(doc, &e) : NULL;
    if (!p || !policy_has_principals(doc)) {
        api_error_set(&c->err, "ValidationException", "The resource policy is not valid: %s",
                      !doc ? "it is not JSON."
                           : e ? e->message : "every statement must name a Principal.");
        if (e)
            g_error_free(e);
        iam_policy_unref(p);
        return false;
    }
    g_autofree char *label = g_strdup_printf("model package group %s resource policy", g->name);
    iam_policy_set_name(p, label);
    g_free(g->policy);
    g->policy = g_strdup(text);
    iam_policy_unref(g->compiled);
    g->compiled = p;
    ram_policy_share_sync(c->w, g->arn, g->account, doc);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "ModelPackageGroupArn", g->arn);
    return true;
}

static bool get_group_policy(api_call *c)
{
    group *g;
    if (!on_group(c, "sagemaker:GetModelPackageGroupPolicy", &g))
        return false;
    attached_policy(c->w, g, NULL);    /* drops a policy whose share RAM deleted */
    if (!g->policy) {
        api_error_set(&c->err, "ValidationException",
                      "Cannot find resource policy for ModelPackageGroup %s.", g->name);
        return false;
    }
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "ResourcePolicy", g->policy);
    return true;
}

static bool delete_group_policy(api_call *c)
{
    group *g;
    if (!on_group(c, "sagemaker:DeleteModelPackageGroupPolicy", &g))
        return false;
    attached_policy(c->w, g, NULL);
    if (!g->policy) {
        api_error_set(&c->err, "ValidationException",
                      "Cannot find resource policy for ModelPackageGroup %s.", g->name);
        return false;
    }
    g_clear_pointer(&g->policy, g_free);
    g_clear_pointer(&g->compiled, iam_policy_unref);
    ram_policy_share_sync(c->w, g->arn, g->account, NULL);
    c->output = cJSON_CreateObject();
    return true;
}

/* ---- model packages --------------------------------------------------------------------- */

static package *package_get(world *w, const char *arn)
{
    return g_hash_table_lookup(state_of(w)->packages, arn);
}

static void package_resource(api_call *c, const package *k, const char *arn, const char *owner)
{
    api_resource(c, k ? k->arn : arn, k ? k->account : owner, PACKAGE_TYPE);
}

/* MPG8: a version registered from another account belongs to the group's. */
static bool create_package(api_call *c)
{
    const char *gname = api_str(c->input, "ModelPackageGroupName");
    const char *pname = api_str(c->input, "ModelPackageName");
    if (gname && pname) {
        api_error_set(&c->err, "ValidationException",
                      "Both ModelPackageName and ModelPackageGroupName are provided in the input. "
                      "Cannot determine which one to use.");
        return false;
    }
    if (!gname && !pname) {
        api_error_set(&c->err, "ValidationException", "Missing ARN.");
        return false;
    }
    const char *approval = api_str(c->input, "ModelApprovalStatus");
    package *k = g_new0(package, 1);
    group *g = NULL;
    if (gname) {
        g_autofree char *garn = NULL, *owner = NULL;
        if (!group_ref(c, gname, &garn, &owner)) {
            package_free(k);
            return false;
        }
        api_resource(c, garn, owner, GROUP_TYPE);
        g = group_get(c->w, garn);
        /* The version-to-be, as the group's resource policy names it. */
        k->arn = g_strdup_printf("arn:aws:sagemaker:%s:%s:model-package/%s/%d",
                                 world_region(c->w), owner, tail_of(garn, ":model-package-group/"),
                                 g ? g->next_version : 1);
        g_autoptr(iam_ctx) x = iam_ctx_new();
        tags_context(c, x);
        bool ok = authorize_group_ctx(c, "sagemaker:CreateModelPackage", k->arn, garn, owner, g, x);
        if (!ok || !g) {
            package_free(k);
            return ok ? group_missing(c, garn) : false;
        }
        k->account = g_strdup(g->account);
        k->group_name = g_strdup(g->name);
        k->group_arn = g_strdup(g->arn);
        k->version = g->next_version++;
        k->approval = g_strdup(approval ? approval : "PendingManualApproval");
    } else {
        k->arn = arn_for(c->w, c->caller->account, "model-package", pname);
        if (!authorize_create(c, "sagemaker:CreateModelPackage", k->arn, PACKAGE_TYPE)) {
            package_free(k);
            return false;
        }
        if (package_get(c->w, k->arn)) {
            api_error_set(&c->err, "ValidationException", "Model Package already exists: %s",
                          k->arn);
            package_free(k);
            return false;
        }
        k->account = g_strdup(c->caller->account);
        k->name = g_strdup(pname);
        k->approval = g_strdup(approval);
    }
    package_resource(c, k, NULL, NULL);
    k->description = g_strdup(api_str(c->input, "ModelPackageDescription"));
    const cJSON *inf = cJSON_GetObjectItemCaseSensitive(c->input, "InferenceSpecification");
    k->inference = inf ? cJSON_Duplicate(inf, 1) : NULL;
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(c->input, "CustomerMetadataProperties");
    k->customer_metadata = meta ? cJSON_Duplicate(meta, 1) : NULL;
    k->created_us = k->modified_us = c->now;
    k->created_by = sm_user_context(c->caller);
    k->modified_by = sm_user_context(c->caller);
    g_hash_table_insert(state_of(c->w)->packages, k->arn, k);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "ModelPackageArn", k->arn);
    return true;
}

/* The package a ModelPackageName / ModelPackageArn member names. */
static bool package_ref(api_call *c, const char *ref, char **arn, char **owner)
{
    if (g_str_has_prefix(ref, "arn:")) {
        char *acct = api_arn_account(ref);
        if (!acct || !strstr(ref, ":model-package/")) {
            g_free(acct);
            api_error_set(&c->err, "ValidationException", "%s is not a valid model package ARN.",
                          ref);
            return false;
        }
        *arn = g_strdup(ref);
        *owner = acct;
        return true;
    }
    *owner = g_strdup(c->caller->account);
    *arn = arn_for(c->w, c->caller->account, "model-package", ref);
    return true;
}

/* A version's group ARN: from the package, or from its ARN when it is gone;
 * NULL for an unversioned package. */
static char *group_of_package(api_call *c, const package *k, const char *arn, const char *owner)
{
    if (k)
        return g_strdup(k->group_arn);
    const char *t = tail_of(arn, ":model-package/");
    const char *slash = strchr(t, '/');
    if (!slash)
        return NULL;
    g_autofree char *gname = g_strndup(t, (gsize)(slash - t));
    return arn_for(c->w, owner, "model-package-group", gname);
}

/* Resolves, records and authorises a call on a package of the input's member. */
static bool on_package(api_call *c, const char *member, const char *action, package **out)
{
    g_autofree char *arn = NULL, *owner = NULL;
    if (!package_ref(c, api_str(c->input, member), &arn, &owner))
        return false;
    package *k = package_get(c->w, arn);
    package_resource(c, k, arn, owner);
    g_autofree char *garn = group_of_package(c, k, arn, owner);
    if (!authorize_group(c, action, arn, garn ? garn : arn, owner,
                         garn ? group_get(c->w, garn) : NULL))
        return false;
    if (!k) {
        api_error_set(&c->err, "ValidationException", "ModelPackage %s does not exist.", arn);
        return false;
    }
    *out = k;
    return true;
}

static cJSON *package_summary(const api_call *c, const package *k)
{
    cJSON *o = cJSON_CreateObject();
    if (k->name)
        cJSON_AddStringToObject(o, "ModelPackageName", k->name);
    if (k->group_name) {
        cJSON_AddStringToObject(o, "ModelPackageGroupName", k->group_name);
        cJSON_AddNumberToObject(o, "ModelPackageVersion", k->version);
    }
    cJSON_AddStringToObject(o, "ModelPackageArn", k->arn);
    if (k->description)
        cJSON_AddStringToObject(o, "ModelPackageDescription", k->description);
    api_add_time(c->w, o, "CreationTime", k->created_us);
    cJSON_AddStringToObject(o, "ModelPackageStatus", "Completed");
    if (k->approval)
        cJSON_AddStringToObject(o, "ModelApprovalStatus", k->approval);
    return o;
}

static bool describe_package(api_call *c)
{
    package *k;
    if (!on_package(c, "ModelPackageName", "sagemaker:DescribeModelPackage", &k))
        return false;
    c->output = package_summary(c, k);
    if (!k->name)     /* a version is named after its group */
        cJSON_AddStringToObject(c->output, "ModelPackageName", k->group_name);
    if (k->inference)
        cJSON_AddItemToObject(c->output, "InferenceSpecification", cJSON_Duplicate(k->inference, 1));
    cJSON *st = cJSON_AddObjectToObject(c->output, "ModelPackageStatusDetails");
    cJSON_AddArrayToObject(st, "ValidationStatuses");
    cJSON_AddBoolToObject(c->output, "CertifyForMarketplace", false);
    cJSON_AddItemToObject(c->output, "CreatedBy", cJSON_Duplicate(k->created_by, 1));
    api_add_time(c->w, c->output, "LastModifiedTime", k->modified_us);
    cJSON_AddItemToObject(c->output, "LastModifiedBy", cJSON_Duplicate(k->modified_by, 1));
    if (k->approval_description)
        cJSON_AddStringToObject(c->output, "ApprovalDescription", k->approval_description);
    if (k->customer_metadata)
        cJSON_AddItemToObject(c->output, "CustomerMetadataProperties",
                              cJSON_Duplicate(k->customer_metadata, 1));
    return true;
}

static gint cmp_package_time(gconstpointer a, gconstpointer b)
{
    const package *x = *(package *const *)a, *y = *(package *const *)b;
    if (x->created_us != y->created_us)
        return x->created_us < y->created_us ? -1 : 1;
    return strcmp(x->arn, y->arn);
}

static gint cmp_package_name(gconstpointer a, gconstpointer b)
{
    const package *x = *(package *const *)a, *y = *(package *const *)b;
    int r = strcmp(x->name ? x->name : x->group_name, y->name ? y->name : y->group_name);
    if (r)
        return r;
    return x->version != y->version ? (x->version < y->version ? -1 : 1) : strcmp(x->arn, y->arn);
}

static bool list_packages(api_call *c)
{
    const char *gref = api_str(c->input, "ModelPackageGroupName");
    g_autofree char *garn = NULL, *owner = NULL;
    if (gref) {
        if (!group_ref(c, gref, &garn, &owner))
            return false;
        api_resource(c, garn, owner, GROUP_TYPE);
        group *g = group_get(c->w, garn);
        if (!authorize_group(c, "sagemaker:ListModelPackages", garn, garn, owner, g))
            return false;
        if (!g)
            return group_missing(c, garn);
    } else if (!api_authorize(c, "sagemaker:ListModelPackages", "*", NULL, NULL,
                              API_RES_OPTIONAL, NULL)) {
        return false;
    }
    /* Within a group the versions; else SageMaker's default, Unversioned. */
    const char *type = api_str(c->input, "ModelPackageType");
    if (!type)
        type = gref ? "Versioned" : "Unversioned";
    const char *approval = api_str(c->input, "ModelApprovalStatus");
    const char *contains = api_str(c->input, "NameContains");
    bool by_name = g_strcmp0(api_str(c->input, "SortBy"), "Name") == 0;
    g_autoptr(GPtrArray) all = sm_sorted_values(state_of(c->w)->packages,
                                             by_name ? cmp_package_name : cmp_package_time);
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    for (guint i = 0; i < all->len; i++) {
        package *k = all->pdata[i];
        bool versioned = k->group_arn != NULL;
        if (gref ? g_strcmp0(k->group_arn, garn) != 0 : strcmp(k->account, c->caller->account) != 0)
            continue;
        if ((versioned && strcmp(type, "Unversioned") == 0) ||
            (!versioned && strcmp(type, "Versioned") == 0))
            continue;
        if (approval && g_strcmp0(k->approval, approval) != 0)
            continue;
        if (contains && !strstr(k->name ? k->name : k->group_name, contains))
            continue;
        if (!sm_time_filter(c, k->created_us))
            continue;
        g_ptr_array_add(rows, k);
    }
    guint first, count;
    if (!sm_order_page(c, rows, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "ModelPackageSummaryList");
    for (guint i = first; i < first + count; i++)
        cJSON_AddItemToArray(list, package_summary(c, rows->pdata[i]));
    sm_page_token(c, first, count, rows->len);
    return true;
}

static bool update_package(api_call *c)
{
    package *k;
    if (!on_package(c, "ModelPackageArn", "sagemaker:UpdateModelPackage", &k))
        return false;
    const char *approval = api_str(c->input, "ModelApprovalStatus");
    if (approval) {
        if (!k->group_arn) {
            api_error_set(&c->err, "ValidationException",
                          "ModelApprovalStatus can only be set on a versioned model package.");
            return false;
        }
        g_free(k->approval);
        k->approval = g_strdup(approval);
    }
    const char *desc = api_str(c->input, "ApprovalDescription");
    if (desc) {
        g_free(k->approval_description);
        k->approval_description = g_strdup(desc);
    }
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(c->input, "CustomerMetadataProperties");
    if (meta) {
        if (!k->customer_metadata)
            k->customer_metadata = cJSON_CreateObject();
        const cJSON *m;
        cJSON_ArrayForEach(m, meta) {
            cJSON_DeleteItemFromObjectCaseSensitive(k->customer_metadata, m->string);
            cJSON_AddItemToObject(k->customer_metadata, m->string, cJSON_Duplicate(m, 1));
        }
    }
    k->modified_us = c->now;
    cJSON_Delete(k->modified_by);
    k->modified_by = sm_user_context(c->caller);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "ModelPackageArn", k->arn);
    return true;
}

static bool delete_package(api_call *c)
{
    package *k;
    if (!on_package(c, "ModelPackageName", "sagemaker:DeleteModelPackage", &k))
        return false;
    g_hash_table_remove(state_of(c->w)->packages, k->arn);
    c->output = cJSON_CreateObject();
    return true;
}

/* ---- models, endpoint configurations, endpoints ----------------------------------------- */

/* SageMaker writes these names lower-case in ARNs. */
static char *lower_arn(world *w, const char *account, const char *kind, const char *name)
{
    g_autofree char *low = g_ascii_strdown(name, -1);
    return arn_for(w, account, kind, low);
}

/* A container that deploys a registered version: the version must exist, be
 * Approved, and (from another account) its group must allow the caller
 * sagemaker:CreateModel on it (MPG8, the AllowDeploy permission). */
static bool deployable(api_call *c, const cJSON *container)
{
    const char *ref = api_str(container, "ModelPackageName");
    if (!ref)
        return true;
    g_autofree char *arn = NULL, *owner = NULL;
    if (!package_ref(c, ref, &arn, &owner))
        return false;
    package *k = package_get(c->w, arn);
    package_resource(c, k, arn, owner);
    if (strcmp(owner, c->caller->account) != 0) {
        g_autofree char *garn = group_of_package(c, k, arn, owner);
        if (!authorize_group(c, "sagemaker:CreateModel", arn, garn ? garn : arn, owner,
                             garn ? group_get(c->w, garn) : NULL))
            return false;
    }
    if (!k) {
        api_error_set(&c->err, "ValidationException", "ModelPackage %s does not exist.", arn);
        return false;
    }
    if (k->group_arn && g_strcmp0(k->approval, "Approved") != 0) {
        api_error_set(&c->err, "ValidationException",
                      "Model package %s cannot be deployed: its ModelApprovalStatus is %s, "
                      "not Approved.", k->arn, k->approval);
        return false;
    }
    return true;
}

static bool create_model(api_call *c)
{
    const char *name = api_str(c->input, "ModelName");
    g_autofree char *arn = lower_arn(c->w, c->caller->account, "model", name);
    if (!authorize_create(c, "sagemaker:CreateModel", arn, "AWS::SageMaker::Model"))
        return false;
    const cJSON *primary = cJSON_GetObjectItemCaseSensitive(c->input, "PrimaryContainer");
    const cJSON *containers = cJSON_GetObjectItemCaseSensitive(c->input, "Containers"), *e;
    if (!primary && !cJSON_GetArraySize(containers)) {
        api_error_set(&c->err, "ValidationException",
                      "Either PrimaryContainer or Containers must be specified.");
        return false;
    }
    const char *role = api_str(c->input, "ExecutionRoleArn");
    if (role && !sm_pass_role(c, role))
        return false;
    if (primary && !deployable(c, primary))
        return false;
    cJSON_ArrayForEach(e, containers)
        if (!deployable(c, e))
            return false;
    reg_state *s = state_of(c->w);
    if (g_hash_table_lookup(s->models, arn)) {
        api_error_set(&c->err, "ValidationException", "Cannot create already existing model \"%s\".",
                      arn);
        return false;
    }
    model *m = g_new0(model, 1);
    m->name = g_strdup(name);
    m->arn = g_strdup(arn);
    m->account = g_strdup(c->caller->account);
    m->role_arn = g_strdup(role);
    m->primary = primary ? cJSON_Duplicate(primary, 1) : NULL;
    m->containers = containers ? cJSON_Duplicate(containers, 1) : NULL;
    m->created_us = c->now;
    g_hash_table_insert(s->models, m->arn, m);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "ModelArn", m->arn);
    return true;
}

/* Looks up a model, configuration or endpoint of the caller's account by
 * name, after authorising action on it. */
static void *own_get(api_call *c, GHashTable *t, const char *member, const char *kind,
                     const char *type, const char *action, const char *what)
{
    const char *name = api_str(c->input, member);
    g_autofree char *arn = lower_arn(c->w, c->caller->account, kind, name);
    api_resource(c, arn, c->caller->account, type);
    if (!api_authorize(c, action, arn, c->caller->account, NULL, API_RES_OPTIONAL, NULL))
        return NULL;
    void *v = g_hash_table_lookup(t, arn);
    if (!v)
        api_error_set(&c->err, "ValidationException", "Could not find %s \"%s\".", what, arn);
    return v;
}

static bool describe_model(api_call *c)
{
    model *m = own_get(c, state_of(c->w)->models, "ModelName", "model", "AWS::SageMaker::Model",
                       "sagemaker:DescribeModel", "model");
    if (!m)
        return false;
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "ModelName", m->name);
    if (m->primary)
        cJSON_AddItemToObject(c->output, "PrimaryContainer", cJSON_Duplicate(m->primary, 1));
    if (m->containers)
        cJSON_AddItemToObject(c->output, "Containers", cJSON_Duplicate(m->containers, 1));
    if (m->role_arn)
        cJSON_AddStringToObject(c->output, "ExecutionRoleArn", m->role_arn);
    api_add_time(c->w, c->output, "CreationTime", m->created_us);
    cJSON_AddStringToObject(c->output, "ModelArn", m->arn);
    return true;
}

static bool delete_model(api_call *c)
{
    reg_state *s = state_of(c->w);
    model *m = own_get(c, s->models, "ModelName", "model", "AWS::SageMaker::Model",
                       "sagemaker:DeleteModel", "model");
    if (!m)
        return false;
    g_hash_table_remove(s->models, m->arn);
    c->output = cJSON_CreateObject();
    return true;
}

static bool create_endpoint_config(api_call *c)
{
    const char *name = api_str(c->input, "EndpointConfigName");
    g_autofree char *arn = lower_arn(c->w, c->caller->account, "endpoint-config", name);
    if (!authorize_create(c, "sagemaker:CreateEndpointConfig", arn,
                          "AWS::SageMaker::EndpointConfig"))
        return false;
    reg_state *s = state_of(c->w);
    const cJSON *variants = cJSON_GetObjectItemCaseSensitive(c->input, "ProductionVariants"), *v;
    cJSON_ArrayForEach(v, variants) {
        g_autofree char *marn = lower_arn(c->w, c->caller->account, "model",
                                          api_str(v, "ModelName"));
        if (!g_hash_table_lookup(s->models, marn)) {
            api_error_set(&c->err, "ValidationException", "Could not find model \"%s\".", marn);
            return false;
        }
    }
    if (g_hash_table_lookup(s->configs, arn)) {
        api_error_set(&c->err, "ValidationException",
                      "Cannot create already existing endpoint configuration \"%s\".", arn);
        return false;
    }
    endpoint_config *e = g_new0(endpoint_config, 1);
    e->name = g_strdup(name);
    e->arn = g_strdup(arn);
    e->account = g_strdup(c->caller->account);
    e->variants = cJSON_Duplicate(variants, 1);
    e->created_us = c->now;
    g_hash_table_insert(s->configs, e->arn, e);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "EndpointConfigArn", e->arn);
    return true;
}

static bool describe_endpoint_config(api_call *c)
{
    endpoint_config *e = own_get(c, state_of(c->w)->configs, "EndpointConfigName",
                                 "endpoint-config", "AWS::SageMaker::EndpointConfig",
                                 "sagemaker:DescribeEndpointConfig", "endpoint configuration");
    if (!e)
        return false;
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "EndpointConfigName", e->name);
    cJSON_AddStringToObject(c->output, "EndpointConfigArn", e->arn);
    cJSON_AddItemToObject(c->output, "ProductionVariants", cJSON_Duplicate(e->variants, 1));
    api_add_time(c->w, c->output, "CreationTime", e->created_us);
    return true;
}

typedef struct ep_timer { char *arn; ep_status to; } ep_timer;

static void ep_timer_free(void *p)
{
    ep_timer *t = p;
    g_free(t->arn);
    g_free(t);
}

static void endpoint_fire(world *w, void *data)
{
    ep_timer *t = data;
    reg_state *s = state_of(w);
    endpoint *e = g_hash_table_lookup(s->endpoints, t->arn);
    if (!e)
        return;
    e->timer = 0;
    if (t->to == EP_GONE) {
        g_hash_table_remove(s->endpoints, t->arn);
        return;
    }
    e->status = t->to;
    e->modified_us = world_now(w);
}

static void endpoint_later(api_call *c, endpoint *e, double secs, ep_status to)
{
    ep_timer *t = g_new0(ep_timer, 1);
    t->arn = g_strdup(e->arn);
    t->to = to;
    if (e->timer)
        world_cancel(c->w, e->timer);
    e->timer = world_schedule(c->w, c->now + (int64_t)(secs * 1e6), endpoint_fire, t,
                              ep_timer_free);
}

/* The endpoint is Creating, then InService after a drawn time. */
static bool create_endpoint(api_call *c)
{
    const char *name = api_str(c->input, "EndpointName");
    g_autofree char *arn = lower_arn(c->w, c->caller->account, "endpoint", name);
    if (!authorize_create(c, "sagemaker:CreateEndpoint", arn, "AWS::SageMaker::Endpoint"))
        return false;
    reg_state *s = state_of(c->w);
    const char *cname = api_str(c->input, "EndpointConfigName");
    g_autofree char *carn = lower_arn(c->w, c->caller->account, "endpoint-config", cname);
    endpoint_config *cfg = g_hash_table_lookup(s->configs, carn);
    if (!cfg) {
        api_error_set(&c->err, "ValidationException",
                      "Could not find endpoint configuration \"%s\".", carn);
        return false;
    }
    if (g_hash_table_lookup(s->endpoints, arn)) {
        api_error_set(&c->err, "ValidationException",
                      "Cannot create already existing endpoint \"%s\".", arn);
        return false;
    }
    endpoint *e = g_new0(endpoint, 1);
    e->name = g_strdup(name);
    e->arn = g_strdup(arn);
    e->account = g_strdup(c->caller->account);
    e->config_name = g_strdup(cname);
    e->status = EP_CREATING;
    e->variants = cJSON_Duplicate(cfg->variants, 1);
    e->created_us = e->modified_us = c->now;
    g_hash_table_insert(s->endpoints, e->arn, e);
    g_autofree char *stream = g_strdup_printf("sagemaker/endpoint/%s", arn);
    endpoint_later(c, e, rng_lognormal(world_rng(c->w, stream), ENDPOINT_MEDIAN_S, ENDPOINT_P99_S),
                   EP_IN_SERVICE);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "EndpointArn", e->arn);
    return true;
}

static bool describe_endpoint(api_call *c)
{
    endpoint *e = own_get(c, state_of(c->w)->endpoints, "EndpointName", "endpoint",
                          "AWS::SageMaker::Endpoint", "sagemaker:DescribeEndpoint", "endpoint");
    if (!e)
        return false;
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "EndpointName", e->name);
    cJSON_AddStringToObject(c->output, "EndpointArn", e->arn);
    cJSON_AddStringToObject(c->output, "EndpointConfigName", e->config_name);
    cJSON *pv = cJSON_AddArrayToObject(c->output, "ProductionVariants");
    const cJSON *v;
    cJSON_ArrayForEach(v, e->variants) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "VariantName", api_str(v, "VariantName"));
        if (e->status == EP_IN_SERVICE) {
            cJSON_AddNumberToObject(o, "CurrentInstanceCount", api_num(v, "InitialInstanceCount", 1));
            cJSON_AddNumberToObject(o, "DesiredInstanceCount", api_num(v, "InitialInstanceCount", 1));
        }
        cJSON_AddItemToArray(pv, o);
    }
    cJSON_AddStringToObject(c->output, "EndpointStatus", EP_STATUS[e->status]);
    api_add_time(c->w, c->output, "CreationTime", e->created_us);
    api_add_time(c->w, c->output, "LastModifiedTime", e->modified_us);
    return true;
}

static bool delete_endpoint(api_call *c)
{
    endpoint *e = own_get(c, state_of(c->w)->endpoints, "EndpointName", "endpoint",
                          "AWS::SageMaker::Endpoint", "sagemaker:DeleteEndpoint", "endpoint");
    if (!e)
        return false;
    e->status = EP_DELETING;
    e->modified_us = c->now;
    endpoint_later(c, e, ENDPOINT_DELETE_S, EP_GONE);
    c->output = cJSON_CreateObject();
    return true;
}


static const api_op ops[] = {
    { "sagemaker:CreateModelPackageGroup", create_group, false, API_TO_CALLER },
    { "sagemaker:DescribeModelPackageGroup", describe_group, true, API_TO_CALLER_AND_OWNER },
    { "sagemaker:ListModelPackageGroups", list_groups, true, API_TO_CALLER },
    { "sagemaker:DeleteModelPackageGroup", delete_group, false, API_TO_CALLER_AND_OWNER },
    { "sagemaker:PutModelPackageGroupPolicy", put_group_policy, false, API_TO_CALLER_AND_OWNER },
    { "sagemaker:GetModelPackageGroupPolicy", get_group_policy, true, API_TO_CALLER_AND_OWNER },
    { "sagemaker:DeleteModelPackageGroupPolicy", delete_group_policy, false,
      API_TO_CALLER_AND_OWNER },
    { "sagemaker:CreateModelPackage", create_package, false, API_TO_CALLER_AND_OWNER },
    { "sagemaker:DescribeModelPackage", describe_package, true, API_TO_CALLER_AND_OWNER },
    { "sagemaker:ListModelPackages", list_packages, true, API_TO_CALLER_AND_OWNER },
    { "sagemaker:UpdateModelPackage", update_package, false, API_TO_CALLER_AND_OWNER },
    { "sagemaker:DeleteModelPackage", delete_package, false, API_TO_CALLER_AND_OWNER },
    { "sagemaker:CreateModel", create_model, false, API_TO_CALLER_AND_OWNER },
    { "sagemaker:DescribeModel", describe_model, true, API_TO_CALLER },
    { "sagemaker:DeleteModel", delete_model, false, API_TO_CALLER },
    { "sagemaker:CreateEndpointConfig", create_endpoint_config, false, API_TO_CALLER },
    { "sagemaker:DescribeEndpointConfig", describe_endpoint_config, true, API_TO_CALLER },
    { "sagemaker:CreateEndpoint", create_endpoint, false, API_TO_CALLER },
    { "sagemaker:DescribeEndpoint", describe_endpoint, true, API_TO_CALLER },
    { "sagemaker:DeleteEndpoint", delete_endpoint, false, API_TO_CALLER },
    { NULL, NULL, false, API_TO_CALLER },
};

/* A model package group, or a version of one (".../model-package/GROUP/N"):
 * the policies RAM holds for the group and the group's own policy, as the
 * caller's account sees them (MPG1). */
static bool resource_policies(world *w, const principal *caller, const char *action,
                              const char *resource, GPtrArray *out, api_resource_mode *mode,
                              char **owner)
{
    (void)action;
    g_autofree char *arn = sm_arn_upto(resource, ":model-package-group/");
    const char *under = resource;
    if (!arn) {
        /* A version's ARN names its group: .../model-package/GROUP/N. */
        g_autofree char *pkg = sm_arn_upto(resource, ":model-package/");
        const char *m = pkg ? strstr(pkg, ":model-package/") : NULL;
        if (m && resource[strlen(pkg)] == '/')
            arn = g_strdup_printf("%.*s:model-package-group/%s", (int)(m - pkg), pkg,
                                  m + strlen(":model-package/"));
        under = arn;
    }
    *mode = API_RES_OPTIONAL;
    if (!sm_explain_shared(w, caller, arn, under, out, owner))
        return false;
    iam_policy *own = attached_policy(w, group_get(w, arn), caller->account);
    if (own)
        g_ptr_array_add(out, own);
    return true;
}

const api_service api_service_sagemaker_registry = {
    .name = "sagemaker-registry", .prefix = "sagemaker", .event_source = "sagemaker.amazonaws.com",
    .endpoint = "api.sagemaker.%s.amazonaws.com", .ops = ops,
    .resource_policies = resource_policies,
};
