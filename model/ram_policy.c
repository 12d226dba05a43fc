/* model/ram_policy.c: RAM's side of resource policies: the shares a
 * resource policy creates (CREATED_FROM_POLICY), their promotion to
 * standard shares (MPG3-MPG5), and the policies RAM writes for shared
 * resources, which the IAM engine evaluates (RAM1, RAM6). */
#include "model/ram_int.h"

#include <string.h>

/* ---- created from policy, and promotion ------------------------------------------------ */

bool ram__promote_permission(api_call *c)
{
    const char *arn = api_str(c->input, "permissionArn");
    if (!ram__authorize(c, "PromotePermissionCreatedFromPolicy", arn, NULL))
        return false;
    perm *p = ram__find_perm(c->w, arn);
    if (!p || g_strcmp0(p->owner, c->caller->account) != 0) {
        api_error_set(&c->err, "UnknownResourceException", "Permission %s could not be found.", arn);
        return false;
    }
    if (p->feature_set != FS_CREATED_FROM_POLICY) {
        api_error_set(&c->err, "OperationNotPermittedException",
                      "Only a permission created from a policy can be promoted.");
        return false;
    }
    for (guint i = 0; i < p->actions->len; i++) {
        const char *a = p->actions->pdata[i];
        if (strchr(a, '*') && (strcmp(a, "*") == 0 || !strchr(a, ':'))) {
            api_error_set(&c->err, "OperationNotPermittedException",
                          "The policy allows \"%s\", which cannot be expressed as a RAM permission "
                          "for %s.", a, p->type);
            return false;
        }
    }
    perm *x = g_new0(perm, 1);
    const char *name = api_str(c->input, "name");
    x->name = g_strdup(name);
    x->arn = g_strdup_printf("arn:aws:ram:%s:%s:permission/%s", world_region(c->w),
                             c->caller->account, name);
    if (ram__find_perm(c->w, x->arn)) {
        ram__perm_free(x);
        api_error_set(&c->err, "InvalidParameterException", "A permission named %s already exists.", name);
        return false;
    }
    x->type = g_strdup(p->type);
    x->ptype = g_strdup("CUSTOMER_MANAGED");
    x->feature_set = FS_STANDARD;
    x->owner = g_strdup(c->caller->account);
    x->created = c->now;
    x->actions = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < p->actions->len; i++)
        g_ptr_array_add(x->actions, g_strdup(p->actions->pdata[i]));
    g_ptr_array_add(ram__state(c->w)->perms, x);
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "permission", ram__perm_summary(c->w, x));
    return true;
}

static bool same_actions(const perm *a, const perm *b)
{
    if (a->actions->len != b->actions->len)
        return false;
    for (guint i = 0; i < a->actions->len; i++) {
        bool found = false;
        for (guint k = 0; k < b->actions->len; k++)
            found |= g_ascii_strcasecmp(a->actions->pdata[i], b->actions->pdata[k]) == 0;
        if (!found)
            return false;
    }
    return true;
}

bool ram__promote_share(api_call *c)
{
    share *s = ram__owned_share(c, api_str(c->input, "resourceShareArn"));
    if (!s || !ram__authorize(c, "PromoteResourceShareCreatedFromPolicy", s->arn, s))
        return false;
    if (s->feature_set != FS_CREATED_FROM_POLICY) {
        api_error_set(&c->err, "InvalidStateTransitionException",
                      "The resource share %s was not created from a policy.", s->arn);
        return false;
    }
    for (guint i = 0; i < s->principals->len; i++) {
        const assoc *a = s->principals->pdata[i];
        if (!world_is_account_id(a->entity)) {
            api_error_set(&c->err, "OperationNotPermittedException",
                          "The resource share names the principal %s, which a promoted share cannot "
                          "hold: promote only shares whose principals are accounts.", a->entity);
            return false;
        }
    }
    perm *from = s->perms->len ? s->perms->pdata[0] : NULL;
    perm *match = NULL;
    ram_state *st = ram__state(c->w);
    for (guint i = 0; from && i < st->perms->len; i++) {
        perm *p = st->perms->pdata[i];
        if (p != from && p->feature_set == FS_STANDARD && strcmp(p->type, from->type) == 0 &&
            (!p->owner || strcmp(p->owner, s->owner) == 0) && same_actions(p, from))
            match = p;
    }
    if (!match) {
        api_error_set(&c->err, "UnmatchedPolicyPermissionException",
                      "No permission exactly matches the policy of %s; promote its permission first "
                      "(PromotePermissionCreatedFromPolicy).", s->arn);
        return false;
    }
    g_ptr_array_remove_index(s->perms, 0);
    g_ptr_array_add(s->perms, match);
    /* The orphaned CREATED_FROM_POLICY permission goes. */
    bool used = false;
    for (guint i = 0; i < st->shares->len; i++)
        used |= g_ptr_array_find(((share *)st->shares->pdata[i])->perms, from, NULL);
    if (!used)
        g_ptr_array_remove(st->perms, from);
    s->feature_set = FS_PROMOTING_TO_STANDARD;
    ram__touch(s);
    ram__settle_later(c->w, s, NULL, false, TO_STANDARD);
    api_resource(c, s->arn, s->owner, "AWS::RAM::ResourceShare");
    c->output = cJSON_CreateObject();
    cJSON_AddBoolToObject(c->output, "returnValue", true);
    return true;
}

static share *policy_share_of(world *w, const char *resource)
{
    GPtrArray *l = g_hash_table_lookup(ram__state(w)->by_resource, resource);
    for (guint i = 0; l && i < l->len; i++) {
        share *s = l->pdata[i];
        if (g_strcmp0(s->policy_resource, resource) == 0 && s->status != SHARE_DELETED)
            return s;
    }
    return NULL;
}

static void strings_of(const cJSON *v, GPtrArray *out)
{
    if (cJSON_IsString(v))
        g_ptr_array_add(out, g_strdup(v->valuestring));
    const cJSON *e;
    if (cJSON_IsArray(v))
        cJSON_ArrayForEach(e, v)
            if (cJSON_IsString(e))
                g_ptr_array_add(out, g_strdup(e->valuestring));
}

void ram_policy_share_sync(world *w, const char *resource_arn, const char *owner, const cJSON *doc)
{
    share *old = policy_share_of(w, resource_arn);
    if (old) {
        ram__share_set_status(w, old, SHARE_DELETED);
        ram__disassociate_all(w, old, old->principals);
        ram__disassociate_all(w, old, old->resources);
        g_free(old->policy_resource);
        old->policy_resource = NULL;
    }
    if (!doc)
        return;
    const char *type = ram_type_of_arn(resource_arn);
    g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) principals = g_ptr_array_new_with_free_func(g_free);
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "Statement"), *s;
    cJSON *one = NULL;
    if (cJSON_IsObject(st)) {
        one = cJSON_CreateArray();
        cJSON_AddItemToArray(one, cJSON_Duplicate(st, 1));
        st = one;
    }
    cJSON_ArrayForEach(s, st) {
        if (g_strcmp0(api_str(s, "Effect"), "Allow") != 0)
            continue;
        strings_of(cJSON_GetObjectItemCaseSensitive(s, "Action"), actions);
        g_autoptr(GPtrArray) ps = g_ptr_array_new_with_free_func(g_free);
        strings_of(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s, "Principal"), "AWS"), ps);
        for (guint i = 0; i < ps->len; i++) {
            const char *p = ps->pdata[i];
            char *entity = g_str_has_prefix(p, "arn:aws:iam::") && g_str_has_suffix(p, ":root")
                ? g_strndup(p + 13, 12) : g_strdup(p);
            bool dup = false;
            for (guint k = 0; k < principals->len; k++)
                dup |= strcmp(principals->pdata[k], entity) == 0;
            if (dup)
                g_free(entity);
            else
                g_ptr_array_add(principals, entity);
        }
    }
    cJSON_Delete(one);
    /* The share and its CREATED_FROM_POLICY permission, made on the owner's behalf. */
    principal *svc = world_service_principal("ram.amazonaws.com");
    g_free(svc->account);
    svc->account = g_strdup(owner);
    g_autofree char *stream = g_strdup_printf("ram/policy/%s", resource_arn);
    api_call c = { .w = w, .caller = svc, .now = world_now(w), .rng = world_rng(w, stream) };
    g_autofree char *name = g_strdup_printf("LinkedResourceShare-%s", strrchr(resource_arn, '/') + 1);
    share *ns = ram__new_share(&c, name, true, FS_CREATED_FROM_POLICY);
    ns->policy_resource = g_strdup(resource_arn);
    ram__share_register(w, ns, SHARE_PENDING);
    perm *p = g_new0(perm, 1);
    char id[37];
    rng_uuid(c.rng, id);
    p->name = g_strdup_printf("LinkedPermission-%s", id);
    p->arn = g_strdup_printf("arn:aws:ram:%s:%s:permission/%s", world_region(w), owner, p->name);
    p->type = g_strdup(type ? type : "sagemaker:ModelPackageGroup");
    p->ptype = g_strdup("CUSTOMER_MANAGED");
    p->feature_set = FS_CREATED_FROM_POLICY;
    p->owner = g_strdup(owner);
    p->created = c.now;
    p->actions = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < actions->len; i++)
        g_ptr_array_add(p->actions, g_strdup(actions->pdata[i]));
    g_ptr_array_add(ram__state(w)->perms, p);
    g_ptr_array_add(ns->perms, p);
    assoc *ra = g_new0(assoc, 1);
    ra->entity = g_strdup(resource_arn);
    ra->type = g_strdup(p->type);
    ra->status = AS_ASSOCIATED;
    ra->created = ra->updated = c.now;
    ram__assoc_add(w, ns, ra);
    ram__share_set_status(w, ns, SHARE_ACTIVE);
    for (guint i = 0; i < principals->len; i++) {
        if (!ram__add_principal(&c, ns, principals->pdata[i]))
            api_error_clear(&c.err);     /* a principal RAM cannot take is left out */
    }
    principal_free(svc);
}

/* ---- what other services ask ------------------------------------------------------------- */

ram_policy_state ram_policy_share_state(world *w, const char *resource_arn, const char *account)
{
    const share *s = policy_share_of(w, resource_arn);
    if (!s || s->status != SHARE_ACTIVE)
        return RAM_POLICY_NONE;
    for (guint i = 0; account && i < s->principals->len; i++) {
        const assoc *a = s->principals->pdata[i];
        if (g_strcmp0(a->account, account) == 0 &&
            (a->status == AS_DISASSOCIATING || a->status == AS_DISASSOCIATED))
            return RAM_POLICY_REVOKED;
    }
    return RAM_POLICY_LIVE;
}

static bool holds(const share *s, const char *resource)
{
    const assoc *a = ram__find_assoc(s, resource, false);
    return a && a->status == AS_ASSOCIATED;
}

static const perm *perm_for(const share *s, const char *type)
{
    for (guint i = 0; i < s->perms->len; i++) {
        const perm *p = s->perms->pdata[i];
        if (g_strcmp0(p->type, type) == 0)
            return p;
    }
    return NULL;
}

/* The share's principal set as the IAM engine asks it (see
 * iam_policy_compile_with_set): an account or a role or user ARN that the
 * share associates, ASSOCIATED now.  Read live, so an acceptance or a
 * disassociation changes no compiled policy. */
static bool principal_in_share(const void *set, const char *entity)
{
    const assoc *a = ram__find_assoc(set, entity, true);
    return a && a->account && a->status == AS_ASSOCIATED;
}

static void cache_free(gpointer p)
{
    policy_cache *c = p;
    g_ptr_array_unref(c->policies);
    g_free(c);
}

/* The policy RAM writes for resource_arn from share s's permission for its
 * type: an Allow of the permission's actions on the resource and its
 * children, to the share's account and role principals (a live set) and,
 * with an org or OU principal, to "*" in the organization.  Cached on the
 * share until the share or the organization changes.  Borrowed array. */
static GPtrArray *share_policies(world *w, share *s, const char *resource_arn)
{
    ram_state *st = ram__state(w);
    if (!s->pcache)
        s->pcache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, cache_free);
    policy_cache *pc = g_hash_table_lookup(s->pcache, resource_arn);
    if (pc && pc->sgen == s->gen && pc->ggen == st->generation)
        return pc->policies;
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)iam_policy_unref);
    const perm *p = perm_for(s, ram_type_of_arn(resource_arn));
    world_org *org = world_org_get(w);
    if (p && s->status == SHARE_ACTIVE && s->feature_set == FS_STANDARD &&
        holds(s, resource_arn)) {
        bool accounts = false, org_wide = false;
        for (guint k = 0; k < s->principals->len; k++) {
            const assoc *a = s->principals->pdata[k];
            if (a->account)
                accounts = true;
            else if (a->status == AS_ASSOCIATED)
                org_wide = true;
        }
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "Version", "2012-10-17");
        cJSON *stmts = cJSON_AddArrayToObject(doc, "Statement");
        for (int pass = 0; pass < 2; pass++) {
            if ((pass == 0 && !accounts) || (pass == 1 && (!org_wide || !org)))
                continue;
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "Effect", "Allow");
            if (pass == 0) {
                cJSON *pr = cJSON_AddObjectToObject(x, "Principal");
                cJSON_AddStringToObject(pr, "AWS", IAM_PRINCIPAL_SET);
            } else {
                cJSON_AddStringToObject(x, "Principal", "*");
                cJSON *cond = cJSON_AddObjectToObject(x, "Condition");
                cJSON *eq = cJSON_AddObjectToObject(cond, "StringEquals");
                cJSON_AddStringToObject(eq, "aws:PrincipalOrgID", org->id);
            }
            cJSON *acts = cJSON_AddArrayToObject(x, "Action");
            for (guint k = 0; k < p->actions->len; k++)
                cJSON_AddItemToArray(acts, cJSON_CreateString(p->actions->pdata[k]));
            cJSON *res = cJSON_AddArrayToObject(x, "Resource");
            cJSON_AddItemToArray(res, cJSON_CreateString(resource_arn));
            g_autofree char *children = g_strdup_printf("%s/*", resource_arn);
            cJSON_AddItemToArray(res, cJSON_CreateString(children));
            cJSON_AddItemToArray(stmts, x);
        }
        if (cJSON_GetArraySize(stmts)) {
            iam_policy *ip = iam_policy_compile_with_set(doc, principal_in_share, s, NULL);
            if (ip) {
                g_autofree char *label = g_strdup_printf("RAM share %s (%s)", s->name, p->name);
                iam_policy_set_name(ip, label);
                g_ptr_array_add(out, ip);
            }
        }
        cJSON_Delete(doc);
    }
    pc = g_new0(policy_cache, 1);
    pc->sgen = s->gen;
    pc->ggen = st->generation;
    pc->policies = out;
    g_hash_table_replace(s->pcache, g_strdup(resource_arn), pc);
    return out;
}

GPtrArray *ram_resource_policies(world *w, const char *resource_arn, const principal *caller)
{
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)iam_policy_unref);
    g_autoptr(GPtrArray) cand = ram__shares_naming(w, caller ? caller->account : NULL, resource_arn);
    for (guint i = 0; i < cand->len; i++) {
        share *s = cand->pdata[i];
        if (!ram__find_assoc(s, resource_arn, false))
            continue;
        GPtrArray *pol = share_policies(w, s, resource_arn);
        for (guint k = 0; k < pol->len; k++)
            g_ptr_array_add(out, iam_policy_ref(pol->pdata[k]));
    }
    return out;
}

bool ram_discoverable(world *w, const char *resource_arn, const char *account)
{
    g_autoptr(GPtrArray) cand = ram__shares_naming(w, account, resource_arn);
    for (guint i = 0; i < cand->len; i++) {
        const share *s = cand->pdata[i];
        if (holds(s, resource_arn) && ram__visible_to(w, s, account))
            return true;
    }
    return false;
}


