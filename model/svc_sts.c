/* model/svc_sts.c: AWS STS operations: GetCallerIdentity and AssumeRole.
 *
 * AssumeRole is authorised against the role's trust policy (the role is the
 * resource, its trust policy the resource policy that must allow) and the
 * caller's own policies; cross-account, both accounts get a record with one
 * sharedEventID (CloudTrail documents this for STS). */
#include "model/api.h"
#include "model/world_int.h"
#include "model/api_aux.h"
#include "model/service.h"
#include "model/creds.h"

#include <stdlib.h>
#include <string.h>

static bool get_caller_identity(api_call *c)
{
    /* Always allowed: no policy can deny sts:GetCallerIdentity. */
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "UserId", c->caller->principal_id);
    cJSON_AddStringToObject(c->output, "Account", c->caller->account);
    cJSON_AddStringToObject(c->output, "Arn", c->caller->arn);
    return true;
}

static void add_expiration(api_call *c, cJSON *obj, const char *key, int64_t seconds)
{
    char iso[21];
    world_iso_time(c->w, c->now + seconds * 1000000, iso);
    cJSON_AddStringToObject(obj, key, iso);
}

/* CloudTrail writes an AssumeRole record's credentials.expiration not as the
 * API's ISO 8601 time but as "Mar 9, 2023, 10:11:58 AM" (UTC), as real
 * records show. */
static void add_record_expiration(api_call *c, cJSON *obj, int64_t seconds)
{
    static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec" };
    char iso[21];
    world_iso_time(c->w, c->now + seconds * 1000000, iso);   /* YYYY-MM-DDTHH:MM:SSZ */
    int y = atoi(iso), m = atoi(iso + 5), d = atoi(iso + 8), h = atoi(iso + 11);
    char text[40];
    g_snprintf(text, sizeof text, "%s %d, %d, %d:%.2s:%.2s %s", mon[(m - 1) % 12], d, y,
               h % 12 ? h % 12 : 12, iso + 14, iso + 17, h < 12 ? "AM" : "PM");
    cJSON_AddStringToObject(obj, "expiration", text);
}

static bool assume_role(api_call *c)
{
    const char *arn = api_str(c->input, "RoleArn");
    const char *session = api_str(c->input, "RoleSessionName");
    int duration = (int)api_num(c->input, "DurationSeconds", 3600);
    world_role *role = world_role_by_arn(c->w, arn);
    g_autofree char *owner = api_arn_account(arn);
    api_resource(c, arn, owner ? owner : c->caller->account, "AWS::IAM::Role");
    g_autoptr(iam_ctx) ctx = iam_ctx_new();
    iam_ctx_set(ctx, "sts:RoleSessionName", session);
    const char *ext = api_str(c->input, "ExternalId");
    if (ext)
        iam_ctx_set(ctx, "sts:ExternalId", ext);
    api_ctx_request_tags(ctx, cJSON_GetObjectItemCaseSensitive(c->input, "Tags"), "Key", "Value");
    GPtrArray *trust = g_ptr_array_new();
    if (role && world_role_trust(role))
        g_ptr_array_add(trust, world_role_trust(role)->compiled);
    bool ok = api_authorize(c, "sts:AssumeRole", arn, owner, trust, API_RES_TRUST_POLICY, ctx);
    g_ptr_array_unref(trust);
    if (!ok) {
        /* A request the caller's own account refused (identity policy, SCP,
         * boundary) never reached the role's account, whose trail does not
         * log it (IAM User Guide, "Logging IAM and AWS STS API requests").
         * The role's side (its trust policy, the RCPs over its account)
         * refused it there: that account logs it too (an RCP case AWS does
         * not spell out; crossim files it with the trust policy's). */
        if (c->denied_layer != IAM_LAYER_RESOURCE && c->denied_layer != IAM_LAYER_RCP)
            c->no_owner_copy = true;
        return false;
    }
    if (!role) {   /* unreachable in practice: no trust policy means deny */
        api_error_set(&c->err, "AccessDenied", "Role %s does not exist", arn);
        return false;
    }
    if (duration > role->max_session_s) {
        api_error_set(&c->err, "ValidationError",
                      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        return false;
    }
    char key[17], secret[41], token[65];
    rng_chars(c->rng, key, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    rng_chars(c->rng, secret, 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    rng_chars(c->rng, token, 64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    g_autofree char *akid = g_strconcat("ASIA", key, NULL);
    g_autofree char *sarn = g_strdup_printf("arn:aws:sts::%s:assumed-role/%s/%s", role->account,
                                            role->name, session);
    g_autofree char *sid = g_strdup_printf("%s:%s", role->id, session);
    c->output = cJSON_CreateObject();
    cJSON *cr = cJSON_AddObjectToObject(c->output, "Credentials");
    cJSON_AddStringToObject(cr, "AccessKeyId", akid);
    cJSON_AddStringToObject(cr, "SecretAccessKey", secret);
    cJSON_AddStringToObject(cr, "SessionToken", token);
    add_expiration(c, cr, "Expiration", duration);
    /* A live crossim then accepts them as this session (creds.h). */
    creds_add_session(c->w, akid, secret, token, arn, session, c->now + (int64_t)duration * 1000000);
    cJSON *u = cJSON_AddObjectToObject(c->output, "AssumedRoleUser");
    cJSON_AddStringToObject(u, "AssumedRoleId", sid);
    cJSON_AddStringToObject(u, "Arn", sarn);
    /* CloudTrail never logs the secret key. */
    c->response_elements = cJSON_CreateObject();
    cJSON *rc = cJSON_AddObjectToObject(c->response_elements, "credentials");
    cJSON_AddStringToObject(rc, "accessKeyId", akid);
    cJSON_AddStringToObject(rc, "sessionToken", token);
    add_record_expiration(c, rc, duration);
    cJSON *ru = cJSON_AddObjectToObject(c->response_elements, "assumedRoleUser");
    cJSON_AddStringToObject(ru, "assumedRoleId", sid);
    cJSON_AddStringToObject(ru, "arn", sarn);
    return true;
}


static const api_op ops[] = {
    { "sts:GetCallerIdentity", get_caller_identity, true, API_TO_CALLER },
    /* CloudTrail classifies AssumeRole as read-only (it changes no resource)
     * and still records the credentials and assumed-role user it answered. */
    { "sts:AssumeRole", assume_role, API_READS_LOGGED, API_TO_CALLER_AND_OWNER },
    { NULL, NULL, false, API_TO_CALLER },
};

/* A role's trust policy decides sts:AssumeRole on it. */
static bool resource_policies(world *w, const principal *caller, const char *action,
                              const char *resource, GPtrArray *out, api_resource_mode *mode,
                              char **owner)
{
    (void)caller;
    (void)owner;
    world_role *role = world_role_by_arn(w, resource);
    if (!role || g_ascii_strcasecmp(action, "sts:AssumeRole") != 0)
        return false;
    *mode = API_RES_TRUST_POLICY;
    if (world_role_trust(role))
        g_ptr_array_add(out, world_role_trust(role)->compiled);
    return true;
}

/* "No permissions are required to perform this operation. If an
 * administrator attaches a policy to your identity that explicitly denies
 * access to the sts:GetCallerIdentity action, you can still perform this
 * operation" (the STS API reference). */
static const char *const unauthorized[] = { "sts:GetCallerIdentity", NULL };

const api_service api_service_sts = {
    .name = "sts", .prefix = "sts", .event_source = "sts.amazonaws.com",
    .endpoint = "sts.%s.amazonaws.com", .rcp = true,
    .api_version = "2011-06-15", .ops = ops, .resource_policies = resource_policies,
    .unauthorized = unauthorized,
};
