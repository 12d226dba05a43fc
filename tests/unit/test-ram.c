/* tests/unit/test-ram.c: the RAM model through its operations: what RAM
 * writes as resource policies, when, and for whom (RAM1-RAM7, MPG2-MPG4),
 * and the model registry's answers that hang on it (MPG1, MPG2, MPG7, MPG8).
 * The world runs on the unit tests' shared host (tests/unit/host.c). */
#include <glib.h>
#include <string.h>

#include "model/api.h"
#include "model/world_int.h"
#include "model/ram.h"
#include "tests/unit/host.h"

#define OWNER "111111111111"
#define GUEST "222222222222"
#define CARD "arn:aws:sagemaker:us-east-1:111111111111:model-card/churn"

typedef struct fx {
    test_host  host;
    world     *w;
    principal *owner, *guest;
    cJSON     *out;
    api_error  err;
} fx;

/* The ram:invitation notifications the guest account has had. */
static guint n_invites(const fx *f)
{
    guint n = 0;
    for (guint i = 0; i < f->host.notes->len; i++) {
        const cJSON *x = f->host.notes->pdata[i];
        n += g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItem(x, "account")), GUEST) == 0 &&
             g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItem(x, "kind")), "ram:invitation") == 0;
    }
    return n;
}

/* The payload of the guest's k-th ram:invitation (borrowed), or NULL. */
static const cJSON *invite(const fx *f, guint k)
{
    for (guint i = 0; i < f->host.notes->len; i++) {
        const cJSON *x = f->host.notes->pdata[i];
        if (g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItem(x, "account")), GUEST) == 0 &&
            g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItem(x, "kind")), "ram:invitation") == 0 &&
            k-- == 0)
            return cJSON_GetObjectItem(x, "payload");
    }
    return NULL;
}

static fx *fx_new(bool org_sharing)
{
    fx *f = g_new0(fx, 1);
    f->w = world_new(1, "us-east-1", 1767603600);
    test_host_init(&f->host, f->w);
    world_account *a = world_add_account(f->w, OWNER, "owner");
    world_account *b = world_add_account(f->w, GUEST, "guest");
    g_autoptr(cJSON) all = cJSON_Parse("{\"Version\":\"2012-10-17\",\"Statement\":"
                                       "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}");
    world_role *ra = world_add_role(f->w, a, "Admin", "/", NULL);
    g_ptr_array_add(ra->inline_policies, world_policy_new("all", NULL, all, NULL));
    world_role *rb = world_add_role(f->w, b, "Reader", "/", NULL);
    g_ptr_array_add(rb->inline_policies, world_policy_new("all", NULL, all, NULL));
    if (org_sharing) {
        world_org *o = world_set_org(f->w, "o-a1b2c3d4e5", OWNER);
        o->ram_sharing = true;
        a->ou_id = g_strdup(o->root_id);
        b->ou_id = g_strdup(o->root_id);
    }
    f->owner = world_principal_for(f->w, ra->arn, "t", NULL);
    f->guest = world_principal_for(f->w, rb->arn, "t", NULL);
    world_resource_add(f->w, CARD, OWNER, "sagemaker:ModelCard");
    return f;
}

static void fx_free(fx *f)
{
    cJSON_Delete(f->out);
    api_error_clear(&f->err);
    principal_free(f->owner);
    principal_free(f->guest);
    test_host_clear(&f->host);
    world_free(f->w);
    g_free(f);
}

/* Calls action with JSON input; returns the error code or "ok". */
static const char *call(fx *f, const principal *p, const char *action, const char *json)
{
    g_autoptr(cJSON) in = cJSON_Parse(json);
    g_assert_nonnull(in);
    const char *code = test_call(f->w, p, action, in, &f->out, &f->err);
    return code ? code : "ok";
}

static const char *out(fx *f, const char *a, const char *b)
{
    const cJSON *v = cJSON_GetObjectItem(f->out, a);
    return cJSON_GetStringValue(b ? cJSON_GetObjectItem(v, b) : v);
}

/* How many of the policies RAM holds for the card grant the guest's role
 * DescribeModelCard, its identity policy allowing everything (and its
 * aws:PrincipalOrgID set when there is an organization): RAM's policy
 * for a share reads the share's associations live, so a policy exists
 * before acceptance but grants nothing. */
static guint n_policies(fx *f)
{
    GPtrArray *p = ram_resource_policies(f->w, CARD, f->guest);
    g_autoptr(iam_policy) all = iam_policy_compile_text(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
        "\"Resource\":\"*\"}]}", NULL);
    const iam_policy *ids[] = { all };
    g_autoptr(iam_ctx) ctx = iam_ctx_new();
    const world_org *org = world_org_get(f->w);
    if (org)
        iam_ctx_set(ctx, "aws:PrincipalOrgID", org->id);
    guint n = 0;
    for (guint i = 0; i < p->len; i++) {
        const iam_policy *res[] = { p->pdata[i] };
        iam_request rq = { .kind = IAM_PRINCIPAL_SESSION, .principal_arn = f->guest->arn,
                           .principal_account = GUEST, .role_arn = f->guest->role->arn,
                           .action = "sagemaker:DescribeModelCard", .resource = CARD,
                           .resource_account = OWNER, .ctx = ctx, .identity = { ids, 1 },
                           .resource_policies = { res, 1 } };
        iam_decision d;
        iam_evaluate(&rq, &d, NULL);
        if (d.effect == IAM_ALLOW)
            n++;
    }
    g_ptr_array_unref(p);
    return n;
}

static char *make_share(fx *f, const char *principal_json)
{
    g_autofree char *in = g_strdup_printf("{\"name\":\"s\",\"resourceArns\":[\"" CARD "\"],"
                                          "\"principals\":%s}", principal_json);
    g_assert_cmpstr(call(f, f->owner, "ram:CreateResourceShare", in), ==, "ok");
    return g_strdup(out(f, "resourceShare", "resourceShareArn"));
}

static void test_ram2_invitation_then_policy(void)
{
    fx *f = fx_new(false);
    g_autofree char *arn = make_share(f, "[\"" GUEST "\"]");
    g_assert_cmpstr(out(f, "resourceShare", "status"), ==, "PENDING");
    g_assert_cmpuint(n_invites(f), ==, 1);            /* the guest is invited at once */
    test_host_run_until(&f->host, 60 * 1000000LL);
    g_assert_cmpuint(n_policies(f), ==, 0);            /* nothing before acceptance */
    g_assert_false(ram_discoverable(f->w, CARD, GUEST));
    const char *inv = cJSON_GetStringValue(cJSON_GetObjectItem(invite(f, 0),
                                                               "resourceShareInvitationArn"));
    g_autofree char *in = g_strdup_printf("{\"resourceShareInvitationArn\":\"%s\"}", inv);
    g_assert_cmpstr(call(f, f->owner, "ram:AcceptResourceShareInvitation", in), ==,
                    "ResourceShareInvitationArnNotFoundException");   /* only the receiver */
    g_assert_cmpstr(call(f, f->guest, "ram:AcceptResourceShareInvitation", in), ==, "ok");
    g_assert_cmpuint(n_policies(f), ==, 0);            /* settles after a short delay */
    test_host_run_until(&f->host, 120 * 1000000LL);
    g_assert_cmpuint(n_policies(f), ==, 1);
    g_assert_true(ram_discoverable(f->w, CARD, GUEST));
    /* RAM6: the default permission's actions, on the card and its children. */
    GPtrArray *p = ram_resource_policies(f->w, CARD, f->guest);
    g_assert_cmpstr(iam_policy_name(p->pdata[0]), ==, "RAM share s (AWSRAMPermissionSageMakerModelCards)");
    g_ptr_array_unref(p);
    g_autofree char *del = g_strdup_printf("{\"resourceShareArn\":\"%s\"}", arn);
    g_assert_cmpstr(call(f, f->owner, "ram:DeleteResourceShare", del), ==, "ok");
    g_assert_cmpuint(n_policies(f), ==, 0);            /* RAM5: access ends at once */
    fx_free(f);
}

static void test_ram2_org_without_invitation(void)
{
    fx *f = fx_new(true);
    g_free(make_share(f, "[\"" GUEST "\"]"));
    g_assert_cmpuint(n_invites(f), ==, 0);
    test_host_run_until(&f->host, 10 * 1000000LL);
    g_assert_cmpuint(n_policies(f), ==, 1);
    g_assert_true(ram_discoverable(f->w, CARD, GUEST));
    fx_free(f);
}

/* An organization principal: RAM's policy grants "*" within the org
 * (aws:PrincipalOrgID), with no invitation; removing the org ends it. */
static void test_ram1_org_principal(void)
{
    g_test_summary("RAM1/RAM2/RAM5: a share with the organization as principal grants its member "
                   "accounts without invitations, and disassociating the organization ends it");
    fx *f = fx_new(true);
    const world_org *o = world_org_get(f->w);
    g_autofree char *org_arn = g_strdup_printf("arn:aws:organizations::%s:organization/%s", OWNER, o->id);
    g_autofree char *pj = g_strdup_printf("[\"%s\"]", org_arn);
    g_autofree char *arn = make_share(f, pj);
    g_assert_cmpuint(n_invites(f), ==, 0);            /* no invitation inside the org */
    test_host_run_until(&f->host, 10 * 1000000LL);
    g_assert_cmpuint(n_policies(f), ==, 1);
    g_assert_true(ram_discoverable(f->w, CARD, GUEST));
    g_autofree char *dis = g_strdup_printf("{\"resourceShareArn\":\"%s\",\"principals\":[\"%s\"]}",
                                           arn, org_arn);
    g_assert_cmpstr(call(f, f->owner, "ram:DisassociateResourceShare", dis), ==, "ok");
    g_assert_cmpuint(n_policies(f), ==, 0);            /* RAM5: access ends at once */
    g_assert_false(ram_discoverable(f->w, CARD, GUEST));
    fx_free(f);
}

static void test_ram2_expiry(void)
{
    fx *f = fx_new(false);
    g_free(make_share(f, "[\"" GUEST "\"]"));
    test_host_run_until(&f->host, 11 * 3600 * 1000000LL);
    g_assert_cmpstr(call(f, f->guest, "ram:GetResourceShareInvitations", "{}"), ==, "ok");
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(
        cJSON_GetObjectItem(f->out, "resourceShareInvitations"), 0), "status")), ==, "PENDING");
    test_host_run_until(&f->host, 13 * 3600 * 1000000LL);
    g_assert_cmpstr(call(f, f->guest, "ram:GetResourceShareInvitations", "{}"), ==, "ok");
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(
        cJSON_GetObjectItem(f->out, "resourceShareInvitations"), 0), "status")), ==, "EXPIRED");
    fx_free(f);
}

static void test_ram7_pending_quota(void)
{
    fx *f = fx_new(false);
    world_account *a = world_account_get(f->w, OWNER);
    world_set_quota(f->w, a, "ram:pending-invitations", 1);
    g_free(make_share(f, "[\"" GUEST "\"]"));
    g_assert_cmpstr(call(f, f->owner, "ram:CreateResourceShare",
                         "{\"name\":\"t\",\"principals\":[\"333333333333\"]}"), ==,
                    "ResourceShareLimitExceededException");
    g_assert_nonnull(strstr(f->err.message, "quota of 1 pending"));
    fx_free(f);
}

/* RAM7 with AWS's default quota: 20 pending invitations an account may
 * have sent (RAM's service quotas page); the 21st is refused. */
static void test_ram7_default_pending_quota(void)
{
    fx *f = fx_new(false);
    GString *p = g_string_new("[");
    for (int i = 1; i <= 20; i++)
        g_string_append_printf(p, "%s\"3333333333%02d\"", i > 1 ? "," : "", i);
    g_string_append_c(p, ']');
    g_autofree char *in = g_strdup_printf("{\"name\":\"twenty\",\"principals\":%s}", p->str);
    g_string_free(p, TRUE);
    g_assert_cmpstr(call(f, f->owner, "ram:CreateResourceShare", in), ==, "ok");
    g_assert_cmpstr(call(f, f->owner, "ram:CreateResourceShare",
                         "{\"name\":\"one-more\",\"principals\":[\"444444444444\"]}"), ==,
                    "ResourceShareLimitExceededException");
    g_assert_nonnull(strstr(f->err.message, "quota of 20 pending"));
    fx_free(f);
}

/* Effects commit only on success (issue 14): a share that fails on its
 * second principal sends the first no invitation and leaves no expiry
 * timer running; the same share with the valid principal alone does both. */
static void test_failed_share_sends_nothing(void)
{
    fx *f = fx_new(false);
    g_assert_cmpstr(call(f, f->owner, "ram:CreateResourceShare",
                         "{\"name\":\"t\",\"principals\":[\"" GUEST "\",\"12345\"]}"), ==,
                    "InvalidParameterException");
    g_assert_cmpuint(n_invites(f), ==, 0);
    g_assert_cmpuint(f->host.queue->len, ==, 0);
    g_assert_cmpstr(call(f, f->guest, "ram:GetResourceShareInvitations", "{}"), ==, "ok");
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "resourceShareInvitations")),
                    ==, 0);
    g_assert_cmpstr(call(f, f->owner, "ram:CreateResourceShare",
                         "{\"name\":\"t\",\"principals\":[\"" GUEST "\"]}"), ==, "ok");
    g_assert_cmpuint(n_invites(f), ==, 1);
    g_assert_cmpuint(f->host.queue->len, >=, 1);
    fx_free(f);
}

/* Calls nest: a nested call's held effects join the outer call's and are
 * dropped with it; a committed outer call sends them once, in order. */
static void test_call_scopes_nest(void)
{
    fx *f = fx_new(false);
    g_autoptr(cJSON) p = cJSON_CreateObject();
    world_call_begin(f->w);
    world_call_begin(f->w);
    world_notify(f->w, GUEST, "ram:invitation", p);
    world_call_end(f->w, true);
    g_assert_cmpuint(n_invites(f), ==, 0);          /* held by the outer call */
    world_call_end(f->w, false);
    g_assert_cmpuint(n_invites(f), ==, 0);          /* dropped with it */
    world_call_begin(f->w);
    world_call_begin(f->w);
    world_notify(f->w, GUEST, "ram:invitation", p);
    world_call_end(f->w, true);
    world_notify(f->w, GUEST, "ram:invitation", p);
    world_call_end(f->w, true);
    g_assert_cmpuint(n_invites(f), ==, 2);
    world_notify(f->w, GUEST, "ram:invitation", p);  /* outside any call: at once */
    g_assert_cmpuint(n_invites(f), ==, 3);
    fx_free(f);
}

/* A tag without a key is refused before anything changes (it crashed a
 * later strcmp); the share then made with a second tagged call keeps both. */
static void test_tags_need_keys(void)
{
    fx *f = fx_new(false);
    g_assert_cmpstr(call(f, f->owner, "ram:CreateResourceShare",
                         "{\"name\":\"t\",\"tags\":[{\"key\":\"a\",\"value\":\"1\"},{\"value\":\"x\"}]}"),
                    ==, "InvalidParameterException");
    g_assert_cmpstr(call(f, f->owner, "ram:GetResourceShares", "{\"resourceOwner\":\"SELF\"}"), ==, "ok");
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "resourceShares")), ==, 0);
    g_assert_cmpstr(call(f, f->owner, "ram:CreateResourceShare",
                         "{\"name\":\"t\",\"tags\":[{\"key\":\"a\",\"value\":\"1\"}]}"), ==, "ok");
    g_autofree char *arn = g_strdup(out(f, "resourceShare", "resourceShareArn"));
    g_autofree char *bad = g_strdup_printf("{\"resourceShareArn\":\"%s\",\"tags\":[{\"key\":\"\"}]}", arn);
    g_assert_cmpstr(call(f, f->owner, "ram:TagResource", bad), ==, "InvalidParameterException");
    g_autofree char *good = g_strdup_printf("{\"resourceShareArn\":\"%s\",\"tags\":[{\"key\":\"b\"}]}", arn);
    g_assert_cmpstr(call(f, f->owner, "ram:TagResource", good), ==, "ok");
    fx_free(f);
}

/* A principal ARN whose account field is not an account id is malformed
 * (it once became a log file outside --out). */
static void test_principal_arn_account(void)
{
    fx *f = fx_new(false);
    g_assert_cmpstr(call(f, f->owner, "ram:CreateResourceShare",
                         "{\"name\":\"t\",\"principals\":[\"arn:aws:iam::../../../escaped:role/x\"]}"),
                    ==, "MalformedArnException");
    g_assert_cmpstr(call(f, f->owner, "ram:CreateResourceShare",
                         "{\"name\":\"t\",\"principals\":[\"arn:aws:iam::2222:root\"]}"),
                    ==, "MalformedArnException");
    g_assert_null(api_arn_account("arn:aws:iam::../x:role/r"));
    g_assert_null(api_arn_account("arn:aws:s3:::bucket"));
    g_autofree char *ok = api_arn_account("arn:aws:iam::222222222222:role/r");
    g_assert_cmpstr(ok, ==, "222222222222");
    fx_free(f);
}

static void test_mpg_created_from_policy(void)
{
    fx *f = fx_new(false);
    const char *grp = "arn:aws:sagemaker:us-east-1:111111111111:model-package-group/g";
    world_resource_add(f->w, grp, OWNER, "sagemaker:ModelPackageGroup");
    g_autoptr(cJSON) doc = cJSON_Parse(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
        "\"arn:aws:iam::222222222222:root\"},\"Action\":[\"sagemaker:DescribeModelPackageGroup\","
        "\"sagemaker:ListModelPackages\"],\"Resource\":\"*\"}]}");
    /* These actions match no AWS managed permission, so the share can only be
     * promoted after its permission is (an exact AWS managed match would do). */
    ram_policy_share_sync(f->w, grp, OWNER, doc);
    g_autofree char *in = g_strdup_printf("{\"associationType\":\"RESOURCE\",\"resourceArn\":\"%s\"}", grp);
    g_assert_cmpstr(call(f, f->owner, "ram:GetResourceShareAssociations", in), ==, "ok");
    const cJSON *as = cJSON_GetArrayItem(cJSON_GetObjectItem(f->out, "resourceShareAssociations"), 0);
    g_autofree char *share = g_strdup(cJSON_GetStringValue(cJSON_GetObjectItem(as, "resourceShareArn")));
    g_assert_nonnull(share);
    g_autofree char *lp = g_strdup_printf("{\"resourceShareArn\":\"%s\"}", share);
    g_assert_cmpstr(call(f, f->owner, "ram:ListResourceSharePermissions", lp), ==, "ok");
    const cJSON *perm = cJSON_GetArrayItem(cJSON_GetObjectItem(f->out, "permissions"), 0);
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(perm, "featureSet")), ==, "CREATED_FROM_POLICY");
    g_autofree char *parn = g_strdup(cJSON_GetStringValue(cJSON_GetObjectItem(perm, "arn")));
    /* Not visible to the principal before promotion (MPG3). */
    g_assert_cmpstr(call(f, f->guest, "ram:GetResourceShares", "{\"resourceOwner\":\"OTHER-ACCOUNTS\"}"), ==, "ok");
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "resourceShares")), ==, 0);
    /* ... and no invitation yet, while the policy already grants access (MPG1). */
    g_assert_cmpstr(call(f, f->guest, "ram:GetResourceShareInvitations", "{}"), ==, "ok");
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "resourceShareInvitations")), ==, 0);
    g_assert_cmpint(ram_policy_share_state(f->w, grp, GUEST), ==, RAM_POLICY_LIVE);
    g_assert_cmpstr(call(f, f->owner, "ram:PromoteResourceShareCreatedFromPolicy", lp), ==,
                    "UnmatchedPolicyPermissionException");
    g_autofree char *pp = g_strdup_printf("{\"permissionArn\":\"%s\",\"name\":\"GroupRead\"}", parn);
    g_assert_cmpstr(call(f, f->owner, "ram:PromotePermissionCreatedFromPolicy", pp), ==, "ok");
    g_assert_cmpstr(call(f, f->owner, "ram:PromoteResourceShareCreatedFromPolicy", lp), ==, "ok");
    g_assert_cmpstr(call(f, f->owner, "ram:ListResourceSharePermissions", lp), ==, "ok");
    perm = cJSON_GetArrayItem(cJSON_GetObjectItem(f->out, "permissions"), 0);
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(perm, "featureSet")), ==, "PROMOTING_TO_STANDARD");
    test_host_run_until(&f->host, 60 * 1000000LL);
    g_assert_cmpstr(call(f, f->owner, "ram:GetResourceShares", "{\"resourceOwner\":\"SELF\"}"), ==, "ok");
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(
        cJSON_GetObjectItem(f->out, "resourceShares"), 0), "featureSet")), ==, "STANDARD");
    /* Promoted: the outside account is invited now, and discovers the group
     * once it accepts (MPG5). */
    g_assert_false(ram_discoverable(f->w, grp, GUEST));
    g_assert_cmpstr(call(f, f->guest, "ram:GetResourceShareInvitations", "{}"), ==, "ok");
    const cJSON *inv = cJSON_GetArrayItem(cJSON_GetObjectItem(f->out, "resourceShareInvitations"), 0);
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(inv, "status")), ==, "PENDING");
    g_autofree char *acc = g_strdup_printf("{\"resourceShareInvitationArn\":\"%s\"}",
        cJSON_GetStringValue(cJSON_GetObjectItem(inv, "resourceShareInvitationArn")));
    g_assert_cmpstr(call(f, f->guest, "ram:AcceptResourceShareInvitation", acc), ==, "ok");
    test_host_run_until(&f->host, 120 * 1000000LL);
    g_assert_true(ram_discoverable(f->w, grp, GUEST));
    /* The owner removes the account: access by the policy ends too (MPG7). */
    g_autofree char *dis = g_strdup_printf("{\"resourceShareArn\":\"%s\",\"principals\":[\"%s\"]}",
                                           share, GUEST);
    g_assert_cmpstr(call(f, f->owner, "ram:DisassociateResourceShare", dis), ==, "ok");
    g_assert_cmpint(ram_policy_share_state(f->w, grp, GUEST), ==, RAM_POLICY_REVOKED);
    g_assert_false(ram_discoverable(f->w, grp, GUEST));
    fx_free(f);
}

static void test_mpg4_not_promotable(void)
{
    fx *f = fx_new(false);
    const char *grp = "arn:aws:sagemaker:us-east-1:111111111111:model-package-group/g";
    world_resource_add(f->w, grp, OWNER, "sagemaker:ModelPackageGroup");
    g_autoptr(cJSON) doc = cJSON_Parse(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
        "\"arn:aws:iam::222222222222:role/Reader\"},\"Action\":\"*\",\"Resource\":\"*\"}]}");
    ram_policy_share_sync(f->w, grp, OWNER, doc);
    g_assert_cmpstr(call(f, f->owner, "ram:ListPermissions", "{\"permissionType\":\"CUSTOMER_MANAGED\"}"), ==, "ok");
    const cJSON *perm = cJSON_GetArrayItem(cJSON_GetObjectItem(f->out, "permissions"), 0);
    g_autofree char *pp = g_strdup_printf("{\"permissionArn\":\"%s\",\"name\":\"All\"}",
                                          cJSON_GetStringValue(cJSON_GetObjectItem(perm, "arn")));
    g_assert_cmpstr(call(f, f->owner, "ram:PromotePermissionCreatedFromPolicy", pp), ==,
                    "OperationNotPermittedException");
    g_assert_false(ram_discoverable(f->w, grp, GUEST));
    fx_free(f);
}

/* ---- the model registry through its operations ------------------------------------------ */

#define GRP "arn:aws:sagemaker:us-east-1:111111111111:model-package-group/g"
#define GUEST_POLICY "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\"," \
    "\\\"Principal\\\":{\\\"AWS\\\":\\\"arn:aws:iam::222222222222:root\\\"},\\\"Action\\\":[" \
    "\\\"sagemaker:DescribeModelPackageGroup\\\",\\\"sagemaker:CreateModelPackage\\\"]," \
    "\\\"Resource\\\":\\\"*\\\"}]}"

static void test_registry_create_package_inputs(void)
{
    fx *f = fx_new(false);
    g_assert_cmpstr(call(f, f->owner, "sagemaker:CreateModelPackageGroup",
                         "{\"ModelPackageGroupName\":\"g\"}"), ==, "ok");
    g_assert_cmpstr(call(f, f->owner, "sagemaker:CreateModelPackageGroup",
                         "{\"ModelPackageGroupName\":\"g\"}"), ==, "ValidationException");
    g_assert_cmpstr(call(f, f->owner, "sagemaker:CreateModelPackage",
                         "{\"ModelPackageGroupName\":\"g\",\"ModelPackageName\":\"p\"}"), ==,
                    "ValidationException");
    g_assert_nonnull(strstr(f->err.message, "Both ModelPackageName and ModelPackageGroupName"));
    g_assert_cmpstr(call(f, f->owner, "sagemaker:CreateModelPackage", "{}"), ==, "ValidationException");
    g_assert_cmpstr(f->err.message, ==, "Missing ARN.");
    g_assert_cmpstr(call(f, f->owner, "sagemaker:CreateModelPackage",
                         "{\"ModelPackageGroupName\":\"nope\"}"), ==, "ValidationException");
    fx_free(f);
}

static void test_registry_policy_validation(void)
{
    fx *f = fx_new(false);
    g_assert_cmpstr(call(f, f->owner, "sagemaker:CreateModelPackageGroup",
                         "{\"ModelPackageGroupName\":\"g\"}"), ==, "ok");
    g_assert_cmpstr(call(f, f->owner, "sagemaker:PutModelPackageGroupPolicy",
                         "{\"ModelPackageGroupName\":\"g\",\"ResourcePolicy\":\"{not json\"}"), ==,
                    "ValidationException");
    g_assert_cmpstr(call(f, f->owner, "sagemaker:PutModelPackageGroupPolicy",
                         "{\"ModelPackageGroupName\":\"g\",\"ResourcePolicy\":\"{\\\"Version\\\":"
                         "\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
                         "\\\"Action\\\":\\\"sagemaker:*\\\",\\\"Resource\\\":\\\"*\\\"}]}\"}"), ==,
                    "ValidationException");
    g_assert_nonnull(strstr(f->err.message, "Principal"));
    g_assert_cmpstr(call(f, f->owner, "sagemaker:GetModelPackageGroupPolicy",
                         "{\"ModelPackageGroupName\":\"g\"}"), ==, "ValidationException");
    g_assert_cmpstr(call(f, f->owner, "sagemaker:PutModelPackageGroupPolicy",
                         "{\"ModelPackageGroupName\":\"g\",\"ResourcePolicy\":\"" GUEST_POLICY "\"}"), ==, "ok");
    g_assert_cmpstr(call(f, f->owner, "sagemaker:GetModelPackageGroupPolicy",
                         "{\"ModelPackageGroupName\":\"g\"}"), ==, "ok");
    g_assert_nonnull(strstr(out(f, "ResourcePolicy", NULL), "222222222222:root"));
    fx_free(f);
}

/* MPG1, MPG8: accessible at once through the policy; a version the guest
 * registers is the owner's, numbered after the owner's; MPG7: deleting the
 * policy ends the access; a group with versions cannot be deleted. */
static void test_registry_access_and_versions(void)
{
    fx *f = fx_new(false);
    g_assert_cmpstr(call(f, f->owner, "sagemaker:CreateModelPackageGroup",
                         "{\"ModelPackageGroupName\":\"g\"}"), ==, "ok");
    g_assert_cmpstr(call(f, f->guest, "sagemaker:DescribeModelPackageGroup",
                         "{\"ModelPackageGroupName\":\"" GRP "\"}"), ==, "AccessDeniedException");
    g_assert_cmpstr(call(f, f->owner, "sagemaker:CreateModelPackage",
                         "{\"ModelPackageGroupName\":\"g\"}"), ==, "ok");
    g_assert_cmpstr(call(f, f->owner, "sagemaker:PutModelPackageGroupPolicy",
                         "{\"ModelPackageGroupName\":\"g\",\"ResourcePolicy\":\"" GUEST_POLICY "\"}"), ==, "ok");
    g_assert_cmpstr(call(f, f->guest, "sagemaker:DescribeModelPackageGroup",
                         "{\"ModelPackageGroupName\":\"" GRP "\"}"), ==, "ok");
    g_assert_false(ram_discoverable(f->w, GRP, GUEST));
    g_assert_cmpstr(call(f, f->guest, "sagemaker:CreateModelPackage",
                         "{\"ModelPackageGroupName\":\"" GRP "\"}"), ==, "ok");
    g_assert_cmpstr(out(f, "ModelPackageArn", NULL), ==,
                    "arn:aws:sagemaker:us-east-1:111111111111:model-package/g/2");
    g_assert_cmpstr(call(f, f->owner, "sagemaker:DeleteModelPackageGroup",
                         "{\"ModelPackageGroupName\":\"g\"}"), ==, "ConflictException");
    g_assert_cmpstr(call(f, f->owner, "sagemaker:DeleteModelPackageGroupPolicy",
                         "{\"ModelPackageGroupName\":\"g\"}"), ==, "ok");
    g_assert_cmpstr(call(f, f->guest, "sagemaker:DescribeModelPackageGroup",
                         "{\"ModelPackageGroupName\":\"" GRP "\"}"), ==, "AccessDeniedException");
    for (int v = 1; v <= 2; v++) {
        g_autofree char *in = g_strdup_printf(
            "{\"ModelPackageName\":\"arn:aws:sagemaker:us-east-1:111111111111:model-package/g/%d\"}", v);
        g_assert_cmpstr(call(f, f->owner, "sagemaker:DeleteModelPackage", in), ==, "ok");
    }
    g_assert_cmpstr(call(f, f->owner, "sagemaker:DeleteModelPackageGroup",
                         "{\"ModelPackageGroupName\":\"g\"}"), ==, "ok");
    fx_free(f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/ram/RAM2/no-access-before-accept", test_ram2_invitation_then_policy);
    g_test_add_func("/ram/RAM2/org-sharing-no-invitation", test_ram2_org_without_invitation);
    g_test_add_func("/ram/RAM2/invitation-expires-after-12h", test_ram2_expiry);
    g_test_add_func("/ram/RAM1/organization-principal", test_ram1_org_principal);
    g_test_add_func("/ram/RAM7/pending-invitation-quota", test_ram7_pending_quota);
    g_test_add_func("/ram/RAM7/default-pending-invitation-quota", test_ram7_default_pending_quota);
    g_test_add_func("/ram/tags-need-keys", test_tags_need_keys);
    g_test_add_func("/api/effects/failed-share-sends-no-invitation", test_failed_share_sends_nothing);
    g_test_add_func("/api/effects/call-scopes-nest", test_call_scopes_nest);
    g_test_add_func("/ram/principal-arn-account", test_principal_arn_account);
    g_test_add_func("/ram/MPG2-MPG3-MPG5-MPG7/created-from-policy-promoted-invited-removed", test_mpg_created_from_policy);
    g_test_add_func("/ram/MPG4/action-star-not-promotable", test_mpg4_not_promotable);
    g_test_add_func("/registry/MPG8/create-package-input-errors", test_registry_create_package_inputs);
    g_test_add_func("/registry/MPG2/resource-policy-validation", test_registry_policy_validation);
    g_test_add_func("/registry/MPG1-MPG7-MPG8/access-versions-deletion", test_registry_access_and_versions);
    return g_test_run();
}
