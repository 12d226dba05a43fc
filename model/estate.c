/* model/estate.c: accounts' bodies, quotas and the services' scenario keys
 * (see estate.h).  The services' own rules live with them; this file only
 * dispatches, through model/services.c. */
#include "model/estate.h"

#include <string.h>

#include "model/base/duration.h"
#include "model/base/json.h"
#include "model/service.h"

/* NULL-terminated union of fixed keys and each service's, built once. */
static const char *const *union_of(const char *const *fixed, bool account)
{
    GPtrArray *k = g_ptr_array_new();
    for (const char *const *f = fixed; *f; f++)
        g_ptr_array_add(k, (gpointer)*f);
    for (const api_service *const *s = api_services; *s; s++) {
        if (account)
            for (const char *const *a = (*s)->account_keys; a && *a; a++)
                g_ptr_array_add(k, (gpointer)*a);
        else if ((*s)->scenario_key)
            g_ptr_array_add(k, (gpointer)(*s)->scenario_key);
    }
    g_ptr_array_add(k, NULL);
    return (const char *const *)g_ptr_array_free(k, FALSE);
}

const char *const *estate_account_keys(void)
{
    static const char *const fixed[] = { "alias", "quotas", NULL };
    static gsize init;
    static const char *const *keys;
    if (g_once_init_enter(&init)) {
        keys = union_of(fixed, true);
        g_once_init_leave(&init, 1);
    }
    return keys;
}

const char *const *estate_scenario_keys(void)
{
    static const char *const fixed[] = { NULL };
    static gsize init;
    static const char *const *keys;
    if (g_once_init_enter(&init)) {
        keys = union_of(fixed, false);
        g_once_init_leave(&init, 1);
    }
    return keys;
}

static void load_quotas(world *w, world_account *a, const cJSON *q, const char *path, jload *l)
{
    const cJSON *qe;
    cJSON_ArrayForEach(qe, q) {
        g_autofree char *p = g_strdup_printf("%s.quotas.%s", path, qe->string);
        int64_t v;
        /* Time quotas become microseconds: bounded as durations are. */
        double hi = g_str_has_suffix(qe->string, "-seconds") ? (double)(DUR_MAX_US / 1000000)
                  : g_str_has_suffix(qe->string, "-ms") ? (double)(DUR_MAX_US / 1000)
                  : JSON_WHOLE_MAX;
        if (!json_whole(qe, 0, hi, &v)) {
            jload_err(l, qe, false, p, hi < JSON_WHOLE_MAX
                      ? "a time quota is a whole number of at most 100 years"
                      : "a quota is a whole number from 0 to 2^53-1");
            continue;
        }
        world_set_quota(w, a, qe->string, v);
    }
}

void estate_load_account(world *w, world_account *a, const cJSON *body, const char *path,
                         jload *l)
{
    jload_check_keys(l, body, path, estate_account_keys());
    for (const api_service *const *s = api_services; *s; s++)
        if ((*s)->load_account)
            (*s)->load_account(w, a, body, path, l);
    load_quotas(w, a, jload_obj(l, body, "quotas", path, false), path, l);
}

void estate_configure(world *w, const cJSON *root, jload *l)
{
    for (const api_service *const *s = api_services; *s; s++) {
        const cJSON *v = (*s)->scenario_key ? jload_member(root, (*s)->scenario_key) : NULL;
        if (v)
            (*s)->configure(w, v, (*s)->scenario_key, l);
    }
    for (const api_service *const *s = api_services; *s; s++)
        if ((*s)->check)
            (*s)->check(w, l);
}

world_policy *estate_policy(world *w, jload *l, const cJSON *doc, const char *path,
                            const char *name, const char *arn, iam_doc_kind kind)
{
    if (!cJSON_IsObject(doc)) {
        jload_err(l, doc, false, path, "a policy document must be an object, not %s",
                  jload_type_name(doc));
        return NULL;
    }
    const char *rule = iam_doc_principal_rule(doc, kind);
    if (rule) {
        jload_err(l, doc, false, path, "MalformedPolicyDocument: %s (%s)", rule,
                  kind == IAM_DOC_IDENTITY ? "an identity policy, boundary or SCP names no principal"
                                           : "every statement of a resource policy names its principal");
        return NULL;
    }
    GError *e = NULL;
    world_policy *p = world_policy_share(w, name, arn, doc, &e);
    if (!p) {
        jload_err(l, doc, false, path, "MalformedPolicyDocument: %s", e->message);
        g_error_free(e);
    }
    return p;
}

void estate_tags(jload *l, const cJSON *tags, const char *path, GPtrArray *out)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, tags) {
        g_autofree char *p = jload_sub(path, t->string);
        if (!cJSON_IsString(t))
            jload_err(l, t, false, p, "tag values are strings");
        else
            world_tags_set(out, t->string, t->valuestring);
    }
}

void estate_forward(void *jl, const cJSON *node, bool at_key, const char *path, const char *msg)
{
    jload_err(jl, node, at_key, path, "%s", msg);
}

bool estate_region_valid(const char *region)
{
    return g_regex_match_simple("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", region, 0, 0);
}

char *estate_principal_arn(const char *account, const char *role, const char *user)
{
    if (role)
        return g_strdup_printf("arn:aws:iam::%s:role/%s", account, role);
    if (user)
        return g_strdup_printf("arn:aws:iam::%s:user/%s", account, user);
    return g_strdup_printf("arn:aws:iam::%s:root", account);
}
