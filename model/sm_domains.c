/* model/sm_domains.c: SageMaker domains, user profiles, spaces and apps
 * (SPEC D1-D7, seed 003).
 *
 * Owns the service slot "sagemaker-domains": every domain of the world by
 * id, and its user profiles, spaces and apps by "<domain>/<name>" (apps by
 * ARN).  A domain belongs to the account that created it and is reached only
 * from that account (another account's id is ResourceNotFound).
 *
 * Life cycles run in simulated time (world_schedule), with durations drawn
 * from the calling actor's stream: a domain is Pending for minutes, then
 * InService or Failed (D3); Updating then InService; Deleting then gone.
 * Profiles and spaces go Pending -> InService and Deleting -> gone; apps
 * Pending -> InService or Failed and Deleting -> Deleted (kept, as AWS lists
 * deleted apps for a while).  A pending timer is cancelled when its object
 * goes away.
 *
 * The rules:
 * - D1: AuthMode SSO needs IAM Identity Center enabled in the domain's own
 *   region (the account's "identity_center_regions").
 * - D2: CreatePresignedDomainUrl, the access path that IAM policies with
 *   aws:SourceIp / aws:SourceVpc / aws:SourceVpce conditions restrict, exists
 *   only for IAM-mode domains; SSO users sign in through the access portal.
 * - D3: every execution role handed to SageMaker (DefaultUserSettings,
 *   UserSettings, DefaultSpaceSettings, the RStudio domain execution role)
 *   needs iam:PassRole for the caller (iam:PassedToService
 *   sagemaker.amazonaws.com), must exist and must trust
 *   sagemaker.amazonaws.com, all decided by the IAM engine.
 * - D4: profiles carry the execution role their apps run as; when an app
 *   starts, SageMaker assumes that role (an sts:AssumeRole record in the
 *   account's log) and the app's first call to SageMaker is made with the
 *   role's session.  In SSO mode a profile names its Identity Center user.
 * - D5: in VpcOnly mode an app reaches SageMaker only through interface
 *   endpoints for sagemaker.api and sagemaker.runtime or a NAT gateway, and
 *   only if one of its security groups allows outbound connections; shared
 *   spaces get the domain's security groups only in VpcOnly mode (in
 *   PublicInternetOnly mode apps run in a VPC SageMaker manages).
 * - D6: the EFS/EBS KMS key is fixed at creation (UpdateDomain has no member
 *   for it); SageMaker uses it with the creator's rights when it builds the
 *   file system, and a key the creator may not use fails the domain.
 * - D7: StudioWebPortalSettings hide app types and ML tools in the Studio UI
 *   only; RStudio needs an "RStudio Workbench" license in the account and a
 *   domain execution role with the license-manager and logs permissions of
 *   the seed; the domain's RStudioServerPro app is restarted by SageMaker,
 *   as that role (sagemaker:CreateApp), when it is Deleted or Failed.
 *
 * Iteration order that reaches output is always sorted, never hash order. */
#include "model/sm_domains_int.h"
#include "model/api_aux.h"
#include "model/service.h"

static void dom_free(gpointer p)
{
    dom *d = p;
    g_free(d->id); g_free(d->arn); g_free(d->name); g_free(d->account); g_free(d->url);
    g_free(d->auth_mode); g_free(d->failure);
    g_free(d->vpc_id); g_free(d->network);
    g_ptr_array_unref(d->subnets);
    g_free(d->kms_key_id); g_free(d->efs_id); g_free(d->sso_instance); g_free(d->sso_app_arn);
    cJSON_Delete(d->user_settings); cJSON_Delete(d->domain_settings);
    cJSON_Delete(d->space_settings);
    g_free(d->sg_management); g_free(d->tag_propagation);
    principal_free(d->creator);
    g_free(d);
}

static void profile_free(gpointer p)
{
    profile *u = p;
    g_free(u->domain_id); g_free(u->name); g_free(u->arn);
    g_free(u->failure); g_free(u->sso_id); g_free(u->sso_value);
    cJSON_Delete(u->settings);
    g_free(u);
}

static void space_free(gpointer p)
{
    sm_space *s = p;
    g_free(s->domain_id); g_free(s->name); g_free(s->arn);
    g_free(s->failure); g_free(s->display); g_free(s->owner); g_free(s->sharing);
    cJSON_Delete(s->settings);
    g_free(s);
}

static void app_free(gpointer p)
{
    app *a = p;
    g_free(a->domain_id); g_free(a->profile); g_free(a->space); g_free(a->type);
    g_free(a->name); g_free(a->arn); g_free(a->failure);
    cJSON_Delete(a->spec);
    g_free(a);
}

static void state_free(gpointer p)
{
    dom_state *s = p;
    g_hash_table_unref(s->apps);
    g_hash_table_unref(s->spaces);
    g_hash_table_unref(s->profiles);
    g_hash_table_unref(s->domains);
    g_free(s);
}

dom_state *smd__state_of(world *w)
{
    dom_state *s = world_service_state(w, DOM_SLOT);
    if (!s) {
        s = g_new0(dom_state, 1);
        s->domains = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, dom_free);
        s->profiles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, profile_free);
        s->spaces = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, space_free);
        s->apps = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, app_free);
        world_set_service_state(w, DOM_SLOT, s, state_free);
    }
    return s;
}

/* Replaces *field by a copy of v (which may be *field itself). */
static void set_str(char **field, const char *v)
{
    char *old = *field;
    *field = g_strdup(v);
    g_free(old);
}

char *smd__child_key(const char *domain_id, const char *name)
{
    return g_strdup_printf("%s/%s", domain_id, name);
}

profile *smd__profile_get(world *w, const char *domain_id, const char *name)
{
    g_autofree char *k = smd__child_key(domain_id, name);
    return g_hash_table_lookup(smd__state_of(w)->profiles, k);
}

sm_space *smd__space_get(world *w, const char *domain_id, const char *name)
{
    g_autofree char *k = smd__child_key(domain_id, name);
    return g_hash_table_lookup(smd__state_of(w)->spaces, k);
}

/* ---- small helpers -------------------------------------------------------------------- */

int64_t smd__draw_us(rng *r, double median, double p99)
{
    return (int64_t)(rng_lognormal(r, median, p99) * 1e6);
}

const cJSON *smd__obj(const cJSON *o, const char *member)
{
    return cJSON_GetObjectItemCaseSensitive(o, member);
}

cJSON *smd__dup_or_null(const cJSON *v)
{
    return v ? cJSON_Duplicate(v, 1) : NULL;
}

static rng *stream_of(world *w, const char *kind, const char *key)
{
    g_autofree char *name = g_strdup_printf("sagemaker/%s/%s", kind, key);
    return world_rng(w, name);
}

char *sm_domains_app_arn(const char *region, const char *account, const char *domain_id,
                         const char *owner, const char *app_type, const char *app_name)
{
    g_autofree char *type = g_ascii_strdown(app_type, -1);
    return g_strdup_printf("arn:aws:sagemaker:%s:%s:app/%s/%s/%s/%s", region, account,
                           domain_id, owner, type, app_name);
}

static char *domain_arn_for(world *w, const char *account, const char *id)
{
    return g_strdup_printf("arn:aws:sagemaker:%s:%s:domain/%s", world_region(w), account, id);
}

char *smd__profile_arn_for(world *w, const char *account, const char *domain_id,
                             const char *name)
{
    return g_strdup_printf("arn:aws:sagemaker:%s:%s:user-profile/%s/%s", world_region(w),
                           account, domain_id, name);
}

char *smd__space_arn_for(world *w, const char *account, const char *domain_id,
                           const char *name)
{
    return g_strdup_printf("arn:aws:sagemaker:%s:%s:space/%s/%s", world_region(w), account,
                           domain_id, name);
}

static void reverse(GPtrArray *rows)
{
    for (guint i = 0; i < rows->len / 2; i++) {
        gpointer tmp = rows->pdata[i];
        rows->pdata[i] = rows->pdata[rows->len - 1 - i];
        rows->pdata[rows->len - 1 - i] = tmp;
    }
}

/* The request tags as aws:RequestTag/ and aws:TagKeys context. */
static iam_ctx *tag_ctx(const api_call *c)
{
    iam_ctx *x = iam_ctx_new();
    api_ctx_request_tags(x, smd__obj(c->input, "Tags"), "Key", "Value");
    return x;
}

/* Authorises a Create* call on arn.  With Tags the caller also needs
 * sagemaker:AddTags on it: SageMaker tags the resource as it creates it
 * ("Provide permissions for tagging SageMaker AI resources"). */
bool smd__authorize_create(api_call *c, const char *action, const char *arn)
{
    g_autoptr(iam_ctx) x = tag_ctx(c);
    if (!api_authorize(c, action, arn, NULL, NULL, API_RES_OPTIONAL, x))
        return false;
    if (cJSON_GetArraySize(smd__obj(c->input, "Tags")) == 0)
        return true;
    return api_authorize(c, "sagemaker:AddTags", arn, NULL, NULL, API_RES_OPTIONAL, x);
}

/* ---- lookups with AWS's errors ------------------------------------------------------------ */

/* The caller's domain DomainId: authorises action on it first (with extra
 * context), then finds it.  NULL with c->err set. */
dom *smd__domain_for(api_call *c, const char *action, const iam_ctx *extra)
{
    const char *id = api_str(c->input, "DomainId");
    g_autofree char *arn = domain_arn_for(c->w, c->caller->account, id);
    api_resource(c, arn, c->caller->account, "AWS::SageMaker::Domain");
    if (action && !api_authorize(c, action, arn, NULL, NULL, API_RES_OPTIONAL, extra))
        return NULL;
    dom *d = g_hash_table_lookup(smd__state_of(c->w)->domains, id);
    if (!d || strcmp(d->account, c->caller->account) != 0) {
        api_error_set(&c->err, "ResourceNotFound", "Cannot find Domain with ID %s", id);
        return NULL;
    }
    return d;
}

bool smd__domain_in_service(api_call *c, const dom *d)
{
    if (d->status == SM_IN_SERVICE)
        return true;
    api_error_set(&c->err, "ResourceInUse",
                  "Domain %s is in status %s; the request needs it InService.", d->id, sm_status_name(d->status));
    return false;
}

/* ---- execution roles (D3) -------------------------------------------------------------- */

/* Hands role_arn to SageMaker (D3): iam:PassRole for the caller, the role
 * exists and trusts sagemaker.amazonaws.com (sm_pass_role).  NULL: nothing
 * handed over. */
bool smd__pass_role(api_call *c, const char *role_arn)
{
    return !role_arn || sm_pass_role(c, role_arn);
}

const char *smd__settings_role(const cJSON *settings)
{
    return api_str(settings, "ExecutionRole");
}

const char *smd__rstudio_role(const cJSON *domain_settings)
{
    return api_str(smd__obj(domain_settings, "RStudioServerProDomainSettings"),
                   "DomainExecutionRoleArn");
}

/* ---- networks (D5) ------------------------------------------------------------------------ */

/* Every security group of list (a JSON list of ids) must be in vpc. */
bool smd__check_sgs(api_call *c, const infra_vpc *vpc, const cJSON *list, const char *member)
{
    const cJSON *g;
    cJSON_ArrayForEach(g, list) {
        if (!infra_sg_get(vpc, g->valuestring)) {
            api_error_set(&c->err, "ValidationException",
                          "%s: security group %s does not exist in VPC %s.", member,
                          g->valuestring, vpc ? vpc->id : "(none)");
            return false;
        }
    }
    return true;
}

char *sm_domains_unreachable(const infra_vpc *vpc, const GPtrArray *sgs, const char *region)
{
    bool egress = false;
    for (guint i = 0; sgs && i < sgs->len; i++) {
        const infra_sg *g = infra_sg_get(vpc, sgs->pdata[i]);
        egress |= g && g->outbound;
    }
    if (!egress) {
        g_autoptr(GString) list = g_string_new(NULL);
        for (guint i = 0; sgs && i < sgs->len; i++)
            g_string_append_printf(list, "%s%s", i ? ", " : "", (const char *)sgs->pdata[i]);
        return g_strdup_printf("The app's security groups (%s) allow no outbound connections, "
                               "so it cannot reach the SageMaker API.",
                               list->len ? list->str : "none");
    }
    if (vpc && vpc->nat_ip)
        return NULL;
    g_autoptr(GString) missing = g_string_new(NULL);
    const char *const needed[] = { "sagemaker.api", "sagemaker.runtime" };
    for (gsize k = 0; k < G_N_ELEMENTS(needed); k++)
        if (!infra_endpoint_get(vpc, needed[k]))
            g_string_append_printf(missing, "%scom.amazonaws.%s.%s", missing->len ? " and " : "",
                                   region, needed[k]);
    if (!missing->len)
        return NULL;
    return g_strdup_printf("The domain uses VpcOnly network access and VPC %s has no interface "
                           "endpoint for %s and no NAT gateway, so the app cannot reach the "
                           "SageMaker API.", vpc ? vpc->id : "(none)", missing->str);
}

/* ---- apps: where they run and as whom (D4, D5, D7) ---------------------------------------- */

const cJSON *smd__profile_settings(world *w, const dom *d, const char *name)
{
    const profile *u = name ? smd__profile_get(w, d->id, name) : NULL;
    return u ? u->settings : NULL;
}

/* The execution role an app runs as. */
static const char *app_role(world *w, const dom *d, const app *a)
{
    if (strcmp(a->type, "RStudioServerPro") == 0)
        return smd__rstudio_role(d->domain_settings);
    const char *owner = a->profile;
    if (a->space) {
        const sm_space *sp = smd__space_get(w, d->id, a->space);
        if (sp && g_strcmp0(sp->sharing, "Shared") == 0) {
            const char *r = smd__settings_role(d->space_settings);
            return r ? r : smd__settings_role(d->user_settings);
        }
        owner = sp ? sp->owner : NULL;
    }
    const char *r = smd__settings_role(smd__profile_settings(w, d, owner));
    return r ? r : smd__settings_role(d->user_settings);
}

static void add_ids(GPtrArray *out, const cJSON *list)
{
    const cJSON *g;
    cJSON_ArrayForEach(g, list)
        if (cJSON_IsString(g))
            g_ptr_array_add(out, g->valuestring);
}

/* The security groups an app's network interface gets in VpcOnly mode
 * (borrowed strings).  A shared space gets the domain's groups (those of
 * DefaultSpaceSettings, else of DefaultUserSettings); a private space or a
 * profile's app those of its profile, else the domain's defaults. */
static GPtrArray *app_sgs(world *w, const dom *d, const app *a)
{
    GPtrArray *out = g_ptr_array_new();
    if (strcmp(a->type, "RStudioServerPro") == 0) {
        add_ids(out, smd__obj(d->domain_settings, "SecurityGroupIds"));
        add_ids(out, smd__obj(d->user_settings, "SecurityGroups"));
        return out;
    }
    const char *owner = a->profile;
    if (a->space) {
        const sm_space *sp = smd__space_get(w, d->id, a->space);
        if (sp && g_strcmp0(sp->sharing, "Shared") == 0) {
            const cJSON *l = smd__obj(d->space_settings, "SecurityGroups");
            add_ids(out, l ? l : smd__obj(d->user_settings, "SecurityGroups"));
            return out;
        }
        owner = sp ? sp->owner : NULL;
    }
    const cJSON *l = smd__obj(smd__profile_settings(w, d, owner), "SecurityGroups");
    add_ids(out, l ? l : smd__obj(d->user_settings, "SecurityGroups"));
    return out;
}

/* The seed's RStudio policy, less sagemaker:CreateApp (needed only to
 * restart the app): what the RStudioServerPro app does with its role. */
static const char *const rstudio_actions[] = {
    "license-manager:ExtendLicenseConsumption", "license-manager:ListReceivedLicenses",
    "license-manager:GetLicense", "license-manager:CheckoutLicense",
    "license-manager:CheckInLicense", "logs:CreateLogDelivery", "logs:CreateLogGroup",
    "logs:CreateLogStream", "logs:DeleteLogDelivery", "logs:DescribeLogGroups",
    "logs:GetLogDelivery", "logs:GetLogEvents", "logs:ListLogDeliveries", "logs:PutLogEvents",
    "logs:PutResourcePolicy", "logs:UpdateLogDelivery",
};

/* Starts app a of domain d; returns why it failed (a new string) or NULL. */
static char *app_start(world *w, dom *d, app *a)
{
    rng *r = stream_of(w, "app", a->arn);
    const char *role = app_role(w, d, a);
    if (!role)
        return g_strdup("The app has no execution role: set ExecutionRole in the user "
                        "profile's or the domain's settings.");
    /* D4: SageMaker assumes the execution role the app runs as. */
    g_autoptr(principal) svc = world_service_principal(SM_SERVICE);
    svc->account = g_strdup(d->account);
    g_autoptr(cJSON) in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "RoleArn", role);
    cJSON_AddStringToObject(in, "RoleSessionName", APP_SESSION);
    api_error e = { 0 };
    if (!api_invoke(w, svc, "sts:AssumeRole", in, r, NULL, &e)) {
        char *why = g_strdup_printf("SageMaker could not assume the execution role %s: %s: %s",
                                    role, e.code, e.message ? e.message : "");
        api_error_clear(&e);
        return why;
    }
    /* D5: in VpcOnly mode the app lives in the domain's VPC. */
    const infra_vpc *vpc = infra_vpc_get(w, d->account, d->vpc_id);
    bool vpc_only = g_strcmp0(d->network, "VpcOnly") == 0;
    if (vpc_only) {
        g_autoptr(GPtrArray) sgs = app_sgs(w, d, a);
        char *why = sm_domains_unreachable(vpc, sgs, world_region(w));
        if (why)
            return why;
    }
    g_autoptr(GError) gerr = NULL;
    g_autoptr(principal) session = world_principal_for(w, role, APP_SESSION, &gerr);
    if (!session)
        return g_strdup_printf("The execution role %s does not exist.", role);
    if (strcmp(a->type, "RStudioServerPro") == 0) {
        /* D7: the license, then what the app does with its role. */
        if (!infra_has_license(w, d->account, RSTUDIO_PRODUCT))
            return g_strdup_printf("No %s license was found in AWS License Manager for account "
                                   "%s. RStudio on SageMaker needs one.", RSTUDIO_PRODUCT,
                                   d->account);
        for (gsize i = 0; i < G_N_ELEMENTS(rstudio_actions); i++) {
            iam_decision dec;
            if (!api_explain(w, session, rstudio_actions[i], "*", NULL, NULL, API_RES_OPTIONAL,
                             NULL, &dec, NULL, NULL))
                return g_strdup_printf("The RStudioServerPro app's execution role %s is not "
                                       "authorized to perform %s.", role, rstudio_actions[i]);
        }
        return NULL;
    }
    /* D4: the app's first call to SageMaker, made with the role's session,
     * from where the app's network puts it (modelling choice: DescribeDomain). */
    g_free(session->source_ip);
    session->source_ip = NULL;
    const infra_endpoint *ep = vpc_only ? infra_endpoint_get(vpc, "sagemaker.api") : NULL;
    if (ep) {
        session->source_vpc = g_strdup(vpc->id);
        session->source_vpce = g_strdup(ep->id);
    } else {
        session->source_ip = g_strdup(vpc_only ? vpc->nat_ip : "AWS Internal");
    }
    g_autoptr(cJSON) din = cJSON_CreateObject();
    cJSON_AddStringToObject(din, "DomainId", d->id);
    api_invoke(w, session, "sagemaker:DescribeDomain", din, r, NULL, NULL);
    return NULL;
}

cJSON *smd__app_json(world *w, const app *a)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "AppArn", a->arn);
    cJSON_AddStringToObject(o, "AppType", a->type);
    cJSON_AddStringToObject(o, "AppName", a->name);
    cJSON_AddStringToObject(o, "DomainId", a->domain_id);
    if (a->profile)
        cJSON_AddStringToObject(o, "UserProfileName", a->profile);
    if (a->space)
        cJSON_AddStringToObject(o, "SpaceName", a->space);
    cJSON_AddStringToObject(o, "Status", sm_status_name(a->status));
    api_add_time(w, o, "CreationTime", a->created_us);
    if (a->failure)
        cJSON_AddStringToObject(o, "FailureReason", a->failure);
    if (a->spec)
        cJSON_AddItemToObject(o, "ResourceSpec", cJSON_Duplicate(a->spec, 1));
    return o;
}

static void notify_app(world *w, const dom *d, const app *a)
{
    g_autoptr(cJSON) payload = smd__app_json(w, a);
    world_notify(w, d->account, "sagemaker:app", payload);
}

static void schedule_restart(world *w, dom *d);

/* Makes (or remakes, over a Deleted or Failed one) an app, Pending. */
app *smd__app_put(world *w, dom *d, const char *profile_name, const char *space_name,
                    const char *type, const char *name, const cJSON *spec, rng *r)
{
    dom_state *s = smd__state_of(w);
    const char *owner = space_name ? space_name : profile_name;
    g_autofree char *arn = sm_domains_app_arn(world_region(w), d->account, d->id, owner, type,
                                              name);
    app *old = g_hash_table_lookup(s->apps, arn);
    if (old) {
        if (old->timer)
            world_cancel(w, old->timer);
        g_hash_table_remove(s->apps, arn);
    }
    app *a = g_new0(app, 1);
    a->domain_id = g_strdup(d->id);
    a->profile = g_strdup(space_name ? NULL : profile_name);
    a->space = g_strdup(space_name);
    a->type = g_strdup(type);
    a->name = g_strdup(name);
    a->arn = g_steal_pointer(&arn);
    a->status = SM_PENDING;
    a->spec = smd__dup_or_null(spec);
    a->created_us = world_now(w);
    g_hash_table_insert(s->apps, a->arn, a);
    world_resource_add(w, a->arn, d->account, NULL);
    a->timer = world_schedule(w, world_now(w) + smd__draw_us(r, APP_CREATE_S), smd__app_settle,
                              g_strdup(a->arn), g_free);
    return a;
}

/* An app's Pending or Deleting ends. */
void smd__app_settle(world *w, void *data)
{
    dom_state *s = smd__state_of(w);
    app *a = g_hash_table_lookup(s->apps, data);
    if (!a)
        return;
    a->timer = 0;
    dom *d = g_hash_table_lookup(s->domains, a->domain_id);
    if (!d)
        return;
    bool rstudio = strcmp(a->type, "RStudioServerPro") == 0;
    if (d->status == SM_DELETING) {   /* the domain goes, and its apps with it */
        a->status = SM_DELETED;
        return;
    }
    if (a->status == SM_DELETING) {
        a->status = SM_DELETED;
        notify_app(w, d, a);
        if (rstudio) {
            d->rstudio_failures = 0;
            schedule_restart(w, d);
        }
        return;
    }
    char *why = app_start(w, d, a);
    a->status = why ? SM_FAILED : SM_IN_SERVICE;
    g_free(a->failure);
    a->failure = why;
    notify_app(w, d, a);
    if (rstudio) {
        if (why) {
            d->rstudio_failures++;
            schedule_restart(w, d);
        } else {
            d->rstudio_failures = 0;
        }
    }
}

/* D7: SageMaker restarts the domain's RStudioServerPro app as the RStudio
 * domain execution role; the role's policy must allow sagemaker:CreateApp. */
static void rstudio_restart(world *w, void *data)
{
    dom *d = g_hash_table_lookup(smd__state_of(w)->domains, data);
    if (!d)
        return;
    d->restart_timer = 0;
    const char *role = smd__rstudio_role(d->domain_settings);
    if (!role || d->status != SM_IN_SERVICE)
        return;
    g_autoptr(principal) p = world_principal_for(w, role, APP_SESSION, NULL);
    if (!p)
        return;
    g_autoptr(cJSON) in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "DomainId", d->id);
    cJSON_AddStringToObject(in, "UserProfileName", DOMAIN_SHARED);
    cJSON_AddStringToObject(in, "AppType", "RStudioServerPro");
    cJSON_AddStringToObject(in, "AppName", "default");
    api_invoke_via(w, p, SM_SERVICE, "sagemaker:CreateApp", in, stream_of(w, "domain", d->id),
                   NULL, NULL);
}

/* Modelling choice: after RESTART_QUOTA consecutive failed starts SageMaker
 * stops restarting (AWS documents no limit; an endless loop helps nobody). */
static void schedule_restart(world *w, dom *d)
{
    if (d->restart_timer || !smd__rstudio_role(d->domain_settings))
        return;
    if (d->rstudio_failures > world_quota(w, d->account, RESTART_QUOTA, RESTART_QUOTA_DEFAULT))
        return;
    rng *r = stream_of(w, "domain", d->id);
    d->restart_timer = world_schedule(w, world_now(w) + smd__draw_us(r, RESTART_S), rstudio_restart,
                                      g_strdup(d->id), g_free);
}

/* The domain-level RStudioServerPro app, made when an RStudio domain comes
 * InService (or RStudio is added by UpdateDomain). */
static void rstudio_launch(world *w, dom *d)
{
    if (!smd__rstudio_role(d->domain_settings))
        return;
    g_autofree char *arn = sm_domains_app_arn(world_region(w), d->account, d->id, DOMAIN_SHARED,
                                              "RStudioServerPro", "default");
    const app *cur = g_hash_table_lookup(smd__state_of(w)->apps, arn);
    if (cur && (cur->status == SM_IN_SERVICE || cur->status == SM_PENDING))
        return;
    const cJSON *spec = smd__obj(smd__obj(d->domain_settings, "RStudioServerProDomainSettings"),
                            "DefaultResourceSpec");
    smd__app_put(w, d, DOMAIN_SHARED, NULL, "RStudioServerPro", "default", spec,
            stream_of(w, "domain", d->id));
}

/* ---- domains -------------------------------------------------------------------------------- */

static void notify_domain(world *w, const dom *d, sm_status status)
{
    g_autoptr(cJSON) payload = cJSON_CreateObject();
    cJSON_AddStringToObject(payload, "DomainId", d->id);
    cJSON_AddStringToObject(payload, "DomainArn", d->arn);
    cJSON_AddStringToObject(payload, "Status", sm_status_name(status));
    if (d->failure)
        cJSON_AddStringToObject(payload, "FailureReason", d->failure);
    world_notify(w, d->account, "sagemaker:domain", payload);
}

static char *draw_hex(rng *r, const char *prefix, size_t n)
{
    g_autofree char *tail = g_malloc0(n + 1);
    rng_chars(r, tail, n, "0123456789abcdef");
    return g_strconcat(prefix, tail, NULL);
}

/* Removes a deleted domain and whatever is left in it (apps of the
 * domain-shared profile), cancelling their timers. */
static void domain_remove(world *w, dom *d)
{
    dom_state *s = smd__state_of(w);
    g_autoptr(GPtrArray) gone = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, s->apps);
    while (g_hash_table_iter_next(&it, NULL, &v))
        if (strcmp(((app *)v)->domain_id, d->id) == 0)
            g_ptr_array_add(gone, v);
    for (guint i = 0; i < gone->len; i++) {
        app *a = gone->pdata[i];
        if (a->timer)
            world_cancel(w, a->timer);
        world_resource_remove(w, a->arn);
        g_hash_table_remove(s->apps, a->arn);
    }
    if (d->restart_timer)
        world_cancel(w, d->restart_timer);
    if (d->sso_app_arn)
        sso_admin_app_remove(w, d->sso_app_arn);
    world_resource_remove(w, d->arn);
    g_hash_table_remove(s->domains, d->id);
}

/* A domain's Pending, Updating or Deleting ends. */
static void domain_settle(world *w, void *data)
{
    dom *d = g_hash_table_lookup(smd__state_of(w)->domains, data);
    if (!d)
        return;
    d->timer = 0;
    d->modified_us = world_now(w);
    if (d->status == SM_DELETING) {
        notify_domain(w, d, SM_DELETED);
        domain_remove(w, d);
        return;
    }
    if (d->status == SM_PENDING) {
        rng *r = stream_of(w, "domain", d->id);
        /* D6: the file system is encrypted with the domain's key, which
         * SageMaker uses with the creator's rights. */
        if (d->kms_key_id) {
            api_error e = { 0 };
            const char *failed = NULL;
            if (!kms_use(w, d->creator, r, SM_SERVICE, "kms:DescribeKey", d->kms_key_id, NULL, &e))
                failed = "kms:DescribeKey";
            else if (!kms_use(w, d->creator, r, SM_SERVICE, "kms:GenerateDataKey", d->kms_key_id,
                              NULL, &e))
                failed = "kms:GenerateDataKey";
            if (failed) {
                d->status = SM_FAILED;
                d->failure = g_strdup_printf(
                    "Unable to create the domain's Amazon EFS file system encrypted with KMS key "
                    "%s: %s with the permissions of %s failed: %s: %s", d->kms_key_id, failed,
                    d->creator->arn, e.code ? e.code : "Error", e.message ? e.message : "");
                api_error_clear(&e);
                notify_domain(w, d, d->status);
                return;
            }
        }
        d->efs_id = draw_hex(r, "fs-", 17);
        if (strcmp(d->auth_mode, "SSO") == 0) {
            /* D4: the domain's "Amazon SageMaker Studio" application in the
             * account's Identity Center instance, which takes assignments of
             * users and groups (model/sso_admin). */
            d->sso_instance = draw_hex(r, "ins-", 16);
            g_autofree char *apl = draw_hex(r, "apl-", 16);
            d->sso_app_arn = g_strdup_printf("arn:aws:sso::%s:application/%s/%s", d->account,
                                             sso_admin_instance_id(w, d->account), apl);
            sso_admin_app_add(w, d->account, d->sso_app_arn);
        }
    }
    d->status = SM_IN_SERVICE;
    notify_domain(w, d, d->status);
    rstudio_launch(w, d);
}

static cJSON *domain_json(world *w, const dom *d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "DomainArn", d->arn);
    cJSON_AddStringToObject(o, "DomainId", d->id);
    cJSON_AddStringToObject(o, "DomainName", d->name);
    if (d->efs_id)
        cJSON_AddStringToObject(o, "HomeEfsFileSystemId", d->efs_id);
    if (d->sso_instance) {
        cJSON_AddStringToObject(o, "SingleSignOnManagedApplicationInstanceId", d->sso_instance);
        cJSON_AddStringToObject(o, "SingleSignOnApplicationArn", d->sso_app_arn);
    }
    cJSON_AddStringToObject(o, "Status", sm_status_name(d->status));
    api_add_time(w, o, "CreationTime", d->created_us);
    api_add_time(w, o, "LastModifiedTime", d->modified_us);
    if (d->failure)
        cJSON_AddStringToObject(o, "FailureReason", d->failure);
    cJSON_AddStringToObject(o, "AuthMode", d->auth_mode);
    cJSON_AddItemToObject(o, "DefaultUserSettings", cJSON_Duplicate(d->user_settings, 1));
    if (d->domain_settings)
        cJSON_AddItemToObject(o, "DomainSettings", cJSON_Duplicate(d->domain_settings, 1));
    cJSON_AddStringToObject(o, "AppNetworkAccessType", d->network);
    if (d->kms_key_id) {
        cJSON_AddStringToObject(o, "HomeEfsFileSystemKmsKeyId", d->kms_key_id);
        cJSON_AddStringToObject(o, "KmsKeyId", d->kms_key_id);
    }
    cJSON *subnets = cJSON_AddArrayToObject(o, "SubnetIds");
    for (guint i = 0; i < d->subnets->len; i++)
        cJSON_AddItemToArray(subnets, cJSON_CreateString(d->subnets->pdata[i]));
    cJSON_AddStringToObject(o, "Url", d->url);
    cJSON_AddStringToObject(o, "VpcId", d->vpc_id);
    if (d->sg_management)
        cJSON_AddStringToObject(o, "AppSecurityGroupManagement", d->sg_management);
    cJSON_AddStringToObject(o, "TagPropagation", d->tag_propagation);
    if (d->space_settings)
        cJSON_AddItemToObject(o, "DefaultSpaceSettings", cJSON_Duplicate(d->space_settings, 1));
    return o;
}

/* The VPC and subnets of a CreateDomain/UpdateDomain request: VpcId (else
 * the account's default VPC) and SubnetIds (else all of the VPC's). */
static const infra_vpc *network_of(api_call *c, const char *vpc_id, const cJSON *subnet_ids,
                                   GPtrArray *subnets_out)
{
    const infra_vpc *vpc = vpc_id ? infra_vpc_get(c->w, c->caller->account, vpc_id)
                                  : infra_default_vpc(c->w, c->caller->account);
    if (!vpc) {
        if (vpc_id)
            api_error_set(&c->err, "ValidationException",
                          "The VPC ID '%s' does not exist in account %s.", vpc_id,
                          c->caller->account);
        else
            api_error_set(&c->err, "ValidationException",
                          "VpcId is required: account %s has no default VPC.", c->caller->account);
        return NULL;
    }
    const cJSON *sn;
    cJSON_ArrayForEach(sn, subnet_ids) {
        if (!infra_subnet_get(vpc, sn->valuestring)) {
            api_error_set(&c->err, "ValidationException",
                          "Subnet %s does not belong to VPC %s.", sn->valuestring, vpc->id);
            return NULL;
        }
        g_ptr_array_add(subnets_out, g_strdup(sn->valuestring));
    }
    if (!subnet_ids)
        for (guint i = 0; i < vpc->subnets->len; i++)
            g_ptr_array_add(subnets_out,
                            g_strdup(((const infra_subnet *)vpc->subnets->pdata[i])->id));
    if (!subnets_out->len) {
        api_error_set(&c->err, "ValidationException", "VPC %s has no subnets.", vpc->id);
        return NULL;
    }
    return vpc;
}

/* Checks of the settings of a domain (for create and update): the roles
 * (D3), the security groups (D5), the EBS sizes. */
static bool check_settings(api_call *c, const infra_vpc *vpc, const char *network,
                           const cJSON *user, const cJSON *dsettings, const cJSON *space)
{
    if (!smd__pass_role(c, smd__settings_role(user)) ||
        !smd__pass_role(c, smd__settings_role(space)) ||
        !smd__pass_role(c, smd__rstudio_role(dsettings)))
        return false;
    if (!smd__check_sgs(c, vpc, smd__obj(user, "SecurityGroups"), "DefaultUserSettings.SecurityGroups") ||
        !smd__check_sgs(c, vpc, smd__obj(space, "SecurityGroups"), "DefaultSpaceSettings.SecurityGroups") ||
        !smd__check_sgs(c, vpc, smd__obj(dsettings, "SecurityGroupIds"), "DomainSettings.SecurityGroupIds"))
        return false;
    /* D5: VpcOnly apps need security groups, from the domain's defaults. */
    if (g_strcmp0(network, "VpcOnly") == 0 && cJSON_GetArraySize(smd__obj(user, "SecurityGroups")) == 0) {
        api_error_set(&c->err, "ValidationException",
                      "DefaultUserSettings.SecurityGroups is required when AppNetworkAccessType "
                      "is VpcOnly.");
        return false;
    }
    const cJSON *const owners[] = { user, space };
    for (gsize i = 0; i < G_N_ELEMENTS(owners); i++) {
        const cJSON *ebs = smd__obj(smd__obj(owners[i], "SpaceStorageSettings"), "DefaultEbsStorageSettings");
        double dflt = api_num(ebs, "DefaultEbsVolumeSizeInGb", 5);
        double max = api_num(ebs, "MaximumEbsVolumeSizeInGb", 100);
        if (ebs && dflt > max) {
            api_error_set(&c->err, "ValidationException",
                          "DefaultEbsVolumeSizeInGb (%g) cannot exceed MaximumEbsVolumeSizeInGb "
                          "(%g).", dflt, max);
            return false;
        }
    }
    return true;
}

static guint live_domains(world *w, const char *account)
{
    guint n = 0;
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, smd__state_of(w)->domains);
    while (g_hash_table_iter_next(&it, NULL, &v))
        n += strcmp(((dom *)v)->account, account) == 0;
    return n;
}

static bool create_domain(api_call *c)
{
    const char *account = c->caller->account;
    char tail[13];
    rng_chars(c->rng, tail, 12, "abcdefghijklmnopqrstuvwxyz0123456789");
    tail[12] = '\0';
    g_autofree char *id = g_strconcat("d-", tail, NULL);
    g_autofree char *arn = domain_arn_for(c->w, account, id);
    api_resource(c, arn, account, "AWS::SageMaker::Domain");
    if (!smd__authorize_create(c, "sagemaker:CreateDomain", arn))
        return false;
    const char *mode = api_str(c->input, "AuthMode");
    const char *network = api_str(c->input, "AppNetworkAccessType");
    if (!network)
        network = "PublicInternetOnly";
    /* D1: SSO needs IAM Identity Center in the domain's own region. */
    if (strcmp(mode, "SSO") == 0) {
        const world_account *acct = world_account_get(c->w, account);
        bool enabled = false;
        for (guint i = 0; acct && i < acct->identity_center_regions->len; i++)
            enabled |= strcmp(acct->identity_center_regions->pdata[i], world_region(c->w)) == 0;
        if (!enabled) {
            api_error_set(&c->err, "ValidationException",
                          "AuthMode SSO needs AWS IAM Identity Center enabled in the domain's "
                          "Region %s; account %s has no IAM Identity Center instance there.",
                          world_region(c->w), account);
            return false;
        }
    }
    const char *key = api_str(c->input, "KmsKeyId");
    const char *efs_key = api_str(c->input, "HomeEfsFileSystemKmsKeyId");
    if (key && efs_key && strcmp(key, efs_key) != 0) {
        api_error_set(&c->err, "ValidationException",
                      "HomeEfsFileSystemKmsKeyId is deprecated and must equal KmsKeyId when both "
                      "are given.");
        return false;
    }
    g_autoptr(GPtrArray) subnets = g_ptr_array_new_with_free_func(g_free);
    const infra_vpc *vpc = network_of(c, api_str(c->input, "VpcId"), smd__obj(c->input, "SubnetIds"),
                                      subnets);
    if (!vpc)
        return false;
    const cJSON *user = smd__obj(c->input, "DefaultUserSettings");
    const cJSON *dsettings = smd__obj(c->input, "DomainSettings");
    const cJSON *space = smd__obj(c->input, "DefaultSpaceSettings");
    if (!check_settings(c, vpc, network, user, dsettings, space))
        return false;
    int64_t quota = world_quota(c->w, account, DOMAIN_QUOTA, DOMAIN_QUOTA_DEFAULT);
    guint n = live_domains(c->w, account);
    if ((int64_t)n >= quota) {
        api_error_set(&c->err, "ResourceLimitExceeded",
                      "The account-level service limit 'Maximum number of domains per region' is "
                      "%" G_GINT64_FORMAT " domains, with current utilization of %u domains and a "
                      "request delta of 1 domains. Please use AWS Service Quotas to request an "
                      "increase for this quota.", quota, n);
        return false;
    }
    dom *d = g_new0(dom, 1);
    d->id = g_steal_pointer(&id);
    d->arn = g_steal_pointer(&arn);
    d->name = g_strdup(api_str(c->input, "DomainName"));
    d->account = g_strdup(account);
    d->url = g_strdup_printf("https://%s.studio.%s.sagemaker.aws", d->id, world_region(c->w));
    d->auth_mode = g_strdup(mode);
    d->status = SM_PENDING;
    d->vpc_id = g_strdup(vpc->id);
    d->network = g_strdup(network);
    d->subnets = g_steal_pointer(&subnets);
    d->kms_key_id = g_strdup(key ? key : efs_key);
    d->user_settings = cJSON_Duplicate(user, 1);
    d->domain_settings = smd__dup_or_null(dsettings);
    d->space_settings = smd__dup_or_null(space);
    d->sg_management = g_strdup(api_str(c->input, "AppSecurityGroupManagement"));
    d->tag_propagation = g_strdup(api_str(c->input, "TagPropagation") ?
                                  api_str(c->input, "TagPropagation") : "DISABLED");
    d->created_us = d->modified_us = c->now;
    d->creator = principal_copy(c->caller);
    d->next_uid = 200001;
    g_hash_table_insert(smd__state_of(c->w)->domains, d->id, d);
    world_resource_add(c->w, d->arn, account, NULL);
    d->timer = world_schedule(c->w, c->now + smd__draw_us(c->rng, DOMAIN_CREATE_S), domain_settle,
                              g_strdup(d->id), g_free);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "DomainArn", d->arn);
    cJSON_AddStringToObject(c->output, "DomainId", d->id);
    cJSON_AddStringToObject(c->output, "Url", d->url);
    return true;
}

static bool describe_domain(api_call *c)
{
    dom *d = smd__domain_for(c, "sagemaker:DescribeDomain", NULL);
    if (!d)
        return false;
    c->output = domain_json(c->w, d);
    return true;
}

static gint cmp_domain(gconstpointer a, gconstpointer b)
{
    const dom *x = *(dom *const *)a, *y = *(dom *const *)b;
    if (x->created_us != y->created_us)
        return x->created_us < y->created_us ? -1 : 1;
    return strcmp(x->id, y->id);
}

static bool list_domains(api_call *c)
{
    if (!api_authorize_simple(c, "sagemaker:ListDomains", "*"))
        return false;
    g_autoptr(GPtrArray) all = sm_sorted_values(smd__state_of(c->w)->domains, cmp_domain);
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    for (guint i = 0; i < all->len; i++)
        if (strcmp(((dom *)all->pdata[i])->account, c->caller->account) == 0)
            g_ptr_array_add(rows, all->pdata[i]);
    reverse(rows);    /* newest first */
    guint first, count;
    if (!sm_page(c, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "Domains");
    for (guint i = first; i < first + count; i++) {
        const dom *d = rows->pdata[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "DomainArn", d->arn);
        cJSON_AddStringToObject(e, "DomainId", d->id);
        cJSON_AddStringToObject(e, "DomainName", d->name);
        cJSON_AddStringToObject(e, "Status", sm_status_name(d->status));
        api_add_time(c->w, e, "CreationTime", d->created_us);
        api_add_time(c->w, e, "LastModifiedTime", d->modified_us);
        cJSON_AddStringToObject(e, "Url", d->url);
        cJSON_AddItemToArray(list, e);
    }
    sm_page_token(c, first, count, rows->len);
    return true;
}

/* True when an app of the domain is InService, Pending or Deleting. */
static bool domain_has_live_apps(world *w, const dom *d)
{
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, smd__state_of(w)->apps);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const app *a = v;
        if (strcmp(a->domain_id, d->id) == 0 &&
            (a->status == SM_IN_SERVICE || a->status == SM_PENDING ||
             a->status == SM_DELETING))
            return true;
    }
    return false;
}

/* Replaces the top-level members of *into that patch has (UpdateDomain and
 * UpdateUserProfile change only the settings they name). */
void smd__merge_settings(cJSON **into, const cJSON *patch)
{
    if (!patch)
        return;
    if (!*into)
        *into = cJSON_CreateObject();
    const cJSON *m;
    cJSON_ArrayForEach(m, patch) {
        cJSON_DeleteItemFromObjectCaseSensitive(*into, m->string);
        cJSON_AddItemToObject(*into, m->string, cJSON_Duplicate(m, 1));
    }
}

static bool update_domain(api_call *c)
{
    dom *d = smd__domain_for(c, "sagemaker:UpdateDomain", NULL);
    if (!d || !smd__domain_in_service(c, d))
        return false;
    const char *network = api_str(c->input, "AppNetworkAccessType");
    const char *vpc_id = api_str(c->input, "VpcId");
    const cJSON *subnet_ids = smd__obj(c->input, "SubnetIds");
    bool net_change = (network && strcmp(network, d->network) != 0) ||
                      (vpc_id && strcmp(vpc_id, d->vpc_id) != 0) || subnet_ids;
    if (net_change && domain_has_live_apps(c->w, d)) {
        api_error_set(&c->err, "ResourceInUse",
                      "AppNetworkAccessType, VpcId and SubnetIds can only be changed when the "
                      "domain has no apps in the InService, Pending or Deleting state.");
        return false;
    }
    g_autoptr(GPtrArray) subnets = g_ptr_array_new_with_free_func(g_free);
    const infra_vpc *vpc = network_of(c, vpc_id ? vpc_id : d->vpc_id,
                                      subnet_ids ? subnet_ids : NULL, subnets);
    if (!vpc)
        return false;
    if (!subnet_ids && !vpc_id) {   /* keep the domain's subnets */
        g_ptr_array_set_size(subnets, 0);
        for (guint i = 0; i < d->subnets->len; i++)
            g_ptr_array_add(subnets, g_strdup(d->subnets->pdata[i]));
    }
    /* The settings after the update, checked as a whole. */
    g_autoptr(cJSON) user = cJSON_Duplicate(d->user_settings, 1);
    smd__merge_settings(&user, smd__obj(c->input, "DefaultUserSettings"));
    cJSON *dsettings = smd__dup_or_null(d->domain_settings);
    const cJSON *upd = smd__obj(c->input, "DomainSettingsForUpdate");
    const cJSON *rs = smd__obj(upd, "RStudioServerProDomainSettingsForUpdate");
    g_autoptr(cJSON) patch = cJSON_CreateObject();
    if (rs)
        cJSON_AddItemToObject(patch, "RStudioServerProDomainSettings", cJSON_Duplicate(rs, 1));
    const cJSON *m;
    cJSON_ArrayForEach(m, upd)
        if (strcmp(m->string, "RStudioServerProDomainSettingsForUpdate") != 0)
            cJSON_AddItemToObject(patch, m->string, cJSON_Duplicate(m, 1));
    if (cJSON_GetArraySize(patch))
        smd__merge_settings(&dsettings, patch);
    g_autoptr(cJSON) dsettings_owned = dsettings;
    cJSON *space = smd__obj(c->input, "DefaultSpaceSettings")
        ? cJSON_Duplicate(smd__obj(c->input, "DefaultSpaceSettings"), 1) : smd__dup_or_null(d->space_settings);
    g_autoptr(cJSON) space_owned = space;
    const char *new_network = network ? network : d->network;
    /* Only the roles this request hands over are passed again. */
    const cJSON *in_user = smd__obj(c->input, "DefaultUserSettings");
    g_autoptr(cJSON) checked_user = cJSON_Duplicate(user, 1);
    if (!smd__settings_role(in_user))
        cJSON_DeleteItemFromObjectCaseSensitive(checked_user, "ExecutionRole");
    g_autoptr(cJSON) checked_ds = smd__dup_or_null(dsettings);
    if (!rs && checked_ds)
        cJSON_DeleteItemFromObjectCaseSensitive(checked_ds, "RStudioServerProDomainSettings");
    g_autoptr(cJSON) checked_space = smd__dup_or_null(space);
    if (checked_space && !smd__settings_role(smd__obj(c->input, "DefaultSpaceSettings")))
        cJSON_DeleteItemFromObjectCaseSensitive(checked_space, "ExecutionRole");
    if (!check_settings(c, vpc, new_network, checked_user, checked_ds, checked_space))
        return false;
    /* D6: no member of UpdateDomain names the KMS key: it stays. */
    set_str(&d->network, new_network);
    set_str(&d->vpc_id, vpc->id);
    g_ptr_array_unref(d->subnets);
    d->subnets = g_steal_pointer(&subnets);
    cJSON_Delete(d->user_settings);
    d->user_settings = g_steal_pointer(&user);
    cJSON_Delete(d->domain_settings);
    d->domain_settings = g_steal_pointer(&dsettings_owned);
    cJSON_Delete(d->space_settings);
    d->space_settings = g_steal_pointer(&space_owned);
    if (api_str(c->input, "AppSecurityGroupManagement"))
        set_str(&d->sg_management, api_str(c->input, "AppSecurityGroupManagement"));
    if (api_str(c->input, "TagPropagation"))
        set_str(&d->tag_propagation, api_str(c->input, "TagPropagation"));
    d->status = SM_UPDATING;
    d->modified_us = c->now;
    d->timer = world_schedule(c->w, c->now + smd__draw_us(c->rng, DOMAIN_UPDATE_S), domain_settle,
                              g_strdup(d->id), g_free);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "DomainArn", d->arn);
    return true;
}

static bool delete_domain(api_call *c)
{
    dom *d = smd__domain_for(c, "sagemaker:DeleteDomain", NULL);
    if (!d)
        return false;
    if (d->status == SM_DELETING) {
        api_error_set(&c->err, "ResourceInUse", "Domain %s is already being deleted.", d->id);
        return false;
    }
    dom_state *s = smd__state_of(c->w);
    guint profiles = 0, spaces = 0;
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, s->profiles);
    while (g_hash_table_iter_next(&it, NULL, &v))
        profiles += strcmp(((profile *)v)->domain_id, d->id) == 0;
    g_hash_table_iter_init(&it, s->spaces);
    while (g_hash_table_iter_next(&it, NULL, &v))
        spaces += strcmp(((sm_space *)v)->domain_id, d->id) == 0;
    if (profiles || spaces) {
        api_error_set(&c->err, "ResourceInUse",
                      "Domain %s still has %u user profiles and %u spaces; delete them before "
                      "the domain.", d->id, profiles, spaces);
        return false;
    }
    if (d->timer)
        world_cancel(c->w, d->timer);
    if (d->restart_timer) {
        world_cancel(c->w, d->restart_timer);
        d->restart_timer = 0;
    }
    d->status = SM_DELETING;
    d->modified_us = c->now;
    d->timer = world_schedule(c->w, c->now + smd__draw_us(c->rng, DOMAIN_DELETE_S), domain_settle,
                              g_strdup(d->id), g_free);
    return true;
}

/* ---- presigned URLs (D2) ---------------------------------------------------------------------- */

static bool create_presigned_domain_url(api_call *c)
{
    dom *d = NULL;
    /* Authorised on the user profile: the caller's policy may restrict it
     * with aws:SourceIp, aws:SourceVpc or aws:SourceVpce. */
    profile *u = smd__profile_for(c, "sagemaker:CreatePresignedDomainUrl", &d);
    if (!u)
        return false;
    if (strcmp(d->auth_mode, "IAM") != 0) {
        api_error_set(&c->err, "ValidationException",
                      "CreatePresignedDomainUrl can only be called when the domain's "
                      "authentication mode equals IAM; domain %s uses %s.", d->id, d->auth_mode);
        return false;
    }
    if (d->status != SM_IN_SERVICE || u->status != SM_IN_SERVICE) {
        api_error_set(&c->err, "ResourceInUse", "Domain %s (%s) and user profile %s (%s) must be "
                      "InService.", d->id, sm_status_name(d->status), u->name, sm_status_name(u->status));
        return false;
    }
    const char *sp = api_str(c->input, "SpaceName");
    if (sp && !smd__space_get(c->w, d->id, sp)) {
        api_error_set(&c->err, "ResourceNotFound", "Space %s does not exist in domain %s.", sp,
                      d->id);
        return false;
    }
    char token[41];
    rng_chars(c->rng, token, 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    token[40] = '\0';
    g_autofree char *url = g_strdup_printf("%s/auth?token=%s", d->url, token);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "AuthorizedUrl", url);
    /* CloudTrail never shows the sign-in URL. */
    c->response_elements = cJSON_CreateObject();
    cJSON_AddStringToObject(c->response_elements, "AuthorizedUrl",
                            "HIDDEN_DUE_TO_SECURITY_REASONS");
    return true;
}

/* ---- Identity Center sign-in (D4) ------------------------------------------------------------ */

char *sm_domains_sso_sign_in(world *w, const char *account, const char *domain_id,
                             const char *user_name, char **why)
{
    const dom *d = g_hash_table_lookup(smd__state_of(w)->domains, domain_id);
    if (!d || strcmp(d->account, account) != 0 || strcmp(d->auth_mode, "SSO") != 0 ||
        !d->sso_app_arn) {
        *why = g_strdup_printf("Domain %s is not an IAM Identity Center (SSO) domain of account "
                               "%s that is ready.", domain_id, account);
        return NULL;
    }
    const char *uid = sso_admin_user_id(w, account, user_name);
    if (!uid) {
        *why = g_strdup_printf("%s is not a user of the IAM Identity Center directory.",
                               user_name);
        return NULL;
    }
    /* The message SageMaker shows a user with a profile but no assignment. */
    if (d->status == SM_DELETING || !sso_admin_has_access(w, d->sso_app_arn, uid, NULL)) {
        *why = g_strdup_printf("Access Denied. Please check if user is assigned to Studio Domain "
                               "[%s] and SSO Application [Amazon SageMaker Studio (%s)] is "
                               "Active.", d->id, d->id);
        return NULL;
    }
    const char *name = smd__sso_profile_of(w, d->id, user_name);
    const profile *u = name ? smd__profile_get(w, d->id, name) : NULL;
    if (u && u->status == SM_IN_SERVICE)
        return g_strdup(u->name);
    *why = g_strdup_printf("User %s has no user profile in domain %s.", user_name, d->id);
    return NULL;
}

/* Domains live in one account: every call is logged in the caller's only. */

static const api_op ops[] = {
    { "sagemaker:CreateDomain", create_domain, false, API_TO_CALLER },
    { "sagemaker:DescribeDomain", describe_domain, true, API_TO_CALLER },
    { "sagemaker:ListDomains", list_domains, true, API_TO_CALLER },
    { "sagemaker:UpdateDomain", update_domain, false, API_TO_CALLER },
    { "sagemaker:DeleteDomain", delete_domain, false, API_TO_CALLER },
    { "sagemaker:CreatePresignedDomainUrl", create_presigned_domain_url, false, API_TO_CALLER },
    { NULL, NULL, false, API_TO_CALLER },
};

static const char *const happenings[] = { "sagemaker:app", "sagemaker:domain", NULL };

const api_service api_service_sagemaker_domains = {
    .name = "sagemaker-domains", .prefix = "sagemaker", .event_source = "sagemaker.amazonaws.com",
    .endpoint = "api.sagemaker.%s.amazonaws.com", .ops = ops,
    .happenings = happenings,
};
