/* model/svc_iam.c: the IAM operations scenarios need: roles and their
 * inline policies and tags.  IAM is a global service; its records carry
 * awsRegion us-east-1 whatever the scenario's region. */
#include "model/api.h"
#include "model/world_int.h"
#include "model/api_aux.h"
#include "model/estate.h"
#include "model/service.h"

#include <string.h>

static world_role *find_role(api_call *c, const char *name)
{
    world_role *r = world_role_get(c->w, c->caller->account, name);
    if (!r)
        api_error_set(&c->err, "NoSuchEntity", "The role with name %s cannot be found.", name);
    return r;
}

/* Authorises action on the role named in the input (which must exist;
 * AWS authorises before it looks, so a missing role denies the same way). */
static world_role *authorized_role_for(api_call *c, const char *action, const char *policy_arn);

static world_role *authorized_role(api_call *c, const char *action)
{
    return authorized_role_for(c, action, NULL);
}

/* The same, with iam:PolicyARN set (attaching and detaching managed policies). */
static world_role *authorized_role_for(api_call *c, const char *action, const char *policy_arn)
{
    const char *name = api_str(c->input, "RoleName");
    g_autofree char *arn = g_strdup_printf("arn:aws:iam::%s:role/%s", c->caller->account, name);
    world_role *r = world_role_get(c->w, c->caller->account, name);
    const char *res = r ? r->arn : arn;
    api_resource(c, res, c->caller->account, "AWS::IAM::Role");
    g_autoptr(iam_ctx) ctx = iam_ctx_new();
    if (r)
        api_ctx_world_tags(ctx, r->tags);
    if (policy_arn)
        iam_ctx_set(ctx, "iam:PolicyARN", policy_arn);
    if (!api_authorize(c, action, res, NULL, NULL, API_RES_OPTIONAL, ctx))
        return NULL;
    return r ? r : find_role(c, name);
}

static char *iso(api_call *c, int64_t t)
{
    char b[21];
    world_iso_time(c->w, t, b);
    return g_strdup(b);
}

static cJSON *tags_json(const GPtrArray *tags)
{
    cJSON *a = cJSON_CreateArray();
    for (guint i = 0; i < tags->len; i++) {
        const world_tag *t = tags->pdata[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "Key", t->key);
        cJSON_AddStringToObject(o, "Value", t->value);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *role_json(api_call *c, const world_role *r, bool full)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Path", r->path);
    cJSON_AddStringToObject(o, "RoleName", r->name);
    cJSON_AddStringToObject(o, "RoleId", r->id);
    cJSON_AddStringToObject(o, "Arn", r->arn);
    g_autofree char *created = iso(c, r->created_us);
    cJSON_AddStringToObject(o, "CreateDate", created);
    const world_policy *trust = world_role_trust(r);
    if (trust)
        cJSON_AddItemToObject(o, "AssumeRolePolicyDocument", cJSON_Duplicate(trust->doc, 1));
    cJSON_AddNumberToObject(o, "MaxSessionDuration", r->max_session_s);
    if (r->boundary) {
        cJSON *b = cJSON_AddObjectToObject(o, "PermissionsBoundary");
        cJSON_AddStringToObject(b, "PermissionsBoundaryType", "Policy");
        cJSON_AddStringToObject(b, "PermissionsBoundaryArn", r->boundary->arn);
    }
    if (full && r->tags->len)
        cJSON_AddItemToObject(o, "Tags", tags_json(r->tags));
    return o;
}

static bool get_role(api_call *c)
{
    world_role *r = authorized_role(c, "iam:GetRole");
    if (!r)
        return false;
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "Role", role_json(c, r, true));
    return true;
}

/* IAM lists roles in name order. */
static gint by_name(gconstpointer a, gconstpointer b)
{
    const world_role *x = *(world_role *const *)a, *y = *(world_role *const *)b;
    return g_ascii_strcasecmp(x->name, y->name);
}

/* IAM's listings page with Marker and MaxItems (1-1000, default 100). */
static const api_paging IAM_MARKER = {
    .token = "Marker", .max = "MaxItems", .dflt = 100,
    .bad_code = "InvalidInput", .bad_fmt = "Invalid Marker: %s" };

static gint by_text(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool list_roles(api_call *c)
{
    if (!api_authorize_simple(c, "iam:ListRoles", "*"))
        return false;
    const world_account *a = world_account_get(c->w, c->caller->account);
    const char *prefix = api_str(c->input, "PathPrefix");
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    for (guint i = 0; i < a->roles->len; i++) {
        const world_role *r = a->roles->pdata[i];
        if (!prefix || g_str_has_prefix(r->path, prefix))
            g_ptr_array_add(rows, (gpointer)r);
    }
    g_ptr_array_sort(rows, by_name);
    guint first, count;
    if (!api_page(c, &IAM_MARKER, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *roles = cJSON_AddArrayToObject(c->output, "Roles");
    for (guint i = first; i < first + count; i++)
        cJSON_AddItemToArray(roles, role_json(c, rows->pdata[i], false));
    cJSON_AddBoolToObject(c->output, "IsTruncated", first + count < rows->len);
    api_page_token(&IAM_MARKER, c->output, first, count, rows->len);
    return true;
}

static world_policy *parse_policy(api_call *c, const char *name, const char *arn,
                                  const char *doc_text, cJSON **doc_out, bool identity);

static bool put_role_policy(api_call *c)
{
    world_role *r = authorized_role(c, "iam:PutRolePolicy");
    if (!r)
        return false;
    const char *name = api_str(c->input, "PolicyName");
    const char *text = api_str(c->input, "PolicyDocument");
    world_policy *p = parse_policy(c, name, NULL, text, NULL, true);
    if (!p)
        return false;
    for (guint i = 0; i < r->inline_policies->len; i++)
        if (strcmp(((world_policy *)r->inline_policies->pdata[i])->name, name) == 0) {
            g_ptr_array_remove_index(r->inline_policies, i);
            break;
        }
    /* IAM limits the aggregate size of a role's inline policies. */
    gsize total = strlen(text);
    for (guint i = 0; i < r->inline_policies->len; i++) {
        char *t = cJSON_PrintUnformatted(((world_policy *)r->inline_policies->pdata[i])->doc);
        total += strlen(t);
        cJSON_free(t);
    }
    if (total > 10240) {
        world_policy_free(p);
        api_error_set(&c->err, "LimitExceeded",
                      "Maximum policy size of 10240 bytes exceeded for role %s", r->name);
        return false;
    }
    g_ptr_array_add(r->inline_policies, p);
    c->output = cJSON_CreateObject();
    return true;
}

static bool get_role_policy(api_call *c)
{
    world_role *r = authorized_role(c, "iam:GetRolePolicy");
    if (!r)
        return false;
    const char *name = api_str(c->input, "PolicyName");
    for (guint i = 0; i < r->inline_policies->len; i++) {
        const world_policy *p = r->inline_policies->pdata[i];
        if (strcmp(p->name, name) == 0) {
            c->output = cJSON_CreateObject();
            cJSON_AddStringToObject(c->output, "RoleName", r->name);
            cJSON_AddStringToObject(c->output, "PolicyName", p->name);
            cJSON_AddItemToObject(c->output, "PolicyDocument", cJSON_Duplicate(p->doc, 1));
            return true;
        }
    }
    api_error_set(&c->err, "NoSuchEntity", "The role policy with name %s cannot be found.", name);
    return false;
}

static bool list_role_policies(api_call *c)
{
    world_role *r = authorized_role(c, "iam:ListRolePolicies");
    if (!r)
        return false;
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    for (guint i = 0; i < r->inline_policies->len; i++)
        g_ptr_array_add(rows, ((world_policy *)r->inline_policies->pdata[i])->name);
    g_ptr_array_sort(rows, by_text);
    guint first, count;
    if (!api_page(c, &IAM_MARKER, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *names = cJSON_AddArrayToObject(c->output, "PolicyNames");
    for (guint i = first; i < first + count; i++)
        cJSON_AddItemToArray(names, cJSON_CreateString(rows->pdata[i]));
    cJSON_AddBoolToObject(c->output, "IsTruncated", first + count < rows->len);
    api_page_token(&IAM_MARKER, c->output, first, count, rows->len);
    return true;
}

static bool tag_role(api_call *c)
{
    world_role *r = authorized_role(c, "iam:TagRole");
    if (!r)
        return false;
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(c->input, "Tags"), *t;
    guint adding = 0;
    cJSON_ArrayForEach(t, tags)
        if (!world_tags_get(r->tags, api_str(t, "Key")))
            adding++;
    if (r->tags->len + adding > 50) {
        api_error_set(&c->err, "LimitExceeded", "The number of tags has reached the maximum limit.");
        return false;
    }
    cJSON_ArrayForEach(t, tags)
        world_tags_set(r->tags, api_str(t, "Key"), api_str(t, "Value"));
    c->output = cJSON_CreateObject();
    return true;
}

static bool untag_role(api_call *c)
{
    world_role *r = authorized_role(c, "iam:UntagRole");
    if (!r)
        return false;
    const cJSON *k;
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(c->input, "TagKeys"))
        world_tags_remove(r->tags, k->valuestring);
    c->output = cJSON_CreateObject();
    return true;
}


/* ---- writes: roles, managed policies and their attachments ---------------------------- */

/* IAM's quotas (IAM and AWS STS quotas, defaults). */
#define ROLES_PER_ACCOUNT      1000
#define POLICIES_PER_ACCOUNT   1500
#define MANAGED_PER_ROLE       10

/* doc_text parsed and compiled as IAM would: invalid JSON and a policy that
 * does not compile are MalformedPolicyDocument.  NULL with c->err set. */
static world_policy *parse_policy(api_call *c, const char *name, const char *arn,
                                  const char *doc_text, cJSON **doc_out, bool identity)
{
    cJSON *doc = doc_text ? cJSON_Parse(doc_text) : NULL;
    if (!cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        api_error_set(&c->err, "MalformedPolicyDocument", "This policy contains invalid Json");
        return NULL;
    }
    const char *rule = identity ? iam_doc_principal_rule(doc, IAM_DOC_IDENTITY) : NULL;
    if (rule) {
        cJSON_Delete(doc);
        api_error_set(&c->err, "MalformedPolicyDocument", "%s", rule);
        return NULL;
    }
    GError *e = NULL;
    world_policy *p = world_policy_new(name, arn, doc, &e);
    if (!p) {
        api_error_set(&c->err, "MalformedPolicyDocument", "%s", e->message);
        g_error_free(e);
        cJSON_Delete(doc);
        return NULL;
    }
    if (doc_out)
        *doc_out = doc;
    else
        cJSON_Delete(doc);
    return p;
}

/* A role's trust policy: every statement names a principal and no
 * resource (IAM's rules for AssumeRolePolicyDocument). */
static bool trust_shape_ok(api_call *c, const cJSON *doc)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "Statement"), *one;
    g_autoptr(cJSON) wrap = NULL;
    if (cJSON_IsObject(st)) {
        wrap = cJSON_CreateArray();
        cJSON_AddItemToArray(wrap, cJSON_Duplicate(st, 1));
        st = wrap;
    }
    cJSON_ArrayForEach(one, st) {
        if (cJSON_GetObjectItemCaseSensitive(one, "Resource") ||
            cJSON_GetObjectItemCaseSensitive(one, "NotResource")) {
            api_error_set(&c->err, "MalformedPolicyDocument", "Has prohibited field Resource");
            return false;
        }
        if (!cJSON_GetObjectItemCaseSensitive(one, "Principal") &&
            !cJSON_GetObjectItemCaseSensitive(one, "NotPrincipal")) {
            api_error_set(&c->err, "MalformedPolicyDocument", "Missing required field Principal");
            return false;
        }
    }
    return true;
}

static bool create_role(api_call *c)
{
    const char *name = api_str(c->input, "RoleName");
    const char *path = api_str(c->input, "Path");
    g_autofree char *arn = g_strdup_printf("arn:aws:iam::%s:role%s%s", c->caller->account,
                                           path ? path : "/", name);
    api_resource(c, arn, c->caller->account, "AWS::IAM::Role");
    g_autoptr(iam_ctx) ctx = iam_ctx_new();
    api_ctx_request_tags(ctx, cJSON_GetObjectItemCaseSensitive(c->input, "Tags"), "Key", "Value");
    if (!api_authorize(c, "iam:CreateRole", arn, NULL, NULL, API_RES_OPTIONAL, ctx))
        return false;
    world_account *a = world_account_get(c->w, c->caller->account);
    if (world_role_get(c->w, a->id, name)) {
        api_error_set(&c->err, "EntityAlreadyExists", "Role with name %s already exists.", name);
        return false;
    }
    int64_t quota = world_quota(c->w, a->id, "iam:roles", ROLES_PER_ACCOUNT);
    if ((int64_t)a->roles->len >= quota) {
        api_error_set(&c->err, "LimitExceeded", "Cannot exceed quota for RolesPerAccount: %"
                      G_GINT64_FORMAT, quota);
        return false;
    }
    g_autofree char *tname = g_strdup_printf("role/%s trust policy", name);
    g_autoptr(cJSON) doc = NULL;
    world_policy *trust = parse_policy(c, tname, NULL, api_str(c->input, "AssumeRolePolicyDocument"),
                                       &doc, false);
    if (!trust)
        return false;
    if (!trust_shape_ok(c, doc)) {
        world_policy_free(trust);
        return false;
    }
    world_policy *boundary = NULL;
    const char *barn = api_str(c->input, "PermissionsBoundary");
    if (barn && !(boundary = world_managed_policy(c->w, barn))) {
        world_policy_free(trust);
        api_error_set(&c->err, "NoSuchEntity", "Scope ARN: %s does not exist or is not attachable.",
                      barn);
        return false;
    }
    world_role *r = world_add_role(c->w, a, name, path, trust);
    r->boundary = boundary;
    double msd = api_num(c->input, "MaxSessionDuration", 3600);
    r->max_session_s = (int)msd;
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(c->input, "Tags"))
        world_tags_set(r->tags, api_str(t, "Key"), api_str(t, "Value"));
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "Role", role_json(c, r, true));
    return true;
}

static bool delete_role(api_call *c)
{
    world_role *r = authorized_role(c, "iam:DeleteRole");
    if (!r)
        return false;
    if (r->inline_policies->len > 0) {
        api_error_set(&c->err, "DeleteConflict", "Cannot delete entity, must delete policies first.");
        return false;
    }
    if (r->managed->len > 0) {
        api_error_set(&c->err, "DeleteConflict",
                      "Cannot delete entity, must detach all policies first.");
        return false;
    }
    world_remove_role(c->w, r);
    c->output = cJSON_CreateObject();
    return true;
}

static bool attach_role_policy(api_call *c)
{
    const char *parn = api_str(c->input, "PolicyArn");
    world_role *r = authorized_role_for(c, "iam:AttachRolePolicy", parn);
    if (!r)
        return false;
    world_policy *p = world_managed_policy(c->w, parn);
    if (!p) {
        api_error_set(&c->err, "NoSuchEntity", "Policy %s does not exist or is not attachable.",
                      parn);
        return false;
    }
    c->output = cJSON_CreateObject();
    for (guint i = 0; i < r->managed->len; i++)
        if (r->managed->pdata[i] == p)
            return true;                        /* attaching again changes nothing */
    int64_t quota = world_quota(c->w, r->account, "iam:managed-policies-per-role",
                                MANAGED_PER_ROLE);
    if ((int64_t)r->managed->len >= quota) {
        cJSON_Delete(g_steal_pointer(&c->output));
        api_error_set(&c->err, "LimitExceeded", "Cannot exceed quota for PoliciesPerRole: %"
                      G_GINT64_FORMAT, quota);
        return false;
    }
    g_ptr_array_add(r->managed, p);
    return true;
}

static bool detach_role_policy(api_call *c)
{
    const char *parn = api_str(c->input, "PolicyArn");
    world_role *r = authorized_role_for(c, "iam:DetachRolePolicy", parn);
    if (!r)
        return false;
    for (guint i = 0; i < r->managed->len; i++)
        if (g_strcmp0(((world_policy *)r->managed->pdata[i])->arn, parn) == 0) {
            g_ptr_array_remove_index(r->managed, i);
            c->output = cJSON_CreateObject();
            return true;
        }
    api_error_set(&c->err, "NoSuchEntity", "Policy %s was not found.", parn);
    return false;
}

static bool list_attached_role_policies(api_call *c)
{
    world_role *r = authorized_role(c, "iam:ListAttachedRolePolicies");
    if (!r)
        return false;
    const char *prefix = api_str(c->input, "PathPrefix");
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    for (guint i = 0; i < r->managed->len; i++) {
        const world_policy *p = r->managed->pdata[i];
        /* Managed policy ARNs are arn:aws:iam::ACCOUNT:policy/PATH/NAME. */
        const char *ppath = strstr(p->arn, ":policy") + 7;
        if (!prefix || g_str_has_prefix(ppath, prefix))
            g_ptr_array_add(rows, (gpointer)p);
    }
    guint first, count;
    if (!api_page(c, &IAM_MARKER, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "AttachedPolicies");
    for (guint i = first; i < first + count; i++) {
        const world_policy *p = rows->pdata[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "PolicyName", p->name);
        cJSON_AddStringToObject(o, "PolicyArn", p->arn);
        cJSON_AddItemToArray(list, o);
    }
    cJSON_AddBoolToObject(c->output, "IsTruncated", first + count < rows->len);
    api_page_token(&IAM_MARKER, c->output, first, count, rows->len);
    return true;
}

static bool create_policy(api_call *c)
{
    const char *name = api_str(c->input, "PolicyName");
    const char *path = api_str(c->input, "Path");
    g_autofree char *arn = g_strdup_printf("arn:aws:iam::%s:policy%s%s", c->caller->account,
                                           path ? path : "/", name);
    api_resource(c, arn, c->caller->account, "AWS::IAM::Policy");
    if (!api_authorize_simple(c, "iam:CreatePolicy", arn))
        return false;
    world_account *a = world_account_get(c->w, c->caller->account);
    for (guint i = 0; i < a->managed_policies->len; i++)
        if (g_ascii_strcasecmp(((world_policy *)a->managed_policies->pdata[i])->name, name) == 0) {
            api_error_set(&c->err, "EntityAlreadyExists",
                          "A policy called %s already exists. Duplicate names are not allowed.",
                          name);
            return false;
        }
    int64_t quota = world_quota(c->w, a->id, "iam:policies", POLICIES_PER_ACCOUNT);
    if ((int64_t)a->managed_policies->len >= quota) {
        api_error_set(&c->err, "LimitExceeded", "Cannot exceed quota for PoliciesPerAccount: %"
                      G_GINT64_FORMAT, quota);
        return false;
    }
    world_policy *p = parse_policy(c, name, arn, api_str(c->input, "PolicyDocument"), NULL, true);
    if (!p)
        return false;
    g_ptr_array_add(a->managed_policies, p);
    char id[22] = "ANPA";
    rng_chars(c->rng, id + 4, 17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    c->output = cJSON_CreateObject();
    cJSON *o = cJSON_AddObjectToObject(c->output, "Policy");
    cJSON_AddStringToObject(o, "PolicyName", name);
    cJSON_AddStringToObject(o, "PolicyId", id);
    cJSON_AddStringToObject(o, "Arn", arn);
    cJSON_AddStringToObject(o, "Path", path ? path : "/");
    cJSON_AddStringToObject(o, "DefaultVersionId", "v1");
    cJSON_AddNumberToObject(o, "AttachmentCount", 0);
    cJSON_AddNumberToObject(o, "PermissionsBoundaryUsageCount", 0);
    cJSON_AddBoolToObject(o, "IsAttachable", true);
    api_add_time(c->w, o, "CreateDate", c->now);
    api_add_time(c->w, o, "UpdateDate", c->now);
    return true;
}

/* ---- the scenario's accounts: managed policies, roles, users --------------------------- */

static const char *const role_keys[] = { "trust", "policies", "managed", "boundary", "tags",
                                         "path", "max_session_duration", NULL };
static const char *const user_keys[] = { "policies", "managed", "boundary", "tags", "path", NULL };

/* Inline policies: a list of documents, or an object of name -> document. */
static void load_inline(world *w, jload *l, const cJSON *obj, const char *path, const char *owner,
                        GPtrArray *out)
{
    const cJSON *pol = jload_member(obj, "policies"), *d;
    g_autofree char *p = jload_sub(path, "policies");
    if (!pol)
        return;
    if (!cJSON_IsArray(pol) && !cJSON_IsObject(pol)) {
        jload_err(l, pol, false, p, "must be a list of policy documents or an object of name -> document");
        return;
    }
    int i = 0;
    cJSON_ArrayForEach(d, pol) {
        g_autofree char *name = cJSON_IsArray(pol) ? g_strdup_printf("%s inline policy %d", owner, i)
                                                   : g_strdup_printf("%s inline %s", owner, d->string);
        g_autofree char *pi = cJSON_IsArray(pol) ? jload_idx(p, i) : jload_sub(p, d->string);
        i++;
        world_policy *wp = estate_policy(w, l, d, pi, name, NULL, IAM_DOC_IDENTITY);
        if (wp)
            g_ptr_array_add(out, wp);
    }
}

static world_policy *managed_ref(world *w, jload *l, world_account *a, const cJSON *v, const char *path)
{
    if (!cJSON_IsString(v)) {
        jload_err(l, v, false, path, "a managed policy is named by its name or ARN");
        return NULL;
    }
    g_autofree char *arn = g_str_has_prefix(v->valuestring, "arn:")
        ? g_strdup(v->valuestring)
        : g_strdup_printf("arn:aws:iam::%s:policy/%s", a->id, v->valuestring);
    world_policy *p = world_managed_policy(w, arn);
    if (!p)
        jload_err(l, v, false, path, "\"%s\" is not a managed policy defined in this scenario "
            "(define it under accounts.ID.managed_policies)", v->valuestring);
    return p;
}

static void load_principal_common(world *w, jload *l, world_account *a, const cJSON *obj, const char *path,
                                  GPtrArray *managed, world_policy **boundary, GPtrArray *tags)
{
    const cJSON *m, *list = jload_list(l, obj, "managed", path);
    g_autofree char *mp = jload_sub(path, "managed");
    int i = 0;
    cJSON_ArrayForEach(m, list) {
        g_autofree char *pi = jload_idx(mp, i++);
        world_policy *p = managed_ref(w, l, a, m, pi);
        if (p)
            g_ptr_array_add(managed, p);
    }
    const cJSON *b = jload_member(obj, "boundary");
    if (b) {
        g_autofree char *bp = jload_sub(path, "boundary");
        *boundary = managed_ref(w, l, a, b, bp);
    }
    estate_tags(l, jload_obj(l, obj, "tags", path, false), path, tags);
}

/* An account's managed policies, roles (IAM's default trust: the account
 * itself may assume them) and users. */
static void load_account(world *w, world_account *a, const cJSON *ac, const char *path, jload *l)
{
    const cJSON *mp = jload_obj(l, ac, "managed_policies", path, false), *d;
    cJSON_ArrayForEach(d, mp) {
        g_autofree char *p = g_strdup_printf("%s.managed_policies.%s", path, d->string);
        g_autofree char *arn = g_strdup_printf("arn:aws:iam::%s:policy/%s", a->id, d->string);
        world_policy *wp = estate_policy(w, l, d, p, d->string, arn, IAM_DOC_IDENTITY);
        if (wp)
            g_ptr_array_add(a->managed_policies, wp);
    }
    const cJSON *roles = jload_obj(l, ac, "roles", path, false), *r;
    cJSON_ArrayForEach(r, roles) {
        g_autofree char *p = g_strdup_printf("%s.roles.%s", path, r->string);
        if (!cJSON_IsObject(r)) {
            jload_err(l, r, false, p, "a role is an object (trust, policies, managed, tags, ...)");
            continue;
        }
        jload_check_keys(l, r, p, role_keys);
        if (!g_regex_match_simple("^[\\w+=,.@-]{1,64}$", r->string, 0, 0))
            jload_err(l, r, true, p, "\"%s\" is not a valid role name", r->string);
        if (world_role_get(w, a->id, r->string)) {
            jload_err(l, r, true, p, "a role named \"%s\" already exists in this account", r->string);
            continue;
        }
        const cJSON *trust = jload_member(r, "trust");
        g_autofree char *tp = jload_sub(p, "trust");
        world_policy *tw = NULL;
        if (trust) {
            g_autofree char *tname = g_strdup_printf("role/%s trust policy", r->string);
            tw = estate_policy(w, l, trust, tp, tname, NULL, IAM_DOC_RESOURCE);
        }
        const char *rpath = jload_str(l, r, "path", p, false);
        world_role *wr = world_add_role(w, a, r->string, rpath, tw);
        /* No trust given: the account may let its own principals assume it
         * (world_role_trust makes that policy when a call first needs it). */
        wr->trust_default = !trust;
        g_autofree char *who = g_strdup_printf("role/%s", r->string);
        load_inline(w, l, r, p, who, wr->inline_policies);
        load_principal_common(w, l, a, r, p, wr->managed, &wr->boundary, wr->tags);
        int64_t msd;
        if (jload_dur(l, r, "max_session_duration", p, &msd))
            wr->max_session_s = (int)(msd / 1000000);
    }
    const cJSON *users = jload_obj(l, ac, "users", path, false), *u;
    cJSON_ArrayForEach(u, users) {
        g_autofree char *p = g_strdup_printf("%s.users.%s", path, u->string);
        if (!cJSON_IsObject(u)) {
            jload_err(l, u, false, p, "a user is an object (policies, managed, tags, ...)");
            continue;
        }
        jload_check_keys(l, u, p, user_keys);
        world_user *wu = world_add_user(w, a, u->string, jload_str(l, u, "path", p, false));
        g_autofree char *who = g_strdup_printf("user/%s", u->string);
        load_inline(w, l, u, p, who, wu->inline_policies);
        load_principal_common(w, l, a, u, p, wu->managed, &wu->boundary, wu->tags);
    }
}

static const api_op ops[] = {
    { "iam:GetRole", get_role, true, API_TO_CALLER },
    { "iam:ListRoles", list_roles, true, API_TO_CALLER },
    { "iam:PutRolePolicy", put_role_policy, false, API_TO_CALLER },
    { "iam:GetRolePolicy", get_role_policy, true, API_TO_CALLER },
    { "iam:ListRolePolicies", list_role_policies, true, API_TO_CALLER },
    { "iam:TagRole", tag_role, false, API_TO_CALLER },
    { "iam:UntagRole", untag_role, false, API_TO_CALLER },
    { "iam:CreateRole", create_role, API_WRITES, API_TO_CALLER },
    { "iam:DeleteRole", delete_role, API_WRITES, API_TO_CALLER },
    { "iam:AttachRolePolicy", attach_role_policy, API_WRITES, API_TO_CALLER },
    { "iam:DetachRolePolicy", detach_role_policy, API_WRITES, API_TO_CALLER },
    { "iam:ListAttachedRolePolicies", list_attached_role_policies, API_READS, API_TO_CALLER },
    { "iam:CreatePolicy", create_policy, API_WRITES, API_TO_CALLER },
    { NULL, NULL, false, API_TO_CALLER },
};

static const char *const account_keys[] = { "managed_policies", "roles", "users", NULL };

/* IAM is global: CloudTrail logs its calls in us-east-1. */
const api_service api_service_iam = {
    .name = "iam", .prefix = "iam", .event_source = "iam.amazonaws.com",
    .endpoint = "iam.amazonaws.com",
    .log_region = "us-east-1", .api_version = "2010-05-08", .ops = ops,
    .account_keys = account_keys, .load_account = load_account,
};
