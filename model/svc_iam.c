/* model/svc_iam.c: the IAM operations scenarios need: roles and their
 * inline policies and tags.  IAM is a global service; its records carry
 * awsRegion us-east-1 whatever the scenario's region. */
#include "model/api.h"

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
static world_role *authorized_role(api_call *c, const char *action)
{
    const char *name = api_str(c->input, "RoleName");
    g_autofree char *arn = g_strdup_printf("arn:aws:iam::%s:role/%s", c->caller->account, name);
    world_role *r = world_role_get(c->w, c->caller->account, name);
    const char *res = r ? r->arn : arn;
    api_resource(c, res, c->caller->account, "AWS::IAM::Role");
    g_autoptr(iam_ctx) ctx = iam_ctx_new();
    for (guint i = 0; r && i < r->tags->len; i++) {
        const world_tag *t = r->tags->pdata[i];
        g_autofree char *k = g_strdup_printf("aws:ResourceTag/%s", t->key);
        iam_ctx_set(ctx, k, t->value);
    }
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
    if (r->trust)
        cJSON_AddItemToObject(o, "AssumeRolePolicyDocument", cJSON_Duplicate(r->trust->doc, 1));
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

static bool list_roles(api_call *c)
{
    if (!api_authorize(c, "iam:ListRoles", "*", NULL, NULL, API_RES_OPTIONAL, NULL))
        return false;
    const world_account *a = world_account_get(c->w, c->caller->account);
    const char *prefix = api_str(c->input, "PathPrefix");
    const char *marker = api_str(c->input, "Marker");
    int max = (int)api_num(c->input, "MaxItems", 100);
    guint start = marker ? (guint)g_ascii_strtoull(marker, NULL, 10) : 0;
    c->output = cJSON_CreateObject();
    cJSON *roles = cJSON_AddArrayToObject(c->output, "Roles");
    g_autoptr(GPtrArray) sorted = g_ptr_array_copy(a->roles, NULL, NULL);
    g_ptr_array_set_free_func(sorted, NULL);
    g_ptr_array_sort(sorted, by_name);
    guint i = start;
    int n = 0;
    for (; i < sorted->len && n < max; i++) {
        const world_role *r = sorted->pdata[i];
        if (prefix && !g_str_has_prefix(r->path, prefix))
            continue;
        cJSON_AddItemToArray(roles, role_json(c, r, false));
        n++;
    }
    bool more = i < sorted->len;
    cJSON_AddBoolToObject(c->output, "IsTruncated", more);
    if (more) {
        g_autofree char *m = g_strdup_printf("%u", i);
        cJSON_AddStringToObject(c->output, "Marker", m);
    }
    return true;
}

static bool put_role_policy(api_call *c)
{
    world_role *r = authorized_role(c, "iam:PutRolePolicy");
    if (!r)
        return false;
    const char *name = api_str(c->input, "PolicyName");
    const char *text = api_str(c->input, "PolicyDocument");
    g_autoptr(cJSON) doc = cJSON_Parse(text);
    GError *e = NULL;
    world_policy *p = doc ? world_policy_new(name, NULL, doc, &e) : NULL;
    if (!p) {
        api_error_set(&c->err, "MalformedPolicyDocument", "%s",
                      e ? e->message : "Syntax errors in policy.");
        g_clear_error(&e);
        return false;
    }
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
    c->output = cJSON_CreateObject();
    cJSON *names = cJSON_AddArrayToObject(c->output, "PolicyNames");
    for (guint i = 0; i < r->inline_policies->len; i++)
        cJSON_AddItemToArray(names, cJSON_CreateString(
            ((world_policy *)r->inline_policies->pdata[i])->name));
    cJSON_AddBoolToObject(c->output, "IsTruncated", false);
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

const api_op api_ops_iam[] = {
    { "iam:GetRole", get_role, true, API_TO_CALLER },
    { "iam:ListRoles", list_roles, true, API_TO_CALLER },
    { "iam:PutRolePolicy", put_role_policy, false, API_TO_CALLER },
    { "iam:GetRolePolicy", get_role_policy, true, API_TO_CALLER },
    { "iam:ListRolePolicies", list_role_policies, true, API_TO_CALLER },
    { "iam:TagRole", tag_role, false, API_TO_CALLER },
    { "iam:UntagRole", untag_role, false, API_TO_CALLER },
    { NULL, NULL, false, API_TO_CALLER },
};
