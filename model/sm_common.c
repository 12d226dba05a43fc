/* model/sm_common.c: what every SageMaker module shares: timestamps,
 * UserContext, creation-time filters and NextToken paging as SageMaker's
 * List* operations have them. */
#include "model/sm_common.h"
#include "model/world_int.h"

#include "model/api_aux.h"
#include "model/ram.h"

cJSON *sm_user_context(const principal *p)
{
    cJSON *u = cJSON_CreateObject();
    cJSON *id = cJSON_AddObjectToObject(u, "IamIdentity");
    cJSON_AddStringToObject(id, "Arn", p->arn);
    cJSON_AddStringToObject(id, "PrincipalId", p->principal_id);
    return u;
}

/* A Timestamp member (ISO text or Unix seconds) as simulated microseconds. */
static bool time_member(const api_call *c, const char *member, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(c->input, member);
    int64_t epoch;
    if (cJSON_IsNumber(v)) {
        epoch = (int64_t)v->valuedouble;
    } else if (cJSON_IsString(v)) {
        g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
        g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(v->valuestring, utc);
        if (!dt)
            return false;
        epoch = g_date_time_to_unix(dt);
    } else {
        return false;
    }
    *out = (epoch - world_epoch_s(c->w, 0)) * 1000000;
    return true;
}

bool sm_time_filter(const api_call *c, int64_t t)
{
    int64_t lim;
    if (time_member(c, "CreationTimeAfter", &lim) && !(t > lim))
        return false;
    if (time_member(c, "CreationTimeBefore", &lim) && !(t < lim))
        return false;
    return true;
}

/* SageMaker's List* paging: MaxResults (default 10) and NextToken. */
static const api_paging SM_PAGING = {
    .token = "NextToken", .max = "MaxResults", .dflt = 10,
    .bad_code = "ValidationException", .bad_fmt = "Invalid pagination token %s." };

bool sm_page(api_call *c, guint n, guint *first, guint *count)
{
    return api_page(c, &SM_PAGING, n, first, count);
}

void sm_page_token(api_call *c, guint first, guint count, guint n)
{
    api_page_token(&SM_PAGING, c->output, first, count, n);
}

bool sm_descending(const api_call *c)
{
    return g_strcmp0(api_str(c->input, "SortOrder"), "Ascending") != 0;
}


/* The SageMaker resource the call is about (the first it recorded), for
 * aws:SourceArn; NULL when none is known yet. */
static const char *source_arn(const api_call *c)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, c->resources) {
        const char *arn = api_str(r, "ARN");
        if (arn && g_str_has_prefix(arn, "arn:aws:sagemaker:"))
            return arn;
    }
    return NULL;
}

bool sm_pass_role(api_call *c, const char *role_arn)
{
    world_role *role = role_arn ? world_role_by_arn(c->w, role_arn) : NULL;
    g_autofree char *acct = role_arn ? api_arn_account(role_arn) : NULL;
    g_autoptr(iam_ctx) x = iam_ctx_new();
    iam_ctx_set(x, "iam:PassedToService", SM_SERVICE);
    if (!api_authorize(c, "iam:PassRole", role_arn ? role_arn : "*", acct, NULL,
                       API_RES_OPTIONAL, x)) {
        /* SageMaker answers for IAM, in its own protocol's code. */
        c->err.code = "AccessDeniedException";
        return false;
    }
    /* The role must exist and let SageMaker assume it: the trust policy is
     * evaluated by the IAM engine with the service as the principal. */
    bool trusted = false;
    if (role && world_role_trust(role)) {
        g_autoptr(principal) svc = world_service_principal(SM_SERVICE);
        g_autoptr(GPtrArray) trust = g_ptr_array_new();
        g_ptr_array_add(trust, world_role_trust(role)->compiled);
        /* SageMaker assumes the role for the caller's resource: the keys AWS's
         * confused-deputy guidance has trust policies check (IAM User Guide,
         * "The confused deputy problem"; SageMaker's "Cross-service confused
         * deputy prevention"): the account and ARN of that resource, and the
         * account's organization. */
        g_autoptr(iam_ctx) src = iam_ctx_new();
        iam_ctx_set(src, "aws:SourceAccount", c->caller->account);
        iam_ctx_set(src, "aws:SourceArn", source_arn(c));
        const world_org *org = world_org_get(c->w);
        const world_account *ca = world_account_get(c->w, c->caller->account);
        if (org && ca && ca->ou_id)
            iam_ctx_set(src, "aws:SourceOrgID", org->id);
        iam_decision d;
        trusted = api_explain(c->w, svc, "sts:AssumeRole", role_arn, acct, trust,
                              API_RES_TRUST_POLICY, src, &d, NULL, NULL);
    }
    if (!trusted) {
        api_error_set(&c->err, "ValidationException",
                      "Could not assume role %s. Please ensure that the role exists and allows "
                      "principal '" SM_SERVICE "' to assume the role.", role_arn);
        return false;
    }
    return true;
}

GPtrArray *sm_sorted_values(GHashTable *t, GCompareFunc cmp)
{
    GPtrArray *rows = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, t);
    while (g_hash_table_iter_next(&it, NULL, &v))
        g_ptr_array_add(rows, v);
    g_ptr_array_sort(rows, cmp);
    return rows;
}

bool sm_order_page(api_call *c, GPtrArray *rows, guint *first, guint *count)
{
    if (sm_descending(c))
        for (guint i = 0; i < rows->len / 2; i++) {
            gpointer tmp = rows->pdata[i];
            rows->pdata[i] = rows->pdata[rows->len - 1 - i];
            rows->pdata[rows->len - 1 - i] = tmp;
        }
    return sm_page(c, rows->len, first, count);
}

const char *sm_status_name(sm_status s)
{
    static const char *const names[] = { SM_STATUS_MAP(ENUMX_NAME) };
    return names[s];
}

char *sm_arn_upto(const char *resource, const char *marker)
{
    const char *m = resource && g_str_has_prefix(resource, "arn:aws:sagemaker:")
                  ? strstr(resource, marker) : NULL;
    if (!m)
        return NULL;
    const char *name = m + strlen(marker);
    return g_strndup(resource, (gsize)(name + strcspn(name, "/") - resource));
}

bool sm_explain_shared(world *w, const principal *caller, const char *arn, const char *resource,
                       GPtrArray *out, char **owner)
{
    if (!arn || !g_str_has_prefix(resource, arn))
        return false;
    g_autoptr(GPtrArray) pol = ram_resource_policies(w, arn, caller);
    for (guint i = 0; i < pol->len; i++)
        g_ptr_array_add(out, pol->pdata[i]);     /* RAM's cache keeps them */
    g_free(*owner);
    *owner = api_arn_account(arn);
    return true;
}

bool sm_explain_under(world *w, const principal *caller, const char *marker,
                      const char *resource, GPtrArray *out, api_resource_mode *mode,
                      char **owner)
{
    g_autofree char *arn = sm_arn_upto(resource, marker);
    *mode = API_RES_OPTIONAL;
    return sm_explain_shared(w, caller, arn, resource, out, owner);
}
