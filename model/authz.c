/* model/authz.c: the one place where API handlers meet the IAM engine.
 *
 * api_authorize gathers, for the calling principal, every layer AWS
 * evaluates: identity policies (inline and managed), the permissions
 * boundary, the SCP levels above the caller's account, and the resource-side
 * policies the handler passes; builds the request context AWS would (the
 * aws:Principal* keys, tags, source IP or VPC, time, service hops); and turns
 * a denial into the service's error code and AWS's message. */
#include "model/api.h"
#include "model/world_int.h"
#include "model/service.h"

#include <string.h>

/* aws:PrincipalOrgPaths / aws:ResourceOrgPaths of an account: the path of
 * its parent OU from the organization down, "o-x/r-x/ou-x/.../" (IAM's
 * global condition keys), made once an account (the organization does not
 * change during a run); NULL outside the organization. */
static const char *org_path(const world *w, const world_account *a)
{
    const world_org *org = world_org_get(w);
    if (!org || !a || !a->ou_id)
        return NULL;
    if (a->org_path)
        return a->org_path;
    GString *p = g_string_new(NULL);
    for (const world_ou *o = world_ou_get(w, a->ou_id); o; o = world_ou_get(w, o->parent_id)) {
        g_string_prepend_c(p, '/');
        g_string_prepend(p, o->id);
    }
    g_string_prepend_c(p, '/');
    g_string_prepend(p, org->id);
    ((world_account *)a)->org_path = g_string_free(p, FALSE);
    return a->org_path;
}

/* The keys data-perimeter policies read of the resource: its account (the
 * owner a handler names, else the ARN's, else the caller's: list calls on
 * "*" act in the caller's account), and that account's organization and
 * path in it (the IAM User Guide's global condition keys). */
static const char *owner_of(api_call *c, const char *resource, const char *resource_account,
                            char from_arn[13])
{
    return resource_account ? resource_account
         : api_arn_account_in(resource, from_arn) ? from_arn
         : c->caller->kind == PRINCIPAL_SERVICE ? NULL : c->caller->account;
}

static void resource_context(api_call *c, iam_ctx *ctx, const char *resource,
                             const char *resource_account)
{
    char from_arn[13];
    const char *acct = owner_of(c, resource, resource_account, from_arn);
    if (!acct)
        return;
    iam_ctx_set(ctx, "aws:ResourceAccount", acct);
    const world_account *a = world_account_get(c->w, acct);
    const char *path = org_path(c->w, a);
    if (path) {
        iam_ctx_set(ctx, "aws:ResourceOrgID", world_org_get(c->w)->id);
        iam_ctx_set(ctx, "aws:ResourceOrgPaths", path);
    }
}

/* The context keys every request carries. */
static void base_context(api_call *c, iam_ctx *ctx)
{
    const principal *p = c->caller;
    world_org *org = world_org_get(c->w);
    const world_account *acct = world_account_get(c->w, p->account);
    if (p->kind == PRINCIPAL_SERVICE) {
        iam_ctx_set(ctx, "aws:PrincipalServiceName", p->arn);
        iam_ctx_set(ctx, "aws:PrincipalIsAWSService", "true");
        return;
    }
    iam_ctx_set(ctx, "aws:PrincipalIsAWSService", "false");
    iam_ctx_set(ctx, "aws:PrincipalAccount", p->account);
    iam_ctx_set(ctx, "aws:userid", p->principal_id);
    if (org && acct && acct->ou_id) {
        iam_ctx_set(ctx, "aws:PrincipalOrgID", org->id);
        iam_ctx_set(ctx, "aws:PrincipalOrgPaths", org_path(c->w, acct));
    }
    switch (p->kind) {
    case PRINCIPAL_ROLE_SESSION:
        iam_ctx_set(ctx, "aws:PrincipalArn", p->role->arn);
        iam_ctx_set(ctx, "aws:PrincipalType", "AssumedRole");
        for (guint i = 0; i < p->role->tags->len; i++) {
            const world_tag *t = p->role->tags->pdata[i];
            g_autofree char *k = g_strdup_printf("aws:PrincipalTag/%s", t->key);
            iam_ctx_set(ctx, k, t->value);
        }
        break;
    case PRINCIPAL_USER:
        iam_ctx_set(ctx, "aws:PrincipalArn", p->arn);
        iam_ctx_set(ctx, "aws:PrincipalType", "User");
        iam_ctx_set(ctx, "aws:username", p->user->name);
        for (guint i = 0; i < p->user->tags->len; i++) {
            const world_tag *t = p->user->tags->pdata[i];
            g_autofree char *k = g_strdup_printf("aws:PrincipalTag/%s", t->key);
            iam_ctx_set(ctx, k, t->value);
        }
        break;
    case PRINCIPAL_ROOT:
        iam_ctx_set(ctx, "aws:PrincipalArn", p->arn);
        iam_ctx_set(ctx, "aws:PrincipalType", "Account");
        break;
    case PRINCIPAL_SERVICE:
        break;
    }
    char iso[21];
    world_iso_time(c->w, c->now, iso);
    iam_ctx_set(ctx, "aws:CurrentTime", iso);
    g_autofree char *epoch = g_strdup_printf("%" G_GINT64_FORMAT, world_epoch_s(c->w, c->now));
    iam_ctx_set(ctx, "aws:EpochTime", epoch);
    iam_ctx_set(ctx, "aws:RequestedRegion", world_region(c->w));
    iam_ctx_set(ctx, "aws:SecureTransport", "true");
    if (c->invoked_by) {
        iam_ctx_set(ctx, "aws:ViaAWSService", "true");
        iam_ctx_add(ctx, "aws:CalledVia", c->invoked_by);
        iam_ctx_set(ctx, "aws:CalledViaFirst", c->invoked_by);
        iam_ctx_set(ctx, "aws:CalledViaLast", c->invoked_by);
    } else {
        iam_ctx_set(ctx, "aws:ViaAWSService", "false");
        /* Through a VPC endpoint there is no public source address. */
        if (p->source_vpc || p->source_vpce) {
            iam_ctx_set(ctx, "aws:SourceVpc", p->source_vpc);
            iam_ctx_set(ctx, "aws:SourceVpce", p->source_vpce);
        } else {
            iam_ctx_set(ctx, "aws:SourceIp", p->source_ip);
        }
    }
}

/* A request's policies: on the stack for the usual handful, on the heap
 * past that (evaluate runs on every call; its arrays were a tenth of a
 * cheap call's allocations). */
typedef struct plist {
    const iam_policy **v;
    guint              n, cap;
    const iam_policy  *inl[16];
} plist;

static void plist_init(plist *l)
{
    l->v = l->inl;
    l->n = 0;
    l->cap = G_N_ELEMENTS(l->inl);
}

static void plist_clear(plist *l)
{
    if (l->v != l->inl)
        g_free(l->v);
}

static void plist_add(plist *l, const iam_policy *pol)
{
    if (l->n == l->cap) {
        const iam_policy **grown = g_new(const iam_policy *, 2 * l->cap);
        memcpy(grown, l->v, l->n * sizeof *grown);
        plist_clear(l);
        l->v = grown;
        l->cap *= 2;
    }
    l->v[l->n++] = pol;
}

static void add_policies(plist *out, const GPtrArray *wps)
{
    for (guint i = 0; wps && i < wps->len; i++)
        plist_add(out, ((world_policy *)wps->pdata[i])->compiled);
}

/* The account root is allowed everything its SCPs allow: one policy, made
 * on first use and kept for the process. */
static const iam_policy *root_policy(void)
{
    static iam_policy *root;
    if (g_once_init_enter(&root)) {
        iam_policy *p = iam_policy_compile_text(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
            "\"Resource\":\"*\"}]}", NULL);
        iam_policy_set_name(p, "account root");
        g_once_init_leave(&root, p);
    }
    return root;
}

/* The service whose action this is, or NULL. */
static const api_service *service_for(const char *action)
{
    const char *colon = strchr(action, ':');
    gsize n = colon ? (gsize)(colon - action) : strlen(action);
    char prefix[64];
    if (n >= sizeof prefix)
        return NULL;
    memcpy(prefix, action, n);
    prefix[n] = '\0';
    return api_service_of(prefix);
}

static const char *denied_code_for(const char *action)
{
    const api_service *s = service_for(action);
    if (s && s->denied_code)
        return s->denied_code;
    const char *colon = strchr(action, ':');
    g_autofree char *prefix = colon ? g_strndup(action, (gsize)(colon - action)) : g_strdup(action);
    return api_denied_code(prefix);
}

/* Evaluates one request for the caller of c; fills *d, appends to trace
 * (may be NULL), and returns AWS's message for a denial (NULL when allowed). */
static char *evaluate(api_call *c, const char *action, const char *resource,
                      const char *resource_account, GPtrArray *resource_policies,
                      api_resource_mode mode, const iam_ctx *extra, iam_decision *d,
                      GString *trace)
{
    const principal *p = c->caller;
    g_autoptr(iam_ctx) ctx = iam_ctx_new();
    base_context(c, ctx);
    resource_context(c, ctx, resource, resource_account);
    iam_ctx_merge(ctx, extra);

    plist identity;
    plist_init(&identity);
    const iam_policy *boundary = NULL;
    if (p->kind == PRINCIPAL_ROLE_SESSION) {
        add_policies(&identity, p->role->inline_policies);
        add_policies(&identity, p->role->managed);
        boundary = p->role->boundary ? p->role->boundary->compiled : NULL;
    } else if (p->kind == PRINCIPAL_USER) {
        add_policies(&identity, p->user->inline_policies);
        add_policies(&identity, p->user->managed);
        boundary = p->user->boundary ? p->user->boundary->compiled : NULL;
    } else if (p->kind == PRINCIPAL_ROOT) {
        plist_add(&identity, root_policy());
    }
    /* SCP levels, the organization's root first (world_scp_levels). */
    enum { MAX_LEVELS = 8 };            /* root, five OU levels, the account */
    g_autoptr(GPtrArray) levels = p->kind == PRINCIPAL_SERVICE
        ? g_ptr_array_new() : world_scp_levels(c->w, p->account);
    iam_layer_set scp_stack[MAX_LEVELS + 1] = { 0 };
    plist lists_stack[MAX_LEVELS];
    bool deep = levels->len > MAX_LEVELS;   /* a scenario may nest deeper than AWS allows */
    iam_layer_set *scp = deep ? g_new0(iam_layer_set, levels->len + 1) : scp_stack;
    plist *scp_lists = deep ? g_new(plist, levels->len) : lists_stack;
    for (guint i = 0; i < levels->len; i++) {
        plist_init(&scp_lists[i]);
        add_policies(&scp_lists[i], levels->pdata[i]);
        scp[i].policies = scp_lists[i].v;
        scp[i].n = scp_lists[i].n;
    }
    /* RCPs over the resource's account, for the services they cover. */
    const api_service *svc = service_for(action);
    char owner_buf[13];
    const char *owner = owner_of(c, resource, resource_account, owner_buf);
    /* Only asked for where RCPs can apply: no allocation on other calls. */
    g_autoptr(GPtrArray) rcp_levels = svc && svc->rcp && owner && world_org_get(c->w)
        ? world_rcp_levels(c->w, owner) : NULL;
    guint n_rcp = rcp_levels ? rcp_levels->len : 0;
    iam_layer_set rcp_stack[MAX_LEVELS + 1] = { 0 };
    iam_layer_set *rcp = n_rcp > MAX_LEVELS ? g_new0(iam_layer_set, n_rcp) : rcp_stack;
    for (guint i = 0; i < n_rcp; i++) {
        /* world_rcp_levels' lists hold world_policy*; the request wants the compiled. */
        GPtrArray *lv = rcp_levels->pdata[i];
        for (guint k = 0; k < lv->len; k++)
            lv->pdata[k] = ((world_policy *)lv->pdata[k])->compiled;
        rcp[i].policies = (const iam_policy *const *)lv->pdata;
        rcp[i].n = lv->len;
    }
    iam_request rq = {
        .kind = p->kind == PRINCIPAL_ROLE_SESSION ? IAM_PRINCIPAL_SESSION
              : p->kind == PRINCIPAL_USER ? IAM_PRINCIPAL_USER
              : p->kind == PRINCIPAL_ROOT ? IAM_PRINCIPAL_ROOT : IAM_PRINCIPAL_SERVICE,
        .principal_arn = p->arn,
        .principal_account = p->account,
        .role_arn = p->role ? p->role->arn : NULL,
        .action = action,
        .resource = resource ? resource : "*",
        .resource_account = resource_account,
        .ctx = ctx,
        .identity = { identity.v, identity.n },
        .boundary = boundary,
        .scp_levels = scp,
        .n_scp_levels = levels->len,
        .rcp_levels = rcp,
        .n_rcp_levels = n_rcp,
        .resource_policies = { resource_policies ? (const iam_policy *const *)resource_policies->pdata : NULL,
                               resource_policies ? resource_policies->len : 0 },
        .mode = mode == API_RES_KEY_POLICY ? IAM_RES_KEY_POLICY
              : mode == API_RES_TRUST_POLICY ? IAM_RES_TRUST_POLICY : IAM_RES_OPTIONAL,
    };
    if (trace) {
        g_autofree char *keys = iam_ctx_describe(ctx);
        g_string_append_printf(trace, "context:\n%s", keys);
    }
    iam_evaluate(&rq, d, trace);
    char *msg = d->effect == IAM_ALLOW ? NULL : iam_denied_message(&rq, d);
    plist_clear(&identity);
    for (guint i = 0; i < levels->len; i++)
        plist_clear(&scp_lists[i]);
    if (deep) {
        g_free(scp);
        g_free(scp_lists);
    }
    if (rcp != rcp_stack)
        g_free(rcp);
    return msg;
}

bool api_authorize(api_call *c, const char *action, const char *resource,
                   const char *resource_account, GPtrArray *resource_policies,
                   api_resource_mode mode, const iam_ctx *extra)
{
    return api_authorize_granted(c, action, resource, resource_account, resource_policies, mode,
                                 extra, NULL);
}

/* Whether a grant match allows the call: a grant for the caller does; one
 * for its account does when the account's own policies let the caller act
 * (SCPs and boundary included), as in one account with no resource policy. */
static bool grant_decides(api_call *c, api_grant_match m, const char *action,
                          const char *resource, const iam_ctx *extra)
{
    if (m != API_GRANT_ACCOUNT)
        return m == API_GRANT_CALLER;
    iam_decision own;
    char *why = evaluate(c, action, resource, c->caller->account, NULL, API_RES_OPTIONAL, extra,
                         &own, NULL);
    bool ok = why == NULL;
    g_free(why);
    return ok;
}

bool api_authorize_granted(api_call *c, const char *action, const char *resource,
                           const char *resource_account, GPtrArray *resource_policies,
                           api_resource_mode mode, const iam_ctx *extra,
                           const api_grant_fn *grant)
{
    iam_decision d;
    char *msg = evaluate(c, action, resource, resource_account, resource_policies, mode, extra,
                         &d, NULL);
    if (!msg)
        return true;
    if (grant && d.effect == IAM_IMPLICIT_DENY &&
        (d.layer == IAM_LAYER_RESOURCE || d.layer == IAM_LAYER_IDENTITY)) {
        api_grant_match m = grant->allows(c, grant->subject, grant->extra, action);
        if (grant_decides(c, m, action, resource, extra)) {
            g_free(msg);
            return true;
        }
    }
    c->denied_layer = (int)d.layer;
    g_free(c->decision);
    c->decision = iam_decision_text(&d);
    const api_service *s = service_for(action);
    api_error_set(&c->err, denied_code_for(action), "%s%s",
                  s && s->denied_preamble ? s->denied_preamble : "", msg);
    g_free(msg);
    return false;
}

bool api_explain(world *w, const principal *caller, const char *action, const char *resource,
                 const char *resource_account, GPtrArray *resource_policies,
                 api_resource_mode mode, const iam_ctx *extra, iam_decision *d,
                 GString *trace, char **message)
{
    return api_explain_granted(w, caller, action, resource, resource_account, resource_policies,
                               mode, extra, NULL, false, d, trace, message);
}

/* A grant may allow what the policies leave implicitly denied at the
 * resource or identity layer, as api_authorize_granted decides; the trace
 * says which. */
static void explain_grant(api_call *c, const char *action, const char *resource,
                          const iam_ctx *extra, const cJSON *ectx, iam_decision *d,
                          GString *trace, char **msg)
{
    const api_service *svc = service_for(action);
    if (!svc || !svc->grant_for || d->effect != IAM_IMPLICIT_DENY ||
        (d->layer != IAM_LAYER_RESOURCE && d->layer != IAM_LAYER_IDENTITY))
        return;
    const char *id = NULL;
    api_grant_match m = svc->grant_for(c, action, resource, ectx, &id);
    bool ok = grant_decides(c, m, action, resource, extra);
    if (trace && m != API_GRANT_NONE)
        g_string_append_printf(trace, "  grant                  %s (for the caller%s): %s\n", id,
                               m == API_GRANT_ACCOUNT ? "'s account" : "",
                               ok ? "allows it" : "the account's own policies do not allow it");
    else if (trace)
        g_string_append(trace, "  grant                  no grant allows it\n");
    if (!ok)
        return;
    d->effect = IAM_ALLOW;
    g_clear_pointer(msg, g_free);
    if (trace)
        g_string_append(trace, "decision: Allow (by the grant)\n");
}

bool api_explain_granted(world *w, const principal *caller, const char *action,
                         const char *resource, const char *resource_account,
                         GPtrArray *resource_policies, api_resource_mode mode,
                         const iam_ctx *extra, const cJSON *ectx, bool grants, iam_decision *d,
                         GString *trace, char **message)
{
    const char *colon = action ? strchr(action, ':') : NULL;
    g_autofree char *prefix = colon ? g_strndup(action, (gsize)(colon - action)) : NULL;
    for (const api_service *const *s = api_services; prefix && *s; s++) {
        if (g_strcmp0((*s)->prefix, prefix) != 0 || !(*s)->unauthorized ||
            !g_strv_contains((const char *const *)(*s)->unauthorized, action))
            continue;
        /* Decided by no policy, as the call path decides it. */
        *d = (iam_decision){ .effect = IAM_ALLOW, .layer = IAM_LAYER_NONE, .statement = -1 };
        if (trace)
            g_string_append_printf(trace, "  %s needs no permission: no policy is evaluated and "
                                          "a Deny does not stop it\n", action);
        if (message)
            *message = NULL;
        return true;
    }
    const api_service *svc = action ? service_for(action) : NULL;
    const char *code = NULL;
    const char *why = svc && svc->refuses ? svc->refuses(action, resource, &code) : NULL;
    if (why) {
        /* Refused by the service itself, as run refuses it: no policy is read. */
        *d = (iam_decision){ .effect = IAM_IMPLICIT_DENY, .layer = IAM_LAYER_NONE,
                             .statement = -1 };
        if (trace)
            g_string_append_printf(trace, "  %s on %s is refused before any policy is read\n",
                                   action, resource ? resource : "*");
        if (message)
            *message = g_strdup_printf("%s: %s", code, why);
        return false;
    }
    api_call c = { .w = w, .caller = caller, .now = world_now(w) };
    char *msg = evaluate(&c, action, resource, resource_account, resource_policies, mode, extra,
                         d, trace);
    if (grants)
        explain_grant(&c, action, resource, extra, ectx, d, trace, &msg);
    if (message)
        *message = msg;
    else
        g_free(msg);
    return d->effect == IAM_ALLOW;
}
