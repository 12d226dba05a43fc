/* model/organizations.c: AWS Organizations as a scenario declares it.
 *
 * The scenario's "organization" key: the organization id and management
 * account, OUs (ids ou-<root>-<8 drawn>), membership, and SCPs with their
 * targets.  Organizations' rules applied here: FullAWSAccess is attached to
 * the root, every OU and every member account unless detached; SCP ARNs
 * are arn:aws:organizations::<management>:policy/<org>/service_control_policy/p-<8>.
 * The management account is in the root but SCPs never apply to it
 * (world_scp_levels).
 *
 * "rcps" enables resource control policies (AWS Organizations User Guide,
 * "Resource control policies" and "RCP syntax"): RCPFullAWSAccess sits on
 * every level and cannot be detached; a scenario's RCPs may only Deny, name
 * Principal "*", and use no NotPrincipal or NotAction; ARNs are
 * .../resource_control_policy/p-<8>.  They bound requests to resources of
 * member accounts, never the management account's (world_rcp_levels), for
 * the services AWS lists (api_service.rcp). */
#include <string.h>

#include "model/estate.h"
#include "model/world_int.h"
#include "model/service.h"

static const char *const org_keys[] = { "id", "management", "accounts", "ous", "scps",
                                        "rcps", "ram_sharing", "detach_full_aws_access", NULL };
static const char *const ou_keys[] = { "parent", "accounts", NULL };
static const char *const scp_keys[] = { "policy", "targets", "description", NULL };

static const char FULL_ACCESS[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
    "\"Resource\":\"*\"}]}";

static const char RCP_FULL_ACCESS[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
    "\"Action\":\"*\",\"Resource\":\"*\"}]}";

/* An RCP's own grammar (RCP syntax): NULL when doc keeps it, else why not. */
static const char *rcp_rule(const cJSON *doc)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "Statement"), *one;
    cJSON *wrapped = NULL;
    if (cJSON_IsObject(st)) {
        wrapped = cJSON_CreateArray();
        cJSON_AddItemReferenceToArray(wrapped, (cJSON *)st);
        st = wrapped;
    }
    const char *why = NULL;
    cJSON_ArrayForEach(one, st) {
        const cJSON *eff = cJSON_GetObjectItemCaseSensitive(one, "Effect");
        const cJSON *pr = cJSON_GetObjectItemCaseSensitive(one, "Principal");
        if (cJSON_HasObjectItem(one, "NotPrincipal"))
            why = "NotPrincipal is not supported in resource control policies";
        else if (cJSON_HasObjectItem(one, "NotAction"))
            why = "NotAction is not supported in resource control policies";
        else if (!cJSON_IsString(eff) || strcmp(eff->valuestring, "Deny") != 0)
            why = "an RCP's statements may only Deny (Allow is for RCPFullAWSAccess alone)";
        else if (!cJSON_IsString(pr) || strcmp(pr->valuestring, "*") != 0)
            why = "an RCP's Principal must be \"*\" (conditions narrow whom it denies)";
        if (why)
            break;
    }
    cJSON_Delete(wrapped);
    return why;
}

/* Resolves an SCP target: "Root", an OU name or id, or an account id/alias. */
static GPtrArray *scp_target(world *w, const char *t)
{
    world_org *o = world_org_get(w);
    if (g_strcmp0(t, "Root") == 0 || g_strcmp0(t, o->root_id) == 0)
        return ((world_ou *)o->ous->pdata[0])->scps;
    world_ou *ou = world_ou_get(w, t);
    if (ou)
        return ou->scps;
    world_account *a = world_account_get(w, t);
    return a && a->ou_id ? a->scps : NULL;
}

/* The RCPs' list of a target ("Root", an OU, a member account), made on
 * first use. */
static GPtrArray **rcp_target(world *w, const char *t)
{
    world_org *o = world_org_get(w);
    if (g_strcmp0(t, "Root") == 0 || g_strcmp0(t, o->root_id) == 0)
        return &((world_ou *)o->ous->pdata[0])->rcps;
    world_ou *ou = world_ou_get(w, t);
    if (ou)
        return &ou->rcps;
    world_account *a = world_account_get(w, t);
    return a && a->ou_id ? &a->rcps : NULL;
}

static void load_rcps(world *w, const cJSON *org, const char *path, jload *l,
                      const char *management, const char *org_id)
{
    const cJSON *rcps = jload_obj(l, org, "rcps", path, false), *rc, *a;
    if (!rcps)
        return;
    world_org *o = world_org_get(w);
    g_autoptr(cJSON) full = cJSON_Parse(RCP_FULL_ACCESS);
    o->rcps = g_ptr_array_new_with_free_func((GDestroyNotify)world_policy_free);
    g_ptr_array_add(o->rcps, world_policy_new("RCPFullAWSAccess",
        "arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess", full, NULL));
    cJSON_ArrayForEach(rc, rcps) {
        g_autofree char *p = g_strdup_printf("organization.rcps.%s", rc->string);
        if (!cJSON_IsObject(rc)) {
            jload_err(l, rc, false, p, "must be an object with policy and targets");
            continue;
        }
        jload_check_keys(l, rc, p, scp_keys);
        const cJSON *doc = jload_obj(l, rc, "policy", p, true);
        g_autofree char *pp = jload_sub(p, "policy");
        const char *why = doc ? rcp_rule(doc) : NULL;
        if (why) {
            jload_err(l, doc, false, pp, "MalformedPolicyDocument: %s", why);
            continue;
        }
        char pid[9];
        g_autofree char *stream = g_strdup_printf("org/rcp/%s", rc->string);
        rng_chars(world_rng(w, stream), pid, 8, "abcdefghijklmnopqrstuvwxyz0123456789");
        g_autofree char *arn = g_strdup_printf(
            "arn:aws:organizations::%s:policy/%s/resource_control_policy/p-%s", management, org_id,
            pid);
        world_policy *wp = doc ? estate_policy(w, l, doc, pp, rc->string, arn, IAM_DOC_RESOURCE)
                               : NULL;
        if (!wp)
            continue;
        g_ptr_array_add(o->rcps, wp);
        int i = 0;
        cJSON_ArrayForEach(a, jload_list(l, rc, "targets", p)) {
            g_autofree char *pi = jload_idx(p, i++);
            GPtrArray **level = cJSON_IsString(a) ? rcp_target(w, a->valuestring) : NULL;
            if (!level) {
                jload_err(l, a, false, pi, "not Root, an OU or a member account");
                continue;
            }
            if (!*level)
                *level = g_ptr_array_new();
            g_ptr_array_add(*level, wp);
        }
    }
}

static void load_org(world *w, const cJSON *org, const char *path, jload *l)
{
    if (!cJSON_IsObject(org)) {
        jload_err(l, org, false, path, "must be an object, not %s", jload_type_name(org));
        return;
    }
    jload_check_keys(l, org, path, org_keys);
    const char *id = jload_str(l, org, "id", path, true);
    const char *mgmt = jload_str(l, org, "management", path, true);
    if (id && !g_regex_match_simple("^o-[a-z0-9]{10,32}$", id, 0, 0))
        jload_err(l, jload_member(org, "id"), false, "organization.id",
            "\"%s\" is not an organization id (o- then 10 to 32 lower-case letters or digits)", id);
    world_account *ma = mgmt ? world_account_get(w, mgmt) : NULL;
    if (mgmt && !ma)
        jload_err(l, jload_member(org, "management"), false, "organization.management",
            "\"%s\" is not an account of this scenario", mgmt);
    if (!id || !ma)
        return;
    world_org *o = world_set_org(w, id, ma->id);
    GError *e = NULL;
    g_autoptr(cJSON) full = cJSON_Parse(FULL_ACCESS);
    world_policy *fa = world_policy_new("FullAWSAccess",
        "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess", full, &e);
    g_assert_no_error(e);
    g_ptr_array_add(o->scps, fa);
    g_free(ma->ou_id);
    ma->ou_id = g_strdup(o->root_id);

    /* OUs in file order; a parent must come first (or be Root). */
    const cJSON *ous = jload_obj(l, org, "ous", path, false), *ou;
    cJSON_ArrayForEach(ou, ous) {
        g_autofree char *p = g_strdup_printf("organization.ous.%s", ou->string);
        if (!cJSON_IsObject(ou)) {
            jload_err(l, ou, false, p, "must be an object, not %s", jload_type_name(ou));
            continue;
        }
        jload_check_keys(l, ou, p, ou_keys);
        const char *parent = jload_str(l, ou, "parent", p, false);
        world_ou *pou = world_ou_get(w, parent ? parent : o->root_id);
        if (!pou && g_strcmp0(parent, "Root") == 0)
            pou = o->ous->pdata[0];
        if (!pou) {
            jload_err(l, jload_member(ou, "parent"), false, p,
                "parent \"%s\" is not Root or an OU defined above", parent);
            continue;
        }
        world_ou *n = g_new0(world_ou, 1);
        char tail[9];
        g_autofree char *stream = g_strdup_printf("org/ou/%s", ou->string);
        rng_chars(world_rng(w, stream), tail, 8, "abcdefghijklmnopqrstuvwxyz0123456789");
        n->id = g_strdup_printf("ou-%s-%s", o->root_id + 2, tail);
        n->name = g_strdup(ou->string);
        n->parent_id = g_strdup(pou->id);
        n->scps = g_ptr_array_new();
        g_ptr_array_add(o->ous, n);
    }
    /* Membership: management and "accounts" under Root, OU accounts below. */
    const cJSON *accts = jload_list(l, org, "accounts", path), *a;
    int i = 0;
    cJSON_ArrayForEach(a, accts) {
        g_autofree char *p = jload_idx("organization.accounts", i++);
        world_account *wa = cJSON_IsString(a) ? world_account_get(w, a->valuestring) : NULL;
        if (!wa)
            jload_err(l, a, false, p, "not an account of this scenario");
        else {
            g_free(wa->ou_id);
            wa->ou_id = g_strdup(o->root_id);
        }
    }
    cJSON_ArrayForEach(ou, ous) {
        g_autofree char *p = g_strdup_printf("organization.ous.%s.accounts", ou->string);
        world_ou *wo = world_ou_get(w, ou->string);
        i = 0;
        cJSON_ArrayForEach(a, jload_list(l, ou, "accounts", p)) {
            g_autofree char *pi = jload_idx(p, i++);
            world_account *wa = cJSON_IsString(a) ? world_account_get(w, a->valuestring) : NULL;
            if (!wa)
                jload_err(l, a, false, pi, "not an account of this scenario");
            else if (wo) {
                g_free(wa->ou_id);
                wa->ou_id = g_strdup(wo->id);
            }
        }
    }
    /* FullAWSAccess sits on every level unless detached. */
    const cJSON *det = jload_list(l, org, "detach_full_aws_access", path);
    for (guint k = 0; k < o->ous->len; k++) {
        world_ou *x = o->ous->pdata[k];
        g_ptr_array_add(x->scps, fa);
    }
    GPtrArray *accs = world_accounts(w);
    for (guint k = 0; k < accs->len; k++) {
        world_account *x = accs->pdata[k];
        if (x->ou_id)
            g_ptr_array_add(x->scps, fa);
    }
    i = 0;
    cJSON_ArrayForEach(a, det) {
        g_autofree char *p = jload_idx("organization.detach_full_aws_access", i++);
        GPtrArray *level = cJSON_IsString(a) ? scp_target(w, a->valuestring) : NULL;
        if (!level)
            jload_err(l, a, false, p, "not Root, an OU or a member account");
        else
            g_ptr_array_remove(level, fa);
    }
    const cJSON *scps = jload_obj(l, org, "scps", path, false), *sc;
    cJSON_ArrayForEach(sc, scps) {
        g_autofree char *p = g_strdup_printf("organization.scps.%s", sc->string);
        if (!cJSON_IsObject(sc)) {
            jload_err(l, sc, false, p, "must be an object with policy and targets");
            continue;
        }
        jload_check_keys(l, sc, p, scp_keys);
        const cJSON *doc = jload_obj(l, sc, "policy", p, true);
        char pid[9];
        g_autofree char *stream = g_strdup_printf("org/scp/%s", sc->string);
        rng_chars(world_rng(w, stream), pid, 8, "abcdefghijklmnopqrstuvwxyz0123456789");
        g_autofree char *arn = g_strdup_printf(
            "arn:aws:organizations::%s:policy/%s/service_control_policy/p-%s", ma->id, id, pid);
        g_autofree char *pp = jload_sub(p, "policy");
        world_policy *wp = doc ? estate_policy(w, l, doc, pp, sc->string, arn, IAM_DOC_IDENTITY) : NULL;
        if (!wp)
            continue;
        g_ptr_array_add(o->scps, wp);
        i = 0;
        cJSON_ArrayForEach(a, jload_list(l, sc, "targets", p)) {
            g_autofree char *pi = jload_idx(p, i++);
            GPtrArray *level = cJSON_IsString(a) ? scp_target(w, a->valuestring) : NULL;
            if (!level)
                jload_err(l, a, false, pi, "not Root, an OU or a member account");
            else
                g_ptr_array_add(level, wp);
        }
    }
    load_rcps(w, org, path, l, ma->id, id);
    const cJSON *rs = jload_member(org, "ram_sharing");
    if (rs && !cJSON_IsBool(rs))
        jload_err(l, rs, false, "organization.ram_sharing", "must be true or false");
    o->ram_sharing = cJSON_IsTrue(rs);
}

static const api_op ops[] = {
    { NULL, NULL, false, API_TO_CALLER },
};

const api_service api_service_organizations = {
    .name = "organizations", .prefix = "organizations",
    .event_source = "organizations.amazonaws.com",
    .endpoint = "organizations.us-east-1.amazonaws.com", .log_region = "us-east-1",
    .ops = ops, .scenario_key = "organization", .configure = load_org,
};
